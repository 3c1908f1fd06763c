"""An HTTP(S) server on loopback for one mock provider, with the fault layer in front of its routes.

Routing maps (method, path) to a handler; the fault layer decides each request's effect before the
handler runs. A provider-wide ``down`` closes the listening socket, so clients see "connection
refused"; it reopens on the same port when the fault is cleared.

A path that exists answers a method it does not take with 405 and ``Allow``, HEAD as GET without the body;
an unknown path is a 404; both in the provider's error shape (``refuse``). Bodies are framed and bounded
as :mod:`mocks.wire` says.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from mocks import wire
from mocks.faults import Action, Effect, FaultBook
from mocks.journal import Journal

HOST = "127.0.0.1"
HANDSHAKE_TIMEOUT = 10.0
GARBAGE = b"\x00\xff\xfegarbage\x13\x37 not a protocol answer \x00"


class Headers(dict[str, str]):
    """Request headers looked up without regard to case, as HTTP requires."""

    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        super().__init__((k.lower(), v) for k, v in items)

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: Mapping[str, str]
    body: bytes
    client: str

    def form(self) -> dict[str, list[str]]:
        """Form fields from the body, and from the query string (duo_universal posts in the query)."""
        fields = {k: list(v) for k, v in self.query.items()}
        content_type = self.headers.get("Content-Type", "")
        if self.body and "json" not in content_type:
            for key, values in parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True).items():
                fields.setdefault(key, []).extend(values)
        return fields

    def first(self, name: str) -> str | None:
        values = self.form().get(name)
        return values[0] if values else None

    def json(self) -> Any:
        """The body's JSON; ValueError for anything else, including nesting too deep to parse."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except RecursionError:
            raise ValueError("the body nests too deep") from None


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    signature: str = "n/a"  # for the journal: valid, invalid, absent, n/a
    params: Mapping[str, Any] = field(default_factory=dict)
    outcome: str = ""

    @classmethod
    def json(cls, payload: Any, status: int = 200, **extra: Any) -> Response:
        body = json.dumps(payload).encode()
        return cls(status, body, {"Content-Type": "application/json"}, **extra)

    @classmethod
    def text(cls, text: str, status: int = 200, **extra: Any) -> Response:
        return cls(status, text.encode(), {"Content-Type": "text/plain; charset=utf-8"}, **extra)


Handler = Callable[[Request, Effect], Response]
Refuse = Callable[[int, str], Response]
"""A refusal (404, 405, a badly framed request) in the provider's own error shape."""


def json_refusal(status: int, message: str) -> Response:
    return Response.json({"error": message}, status)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    endpoint: str
    handler: Handler


class ProviderServer:
    """One provider's HTTP listener: routes, faults, journal; TLS when given a context."""

    def __init__(
        self,
        name: str,
        routes: list[Route],
        faults: FaultBook,
        journal: Journal,
        port: int = 0,
        tls: ssl.SSLContext | None = None,
        refuse: Refuse = json_refusal,
    ) -> None:
        self.name = name
        self.faults = faults
        self.journal = journal
        self.refuse = refuse
        self._routes = {(r.method, r.path): r for r in routes}
        self._methods: dict[str, set[str]] = {}
        for r in routes:
            self._methods.setdefault(r.path, set()).add(r.method)
        self._tls = tls
        self._port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._sync_lock = threading.Lock()

    @property
    def port(self) -> int:
        return self._port

    @property
    def scheme(self) -> str:
        return "https" if self._tls else "http"

    def url(self, path: str = "", host: str = HOST) -> str:
        return f"{self.scheme}://{host}:{self._port}{path}"

    def start(self) -> None:
        with self._lock:
            if self._server is not None:
                return
            self._stopping.clear()
            server = _Server((HOST, self._port), _handler_class(self))
            self._port = server.server_address[1]
            self._server = server
            self._thread = threading.Thread(
                target=server.accept_until_closed, name=f"mock-{self.name}", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        with self._lock:
            server, thread = self._server, self._thread
            self._server = self._thread = None
            self._stopping.set()  # releases hung requests
        if server is not None:
            server.close_listener()
        if thread is not None:
            thread.join(timeout=5)

    def sync_listening(self) -> None:
        """Close the listener while the whole provider is down; reopen it when it is not."""
        with self._sync_lock:
            if self.faults.provider_down():
                self.stop()
            else:
                self.start()

    # -- request handling, called from the handler threads -------------------------------------------

    def wrap(self, connection: socket.socket) -> socket.socket:
        if self._tls is None:
            return connection
        connection.settimeout(HANDSHAKE_TIMEOUT)
        wrapped = self._tls.wrap_socket(connection, server_side=True)
        wrapped.settimeout(None)
        return wrapped

    def respond(self, request: Request) -> tuple[Effect, Response | None]:
        """The request's effect and answer (None: no answer), journaled; waiting is the caller's job,
        so the same routing serves real sockets and in-process ``responses`` callbacks."""
        route = self._routes.get((request.method, request.path))
        if route is None and request.method == "HEAD":
            route = self._routes.get(("GET", request.path))  # answered as GET, the body left out
        if route is None:
            return Effect(), self._refusal(request)
        effect = self.faults.decide(route.endpoint)
        response: Response | None
        if effect.action in (Action.DROP, Action.HANG):
            response = None
        elif effect.action is Action.RESPOND:
            response = Response(effect.status, effect.body.encode(), dict(effect.headers))
        elif effect.action is Action.MALFORMED:
            response = _malformed(effect.variant)
        else:
            response = route.handler(request, effect)
        self.journal.record(
            route.endpoint,
            request.method,
            request.path,
            params=response.params if response else {},
            signature=response.signature if response else "n/a",
            fault=effect.fault,
            outcome="no answer" if response is None else (response.outcome or str(response.status)),
        )
        return effect, response

    def _refusal(self, request: Request) -> Response:
        methods = self._methods.get(request.path)
        if methods is None:
            response = self.refuse(404, f"no such endpoint {request.path}")
        else:
            allowed = wire.allow(methods)
            response = self.refuse(405, f"{request.path} does not take {request.method} (it takes {allowed})")
            response.headers["Allow"] = allowed
        self.journal.record("unknown", request.method, request.path, outcome=str(response.status))
        return response

    def wait(self, seconds: float) -> None:
        """Sleep for a fault, cut short when the server stops."""
        if seconds > 0:
            self._stopping.wait(seconds)


class _Server(wire.QuietServer):
    """Accepts in a blocking loop that ends the moment the listener closes: no polling, and a provider
    goes down (connection refused) at once."""

    _closed = False

    def accept_until_closed(self) -> None:
        while True:
            try:
                connection, client = self.socket.accept()
            except OSError:
                if self._closed:
                    return
                time.sleep(0.01)  # a passing shortage (file descriptors, memory): try again
                continue
            try:
                self.process_request(connection, client)
            except Exception:  # a failed hand-off drops that connection, never the listener
                self.shutdown_request(connection)

    def close_listener(self) -> None:
        self._closed = True
        with contextlib.suppress(OSError):
            self.socket.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self.server_close()


def _malformed(variant: str) -> Response:
    if variant == "empty":
        return Response(200, b"", {"Content-Type": "application/json"})
    if variant == "non-json":
        return Response(
            200, b"<html><body>Service temporarily degraded</body></html>", {"Content-Type": "text/html"}
        )
    if variant == "truncated":
        return Response(
            200, b'{"stat": "OK", "resp', {"Content-Type": "application/json", "Content-Length": "200"}
        )
    return Response(200, GARBAGE, {"Content-Type": "application/octet-stream"})


def _handler_class(owner: ProviderServer) -> type[wire.Handler]:
    class Handler(wire.Handler):
        server_version = "cas-mfa-mocks"

        def setup(self) -> None:
            try:
                self.request = owner.wrap(self.request)
            except (ssl.SSLError, OSError):
                self.request.close()
                raise
            super().setup()

        def refusal_body(self, status: int, message: str) -> tuple[bytes, str]:
            response = owner.refuse(status, message)
            return response.body, response.headers.get("Content-Type", "application/json")

        def serve(self) -> None:
            try:
                path, query = wire.target(self.path)
                body = wire.read_body(self, wire.body_length(self.headers))
            except wire.Refusal as refusal:
                owner.journal.record("unknown", self.command, self.path[:200], outcome=str(refusal.status))
                self.refuse(refusal)
                return
            request = Request(
                self.command, path, query, Headers(self.headers.items()), body, self.client_address[0]
            )
            effect, response = owner.respond(request)
            owner.wait(effect.delay_ms / 1000)
            if effect.action is Action.HANG:
                owner.wait(effect.seconds)
            if response is None:
                self.close_connection = True
                return
            headers = dict(response.headers)
            content_type = headers.pop("Content-Type", None)
            self.respond(response.status, response.body, content_type, headers)

    return Handler
