"""The requirement ids scenarios are tagged with, read from ``features/requirements.md``."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "features" / "requirements.md"
_ROW = re.compile(r"^\|\s*([A-Z]{2}-\d{2})\s*\|\s*([^|]+?)\s*\|")


@cache
def requirements() -> dict[str, str]:
    """Requirement id to its statement, in catalogue order."""
    found: dict[str, str] = {}
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            found[match.group(1)] = match.group(2)
    return found
