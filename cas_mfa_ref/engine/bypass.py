"""The bypass chain of a provider: ``DefaultChainingMultifactorAuthenticationBypassProvider``.

Every evaluator must say "execute" for MFA to run; the first that says "bypass" ends the chain, so
later ones (a REST call, for instance) are not asked. Matching follows the profile's CAS version: in
7.x attribute names and values are case-insensitive regex searches, in 6.x whole, case-sensitive
matches; header names must match whole, credential classes whole and case-sensitively.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cas_mfa_ref.engine.authentication import (
    AUTHENTICATION_METHOD,
    BYPASS_MFA,
    BYPASS_MFA_PROVIDER,
    SUCCESSFUL_HANDLERS,
    Authentication,
)
from cas_mfa_ref.engine.request import HttpRequest
from cas_mfa_ref.engine.rest import RestCaller, RestCallFailed
from cas_mfa_ref.model import Provider, RegisteredService
from cas_mfa_ref.regex import find, find_any, full_match, java_string, split_patterns
from cas_mfa_ref.versions import (
    BYPASS_MATCH_FINDS,
    BYPASS_VALUES_LISTED,
    REST_BYPASS_ANY_2XX_RUNS,
    REST_BYPASS_UNREACHABLE_BYPASSES,
    SERVICE_BYPASS_RULE_NEEDS_ENABLED,
    CasVersion,
)


@dataclass(frozen=True)
class BypassContext:
    authentication: Authentication
    provider: Provider
    service: RegisteredService | None
    http: HttpRequest
    rest: RestCaller


@dataclass(frozen=True)
class BypassVerdict:
    bypass: bool
    evaluator: str
    reason: str


Evaluator = Callable[[BypassContext], BypassVerdict]


def evaluate_chain(context: BypassContext) -> tuple[BypassVerdict, list[BypassVerdict]]:
    """Run the provider's chain; returns the deciding verdict and every verdict that was asked."""
    asked: list[BypassVerdict] = []
    for evaluator in chain_for(context.provider):
        verdict = evaluator(context)
        asked.append(verdict)
        if verdict.bypass:
            return verdict, asked
    return BypassVerdict(False, "chain", "every bypass rule says MFA must run"), asked


def chain_for(provider: Provider) -> list[Evaluator]:
    """The members CAS adds to a provider's chain, in its configuration order."""
    rules = provider.bypass
    chain: list[Evaluator] = []
    if rules.principal_attribute_name:
        chain.append(principal_attribute)
    chain.append(registered_service)
    chain.append(registered_service_principal_attribute)
    if (
        rules.authentication_attribute_name
        or rules.authentication_handler_name
        or rules.authentication_method_name
    ):
        chain.append(authentication_attribute)
    if rules.credential_class_type:
        chain.append(credential_type)
    if rules.http_request_headers or rules.http_request_remote_address:
        chain.append(http_request)
    if rules.rest is not None:
        chain.append(rest_endpoint)
    return chain


def remember_bypass(authentication: Authentication, provider: Provider) -> None:
    """``rememberBypass``: the two bypass attributes, Boolean true and the provider id."""
    authentication.replace(BYPASS_MFA, True)
    authentication.replace(BYPASS_MFA_PROVIDER, provider.id)


def forget_bypass(authentication: Authentication) -> None:
    """``forgetBypass``: MFA runs, and the authentication says so with Boolean false."""
    authentication.replace(BYPASS_MFA, False)


def is_bypassed(authentication: Authentication, provider: Provider) -> bool:
    """``isMultifactorAuthenticationBypassed``: recorded as bypassed for this very provider."""
    flagged = True in [v is True for v in authentication.values(BYPASS_MFA)]
    recorded = [java_string(v).lower() for v in authentication.values(BYPASS_MFA_PROVIDER)]
    return flagged and provider.id.lower() in recorded


# -- the evaluators -----------------------------------------------------------------------------------


def principal_attribute(context: BypassContext) -> BypassVerdict:
    rules = context.provider.bypass
    assert rules.principal_attribute_name is not None
    return _principal_rule(
        context, "principal attribute", rules.principal_attribute_name, rules.principal_attribute_value
    )


def _principal_rule(
    context: BypassContext, evaluator: str, name_pattern: str, value_patterns: str | None
) -> BypassVerdict:
    """Bypass when a principal attribute matches by name (and value, when one is given)."""
    hit = _attribute_match(
        context.provider.version,
        context.authentication.principal_attributes,
        name_pattern,
        value_patterns,
        match_if_no_value=True,
    )
    if hit:
        return BypassVerdict(True, evaluator, f"principal {hit}")
    return BypassVerdict(False, evaluator, _no_match("principal", name_pattern, value_patterns))


def registered_service(context: BypassContext) -> BypassVerdict:
    name = "registered service"
    if context.service is not None and context.service.policy.bypass_enabled:
        return BypassVerdict(True, name, "the service's multifactor policy sets bypassEnabled")
    return BypassVerdict(False, name, "the service does not set bypassEnabled")


def registered_service_principal_attribute(context: BypassContext) -> BypassVerdict:
    """``RegisteredServicePrincipalAttributeMultifactorAuthenticationProviderBypassEvaluator``.

    Its rule changed twice. Up to 6.3 the pair was read only when ``bypassEnabled`` was set, which
    already stops every trigger, so the pair had no effect of its own. From 6.4 the pair stands alone;
    6.x matches name and value as every 6.x bypass attribute rule does (:func:`_attribute_match`); 7.x
    searches them ignoring case, splits the value at commas and adds ``bypassIfMissingPrincipalAttribute``.
    """
    name = "service principal attribute"
    service = context.service
    policy = service.policy if service else None
    if (
        policy is None
        or not policy.bypass_principal_attribute_name
        or not policy.bypass_principal_attribute_value
    ):
        return BypassVerdict(False, name, "the service sets no bypassPrincipalAttributeName/Value pair")
    version = context.provider.version
    if SERVICE_BYPASS_RULE_NEEDS_ENABLED.holds(version) and not policy.bypass_enabled:
        return BypassVerdict(
            False,
            name,
            "CAS 6.3 and earlier read bypassPrincipalAttributeName/Value only when bypassEnabled is set",
        )
    if not BYPASS_VALUES_LISTED.holds(version):  # the 6.x evaluator: the base class's matching
        return _principal_rule(
            context, name, policy.bypass_principal_attribute_name, policy.bypass_principal_attribute_value
        )
    attributes = context.authentication.principal_attributes
    keys = [k for k in attributes if find(policy.bypass_principal_attribute_name, k)]
    if not keys:
        if policy.bypass_if_missing_principal_attribute:
            return BypassVerdict(
                True,
                name,
                f"the principal has no attribute matching '{policy.bypass_principal_attribute_name}' "
                "and the service sets bypassIfMissingPrincipalAttribute",
            )
        return BypassVerdict(
            False, name, f"the principal has no attribute matching '{policy.bypass_principal_attribute_name}'"
        )
    values = [v for k in keys for v in attributes[k]]
    patterns = split_patterns(policy.bypass_principal_attribute_value)
    shown = f"principal attribute {keys[0]}={_show(values)}"
    if find_any(patterns, values):
        return BypassVerdict(True, name, f"{shown} matches '{policy.bypass_principal_attribute_value}'")
    return BypassVerdict(False, name, f"{shown} does not match '{policy.bypass_principal_attribute_value}'")


def authentication_attribute(context: BypassContext) -> BypassVerdict:
    rules = context.provider.bypass
    name = "authentication"
    attributes = context.authentication.attributes
    reasons = []
    if rules.authentication_attribute_name:
        hit = _attribute_match(
            context.provider.version,
            attributes,
            rules.authentication_attribute_name,
            rules.authentication_attribute_value,
            match_if_no_value=False,
        )
        if hit:
            return BypassVerdict(True, name, f"authentication {hit}")
        reasons.append(
            _no_match(
                "authentication", rules.authentication_attribute_name, rules.authentication_attribute_value
            )
        )
    if rules.authentication_method_name:
        hit = _attribute_match(
            context.provider.version,
            attributes,
            AUTHENTICATION_METHOD,
            rules.authentication_method_name,
            match_if_no_value=False,
        )
        if hit:
            return BypassVerdict(True, name, f"authentication method: {hit}")
        reasons.append(f"no authentication method matches '{rules.authentication_method_name}'")
    if rules.authentication_handler_name:
        hit = _attribute_match(
            context.provider.version,
            attributes,
            SUCCESSFUL_HANDLERS,
            rules.authentication_handler_name,
            match_if_no_value=False,
        )
        if hit:
            return BypassVerdict(True, name, f"authentication handler: {hit}")
        reasons.append(f"no authentication handler matches '{rules.authentication_handler_name}'")
    return BypassVerdict(False, name, "; ".join(reasons))


def credential_type(context: BypassContext) -> BypassVerdict:
    pattern = context.provider.bypass.credential_class_type
    assert pattern is not None
    name = "credential type"
    for credential in context.authentication.credential_classes:
        if full_match(pattern, credential):
            return BypassVerdict(True, name, f"credential {credential} matches '{pattern}'")
    return BypassVerdict(False, name, f"no credential class matches '{pattern}'")


def http_request(context: BypassContext) -> BypassVerdict:
    rules = context.provider.bypass
    name = "HTTP request"
    http = context.http
    reasons = []
    if rules.http_request_remote_address:
        pattern = rules.http_request_remote_address
        for label, value in (("remote address", http.remote_addr), ("remote host", http.host)):
            if value and find(pattern, value):
                return BypassVerdict(True, name, f"{label} {value} matches '{pattern}'")
        reasons.append(f"remote address {http.remote_addr} does not match '{pattern}'")
    if rules.http_request_headers:
        patterns = split_patterns(rules.http_request_headers)
        for header in http.header_names():
            for pattern in patterns:
                if full_match(pattern, header, ignore_case=True):
                    return BypassVerdict(True, name, f"request header {header} matches '{pattern}'")
        reasons.append(f"no request header name matches '{rules.http_request_headers}'")
    return BypassVerdict(False, name, "; ".join(reasons))


def rest_endpoint(context: BypassContext) -> BypassVerdict:
    endpoint = context.provider.bypass.rest
    assert endpoint is not None
    name = "REST"
    params = {"principal": context.authentication.principal, "provider": context.provider.id}
    if context.service is not None:
        params["service"] = context.service.service_id
    version = context.provider.version
    try:
        answer = context.rest.call(endpoint, params=params)
    except RestCallFailed as exc:
        # HttpUtils#execute answers null when the call fails: 6.4+ take that for "bypass"; 6.2/6.3
        # dereferenced it, and the evaluator's catch-all ran MFA.
        if REST_BYPASS_UNREACHABLE_BYPASSES.holds(version):
            return BypassVerdict(
                True, name, f"{exc}; CAS {version} bypasses when the endpoint gives no answer"
            )
        return BypassVerdict(False, name, f"{exc}; CAS {version} runs MFA when the endpoint fails")
    if REST_BYPASS_ANY_2XX_RUNS.holds(version):
        runs, rule = 200 <= answer.status < 300, "2xx runs MFA"
    else:
        runs, rule = answer.status == 202, f"only 202 runs MFA in CAS {version}"
    verdict = "MFA runs" if runs else "bypass"
    return BypassVerdict(not runs, name, f"{endpoint.url} answered {answer.status}: {verdict} ({rule})")


# -- matching -----------------------------------------------------------------------------------------


def _attribute_match(
    version: CasVersion,
    attributes: dict[str, list[object]],
    name_pattern: str,
    value_patterns: str | None,
    *,
    match_if_no_value: bool,
) -> str | None:
    """``locateMatchingAttributeValue``: a description of the match, or None. 7.x searches names and
    values ignoring case, the value a comma-separated list of patterns; 6.4-6.6 searched the same way
    with the value as one pattern; 6.2/6.3 required whole, case-sensitive matches (``String#matches``)."""
    searched = BYPASS_MATCH_FINDS.holds(version)
    keys = [k for k in attributes if (find(name_pattern, k) if searched else full_match(name_pattern, k))]
    if not keys:
        return None
    if not value_patterns:
        return f"attribute {keys[0]} matches '{name_pattern}'" if match_if_no_value else None
    patterns = split_patterns(value_patterns) if BYPASS_VALUES_LISTED.holds(version) else [value_patterns]
    for key in keys:
        values = [java_string(v) for v in attributes[key]]
        hit = (
            find_any(patterns, values)
            if searched
            else any(full_match(p, v) for p in patterns for v in values)
        )
        if hit:
            return f"attribute {key}={_show(attributes[key])} matches '{value_patterns}'"
    return None


def _no_match(kind: str, name: str, value: str | None) -> str:
    if value:
        return f"no {kind} attribute matching '{name}' has a value matching '{value}'"
    return f"no {kind} attribute name matches '{name}'"


def _show(values: list[object]) -> str:
    return ",".join(java_string(v) for v in values)
