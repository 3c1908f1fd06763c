"""The profile digest, the loopback REST stub, and the HTTP target's deployment checks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from steps.deployment import Deployment
from steps.digest import profile_digest
from steps.targets.base import LoginAttempt
from steps.targets.http import HttpTarget
from steps.targets.reststub import RestStub
from steps.targets.targetfile import load_target_file


def test_the_digest_covers_paths_and_bytes(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for directory in (one, two):
        (directory / "services").mkdir(parents=True)
        (directory / "cas.properties").write_text("a=1\n")
        (directory / "services" / "App-1.json").write_text("{}")
    assert profile_digest(one) == profile_digest(two)
    assert len(profile_digest(one)) == 12 and int(profile_digest(one), 16) >= 0
    (two / "empty").mkdir()
    assert profile_digest(one) == profile_digest(two)  # folders alone change nothing
    (two / "services" / "App-1.json").rename(two / "services" / "App-2.json")
    assert profile_digest(one) != profile_digest(two)
    (two / "services" / "App-2.json").rename(two / "services" / "App-1.json")
    (two / "cas.properties").write_text("a=2\n")
    assert profile_digest(one) != profile_digest(two)


def test_the_digest_of_a_written_deployment_is_stable(tmp_path: Path) -> None:
    deployment = Deployment()
    deployment.add_user("casuser", "Mellon")
    deployment.service("https://app.example.org")
    first = profile_digest(deployment.write(tmp_path / "a"))
    assert first == profile_digest(deployment.write(tmp_path / "b"))


def test_the_rest_stub_answers_and_records() -> None:
    stub = RestStub()
    try:
        stub.answer("https://bypass.example.org/mfa", 202, "mfa-yubikey")
        local = stub.local_url("https://bypass.example.org/mfa")
        assert local.startswith("http://127.0.0.1:") and local.endswith("/bypass.example.org/mfa")
        answer = requests.post(f"{local}?principal=casuser", json={"service": "s", "n": 1}, timeout=5)
        assert (answer.status_code, answer.text) == (202, "mfa-yubikey")
        assert stub.calls("https://bypass.example.org/mfa") == [
            {"principal": "casuser", "service": "s", "n": "1"}
        ]
        assert stub.calls("https://other.example.org/mfa") == []
        with pytest.raises(requests.ConnectionError):  # unanswered: unreachable, as the real host would be
            requests.get(stub.local_url("https://nowhere.example.org/x"), timeout=5)
    finally:
        stub.close()


def _target(tmp_path: Path, text: str) -> HttpTarget:
    path = tmp_path / "target.toml"
    path.write_text(text, encoding="utf-8")
    return HttpTarget(load_target_file(path), tmp_path, "http")


def test_a_fixed_deployment_runs_plain_scenarios_only(tmp_path: Path) -> None:
    target = _target(tmp_path, 'cas-url = "http://127.0.0.1:9/cas"\n[users]\ncasuser = "secret"\n')
    plain = Deployment()
    plain.add_user("casuser", "Mellon")
    plain.service("https://app.example.org")
    target.deploy(plain)  # nothing to put in place
    with_policy = Deployment()
    with_policy.add_user("casuser", "Mellon")
    with_policy.policy("https://app.example.org")["failureMode"] = "OPEN"
    with pytest.raises(
        pytest.skip.Exception, match="not applicable: target 'http' lacks capability 'deployment-profile'"
    ):
        target.deploy(with_policy)
    stranger = Deployment()
    stranger.add_user("someone", "pw")
    with pytest.raises(pytest.skip.Exception, match="someone is not among the target file's users"):
        target.deploy(stranger)
    target.close()


def test_an_outage_of_a_provider_no_mock_plays_is_not_applicable(tmp_path: Path) -> None:
    target = _target(tmp_path, 'cas-url = "http://127.0.0.1:9/cas"\n')
    with pytest.raises(pytest.skip.Exception, match="lacks capability 'provider-outage'"):
        target.set_provider_available("mfa-gauth", False)
    target.set_provider_available("mfa-gauth", True)
    with pytest.raises(pytest.skip.Exception, match="lacks capability 'clock-control'"):
        target.set_clock(datetime(2026, 11, 16, tzinfo=UTC))
    target.close()


def test_an_unreachable_cas_is_an_observation_not_a_crash(tmp_path: Path) -> None:
    target = _target(tmp_path, 'cas-url = "http://127.0.0.1:9/cas"\n[http]\ntimeout = 2\n')
    seen = target.login(LoginAttempt("casuser", "Mellon", "https://app.example.org"))
    assert seen.view == "unrecognised-page" and seen.message and "no answer" in seen.message
    assert "127.0.0.1:9" in target.diagnostics()
    target.close()
