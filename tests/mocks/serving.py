"""``cas-mfa-mocks serve`` as a process for the tests: started, its ready line read within a bounded wait,
and stopped; or a start that must fail, with what it printed."""

from __future__ import annotations

import json
import select
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

READY_TIMEOUT = 30
COMMAND = [sys.executable, "-m", "mocks.cli", "serve"]


def ready_line(process: subprocess.Popen[str]) -> dict[str, Any]:
    """The first line the server prints, waited for at most READY_TIMEOUT seconds."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], READY_TIMEOUT)
    assert ready, f"no ready line within {READY_TIMEOUT} s"
    line = process.stdout.readline()
    assert line, f"the server exited without a ready line (code {process.poll()})"
    result: dict[str, Any] = json.loads(line)
    return result


@contextmanager
def serving(
    *options: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[dict[str, Any]]:
    """The mocks running with these options; their ready line."""
    process = subprocess.Popen(
        [*COMMAND, *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=env
    )
    try:
        yield ready_line(process)
    finally:
        process.terminate()
        process.wait(timeout=10)


def refused(*options: str) -> subprocess.CompletedProcess[str]:
    """A start that is expected to stop before serving: its exit code and output."""
    return subprocess.run([*COMMAND, *options], capture_output=True, text=True, timeout=30, check=False)
