"""The engine reads as CAS's webflow: one module per stage, run in CAS's order, and one assembly."""

from __future__ import annotations

from pathlib import Path

import pyotp
import pytest

import cas_mfa_ref
from cas_mfa_ref import HttpRequest, InMemoryProviders, LoginRequest, Outcome, View, assemble, load_profile
from cas_mfa_ref.engine import login
from cas_mfa_ref.engine.login import LOGIN_FLOW, PROVIDER_SUBFLOW, decide
from cas_mfa_ref.engine.rest import RestCaller
from cas_mfa_ref.server.runtime import Runtime
from tests.conftest import BASE_PROPERTIES, POLICY, MakeProfile, service

URL = "https://app.example.org"
GAUTH_ONLY = (
    "cas.authn.accept.users=casuser::Mellon\n"
    "cas.authn.mfa.gauth.core.issuer=CAS\ncas.authn.mfa.gauth.core.label=CAS\n"
)
GAUTH_APP = {
    "App-1.json": service(
        multifactorPolicy={
            "@class": POLICY,
            "multifactorAuthenticationProviders": ["java.util.LinkedHashSet", ["mfa-gauth"]],
        }
    )
}


def test_the_pipeline_is_cas_s_order_one_module_per_stage() -> None:
    stages = [
        (stage.__module__.rsplit(".", 1)[-1], stage.__name__) for stage in [*LOGIN_FLOW, *PROVIDER_SUBFLOW]
    ]
    assert stages == [
        ("service", "match_service"),
        ("primary", "authenticate"),
        ("resolver", "ask_triggers"),
        ("selection", "select_provider"),
        ("stepup", "check_step_up"),
        ("verify_trust", "verify_trust"),
        ("failure_mode", "failure_mode"),
        ("bypass_action", "bypass_action"),
        ("availability", "availability_action"),
        ("failure_mode", "failure_action"),
        ("provider_step", "provider_step"),
    ]
    assert login.__doc__ is not None and all(f":mod:`.{m}`" in login.__doc__ for m in ("service", "stepup"))


@pytest.mark.parametrize(
    ("down", "mode", "stages", "outcome"),
    [
        (False, "CLOSED", ["failure-mode", "bypass", "availability", "challenge"], Outcome.MFA_REQUIRED),
        (True, "CLOSED", ["failure-mode", "bypass", "availability", "failure-action"], Outcome.UNAVAILABLE),
        # OPEN with the provider down ends in the bypass action: availability is never asked (6.5+).
        (True, "OPEN", ["failure-mode", "bypass"], Outcome.BYPASSED),
        (True, "NONE", ["failure-mode", "bypass", "availability", "challenge"], Outcome.MFA_REQUIRED),
    ],
)
def test_the_provider_subflow_stops_at_the_stage_that_decides(
    make_profile: MakeProfile, down: bool, mode: str, stages: list[str], outcome: Outcome
) -> None:
    profile = load_profile(make_profile(BASE_PROPERTIES + f"cas.authn.mfa.yubikey.failure-mode={mode}\n"))
    providers = InMemoryProviders(["mfa-yubikey"] if down else [])
    decision = decide(profile, LoginRequest("casuser", URL), providers, RestCaller())
    seen = [entry.stage for entry in decision.trace]
    assert seen[:2] == ["service", "primary-authentication"]
    assert seen[seen.index("selection") + 1 :] == stages
    assert decision.outcome is outcome


def test_the_server_and_an_embedding_program_assemble_the_reference_alike(
    make_profile: MakeProfile, tmp_path: Path
) -> None:
    root = make_profile(GAUTH_ONLY, GAUTH_APP)
    runtime = Runtime.start(root, cas_mfa_ref.SystemClock(), "https://cas.example.org/cas/login")
    assert isinstance(runtime.reference, cas_mfa_ref.Reference)
    reference = assemble(root)
    assert type(reference.gateways) is type(runtime.reference.gateways)
    assert reference.gauth() is not None and not reference.authenticator_enrolled("casuser")


def test_an_enrolled_authenticator_is_accepted_through_the_assembled_cas(make_profile: MakeProfile) -> None:
    clock = cas_mfa_ref.FixedClock(cas_mfa_ref.SystemClock().now())
    reference = assemble(make_profile(GAUTH_ONLY, GAUTH_APP), clock=clock)
    secret = pyotp.random_base32()
    reference.enrol_authenticator(
        {
            "@class": "org.apereo.cas.gauth.credential.GoogleAuthenticatorAccount",
            "id": 1,
            "username": "casuser",
            "name": "phone",
            "secretKey": secret,
            "validationCode": 0,
            "scratchCodes": ["java.util.ArrayList", []],
        }
    )
    assert reference.authenticator_enrolled("casuser")
    result = reference.cas.login("casuser", "Mellon", "https://gauth.example.org", HttpRequest())
    assert result.view is View.SERVICE_NOT_AUTHORIZED  # the profile registers app.example.org only
    result = reference.cas.login("casuser", "Mellon", URL, HttpRequest())
    assert result.view is View.PROVIDER_FORM and result.provider == "mfa-gauth"
    code = pyotp.TOTP(secret).at(clock.now())
    finished = reference.cas.submit_token(result.transaction or "", code)
    assert finished.view is View.REDIRECT_WITH_TICKET


def test_the_assembly_refuses_what_the_profile_does_not_have(make_profile: MakeProfile) -> None:
    reference = assemble(make_profile(BASE_PROPERTIES + "cas.authn.mfa.yubikey.secret-key=c2VjcmV0\n"))
    assert reference.gauth() is None and not reference.authenticator_enrolled("casuser")
    with pytest.raises(ValueError, match="no Google Authenticator provider"):
        reference.enrol_authenticator({})
    with pytest.raises(ValueError, match="mfa-yubikey is not a Duo provider"):
        reference.duo_authorization_url("mfa-yubikey", "casuser")
