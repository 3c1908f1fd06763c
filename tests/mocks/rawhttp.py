"""Requests written byte by byte, as a hostile or broken client would send them, and their answers read
without an HTTP library's forgiveness: for the tests of the mocks' HTTP hygiene."""

from __future__ import annotations

import json
import os
import socket
import ssl
import struct
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from tests.mocks.serving import COMMAND, ready_line

TIMEOUT = 15.0


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


def request(
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    *,
    length: bool = True,
) -> bytes:
    """A request's bytes; ``Content-Length`` is the body's unless ``headers`` or ``length`` say otherwise."""
    fields = {"Host": "127.0.0.1", **(headers or {})}
    if length and body and not any(k.lower() == "content-length" for k in fields):
        fields["Content-Length"] = str(len(body))
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields.items()) + "\r\n"
    return head.encode("latin-1") + body


def exchange(
    port: int,
    data: bytes,
    *,
    half_close: bool = False,
    tls: ssl.SSLContext | None = None,
    timeout: float = TIMEOUT,
) -> Answer:
    """Send ``data`` (half-closing after it when asked) and read the whole answer until the server closes."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as raw:
        connection = tls.wrap_socket(raw, server_hostname="localhost") if tls else raw
        try:
            connection.sendall(data)
            if half_close:
                raw.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may refuse before it has read everything; its answer is still owed
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
        except (ConnectionResetError, ssl.SSLError):
            pass
    return parse(received, time.monotonic() - started)


def parse(received: bytes, seconds: float = 0.0) -> Answer:
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines[0].startswith("HTTP/") else 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Answer(status, headers, body, seconds)


def reset_close(port: int, data: bytes) -> None:
    """Send part of a request and vanish with a reset (SO_LINGER 0), as a killed client does."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.sendall(data)
    connection.close()


@contextmanager
def served_with_stderr(
    directory: Path, *options: str, umask: int | None = None
) -> Iterator[tuple[dict[str, Any], Path]]:
    """``cas-mfa-mocks serve`` with its stderr kept in a file, so a test can say what it printed."""
    stderr = directory / "stderr.txt"
    with stderr.open("w") as sink:
        process = subprocess.Popen(
            [*COMMAND, *options],
            stdout=subprocess.PIPE,
            stderr=sink,
            text=True,
            preexec_fn=None if umask is None else partial(os.umask, umask),
        )
        try:
            yield ready_line(process), stderr
        finally:
            process.terminate()
            process.wait(timeout=10)


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/", 1)[0])
