"""/cas/serviceValidate and /cas/p3/serviceValidate: XML and JSON, every failure code, single use, lifetime."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import requests

from tests.server.conftest import SERVICE, Cas, plain, ticket_of, with_provider

NS = {"cas": "http://www.yale.edu/tp/cas"}


def test_p3_xml_releases_attributes(cas: Cas) -> None:
    cas.deploy(plain())
    ticket = ticket_of(cas.login(cas.browser()))
    answer = cas.validate(ticket)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("application/xml")
    root = ET.fromstring(answer.text)
    assert root.tag == "{http://www.yale.edu/tp/cas}serviceResponse"
    assert root.findtext("cas:authenticationSuccess/cas:user", namespaces=NS) == "casuser"
    attributes = root.find("cas:authenticationSuccess/cas:attributes", NS)
    assert attributes is not None
    assert attributes.findtext("cas:mail", namespaces=NS) == "casuser@example.org"
    assert attributes.findtext("cas:staff", namespaces=NS) == "true"
    assert attributes.findtext("cas:isFromNewLogin", namespaces=NS) == "true"


def test_p3_json_shape(cas: Cas) -> None:
    cas.deploy(plain())
    ticket = ticket_of(cas.login(cas.browser()))
    body = cas.validate(ticket, format="JSON").json()
    success = body["serviceResponse"]["authenticationSuccess"]
    assert success["user"] == "casuser"
    assert success["attributes"]["mail"] == ["casuser@example.org"]
    assert success["attributes"]["staff"] == [True]


def test_cas2_releases_no_attributes(cas: Cas) -> None:
    cas.deploy(plain())
    ticket = ticket_of(cas.login(cas.browser()))
    answer = cas.validate(ticket, path="/serviceValidate")
    root = ET.fromstring(answer.text)
    assert root.findtext("cas:authenticationSuccess/cas:user", namespaces=NS) == "casuser"
    assert root.find("cas:authenticationSuccess/cas:attributes", NS) is None
    body = cas.validate(ticket_of(cas.login(cas.browser())), path="/serviceValidate", format="JSON").json()
    assert body == {"serviceResponse": {"authenticationSuccess": {"user": "casuser"}}}


def _failure_code(cas: Cas, ticket: str, service: str, json_format: bool, **params: str) -> str:
    if json_format:
        answer = cas.validate(ticket, service, format="JSON", **params)
        failure = answer.json()["serviceResponse"]["authenticationFailure"]
        assert failure["description"]
        return str(failure["code"])
    root = ET.fromstring(cas.validate(ticket, service, **params).text)
    failure = root.find("cas:authenticationFailure", NS)
    assert failure is not None and (failure.text or "").strip()
    return failure.get("code", "")


@pytest.mark.parametrize("json_format", [False, True], ids=["xml", "json"])
def test_each_failure_code(cas: Cas, json_format: bool) -> None:
    deployment = with_provider("YubiKey")
    deployment.service("https://plain.example.org")
    cas.deploy(deployment)
    assert _failure_code(cas, "", SERVICE, json_format) == "INVALID_REQUEST"
    assert _failure_code(cas, "ST-1-nothing", SERVICE, json_format) == "INVALID_TICKET"
    browser = cas.browser()
    plain_service = "https://plain.example.org/home"
    ticket = ticket_of(cas.login(browser, plain_service))
    assert _failure_code(cas, ticket, "https://plain.example.org/other", json_format) == "INVALID_SERVICE"
    ticket = ticket_of(cas.get(browser, "/login", service=plain_service))
    code = _failure_code(cas, ticket, plain_service, json_format, authn_method="mfa-yubikey")
    assert code == "INVALID_AUTHENTICATION_CONTEXT"


def test_a_ticket_validates_once(cas: Cas) -> None:
    cas.deploy(plain())
    ticket = ticket_of(cas.login(cas.browser()))
    assert "authenticationSuccess" in cas.validate(ticket).text
    assert _failure_code(cas, ticket, SERVICE, False) == "INVALID_TICKET"


def test_renew_at_validation_refuses_an_sso_ticket(cas: Cas) -> None:
    cas.deploy(plain())
    browser = cas.browser()
    ticket_of(cas.login(browser))
    sso_ticket = ticket_of(cas.get(browser, "/login", service=SERVICE))
    assert _failure_code(cas, sso_ticket, SERVICE, False, renew="true") == "INVALID_TICKET"


def test_a_ticket_expires_after_ten_seconds_on_the_conformance_clock(cas: Cas) -> None:
    cas.deploy(plain())
    clock = f"{cas.url}/actuator/conformanceClock"
    assert cas.post(cas.browser(), "/actuator/conformanceClock", {}).status_code == 405
    requests.put(clock, json={"now": "2030-01-01T08:00:00Z"}, timeout=5).raise_for_status()
    ticket = ticket_of(cas.login(cas.browser()))
    assert requests.put(clock, json={"advance": 11}, timeout=5).json()["now"] == "2030-01-01T08:00:11Z"
    assert _failure_code(cas, ticket, SERVICE, True) == "INVALID_TICKET"
