"""``cas-mfa-ref serve`` as a process: the ready line, SIGTERM and SIGINT, a bad profile."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from steps.deployment import Deployment
from tests.server.conftest import start_server, stderr_of, stop_server


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_ready_line_and_clean_stop(tmp_path: Path, sig: int) -> None:
    profile = Deployment(users={"casuser": "Mellon"}).write(tmp_path / "profile")
    process, ready = start_server(profile)
    try:
        assert set(ready) == {"cas_url", "profile"}
        assert ready["profile"] == str(profile.resolve())
        assert ready["cas_url"].startswith("http://127.0.0.1:") and ready["cas_url"].endswith("/cas")
        assert int(ready["cas_url"].rsplit(":", 1)[1].split("/")[0]) > 0
        assert requests.get(f"{ready['cas_url']}/login", timeout=10).status_code == 200
    finally:
        code = stop_server(process, sig)
    assert code == 0
    assert process.stdout is not None and process.stdout.read() == ""  # one line, nothing more
    assert "Traceback" not in stderr_of(process)


def test_bad_profile_is_one_line_and_exit_2(tmp_path: Path) -> None:
    profile = Deployment(users={"casuser": "Mellon"}).write(tmp_path / "profile")
    (profile / "cas.properties").write_text(
        "cas.authn.accept.users=casuser::Mellon\ncas.authn.mfa.core.global-failure-mode=AJAR\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "cas_mfa_ref.cli", "serve", "--profile", str(profile)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cas-mfa-ref: error: ")
    assert "cas.properties:2" in lines[0] and "Traceback" not in done.stderr
