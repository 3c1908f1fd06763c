"""The refresh endpoint (a bad profile keeps the old one) and the reference's own clock."""

from __future__ import annotations

import json

import requests

from tests.server.conftest import SERVICE, TIMEOUT, Cas, form, plain, ticket_of


def test_refresh_lists_what_changed(cas: Cas) -> None:
    cas.deploy(plain())
    deployment = plain()
    deployment.set("cas.authn.mfa.core.global-failure-mode", "OPEN")
    deployment.service("https://second.example.org")
    changed = cas.deploy(deployment).json()
    assert "cas.authn.mfa.core.global-failure-mode" in changed
    assert any(key.startswith("services/") for key in changed)


def test_refresh_keeps_nothing_of_the_old_sessions(cas: Cas) -> None:
    cas.deploy(plain())
    browser = cas.browser()
    ticket = ticket_of(cas.login(browser))
    cas.deploy(plain())
    assert form(cas.get(browser, "/login", service=SERVICE), "fm1")
    assert "INVALID_TICKET" in cas.validate(ticket).text


def test_refresh_with_a_bad_profile_answers_400_and_keeps_the_old_one(cas: Cas) -> None:
    cas.deploy(plain())
    service = next((cas.profile / "services").glob("*.json"))
    definition = json.loads(service.read_text())
    definition["multifactorPolicy"] = {
        "@class": "org.apereo.cas.services.DefaultRegisteredServiceMultifactorPolicy",
        "failureMode": "AJAR",
    }
    service.write_text(json.dumps(definition))
    answer = requests.post(f"{cas.url}/actuator/refresh", timeout=TIMEOUT)
    assert answer.status_code == 400
    message = answer.json()["message"]
    assert service.name in message and "AJAR" in message and "\n" not in message
    assert ticket_of(cas.login(cas.browser())).startswith("ST-")  # the old profile still serves


def test_conformance_clock(cas: Cas) -> None:
    clock = f"{cas.url}/actuator/conformanceClock"
    assert requests.get(clock, timeout=TIMEOUT).json()["fixed"] is False
    set_to = requests.put(clock, json={"now": "2031-05-06T07:08:09Z"}, timeout=TIMEOUT).json()
    assert set_to == {"now": "2031-05-06T07:08:09Z", "fixed": True}
    assert requests.put(clock, json={"advance": 60}, timeout=TIMEOUT).json()["now"] == "2031-05-06T07:09:09Z"
    assert requests.put(clock, json={"advance": "soon"}, timeout=TIMEOUT).status_code == 400
    assert requests.put(clock, json={"now": "yesterday"}, timeout=TIMEOUT).status_code == 400
    assert requests.delete(clock, timeout=TIMEOUT).json()["fixed"] is False


def test_unknown_path_is_404(cas: Cas) -> None:
    assert requests.get(f"{cas.url}/nothing-here", timeout=TIMEOUT).status_code == 404
