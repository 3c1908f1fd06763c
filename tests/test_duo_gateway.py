"""The reference's Duo adapter against the mock Duo: availability, the prompt's code, the account check."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cas_mfa_ref.config.profile import load_profile
from cas_mfa_ref.errors import ProfileError
from cas_mfa_ref.providers.duo import DuoGateway, DuoSettings
from cas_mfa_ref.providers.factory import network_providers
from mocks.suite import MockSuite


def gateway(mocks: MockSuite, timeout: float = 2.0) -> DuoGateway:
    duo = mocks.duo.describe()
    settings = {
        "duo-integration-key": duo["integration_key"],
        "duo-secret-key": duo["secret_key"],
        "duo-api-host": duo["api_host"],
    }
    return DuoGateway(DuoSettings.from_settings(settings, duo["ca_pem"]), timeout=timeout)


def test_available_and_the_prompt_code_verifies(mocks: MockSuite) -> None:
    from urllib.parse import parse_qs, urlsplit

    import requests

    mocks.duo.set_user("alice")
    duo = gateway(mocks)
    assert duo.is_available(None)
    answer = requests.get(
        duo.authorization_url("alice"), verify=mocks.duo.ca_pem, allow_redirects=False, timeout=5
    )
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["duo_code"][0]
    assert duo.verify("mallory", code) is False  # the username must match the id_token
    answer = requests.get(
        duo.authorization_url("alice"), verify=mocks.duo.ca_pem, allow_redirects=False, timeout=5
    )
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["duo_code"][0]
    assert duo.verify("alice", code) is True


@pytest.mark.parametrize(
    ("preauth", "status"), [("auth", "AUTH"), ("allow", "ALLOW"), ("deny", "DENY"), ("enroll", "ENROLL")]
)
def test_account_statuses(mocks: MockSuite, preauth: str, status: str) -> None:
    mocks.duo.set_user("alice", preauth=preauth)
    assert gateway(mocks).account_status("alice") == status


@pytest.mark.parametrize(
    ("fault", "status"),
    [
        ({"kind": "malformed", "variant": "truncated"}, "UNAVAILABLE"),
        ({"kind": "malformed", "variant": "garbage"}, "UNAVAILABLE"),
        ({"kind": "down"}, "UNAVAILABLE"),
        ({"kind": "timeout", "seconds": 5}, "UNAVAILABLE"),
        ({"kind": "rate-limit", "retry_after": 30}, "AUTH"),
        (
            {
                "kind": "http-error",
                "status": 500,
                "content_type": "application/json",
                "body": '{"stat": "FAIL", "code": 50001, "message": "x"}',
            },
            "UNAVAILABLE",
        ),
        (
            {
                "kind": "http-error",
                "status": 400,
                "content_type": "application/json",
                "body": '{"stat": "FAIL", "code": 40002, "message": "x"}',
            },
            "AUTH",
        ),
    ],
)
def test_account_check_failures_map_as_cas_maps_them(
    mocks: MockSuite, fault: dict[str, object], status: str
) -> None:
    mocks.duo.set_user("alice")
    endpoint = {} if fault["kind"] == "down" else {"endpoint": "preauth"}
    mocks.set_fault("duo", {**fault, **endpoint})
    started = time.monotonic()
    assert gateway(mocks, timeout=1.0).account_status("alice") == status
    assert time.monotonic() - started < 3


def test_malformed_duo_credentials_are_a_profile_error(tmp_path: Path) -> None:
    (tmp_path / "cas.properties").write_text(
        "cas.authn.mfa.duo[0].duo-integration-key=DIshort\n"
        "cas.authn.mfa.duo[0].duo-secret-key=short\n"
        "cas.authn.mfa.duo[0].duo-api-host=localhost:1\n"
    )
    with pytest.raises(ProfileError, match=r"cas.authn.mfa.duo\[0\]: Duo rejects these credentials"):
        network_providers(load_profile(tmp_path))
