"""The whole feature set over HTTP: the reference server and the mocks as real processes (``ref-http``),
against the in-process reference, through the differential mode users run (``cas-mfa-diff``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_scenario_agrees_in_process_and_over_http(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "steps.differential", "--left", "ref", "--right", "ref-http"]
    run = subprocess.run(
        [*command, "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    right = json.loads((tmp_path / "right.json").read_text())
    verdicts = [s["verdict"] for s in right["scenarios"]]
    assert "fail" not in verdicts
    # Over HTTP only what a browser cannot do is not applicable (a Google Authenticator token, the
    # servlet session's attributes): every other scenario passes.
    assert verdicts.count("pass") >= 500, f"{verdicts.count('pass')} passed over HTTP"
    not_applicable = {s["capability"] for s in right["scenarios"] if s["verdict"] == "not-applicable"}
    assert not_applicable <= {"mfa-token", "session-attribute"}, not_applicable
