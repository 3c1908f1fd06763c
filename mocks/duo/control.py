"""The mock Duo's control requests checked before anything is changed: which operations exist, and
what a user's body may say. A mistake is a :class:`ControlError` (HTTP 400) naming the field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mocks.provider import ControlError

OPERATIONS = "PUT users/{username}, GET users"
USER_FIELDS = ("preauth", "push", "passcodes")


@dataclass(frozen=True)
class UserBody:
    """``PUT users/{username}``'s body, its fields checked for shape; the state checks the values."""

    preauth: Any = "auth"
    push: Any = "approve"
    passcodes: list[str] = field(default_factory=list)


def user_body(body: Any) -> UserBody:
    if not isinstance(body, dict):
        raise ControlError(
            'a Duo user is a JSON object: {"preauth": "auth", "push": "approve", "passcodes": ["123456"]}'
        )
    unknown = set(body) - set(USER_FIELDS)
    if unknown:
        raise ControlError(
            f"{', '.join(sorted(unknown))}: not a field of a Duo user ({', '.join(USER_FIELDS)})"
        )
    passcodes = body.get("passcodes", [])
    if not isinstance(passcodes, list) or not all(isinstance(p, str) for p in passcodes):
        raise ControlError("passcodes: must be a list of strings")
    return UserBody(body.get("preauth", "auth"), body.get("push", "approve"), passcodes)


def no_such_operation(method: str, path: list[str]) -> ControlError:
    return ControlError(f"no Duo control operation {method} {'/'.join(path)} ({OPERATIONS})")
