"""The triggers that ask for MFA, evaluated as CAS's login webflow evaluates them.

At login (``DefaultCasDelegatingWebflowEventResolver``) every trigger is asked, in CAS's fixed
order; each names at most one provider, and the selector chooses among them. The first trigger that
fails ends the login with an authentication error (HTTP 401). At ticket validation
(``DefaultMultifactorAuthenticationTriggerSelectionStrategy``) the first trigger that names a
provider wins, in the order the beans are declared.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from cas_mfa_ref.config.profile import Profile
from cas_mfa_ref.engine.authentication import Authentication
from cas_mfa_ref.engine.request import HttpRequest
from cas_mfa_ref.engine.rest import RestCaller, RestCallFailed
from cas_mfa_ref.engine.selection import SelectionFailed, select_with
from cas_mfa_ref.geolocation import locate
from cas_mfa_ref.model import Provider, RegisteredService
from cas_mfa_ref.regex import find, find_any, full_match, java_string

# authenticationFailure.* message keys of CAS's exception catalog, with their English texts.
UNKNOWN_FAILURE = "Authentication attempt has failed."
PROVIDER_ABSENT = (
    "Unable to satisfy multifactor authentication requirements. Your account is configured for a "
    "multifactor authentication strategy, yet CAS is unable to locate and execute that strategy most "
    "likely due to misconfiguration of the server. Contact the service administrators for assistance."
)
MFA_REQUIRED = (
    "Authentication attempt for your account is denied, because your account is not yet configured to go "
    "through multifactor authentication. Contact the service administrators for assistance, make sure your "
    "account is enrolled and eligible for multifactor authentication and try again."
)


class TriggerFailure(Exception):
    """A trigger raised: CAS answers 401 with the login form and this message."""

    def __init__(self, trigger: str, reason: str, message: str) -> None:
        super().__init__(reason)
        self.trigger = trigger
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class TriggerContext:
    profile: Profile
    authentication: Authentication
    service: RegisteredService | None
    service_url: str | None
    http: HttpRequest
    rest: RestCaller | None = None
    now: datetime | None = None


@dataclass(frozen=True)
class TriggerResult:
    trigger: str
    provider: Provider | None
    reason: str
    menu: tuple[Provider, ...] = ()  # every candidate, when the selector offers a menu

    @property
    def providers(self) -> tuple[Provider, ...]:
        return self.menu or ((self.provider,) if self.provider else ())


def _pick(context: TriggerContext, name: str, candidates: list[Provider]) -> Provider:
    """One provider from the configured selector: a selector script when there is one, else the rank."""
    try:
        return select_with(
            context.profile.triggers.selector,
            candidates,
            context.service_url,
            context.authentication.principal,
        )
    except SelectionFailed as failure:
        raise TriggerFailure(name, str(failure), UNKNOWN_FAILURE) from None


def _selected(context: TriggerContext, name: str, candidates: list[Provider], reason: str) -> TriggerResult:
    """The configured selector's pick: the highest rank, or every candidate when the menu is enabled."""
    if context.profile.core.provider_selection_enabled and len(candidates) > 1:
        offered = ", ".join(p.id for p in candidates)
        return TriggerResult(
            name, candidates[0], reason.format(chosen=offered) + " (a menu)", tuple(candidates)
        )
    chosen = _pick(context, name, candidates)
    return TriggerResult(name, chosen, reason.format(chosen=chosen.id))


Trigger = Callable[[TriggerContext], TriggerResult]


def global_provider(context: TriggerContext) -> TriggerResult:
    name = "global"
    ids = context.profile.core.global_provider_ids
    if not ids:
        return TriggerResult(name, None, "no global provider id is configured")
    providers = list(context.profile.providers.values())
    if not providers:
        raise TriggerFailure(name, "no MFA provider is configured at all", PROVIDER_ABSENT)
    resolved = [p for i in ids for p in providers if p.matches(i)]
    missing = [i for i in ids if not any(p.matches(i) for p in providers)]
    if missing:
        raise TriggerFailure(
            name, f"global provider id(s) {', '.join(missing)} match no provider", PROVIDER_ABSENT
        )
    return _selected(
        context, name, resolved, "cas.authn.mfa.triggers.global.global-provider-id names {chosen}"
    )


def http_request(context: TriggerContext) -> TriggerResult:
    name = "HTTP request"
    core = context.profile.core
    http = context.http
    sources = (
        (f"request header {core.request_header}", http.header_values(core.request_header)),
        (f"request parameter {core.request_parameter}", http.param_values(core.request_parameter)),
        (
            f"session attribute {core.session_attribute}",
            [http.session[core.session_attribute]] if core.session_attribute in http.session else [],
        ),
    )
    found = next(((label, values) for label, values in sources if values), None)
    if found is None:
        return TriggerResult(
            name, None, f"no {core.request_parameter} header, parameter or session attribute"
        )
    label, values = found
    requested = values[0]
    providers = list(context.profile.providers.values())
    if not providers:
        raise TriggerFailure(name, "no MFA provider is configured at all", PROVIDER_ABSENT)
    match = next((p for p in providers if p.matches(requested)), None)
    if match is None:
        raise TriggerFailure(
            name, f"{label} asks for '{requested}', which matches no provider", UNKNOWN_FAILURE
        )
    return TriggerResult(name, match, f"{label} asks for {match.id}")


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
    candidates = _service_providers(context)
    if not candidates:
        return TriggerResult(name, None, "the service's policy names no configured provider")
    chosen = _pick(context, name, candidates)
    names = [n.strip() for n in policy.principal_attribute_name_trigger.split(",") if n.strip()]
    attributes = context.authentication.principal_attributes
    for attribute in names:
        values = attributes.get(attribute)
        if values and find_any([policy.principal_attribute_value_to_match], values):
            return TriggerResult(
                name,
                chosen,
                f"principal attribute {attribute} matches '{policy.principal_attribute_value_to_match}'",
            )
    return TriggerResult(
        name,
        None,
        f"no principal attribute {policy.principal_attribute_name_trigger} matches "
        f"'{policy.principal_attribute_value_to_match}'",
    )


def registered_service(context: TriggerContext) -> TriggerResult:
    name = "registered service"
    service = context.service
    policy = service.policy if service else None
    if policy is None or not policy.providers:
        return TriggerResult(name, None, "the service's policy names no provider")
    if policy.principal_attribute_name_trigger or policy.principal_attribute_value_to_match:
        return TriggerResult(name, None, "left to the service principal attribute trigger")
    candidates = _service_providers(context)
    if not candidates:
        return TriggerResult(name, None, f"none of {', '.join(policy.providers)} is a configured provider")
    return _selected(context, name, candidates, "the service's multifactor policy names {chosen}")


def principal_attribute(context: TriggerContext) -> TriggerResult:
    """``PrincipalAttributeMultifactorAuthenticationTrigger`` (7.x)."""
    name = "principal attribute"
    settings = context.profile.triggers.principal
    if not settings.names:
        return TriggerResult(name, None, "no global principal attribute trigger is configured")
    providers = list(context.profile.providers.values())
    if not providers:
        raise TriggerFailure(name, "no MFA provider is configured at all", PROVIDER_ABSENT)
    attributes = context.authentication.principal_attributes
    values = [java_string(v) for n in settings.names for v in attributes.get(n, [])]
    shown = f"{', '.join(settings.names)} = {', '.join(values) or '(none)'}"
    if len(providers) == 1 and settings.value_regex:
        # One provider and a regex: any value that matches (or, reversed, does not) triggers it.
        hit = any(find(settings.value_regex, v) != settings.reverse_match for v in values)
        if hit:
            how = "does not match" if settings.reverse_match else "matches"
            return TriggerResult(name, providers[0], f"{shown} {how} '{settings.value_regex}'")
    elif context.profile.version != "7" and len(providers) > 1:
        # CAS 6.x (DefaultMultifactorAuthenticationProviderResolver#resolveEventViaPrincipalAttribute):
        # the selector picks one provider first, and only a value naming that one triggers it.
        chosen = _pick(context, name, providers)
        if any(chosen.matches(v) for v in values):
            return TriggerResult(name, chosen, f"{shown} names {chosen.id}, the selector's pick (CAS 6.x)")
        shown = f"{shown} (CAS 6.x: only {chosen.id}, the selector's pick, is tested)"
    else:
        # Several providers (or no regex): a value must name a provider; the first one in order wins.
        for provider in providers:
            if any(provider.matches(v) for v in values):
                return TriggerResult(name, provider, f"{shown} names {provider.id}")
    if settings.deny_if_unmatched:
        raise TriggerFailure(name, f"{shown} does not qualify and deny-if-unmatched is set", MFA_REQUIRED)
    return TriggerResult(name, None, f"{shown} does not trigger MFA")


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


def adaptive(context: TriggerContext) -> TriggerResult:
    """``AdaptiveMultifactorAuthenticationTrigger``: a regex against the User-Agent, then the client IP,
    then (with a geolocation service) the located address."""
    name = "adaptive"
    rules = context.profile.triggers.adaptive
    if not rules:
        return TriggerResult(name, None, "no adaptive policy requires MFA")
    if not context.profile.providers:
        raise TriggerFailure(name, "no MFA provider is configured at all", PROVIDER_ABSENT)
    agent = context.http.user_agent or next(iter(context.http.header_values("User-Agent")), "")
    service = context.profile.geolocation
    address = locate(service, context.http) if service is not None else None
    for provider_id, pattern in rules:
        provider = context.profile.provider(provider_id)
        if provider is None:
            raise TriggerFailure(
                name, f"the adaptive policy names '{provider_id}', which is no provider", UNKNOWN_FAILURE
            )
        for label, value in (("user agent", agent), ("client address", context.http.remote_addr)):
            if value and find(pattern, value):
                return TriggerResult(name, provider, f"the {label} '{value}' matches '{pattern}'")
        if address and find(pattern, address):
            return TriggerResult(
                name,
                provider,
                f"the location '{address}' ({service.describe() if service else ''}) matches '{pattern}'",
            )
    located = (
        "no geolocation service is configured"
        if service is None
        else f"the location is {address!r} ({service.describe()})"
    )
    return TriggerResult(
        name, None, f"neither the user agent, the client address nor the location matches a policy; {located}"
    )


def groovy_script(context: TriggerContext) -> TriggerResult:
    """``GroovyScriptMultifactorAuthenticationTrigger``, run as its Python counterpart:
    ``run(service, registered_service, authentication, request)`` returns a provider id or None."""
    name = "Groovy script"
    hook = context.profile.triggers.groovy
    if hook is None:
        return TriggerResult(name, None, "no Groovy trigger script is configured")
    if context.service is None or context.service_url is None:
        return TriggerResult(name, None, "the script needs a registered service")
    if not context.profile.providers:
        raise TriggerFailure(name, "no MFA provider is configured at all", PROVIDER_ABSENT)
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


def scripted_registered_service(context: TriggerContext) -> TriggerResult:
    """``ScriptedRegisteredServiceMultifactorAuthenticationTrigger``: the service policy's ``script``, run as
    its Python counterpart ``run(authentication, registered_service, request, service)``; the answer is
    compared with the provider ids ignoring case, and one that names no provider fails the login."""
    name = "service script"
    service = context.service
    hook = service.policy.script if service is not None else None
    if service is None or hook is None:
        return TriggerResult(name, None, "the service's policy sets no script")
    providers = list(context.profile.providers.values())
    if not providers:
        raise TriggerFailure(name, "no MFA provider is configured at all", PROVIDER_ABSENT)
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


def timed(context: TriggerContext) -> TriggerResult:
    """``TimedMultifactorAuthenticationTrigger``; its conditions replace one another rather than combine."""
    name = "timed"
    rules = context.profile.triggers.timed
    if not rules:
        return TriggerResult(name, None, "no timed policy is configured")
    if context.service_url is None:
        return TriggerResult(name, None, "no service was requested")
    now = context.now or datetime.now(UTC)
    day = now.strftime("%A").lower()
    for rule in rules:
        if rule.on_or_before_hour >= 0:
            matched, why = now.hour <= rule.on_or_before_hour, f"hour {now.hour} <= {rule.on_or_before_hour}"
        elif rule.on_or_after_hour >= 0:
            matched, why = now.hour >= rule.on_or_after_hour, f"hour {now.hour} >= {rule.on_or_after_hour}"
        else:
            matched, why = (
                day in [d.lower() for d in rule.on_days],
                f"{day} in {', '.join(rule.on_days) or '()'}",
            )
        if matched:
            provider = context.profile.provider(rule.provider_id)
            if provider is None:
                raise TriggerFailure(
                    name,
                    f"the timed policy names '{rule.provider_id}', which is no provider",
                    UNKNOWN_FAILURE,
                )
            return TriggerResult(name, provider, f"{why} (the last condition set decides)")
    return TriggerResult(name, None, "no timed policy holds now")


def _service_providers(context: TriggerContext) -> list[Provider]:
    assert context.service is not None
    providers = context.profile.providers.values()
    return [p for i in context.service.policy.providers for p in providers if p.matches(i)]


# CasCoreMultifactorAuthenticationWebflowAutoConfiguration: the order of the login-time resolvers.
LOGIN_ORDER: Sequence[Trigger] = (
    adaptive,
    timed,
    global_provider,
    http_request,
    rest_endpoint,
    groovy_script,
    scripted_registered_service,
    registered_service_principal_attribute,
    predicated_principal_attribute,
    principal_attribute,
    authentication_attribute,
    registered_service,
)
# The same configuration's @Bean declaration order, used first-match at ticket validation.
VALIDATION_ORDER: Sequence[Trigger] = (
    scripted_registered_service,
    registered_service_principal_attribute,
    rest_endpoint,
    registered_service,
    adaptive,
    global_provider,
    timed,
    groovy_script,
    http_request,
    principal_attribute,
    authentication_attribute,
    predicated_principal_attribute,
)
