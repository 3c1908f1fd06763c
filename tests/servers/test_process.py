"""The server launcher helper: a ready line is read, a death or silence fails quickly and quotes stderr."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from tests.servers.process import ServerStartError, start_server


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_the_ready_line_is_read_and_the_server_stopped(tmp_path: Path) -> None:
    code = "import json, time; print(json.dumps({'url': 'x'}), flush=True); time.sleep(60)"
    server = start_server("sleeper", python(code), tmp_path / "err.log", timeout=30)
    assert server.ready == {"url": "x"}
    assert server.alive()
    server.stop(grace=5)
    assert not server.alive()


def test_a_server_that_dies_fails_with_its_stderr(tmp_path: Path) -> None:
    code = "import sys; sys.stderr.write('port already taken\\n'); sys.exit(3)"
    with pytest.raises(
        ServerStartError, match=r"(?s)exited before its ready line.*status 3.*port already taken"
    ):
        start_server("dier", python(code), tmp_path / "err.log", timeout=30)


def test_a_silent_server_fails_within_the_timeout(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(ServerStartError, match="printed no ready line within 1 s"):
        start_server("mute", python("import time; time.sleep(60)"), tmp_path / "err.log", timeout=1)
    assert time.monotonic() - started < 15


def test_a_line_that_is_not_json_fails(tmp_path: Path) -> None:
    code = "import time; print('Serving on port 8000', flush=True); time.sleep(60)"
    with pytest.raises(ServerStartError, match="instead of a JSON ready line"):
        start_server("chatty", python(code), tmp_path / "err.log", timeout=30)
