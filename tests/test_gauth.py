"""Google Authenticator in the reference: RFC 6238 codes, and CAS 7's rules for accepting them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cas_mfa_ref.engine.clock import FixedClock
from cas_mfa_ref.providers.gauth import ACCOUNT_CLASS, GauthAccount, GauthSettings, GoogleAuthenticatorGateway
from cas_mfa_ref.providers.totp import code_at, code_for_step, new_secret, secret_bytes

RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # "12345678901234567890", RFC 6238 appendix B (SHA-1)
START = datetime(2026, 11, 22, 9, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("unix_time", "code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_the_rfc_6238_test_vectors(unix_time: int, code: str) -> None:
    assert code_at(RFC_SECRET, datetime.fromtimestamp(unix_time, UTC), digits=8) == code


def test_secrets_are_160_bit_base32_and_read_as_people_write_them() -> None:
    secret = new_secret()
    assert len(secret_bytes(secret)) == 20 and secret_bytes(secret.lower()) == secret_bytes(secret)
    assert secret_bytes("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ") == b"12345678901234567890"
    with pytest.raises(ValueError, match="not Base32"):
        secret_bytes("not base32!")


def gateway(window: int = 3) -> tuple[GoogleAuthenticatorGateway, FixedClock]:
    clock = FixedClock(START)
    gauth = GoogleAuthenticatorGateway(GauthSettings(window_size=window), clock)
    gauth.save(GauthAccount(1, "casuser", RFC_SECRET, [11112222, 33334444]))
    return gauth, clock


def code(offset_steps: int) -> str:
    return code_for_step(RFC_SECRET, int(START.timestamp()) // 30 + offset_steps, 6)


@pytest.mark.parametrize(
    ("window", "offset", "accepted"),
    [
        (3, 0, True),
        (3, -1, True),
        (3, 1, True),
        (3, -2, False),
        (3, 2, False),
        (5, 2, True),
        (5, -2, True),
        (5, 3, False),
        (1, 1, False),
    ],
)
def test_codes_within_the_window_of_steps_around_now(window: int, offset: int, accepted: bool) -> None:
    gauth, _ = gateway(window)
    assert gauth.verify("casuser", code(offset)) is accepted


def test_a_used_code_is_refused_for_thirty_seconds_after_the_last_success() -> None:
    gauth, clock = gateway()  # START is the first second of a time step
    assert gauth.verify("casuser", code(0))
    assert not gauth.verify("CASUSER", code(0))  # usernames are compared ignoring case, as CAS stores them
    clock.advance(20)
    assert gauth.verify("casuser", code(1))  # another code; storing it restarts the expiry of both
    clock.advance(20)  # 40 s: code(0) is the previous step, inside the window, and still remembered
    assert not gauth.verify("casuser", code(0))
    clock.advance(15)  # 35 s after the last success: forgotten
    assert gauth.verify("casuser", code(0))


def test_scratch_codes_work_once_and_other_input_never() -> None:
    gauth, _ = gateway()
    assert gauth.verify("casuser", "11112222")
    assert not gauth.verify("casuser", "11112222")
    assert gauth.accounts("casuser")[0].scratch_codes == [33334444]
    assert not gauth.verify("casuser", "12ab56")
    assert not gauth.verify("casuser", "")
    assert not gauth.verify("nobody", code(0))  # no account: CAS would send the user to registration


def test_settings_by_their_cas_names_and_bad_values_named() -> None:
    settings = GauthSettings.from_settings(
        {"core.codeDigits": "8", "core.time-step-size": "60", "core.window-size": "5"}
    )
    assert settings == GauthSettings(code_digits=8, time_step_seconds=60, window_size=5)
    with pytest.raises(ValueError, match=r"core.window-size: 'three' is not a whole number at least 1"):
        GauthSettings.from_settings({"core.window-size": "three"})
    with pytest.raises(ValueError, match=r"core.code-digits: '5' is not a whole number 6 to 8"):
        GauthSettings.from_settings({"core.code-digits": "5"})


def test_an_account_as_cas_serializes_it_and_its_errors() -> None:
    account = GauthAccount.from_json(
        {
            "@class": ACCOUNT_CLASS,
            "id": 7,
            "username": "casuser",
            "secretKey": RFC_SECRET,
            "scratchCodes": ["java.util.ArrayList", [11112222]],
        }
    )
    assert (account.id, account.scratch_codes) == (7, [11112222])
    assert GauthAccount.from_json(account.to_json()) == account
    for body, message in [
        ([], "must be a JSON object"),
        (
            {"@class": "java.util.HashMap", "username": "u", "secretKey": RFC_SECRET},
            "@class: 'java.util.HashMap'",
        ),
        ({"secretKey": RFC_SECRET}, "username: required"),
        ({"username": "u"}, "secretKey: required"),
        ({"username": "u", "secretKey": "!!"}, "secretKey: the secret is not Base32"),
        ({"username": "u", "secretKey": RFC_SECRET, "scratchCodes": ["x"]}, "scratchCodes: must be a list"),
        ({"username": "u", "secretKey": RFC_SECRET, "id": "one"}, "id: must be a number"),
    ]:
        with pytest.raises(ValueError, match=message):
            GauthAccount.from_json(body)


def test_an_account_without_an_id_gets_one_as_cas_gives_it() -> None:
    gauth, clock = gateway()
    saved = gauth.save(GauthAccount(0, "other", RFC_SECRET))
    assert saved.id == int(clock.now().timestamp() * 1000)
    gauth.delete("other")
    assert gauth.accounts("other") == [] and len(gauth.accounts()) == 1
    assert clock.now() - START == timedelta(0)
