"""The REST endpoints a scenario defines, served on loopback for a CAS the HTTP target drives.

A scenario names endpoints by their public URL (``https://bypass.example.org/mfa``); the target rewrites
those URLs in the profile it writes to ``http://127.0.0.1:<port>/<host>/<path>`` and this server answers
there with the scenario's status and body, recording each call. A URL the scenario gave no answer for
is unreachable, as the public one would be: the connection is closed without a response.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

HOST = "127.0.0.1"
MAX_BODY = 1 << 20


@dataclass(frozen=True)
class Call:
    path: str  # /<host>/<path> as the server saw it
    query: dict[str, list[str]]
    body: bytes


class RestStub:
    """A thread server on loopback: ``answer`` a path, read the ``calls`` made to it."""

    def __init__(self) -> None:
        self._answers: dict[str, tuple[int, str]] = {}
        self._calls: list[Call] = []
        self._lock = threading.Lock()
        self._server = _Server((HOST, 0), _handler(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="rest-stub", daemon=True
        )
        self._thread.start()

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self._server.server_address[1]}"

    def local_url(self, url: str) -> str:
        """Where the public ``url`` is served here (query kept)."""
        parts = urlsplit(url)
        local = f"{self.base}/{parts.netloc}{parts.path or '/'}"
        return f"{local}?{parts.query}" if parts.query else local

    def answer(self, url: str, status: int, body: str = "") -> None:
        with self._lock:
            self._answers[self._key(url)] = (status, body)

    def calls(self, url: str) -> list[Mapping[str, str]]:
        """Each call to ``url``: its query parameters and JSON body fields, as the reference sees them."""
        key = self._key(url)
        found: list[Mapping[str, str]] = []
        with self._lock:
            calls = list(self._calls)
        for call in calls:
            if call.path != key:
                continue
            fields = {name: values[0] for name, values in call.query.items()}
            if call.body:
                try:
                    data = json.loads(call.body)
                except (json.JSONDecodeError, UnicodeDecodeError):
                    data = None
                if isinstance(data, dict):
                    fields.update({k: str(v) for k, v in data.items()})
            found.append(fields)
        return found

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @staticmethod
    def _key(url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https"):
            return f"/{parts.netloc}{parts.path or '/'}"
        return parts.path

    def _serve(self, path: str, query: dict[str, list[str]], body: bytes) -> tuple[int, str] | None:
        with self._lock:
            self._calls.append(Call(path, query, body))
            return self._answers.get(path)


class _Server(ThreadingHTTPServer):
    daemon_threads = True


def _handler(stub: RestStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = 10.0

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _any(self) -> None:
            declared = self.headers.get("Content-Length") or "0"
            length = min(int(declared), MAX_BODY) if declared.isdigit() else 0
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            answer = stub._serve(parts.path, parse_qs(parts.query, keep_blank_values=True), body)
            if answer is None:
                self.close_connection = True  # unreachable: no answer at all
                return
            status, text = answer
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _any

    return Handler
