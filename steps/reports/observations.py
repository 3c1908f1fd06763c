"""What a target observed in one scenario: a recording proxy around the target, and the log made
comparable between runs (dataclasses as dicts, tickets and tokens as placeholders)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from enum import Enum
from pathlib import PurePath
from typing import Any, NamedTuple, cast

import pytest

from steps.deployment import Deployment
from steps.targets.base import Target


class Call(NamedTuple):
    name: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    result: Any
    raised: BaseException | None


CALLS_KEY = pytest.StashKey[list[Call]]()
# Not observations: what helps a person read a failure (the HTTP exchanges, for the report of a failed
# scenario), and the end of the scenario.
UNRECORDED = frozenset({"diagnostics", "exchanges", "close"})
TOKEN_SOURCES = frozenset({"provision_token", "authenticator_code"})  # results that differ in every run
TICKET = re.compile(r"\b(?:ST|PT|TGT|PGT|PGTIOU|OC|AT)-\d+-[\w.:-]+")
# A moment stated in a string (authenticationDate, ...): when the target read its clock, never the same twice.
TIMESTAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?")


class RecordingTarget:
    """Passes every attribute through to the target, logging each method call with its result."""

    def __init__(self, target: Target, log: list[Call]) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_log", log)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if name.startswith("_") or name in UNRECORDED or not callable(value):
            return value
        return self._recorded(name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target, name, value)

    def _recorded(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        log: list[Call] = self._log

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                result = method(*args, **kwargs)
            except BaseException as exc:
                log.append(Call(name, args, kwargs, None, exc))
                raise
            log.append(Call(name, args, kwargs, result, None))
            return result

        return call


def recording(node: pytest.Item | pytest.Collector, target: Target) -> Target:
    """The target, its calls logged in ``node.stash[CALLS_KEY]``."""
    log = node.stash.setdefault(CALLS_KEY, [])
    return cast(Target, RecordingTarget(target, log))


class Placeholders:
    """Replaces the values that differ between runs by stable names: tickets and tokens numbered in order of
    appearance (the same ticket is ``<ticket-1>`` wherever it shows up), timestamps in strings as
    ``<timestamp>``."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._counts: dict[str, int] = {}

    def name(self, value: str, kind: str) -> str:
        if value not in self._names:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            self._names[value] = f"<{kind}-{self._counts[kind]}>"
        return self._names[value]

    def text(self, value: str) -> str:
        for secret, name in self._names.items():
            if secret and secret in value:
                value = value.replace(secret, name)
        value = TICKET.sub(lambda match: self.name(match.group(0), "ticket"), value)
        return TIMESTAMP.sub("<timestamp>", value)

    def plain(self, value: Any, key: str | None = None) -> Any:
        """A JSON value for ``value``; strings under a ``ticket`` key become ticket placeholders, and a
        ``password`` is never written into a record (what was typed, right or wrong, is the scenario's)."""
        if key == "password" and isinstance(value, str):
            return "<password>" if value else ""
        if isinstance(value, str):
            return self.name(value, "ticket") if key == "ticket" and value else self.text(value)
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, Deployment):
            return "<deployment>"
        if isinstance(value, PurePath):
            return "<path>"
        if isinstance(value, Enum):
            return self.plain(value.value)
        if isinstance(value, datetime | date | time):
            return value.isoformat()
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
            return {name: self.plain(item, name) for name, item in fields.items()}
        if isinstance(value, Mapping):
            return {str(name): self.plain(item, str(name)) for name, item in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
            return [self.plain(item) for item in items]
        return self.text(repr(value))


def observations(calls: list[Call]) -> list[dict[str, Any]]:
    """The log as JSON: ``{"call", "args", "result"}`` or ``{"call", "args", "raised"}`` per call, in order.

    A ticket (any ``ticket`` field, anything shaped like a CAS ticket) and a token ``provision_token`` gave
    become placeholders wherever they appear later (``validate``'s argument, ``submit_token``'s)."""
    names = Placeholders()
    entries: list[dict[str, Any]] = []
    for call in calls:
        if call.name in TOKEN_SOURCES and isinstance(call.result, str) and call.raised is None:
            names.name(call.result, "token")
        args = [names.plain(arg) for arg in call.args]
        kwargs = {key: names.plain(value) for key, value in call.kwargs.items()}
        entry: dict[str, Any] = {"call": call.name, "args": args}
        if kwargs:
            entry["kwargs"] = kwargs
        if call.raised is not None:
            entry["raised"] = f"{type(call.raised).__name__}: {names.text(str(call.raised))}"
        else:
            entry["result"] = names.plain(call.result)
        entries.append(entry)
    return entries
