"""Given and When steps for what the providers do: their services' outages and faults, as an operator
sees them, and what Duo says of an account."""

from __future__ import annotations

import json
from typing import Any

from pytest_bdd import given, when

from steps.phrases import phrase
from steps.world import World

# -- provider outages, as an operator sees them ---------------------------------------------------------
# A provider's service (steps.phrases.PROVIDER_SERVICES) misbehaves from the start (Given) or from now on
# (When): each step is the fault the mock providers then play.


def _misbehaves(world: World, service: tuple[str, str | None], fault: dict[str, Any]) -> None:
    provider_id, endpoint = service
    if endpoint:
        fault["endpoint"] = endpoint
    world.target.set_provider_fault(provider_id, fault)


@given(phrase("the {service:ProviderService} refuses connections"))
@when(phrase("the {service:ProviderService} refuses connections"))
def refuses_connections(world: World, service: tuple[str, str | None]) -> None:
    _misbehaves(world, service, {"kind": "down"})


@given(phrase("the {service:ProviderService} stops answering"))
@when(phrase("the {service:ProviderService} stops answering"))
def stops_answering(world: World, service: tuple[str, str | None]) -> None:
    _misbehaves(world, service, {"kind": "timeout", "seconds": 3})


@given(phrase("the {service:ProviderService} answers HTTP {status:Status}"))
@when(phrase("the {service:ProviderService} answers HTTP {status:Status}"))
def answers_http(world: World, service: tuple[str, str | None], status: int) -> None:
    _misbehaves(world, service, {"kind": "http-error", "status": status})


@given(phrase("the {service:ProviderService} answers an empty page"))
@when(phrase("the {service:ProviderService} answers an empty page"))
def answers_empty_page(world: World, service: tuple[str, str | None]) -> None:
    _misbehaves(world, service, {"kind": "malformed", "variant": "empty"})


@given(phrase("the {service:ProviderService} answers garbage"))
@when(phrase("the {service:ProviderService} answers garbage"))
def answers_garbage(world: World, service: tuple[str, str | None]) -> None:
    _misbehaves(world, service, {"kind": "malformed", "variant": "garbage"})


@given(phrase("the {service:ProviderService} answers slowly ({ms:Number} ms)"))
@when(phrase("the {service:ProviderService} answers slowly ({ms:Number} ms)"))
def answers_slowly(world: World, service: tuple[str, str | None], ms: int) -> None:
    _misbehaves(world, service, {"kind": "slow", "delay_ms": ms})


@given(phrase("the {service:ProviderService} is rate limited"))
@when(phrase("the {service:ProviderService} is rate limited"))
def rate_limited(world: World, service: tuple[str, str | None]) -> None:
    _misbehaves(world, service, {"kind": "rate-limit", "retry_after": 1})


@given(phrase("the {service:ProviderService} signs its answers with the wrong key"))
@when(phrase("the {service:ProviderService} signs its answers with the wrong key"))
def signs_with_wrong_key(world: World, service: tuple[str, str | None]) -> None:
    _misbehaves(world, service, {"kind": "bad-signature"})


@given(phrase("the {service:ProviderService} answers every other request"))
@when(phrase("the {service:ProviderService} answers every other request"))
def answers_every_other_request(world: World, service: tuple[str, str | None]) -> None:
    _misbehaves(world, service, {"kind": "flapping", "sequence": ["ok", "down"]})


@given(phrase("the {service:ProviderService} answers Duo error code {code:Number}"))
@when(phrase("the {service:ProviderService} answers Duo error code {code:Number}"))
def answers_duo_error(world: World, service: tuple[str, str | None], code: int) -> None:
    fault = {
        "kind": "http-error",
        "status": 500 if code > 49999 else 400,
        "content_type": "application/json",
        "body": json.dumps({"stat": "FAIL", "code": code, "message": "Mock failure"}),
    }
    _misbehaves(world, service, fault)


# -- what Duo says of an account (its preauth answer) ---------------------------------------------------


def _duo_account(world: World, user: str, account: dict[str, str]) -> None:
    world.target.set_provider_account("mfa-duo", world.user if user == "the user" else user, account)


@given(phrase("Duo says {user:User} is allowed without a second factor"))
def duo_allows(world: World, user: str) -> None:
    _duo_account(world, user, {"preauth": "allow"})


@given(phrase("Duo says {user:User} is denied"))
def duo_denies(world: World, user: str) -> None:
    _duo_account(world, user, {"preauth": "deny"})


@given(phrase("Duo says {user:User} must enroll"))
def duo_must_enroll(world: World, user: str) -> None:
    _duo_account(world, user, {"preauth": "enroll"})


@given(phrase("Duo says {user:User} is active"))
def duo_active(world: World, user: str) -> None:
    _duo_account(world, user, {"preauth": "auth"})


@given(phrase("Duo says {user:User} never answers the push"))
def duo_never_answers(world: World, user: str) -> None:
    _duo_account(world, user, {"preauth": "auth", "push": "timeout"})
