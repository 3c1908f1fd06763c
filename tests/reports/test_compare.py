"""Comparing two conformance records, and ``cas-mfa-diff --compare``."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from steps.differential import main
from steps.reports.compare import compare, render

LOGIN = {
    "call": "login",
    "args": [{"username": "casuser", "service": "https://app.example.org"}],
    "result": {"view": "mfa-unavailable", "status": 200, "ticket": None, "provider": "mfa-yubikey"},
}
FAILURE_MODE = {"call": "failure_mode_applied", "args": [], "result": ["CLOSED", "service"]}


def scenario(nodeid: str, verdict: str = "pass", **fields: Any) -> dict[str, Any]:
    return {
        "id": nodeid,
        "scenario": nodeid,
        "verdict": verdict,
        "reason": None,
        "observations": [LOGIN],
    } | fields


def record(target: str, *scenarios: dict[str, Any]) -> dict[str, Any]:
    return {"format": "cas-mfa-conformance-record/1", "run": {"target": target}, "scenarios": list(scenarios)}


LEFT = record("ref", scenario("t::a"), scenario("t::b", observations=[LOGIN, FAILURE_MODE]))


def test_the_same_verdicts_and_observations_agree() -> None:
    right = copy.deepcopy(LEFT)
    right["run"]["target"] = "http"
    right["scenarios"][1]["observations"][1]["result"] = None  # the HTTP target cannot tell the mode
    right["scenarios"][0]["observations"][0]["result"]["provider"] = None  # nor the provider of the page
    comparison = compare(LEFT, right)
    assert comparison.agree and comparison.agreeing == 2
    assert render(comparison).startswith("ref vs http: 2 scenarios; 2 agree, 0 disagree")


def test_a_different_verdict_disagrees() -> None:
    right = record("http", scenario("t::a", "fail", reason="AssertionError: expected"), LEFT["scenarios"][1])
    comparison = compare(LEFT, right)
    assert not comparison.agree and [pair.id for pair in comparison.disagreeing] == ["t::a"]
    assert "DISAGREE (verdict) t::a" in render(comparison)
    assert "http: fail (AssertionError: expected)" in render(comparison)


def test_a_different_observation_disagrees_and_both_are_shown() -> None:
    seen = copy.deepcopy(LOGIN)
    seen["result"] = {
        "view": "redirect-with-ticket",
        "status": 302,
        "ticket": "<ticket-1>",
        "provider": "mfa-duo",
    }
    right = record("http", scenario("t::a", observations=[seen]), LEFT["scenarios"][1])
    comparison = compare(LEFT, right)
    assert [pair.id for pair in comparison.disagreeing] == ["t::a"]
    text = render(comparison)
    assert "DISAGREE (observations) t::a" in text
    assert (
        '  ref  : {"view": "mfa-unavailable", "status": 200, "ticket": null, "provider": "mfa-yubikey"}'
        in text
    )
    assert (
        '  http : {"view": "redirect-with-ticket", "status": 302, "ticket": "<ticket-1>", "provider": "mfa-duo"}'
        in text
    )
    assert 'view: "mfa-unavailable" | "redirect-with-ticket"' in text
    assert 'ticket: null | "<ticket-1>"' in text


def test_a_scenario_applicable_on_one_side_only_is_listed_apart() -> None:
    na = scenario("t::b", "not-applicable", reason="target 'http' lacks capability 'sso'", observations=[])
    comparison = compare(LEFT, record("http", LEFT["scenarios"][0], na))
    assert comparison.agree and [pair.id for pair in comparison.one_sided] == ["t::b"]
    assert "APPLICABLE ON ONE SIDE ONLY\n  t::b" in render(comparison)
    both = compare(record("ref", na), record("http", na))
    assert both.agree and both.agreeing == 1 and not both.one_sided


def test_a_scenario_in_one_record_only_disagrees() -> None:
    comparison = compare(LEFT, record("http", LEFT["scenarios"][0]))
    assert not comparison.agree and [pair.id for pair in comparison.missing] == ["t::b"]


def write(tmp_path: Path, name: str, content: Any) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def test_the_command_exits_0_when_they_agree_and_1_when_they_disagree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    left = write(tmp_path, "left.json", LEFT)
    assert main(["--compare", left, write(tmp_path, "same.json", LEFT)]) == 0
    other = record("http", scenario("t::a", "fail"), LEFT["scenarios"][1])
    assert main(["--compare", left, write(tmp_path, "other.json", other)]) == 1
    assert "DISAGREE (verdict) t::a" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "right.json: not JSON"),
        ({"scenarios": []}, "right.json: not a conformance record"),
        (
            {"format": "cas-mfa-conformance-record/1", "scenarios": [{"id": "x"}]},
            '"scenarios" must be a list',
        ),
    ],
)
def test_a_bad_record_exits_2_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: Any, message: str
) -> None:
    assert (
        main(["--compare", write(tmp_path, "left.json", LEFT), write(tmp_path, "right.json", content)]) == 2
    )
    assert message in capsys.readouterr().err


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--left", "ref"])
    assert raised.value.code == 2 and "give --right TARGET" in capsys.readouterr().err
