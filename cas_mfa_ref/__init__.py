"""cas_mfa_ref: Apereo CAS multifactor authentication semantics, as a reference implementation.

Load a deployment profile, then explain a login or drive CAS's protocol in process::

    profile = load_profile("profiles/yubikey")
    request = LoginRequest("casuser", "https://app.example.org")
    result = explain(profile, request, providers_down=["mfa-yubikey"])
    result.decision.outcome  # Outcome.UNAVAILABLE
"""

from __future__ import annotations

from cas_mfa_ref.assembly import Reference, assemble
from cas_mfa_ref.config.profile import Profile, load_profile
from cas_mfa_ref.engine.clock import Clock, FixedClock, SystemClock
from cas_mfa_ref.engine.flow import Decision
from cas_mfa_ref.engine.outcome import Outcome
from cas_mfa_ref.engine.providers import InMemoryProviders, ProviderChecks
from cas_mfa_ref.engine.request import HttpRequest, LoginRequest
from cas_mfa_ref.engine.rest import RestCaller
from cas_mfa_ref.errors import Origin, ProfileError, ProfileWarning, RequestError
from cas_mfa_ref.explain import Explanation, explain, render_text
from cas_mfa_ref.model import FailureMode, Provider, RegisteredService
from cas_mfa_ref.protocol.cas import InProcessCas, LoginResult, ValidationResult, View
from cas_mfa_ref.versions import CasVersion, parse_version

__all__ = [
    "CasVersion",
    "Clock",
    "Decision",
    "Explanation",
    "FailureMode",
    "FixedClock",
    "HttpRequest",
    "InMemoryProviders",
    "InProcessCas",
    "LoginRequest",
    "LoginResult",
    "Origin",
    "Outcome",
    "Profile",
    "ProfileError",
    "ProfileWarning",
    "Provider",
    "ProviderChecks",
    "Reference",
    "RegisteredService",
    "RequestError",
    "RestCaller",
    "SystemClock",
    "ValidationResult",
    "View",
    "assemble",
    "explain",
    "load_profile",
    "parse_version",
    "render_text",
]
