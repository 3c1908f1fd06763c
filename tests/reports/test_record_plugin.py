"""The record, the JUnit properties and known deviations, through pytester as a user's run would."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from steps.requirements import requirements
from tests.reports.suite import by_name, make_suite, run_with_record


def test_each_scenario_gets_its_verdict_and_each_requirement_its_rollup(pytester: pytest.Pytester) -> None:
    make_suite(pytester)
    result, record = run_with_record(pytester, "--known-deviations", "deviations.toml", "--junitxml", "j.xml")
    result.assert_outcomes(passed=2, failed=1, skipped=1, xfailed=1)
    scenarios = by_name(record)
    closed = scenarios["<mode> when down"]
    assert (closed["verdict"], closed["example"], closed["feature"]) == (
        "pass",
        {"mode": "CLOSED"},
        "features/tiny.feature",
    )
    assert closed["id"].endswith("[CLOSED]") and closed["requirements"] == ["FM-06"]
    wrong = scenarios["a deliberately wrong expectation"]
    assert wrong["verdict"] == "fail" and wrong["reason"].startswith(
        "AssertionError: expected the YubiKey form"
    )
    known = scenarios["a deviation we know about"]
    assert (known["verdict"], known["reason"]) == ("known-deviation", "this CAS asks for the factor anyway")
    sso = scenarios["needs an SSO session"]
    assert (sso["verdict"], sso["capability"]) == ("not-applicable", "sso")
    assert sso["reason"].startswith("target 'ref' lacks capability 'sso'")

    rows = record["requirements"]
    assert {rid: rows[rid]["verdict"] for rid in ("FM-06", "FM-07", "BY-02", "BY-08", "PR-03")} == {
        "FM-06": "pass",  # a pass and a not applicable
        "FM-07": "pass",
        "BY-02": "fail",
        "BY-08": "known-deviation",
        "PR-03": "known-deviation",  # a known deviation and a not applicable
    }
    assert rows["FM-06"]["scenarios"] == [closed["id"], sso["id"]]
    assert rows["FM-06"]["section"] == "Failure modes (FM)"
    assert record["unchecked"] == [
        rid for rid in requirements() if rid not in {"FM-06", "FM-07", "BY-02", "BY-08", "PR-03"}
    ]
    assert rows["FM-01"]["verdict"] is None
    counts = record["run"]["counts"]
    assert counts["scenarios"] == {
        "pass": 2,
        "fail": 1,
        "known-deviation": 1,
        "not-applicable": 1,
        "total": 5,
    }
    assert counts["requirements"]["unchecked"] == len(requirements()) - 5
    assert (record["run"]["target"], record["run"]["faker_seed"]) == ("ref", 4169)

    properties = {
        case.get("name"): [(p.get("name"), p.get("value")) for p in case.iter("property")]
        for case in ET.parse(pytester.path / "j.xml").iter("testcase")
    }
    assert properties["test_needs_an_sso_session"] == [
        ("requirement", "FM-06"),
        ("requirement", "PR-03"),
        ("verdict", "not-applicable"),
        ("not_applicable", "sso"),
    ]
    assert ("known_deviation", "this CAS asks for the factor anyway") in properties[
        "test_a_deviation_we_know_about"
    ]
    assert ("verdict", "fail") in properties["test_a_deliberately_wrong_expectation"]


def test_the_record_holds_what_the_target_observed_with_placeholders(pytester: pytest.Pytester) -> None:
    make_suite(pytester)
    _, record = run_with_record(pytester, "-k", "open_when_down")
    (scenario,) = record["scenarios"]
    calls = [entry["call"] for entry in scenario["observations"]]
    assert {"set_provider_available", "deploy"} <= set(calls) and calls[-1] == "login"
    login = scenario["observations"][-1]
    assert login["args"][0]["service"] == "https://app.example.org"
    assert login["result"]["view"] == "redirect-with-ticket"
    assert login["result"]["ticket"] == "<ticket-1>"


def test_the_page_shows_every_requirement_and_loads_nothing_from_outside(pytester: pytest.Pytester) -> None:
    make_suite(pytester)
    run_with_record(pytester, "--known-deviations", "deviations.toml")
    page = (pytester.path / "record.html").read_text(encoding="utf-8")
    shown = set(re.findall(r'id="([A-Z]{2}-\d{2})"', page))
    assert shown == set(requirements())
    assert not re.search(r"<script|<link|<img|src=|@import|url\(", page)
    assert "this CAS asks for the factor anyway" in page and "lacks capability" in page


def test_a_known_deviation_that_no_longer_reproduces_fails_loudly(pytester: pytest.Pytester) -> None:
    make_suite(pytester, deviations='[[deviation]]\nrequirement = "FM-07"\nreason = "OPEN is broken"\n')
    result, record = run_with_record(pytester, "--known-deviations", "deviations.toml", "-m", "FM-07")
    result.assert_outcomes(failed=1, deselected=4)
    result.stdout.fnmatch_lines(["*known deviation no longer reproduces: remove it from deviations.toml*"])
    (scenario,) = record["scenarios"]
    assert scenario["verdict"] == "fail"
    assert scenario["reason"] == (
        "known deviation no longer reproduces: remove it from deviations.toml (deviation 1: OPEN is broken)"
    )


def test_a_bad_deviation_file_is_one_line_naming_file_and_entry(pytester: pytest.Pytester) -> None:
    make_suite(pytester, deviations='[[deviation]]\nreason = "x"\n\n[[deviation]]\nscenario = "s"\n')
    result = pytester.runpytest_subprocess("--known-deviations", "deviations.toml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.stderr.lines if line.strip()]
    assert errors == [
        "ERROR: known deviations: deviations.toml: deviation 1: give exactly one of 'scenario' or 'requirement'"
    ]
