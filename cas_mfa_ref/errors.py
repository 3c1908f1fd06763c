"""Errors and warnings about a deployment profile, each naming where the problem is.

Printers of warnings (``explain``, the server at start-up and refresh) go through :func:`summarised`:
after the first :data:`WARNINGS_SHOWN` warnings of a kind, one line counts the rest. ``Profile.warnings``
itself stays complete.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

WARNINGS_SHOWN = 20  # warnings of one kind printed before the rest are counted on one line
SHOWN_CHARACTERS = 80  # how much of a value from the input an error message quotes


@dataclass(frozen=True)
class Origin:
    """Where a value came from: a file, and a line or a field inside it."""

    file: Path
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f": {self.field}"
        return where

    def at_field(self, field: str) -> Origin:
        """The same place, narrowed to a field (``a.b`` for nested JSON fields)."""
        joined = f"{self.field}.{field}" if self.field else field
        return Origin(self.file, self.line, joined)


class ProfileError(Exception):
    """A deployment profile CAS would refuse, or that this reference cannot load faithfully."""

    def __init__(self, origin: Origin | Path | str, message: str) -> None:
        self.origin = origin if isinstance(origin, Origin) else Origin(Path(origin))
        self.message = message
        super().__init__(f"{self.origin}: {message}")


@dataclass(frozen=True)
class ProfileWarning:
    """Input CAS tolerates (and the reference too) but that is probably a mistake.

    ``kind`` groups warnings that say the same thing of different places (for :func:`summarised`);
    without one, the kind is the message with its quoted values and numbers blanked out."""

    origin: Origin
    message: str
    kind: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.origin}: warning: {self.message}"

    @property
    def kind_text(self) -> str:
        return self.kind or _NUMBER.sub("N", _QUOTED.sub("'…'", self.message))


class RequestError(ValueError):
    """A login request that cannot be evaluated against the profile (for example an unknown provider id)."""


_QUOTED = re.compile(r"'[^']*'")
_NUMBER = re.compile(r"\d+")


def summarised(warnings: Iterable[ProfileWarning], limit: int = WARNINGS_SHOWN) -> list[str]:
    """The warnings as printed, one line each: the first ``limit`` of each kind, then, where the rest of a
    kind would have started, one line ``... and 219,980 more warnings like this: <kind>``."""
    warnings = list(warnings)
    totals: dict[str, int] = {}
    for warning in warnings:
        totals[warning.kind_text] = totals.get(warning.kind_text, 0) + 1
    seen: dict[str, int] = {}
    lines = []
    for warning in warnings:
        kind = warning.kind_text
        count = seen[kind] = seen.get(kind, 0) + 1
        if count <= limit:
            lines.append(one_line(str(warning)))
        elif count == limit + 1:
            rest = totals[kind] - limit
            noun = "warning" if rest == 1 else "warnings"
            lines.append(one_line(f"... and {rest:,} more {noun} like this: {kind}"))
    return lines


# Characters that would break a one-line message or hide part of it: C0 and C1 controls (newlines,
# NUL, escape), line and paragraph separators, the bidirectional overrides; and lone surrogates (from
# ``\\uD800`` in a properties file, or an argument that is not UTF-8), which no stream can encode.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def one_line(text: str) -> str:
    """``text`` with every control character escaped (``\\n``, ``\\x00``, ``\\ud800``), so it prints as one
    line, in any encoding that has the rest."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
        if named:
            return named
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(escape, text)


def shown(value: str, limit: int = SHOWN_CHARACTERS) -> str:
    """A value from the input as a message quotes it: in single quotes, on one line, and cut to ``limit``
    characters with its length given (``'aaaa…' (20,005 characters)``)."""
    if len(value) <= limit:
        return f"'{one_line(value)}'"
    return f"'{one_line(value[:limit])}…' ({len(value):,} characters)"
