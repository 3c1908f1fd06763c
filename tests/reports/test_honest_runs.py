"""Honest runs: every report names what the run was pointed at, a failed scenario shows its HTTP exchanges
(secrets redacted), and not-applicable scenarios read as one line per reason."""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest

from steps.reports.failures import REDACTED, exchange_entries
from steps.reports.html_page import render
from steps.reports.not_applicable import groups, summary
from steps.reports.record import ScenarioResult, build_record
from steps.reports.scenario import ScenarioInfo
from steps.reports.verdicts import Outcome
from steps.targets.base import Exchange
from tests.reports.suite import CONFTEST, by_name, make_suite, run_with_record

# Nothing listens on port 9 (discard), and no scenario gets that far: the file declares no capability, so
# every scenario of the tiny suite is not applicable before it reaches the network. The preflight, which
# would stop the run there (tests/http_target checks it), is left out.
TARGET_FILE = 'cas-url = "http://127.0.0.1:9/cas"\n'
NO_PREFLIGHT = CONFTEST + "\nimport steps.plugin\n\nsteps.plugin.preflight = lambda target_file: []\n"

# The reference, made to answer exchanges() as an HTTP target would; one that forgot to redact the password.
LEAKY = (
    CONFTEST
    + """
from steps.targets.base import Exchange

def _exchanges(self):
    return (
        Exchange("GET", "https://cas.example.org/cas/login?service=https%3A%2F%2Fapp.example.org", 200, {},
                 "<title>CAS - Log In</title>"),
        Exchange("POST", "https://cas.example.org/cas/login", 302,
                 {"username": "casuser", "password": "Mellon-9f3a", "execution": "e1s1"},
                 "https://app.example.org/?ticket=ST-1-abc"),
        Exchange("GET", "https://cas.example.org/cas/mfa", None, {}, "connection refused"),
    )

ReferenceTarget.exchanges = _exchanges
"""
)

# One capability tag per scenario: a scenario missing several is skipped naming any one of them (pytest-bdd
# holds tags in a set), which would make the groups vary from run to run.
ONE_NEED_EACH = """
Feature: scenarios that each need one capability

  @FM-06 @needs:provider-outage
  Scenario Outline: <mode> when down
    Given the application https://app.example.org requires mfa-yubikey with failure mode <mode>
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    Then the "MFA Provider Unavailable" page is shown

    Examples:
      | mode   |
      | CLOSED |
      | OPEN   |

  @FM-07 @needs:provider-outage
  Scenario: open when down lets the ticket through
    Given the application https://app.example.org requires mfa-yubikey with failure mode OPEN
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    Then CAS issues a service ticket

  @PR-03 @needs:sso
  Scenario: needs an SSO session
    Given the application https://app.example.org requires mfa-yubikey
    When casuser logs in to https://app.example.org
    Then CAS asks for the YubiKey factor
"""


def test_a_target_file_run_names_its_cas_url_and_digest_in_every_report(pytester: pytest.Pytester) -> None:
    make_suite(pytester, conftest=NO_PREFLIGHT)
    (pytester.path / "target.toml").write_text(TARGET_FILE)
    digest = hashlib.sha256(TARGET_FILE.encode()).hexdigest()
    result, record = run_with_record(
        pytester, "--target", "http", "--target-config", "target.toml", "--junitxml", "j.xml"
    )
    result.assert_outcomes(skipped=5)
    run = record["run"]
    assert (run["target"], run["cas_url"], run["target_file"], run["target_file_sha256"]) == (
        "http",
        "http://127.0.0.1:9/cas",
        "target.toml",
        digest,
    )
    suite = next(ET.parse(pytester.path / "j.xml").iter("testsuite"))
    properties = {p.get("name"): p.get("value") for p in suite.findall("properties/property")}
    assert properties == {
        "target": "http",
        "cas_url": "http://127.0.0.1:9/cas",
        "target_file": "target.toml",
        "target_file_sha256": digest,
    }
    header = re.search(r'<p class="meta">(.*?)</p>', (pytester.path / "record.html").read_text())
    assert header is not None
    assert "http://127.0.0.1:9/cas" in header.group(1) and digest in header.group(1)
    assert "target.toml" in header.group(1)
    result.stdout.fnmatch_lines(
        [
            f"conformance run: target http, CAS http://127.0.0.1:9/cas, target file target.toml (sha256 {digest[:12]})"
        ]
    )


def test_an_in_process_run_names_no_cas_and_prints_no_run_line(pytester: pytest.Pytester) -> None:
    make_suite(pytester)
    result, record = run_with_record(pytester, "-k", "open_when_down", "--junitxml", "j.xml")
    run = record["run"]
    assert (run["target"], run["cas_url"], run["target_file"], run["target_file_sha256"]) == (
        "ref",
        None,
        None,
        None,
    )
    suite = next(ET.parse(pytester.path / "j.xml").iter("testsuite"))
    assert {p.get("name"): p.get("value") for p in suite.findall("properties/property")} == {"target": "ref"}
    assert "conformance run:" not in result.stdout.str()


def test_a_failed_scenario_shows_its_step_and_exchanges_with_secrets_redacted(
    pytester: pytest.Pytester,
) -> None:
    make_suite(pytester, conftest=LEAKY)
    result, record = run_with_record(
        pytester,
        "-k",
        "deliberately_wrong or open_when_down or know_about",
        "--known-deviations",
        "deviations.toml",
    )
    result.assert_outcomes(passed=1, failed=1, xfailed=1)
    scenarios = by_name(record)
    failed = scenarios["a deliberately wrong expectation"]
    assert failed["failed_step"] == "Then CAS asks for the YubiKey factor"
    assert [(e["method"], e["status"]) for e in failed["exchanges"]] == [
        ("GET", 200),
        ("POST", 302),
        ("GET", None),
    ]
    assert failed["exchanges"][1]["sent"] == {
        "username": "casuser",
        "password": REDACTED,
        "execution": "e1s1",
    }
    passed = scenarios["open when down lets the ticket through"]
    assert (passed["failed_step"], passed["exchanges"]) == (None, [])
    known = scenarios["a deviation we know about"]  # its step fails as expected: nothing to show
    assert (known["verdict"], known["failed_step"], known["exchanges"]) == ("known-deviation", None, [])
    assert "exchanges" not in {entry["call"] for entry in failed["observations"]}  # not an observation

    page = (pytester.path / "record.html").read_text(encoding="utf-8")
    assert "Mellon-9f3a" not in page and "Mellon-9f3a" not in (pytester.path / "record.json").read_text()
    item = re.search(r'<li class="v-fail">.*?</li>', page, re.DOTALL)
    assert item is not None
    shown = item.group(0)
    assert "a deliberately wrong expectation" in shown
    assert "failed at <b>Then CAS asks for the YubiKey factor</b>" in shown
    assert "expected the YubiKey form" in shown  # the failure message beside the step
    assert shown.count("<tr>") == 4  # a heading and one row per exchange
    assert f"password={REDACTED}" in shown and "username=casuser" in shown
    assert "POST https://cas.example.org/cas/login" in shown and "connection refused" in shown


def test_over_http_a_failed_scenario_carries_the_real_exchanges_and_the_servers_url(
    pytester: pytest.Pytester,
) -> None:
    make_suite(pytester)
    result, record = run_with_record(pytester, "--target", "ref-http", "-k", "deliberately_wrong")
    result.assert_outcomes(failed=1)
    run = record["run"]
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/cas", run["cas_url"])
    assert run["target_file"].endswith("target.toml") and len(run["target_file_sha256"]) == 64
    (failed,) = record["scenarios"]
    assert failed["failed_step"] == "Then CAS asks for the YubiKey factor"
    posts = [exchange for exchange in failed["exchanges"] if exchange["method"] == "POST"]
    assert posts and all(exchange["url"].startswith(run["cas_url"]) for exchange in failed["exchanges"])
    assert posts[0]["sent"]["password"] == REDACTED
    page = (pytester.path / "record.html").read_text(encoding="utf-8")
    assert f"password={REDACTED}" in page and "Mellon" not in page  # the suite's default password


def test_the_report_redacts_fields_named_like_secrets_even_when_the_target_did_not() -> None:
    sent = {"username": "u", "Password": "p", "otp": "1", "passcode": "2", "token": "3", "gauthCode": "4"}
    (entry,) = exchange_entries([Exchange("POST", "https://cas/login", 200, sent | {"client_secret": "5"})])
    assert entry["sent"] == {
        name: "u" if name == "username" else REDACTED for name in (*sent, "client_secret")
    }


def test_not_applicable_scenarios_are_one_line_per_reason_with_their_count(pytester: pytest.Pytester) -> None:
    make_suite(pytester, feature=ONE_NEED_EACH, conftest=NO_PREFLIGHT)
    (pytester.path / "target.toml").write_text(TARGET_FILE)
    _, record = run_with_record(pytester, "--target", "http", "--target-config", "target.toml")
    assert record["not_applicable"] == [
        {
            "reason": "target 'http' lacks capability 'provider-outage' (make an MFA provider unavailable on demand)",
            "capability": "provider-outage",
            "count": 3,
        },
        {
            "reason": "target 'http' lacks capability 'sso' (return to CAS in the same browser, with its SSO session)",
            "capability": "sso",
            "count": 1,
        },
    ]
    assert [scenario["verdict"] for scenario in record["scenarios"]] == ["not-applicable"] * 4  # still each

    page = (pytester.path / "record.html").read_text(encoding="utf-8")
    section = re.search(r'<section class="na">(.*?)</section>', page, re.DOTALL)
    assert section is not None
    lines = re.findall(
        r'<span class="badge"[^>]*>(\d+)</span><span class="reason">([^<]*)</span>', section.group(1)
    )
    assert [(count, unescape(reason).split(" (")[0]) for count, reason in lines] == [
        ("3", "not applicable: target 'http' lacks capability 'provider-outage'"),
        ("1", "not applicable: target 'http' lacks capability 'sso'"),
    ]
    outage = section.group(1).split("</details>")[0]
    assert outage.count("<li>") == 3
    assert "open when down lets the ticket through" in outage and "[mode=OPEN]" in outage
    # Nor one by one under the requirements: FM-06's two outage scenarios are one line.
    fm06 = re.search(r'<details class="req [^"]*" id="FM-06">(.*?)</ul></details></li></ul>', page, re.DOTALL)
    assert fm06 is not None and fm06.group(1).count('<li class="group') == 1
    assert '<li class="v-not-applicable">' not in page  # how a scenario listed on its own begins


def test_reasons_that_name_one_scenario_group_by_what_comes_before_the_parenthesis() -> None:
    lacks = "target 'http' lacks capability 'deployment-profile'"
    scenarios = [
        {
            "id": "a",
            "verdict": "not-applicable",
            "capability": "deployment-profile",
            "reason": f"{lacks} (loaded profile group 0123456789ab; this scenario's profile is group 3fa2b9c1d0e4)",
        },
        {
            "id": "b",
            "verdict": "not-applicable",
            "capability": "deployment-profile",
            "reason": f"{lacks} (loaded profile group 0123456789ab; this scenario's profile is group 77aa00bb11cc)",
        },
        {"id": "c", "verdict": "not-applicable", "capability": None, "reason": None},
        {"id": "d", "verdict": "fail", "reason": f"{lacks} (not counted: it failed)"},
    ]
    assert summary(scenarios) == [
        {"reason": lacks, "capability": "deployment-profile", "count": 2},
        {"reason": "no reason given", "capability": None, "count": 1},
    ]
    first = groups(scenarios)[0]
    assert [first.detail(scenario) for scenario in first.scenarios] == [
        "(loaded profile group 0123456789ab; this scenario's profile is group 3fa2b9c1d0e4)",
        "(loaded profile group 0123456789ab; this scenario's profile is group 77aa00bb11cc)",
    ]


def test_the_page_redacts_again_a_record_written_elsewhere() -> None:
    leaked = {"method": "POST", "url": "https://cas/login", "status": 401, "sent": {"j_password": "hunter2"}}
    result = ScenarioResult(
        "f.feature::s",
        ScenarioInfo("f.feature", "s"),
        [],
        Outcome("fail", "AssertionError: no"),
        failed_step="Then CAS issues a service ticket",
        exchanges=[leaked | {"response": "denied"}],
    )
    page = render(build_record({"target": "http", "faker_seed": 1}, [result]))
    assert "hunter2" not in page and f"j_password={REDACTED}" in page
