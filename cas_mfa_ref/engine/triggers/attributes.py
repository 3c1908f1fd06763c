"""Triggers on the principal's and the authentication's attributes, and the principal attribute predicate."""

from __future__ import annotations

from cas_mfa_ref.engine.triggers.base import (
    MFA_REQUIRED,
    UNKNOWN_FAILURE,
    TriggerContext,
    TriggerFailure,
    TriggerResult,
)
from cas_mfa_ref.model import Provider
from cas_mfa_ref.regex import find, full_match, java_string
from cas_mfa_ref.versions import PRINCIPAL_REGEX_MATCHES_WHOLE


def principal_attribute(context: TriggerContext) -> TriggerResult:
    """``PrincipalAttributeMultifactorAuthenticationTrigger``: with one provider and a value regex, a value
    that matches it (or, reversed, does not); otherwise the first provider, in order, that a value names.

    With ``deny-if-unmatched`` every login the trigger selects nothing for is denied, whether or not
    attribute names are configured: CAS's ``resolveMultifactorAuthenticationProvider`` has no early
    exit for a trigger left unconfigured (the docs present the flag as part of the attribute trigger).
    """
    name = "principal attribute"
    settings = context.profile.triggers.principal
    found = _principal_match(context) if settings.names else None
    if found is not None:
        return TriggerResult(name, found[0], found[1])
    if settings.deny_if_unmatched:
        why = (
            "no global principal attribute trigger is configured"
            if not settings.names
            else "no value qualifies"
        )
        raise TriggerFailure(name, f"{why} and deny-if-unmatched is set", MFA_REQUIRED)
    if not settings.names:
        return TriggerResult(name, None, "no global principal attribute trigger is configured")
    return TriggerResult(name, None, f"{_shown(context)} does not trigger MFA")


def _shown(context: TriggerContext) -> str:
    names = context.profile.triggers.principal.names
    attributes = context.authentication.principal_attributes
    values = [java_string(v) for n in names for v in attributes.get(n, [])]
    return f"{', '.join(names)} = {', '.join(values) or '(none)'}"


def _principal_match(context: TriggerContext) -> tuple[Provider, str] | None:
    """The provider the global principal attribute trigger selects, and why; None if it selects none.
    No provider configured selects none (``resolveEventViaAttribute`` returns nothing)."""
    settings = context.profile.triggers.principal
    providers = list(context.profile.providers.values())
    attributes = context.authentication.principal_attributes
    values = [java_string(v) for n in settings.names for v in attributes.get(n, [])]
    shown = _shown(context)
    if len(providers) == 1 and settings.value_regex:
        whole = PRINCIPAL_REGEX_MATCHES_WHOLE.holds(context.profile.version)
        test = full_match if whole else find
        if any(test(settings.value_regex, v) != settings.reverse_match for v in values):
            how = "does not match" if settings.reverse_match else "matches whole" if whole else "matches"
            return providers[0], f"{shown} {how} '{settings.value_regex}'"
        return None
    provider = next((p for p in providers if any(p.matches(v) for v in values)), None)
    return None if provider is None else (provider, f"{shown} names {provider.id}")


def authentication_attribute(context: TriggerContext) -> TriggerResult:
    """``AuthenticationAttributeMultifactorAuthenticationTrigger``: whole, case-sensitive regex match."""
    name = "authentication attribute"
    settings = context.profile.triggers.authentication
    if not settings.names:
        return TriggerResult(name, None, "no global authentication attribute trigger is configured")
    providers = list(context.profile.providers.values())
    values = [java_string(v) for n in settings.names for v in context.authentication.attributes.get(n, [])]
    shown = f"{', '.join(settings.names)} = {', '.join(values) or '(none)'}"
    whole = settings.value_regex and any(full_match(settings.value_regex, v) for v in values)
    if len(providers) == 1 and whole:
        return TriggerResult(name, providers[0], f"{shown} matches '{settings.value_regex}' whole")
    for provider in providers:
        if any(provider.matches(v) for v in values):
            return TriggerResult(name, provider, f"{shown} names {provider.id}")
    return TriggerResult(name, None, f"{shown} does not trigger MFA")


def predicated_principal_attribute(context: TriggerContext) -> TriggerResult:
    """``PredicatedPrincipalAttributeMultifactorAuthenticationTrigger``: the predicate script tests each
    provider, as its Python counterpart ``run(service, principal, providers, provider)``; among those it
    accepts, CAS takes the one with the LOWEST rank (``Stream#min`` by order). The docs say "the first
    provider in the sorted result set ranked by the provider's order"."""
    name = "principal attribute predicate"
    hook = context.profile.triggers.predicate
    if hook is None:
        return TriggerResult(name, None, "no global principal attribute predicate is configured")
    providers = list(context.profile.providers.values())
    if not providers:
        return TriggerResult(name, None, "no MFA provider is configured")
    principal = context.authentication.principal_view
    accepted = []
    for provider in providers:
        try:
            verdict = hook.run(context.service_url, principal, providers, provider)
        except Exception as error:
            raise TriggerFailure(
                name, f"{hook.script.name} failed: {type(error).__name__}: {error}", UNKNOWN_FAILURE
            ) from None
        if verdict:
            accepted.append(provider)
    if not accepted:
        return TriggerResult(name, None, f"{hook.script.name} accepts no provider")
    chosen = min(accepted, key=lambda p: p.rank)
    listed = ", ".join(f"{p.id} (rank {p.rank})" for p in accepted)
    return TriggerResult(name, chosen, f"{hook.script.name} accepts {listed}; the lowest rank is taken")
