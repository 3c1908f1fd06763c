"""JSON as CAS's service registry reads it: comments allowed, errors with line and column.

Within limits: a file no larger than its kind allows (:mod:`cas_mfa_ref.config.files`), arrays and
objects nested at most :data:`MAX_DEPTH` deep, numbers of at most :data:`MAX_DIGITS` digits. ``NaN`` and
``Infinity`` are refused, as CAS's JSON reader (Jackson) refuses them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from cas_mfa_ref.config.files import SERVICE_LIMIT, read_limited
from cas_mfa_ref.errors import Origin, ProfileError

MAX_DEPTH = 64  # arrays and objects inside one another; a service definition needs about 6
MAX_DIGITS = 4300  # digits in a whole number (Python's own limit for converting text to int)


class _Refused(Exception):
    """A number or constant the reader refuses, raised from inside ``json.loads``."""


def read_json(path: Path, limit: int = SERVICE_LIMIT, what: str = "a service definition") -> Any:
    """Parse a JSON file of at most ``limit`` bytes; every error is a :class:`ProfileError` naming it."""
    data = read_limited(path, limit, what)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ProfileError(Origin(path, line), "is not valid UTF-8") from None
    text = strip_comments(text)
    _check_depth(text, path)
    try:
        return json.loads(text, parse_int=_integer, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise ProfileError(
            Origin(path, exc.lineno), f"malformed JSON: {exc.msg} (column {exc.colno})"
        ) from None
    except _Refused as exc:
        raise ProfileError(path, f"malformed JSON: {exc}") from None
    except (ValueError, RecursionError) as exc:  # bounded above; never a traceback all the same
        raise ProfileError(path, f"malformed JSON: {type(exc).__name__}") from None


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"a number of {len(digits):,} digits; the reference reads at most {MAX_DIGITS:,}")
    return int(digits)


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON number (CAS's JSON reader refuses it)")


# Strings (possibly unterminated) and the brackets outside them.
_NESTING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)


def _check_depth(text: str, path: Path) -> None:
    """Refuse arrays and objects nested deeper than :data:`MAX_DEPTH`, naming the line it is passed on."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for token in _NESTING.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, token.start()) + 1
                raise ProfileError(
                    Origin(path, line),
                    f"JSON nested more than {MAX_DEPTH} levels deep (arrays and objects); "
                    f"the reference reads at most {MAX_DEPTH}",
                )
        elif char in "]}":
            depth = max(depth - 1, 0)


# Where a comment or a string may start; inside a string, where it may end or escape a character.
_OUTSIDE_STRING = re.compile(r'["#/]')
_INSIDE_STRING = re.compile(r'["\\]')


def strip_comments(text: str) -> str:
    """Blank out ``//``, ``#`` and ``/* */`` comments outside strings, keeping lines and columns."""
    out = list(text)
    index = 0
    # jumps from one character that matters to the next: a service file is mostly plain text
    while (found := _OUTSIDE_STRING.search(text, index)) is not None:
        index = found.start()
        char = text[index]
        if char == '"':
            index += 1
            while (inside := _INSIDE_STRING.search(text, index)) is not None:
                index = inside.end() + (1 if inside.group() == "\\" else 0)
                if inside.group() == '"':
                    break
            else:
                break  # unterminated: the rest is the string's
            continue
        if char == "#" or text.startswith("//", index):
            end = text.find("\n", index)
            end = len(text) if end < 0 else end
            out[index:end] = " " * (end - index)
            index = end
            continue
        if text.startswith("/*", index):
            end = text.find("*/", index + 2)
            end = len(text) if end < 0 else end + 2
            out[index:end] = ["\n" if c == "\n" else " " for c in text[index:end]]
            index = end
            continue
        index += 1
    return "".join(out)
