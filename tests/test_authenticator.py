"""The suite's authenticator app: pyotp's codes with the phone's settings read from the deployment's own
properties, and accounts written in CAS's JSON, which the reference (like CAS) must import as they are."""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp
import pytest

from cas_mfa_ref.providers.gauth import GauthAccount
from cas_mfa_ref.providers.totp import code_at
from steps.targets.authenticator import AppSettings, AuthenticatorApp

NOW = datetime(2026, 12, 6, 12, 0, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("properties", "expected"),
    [
        ({}, AppSettings(6, 30)),
        ({"cas.authn.mfa.gauth.core.code-digits": "8"}, AppSettings(8, 30)),
        ({"cas.authn.mfa.gauth.core.timeStepSize": "60"}, AppSettings(6, 60)),
        ({"cas.authn.mfa.gauth.core.window-size": "5"}, AppSettings(6, 30)),
    ],
)
def test_the_phone_is_set_up_from_the_deployments_properties(
    properties: dict[str, str], expected: AppSettings
) -> None:
    assert AppSettings.from_properties(properties) == expected


def test_a_setting_that_is_no_number_is_named() -> None:
    with pytest.raises(ValueError, match="code-digits: 'six'"):
        AppSettings.from_properties({"cas.authn.mfa.gauth.core.code-digits": "six"})


def test_an_enrolled_account_is_what_cas_imports_and_its_codes_agree_with_the_reference() -> None:
    """Two independent TOTP implementations (pyotp, the reference's) agree on the account's codes."""
    app = AuthenticatorApp()
    account = GauthAccount.from_json(app.enrol("casuser", 7))
    assert (account.id, account.username, len(account.scratch_codes)) == (7, "casuser", 5)
    settings = AppSettings(8, 60)
    code = app.code_at("casuser", NOW, settings, 0)
    assert code == code_at(account.secret_key, NOW, step_seconds=60, digits=8)
    assert code == pyotp.TOTP(account.secret_key, digits=8, interval=60).at(NOW)


def test_codes_are_never_typed_twice_within_the_window() -> None:
    app = AuthenticatorApp()
    app.enrol("casuser")
    codes = [app.code("casuser", NOW, AppSettings()) for _ in range(3)]
    assert len(set(codes)) == 3
    with pytest.raises(AssertionError, match="typed every Google Authenticator code"):
        app.code("casuser", NOW, AppSettings())
