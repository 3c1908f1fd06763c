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

from cas_mfa_ref.config.profile import Profile
from cas_mfa_ref.engine.authentication import Authentication
from cas_mfa_ref.engine.request import HttpRequest
from cas_mfa_ref.engine.selection import select_ranked
from cas_mfa_ref.model import Provider, RegisteredService
from cas_mfa_ref.regex import find_any

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


@dataclass(frozen=True)
class TriggerResult:
    trigger: str
    provider: Provider | None
    reason: str


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
    chosen = select_ranked(resolved)
    return TriggerResult(name, chosen, f"cas.authn.mfa.triggers.global.global-provider-id names {chosen.id}")


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
    chosen = select_ranked(candidates)
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
    chosen = select_ranked(candidates)
    return TriggerResult(name, chosen, f"the service's multifactor policy names {chosen.id}")


def _service_providers(context: TriggerContext) -> list[Provider]:
    assert context.service is not None
    providers = context.profile.providers.values()
    return [p for i in context.service.policy.providers for p in providers if p.matches(i)]


# CasCoreMultifactorAuthenticationWebflowAutoConfiguration: the order of the login-time resolvers.
LOGIN_ORDER: Sequence[Trigger] = (
    global_provider,
    http_request,
    registered_service_principal_attribute,
    registered_service,
)
# The same configuration's @Bean declaration order, used first-match at ticket validation.
VALIDATION_ORDER: Sequence[Trigger] = (
    registered_service_principal_attribute,
    registered_service,
    global_provider,
    http_request,
)
