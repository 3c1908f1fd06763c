"""The fault layer shared by every mock provider: what goes wrong, where, and when.

A fault is set per provider, optionally narrowed to one endpoint; the endpoint's own fault wins over the
provider-wide one. Each request asks :meth:`FaultBook.decide` for an :class:`Effect` and the protocol
layer carries it out, so the same fault means the same thing on HTTP and on UDP.
"""

from __future__ import annotations

import enum
import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_HANG_SECONDS = 300.0
MAX_DELAY_MS = 120_000


class FaultError(ValueError):
    """A fault description that cannot be applied; the message says which field is wrong."""


class Kind(enum.Enum):
    HEALTHY = "healthy"
    DOWN = "down"  # HTTP: connection refused (or closed, for one endpoint); UDP: silence
    TIMEOUT = "timeout"  # accept, never answer, close after `seconds`
    SLOW = "slow"  # answer normally after `delay_ms`
    HTTP_ERROR = "http-error"  # `status` with `body`
    MALFORMED = "malformed"  # `variant`: garbage, non-json, truncated, empty
    BAD_SIGNATURE = "bad-signature"  # sign with the wrong key
    FLAPPING = "flapping"  # `sequence` of steps, cycled; or fail `every` N-th call
    RATE_LIMIT = "rate-limit"  # HTTP 429 with Retry-After


MALFORMED_VARIANTS = ("garbage", "non-json", "truncated", "empty")


class Action(enum.Enum):
    PROCEED = "proceed"
    DROP = "drop"  # close without answering (UDP: no reply)
    HANG = "hang"
    RESPOND = "respond"  # a canned HTTP answer
    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad-signature"


@dataclass(frozen=True)
class Effect:
    """What one request gets: a delay first, then an action."""

    action: Action = Action.PROCEED
    delay_ms: int = 0
    seconds: float = 0.0
    status: int = 200
    body: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    variant: str = "garbage"
    fault: str | None = None  # the fault kind that produced it, for the journal


@dataclass(frozen=True)
class Fault:
    kind: Kind
    endpoint: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind.value, **self.params}
        if self.endpoint:
            data["endpoint"] = self.endpoint
        return data


_ALLOWED = {
    Kind.HEALTHY: set(),
    Kind.DOWN: set(),
    Kind.TIMEOUT: {"seconds"},
    Kind.SLOW: {"delay_ms"},
    Kind.HTTP_ERROR: {"status", "body", "content_type"},
    Kind.MALFORMED: {"variant"},
    Kind.BAD_SIGNATURE: set(),
    Kind.FLAPPING: {"sequence", "every", "status"},
    Kind.RATE_LIMIT: {"retry_after"},
}


def parse_fault(data: Any, endpoints: Sequence[str]) -> Fault:
    """A fault from its JSON form; every field is checked and an error names the field."""
    if not isinstance(data, dict):
        raise FaultError('a fault is a JSON object such as {"kind": "down"}')
    raw_kind = data.get("kind")
    try:
        kind = Kind(raw_kind)
    except ValueError:
        known = ", ".join(k.value for k in Kind)
        raise FaultError(f"kind: '{raw_kind}' is not one of {known}") from None
    endpoint = data.get("endpoint")
    if endpoint is not None and endpoint not in endpoints:
        raise FaultError(f"endpoint: '{endpoint}' is not one of {', '.join(endpoints)}")
    params = {k: v for k, v in data.items() if k not in ("kind", "endpoint")}
    unknown = set(params) - _ALLOWED[kind]
    if unknown:
        allowed = ", ".join(sorted(_ALLOWED[kind])) or "none"
        raise FaultError(
            f"{', '.join(sorted(unknown))}: not a parameter of '{kind.value}' (allowed: {allowed})"
        )
    _check_params(kind, params)
    return Fault(kind, endpoint, params)


def _number(params: Mapping[str, Any], name: str, low: float, high: float, default: float) -> float:
    value = params.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise FaultError(f"{name}: must be a number from {low:g} to {high:g}, not {_shown(value)}")
    return float(value)


def _integer(params: Mapping[str, Any], name: str, low: int, high: int, default: int) -> int:
    """A whole number: a status line, a Retry-After (RFC 9110 §10.2.3) and a millisecond count take no
    fraction, and truncating one (503.7 to 503) would apply a fault nobody asked for."""
    value = params.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise FaultError(f"{name}: must be a whole number from {low} to {high}, not {_shown(value)}")
    return value


def _shown(value: Any) -> str:
    """A value as the caller wrote it in JSON (true, not True), cut short."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_params(kind: Kind, params: Mapping[str, Any]) -> None:
    if kind is Kind.TIMEOUT:
        _number(params, "seconds", 0, MAX_HANG_SECONDS, 30)
    elif kind is Kind.SLOW:
        if "delay_ms" not in params:
            raise FaultError("delay_ms: required for 'slow'")
        _integer(params, "delay_ms", 0, MAX_DELAY_MS, 0)
    elif kind is Kind.HTTP_ERROR:
        # An error status: 4xx or 5xx. A 1xx is no final answer and a 2xx/3xx no error (RFC 9110 §15).
        _integer(params, "status", 400, 599, 500)
        for name in ("body", "content_type"):
            if name in params and not isinstance(params[name], str):
                raise FaultError(f"{name}: must be a string")
            if name in params:
                try:
                    params[name].encode("utf-8")
                except UnicodeEncodeError:
                    raise FaultError(f"{name}: must be valid Unicode text") from None
        content_type = params.get("content_type", "")
        if any(ord(c) < 0x20 or c == "\x7f" for c in content_type) or not content_type.isascii():
            # it becomes a header line: CR/LF would split the response (RFC 9110 §5.5)
            raise FaultError("content_type: must be printable ASCII, such as 'application/json'")
    elif kind is Kind.MALFORMED:
        if params.get("variant", "garbage") not in MALFORMED_VARIANTS:
            raise FaultError(f"variant: must be one of {', '.join(MALFORMED_VARIANTS)}")
    elif kind is Kind.RATE_LIMIT:
        _integer(params, "retry_after", 0, 3600, 1)
    elif kind is Kind.FLAPPING:
        if ("sequence" in params) == ("every" in params):
            raise FaultError('flapping takes either sequence (e.g. ["ok", 500, "ok"]) or every (N)')
        if "every" in params:
            _integer(params, "every", 2, 1_000_000, 2)
            _integer(params, "status", 400, 599, 500)
        else:
            sequence = params["sequence"]
            if not isinstance(sequence, list) or not sequence:
                raise FaultError("sequence: must be a non-empty list of steps")
            for step in sequence:
                _step_fault(step)


def _step_fault(step: Any) -> Fault:
    """One step of a flapping sequence: "ok", an HTTP status, or a fault kind name."""
    if step == "ok":
        return Fault(Kind.HEALTHY)
    if isinstance(step, int) and not isinstance(step, bool) and 400 <= step <= 599:
        return Fault(Kind.HTTP_ERROR, None, {"status": step})
    if step in ("down", "timeout", "malformed", "bad-signature", "rate-limit"):
        return Fault(Kind(step), None, {"seconds": 5} if step == "timeout" else {})
    raise FaultError(
        f"sequence: '{step}' is not ok, an HTTP status 400-599, or down/timeout/malformed/"
        "bad-signature/rate-limit"
    )


class FaultBook:
    """The faults of one provider and the call counters that drive flapping."""

    def __init__(self, endpoints: Sequence[str]) -> None:
        self.endpoints = tuple(endpoints)
        self._lock = threading.Lock()
        self._faults: dict[str | None, Fault] = {}
        self._calls: dict[str | None, int] = {}

    def set(self, fault: Fault) -> None:
        with self._lock:
            if fault.kind is Kind.HEALTHY:
                self._faults.pop(fault.endpoint, None)
            else:
                self._faults[fault.endpoint] = fault
            self._calls[fault.endpoint] = 0

    def clear(self, endpoint: str | None = None) -> None:
        with self._lock:
            if endpoint is None:
                self._faults.clear()
                self._calls.clear()
            else:
                self._faults.pop(endpoint, None)
                self._calls.pop(endpoint, None)

    def active(self) -> list[Fault]:
        with self._lock:
            return list(self._faults.values())

    def provider_down(self) -> bool:
        """The whole provider is down (HTTP listeners close; UDP goes silent)."""
        with self._lock:
            fault = self._faults.get(None)
            return fault is not None and fault.kind is Kind.DOWN

    def decide(self, endpoint: str) -> Effect:
        with self._lock:
            key: str | None = endpoint if endpoint in self._faults else None
            fault = self._faults.get(key)
            if fault is None:
                return Effect()
            call = self._calls.get(key, 0)
            self._calls[key] = call + 1
        return effect_of(fault, call)


def effect_of(fault: Fault, call: int) -> Effect:
    params = fault.params
    name = fault.kind.value
    if fault.kind is Kind.FLAPPING:
        if "every" in params:
            every = int(params["every"])
            if (call + 1) % every == 0:
                return Effect(
                    Action.RESPOND,
                    status=int(params.get("status", 500)),
                    body=_error_body(int(params.get("status", 500))),
                    fault=name,
                )
            return Effect(fault=name)
        steps = params["sequence"]
        step = _step_fault(steps[call % len(steps)])
        effect = effect_of(step, 0)
        return Effect(
            effect.action,
            effect.delay_ms,
            effect.seconds,
            effect.status,
            effect.body,
            effect.headers,
            effect.variant,
            fault=name,
        )
    if fault.kind is Kind.HEALTHY:
        return Effect()
    if fault.kind is Kind.DOWN:
        return Effect(Action.DROP, fault=name)
    if fault.kind is Kind.TIMEOUT:
        return Effect(Action.HANG, seconds=float(params.get("seconds", 30)), fault=name)
    if fault.kind is Kind.SLOW:
        return Effect(Action.PROCEED, delay_ms=int(params["delay_ms"]), fault=name)
    if fault.kind is Kind.HTTP_ERROR:
        status = int(params.get("status", 500))
        body = params.get("body", _error_body(status))
        headers = {"Content-Type": params.get("content_type", "text/html; charset=utf-8")}
        return Effect(Action.RESPOND, status=status, body=body, headers=headers, fault=name)
    if fault.kind is Kind.MALFORMED:
        return Effect(Action.MALFORMED, variant=params.get("variant", "garbage"), fault=name)
    if fault.kind is Kind.BAD_SIGNATURE:
        return Effect(Action.BAD_SIGNATURE, fault=name)
    retry = int(params.get("retry_after", 1))
    body = '{"stat": "FAIL", "code": 42901, "message": "Too Many Requests"}'
    return Effect(
        Action.RESPOND,
        status=429,
        body=body,
        headers={"Retry-After": str(retry), "Content-Type": "application/json"},
        fault=name,
    )


def _error_body(status: int) -> str:
    return f"<html><body><h1>{status} Error</h1></body></html>"
