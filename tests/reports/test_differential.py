"""``cas-mfa-diff`` end to end: two real pytest runs of the suite, then their comparison."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from steps.differential import main

ROOT = Path(__file__).resolve().parents[2]


def test_two_runs_on_the_same_target_agree_despite_different_tickets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "diff"
    assert (
        main(["--left", "ref", "--right", "ref", "--out", str(out), "--", "-m", "FM-13 or BY-10", "-q"]) == 0
    )
    text = capsys.readouterr().out
    assert f"records, pages and logs in {out}" in text
    left = json.loads((out / "left.json").read_text(encoding="utf-8"))
    assert left["scenarios"] and all(scenario["verdict"] == "pass" for scenario in left["scenarios"])
    assert any("<ticket-1>" in json.dumps(scenario["observations"]) for scenario in left["scenarios"])
    assert (out / "right.html").is_file() and (out / "left.log").is_file()
    assert f"{len(left['scenarios'])} agree, 0 disagree" in text


def test_a_run_that_cannot_start_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["--right", "no-such-target", "--out", str(tmp_path), "--", "-m", "FM-13"]) == 2
    assert "the right run did not complete (pytest exit 4" in capsys.readouterr().err
