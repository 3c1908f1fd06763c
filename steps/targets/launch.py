"""Starting ``cas-mfa-mocks serve`` and ``cas-mfa-ref serve`` as real processes for ``--target ref-http``.

Each prints one JSON line when ready; the wait for it is bounded, and a process that dies first is
reported with its standard error. After the ready line, standard output keeps being drained so a chatty
process never blocks on a full pipe.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

READY_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0
STDERR_TAIL = 4000


class LaunchError(Exception):
    """A process that did not come up; the message says which, and what it printed on standard error."""


def command(script: str, module: str) -> list[str]:
    """The console script beside this interpreter (the venv's), else ``python -m module``."""
    beside = Path(sys.executable).parent / script
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which(script)
    return [found] if found else [sys.executable, "-m", module]


class Process:
    """A child process whose first standard-output line is a JSON ready line."""

    def __init__(self, name: str, argv: Sequence[str], timeout: float = READY_TIMEOUT_SECONDS) -> None:
        self.name = name
        self.argv = list(argv)
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the process)
        self._process = subprocess.Popen(
            self.argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            start_new_session=True,
        )
        self.ready = self._read_ready(timeout)
        self._drain = threading.Thread(target=self._discard, name=f"{name}-stdout", daemon=True)
        self._drain.start()

    @property
    def pid(self) -> int:
        return self._process.pid

    def alive(self) -> bool:
        return self._process.poll() is None

    def stderr(self) -> str:
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace")
        return text[-STDERR_TAIL:].strip()

    def check(self) -> None:
        """Raise LaunchError if the process has died since it was ready."""
        if not self.alive():
            raise LaunchError(
                f"{self.name} exited with status {self._process.returncode}: {self.stderr() or '(no stderr)'}"
            )

    def stop(self) -> None:
        if self.alive():
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=STOP_TIMEOUT_SECONDS)
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._stderr.close()

    def _read_ready(self, timeout: float) -> dict[str, Any]:
        stdout = self._process.stdout
        assert stdout is not None
        line: list[bytes] = []
        reader = threading.Thread(target=lambda: line.append(stdout.readline()), daemon=True)
        reader.start()
        deadline = time.monotonic() + timeout
        while reader.is_alive() and time.monotonic() < deadline:
            reader.join(0.05)
            if not line and self._process.poll() is not None:
                reader.join(0.5)
                break
        if not line or not line[0].strip():
            if line:  # end of output: the process is exiting; let it finish so its status is known
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._process.wait(timeout=2)
            alive = self.alive()
            self._kill()
            why = (
                f"printed no ready line within {timeout:g} s"
                if alive
                else (f"exited with status {self._process.returncode} before it was ready")
            )
            raise LaunchError(f"{self.name} ({' '.join(self.argv)}) {why}: {self.stderr() or '(no stderr)'}")
        try:
            ready = json.loads(line[0])
        except json.JSONDecodeError:
            self._kill()
            raise LaunchError(
                f"{self.name}: the ready line is not JSON: {line[0][:200]!r}; stderr: {self.stderr()}"
            ) from None
        if not isinstance(ready, dict):
            self._kill()
            raise LaunchError(f"{self.name}: the ready line is not a JSON object: {line[0][:200]!r}")
        return ready

    def _discard(self) -> None:
        stdout: IO[bytes] | None = self._process.stdout
        try:
            while stdout is not None and stdout.read(65536):
                pass
        except (OSError, ValueError):
            return

    def _kill(self) -> None:
        if self.alive():
            self._process.kill()
            self._process.wait(timeout=STOP_TIMEOUT_SECONDS)
