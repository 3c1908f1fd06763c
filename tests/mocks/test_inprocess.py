"""The mocks served in process to requests-based clients through ``responses``: one state, one fault layer."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests
import responses
import yubico_client
from duo_universal import Client, DuoException

from mocks.inprocess import register
from mocks.suite import MockSuite


@pytest.fixture
def served(mocks: MockSuite) -> Iterator[MockSuite]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        register(mock, mocks.duo.server)
        register(mock, mocks.yubikey.server)
        yield mocks


def yubico(suite: MockSuite) -> yubico_client.Yubico:
    described = suite.yubikey.describe()
    return yubico_client.Yubico(
        described["client_id"],
        described["secret_key"],
        api_urls=(described["validation_url"],),
        max_retries=1,
        retry_delay=0,
    )


def universal(suite: MockSuite) -> Client:
    duo = suite.duo.describe()
    return Client(
        duo["client_id"],
        duo["client_secret"],
        duo["api_host"],
        "https://cas.example.org/cas/login",
        duo_certs=duo["ca_pem"],
    )


def test_the_real_clients_are_answered_from_the_same_state(served: MockSuite) -> None:
    public_id = served.yubikey.register_device(username="alice")
    assert yubico(served).verify(served.yubikey.mint_otp(public_id), timeout=2) is True
    assert universal(served).health_check()["stat"] == "OK"
    assert served.journal("yubikey")["counts"] == {"verify": 1}
    assert served.journal("duo")["counts"] == {"health_check": 1}


def test_a_dropped_connection_and_a_hang_fail_at_once(served: MockSuite) -> None:
    url = served.yubikey.describe()["validation_url"]
    served.set_fault("yubikey", {"kind": "down"})
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=5)
    served.set_fault("yubikey", {"kind": "timeout", "seconds": 60})
    started = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        requests.get(url, timeout=5)
    assert time.monotonic() - started < 1


def test_http_faults_reach_the_client(served: MockSuite) -> None:
    served.set_fault("duo", {"kind": "http-error", "status": 503, "endpoint": "health_check"})
    with pytest.raises(DuoException):
        universal(served).health_check()
    assert served.journal("duo")["requests"][-1]["fault"] == "http-error"


def test_slower_than_the_clients_timeout_is_a_timeout_after_that_timeout(served: MockSuite) -> None:
    url = served.yubikey.describe()["validation_url"]
    served.set_fault("yubikey", {"kind": "slow", "delay_ms": 5000})
    started = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        requests.get(url, timeout=0.2)
    assert 0.2 <= time.monotonic() - started < 1.5
    served.set_fault("yubikey", {"kind": "slow", "delay_ms": 100})
    assert requests.get(url, timeout=2).status_code == 200
