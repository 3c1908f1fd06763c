"""Run a server as a real subprocess that announces itself with one JSON line on standard output.

Every wait is bounded: the ready line must come within ``timeout`` seconds, and stopping escalates from
SIGTERM to SIGKILL. Standard error goes to a file (never an unread pipe that could fill and block the
server), and every failure quotes it.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
STDERR_TAIL = 4000


class ServerStartError(RuntimeError):
    """The server died or stayed silent before its ready line; the message quotes its stderr."""


@dataclass
class ServerProcess:
    name: str
    process: subprocess.Popen[bytes]
    stderr_path: Path
    ready: Mapping[str, Any] = field(default_factory=dict)

    def stderr(self, tail: int = STDERR_TAIL) -> str:
        try:
            text = self.stderr_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return text if len(text) <= tail else "...\n" + text[-tail:]

    def alive(self) -> bool:
        return self.process.poll() is None

    def describe(self) -> str:
        state = "running" if self.alive() else f"exited with status {self.process.returncode}"
        return f"{self.name} (pid {self.process.pid}, {state}); its stderr:\n{self.stderr() or '(empty)'}"

    def stop(self, grace: float = 10.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(grace)
        if self.process.stdout is not None:
            self.process.stdout.close()


def _read_line(process: subprocess.Popen[bytes], deadline: float) -> bytes | None:
    """The first line of standard output; None if the output ends first, TimeoutError at the deadline."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    buffer = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            if not selector.select(min(remaining, 0.5)):
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                return None
            buffer += chunk
    return buffer.split(b"\n", 1)[0]


def start_server(
    name: str,
    command: Sequence[str],
    stderr_path: Path,
    *,
    timeout: float = 60.0,
    env: Mapping[str, str] | None = None,
    cwd: Path = ROOT,
) -> ServerProcess:
    """Start ``command`` and wait (at most ``timeout`` s) for its JSON ready line."""
    environment = dict(os.environ if env is None else env)
    environment["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), environment.get("PYTHONPATH")) if p)
    environment["PYTHONUNBUFFERED"] = "1"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
    server = ServerProcess(name, process, stderr_path)
    try:
        line = _read_line(process, time.monotonic() + timeout)
    except TimeoutError:
        server.stop()
        raise ServerStartError(
            f"{name} printed no ready line within {timeout:g} s: {server.describe()}"
        ) from None
    if line is None:
        # Its output ended: it is exiting (or closed stdout, which is as bad); give it a moment to finish.
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(5)
        server.stop()
        raise ServerStartError(f"{name} exited before its ready line: {server.describe()}")
    try:
        ready = json.loads(line)
        if not isinstance(ready, dict):
            raise ValueError("not a JSON object")
    except ValueError as error:
        server.stop()
        raise ServerStartError(
            f"{name} printed {line!r} instead of a JSON ready line ({error}): {server.describe()}"
        ) from None
    server.ready = ready
    return server


@contextlib.contextmanager
def loopback_server(
    name: str, command: Sequence[str], stderr_path: Path, *, timeout: float
) -> Iterator[tuple[ServerProcess, str]]:
    """For a session fixture: the started server and its ``cas_url`` on 127.0.0.1, stopped afterwards. A
    server that does not start, or announces no loopback CAS URL, fails the tests that need it, quoting
    its standard error."""
    import pytest  # a test-session helper; the module itself also serves the launchers' tests

    try:
        server = start_server(name, command, stderr_path, timeout=timeout)
    except ServerStartError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        cas_url = server.ready.get("cas_url")
        if not isinstance(cas_url, str) or not cas_url.startswith("http://127.0.0.1:"):
            pytest.fail(f"{name}'s ready line has no loopback cas_url: {server.ready}", pytrace=False)
        yield server, cas_url
    finally:
        server.stop()
