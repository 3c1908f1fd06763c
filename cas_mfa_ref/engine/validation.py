"""Ticket validation's MFA check and the attributes it releases.

``DefaultRequestedAuthenticationContextValidator``: the service's ``bypassEnabled`` passes; otherwise the
first trigger that names a provider decides; an available provider passes when its bypass chain says
bypass or the authentication recorded a bypass for it; an unavailable one passes unless the failure
mode is CLOSED; otherwise ``DefaultMultifactorAuthenticationContextValidator`` must find the context,
or the answer is ``INVALID_AUTHENTICATION_CONTEXT``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cas_mfa_ref.config.profile import Profile
from cas_mfa_ref.engine.authentication import Authentication
from cas_mfa_ref.engine.bypass import BypassContext, evaluate_chain, is_bypassed, remember_bypass
from cas_mfa_ref.engine.clock import Clock, SystemClock
from cas_mfa_ref.engine.failure_mode import resolve_failure_mode
from cas_mfa_ref.engine.providers import ProviderChecks
from cas_mfa_ref.engine.request import HttpRequest
from cas_mfa_ref.engine.rest import RestCaller
from cas_mfa_ref.engine.trace import Trace
from cas_mfa_ref.engine.triggers import VALIDATION_ORDER, TriggerContext, TriggerFailure
from cas_mfa_ref.model import FailureMode, Provider, RegisteredService
from cas_mfa_ref.regex import java_string

TRUSTED_ATTRIBUTE = "isFromTrustedMultifactorAuthentication"
INVALID_AUTHENTICATION_CONTEXT = "INVALID_AUTHENTICATION_CONTEXT"


@dataclass
class ContextCheck:
    """The validation-time MFA verdict: success with an optional context id, or the failure code."""

    success: bool
    context_id: str | None = None
    code: str | None = None
    trace: Trace = field(default_factory=Trace)


def check_context(
    profile: Profile,
    authentication: Authentication,
    service: RegisteredService | None,
    service_url: str | None,
    http: HttpRequest,
    availability: ProviderChecks,
    rest: RestCaller,
    clock: Clock | None = None,
) -> ContextCheck:
    check = ContextCheck(success=True)
    trace = check.trace
    if service is not None and service.policy.bypass_enabled:
        trace.add("validation", "success", "the service sets bypassEnabled")
        return check
    context = TriggerContext(
        profile, authentication, service, service_url, http, rest, (clock or SystemClock()).now()
    )
    providers: tuple[Provider, ...] = ()
    for trigger in VALIDATION_ORDER:
        try:
            result = trigger(context)
        except TriggerFailure as failure:
            trace.add("validation", INVALID_AUTHENTICATION_CONTEXT, f"{failure.trigger}: {failure.reason}")
            return ContextCheck(False, code=INVALID_AUTHENTICATION_CONTEXT, trace=trace)
        if result.providers:
            providers = result.providers
            names = ", ".join(p.id for p in providers)
            trace.add("validation", names, f"first trigger to ask at validation: {result.trigger}")
            break
    if not providers:
        trace.add("validation", "success", "no trigger asks for MFA at validation")
        return check

    # validateMultifactorProviderBypass, for the provider or each member of a composite.
    if all(
        _passes_without_context(profile, authentication, p, service, http, availability, rest, trace)
        for p in providers
    ):
        return check
    for provider in sorted(providers, key=lambda p: p.rank):
        reason = satisfied_by(profile, authentication, provider)
        if reason is not None:
            trace.add("validation", "success", reason)
            return ContextCheck(True, context_id=provider.id, trace=trace)
    names = ", ".join(p.id for p in providers)
    trace.add("validation", INVALID_AUTHENTICATION_CONTEXT, f"the authentication does not satisfy {names}")
    return ContextCheck(False, code=INVALID_AUTHENTICATION_CONTEXT, trace=trace)


def _passes_without_context(
    profile: Profile,
    authentication: Authentication,
    provider: Provider,
    service: RegisteredService | None,
    http: HttpRequest,
    availability: ProviderChecks,
    rest: RestCaller,
    trace: Trace,
) -> bool:
    """A bypass (by rule or recorded), or an unavailable provider whose failure mode is not CLOSED."""
    if availability.is_available(provider, service):
        verdict, _ = evaluate_chain(BypassContext(authentication, provider, service, http, rest))
        if verdict.bypass:
            remember_bypass(authentication, provider)
            trace.add("validation", "success", f"bypass rule at validation: {verdict.reason}")
            return True
        if is_bypassed(authentication, provider):
            trace.add("validation", "success", f"the authentication records a bypass of {provider.id}")
            return True
        return False
    mode = resolve_failure_mode(profile.core.global_failure_mode, provider, service)
    if mode.mode is not FailureMode.CLOSED:
        trace.add("validation", "success", f"{provider.id} is unavailable and the failure mode is {mode}")
        return True
    return False


def satisfied_by(profile: Profile, authentication: Authentication, requested: Provider) -> str | None:
    """``DefaultMultifactorAuthenticationContextValidator#validate``: why the context is met, or None."""
    satisfied_ids = {
        java_string(v).lower()
        for name in profile.core.context_attributes
        for v in authentication.values(name)
    }
    if requested.id.lower() in satisfied_ids:
        return f"the authentication context already holds {requested.id}"
    if authentication.values(TRUSTED_ATTRIBUTE):
        return f"{TRUSTED_ATTRIBUTE} is present, which satisfies any provider"
    for provider in profile.providers.values():
        if provider.id.lower() in satisfied_ids and provider.rank >= requested.rank:
            return f"{provider.id} (rank {provider.rank}) satisfies {requested.id} (rank {requested.rank})"
    return None


def released_attributes(
    profile: Profile,
    authentication: Authentication,
    service: RegisteredService | None,
    context_id: str | None,
    *,
    new_login: bool,
    authentication_date: datetime,
) -> dict[str, list[Any]]:
    """What ``/p3/serviceValidate`` releases: allowed principal attributes and authentication attributes."""
    released: dict[str, list[Any]] = {}
    policy = service.release if service is not None else None
    for name, values in authentication.principal_attributes.items():
        if policy is not None and policy.releases(name):
            released[name] = list(values)
    if not profile.release.enabled or (
        policy is not None and not policy.authorized_to_release_authentication_attributes
    ):
        return released
    candidates: dict[str, list[Any]] = {
        "authenticationDate": [authentication_date.isoformat().replace("+00:00", "Z")],
        "isFromNewLogin": [new_login],
        "longTermAuthenticationRequestTokenUsed": [False],
    }
    candidates.update({k: list(v) for k, v in authentication.attributes.items()})
    if context_id is not None:
        for name in profile.core.context_attributes:
            candidates[name] = [context_id]
    for name, values in candidates.items():
        if profile.release.only_release and name not in profile.release.only_release:
            continue
        if name in profile.release.never_release:
            continue
        released[name] = values
    return released
