"""A reader of Java ``.properties`` files that keeps the line each entry starts on.

It follows ``java.util.Properties#load``: ``#`` and ``!`` comments, ``=``, ``:`` or white space between
key and value, a line ending in an odd number of backslashes continues on the next line (whose leading
white space is dropped), and the escapes ``\\t \\n \\r \\f \\uXXXX``; any other escaped character stands
for itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cas_mfa_ref.config.files import PROPERTIES_LIMIT, read_limited
from cas_mfa_ref.errors import Origin, ProfileError

_WHITESPACE = " \t\f"
_SEPARATORS = "=:"
# A key runs to the first unescaped separator or white space.
_KEY = re.compile(r"(?:[^\\=: \t\f]|\\.|\\\Z)*", re.DOTALL)
_SIMPLE_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


@dataclass(frozen=True)
class RawProperty:
    """One key and value as written, with the line the entry starts on."""

    key: str
    value: str
    line: int


def read_properties(path: Path) -> list[RawProperty]:
    """Read a properties file (at most ``files.PROPERTIES_LIMIT`` bytes); a malformed escape or
    undecodable byte is a :class:`ProfileError`."""
    data = read_limited(path, PROPERTIES_LIMIT, "cas.properties")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ProfileError(Origin(path, line), "is not valid UTF-8") from None
    return parse_properties(text, path)


def parse_properties(text: str, path: Path) -> list[RawProperty]:
    """Parse properties text; entries come back in file order, duplicates included."""
    entries = []
    for line_no, logical in _logical_lines(text):
        key_raw, value_raw = _split_key_value(logical)
        key = _unescape(key_raw, Origin(path, line_no))
        value = _unescape(value_raw, Origin(path, line_no, key))
        entries.append(RawProperty(key, value, line_no))
    return entries


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    while index < len(lines):
        start = index
        line = lines[index].lstrip(_WHITESPACE)
        index += 1
        if not line or line[0] in "#!":
            continue
        parts = []
        while _continues(line) and index < len(lines):
            parts.append(line[:-1])
            line = lines[index].lstrip(_WHITESPACE)
            index += 1
        if _continues(line):
            line = line[:-1]
        parts.append(line)
        yield start + 1, "".join(parts)


def _continues(line: str) -> bool:
    trailing = len(line) - len(line.rstrip("\\"))
    return trailing % 2 == 1


def _split_key_value(line: str) -> tuple[str, str]:
    found = _KEY.match(line)
    position = found.end() if found else 0
    key = line[:position]
    rest = line[position:].lstrip(_WHITESPACE)
    if rest and rest[0] in _SEPARATORS:
        rest = rest[1:].lstrip(_WHITESPACE)
    return key, rest


def _unescape(raw: str, origin: Origin) -> str:
    if "\\" not in raw:
        return raw
    out = []
    position = 0
    while position < len(raw):
        char = raw[position]
        if char != "\\":
            out.append(char)
            position += 1
            continue
        position += 1
        if position >= len(raw):
            break
        escaped = raw[position]
        if escaped == "u":
            digits = raw[position + 1 : position + 5]
            if len(digits) != 4 or any(d not in "0123456789abcdefABCDEF" for d in digits):
                raise ProfileError(origin, f"malformed \\u escape '\\u{digits}'")
            out.append(chr(int(digits, 16)))
            position += 5
            continue
        out.append(_SIMPLE_ESCAPES.get(escaped, escaped))
        position += 1
    return "".join(out)
