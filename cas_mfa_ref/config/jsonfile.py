"""JSON as CAS's service registry reads it: comments allowed, errors with line and column."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from cas_mfa_ref.errors import Origin, ProfileError


def read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError(path, "file not found") from None
    except UnicodeDecodeError:
        raise ProfileError(path, "is not valid UTF-8") from None
    except OSError as exc:
        raise ProfileError(path, f"cannot be read: {exc.strerror}") from None
    try:
        return json.loads(strip_comments(text))
    except json.JSONDecodeError as exc:
        raise ProfileError(
            Origin(path, exc.lineno), f"malformed JSON: {exc.msg} (column {exc.colno})"
        ) from None


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
