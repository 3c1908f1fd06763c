"""cas_mfa_ref: Apereo CAS multifactor authentication semantics, as a reference implementation.

Load a deployment profile, then explain a login or drive CAS's protocol in process::

    profile = load_profile("profiles/yubikey")
    request = LoginRequest("casuser", "https://app.example.org")
    result = explain(profile, request, providers_down=["mfa-yubikey"])
    result.decision.outcome  # Outcome.UNAVAILABLE
"""

from __future__ import annotations

from cas_mfa_ref.config.profile import Profile, load_profile
from cas_mfa_ref.engine.availability import ProviderAvailability, StaticAvailability
from cas_mfa_ref.engine.login import Decision
from cas_mfa_ref.engine.outcome import Outcome
from cas_mfa_ref.engine.providers import InMemoryProviders, TokenVerifier
from cas_mfa_ref.engine.request import HttpRequest, LoginRequest
from cas_mfa_ref.errors import Origin, ProfileError, ProfileWarning, RequestError
from cas_mfa_ref.explain import Explanation, explain
from cas_mfa_ref.model import FailureMode, Provider, RegisteredService
from cas_mfa_ref.protocol.cas import InProcessCas, LoginResult, ValidationResult, View

__all__ = [
    "Decision",
    "Explanation",
    "FailureMode",
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
    "ProviderAvailability",
    "RegisteredService",
    "RequestError",
    "StaticAvailability",
    "TokenVerifier",
    "ValidationResult",
    "View",
    "explain",
    "load_profile",
]
