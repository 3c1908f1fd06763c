"""The requirement catalogue's sections, as features/requirements.md groups them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from steps.requirements import CATALOGUE, requirements

_HEADING = re.compile(r"^##\s+(.+?)\s*$")
_ROW = re.compile(r"^\|\s*([A-Z]{2}-\d{2})\s*\|")


@dataclass(frozen=True)
class Section:
    title: str
    requirements: tuple[str, ...]


@cache
def sections() -> tuple[Section, ...]:
    """Each ``## heading`` of the catalogue with its requirement ids, in catalogue order."""
    known = requirements()
    found: list[Section] = []
    title, ids = "Requirements", list[str]()
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        heading = _HEADING.match(line)
        if heading:
            if ids:
                found.append(Section(title, tuple(ids)))
            title, ids = heading.group(1), []
            continue
        row = _ROW.match(line)
        if row and row.group(1) in known:
            ids.append(row.group(1))
    if ids:
        found.append(Section(title, tuple(ids)))
    return tuple(found)


def section_of() -> dict[str, str]:
    """Requirement id to the title of its section."""
    return {rid: section.title for section in sections() for rid in section.requirements}
