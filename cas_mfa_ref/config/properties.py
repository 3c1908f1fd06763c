"""CAS properties with Spring Boot's relaxed binding, typed conversion and origin tracking.

Names are compared the way Spring Boot compares configuration property names: element by element,
ignoring case, dashes and underscores (``global-failure-mode``, ``globalFailureMode`` and
``global_failure_mode`` are one name); ``duo[0]`` and ``duo.0`` are one index. Map keys keep the
form they were written in. ``${name}`` and ``${name:default}`` placeholders resolve against the
other properties, then the environment, as Spring does.
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from cas_mfa_ref.config.javaprops import RawProperty, read_properties
from cas_mfa_ref.errors import Origin, ProfileError, ProfileWarning, shown

E = TypeVar("E", bound=enum.Enum)

_TRUE = {"true", "on", "yes", "1"}
_FALSE = {"false", "off", "no", "0"}
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
_INDEX = re.compile(r"[0-9]{1,18}")  # a list index as Spring binds it (ASCII digits), within reason
MAX_PLACEHOLDER_DEPTH = 32  # ${a} whose value holds ${b} whose value holds ... at most this deep
MAX_RESOLVED = 1024 * 1024  # characters in a value once its placeholders are resolved


@lru_cache(maxsize=4096)
def split_name(name: str) -> tuple[str, ...]:
    """Split ``a.b[0].c`` or ``a.map[x.y]`` into elements; brackets keep their content whole."""
    if "[" not in name:
        return tuple(element for element in name.split(".") if element)
    elements: list[str] = []
    current: list[str] = []
    depth = 0
    for char in name:
        if char == "[" and depth == 0:
            if current:
                elements.append("".join(current))
                current = []
            depth = 1
            current.append(char)
        elif char == "]" and depth == 1:
            current.append(char)
            elements.append("".join(current))
            current = []
            depth = 0
        elif char == "." and depth == 0:
            if current:
                elements.append("".join(current))
            current = []
        else:
            current.append(char)
    if current:
        elements.append("".join(current))
    return tuple(elements)


def canonical_element(element: str) -> str:
    """Spring's uniform form of one element: indexes bracketed, other names folded."""
    if element.startswith("[") and element.endswith("]"):
        return element
    if element.isascii() and element.isdigit():
        return f"[{element}]"
    return element.lower().replace("-", "").replace("_", "")


@lru_cache(maxsize=4096)
def canonical(name: str) -> tuple[str, ...]:
    return tuple(canonical_element(e) for e in split_name(name))


@dataclass(frozen=True)
class PropertyEntry:
    """One effective property: its name as written, split and folded, its raw value and origin."""

    name: str
    elements: tuple[str, ...]
    key: tuple[str, ...]
    value: str
    origin: Origin

    def tail(self, prefix_length: int) -> tuple[str, ...]:
        """The elements after a prefix, as written (map keys keep their case)."""
        return tuple(e[1:-1] if e.startswith("[") else e for e in self.elements[prefix_length:])


class CasProperties:
    """The properties of one profile, queried by CAS property name in any relaxed form."""

    def __init__(
        self, entries: Iterable[PropertyEntry], path: Path, environ: Mapping[str, str] | None = None
    ) -> None:
        self.path = path
        self._entries: dict[tuple[str, ...], PropertyEntry] = {}
        self.warnings: list[ProfileWarning] = []
        self._environ = dict(os.environ if environ is None else environ)
        self._read: set[tuple[str, ...]] = set()
        self._resolved: dict[tuple[str, ...], str] = {}
        for entry in entries:
            previous = self._entries.get(entry.key)
            if previous is not None:
                self.warnings.append(
                    ProfileWarning(
                        entry.origin,
                        f"{shown(entry.name)} is set again; "
                        f"the value on line {previous.origin.line} is replaced",
                        kind="a property is set again; the earlier value is replaced",
                    )
                )
            self._entries[entry.key] = entry

    @classmethod
    def load(cls, path: Path, environ: Mapping[str, str] | None = None) -> CasProperties:
        return cls.from_raw(read_properties(path), path, environ)

    @classmethod
    def from_raw(
        cls, raw: Iterable[RawProperty], path: Path, environ: Mapping[str, str] | None = None
    ) -> CasProperties:
        entries = []
        for item in raw:
            elements = split_name(item.key)
            origin = Origin(path, item.line, item.key)
            if not elements or any(not e.strip("[]") for e in elements):
                raise ProfileError(origin, "is not a valid property name")
            entries.append(
                PropertyEntry(item.key, elements, tuple(map(canonical_element, elements)), item.value, origin)
            )
        return cls(entries, path, environ)

    @classmethod
    def from_mapping(cls, values: Mapping[str, str], path: Path) -> CasProperties:
        """Properties given as a mapping (tests, generated profiles); origins carry no line."""
        raw = [RawProperty(k, v, 0) for k, v in values.items()]
        props = cls.from_raw(raw, path)
        for key, entry in list(props._entries.items()):
            props._entries[key] = PropertyEntry(
                entry.name, entry.elements, entry.key, entry.value, Origin(path, None, entry.name)
            )
        return props

    def entries(self) -> list[PropertyEntry]:
        """Every effective entry, in file order."""
        return sorted(self._entries.values(), key=lambda e: e.origin.line or 0)

    def with_entries(self, entries: Iterable[PropertyEntry]) -> CasProperties:
        """The same file with other entries (renamed ones, say), resolving placeholders alike."""
        return CasProperties(entries, self.path, self._environ)

    # -- lookup -------------------------------------------------------------------------------------

    def entry(self, name: str) -> PropertyEntry | None:
        key = canonical(name)
        found = self._entries.get(key)
        if found is not None:
            self._read.add(key)
        return found

    def has_prefix(self, prefix: str) -> bool:
        key = canonical(prefix)
        return any(k[: len(key)] == key for k in self._entries)

    def under(self, prefix: str) -> list[PropertyEntry]:
        """Every entry below a prefix, in file order; they count as read."""
        key = canonical(prefix)
        found = [e for k, e in self._entries.items() if k[: len(key)] == key and len(k) > len(key)]
        self._read.update(e.key for e in found)
        return sorted(found, key=lambda e: e.origin.line or 0)

    def origin_under(self, prefix: str) -> Origin:
        """Where ``prefix`` is first set: its first entry below, or the prefix itself given a value."""
        found = self.under(prefix) or [e for e in [self.entry(prefix)] if e is not None]
        return found[0].origin if found else Origin(self.path)

    def indexes(self, prefix: str) -> list[int]:
        """The list indexes present below ``prefix`` (``prefix[0]``, ``prefix[1]`` ...), sorted."""
        key = canonical(prefix)
        found = set()
        for k in self._entries:
            if k[: len(key)] == key and len(k) > len(key):
                inner = k[len(key)]
                if inner.startswith("[") and _INDEX.fullmatch(inner[1:-1]):
                    found.add(int(inner[1:-1]))
        return sorted(found)

    def unread_under(self, prefix: str) -> list[PropertyEntry]:
        key = canonical(prefix)
        return [e for k, e in self._entries.items() if k[: len(key)] == key and k not in self._read]

    # -- typed values -------------------------------------------------------------------------------

    def text(self, name: str, default: str | None = None) -> str | None:
        found = self.entry(name)
        if found is None:
            return default
        return self.resolve(found.value, found.origin)

    def text_of(self, entry: PropertyEntry) -> str:
        return self.resolve(entry.value, entry.origin)

    def integer(self, name: str, default: int) -> int:
        found = self.entry(name)
        if found is None:
            return default
        value = self.resolve(found.value, found.origin).strip()
        try:
            return int(value)
        except ValueError:
            raise ProfileError(found.origin, f"{shown(value)} is not a whole number") from None

    def boolean(self, name: str, default: bool) -> bool:
        found = self.entry(name)
        if found is None:
            return default
        value = self.resolve(found.value, found.origin).strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ProfileError(found.origin, f"{shown(found.value)} is not a boolean (true or false)")

    def choice(self, name: str, enum_type: type[E], default: E) -> E:
        found = self.entry(name)
        if found is None:
            return default
        return parse_enum(self.resolve(found.value, found.origin), enum_type, found.origin, lenient=True)

    def csv(self, name: str) -> list[str]:
        """A comma-separated list, trimmed, blanks dropped (Spring's String[] conversion)."""
        value = self.text(name)
        if value is None:
            return []
        return [item.strip() for item in value.split(",") if item.strip()]

    def resolve(self, value: str, origin: Origin, seen: frozenset[str] = frozenset()) -> str:
        """Replace ``${name}`` and ``${name:default}`` as Spring's placeholder resolver does; placeholders
        nest at most :data:`MAX_PLACEHOLDER_DEPTH` deep and resolve to at most :data:`MAX_RESOLVED`
        characters."""
        if "${" not in value:
            return value
        if len(seen) >= MAX_PLACEHOLDER_DEPTH:
            raise ProfileError(
                origin, f"placeholders nested more than {MAX_PLACEHOLDER_DEPTH} deep; the reference stops"
            )

        def substitute(match: re.Match[str]) -> str:
            body = match.group(1)
            name, has_default, default = body.partition(":")
            if name in seen:
                raise ProfileError(origin, f"placeholder {shown('${' + name + '}')} refers to itself")
            found = self._entries.get(canonical(name)) if name else None
            if found is not None:
                resolved = self._resolved.get(found.key)
                if resolved is None:  # resolved once: a value used many times is not resolved again
                    resolved = self._resolved[found.key] = self.resolve(
                        found.value, found.origin, seen | {name}
                    )
                return resolved
            if name in self._environ:
                return self._environ[name]
            if has_default:
                return default
            raise ProfileError(origin, f"could not resolve placeholder {shown('${' + name + '}')}")

        result = _PLACEHOLDER.sub(substitute, value)
        if len(result) > MAX_RESOLVED:
            raise ProfileError(
                origin,
                f"its placeholders resolve to {len(result):,} characters; "
                f"the reference takes at most {MAX_RESOLVED:,}",
            )
        return result


def parse_enum(value: str, enum_type: type[E], origin: Origin, *, lenient: bool) -> E:
    """An enum constant by name; lenient matching ignores case as Spring's converter does."""
    candidate = value.strip()
    for member in enum_type:
        if member.name == candidate or (lenient and member.name.lower() == candidate.lower()):
            return member
    allowed = ", ".join(m.name for m in enum_type)
    raise ProfileError(origin, f"{shown(value)} is not one of {allowed}")
