"""HTTP/1.x hygiene shared by the provider servers and the control API: how a request's body is framed and
read, what a refused request is answered, and how a connection is let go.

The bounds are promises to operators:

- ``READ_TIMEOUT`` (5 s): the longest the server waits for a request's head, and then for its whole body.
  A body that has not all arrived by then (its Content-Length promised more) is answered 400.
- ``MAX_BODY`` (1 MiB): a longer body is answered 413 (RFC 9110 §15.5.14) without being read in.
- ``LINGER_SECONDS`` (2 s): after refusing a body it did not read, the server half-closes and drains what
  the client is still sending, so the client reads the answer rather than a reset (RFC 9112 §9.6).

Every refusal has a body (JSON unless a provider speaks otherwise), a method a route does not take is a
405 with ``Allow`` (RFC 9110 §15.5.6), and a client that vanishes mid-request is nobody's error: no
traceback is printed for it.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import ssl
import sys
import time
from collections.abc import Iterable
from email.message import Message
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

READ_TIMEOUT = 5.0
MAX_BODY = 1 << 20
LINGER_SECONDS = 2.0
LINGER_BYTES = 16 << 20  # a client still sending after this much is cut off: the answer was sent anyway

# The methods of RFC 9110 §9 and PATCH (RFC 5789): known here, so a route that does not take one answers
# 405. Any other token is a method this server does not recognise at all: 501 (RFC 9110 §15.6.2).
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 §5.6.2
_DIGITS = re.compile(r"[0-9]+")  # ASCII digits only: str.isdigit() also takes '²' and '٣'
_MAX_LENGTH_DIGITS = 15  # longer is "too large" before int() is asked (it refuses 4300+ digits)
DISCONNECTS = (ConnectionError, TimeoutError, ssl.SSLError)


class Refusal(Exception):
    """A request answered with a 4xx before it reaches a route; ``message`` says what is wrong."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def allow(methods: Iterable[str]) -> str:
    """The ``Allow`` value for these methods; HEAD goes with GET (RFC 9110 §9.3.2)."""
    names = set(methods)
    if "GET" in names:
        names.add("HEAD")
    return ", ".join(m for m in METHODS if m in names)


def target(path: str) -> tuple[str, dict[str, list[str]]]:
    """The path and query of a request target, or a 400 if it cannot be split (``http://[::1``)."""
    try:
        parts = urlsplit(path)
    except ValueError as error:
        raise Refusal(400, f"the request target is not a URL path: {error}") from None
    return parts.path, parse_qs(parts.query, keep_blank_values=True)


def body_length(headers: Message) -> int:
    """The body's length from Content-Length (RFC 9112 §6.3), or the refusal a bad one gets."""
    if headers.get("Transfer-Encoding") is not None:
        # http.server cannot read chunked bodies; a 411 says how to send one it can (RFC 9110 §15.5.12).
        raise Refusal(411, "Transfer-Encoding is not supported here: send the body with a Content-Length")
    values = {v.strip() for v in headers.get_all("Content-Length") or []}
    if not values:
        return 0
    if len(values) > 1:
        # RFC 9112 §6.3 (5): conflicting lengths leave the framing unknowable.
        raise Refusal(400, "Content-Length is given more than once, with different values")
    text = values.pop()
    if not _DIGITS.fullmatch(text):
        raise Refusal(400, f"Content-Length {text[:40]!r} is not a length (ASCII digits only)")
    if len(text) > _MAX_LENGTH_DIGITS or int(text) > MAX_BODY:
        raise Refusal(
            413, f"the body is larger than the limit of {MAX_BODY} bytes (Content-Length {text[:40]})"
        )
    return int(text)


def read_body(handler: BaseHTTPRequestHandler, length: int, timeout: float | None = None) -> bytes:
    """Exactly ``length`` bytes, all received within ``timeout`` seconds (READ_TIMEOUT), or a 400: a slow
    drip cannot hold the reading thread longer than that, whatever each single read waits."""
    timeout = READ_TIMEOUT if timeout is None else timeout
    deadline = time.monotonic() + timeout
    parts: list[bytes] = []
    received = 0
    while received < length:
        left = deadline - time.monotonic()
        chunk = b""
        if left > 0:
            try:
                handler.connection.settimeout(left)
                chunk = handler.rfile.read1(length - received)
            except (TimeoutError, OSError):
                chunk = b""
        if not chunk:
            raise Refusal(
                400,
                f"the body ended after {received} of the {length} bytes its Content-Length announced "
                f"(the server waits at most {timeout:g} s for a body)",
            )
        parts.append(chunk)
        received += len(chunk)
    return b"".join(parts)


def linger(handler: BaseHTTPRequestHandler) -> None:
    """Half-close, then drain and drop what the client still sends, for a bounded time: closing with unread
    bytes would reset the connection and could destroy the answer before the client reads it (RFC 9112 §9.6).
    """
    connection = handler.connection
    deadline = time.monotonic() + LINGER_SECONDS
    drained = 0
    with contextlib.suppress(OSError):
        handler.wfile.flush()
        connection.shutdown(socket.SHUT_WR)
        while drained < LINGER_BYTES:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            connection.settimeout(left)
            chunk = connection.recv(65536)
            if not chunk:
                return
            drained += len(chunk)


class QuietServer(ThreadingHTTPServer):
    """A threading HTTP server for which a client that vanished, or timed out, is not an error to print."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # socketserver's 5 drops the SYNs of a burst: each costs the client 1 s

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], DISCONNECTS):
            return
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    """One request per connection (HTTP/1.0), every known method to :meth:`serve`, refusals in JSON."""

    timeout = READ_TIMEOUT  # for the request line and the headers (socketserver sets it on the socket)

    def serve(self) -> None:
        """Answer the request; each server's handler class (the control API, each provider) defines it."""
        raise NotImplementedError(f"{type(self).__name__} answers no request: it defines no serve()")

    def refusal_body(self, status: int, message: str) -> tuple[bytes, str]:
        """The body and Content-Type of a refusal; a provider may answer in its vendor's shape."""
        return _json_error(message), "application/json"

    def log_message(self, format: str, *args: Any) -> None:
        return  # the journal and the control API say what happened; stderr stays quiet

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if not _TOKEN.fullmatch(self.command):
            self.send_error(400, f"{self.command[:40]!r} is not a method token")
            return False
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (bad request line, header too long, unknown method) as JSON."""
        self.close_connection = True
        # http.server answers an unparsable request line as HTTP/0.9, with no status line at all; nobody
        # speaks 0.9 any more, and a status line tells the sender of garbage what went wrong.
        self.request_version = "HTTP/1.0"
        body, content_type = self.refusal_body(code, message or explain or _phrase(code))
        self.respond(code, body, content_type, {"Connection": "close"})

    def respond(self, status: int, body: bytes, content_type: str | None, headers: dict[str, str]) -> None:
        """Write one answer; no body to a HEAD (RFC 9110 §9.3.2); a client gone meanwhile is let go."""
        fields = {"Content-Length": str(len(body))}
        if content_type:
            fields["Content-Type"] = content_type
        fields.update(headers)
        try:
            self.connection.settimeout(READ_TIMEOUT)  # a client that stops reading is let go too
            self.send_response(status)
            for name, value in fields.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD" and status >= 200 and status not in (204, 304):
                self.wfile.write(body)
        except OSError:
            self.close_connection = True

    def refuse(self, refusal: Refusal) -> None:
        """Answer a refusal raised before the body was read, then drain it (see :func:`linger`)."""
        self.close_connection = True
        body, content_type = self.refusal_body(refusal.status, refusal.message)
        self.respond(refusal.status, body, content_type, {"Connection": "close", **refusal.headers})
        linger(self)

    def _known_method(self) -> None:
        self.serve()

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _known_method
    do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _known_method


def _json_error(message: str) -> bytes:
    return json.dumps({"error": message}).encode()


def _phrase(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "Error"
