"""Errors and warnings about a deployment profile, each naming where the problem is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
    """Input CAS tolerates (and the reference too) but that is probably a mistake."""

    origin: Origin
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: warning: {self.message}"


class RequestError(ValueError):
    """A login request that cannot be evaluated against the profile (for example an unknown provider id)."""
