"""Contract 4: ``cas-mfa-mocks serve`` as a process, its ready line, and the HTTP control API."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import yubico_client

from mocks.client import ControlClient, ControlRequestFailed
from tests.mocks.serving import refused, serving


@pytest.fixture(scope="module")
def served() -> Iterator[dict[str, Any]]:
    with serving() as ready:
        yield ready


@pytest.fixture
def control(served: dict[str, Any]) -> ControlClient:
    client = ControlClient(served["control"])
    client.reset()
    return client


def test_the_ready_line_names_every_endpoint_and_credential(served: dict[str, Any]) -> None:
    duo, yubikey, radius = served["duo"], served["yubikey"], served["radius"]
    assert duo["api_host"].startswith("localhost:") and len(duo["integration_key"]) == 20
    assert len(duo["secret_key"]) == 40 and duo["client_id"] == duo["integration_key"]
    assert duo["ca_pem"].endswith(".pem")
    assert yubikey["validation_url"].startswith("http://127.0.0.1:") and yubikey["client_id"]
    assert radius["host"] == "127.0.0.1" and radius["port"] > 0 and radius["shared_secret"]
    assert served["control"].startswith("http://127.0.0.1:")


def test_health_and_reset(control: ControlClient) -> None:
    control.set_fault("yubikey", "http-error", status=503)
    health = control.health()
    assert health["status"] == "ok"
    assert health["providers"]["yubikey"]["faults"] == [{"kind": "http-error", "status": 503}]
    control.reset()
    assert control.health()["providers"]["yubikey"]["faults"] == []


def test_a_yubikey_device_and_an_otp_over_the_control_api(
    control: ControlClient, served: dict[str, Any]
) -> None:
    yubikey = served["yubikey"]
    control.register_yubikey_device("cccccccbcjdi", username="alice")
    otp = control.mint_yubikey_otp("cccccccbcjdi")
    client = yubico_client.Yubico(
        yubikey["client_id"], yubikey["secret_key"], api_urls=(yubikey["validation_url"],)
    )
    assert client.verify(otp, timeout=5) is True
    journal = control.journal("yubikey")
    assert journal["counts"]["verify"] == 1
    assert journal["requests"][-1]["signature"] == "valid"


def test_faults_per_endpoint_and_their_clearing(control: ControlClient, served: dict[str, Any]) -> None:
    control.set_fault("yubikey", "http-error", endpoint="verify", status=500)
    url = served["yubikey"]["validation_url"]
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(url, timeout=5)
    assert error.value.code == 500
    control.clear_fault("yubikey", endpoint="verify")
    with urllib.request.urlopen(url, timeout=5) as answer:
        assert b"status=MISSING_PARAMETER" in answer.read()


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("PUT", "/providers/ldap/fault", {"kind": "down"}, "no provider 'ldap'"),
        ("PUT", "/providers/duo/fault", {"kind": "sideways"}, "kind: 'sideways' is not one of"),
        ("PUT", "/providers/duo/fault", {"kind": "slow"}, "delay_ms: required"),
        (
            "PUT",
            "/providers/duo/fault",
            {"kind": "down", "endpoint": "nope"},
            "endpoint: 'nope' is not one of",
        ),
        ("PUT", "/providers/duo/fault", {"kind": "timeout", "seconds": 100000}, "seconds: must be a number"),
        ("PUT", "/providers/duo/fault", [1, 2], "a fault is a JSON object"),
        ("PUT", "/providers/radius/fault", {"kind": "http-error"}, "does not apply to RADIUS"),
        (
            "PUT",
            "/providers/duo/fault",
            {"kind": "bad-signature", "endpoint": "health_check"},
            "token endpoint only",
        ),
        (
            "PUT",
            "/providers/duo/fault",
            {"kind": "http-error", "body": "\ud800"},
            "body: must be valid Unicode",
        ),
        ("PUT", "/providers/duo/users/alice", {"preauth": "maybe"}, "preauth: 'maybe' is not one of"),
        ("PUT", "/providers/duo/users/alice", {"colour": "red"}, "colour: not a field"),
        (
            "POST",
            "/providers/yubikey/otp",
            {"public_id": "unknown0000x"},
            "no YubiKey with public id 'unknown0000x'",
        ),
        ("GET", "/nothing", None, "no control operation GET /nothing"),
    ],
)
def test_bad_control_requests_get_a_400_with_a_reason(
    control: ControlClient, method: str, path: str, body: Any, message: str
) -> None:
    with pytest.raises(ControlRequestFailed) as error:
        control.call(method, path, body)
    assert error.value.status == 400
    assert message in str(error.value)


def test_a_body_that_is_not_json_is_a_400(served: dict[str, Any]) -> None:
    request = urllib.request.Request(
        f"{served['control']}/providers/duo/fault", data=b"{kind: down", method="PUT"
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=5)
    assert error.value.code == 400
    assert "the body is not JSON" in json.loads(error.value.read())["error"]


def test_bad_ports_are_refused_before_starting() -> None:
    done = refused("--duo", "70000")
    assert done.returncode == 2
    assert "70000 is not a port number" in done.stderr


def test_yubikey_over_https_on_request() -> None:
    with serving("--yubikey-https") as ready:
        url = ready["yubikey"]["validation_url"]
        assert url.startswith("https://")
        context = __import__("ssl").create_default_context(cafile=ready["duo"]["ca_pem"])
        with urllib.request.urlopen(
            url.replace("127.0.0.1", "localhost"), timeout=5, context=context
        ) as answer:
            assert b"status=MISSING_PARAMETER" in answer.read()


def test_a_bad_content_length_is_a_400(served: dict[str, Any]) -> None:
    import http.client
    from urllib.parse import urlsplit

    where = urlsplit(served["control"])
    connection = http.client.HTTPConnection(where.hostname or "127.0.0.1", where.port, timeout=5)
    connection.putrequest("PUT", "/providers/duo/fault")
    connection.putheader("Content-Length", "abc")
    connection.endheaders()
    answer = connection.getresponse()
    assert answer.status == 400
    assert "is not a length" in json.loads(answer.read())["error"]
