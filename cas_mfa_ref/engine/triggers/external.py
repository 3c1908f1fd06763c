"""Triggers that ask something outside the profile's settings: a REST endpoint and a trigger script."""

from __future__ import annotations

from cas_mfa_ref.engine.rest import RestCaller, RestCallFailed
from cas_mfa_ref.engine.triggers.base import TriggerContext, TriggerFailure, TriggerResult, require_providers
from cas_mfa_ref.versions import REST_TRIGGER_UNREACHABLE_FAILS


def rest_endpoint(context: TriggerContext) -> TriggerResult:
    """``RestEndpointMultifactorAuthenticationTrigger``: the endpoint's 2xx body names the provider."""
    name = "REST"
    endpoint = context.profile.triggers.rest
    if endpoint is None:
        return TriggerResult(name, None, "no REST trigger is configured")
    if context.service_url is None:
        return TriggerResult(name, None, "no service was requested")
    caller = context.rest or RestCaller()
    body = {"principalId": context.authentication.principal, "serviceId": context.service_url}
    try:
        answer = caller.call(endpoint, json_body=body)
    except RestCallFailed as failure:
        # HttpUtils#execute answers null; from 6.4 the trigger reads its status outside any catch, and
        # DefaultCasDelegatingWebflowEventResolver turns the exception into the error event (HTTP 401).
        if REST_TRIGGER_UNREACHABLE_FAILS.holds(context.profile.version):
            raise TriggerFailure(name, f"{failure}: the login ends in an error", None) from None
        return TriggerResult(name, None, f"{failure}: no MFA")
    requested = answer.body.strip()
    if not 200 <= answer.status < 300 or not requested:
        return TriggerResult(
            name, None, f"{endpoint.url} answered {answer.status} without a provider: no MFA"
        )
    provider = context.profile.provider(requested)
    if provider is None:
        return TriggerResult(name, None, f"{endpoint.url} names '{requested}', which is no provider: no MFA")
    return TriggerResult(name, provider, f"{endpoint.url} answered {answer.status} naming {provider.id}")


def groovy_script(context: TriggerContext) -> TriggerResult:
    """``GroovyScriptMultifactorAuthenticationTrigger``, run as its Python counterpart:
    ``run(service, registered_service, authentication, request)`` returns a provider id or None."""
    name = "Groovy script"
    hook = context.profile.triggers.groovy
    if hook is None:
        return TriggerResult(name, None, "no Groovy trigger script is configured")
    if context.service is None or context.service_url is None:
        return TriggerResult(name, None, "the script needs a registered service")
    require_providers(context, name)
    try:
        answer = hook.run(context.service_url, context.service, context.authentication, context.http)
    except Exception as error:  # CAS: a failing script triggers nothing
        return TriggerResult(
            name, None, f"{hook.script.name} failed ({type(error).__name__}: {error}): no MFA"
        )
    provider = context.profile.provider(str(answer)) if answer else None
    if provider is None:
        return TriggerResult(
            name, None, f"{hook.script.name} answered {answer!r}, which is no provider: no MFA"
        )
    return TriggerResult(name, provider, f"{hook.script.name} answered {provider.id}")
