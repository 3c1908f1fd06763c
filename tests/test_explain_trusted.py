"""``explain`` consults the profile's trusted-device records (SQLite) with the browser's device cookie."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cas_mfa_ref.cli import main
from cas_mfa_ref.config.profile import load_profile
from cas_mfa_ref.engine.clock import FixedClock
from cas_mfa_ref.engine.providers import InMemoryProviders
from cas_mfa_ref.protocol.cas import InProcessCas, View
from tests.conftest import MakeProfile
from tests.test_trusted_devices import PROPERTIES, SERVICE

URL = "https://app.example.org"


def trust_a_browser(root: Path) -> str:
    """Log in, pass Google Authenticator and trust the browser: the device cookie it is given."""
    providers = InMemoryProviders()
    cas = InProcessCas(load_profile(root), providers, clock=FixedClock(datetime(2026, 11, 16, 9, tzinfo=UTC)))
    form = cas.login("casuser", "Mellon", URL)
    providers.accept_token("mfa-gauth", "casuser", "123456")
    offer = cas.submit_token(form.transaction or "", "123456")
    done = cas.register_device(offer.transaction or "", "Laptop")
    assert done.view is View.REDIRECT_WITH_TICKET
    return done.cookies["MFATRUSTED"]


def explain_json(capsys: pytest.CaptureFixture[str], root: Path, *extra: str) -> dict[str, Any]:
    code = main(["explain", "--profile", str(root), "--user", "casuser", "--service", URL, "--json", *extra])
    assert code == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def trusted_entries(result: dict[str, Any]) -> list[dict[str, str]]:
    return [e for e in result["trace"] if e["stage"] == "trusted-device"]


def test_the_trusted_browser_skips_mfa(make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_profile(properties=PROPERTIES, services={"App-1.json": SERVICE})
    cookie = trust_a_browser(root)
    result = explain_json(capsys, root, f"--device-cookie={cookie}")
    assert result["outcome"] == "TRUSTED"
    assert result["provider"] == "mfa-gauth"
    assert result["failureMode"] is None
    assert result["attributes"]["isFromTrustedMultifactorAuthentication"] == [True]
    assert trusted_entries(result) == [
        {
            "stage": "trusted-device",
            "verdict": "yes",
            "reason": "the device 'Laptop' is trusted: MFA is skipped",
        }
    ]


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ((), "the browser has no device cookie (1 valid record(s) for the principal)"),
        (
            ("--device-cookie", "another-browser"),
            "no record has this fingerprint (1 valid record(s) for the principal)",
        ),
        (
            ("--device-cookie=COOKIE", "--param", "publicWorkstation=true"),
            "the user is at a public workstation",
        ),
    ],
)
def test_an_untrusted_browser_is_asked_for_the_factor(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...], reason: str
) -> None:
    root = make_profile(properties=PROPERTIES, services={"App-1.json": SERVICE})
    cookie = trust_a_browser(root)
    # ``--device-cookie=VALUE``: a cookie may begin with "-", which argparse would take for an option.
    result = explain_json(capsys, root, *[e.replace("COOKIE", cookie) for e in extra])
    assert result["outcome"] == "MFA_REQUIRED"
    assert [e["reason"] for e in trusted_entries(result)] == [reason]


def test_without_a_store_there_is_no_lookup(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_profile(
        properties=PROPERTIES.replace("cas.authn.mfa.trusted.jpa.url=jdbc:sqlite:devices.db\n", ""),
        services={"App-1.json": SERVICE},
    )
    result = explain_json(capsys, root, "--device-cookie", "anything")
    assert result["outcome"] == "MFA_REQUIRED"
    assert trusted_entries(result) == []
