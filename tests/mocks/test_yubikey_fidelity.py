"""The real yubico-client against the mock YubiCloud on 127.0.0.1: what must succeed, and what the client
observes under each fault (provider-protocols.md, Fidelity checks C). Every wait is bounded and short."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import requests
from yubico_client import Yubico
from yubico_client.yubico_exceptions import (
    InvalidClientIdError,
    SignatureVerificationError,
    StatusCodeError,
)

from mocks.tls import make_certificates
from mocks.yubikey import YubiKeyMock
from tests.conftest import closed_port_url, fault


@pytest.fixture
def device(mock: YubiKeyMock) -> str:
    return mock.register_device(username="casuser")


def client(mock: YubiKeyMock, urls: list[str] | None = None, **options: Any) -> Any:
    options.setdefault("max_retries", 1)
    options.setdefault("retry_delay", 0.01)
    return Yubico("87", mock.state.secret_key_b64, api_urls=urls or [mock.validation_url], **options)


def no_valid_answers(call: Any) -> float:
    """Run a verification that must fail with the client's catch-all; return how long it took."""
    started = time.monotonic()
    with pytest.raises(Exception, match="NO_VALID_ANSWERS"):
        call()
    return time.monotonic() - started


# -- must succeed --------------------------------------------------------------------------------------


def test_verify_ok_with_a_checked_request_signature(mock: YubiKeyMock, device: str) -> None:
    assert client(mock).verify(mock.mint_otp(device), timeout=2) is True
    entry = mock.journal.entries()[-1]
    assert (entry.signature, entry.outcome, entry.fault) == ("valid", "OK", None)
    assert entry.params["otp"].startswith(device) and entry.params["id"] == "87"


def test_return_response_gives_the_fields(mock: YubiKeyMock, device: str) -> None:
    otp = mock.mint_otp(device)
    answer = client(mock).verify(otp, timestamp=True, return_response=True, timeout=2)
    assert {"otp", "nonce", "status", "t", "sl", "timestamp", "sessioncounter", "sessionuse"} <= set(answer)
    assert (answer["otp"], answer["status"], answer["sl"], answer["sessioncounter"]) == (
        otp,
        "OK",
        "100",
        "1",
    )


def test_replay_is_refused(mock: YubiKeyMock, device: str) -> None:
    otp = mock.mint_otp(device)
    assert client(mock).verify(otp, timeout=2) is True
    with pytest.raises(StatusCodeError) as refused:
        client(mock).verify(otp, timeout=2)
    assert refused.value.status_code == "REPLAYED_OTP"


def test_bad_response_signature_is_caught(mock: YubiKeyMock, device: str) -> None:
    fault(mock, kind="bad-signature")
    with pytest.raises(SignatureVerificationError):
        client(mock).verify(mock.mint_otp(device), timeout=2)
    assert mock.journal.entries()[-1].fault == "bad-signature"


@pytest.mark.parametrize("order", ["refused first", "refused last"])
def test_failover_to_the_healthy_url(mock: YubiKeyMock, device: str, order: str) -> None:
    stopped = YubiKeyMock()
    stopped.start()
    stopped.stop()
    urls = [stopped.validation_url, mock.validation_url]
    if order == "refused last":
        urls.reverse()
    assert client(mock, urls).verify(mock.mint_otp(device), timeout=2) is True


def test_http_post_form_is_accepted(mock: YubiKeyMock, device: str) -> None:
    form = {"id": "87", "otp": mock.mint_otp(device), "nonce": "abcdefghij0123456789"}
    answer = requests.post(mock.validation_url, data=form, timeout=2)
    assert "status=OK" in answer.text.split("\r\n")


def test_bare_get_is_what_cas_takes_for_up(mock: YubiKeyMock) -> None:
    answer = requests.get(mock.validation_url, timeout=2)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/plain"
    assert answer.text.strip() and "status=MISSING_PARAMETER\r\n" in answer.text
    assert mock.journal.entries()[-1].signature == "absent"


def test_other_paths_are_not_found(mock: YubiKeyMock) -> None:
    assert requests.get(mock.server.url("/wsapi/verify"), timeout=2).status_code == 404


# -- statuses as the client sees them ------------------------------------------------------------------


@pytest.mark.parametrize("status", ["BAD_OTP", "BACKEND_ERROR", "REPLAYED_REQUEST", "NOT_ENOUGH_ANSWERS"])
def test_ignored_statuses_end_in_no_valid_answers(mock: YubiKeyMock, device: str, status: str) -> None:
    mock.force_status(status)
    no_valid_answers(lambda: client(mock).verify(mock.mint_otp(device), timeout=2))


def test_forced_replayed_otp_raises(mock: YubiKeyMock, device: str) -> None:
    mock.force_status("REPLAYED_OTP")
    with pytest.raises(StatusCodeError):
        client(mock).verify(mock.mint_otp(device), timeout=2)


def test_no_such_client_signed_with_the_client_key(mock: YubiKeyMock, device: str) -> None:
    mock.force_status("NO_SUCH_CLIENT")
    with pytest.raises(InvalidClientIdError):
        client(mock).verify(mock.mint_otp(device), timeout=2)


def test_unknown_client_answer_is_signed_with_an_empty_key(mock: YubiKeyMock, device: str) -> None:
    otp = mock.mint_otp(device)
    with pytest.raises(SignatureVerificationError):  # the real server's quirk, seen by a keyed client
        Yubico("99", mock.state.secret_key_b64, api_urls=[mock.validation_url]).verify(otp, timeout=2)
    with pytest.raises(InvalidClientIdError):  # a client without a key reads the status itself
        Yubico("99", None, api_urls=[mock.validation_url]).verify(otp, timeout=2)


# -- faults (table C) ----------------------------------------------------------------------------------


def test_down_refuses_connections(mock: YubiKeyMock, device: str) -> None:
    fault(mock, kind="down")
    assert no_valid_answers(lambda: client(mock).verify(mock.mint_otp(device), timeout=2)) < 1.5
    with pytest.raises(requests.ConnectionError):
        requests.get(mock.validation_url, timeout=1)
    mock.faults.clear()
    mock.faults_changed()
    assert client(mock).verify(mock.mint_otp(device), timeout=2) is True


def test_down_endpoint_closes_without_answer(mock: YubiKeyMock, device: str) -> None:
    fault(mock, kind="down", endpoint="verify")
    no_valid_answers(lambda: client(mock).verify(mock.mint_otp(device), timeout=2))
    assert mock.journal.entries()[-1].outcome == "no answer"


def test_single_refused_url(mock: YubiKeyMock, device: str) -> None:
    no_valid_answers(lambda: client(mock, [closed_port_url()]).verify(mock.mint_otp(device), timeout=2))


def test_timeout_ends_at_the_client_timeout(mock: YubiKeyMock, device: str) -> None:
    fault(mock, kind="timeout", seconds=3)
    elapsed = no_valid_answers(lambda: client(mock).verify(mock.mint_otp(device), timeout=1))
    assert 0.9 <= elapsed < 2.5


def test_slow_below_the_timeout_succeeds(mock: YubiKeyMock, device: str) -> None:
    fault(mock, kind="slow", delay_ms=300)
    started = time.monotonic()
    assert client(mock).verify(mock.mint_otp(device), timeout=2) is True
    assert time.monotonic() - started >= 0.3


def test_http_500_is_retried_then_given_up(mock: YubiKeyMock, device: str) -> None:
    fault(mock, kind="http-error", status=500)
    no_valid_answers(lambda: client(mock, max_retries=3).verify(mock.mint_otp(device), timeout=2))
    assert mock.journal.counts()["verify"] == 3


@pytest.mark.parametrize("variant", ["garbage", "non-json", "truncated", "empty"])
def test_malformed_answers_are_ignored(mock: YubiKeyMock, device: str, variant: str) -> None:
    fault(mock, kind="malformed", variant=variant)
    no_valid_answers(lambda: client(mock).verify(mock.mint_otp(device), timeout=2))


def test_rate_limit_is_not_retried(mock: YubiKeyMock, device: str) -> None:
    fault(mock, kind="rate-limit", retry_after=1)
    no_valid_answers(lambda: client(mock, max_retries=3).verify(mock.mint_otp(device), timeout=2))
    assert mock.journal.counts()["verify"] == 1


def test_flapping_alternates_without_retries(mock: YubiKeyMock, device: str) -> None:
    fault(mock, kind="flapping", every=2)
    assert client(mock).verify(mock.mint_otp(device), timeout=2) is True
    no_valid_answers(lambda: client(mock).verify(mock.mint_otp(device), timeout=2))
    assert client(mock).verify(mock.mint_otp(device), timeout=2) is True


def test_flapping_500_is_rescued_by_a_retry(mock: YubiKeyMock, device: str) -> None:
    fault(mock, kind="flapping", sequence=[500, "ok"])
    assert client(mock, max_retries=2).verify(mock.mint_otp(device), timeout=2) is True
    assert [e.outcome for e in mock.journal.entries()] == ["500", "OK"]


def test_tls_trusted_by_its_ca_and_refused_without(tmp_path: Path) -> None:
    certificates = make_certificates(tmp_path)
    secure = YubiKeyMock(tls=certificates.server_context())
    secure.start()
    try:
        public_id = secure.register_device()
        assert secure.validation_url.startswith("https://127.0.0.1:")
        trusted = client(secure, ca_certs_bundle_path=str(certificates.ca_pem))
        assert trusted.verify(secure.mint_otp(public_id), timeout=2) is True
        with pytest.raises(requests.exceptions.SSLError):  # raised, not swallowed, with a single URL
            client(secure).verify(secure.mint_otp(public_id), timeout=2)
    finally:
        secure.stop()
