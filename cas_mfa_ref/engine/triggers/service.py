"""Triggers of the registered service: its multifactor policy, its principal attribute pair, its script."""

from __future__ import annotations

from cas_mfa_ref.engine.triggers.base import (
    MFA_REQUIRED,
    PROVIDER_ABSENT,
    TriggerContext,
    TriggerFailure,
    TriggerResult,
    pick,
    require_providers,
    selected,
    service_providers,
)
from cas_mfa_ref.regex import find_any
from cas_mfa_ref.versions import SERVICE_TRIGGER_DENIES_UNMATCHED


def registered_service(context: TriggerContext) -> TriggerResult:
    name = "registered service"
    service = context.service
    policy = service.policy if service else None
    if policy is None or not policy.providers:
        return TriggerResult(name, None, "the service's policy names no provider")
    if policy.principal_attribute_name_trigger or policy.principal_attribute_value_to_match:
        return TriggerResult(name, None, "left to the service principal attribute trigger")
    candidates = service_providers(context)
    if not candidates:
        return TriggerResult(name, None, f"none of {', '.join(policy.providers)} is a configured provider")
    return selected(context, name, candidates, "the service's multifactor policy names {chosen}")


def registered_service_principal_attribute(context: TriggerContext) -> TriggerResult:
    name = "service principal attribute"
    service = context.service
    policy = service.policy if service else None
    if (
        policy is None
        or not policy.principal_attribute_name_trigger
        or not policy.principal_attribute_value_to_match
    ):
        return TriggerResult(
            name, None, "the service sets no principalAttributeNameTrigger/ValueToMatch pair"
        )
    if not policy.providers:
        return TriggerResult(name, None, "the service's policy names no provider")
    candidates = service_providers(context)
    chosen = pick(context, name, candidates) if candidates else None
    names = [n.strip() for n in policy.principal_attribute_name_trigger.split(",") if n.strip()]
    attributes = context.authentication.principal_attributes
    for attribute in names:
        values = attributes.get(attribute)
        if chosen is not None and values and find_any([policy.principal_attribute_value_to_match], values):
            return TriggerResult(
                name,
                chosen,
                f"principal attribute {attribute} matches '{policy.principal_attribute_value_to_match}'",
            )
    why = (
        "the service's policy names no configured provider"
        if chosen is None
        else f"no principal attribute {policy.principal_attribute_name_trigger} matches "
        f"'{policy.principal_attribute_value_to_match}'"
    )
    # unmatchedMultifactorAuthenticationTrigger: the global deny-if-unmatched applies here too.
    if context.profile.triggers.principal.deny_if_unmatched and SERVICE_TRIGGER_DENIES_UNMATCHED.holds(
        context.profile.version
    ):
        raise TriggerFailure(name, f"{why} and deny-if-unmatched is set", MFA_REQUIRED)
    return TriggerResult(name, None, why)


def scripted_registered_service(context: TriggerContext) -> TriggerResult:
    """``ScriptedRegisteredServiceMultifactorAuthenticationTrigger``: the service policy's ``script``, run as
    its Python counterpart ``run(authentication, registered_service, request, service)``; the answer is
    compared with the provider ids ignoring case, and one that names no provider fails the login."""
    name = "service script"
    service = context.service
    hook = service.policy.script if service is not None else None
    if service is None or hook is None:
        return TriggerResult(name, None, "the service's policy sets no script")
    providers = require_providers(context, name)
    try:
        answer = hook.run(context.authentication, service, context.http, context.service_url)
    except Exception as error:  # CAS logs a failing script and carries on without its answer
        return TriggerResult(
            name, None, f"{hook.script.name} failed ({type(error).__name__}: {error}): no MFA"
        )
    requested = str(answer).strip() if answer is not None else ""
    if not requested:
        return TriggerResult(name, None, f"{hook.script.name} answered nothing: no MFA")
    provider = next((p for p in providers if p.id.lower() == requested.lower()), None)
    if provider is None:
        raise TriggerFailure(
            name, f"{hook.script.name} answered '{requested}', which is no provider", PROVIDER_ABSENT
        )
    return TriggerResult(name, provider, f"{hook.script.name} answered {provider.id}")
