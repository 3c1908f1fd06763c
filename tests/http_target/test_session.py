"""The session plumbing: --target http / ref-http options, and the reference server started as processes."""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path

import pytest

from steps.targets.base import LoginAttempt
from steps.targets.http import HttpTarget
from steps.targets.refhttp import start_ref_http

HAS_SERVER = importlib.util.find_spec("cas_mfa_ref.server") is not None
FEATURE = """
Feature: over HTTP

  @CP-01
  Scenario: a plain login
    Given the user casuser with the password "Mellon"
    And the application https://app.example.org is registered without a multifactor policy
    When casuser logs in to https://app.example.org
    Then CAS issues a service ticket
    And ticket validation succeeds for casuser

  @FM-06 @needs:provider-outage
  Scenario: closed when down
    Given CAS offers the YubiKey provider
    And the application https://app.example.org requires mfa-yubikey with failure mode CLOSED
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    Then the "MFA Provider Unavailable" page is shown
"""


def make_suite(pytester: pytest.Pytester) -> None:
    root = Path(__file__).resolve().parents[2]
    pytester.makeconftest((root / "conftest.py").read_text(encoding="utf-8"))
    pytester.makeini(
        "[pytest]\naddopts = --strict-markers\nbdd_features_base_dir = features\n"
        "markers =\n    capability(name): c\n    cas_version(range): v\n"
    )
    pytester.mkdir("features")
    (pytester.path / "features" / "http.feature").write_text(textwrap.dedent(FEATURE))
    pytester.makepyfile(test_http="from pytest_bdd import scenarios\nscenarios('.')\n")


def _output(result: pytest.RunResult) -> str:
    return "\n".join(result.stdout.lines + result.stderr.lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "http"], "--target http needs --target-config FILE"),
        (["--cas-url", "http://127.0.0.1:1/cas"], "--cas-url apply to --target http, not --target ref"),
        (["--target", "ref-http", "--target-config", "t.toml"], "--target-config apply to --target http"),
        (["--target", "http", "--target-config", "absent.toml"], "absent.toml: no such target file"),
    ],
)
def test_missing_or_contradictory_options_are_one_clear_line(
    pytester: pytest.Pytester, args: list[str], message: str
) -> None:
    make_suite(pytester)
    result = pytester.runpytest_subprocess(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in _output(result)
    assert "Traceback" not in _output(result)


def test_a_bad_target_file_names_the_file_and_field(pytester: pytest.Pytester) -> None:
    make_suite(pytester)
    (pytester.path / "t.toml").write_text('cas-url = "http://127.0.0.1:1/cas"\ncapabilities = ["warp"]\n')
    result = pytester.runpytest_subprocess("--target", "http", "--target-config", "t.toml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "t.toml: capabilities: unknown capability 'warp'" in _output(result)


def test_a_cas_nobody_answers_stops_the_run_at_the_preflight(pytester: pytest.Pytester) -> None:
    """Against a CAS nobody answers: no scenario runs, one line per problem, exit status 4."""
    make_suite(pytester)
    (pytester.path / "t.toml").write_text(
        'cas-url = "http://127.0.0.1:9/cas"\n[users]\ncasuser = "Mellon"\n[http]\ntimeout = 2\n'
    )
    result = pytester.runpytest_subprocess("--target", "http", "--target-config", "t.toml", "-rs")
    assert result.ret == 4
    output = _output(result)
    assert "t.toml: cas-url: no answer from http://127.0.0.1:9/cas/login: connection refused" in output
    assert "Traceback" not in output and "passed" not in output


@pytest.mark.skipif(not HAS_SERVER, reason="cas_mfa_ref.server (cas-mfa-ref serve) is not there yet")
def test_ref_http_starts_the_processes_and_drives_the_server(tmp_path: Path) -> None:
    started = start_ref_http(tmp_path)
    try:
        assert [p.alive() for p in started.processes] == [True, True]
        target_file = started.target_file
        assert target_file.mode == "profile-dir" and target_file.mocks_control
        target = HttpTarget(target_file, tmp_path / "scenario", "ref-http")
        from steps.deployment import Deployment

        deployment = Deployment()
        deployment.add_user("casuser", "Mellon")
        deployment.service("https://app.example.org")
        target.deploy(deployment)
        seen = target.login(LoginAttempt("casuser", "Mellon", "https://app.example.org"))
        assert seen.view == "redirect-with-ticket" and seen.ticket
        validation = target.validate(seen.ticket, "https://app.example.org")
        assert (validation.success, validation.user) == (True, "casuser")
        again = target.validate(seen.ticket, "https://app.example.org")
        assert (again.success, again.code) == (False, "INVALID_TICKET")
        target.close()
    finally:
        started.stop()
    assert [p.alive() for p in started.processes] == [False, False]


@pytest.mark.skipif(not HAS_SERVER, reason="cas_mfa_ref.server (cas-mfa-ref serve) is not there yet")
def test_ref_http_runs_a_suite(pytester: pytest.Pytester) -> None:
    make_suite(pytester)
    result = pytester.runpytest_subprocess("--target", "ref-http")
    result.assert_outcomes(passed=2)


def test_a_process_that_dies_is_reported_with_its_stderr() -> None:
    from steps.targets.launch import LaunchError, Process

    with pytest.raises(LaunchError, match=r"exited with status 3 before it was ready: boom"):
        Process("dying", ["python3", "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)"], 10)


def test_a_process_that_never_gets_ready_is_stopped_after_the_wait() -> None:
    from steps.targets.launch import LaunchError, Process

    with pytest.raises(LaunchError, match=r"printed no ready line within 0.5 s"):
        Process("sleeper", ["python3", "-c", "import time; time.sleep(30)"], 0.5)
