"""The HTTP control API (contract 4): health, reset, faults, journals, users and devices.

Every route calls :class:`~mocks.suite.MockSuite`; a bad name or body is a 400 with the reason.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from mocks.httpd import HOST
from mocks.provider import ControlError
from mocks.suite import MockSuite

MAX_BODY = 1 << 20


class ControlServer:
    def __init__(self, suite: MockSuite, port: int = 0) -> None:
        self.suite = suite
        self._server = _Server((HOST, port), _handler(suite))
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


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def dispatch(
    suite: MockSuite, method: str, path: str, query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    parts = [p for p in path.split("/") if p]
    if method == "GET" and parts == ["health"]:
        return 200, suite.health()
    if method == "POST" and parts == ["reset"]:
        suite.reset()
        return 200, {"reset": True}
    if method == "GET" and parts == ["providers"]:
        return 200, suite.describe()
    if len(parts) >= 2 and parts[0] == "providers":
        name, rest = parts[1], parts[2:]
        provider = suite.provider(name)
        if rest == ["fault"] and method == "PUT":
            return 200, suite.set_fault(name, body).as_json()
        if rest == ["fault"] and method == "DELETE":
            endpoints = query.get("endpoint")
            suite.clear_fault(name, endpoints[0] if endpoints else None)
            return 200, {"cleared": True}
        if rest == ["journal"] and method == "GET":
            return 200, suite.journal(name)
        if rest == ["journal"] and method == "DELETE":
            provider.journal.clear()
            return 200, {"cleared": True}
        if rest:
            return provider.control(method, rest, body)
    raise ControlError(
        f"no control operation {method} {path} (see GET /health, POST /reset, "
        "PUT|DELETE /providers/{name}/fault, GET /providers/{name}/journal)"
    )


def _handler(suite: MockSuite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "cas-mfa-mocks-control"
        timeout = 30.0

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            status: int
            payload: Any
            try:
                declared = self.headers.get("Content-Length") or "0"
                if not declared.isdigit():
                    raise ControlError(f"Content-Length '{declared}' is not a length")
                length = int(declared)
                if length > MAX_BODY:
                    raise ControlError(f"body too large (at most {MAX_BODY} bytes)")
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw.strip() else None
                except (json.JSONDecodeError, UnicodeDecodeError) as error:
                    raise ControlError(f"the body is not JSON: {error}") from None
                status, payload = dispatch(suite, self.command, parts.path, parse_qs(parts.query), body)
            except ControlError as error:
                status, payload = 400, {"error": str(error)}
            except Exception as error:  # a control request must always get an answer
                status, payload = 500, {"error": f"{type(error).__name__}: {error}"}
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler
