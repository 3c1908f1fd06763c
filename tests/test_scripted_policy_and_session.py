"""The Groovy per-service policy as its Python counterpart, and the HTTP trigger's session attribute."""

from __future__ import annotations

import pytest

from cas_mfa_ref.config.profile import load_profile
from cas_mfa_ref.engine.login import decide
from cas_mfa_ref.engine.outcome import Outcome
from cas_mfa_ref.engine.providers import InMemoryProviders
from cas_mfa_ref.engine.request import HttpRequest, LoginRequest
from cas_mfa_ref.engine.rest import RestCaller
from cas_mfa_ref.geolocation import GeoLocationRequest
from tests.conftest import BASE_PROPERTIES, MakeProfile, service

GROOVY_POLICY = "org.apereo.cas.services.GroovyRegisteredServiceMultifactorPolicy"
TWO_PROVIDERS = BASE_PROPERTIES + "cas.authn.mfa.gauth.core.issuer=CAS\n"
URL = "https://app.example.org"


def login(root: object, http: HttpRequest | None = None) -> tuple[Outcome, str | None]:
    profile = load_profile(str(root))
    decision = decide(
        profile, LoginRequest("casuser", URL, http or HttpRequest()), InMemoryProviders(), RestCaller()
    )
    return decision.outcome, decision.provider.id if decision.provider else None


def test_a_groovy_policy_is_the_policy_its_counterpart_builds(make_profile: MakeProfile) -> None:
    root = make_profile(
        properties=TWO_PROVIDERS,
        services={
            "App-1.json": service(
                multifactorPolicy={"@class": GROOVY_POLICY, "groovyScript": "file:policy.groovy"}
            )
        },
        files={
            "policy.groovy": "class GauthPolicy extends DefaultRegisteredServiceMultifactorPolicy {}\n",
            "policy.py": "def run():\n"
            "    return {'multifactorAuthenticationProviders': ['mfa-gauth'], 'failureMode': 'OPEN'}\n",
        },
    )
    policy = load_profile(root).services[0].policy
    assert policy.providers == ("mfa-gauth",)
    assert policy.failure_mode.value == "OPEN"
    assert login(root) == (Outcome.MFA_REQUIRED, "mfa-gauth")


@pytest.mark.parametrize(
    ("header", "param", "session", "expected"),
    [
        ("mfa-yubikey", "mfa-gauth", "mfa-gauth", "mfa-yubikey"),
        (None, "mfa-yubikey", "mfa-gauth", "mfa-yubikey"),
        (None, None, "mfa-gauth", "mfa-gauth"),
        (None, None, None, None),
    ],
)
def test_header_before_parameter_before_session_attribute(
    make_profile: MakeProfile,
    header: str | None,
    param: str | None,
    session: str | None,
    expected: str | None,
) -> None:
    root = make_profile(properties=TWO_PROVIDERS, services={"App-1.json": service(multifactorPolicy=None)})
    http = HttpRequest(
        headers={"authn_method": [header]} if header else {},
        params={"authn_method": [param]} if param else {},
        session={"authn_method": session} if session else {},
    )
    assert login(root, http)[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("48.8566,2.3522,30,1763280000", GeoLocationRequest("48.8566", "2.3522", "30", "1763280000")),
        ("48.8566, 2.3522", GeoLocationRequest("48.8566", "2.3522")),
        ("", None),
        ("48.8566", None),
        (",2.3522,30", None),
    ],
)
def test_the_browser_geolocation_field(text: str, expected: GeoLocationRequest | None) -> None:
    assert GeoLocationRequest.parse(text) == expected
