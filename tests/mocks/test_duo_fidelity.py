"""Duo's own clients against the mock Duo: duo_client (Auth API v2) and duo_universal (Universal Prompt).

What each client observes under every fault follows the fidelity tables of the provider notes.
"""

from __future__ import annotations

import http.client
import ssl
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import duo_client
import pytest
import requests
from duo_universal import Client, DuoException

from mocks.duo import DuoMock
from mocks.faults import parse_fault
from mocks.tls import Certificates, make_certificates

REDIRECT = "https://cas.example.org/cas/login"


@pytest.fixture(scope="module")
def certificates() -> Iterator[Certificates]:
    with tempfile.TemporaryDirectory() as directory:
        yield make_certificates(Path(directory))


@pytest.fixture
def duo(certificates: Certificates) -> Iterator[DuoMock]:
    mock = DuoMock(certificates.server_context(), str(certificates.ca_pem))
    mock.start()
    mock.set_user("alice", passcodes=["123456"])
    try:
        yield mock
    finally:
        mock.stop()


def fault(duo: DuoMock, spec: dict[str, object]) -> None:
    duo.faults.set(parse_fault(spec, duo.faults.endpoints))
    duo.faults_changed()


def auth_api(duo: DuoMock, *, skey: str | None = None, timeout: float = 2.0) -> duo_client.Auth:
    return duo_client.Auth(
        duo.state.integration_key,
        skey or duo.state.secret_key,
        host="localhost",
        port=duo.server.port,
        ca_certs=duo.ca_pem,
        timeout=timeout,
    )


def universal(duo: DuoMock, *, secret: str | None = None) -> Client:
    return Client(
        duo.state.integration_key,
        secret or duo.state.secret_key,
        duo.api_host,
        REDIRECT,
        duo_certs=duo.ca_pem,
    )


def prompt(duo: DuoMock, client: Client, username: str = "alice") -> str:
    """Follow create_auth_url to the mock's authorize endpoint as a browser would; the duo_code back."""
    answer = requests.get(
        client.create_auth_url(username, "s" * 22), verify=duo.ca_pem, allow_redirects=False, timeout=5
    )
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(REDIRECT)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    assert query["state"] == ["s" * 22]
    return query["duo_code"][0]


# -- Auth API v2 with duo_client ------------------------------------------------------------------------


def test_ping_check_and_signature_verdicts_in_the_journal(duo: DuoMock) -> None:
    client = auth_api(duo)
    assert isinstance(client.ping()["time"], int)
    assert isinstance(client.check()["time"], int)
    verdicts = [(e.endpoint, e.signature) for e in duo.journal.entries()]
    assert verdicts == [("ping", "n/a"), ("check", "valid")]


def test_a_wrong_secret_is_refused_with_40103(duo: DuoMock) -> None:
    with pytest.raises(RuntimeError, match="Received 401 Invalid signature in request credentials"):
        auth_api(duo, skey="x" * 40).check()
    assert duo.journal.entries()[-1].signature == "invalid"


@pytest.mark.parametrize("result", ["auth", "allow", "deny", "enroll"])
def test_preauth_results(duo: DuoMock, result: str) -> None:
    duo.set_user("bob", preauth=result)
    answer = auth_api(duo).preauth(username="bob")
    assert answer["result"] == result
    if result == "auth":
        assert "push" in answer["devices"][0]["capabilities"]
    if result == "enroll":
        assert answer["enroll_portal_url"].startswith("https://")


def test_unknown_users_must_enroll(duo: DuoMock) -> None:
    assert auth_api(duo).preauth(username="nobody")["result"] == "enroll"


@pytest.mark.parametrize(("push", "result"), [("approve", "allow"), ("deny", "deny"), ("timeout", "deny")])
def test_push_outcomes(duo: DuoMock, push: str, result: str) -> None:
    duo.set_user("bob", push=push)
    answer = auth_api(duo).auth("push", username="bob", device="auto")
    assert answer["result"] == result


def test_passcodes_work_once(duo: DuoMock) -> None:
    client = auth_api(duo)
    assert client.auth("passcode", username="alice", passcode="123456")["result"] == "allow"
    assert client.auth("passcode", username="alice", passcode="123456")["result"] == "deny"
    assert client.auth("passcode", username="alice", passcode="654321")["result"] == "deny"


def test_async_push_then_auth_status(duo: DuoMock) -> None:
    client = auth_api(duo)
    txid = client.auth("push", username="alice", device="auto", async_txn=True)["txid"]
    first = client.auth_status(txid)
    second = client.auth_status(txid)
    assert first["waiting"] is True and first["success"] is False
    assert second["waiting"] is False and second["success"] is True


def test_a_never_answered_push_keeps_waiting(duo: DuoMock) -> None:
    duo.set_user("bob", push="timeout")
    client = auth_api(duo)
    txid = client.auth("push", username="bob", device="auto", async_txn=True)["txid"]
    assert all(client.auth_status(txid)["waiting"] for _ in range(3))


# -- Universal Prompt with duo_universal -----------------------------------------------------------------


def test_health_check_and_the_whole_prompt(duo: DuoMock) -> None:
    client = universal(duo)
    assert client.health_check()["stat"] == "OK"
    token = client.exchange_authorization_code_for_2fa_result(prompt(duo, client), "alice")
    assert token["preferred_username"] == "alice"
    assert token["auth_result"]["result"] == "allow"


def test_a_code_is_good_once(duo: DuoMock) -> None:
    client = universal(duo)
    code = prompt(duo, client)
    client.exchange_authorization_code_for_2fa_result(code, "alice")
    with pytest.raises(DuoException):
        client.exchange_authorization_code_for_2fa_result(code, "alice")


def test_the_username_must_match(duo: DuoMock) -> None:
    client = universal(duo)
    with pytest.raises(DuoException, match="The username is invalid"):
        client.exchange_authorization_code_for_2fa_result(prompt(duo, client), "mallory")


def test_a_wrong_client_secret_fails_the_health_check(duo: DuoMock) -> None:
    with pytest.raises(DuoException):
        universal(duo, secret="y" * 40).health_check()


@pytest.mark.parametrize("user", [{"preauth": "deny"}, {"push": "deny"}, {"preauth": "enroll"}])
def test_a_denied_user_never_gets_a_code(duo: DuoMock, user: dict[str, str]) -> None:
    duo.set_user("bob", **user)
    answer = requests.get(
        universal(duo).create_auth_url("bob", "s" * 22), verify=duo.ca_pem, allow_redirects=False, timeout=5
    )
    assert answer.status_code == 200 and "Location" not in answer.headers


def test_an_untrusted_certificate_is_refused(duo: DuoMock) -> None:
    client = Client(duo.state.integration_key, duo.state.secret_key, duo.api_host, REDIRECT)
    with pytest.raises(DuoException):
        client.health_check()


# -- faults, as each client observes them ----------------------------------------------------------------


def test_down_refuses_connections(duo: DuoMock) -> None:
    fault(duo, {"kind": "down"})
    with pytest.raises(ConnectionRefusedError):
        auth_api(duo).ping()
    with pytest.raises(DuoException):
        universal(duo).health_check()
    duo.faults.clear()
    duo.faults_changed()
    assert auth_api(duo).ping()["time"]


def test_timeout_holds_the_connection_until_the_client_gives_up(duo: DuoMock) -> None:
    fault(duo, {"kind": "timeout", "seconds": 5})
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        auth_api(duo, timeout=0.5).check()
    assert time.monotonic() - started < 3


def test_slow_below_the_timeout_succeeds_after_the_delay(duo: DuoMock) -> None:
    fault(duo, {"kind": "slow", "delay_ms": 300})
    started = time.monotonic()
    assert auth_api(duo, timeout=3).check()["time"]
    assert time.monotonic() - started >= 0.3


def test_http_error_500_with_html(duo: DuoMock) -> None:
    fault(duo, {"kind": "http-error", "status": 500})
    with pytest.raises(RuntimeError, match="Received 500"):
        auth_api(duo).check()
    with pytest.raises(DuoException):
        universal(duo).health_check()


def test_http_error_with_a_duo_fail_body(duo: DuoMock) -> None:
    body = '{"stat": "FAIL", "code": 50001, "message": "Internal error", "message_detail": "backend"}'
    fault(duo, {"kind": "http-error", "status": 503, "body": body, "content_type": "application/json"})
    with pytest.raises(RuntimeError, match=r"Received 503 Internal error \(backend\)"):
        auth_api(duo).preauth(username="alice")


@pytest.mark.parametrize(
    ("variant", "error"),
    [
        ("non-json", RuntimeError),
        ("garbage", UnicodeDecodeError),
        ("empty", RuntimeError),
        ("truncated", http.client.IncompleteRead),
    ],
)
def test_malformed_answers(duo: DuoMock, variant: str, error: type[Exception]) -> None:
    fault(duo, {"kind": "malformed", "variant": variant})
    with pytest.raises(error):
        auth_api(duo).check()
    with pytest.raises(DuoException):
        universal(duo).health_check()


def test_rate_limit_is_retried_by_duo_client_then_raised(
    duo: DuoMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(duo_client.client, "sleep", waits.append)
    fault(duo, {"kind": "rate-limit", "retry_after": 2})
    with pytest.raises(RuntimeError, match="Received 429"):
        auth_api(duo).check()
    assert len(waits) == 6
    assert [e.fault for e in duo.journal.entries()] == ["rate-limit"] * 7


def test_bad_signature_on_the_id_token(duo: DuoMock) -> None:
    client = universal(duo)
    code = prompt(duo, client)
    fault(duo, {"kind": "bad-signature", "endpoint": "token"})
    with pytest.raises(DuoException, match="Signature verification failed"):
        client.exchange_authorization_code_for_2fa_result(code, "alice")


def test_flapping_alternates(duo: DuoMock) -> None:
    fault(duo, {"kind": "flapping", "sequence": ["ok", 500], "endpoint": "check"})
    client = auth_api(duo)
    observed = []
    for _ in range(4):
        try:
            client.check()
            observed.append("ok")
        except RuntimeError:
            observed.append("error")
    assert observed == ["ok", "error", "ok", "error"]
    assert client.ping()["time"]  # the other endpoints are untouched


def test_a_fault_on_one_endpoint_leaves_the_others(duo: DuoMock) -> None:
    fault(duo, {"kind": "http-error", "status": 500, "endpoint": "health_check"})
    with pytest.raises(DuoException):
        universal(duo).health_check()
    assert auth_api(duo).check()["time"]


def test_the_mock_speaks_tls_only_with_its_own_ca(duo: DuoMock) -> None:
    context = ssl.create_default_context(cafile=duo.ca_pem)
    with pytest.raises(ssl.SSLCertVerificationError):
        ssl.create_default_context().wrap_socket(
            __import__("socket").create_connection(("localhost", duo.server.port), 2),
            server_hostname="localhost",
        )
    with context.wrap_socket(
        __import__("socket").create_connection(("localhost", duo.server.port), 2), server_hostname="localhost"
    ) as connection:
        assert connection.version() is not None


def test_a_stopped_mock_stays_stopped_through_a_reset(duo: DuoMock) -> None:
    duo.stop()
    duo.reset()
    with pytest.raises(ConnectionRefusedError):
        auth_api(duo).ping()
