"""The HTTP control API (contract 4): health, reset, faults, journals, users and devices.

Every route calls :class:`~mocks.suite.MockSuite`. Whatever a request is, the answer is JSON and never a
500: an unknown name or a bad body is a 400 with the reason, ``{"error": "..."}``; a method a route does
not take is a 405 with ``Allow``; a body over 1 MiB is a 413, a body that has not all arrived within
5 s a 400 (the bounds are in :mod:`mocks.wire`). A body is JSON (RFC 8259) in UTF-8, at most
``MAX_DEPTH`` (64) arrays and objects deep, with finite numbers and valid Unicode strings.
"""

from __future__ import annotations

import json
import math
import re
import threading
from typing import Any

from mocks import wire
from mocks.httpd import HOST
from mocks.provider import ControlError, MethodNotAllowed, Routes, route_methods
from mocks.suite import MockSuite

MAX_BODY = wire.MAX_BODY
MAX_DEPTH = 64  # far beyond any real control body; keeps a hostile one away from the parser's recursion

ROUTES: Routes = {
    ("health",): frozenset({"GET"}),
    ("reset",): frozenset({"POST"}),
    ("providers",): frozenset({"GET"}),
}
PROVIDER_ROUTES: Routes = {
    ("fault",): frozenset({"PUT", "DELETE"}),
    ("journal",): frozenset({"GET", "DELETE"}),
}
_OPERATIONS = (
    "see GET /health, POST /reset, PUT|DELETE /providers/{name}/fault, GET /providers/{name}/journal"
)


class ControlServer:
    def __init__(self, suite: MockSuite, port: int = 0) -> None:
        self.suite = suite
        self._server = wire.QuietServer((HOST, port), _handler(suite))
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name="mock-control",
            daemon=True,
        )

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self._server.server_address[1]}"

    def start(self) -> ControlServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def allowed_methods(suite: MockSuite, parts: list[str]) -> frozenset[str] | None:
    """The methods a control path takes, or None for a path that is no operation at all."""
    methods = route_methods(ROUTES, parts)
    if methods is None and len(parts) >= 2 and parts[0] == "providers":
        provider = suite.provider(parts[1])  # an unknown name is a 400 that names it (contract 4)
        rest = parts[2:]
        methods = route_methods(PROVIDER_ROUTES, rest) or route_methods(provider.control_routes, rest)
    return methods


def dispatch(
    suite: MockSuite, method: str, path: str, query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    parts = [p for p in path.split("/") if p]
    allowed = allowed_methods(suite, parts)
    if allowed is None:
        raise ControlError(f"no control operation {method} {path} ({_OPERATIONS})")
    if method == "HEAD" and "GET" in allowed:
        method = "GET"  # the same answer without its body (RFC 9110 §9.3.2); every GET here is read-only
    if method not in allowed:
        raise MethodNotAllowed(f"{path} does not take {method} (it takes {wire.allow(allowed)})", allowed)
    if parts == ["health"]:
        return 200, suite.health()
    if parts == ["reset"]:
        suite.reset()
        return 200, {"reset": True}
    if parts == ["providers"]:
        return 200, suite.describe()
    name, rest = parts[1], parts[2:]
    provider = suite.provider(name)
    if rest == ["fault"] and method == "PUT":
        return 200, suite.set_fault(name, body).as_json()
    if rest == ["fault"]:
        endpoints = query.get("endpoint")
        suite.clear_fault(name, endpoints[0] if endpoints else None)
        return 200, {"cleared": True}
    if rest == ["journal"] and method == "GET":
        return 200, suite.journal(name)
    if rest == ["journal"]:
        provider.journal.clear()
        return 200, {"cleared": True}
    return provider.control(method, rest, body)


def parse_body(raw: bytes) -> Any:
    """The JSON value of a control body (None when empty), or a ControlError saying what is wrong."""
    if not raw.strip():
        return None
    try:
        text = raw.decode("utf-8")  # RFC 8259 §8.1: JSON between systems is UTF-8
    except UnicodeDecodeError as error:
        raise ControlError(f"the body is not JSON: not UTF-8 (byte {error.start})") from None
    if nesting_depth(text, MAX_DEPTH) > MAX_DEPTH:
        raise ControlError(f"the body is nested deeper than the limit of {MAX_DEPTH} arrays and objects")
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except json.JSONDecodeError as error:
        raise ControlError(f"the body is not JSON: {error}") from None
    except ValueError as error:  # _finite, _no_constant, or an integer of more digits than Python reads
        raise ControlError(f"the body is not JSON this API takes: {error}") from None
    _check_strings(value)
    return value


_STRUCTURE = re.compile(r'[\\"\[\]{}]')


def nesting_depth(text: str, limit: int) -> int:
    """How deep arrays and objects nest in ``text``, counted without recursion and without parsing;
    the count stops once past ``limit``. Brackets inside strings do not count."""
    depth = deepest = 0
    in_string = False
    skip = -1  # the position of a character escaped by a backslash
    for match in _STRUCTURE.finditer(text):
        at, char = match.start(), match.group()
        if at == skip:
            continue
        if in_string:
            if char == "\\":
                skip = at + 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                break
        elif char in "]}":
            depth -= 1
    return deepest


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number (RFC 8259 §6)")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is too large a number")
    return value


def _check_strings(value: Any) -> None:
    """Every string, key or value, is encodable text: JSON escapes can spell lone surrogates (\\ud800).
    The error names the field, as the checks downstream do (``body: ...``, ``challenge.prompt: ...``)."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, dict):
            for key, member in item.items():
                _check_text(key, f"a key of {where or 'the body'}")
                stack.append((f"{where}.{key}" if where else key, member))
        elif isinstance(item, list):
            stack.extend((f"{where}[{index}]", member) for index, member in enumerate(item))
        elif isinstance(item, str):
            _check_text(item, where or "the body")


def _check_text(text: str, where: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ControlError(f"{where}: must be valid Unicode text, not {text[:40]!r}") from None


def _handler(suite: MockSuite) -> type[wire.Handler]:
    class Handler(wire.Handler):
        server_version = "cas-mfa-mocks-control"

        def serve(self) -> None:
            try:
                path, query = wire.target(self.path)
                raw = wire.read_body(self, wire.body_length(self.headers))
            except wire.Refusal as refusal:
                self.refuse(refusal)
                return
            headers: dict[str, str] = {}
            try:
                status, payload = dispatch(suite, self.command, path, query, parse_body(raw))
            except MethodNotAllowed as error:
                status, payload = error.status, {"error": str(error)}
                headers["Allow"] = wire.allow(error.allowed)
            except ControlError as error:
                status, payload = error.status, {"error": str(error)}
            except Exception as error:  # a bug of the mocks; the caller still gets an answer in JSON
                status, payload = 500, {"error": f"{type(error).__name__}: {error}"}
            self.respond(status, json.dumps(payload).encode(), "application/json", headers)

    return Handler
