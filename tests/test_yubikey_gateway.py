"""The reference's YubiKey adapter against the mock YubiCloud on 127.0.0.1: CAS's availability GET and
CAS's authentication handler, each bounded in time; and its construction from CAS properties."""

from __future__ import annotations

import time
from typing import Any

import pytest

from cas_mfa_ref.providers.gateway import ProviderGateway
from cas_mfa_ref.providers.yubikey import YubiKeyGateway, is_valid_otp_format, public_id_of
from mocks.yubikey import YubiKeyMock
from tests.conftest import closed_port_url, fault


def gateway(mock: YubiKeyMock, **settings: str) -> YubiKeyGateway:
    base = {
        "client-id": mock.state.client_id,
        "secret-key": mock.state.secret_key_b64,
        "api-urls": mock.validation_url,
    }
    return YubiKeyGateway.from_settings({**base, **settings}, timeout=1.0, max_retries=1, retry_delay=0.01)


def test_it_is_a_provider_gateway(mock: YubiKeyMock) -> None:
    adapter: ProviderGateway = gateway(mock)
    assert adapter.is_available(None) is True


# -- availability ----------------------------------------------------------------------------------------


def test_available_when_up_with_one_bare_get(mock: YubiKeyMock) -> None:
    assert gateway(mock).is_available(None) is True
    entry = mock.journal.entries()[-1]
    assert (entry.method, entry.params, entry.outcome) == ("GET", {}, "MISSING_PARAMETER")


@pytest.mark.parametrize(
    "spec",
    [
        {"kind": "down"},
        {"kind": "down", "endpoint": "verify"},
        {"kind": "http-error", "status": 500},
        {"kind": "http-error", "status": 404, "body": "not here"},
        {"kind": "rate-limit"},
        {"kind": "malformed", "variant": "empty"},
    ],
    ids=["down", "dropped", "500", "404", "429", "empty body"],
)
def test_unavailable(mock: YubiKeyMock, spec: dict[str, Any]) -> None:
    fault(mock, **spec)
    assert gateway(mock).is_available(None) is False


def test_any_non_blank_answer_counts_as_up(mock: YubiKeyMock) -> None:
    fault(mock, kind="malformed", variant="garbage")  # CAS does not parse the ping's body
    assert gateway(mock).is_available(None) is True


def test_a_hang_is_cut_at_the_timeout(mock: YubiKeyMock) -> None:
    fault(mock, kind="timeout", seconds=5)
    adapter = YubiKeyGateway.from_settings(
        {"client-id": "87", "secret-key": mock.state.secret_key_b64, "api-urls": mock.validation_url},
        timeout=0.3,
    )
    started = time.monotonic()
    assert adapter.is_available(None) is False
    assert time.monotonic() - started < 1.5


def test_availability_tries_the_next_url(mock: YubiKeyMock) -> None:
    assert gateway(mock, **{"api-urls": f"{closed_port_url()},{mock.validation_url}"}).is_available(None)
    assert not gateway(mock, **{"api-urls": closed_port_url()}).is_available(None)


# -- verification ----------------------------------------------------------------------------------------


def test_verify_ok(mock: YubiKeyMock) -> None:
    public_id = mock.register_device(username="casuser")
    adapter = gateway(mock, **{"allowed-devices.casuser": public_id})
    assert adapter.verify("casuser", mock.mint_otp(public_id)) is True
    assert mock.journal.entries()[-1].signature == "valid"


def test_wrong_users_device_is_refused_before_asking_yubicloud(mock: YubiKeyMock) -> None:
    mine = mock.register_device(username="casuser")
    theirs = mock.register_device(username="alice")
    adapter = gateway(mock, **{"allowed-devices.casuser": mine, "allowed-devices.alice": theirs})
    assert adapter.verify("casuser", mock.mint_otp(theirs)) is False
    assert adapter.verify("bob", mock.mint_otp(mine)) is False
    assert mock.journal.entries() == []


def test_without_allowed_devices_any_key_is_accepted(mock: YubiKeyMock) -> None:
    public_id = mock.register_device()
    assert gateway(mock).verify("anyone", mock.mint_otp(public_id)) is True


def test_replay_is_refused(mock: YubiKeyMock) -> None:
    public_id = mock.register_device()
    otp = mock.mint_otp(public_id)
    adapter = gateway(mock)
    assert adapter.verify("casuser", otp) is True
    assert adapter.verify("casuser", otp) is False
    assert mock.journal.entries()[-1].outcome == "REPLAYED_OTP"


@pytest.mark.parametrize(
    "token", ["123456", "c" * 31, "c" * 49, "cccccccccccc\tcccccccccccccccccccccccccccccc"]
)
def test_malformed_tokens_never_reach_yubicloud(mock: YubiKeyMock, token: str) -> None:
    assert gateway(mock).verify("casuser", token) is False
    assert mock.journal.entries() == []


@pytest.mark.parametrize("status", ["BACKEND_ERROR", "BAD_OTP", "NO_SUCH_CLIENT", "REPLAYED_REQUEST"])
def test_any_status_but_ok_fails(mock: YubiKeyMock, status: str) -> None:
    public_id = mock.register_device()
    mock.force_status(status)
    assert gateway(mock).verify("casuser", mock.mint_otp(public_id)) is False


def test_bad_response_signature_fails(mock: YubiKeyMock) -> None:
    public_id = mock.register_device()
    fault(mock, kind="bad-signature")
    assert gateway(mock).verify("casuser", mock.mint_otp(public_id)) is False


def test_verification_is_bounded_by_the_timeout(mock: YubiKeyMock) -> None:
    public_id = mock.register_device()
    fault(mock, kind="timeout", seconds=5)
    started = time.monotonic()
    assert gateway(mock).verify("casuser", mock.mint_otp(public_id)) is False
    assert time.monotonic() - started < 2.0


def test_failover_for_verification(mock: YubiKeyMock) -> None:
    public_id = mock.register_device()
    adapter = gateway(mock, **{"api-urls": f"{closed_port_url()},{mock.validation_url}"})
    assert adapter.verify("casuser", mock.mint_otp(public_id)) is True


def test_otp_helpers_follow_the_java_client() -> None:
    assert is_valid_otp_format("c" * 44) and is_valid_otp_format(" " * 32)
    assert not is_valid_otp_format("c" * 44 + "\u00e9")
    assert public_id_of("CCCCCBHKEVCJ" + "c" * 32) == "cccccbhkevcj"


# -- from CAS properties ---------------------------------------------------------------------------------


def test_relaxed_names_and_indexed_urls() -> None:
    adapter = YubiKeyGateway.from_settings(
        {
            "clientId": "87",
            "secretKey": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM=",
            "apiUrls[1]": "http://127.0.0.1:2/wsapi/2.0/verify",
            "apiUrls[0]": "http://127.0.0.1:1/wsapi/2.0/verify",
            "allowedDevices.CasUser": "cccccbhkevcj",
        }
    )
    assert adapter.client_id == "87"
    assert adapter.api_urls == ("http://127.0.0.1:1/wsapi/2.0/verify", "http://127.0.0.1:2/wsapi/2.0/verify")
    assert adapter.allowed_devices == {"CasUser": "cccccbhkevcj"}
    assert adapter.timeout == 5.0


def test_default_api_url_is_yubicloud() -> None:
    adapter = YubiKeyGateway.from_settings({"client-id": "1", "secret-key": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM="})
    assert adapter.api_urls == ("https://api.yubico.com/wsapi/2.0/verify",)


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"secret-key": "MDEy"}, "client-id"),
        ({"client-id": " ", "secret-key": "MDEy"}, "client-id"),
        ({"client-id": "abc", "secret-key": "MDEy"}, "client-id"),
        ({"client-id": "0", "secret-key": "MDEy"}, "client-id"),
        ({"client-id": "99999999999", "secret-key": "MDEy"}, "client-id"),
        ({"client-id": "87"}, "secret-key"),
        ({"client-id": "87", "secret-key": "not base64!"}, "secret-key"),
        ({"client-id": "87", "secret-key": "MDEy", "api-urls": "ftp://x/verify"}, "api-urls"),
    ],
)
def test_bad_settings_name_the_property(settings: dict[str, str], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        YubiKeyGateway.from_settings(settings)
