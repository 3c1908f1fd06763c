"""The reference server's HTTP transport: waitress, with CAS's header names and bounded requests.

waitress (Pylons; maintained) reads every request in one asynchronous loop and hands a worker thread only
a request that has arrived whole, so idle, half-sent and trickling connections hold no thread: a new
login is answered however many slow clients are connected. (cheroot, used before, gives each new
connection a worker thread until its first request is read: 8 idle sockets stalled every login for
cheroot's 10 s timeout.) Three changes to waitress, through its ``channel_class``/``parser_class`` seam
(pinned to the 3.0 series; ``tests/server/test_hardening.py`` fails by name if the seam moves):

- A header whose name holds an underscore is kept, by its exact name, in the environ key
  :data:`UNDERSCORED_HEADERS` (pairs of name and value). waitress drops such headers, and WSGI could not
  tell ``authn_method`` from ``authn-method`` (both ``HTTP_AUTHN_METHOD``); CAS's opt-in trigger reads
  the header ``authn_method``, which Tomcat passes through by that name and no other. Kept apart, such
  a header can neither be merged into nor spoof its hyphenated twin (``X_Forwarded_For``).
- Limits answer with their own status: a request line over :data:`MAX_REQUEST_LINE` bytes gets 414,
  a header block over :data:`MAX_HEADER_BYTES` 431, a body over :data:`MAX_BODY_BYTES` 413, and a
  request still arriving :data:`REQUEST_READ_SECONDS` after its first byte 408 (the clock starts again
  when a request queued behind another on the connection may be read). A connection silent for
  :data:`IDLE_SECONDS` is closed, half a request or not.
- The loop does not poll a connection for writing while a worker runs its request (see
  :meth:`CasChannel.writable`): with 200 connections waitress's loop otherwise spins and starves the
  workers, and 200 concurrent logins took seconds.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import create_server
from waitress.task import WSGITask
from waitress.utilities import BadRequest

__all__ = [
    "BACKLOG",
    "IDLE_SECONDS",
    "MAX_BODY_BYTES",
    "MAX_CONNECTIONS",
    "MAX_HEADER_BYTES",
    "MAX_REQUEST_LINE",
    "REQUEST_READ_SECONDS",
    "THREADS",
    "UNDERSCORED_HEADERS",
    "make_server",
]

MAX_REQUEST_LINE = 8 * 1024  # bytes of "GET /cas/login?service=... HTTP/1.1"; Tomcat's default header buffer
MAX_HEADER_BYTES = 64 * 1024  # the request line and every header
MAX_BODY_BYTES = 256 * 1024  # a login form is a few hundred bytes; a refresh has no body
REQUEST_READ_SECONDS = 10.0  # from a request's first byte to its last
IDLE_SECONDS = 15  # a connection with nothing to say is closed after this
MAX_CONNECTIONS = 4096  # open connections before waitress stops accepting (the kernel queues the rest)
BACKLOG = 1024  # the listen queue: a burst of 200 logins must not overflow it
LOOP_SECONDS = 0.02
THREADS = 4  # workers for whole requests (CAS's engine runs one at a time behind a lock)
UNDERSCORED_HEADERS = "cas_mfa_ref.underscored_headers"  # environ key: ((name, value), ...) as sent
_BLANKS = b" \t"  # the whitespace around a header value (RFC 9110 5.5)
_TOKEN = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # a field name (RFC 9110 5.1)
_FIELD = re.compile(rb"[\t\x20-\x7e\x80-\xff]*")  # a field value: no control characters (RFC 9110 5.5)


class UriTooLong(BadRequest):  # type: ignore[misc]
    code = 414
    reason = "URI Too Long"


class RequestTimeout(BadRequest):  # type: ignore[misc]
    code = 408
    reason = "Request Timeout"


class CasRequestParser(HTTPRequestParser):  # type: ignore[misc]
    """waitress's parser, keeping underscored header names and bounding the request line and time."""

    began: float | None = None

    def received(self, data: bytes) -> int:
        if self.completed:
            return 0
        if self.began is None:
            self.began = time.monotonic()
        if self.body_rcv is None and not self.headers_finished:
            head = (self.header_plus + data).lstrip(b"\r\n")  # blank lines before a request are allowed
            line_end = head.find(b"\r\n")
            if (line_end < 0 and len(head) > MAX_REQUEST_LINE) or line_end > MAX_REQUEST_LINE:
                return self._fail(UriTooLong(f"the request line exceeds {MAX_REQUEST_LINE} bytes"), len(data))
        if time.monotonic() - self.began > REQUEST_READ_SECONDS:
            return self._fail(
                RequestTimeout(f"the request took over {REQUEST_READ_SECONDS:g} s to arrive"), len(data)
            )
        return int(super().received(data))

    def _fail(self, error: BadRequest, consumed: int) -> int:
        self.parse_header(b"GET / HTTP/1.0\r\n")  # what waitress itself parses before answering an error
        self.error = error
        self.completed = True
        return consumed

    def parse_header(self, header_plus: bytes) -> None:
        first, sep, rest = header_plus.partition(b"\r\n")
        kept, self.underscored = _set_apart(rest)
        super().parse_header(first + sep + kept)


def _set_apart(block: bytes) -> tuple[bytes, list[tuple[str, str]]]:
    """The header lines whose names hold no underscore (for waitress), and the others as (name, value),
    a folded continuation line going with the header it continues."""
    kept: list[bytes] = []
    underscored: list[tuple[str, str]] = []
    apart = False
    for line in block.split(b"\r\n"):
        if line[:1] in (b" ", b"\t"):
            if apart:
                held_name, held_value = underscored[-1]
                underscored[-1] = (held_name, held_value + " " + line.strip(_BLANKS).decode("latin-1"))
            else:
                kept.append(line)
            continue
        name, colon, value = line.partition(b":")
        # A malformed line stays with waitress, which refuses the request (400).
        well_formed = _TOKEN.fullmatch(name) is not None and _FIELD.fullmatch(value) is not None
        apart = bool(colon) and b"_" in name and well_formed
        if apart:
            underscored.append((name.decode("latin-1"), value.strip(_BLANKS).decode("latin-1")))
        else:
            kept.append(line)
    return b"\r\n".join(kept), underscored


class CasTask(WSGITask):  # type: ignore[misc]
    def get_environment(self) -> dict[str, Any]:
        environ: dict[str, Any] = super().get_environment()
        environ.setdefault(UNDERSCORED_HEADERS, tuple(getattr(self.request, "underscored", ())))
        return environ


class CasChannel(HTTPChannel):  # type: ignore[misc]
    parser_class = CasRequestParser
    task_class = CasTask

    def service(self) -> None:
        super().service()
        # The next request on this connection could not be read while this one ran: its time starts now.
        pending = self.request
        if isinstance(pending, CasRequestParser) and pending.began is not None:
            pending.began = time.monotonic()

    def writable(self) -> bool:
        # While a worker runs this channel's request, waitress asks to write whatever the worker has
        # buffered, finds the buffer locked by the worker, and asks again at once: the loop spins over
        # every connection and starves the workers of the interpreter (measured: a thousand times more
        # loop turns at 200 connections). The worker flushes and wakes the loop when its request ends, so
        # the loop writes only for channels at rest, or when a large response must drain meanwhile.
        if (
            self.requests
            and not (self.will_close or self.close_when_flushed)
            and self.total_outbufs_len < self.adj.outbuf_high_watermark
        ):
            return False
        return bool(super().writable())


def make_server(application: Any, host: str, port: int) -> Any:
    """A waitress server bound to ``host:port`` (0: ephemeral; see ``effective_port``), not yet running."""
    # "Task queue depth is N" for every request queued behind the workers: noise under load, and its
    # cost falls on the loop that reads requests.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = create_server(
        application,
        host=host,
        port=port,
        threads=THREADS,
        backlog=BACKLOG,
        connection_limit=MAX_CONNECTIONS,
        channel_timeout=IDLE_SECONDS,
        cleanup_interval=1,
        max_request_header_size=MAX_HEADER_BYTES,
        max_request_body_size=MAX_BODY_BYTES,
        ident="cas-mfa-ref",
        asyncore_use_poll=True,  # select() cannot watch more than 1024 sockets
        clear_untrusted_proxy_headers=False,  # the profile names the client-address header CAS reads
    )
    server.channel_class = CasChannel
    # The loop's longest sleep. waitress takes whole seconds here (int), and a response finished while
    # the loop sleeps can wait that long to be noticed on a busy server: a fraction bounds that wait.
    server.adj.asyncore_loop_timeout = LOOP_SECONDS
    return server
