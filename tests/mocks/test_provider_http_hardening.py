"""The providers' HTTP endpoints against wrong methods and badly framed requests: each gets a 4xx in
the vendor's error shape (Duo's envelope; JSON for YubiKey), 405s name what the path takes in ``Allow``,
HEAD is GET without the body, and nothing is a 500 or a hang."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest
import requests
import responses

from mocks.inprocess import register
from mocks.suite import MockSuite
from tests.mocks.rawhttp import exchange, request

VERIFY = "/wsapi/2.0/verify"


@pytest.fixture(scope="module")
def suite() -> Iterator[MockSuite]:
    with MockSuite() as mocks:
        yield mocks


@pytest.fixture
def tls(suite: MockSuite) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(suite.certificates.ca_pem))


@pytest.mark.parametrize("method", ["PATCH", "PUT", "DELETE", "OPTIONS", "TRACE"])
def test_yubikey_answers_a_method_verify_does_not_take_with_405_and_allow(
    suite: MockSuite, method: str
) -> None:
    answer = exchange(suite.yubikey.server.port, request(method, VERIFY))
    assert (answer.status, answer.headers["allow"]) == (405, "GET, HEAD, POST")
    assert f"does not take {method}" in answer.json()["error"]
    entry = suite.yubikey.journal.entries()[-1]
    assert (entry.endpoint, entry.method, entry.outcome) == ("unknown", method, "405")


def test_yubikey_answers_head_as_get_without_the_body(suite: MockSuite) -> None:
    answer = exchange(suite.yubikey.server.port, request("HEAD", VERIFY))
    assert answer.status == 200 and answer.body == b""
    assert int(answer.headers["content-length"]) > 0  # the length GET's body would have
    assert suite.yubikey.journal.entries()[-1].outcome == "MISSING_PARAMETER"


def test_an_unknown_path_is_a_404_without_allow(suite: MockSuite) -> None:
    answer = exchange(suite.yubikey.server.port, request("PATCH", "/wsapi/2.0/nothing"))
    assert answer.status == 404 and "allow" not in answer.headers
    assert "no such endpoint" in answer.json()["error"]


def test_duo_refuses_in_its_own_envelope(suite: MockSuite, tls: ssl.SSLContext) -> None:
    port = suite.duo.server.port
    wrong = exchange(port, request("PATCH", "/auth/v2/ping"), tls=tls)
    assert (wrong.status, wrong.headers["allow"]) == (405, "GET, HEAD")
    assert wrong.json()["stat"] == "FAIL" and wrong.json()["code"] == 40501
    missing = exchange(port, request("GET", "/auth/v2/nothing"), tls=tls)
    assert missing.status == 404 and missing.json()["code"] == 40401
    framing = exchange(port, request("POST", "/auth/v2/preauth", b"x", {"Content-Length": "x"}), tls=tls)
    assert framing.status == 400 and framing.json()["message"] == "Bad Request"


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({"Content-Length": "abc"}, b"otp=x", 400),
        ({"Content-Length": "\xb2"}, b"otp=x", 400),
        ({"Content-Length": "99999999999999999999"}, b"otp=x", 413),
        ({"Transfer-Encoding": "chunked"}, b"0\r\n\r\n", 411),
    ],
)
def test_a_bad_content_length_is_a_4xx_not_a_dropped_connection(
    suite: MockSuite, headers: dict[str, str], body: bytes, status: int
) -> None:
    answer = exchange(suite.yubikey.server.port, request("POST", VERIFY, body, headers))
    assert answer.status == status and "error" in answer.json()


def test_a_body_over_1_mib_is_a_413(suite: MockSuite) -> None:
    answer = exchange(suite.yubikey.server.port, request("POST", VERIFY, b"a" * (2 << 20)))
    assert answer.status == 413


def test_a_body_shorter_than_its_length_is_a_400(suite: MockSuite) -> None:
    data = request("POST", VERIFY, b"otp=x", {"Content-Length": "50"})
    answer = exchange(suite.yubikey.server.port, data, half_close=True)
    assert answer.status == 400 and "5 of the 50 bytes" in answer.json()["error"]


def test_the_in_process_path_answers_the_same(suite: MockSuite) -> None:
    url = suite.yubikey.validation_url
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        register(mock, suite.yubikey.server)
        answer = requests.patch(url, timeout=2)
        assert (answer.status_code, answer.headers["Allow"]) == (405, "GET, HEAD, POST")
        assert requests.head(url, timeout=2).status_code == 200
