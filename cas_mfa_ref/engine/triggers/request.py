"""Triggers on what the login carries and when it happens: the global provider, the HTTP request (header,
parameter, session attribute), the adaptive policy and the timed policy."""

from __future__ import annotations

from datetime import UTC, datetime

from cas_mfa_ref.config.triggers import DAY_NAMES
from cas_mfa_ref.engine.triggers.base import (
    PROVIDER_ABSENT,
    UNKNOWN_FAILURE,
    TriggerContext,
    TriggerFailure,
    TriggerResult,
    require_providers,
    selected,
)
from cas_mfa_ref.geolocation import locate
from cas_mfa_ref.regex import find


def global_provider(context: TriggerContext) -> TriggerResult:
    name = "global"
    ids = context.profile.core.global_provider_ids
    if not ids:
        return TriggerResult(name, None, "no global provider id is configured")
    providers = require_providers(context, name)
    resolved = [p for i in ids for p in providers if p.matches(i)]
    missing = [i for i in ids if not any(p.matches(i) for p in providers)]
    if missing:
        raise TriggerFailure(
            name, f"global provider id(s) {', '.join(missing)} match no provider", PROVIDER_ABSENT
        )
    return selected(
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
    providers = require_providers(context, name)
    match = next((p for p in providers if p.matches(requested)), None)
    if match is None:
        raise TriggerFailure(
            name, f"{label} asks for '{requested}', which matches no provider", UNKNOWN_FAILURE
        )
    return TriggerResult(name, match, f"{label} asks for {match.id}")


def adaptive(context: TriggerContext) -> TriggerResult:
    """``AdaptiveMultifactorAuthenticationTrigger``: a regex against the User-Agent, then the client IP,
    then (with a geolocation service) the located address."""
    name = "adaptive"
    rules = context.profile.triggers.adaptive
    if not rules:
        return TriggerResult(name, None, "no adaptive policy requires MFA")
    require_providers(context, name)
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


def timed(context: TriggerContext) -> TriggerResult:
    """``TimedMultifactorAuthenticationTrigger``: per entry, the day test is replaced by ``hour >= after``
    when ``after >= 0``, which is replaced by ``hour <= before`` when ``before >= 0``; the first entry
    that holds wins. The bounds default to 20 and 7 (``TimeBasedAuthenticationProperties``), so an entry
    that sets only ``on-or-after-hour`` is decided by the default ``on-or-before-hour``. Day names are
    compared exactly with today's English full, short and narrow names."""
    name = "timed"
    rules = context.profile.triggers.timed
    if not rules:
        return TriggerResult(name, None, "no timed policy is configured")
    if context.service_url is None:
        return TriggerResult(name, None, "no service was requested")
    now = context.now or datetime.now(UTC)
    today = DAY_NAMES[now.weekday()]
    seen = []
    for index, rule in enumerate(rules):
        if rule.on_or_before_hour >= 0:
            matched, why = now.hour <= rule.on_or_before_hour, f"hour {now.hour} <= {rule.on_or_before_hour}"
        elif rule.on_or_after_hour >= 0:
            matched, why = now.hour >= rule.on_or_after_hour, f"hour {now.hour} >= {rule.on_or_after_hour}"
        else:
            matched = any(day in today for day in rule.on_days)
            why = f"{today[0]} in {', '.join(rule.on_days) or '()'}"
        seen.append(f"[{index}] {why}: {'yes' if matched else 'no'}")
        if matched:
            provider = context.profile.provider(rule.provider_id)
            if provider is None:
                raise TriggerFailure(
                    name,
                    f"the timed policy names '{rule.provider_id}', which is no provider",
                    UNKNOWN_FAILURE,
                )
            return TriggerResult(name, provider, f"{why} (the last condition set decides)")
    return TriggerResult(name, None, f"no timed policy holds now ({'; '.join(seen)})")
