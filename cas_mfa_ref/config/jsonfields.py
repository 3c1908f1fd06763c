"""Typed reads of JSON fields as Jackson coerces them for CAS, with errors naming the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cas_mfa_ref.errors import Origin, ProfileError

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
    raise ProfileError(origin.at_field(key), f"must be true or false, not {value!r}")


def integer(obj: Mapping[str, Any], key: str, origin: Origin, default: int) -> int:
    value = obj.get(key)
    if value is None:
        return default
    if isinstance(value, bool):
        raise ProfileError(origin.at_field(key), f"must be a whole number, not {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise ProfileError(origin.at_field(key), f"must be a whole number, not {value!r}")


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
            raise ProfileError(where, f"'{value[0]}' is not a Java collection type CAS reads here")
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
