"""``cas-mfa-ref explain``: contract 2 of DESIGN.md (keys, outcomes, value types, exit codes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cas_mfa_ref.cli import main
from tests.conftest import BASE_PROPERTIES, POLICY, MakeProfile, service

SERVICE = "https://app.example.org/home"


def run(capsys: pytest.CaptureFixture[str], root: Path, *extra: str) -> dict[str, Any]:
    code = main(
        ["explain", "--profile", str(root), "--user", "casuser", "--service", SERVICE, "--json", *extra]
    )
    out = capsys.readouterr().out
    assert code == 0
    result: dict[str, Any] = json.loads(out)
    return result


def mode_service(mode: str) -> dict[str, Any]:
    return service(
        multifactorPolicy={
            "@class": POLICY,
            "failureMode": mode,
            "multifactorAuthenticationProviders": ["java.util.LinkedHashSet", ["mfa-yubikey"]],
        }
    )


def test_json_has_the_contract_keys(make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, make_profile())
    assert {"outcome", "provider", "failureMode", "attributes", "trace"} <= set(result)
    assert result["outcome"] == "MFA_REQUIRED"
    assert result["provider"] == "mfa-yubikey"
    assert result["failureMode"] == {"mode": "CLOSED", "source": "provider"}
    assert result["attributes"]["authnContextClass"] == ["mfa-yubikey"]
    assert result["attributes"]["bypassMultifactorAuthentication"] == [False]
    assert all(set(e) == {"stage", "verdict", "reason"} for e in result["trace"])
    stages = [e["stage"] for e in result["trace"]]
    assert (
        stages.index("selection")
        < stages.index("bypass")
        < stages.index("availability")
        < stages.index("challenge")
    )


def test_open_with_the_provider_down_is_bypassed_with_boolean_values(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(
        capsys, make_profile(services={"App-1.json": mode_service("OPEN")}), "--provider-down", "mfa-yubikey"
    )
    assert result["outcome"] == "BYPASSED"
    assert result["failureMode"] == {"mode": "OPEN", "source": "service"}
    assert result["attributes"]["bypassMultifactorAuthentication"] == [True]
    assert result["attributes"]["bypassedMultifactorAuthenticationProviderId"] == ["mfa-yubikey"]
    assert "authnContextClass" not in result["attributes"]


def test_closed_with_the_provider_down_is_unavailable_and_releases_nothing(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, make_profile(), "--provider-down", "MFA-YUBIKEY")
    assert result["outcome"] == "UNAVAILABLE"
    assert result["attributes"] == {}


def test_no_trigger_is_no_mfa_without_a_failure_mode(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, make_profile(services={"App-1.json": service(multifactorPolicy=None)}))
    assert result["outcome"] == "NO_MFA"
    assert result["provider"] is None
    assert result["failureMode"] is None
    assert result["attributes"]["authenticationMethod"] == ["AcceptUsersAuthenticationHandler"]


def test_an_unknown_authn_method_is_an_error(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, make_profile(), "--param", "authn_method=mfa-acme")
    assert result["outcome"] == "ERROR"
    assert result["message"] == "Authentication attempt has failed."


def test_a_bypass_rule_by_header_and_by_address(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_profile(
        properties=BASE_PROPERTIES
        + "cas.authn.mfa.yubikey.bypass.http-request-headers=X-Internal\n"
        + "cas.authn.mfa.yubikey.bypass.http-request-remote-address=^10\\\\.\n"
    )
    assert run(capsys, root, "--header", "X-Internal=1")["outcome"] == "BYPASSED"
    assert run(capsys, root, "--remote-addr", "10.1.2.3")["outcome"] == "BYPASSED"
    assert run(capsys, root, "--remote-addr", "192.0.2.1")["outcome"] == "MFA_REQUIRED"


def test_sso_context_satisfies_the_request(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, make_profile(), "--sso-context", "mfa-yubikey")["outcome"] == "SATISFIED"


def test_text_output_reads_as_a_report(make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["explain", "--profile", str(make_profile()), "--user", "casuser", "--service", SERVICE])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[:3] == [
        "outcome: MFA_REQUIRED",
        "provider: mfa-yubikey",
        "failure mode: CLOSED (from the provider)",
    ]
    assert "trace:" in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--provider-down", "mfa-acme"],
            "--provider-down: no provider 'mfa-acme' is configured (configured: mfa-yubikey)",
        ),
        (["--param", "authn_method"], "--param 'authn_method' is not of the form K=V"),
        (
            ["--sso-context", "mfa-duo"],
            "--sso-context: no provider 'mfa-duo' is configured (configured: mfa-yubikey)",
        ),
    ],
)
def test_bad_requests_exit_2(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    code = main(
        ["explain", "--profile", str(make_profile()), "--user", "casuser", "--service", SERVICE, *extra]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == f"cas-mfa-ref: error: {message}"


def test_the_console_script_runs_as_a_process(make_profile: MakeProfile) -> None:
    root = make_profile()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cas_mfa_ref.cli",
            "explain",
            "--profile",
            str(root),
            "--user",
            "casuser",
            "--service",
            SERVICE,
            "--json",
            "--provider-down",
            "mfa-yubikey",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["outcome"] == "UNAVAILABLE"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["explain", "--profile", "x"])
    assert exit_info.value.code == 2
