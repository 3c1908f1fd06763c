"""The recording proxy and the observations it makes comparable between runs."""

from __future__ import annotations

import json
from typing import Any, cast

import pytest

from steps.deployment import Deployment
from steps.reports.observations import Call, RecordingTarget, observations
from steps.targets.base import LoginAttempt, LoginObservation, ValidationObservation


class FakeTarget:
    name = "fake"
    capabilities = frozenset({"sso"})

    def __init__(self) -> None:
        self.ticket = "ST-7-aZ09xYqr-cas01.example.org"

    def deploy(self, deployment: Deployment) -> None:
        pass

    def login(self, attempt: LoginAttempt) -> LoginObservation:
        return LoginObservation("redirect-with-ticket", 302, ticket=self.ticket)

    def validate(
        self, ticket: str, service: str, params: dict[str, str] | None = None
    ) -> ValidationObservation:
        if ticket != self.ticket:
            raise LookupError(f"ticket {ticket} not recognized")
        return ValidationObservation(True, "casuser", {"mail": ["casuser@example.org"]})

    def diagnostics(self) -> str:
        return "trace"


def test_each_call_is_logged_with_its_result_and_attributes_pass_through() -> None:
    log: list[Call] = []
    target: Any = RecordingTarget(cast(Any, FakeTarget()), log)
    assert (target.name, target.capabilities) == ("fake", frozenset({"sso"}))
    attempt = LoginAttempt("casuser", "Mellon", "https://app.example.org")
    seen = target.login(attempt)
    target.diagnostics()
    with pytest.raises(LookupError):
        target.validate("ST-8-other-cas01", "https://app.example.org")
    assert [(call.name, call.args, call.result) for call in log[:1]] == [("login", (attempt,), seen)]
    assert [call.name for call in log] == ["login", "validate"]  # diagnostics is not an observation
    assert isinstance(log[1].raised, LookupError)
    target.ticket = "ST-9-x-y"  # attributes are set on the target itself
    assert target._target.ticket == "ST-9-x-y"


def test_tickets_and_tokens_become_placeholders_wherever_they_appear() -> None:
    ticket, token = "ST-7-aZ09xYqr-cas01.example.org", "ccccccbcgujhingjrdejhgfnuetrgigvejhhgbkugded"
    calls = [
        Call("deploy", (Deployment(),), {}, None, None),
        Call("login", (LoginAttempt("casuser", "Mellon", "https://app.example.org"),), {},
             LoginObservation("provider-form", 200, provider="mfa-yubikey"), None),
        Call("provision_token", ("mfa-yubikey", "casuser"), {}, token, None),
        Call("submit_token", (token,), {}, LoginObservation("redirect-with-ticket", 302, ticket=ticket), None),
        Call("validate", (ticket, "https://app.example.org"), {"params": {"renew": "true"}},
             ValidationObservation(True, "casuser", {"mail": ["casuser@example.org"]}), None),
        Call("validate", (ticket, "https://app.example.org"), {}, None, LookupError(f"ticket {ticket} used")),
        Call("validate", ("ST-8-bogus-ticket", "https://app.example.org"), {}, None, LookupError("no")),
    ]  # fmt: skip
    entries = observations(calls)
    assert json.dumps(entries).count(ticket) == 0 and json.dumps(entries).count(token) == 0
    assert entries[0] == {"call": "deploy", "args": ["<deployment>"], "result": None}
    assert entries[1]["result"] == {
        "view": "provider-form", "status": 200, "ticket": None, "provider": "mfa-yubikey", "message": None, "choices": []
    }  # fmt: skip
    assert entries[2]["result"] == "<token-1>" and entries[3]["args"] == ["<token-1>"]
    assert entries[3]["result"]["ticket"] == "<ticket-1>"
    assert entries[4]["args"] == ["<ticket-1>", "https://app.example.org"]
    assert entries[4]["kwargs"] == {"params": {"renew": "true"}}
    assert entries[4]["result"]["attributes"] == {"mail": ["casuser@example.org"]}
    assert entries[5] == {
        "call": "validate", "args": ["<ticket-1>", "https://app.example.org"], "raised": "LookupError: ticket <ticket-1> used"
    }  # fmt: skip
    assert entries[6]["args"][0] == "<ticket-2>"  # shaped like a CAS ticket


def test_two_runs_with_different_tickets_give_the_same_observations() -> None:
    def run(ticket: str, when: str) -> list[dict[str, Any]]:
        released = {"authenticationDate": [when]}
        return observations([
            Call("login", (), {}, LoginObservation("redirect-with-ticket", 302, ticket=ticket), None),
            Call("validate", (ticket, "https://app.example.org"), {}, ValidationObservation(True, "u", released), None),
        ])  # fmt: skip

    first = run("ST-1-abc-host", "2026-11-22T07:39:44.265722Z")
    assert first == run("ST-1-xyz-host", "2026-11-22T07:39:45.311399Z[UTC]".removesuffix("[UTC]"))
    assert first[1]["result"]["attributes"] == {"authenticationDate": ["<timestamp>"]}
    assert first != observations([])


def test_a_login_password_never_reaches_the_record() -> None:
    attempt = LoginAttempt("casuser", "Mellon-secret", "https://app.example.org")
    logged = observations([Call("login", (attempt,), {}, LoginObservation("login-form", 401), None)])
    text = json.dumps(logged)
    assert "Mellon-secret" not in text
    assert logged[0]["args"][0]["password"] == "<password>"
