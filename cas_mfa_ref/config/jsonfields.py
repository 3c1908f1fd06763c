"""Typed reads of JSON fields as Jackson coerces them for CAS, with errors naming the field."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from cas_mfa_ref.errors import Origin, ProfileError, shown

_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,4000}")
_JAVA_TYPES = {32: "an int", 64: "a long"}

_JAVA_COLLECTIONS = {
    "java.util.LinkedHashSet",
    "java.util.HashSet",
    "java.util.TreeSet",
    "java.util.ArrayList",
    "java.util.List",
    "java.util.Set",
    "java.util.LinkedList",
    "java.util.concurrent.CopyOnWriteArrayList",
}


def text(obj: Mapping[str, Any], key: str, origin: Origin) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ProfileError(origin.at_field(key), f"must be a string, not {type_name(value)}")
    return str(value)


def boolean(obj: Mapping[str, Any], key: str, origin: Origin, default: bool) -> bool:
    value = obj.get(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ProfileError(origin.at_field(key), f"must be true or false, not {describe(value)}")


def integer(obj: Mapping[str, Any], key: str, origin: Origin, default: int, bits: int = 64) -> int:
    """A whole number, or a string of ASCII digits, that fits Java's int (``bits=32``) or long."""
    value = obj.get(key)
    if value is None:
        return default
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
        number = int(value.strip())
    if number is None:
        raise ProfileError(origin.at_field(key), f"must be a whole number, not {describe(value)}")
    if not -(2 ** (bits - 1)) <= number < 2 ** (bits - 1):
        raise ProfileError(
            origin.at_field(key), f"{describe(value)} is out of the range of {_JAVA_TYPES[bits]} (Java's)"
        )
    return number


def java_collection(obj: Mapping[str, Any], key: str, origin: Origin) -> list[str]:
    """``["java.util.LinkedHashSet", ["a", "b"]]`` (CAS's typed form) or a plain list of strings."""
    value = obj.get(key)
    if value is None:
        return []
    where = origin.at_field(key)
    items = value
    if (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], list)
    ):
        if value[0] not in _JAVA_COLLECTIONS:
            raise ProfileError(where, f"{shown(value[0])} is not a Java collection type CAS reads here")
        items = value[1]
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ProfileError(where, 'must be ["java.util.LinkedHashSet", ["id", ...]] or a list of strings')
    return list(items)


def mapping(obj: Mapping[str, Any], key: str, origin: Origin) -> Mapping[str, Any] | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ProfileError(origin.at_field(key), f"must be a JSON object, not {type_name(value)}")
    return value


def describe(value: object) -> str:
    """A JSON value as an error message shows it: a scalar quoted and cut short, a list or object by type."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, list | dict):
        return type_name(value)
    return shown(json.dumps(value))


def type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null"
