"""One login through CAS's webflow, decided stage by stage.

Order (CAS 6.6 / 7.x): primary authentication with the PHANTOM metadata populator; the service's
``bypassEnabled``; every trigger, then the ranked selector; in the provider's subflow the bypass
action (``MultifactorAuthenticationBypassAction``: OPEN/PHANTOM with the provider down ends here
as a bypass, else the bypass chain), the availability action (skipped when the mode is NONE) and the
failure action (CLOSED, UNDEFINED: the unavailable view).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cas_mfa_ref.config.profile import Profile
from cas_mfa_ref.engine.authentication import (
    AUTHENTICATION_METHOD,
    CREDENTIAL_TYPE,
    SUCCESSFUL_HANDLERS,
    Authentication,
    primary_authentication,
)
from cas_mfa_ref.engine.availability import ProviderAvailability
from cas_mfa_ref.engine.bypass import BypassContext, evaluate_chain, forget_bypass, remember_bypass
from cas_mfa_ref.engine.clock import Clock, SystemClock
from cas_mfa_ref.engine.failure_mode import ResolvedFailureMode, resolve_failure_mode
from cas_mfa_ref.engine.outcome import Outcome
from cas_mfa_ref.engine.request import LoginRequest
from cas_mfa_ref.engine.rest import RestCaller
from cas_mfa_ref.engine.selection import SelectionFailed, describe_selection, select_with
from cas_mfa_ref.engine.trace import Trace
from cas_mfa_ref.engine.triggers import LOGIN_ORDER, TriggerContext, TriggerFailure
from cas_mfa_ref.engine.trusted import TrustedDeviceStore, fingerprint
from cas_mfa_ref.engine.validation import satisfied_by
from cas_mfa_ref.model import FailureMode, Provider, RegisteredService

SERVICE_NOT_AUTHORIZED = "Application Not Authorized to Use CAS"
# reference.cas-version values whose failure handling is that of CAS 6.2-6.4: no failure-mode check in the
# bypass action, availability checked under NONE, and only OPEN bypasses in the failure action.
LEGACY_FAILURE_ACTION = ("6.4", "6.3")
COMPOSITE_ID = "mfa-composite"  # ChainingMultifactorAuthenticationProvider.DEFAULT_IDENTIFIER
UNKNOWN_CHOICE = "Authentication attempt has failed."
BAD_CREDENTIALS = (
    "Authentication attempt has failed, likely due to invalid credentials. Please verify and try again."
)


@dataclass
class Decision:
    """What CAS does with one login, the authentication as it stands, and why."""

    outcome: Outcome
    service: RegisteredService | None
    provider: Provider | None = None
    failure_mode: ResolvedFailureMode | None = None
    authentication: Authentication | None = None
    message: str | None = None
    trace: Trace = field(default_factory=Trace)
    choices: tuple[Provider, ...] = ()  # the selection menu, when CAS lets the user choose


def decide(
    profile: Profile,
    request: LoginRequest,
    availability: ProviderAvailability,
    rest: RestCaller,
    clock: Clock | None = None,
    sso: Authentication | None = None,
    devices: TrustedDeviceStore | None = None,
) -> Decision:
    """Decide one login; ``sso`` is the authentication of an existing SSO session (no password asked)."""
    trace = Trace()
    service = None
    if request.service is not None:
        service = profile.find_service(request.service)
        if service is None or not service.enabled:
            why = (
                "matches no registered service"
                if service is None
                else f"matches disabled service {service.id}"
            )
            trace.add("service", "refused", f"{request.service} {why}")
            return Decision(Outcome.ERROR, None, message=SERVICE_NOT_AUTHORIZED, trace=trace)
        trace.add(
            "service",
            "matched",
            f"{request.service} matches service {service.id} '{service.name}' ({service.origin.file.name})",
        )
    else:
        trace.add("service", "none", "no service was requested")

    if sso is not None:
        authentication = sso.copy()
        held = [v for name in profile.core.context_attributes for v in authentication.values(name)]
        trace.add(
            "sso",
            "session",
            f"{authentication.principal} has an SSO session; its context holds "
            f"{', '.join(map(str, held)) or 'no provider'}",
        )
    else:
        if request.username not in profile.users:
            trace.add(
                "primary-authentication", "failed", f"{request.username} is not in cas.authn.accept.users"
            )
            return Decision(Outcome.ERROR, service, message=BAD_CREDENTIALS, trace=trace)
        authentication = primary_authentication(
            request.username, profile.principal_attributes(request.username)
        )
        trace.add(
            "primary-authentication",
            "success",
            f"{request.username} authenticated by AcceptUsersAuthenticationHandler",
        )
        _phantom_context(profile, service, availability, authentication, trace)
        for provider_id in request.sso_context:
            satisfied = profile.provider(provider_id)
            if satisfied is not None:
                authentication = complete_mfa(profile, authentication, satisfied)
        if request.sso_context:
            trace.add("sso", "session", f"an SSO session already satisfied {', '.join(request.sso_context)}")

    decision = Decision(Outcome.NO_MFA, service, authentication=authentication, trace=trace)
    if service is not None and service.policy.bypass_enabled:
        trace.add(
            "triggers", "skipped", "the service's multifactor policy sets bypassEnabled: no trigger is asked"
        )
        return decision

    context = TriggerContext(
        profile, authentication, service, request.service, request.http, rest, (clock or SystemClock()).now()
    )
    chosen: list[Provider] = []
    for trigger in LOGIN_ORDER:
        try:
            result = trigger(context)
        except TriggerFailure as failure:
            trace.add("trigger", "error", f"{failure.trigger}: {failure.reason}")
            decision.outcome = Outcome.ERROR
            decision.message = failure.message
            return decision
        trace.add(
            "trigger", result.provider.id if result.provider else "none", f"{result.trigger}: {result.reason}"
        )
        chosen.extend(p for p in result.providers if p not in chosen)
    if not chosen:
        trace.add("selection", "none", "no trigger asked for MFA")
        return decision

    # Events are sorted by id, then the providers that match them go to the selector.
    candidates = [p for p in profile.providers.values() if p in chosen]
    if profile.core.provider_selection_enabled and len(candidates) > 1:
        # ChainingMultifactorAuthenticationProviderSelector: a composite provider, shown as a menu.
        names = ", ".join(p.id for p in candidates)
        trace.add("selection", COMPOSITE_ID, f"provider selection is enabled: the user chooses among {names}")
        decision.choices = tuple(candidates)
        decision.outcome = Outcome.MFA_REQUIRED
        return decision
    selector = profile.triggers.selector
    try:
        provider = select_with(selector, candidates, request.service, authentication.principal)
    except SelectionFailed as failure:
        trace.add("selection", "error", str(failure))
        decision.outcome = Outcome.ERROR
        decision.message = UNKNOWN_CHOICE
        return decision
    if selector is not None and len(candidates) > 1:
        trace.add("selection", provider.id, f"{selector.script.name} chose {provider.id}")
    else:
        trace.add("selection", provider.id, describe_selection(provider, candidates))
    decision.provider = provider
    if request.sso_context or sso is not None:
        # RankedMultifactorAuthenticationProviderWebflowEventResolver: step up only if the context is unmet.
        reason = satisfied_by(profile, authentication, provider)
        forced = service is not None and service.policy.force_execution
        if reason is not None and not forced:
            trace.add("step-up", "satisfied", reason)
            decision.outcome = Outcome.SATISFIED
            return decision
        trace.add(
            "step-up",
            "required",
            "the service forces execution"
            if forced and reason
            else f"the SSO session does not satisfy {provider.id}",
        )
    _subflow(profile, decision, provider, request, availability, rest, devices, clock)
    return decision


def choose_provider(
    profile: Profile,
    decision: Decision,
    provider_id: str,
    request: LoginRequest,
    availability: ProviderAvailability,
    rest: RestCaller,
    devices: TrustedDeviceStore | None = None,
    clock: Clock | None = None,
) -> Decision:
    """The user picked ``provider_id`` from the menu (``mfaProvider``): that provider's subflow runs."""
    chosen = next((p for p in decision.choices if p.matches(provider_id)), None)
    if chosen is None:
        offered = ", ".join(p.id for p in decision.choices)
        decision.trace.add("menu", "refused", f"'{provider_id}' is not on the menu ({offered})")
        decision.outcome = Outcome.ERROR
        decision.message = UNKNOWN_CHOICE
        return decision
    decision.trace.add("menu", chosen.id, f"the user chose {chosen.id} (mfaProvider)")
    decision.provider = chosen
    decision.choices = ()
    _subflow(profile, decision, chosen, request, availability, rest, devices, clock)
    return decision


def _phantom_context(
    profile: Profile,
    service: RegisteredService | None,
    availability: ProviderAvailability,
    authentication: Authentication,
    trace: Trace,
) -> None:
    """``MultifactorAuthenticationProviderMetadataPopulator``: one per provider, at every primary login
    (CAS 6.6 and later; the reference leaves it out for 6.4 and earlier)."""
    if profile.version in LEGACY_FAILURE_ACTION:
        return
    added = []
    for provider in profile.providers.values():
        mode = resolve_failure_mode(profile.core.global_failure_mode, provider, service)
        if mode.mode is FailureMode.PHANTOM and not availability.is_available(provider, service):
            for name in profile.core.context_attributes:
                authentication.merge(name, provider.id)
            added.append(provider.id)
    if added:
        names = ",".join(profile.core.context_attributes)
        trace.add(
            "phantom-context",
            "added",
            f"PHANTOM and unavailable: {names} records {', '.join(added)} at primary authentication",
        )


def _subflow(
    profile: Profile,
    decision: Decision,
    provider: Provider,
    request: LoginRequest,
    availability: ProviderAvailability,
    rest: RestCaller,
    devices: TrustedDeviceStore | None = None,
    clock: Clock | None = None,
) -> None:
    trace = decision.trace
    service = decision.service
    authentication = decision.authentication
    assert authentication is not None
    if _trusted_device(profile, decision, provider, request, devices, clock):
        return
    mode = resolve_failure_mode(profile.core.global_failure_mode, provider, service)
    decision.failure_mode = mode
    trace.add("failure-mode", mode.mode.value, f"effective failure mode {mode}")

    legacy = profile.version in LEGACY_FAILURE_ACTION
    # MultifactorAuthenticationBypassAction (6.5+: OPEN/PHANTOM with the provider down ends here)
    if not legacy and mode.mode.allowed_to_bypass and not availability.is_available(provider, service):
        remember_bypass(authentication, provider)
        trace.add(
            "bypass",
            "bypass",
            f"{provider.id} is unavailable and the failure mode {mode.mode.value} allows bypass",
        )
        decision.outcome = Outcome.BYPASSED
        return
    verdict, _ = evaluate_chain(BypassContext(authentication, provider, service, request.http, rest))
    if verdict.bypass:
        remember_bypass(authentication, provider)
        trace.add("bypass", "bypass", f"{verdict.evaluator} rule: {verdict.reason}")
        decision.outcome = Outcome.BYPASSED
        return
    forget_bypass(authentication)
    trace.add("bypass", "execute", verdict.reason)

    # MultifactorAuthenticationAvailableAction, then MultifactorAuthenticationFailureAction
    if mode.mode is FailureMode.NONE and not legacy:
        trace.add("availability", "skipped", "failure mode NONE: CAS assumes the provider is available")
    elif availability.is_available(provider, service):
        trace.add("availability", "available", f"{provider.id} is available")
    else:
        trace.add("availability", "unavailable", f"{provider.id} is unavailable")
        # MultifactorAuthenticationFailureAction: 6.5+ bypasses for OPEN and PHANTOM; 6.2-6.4 only for OPEN.
        if mode.mode is FailureMode.OPEN or (mode.mode.allowed_to_bypass and not legacy):
            remember_bypass(authentication, provider)
            trace.add("failure-action", "bypass", f"failure mode {mode.mode.value} allows bypass")
            decision.outcome = Outcome.BYPASSED
            return
        era = " in CAS 6.2-6.4" if legacy and mode.mode is not FailureMode.CLOSED else ""
        trace.add(
            "failure-action",
            "unavailable",
            f"failure mode {mode.mode.value} does not allow bypass{era}: the MFA Provider Unavailable view",
        )
        decision.outcome = Outcome.UNAVAILABLE
        return
    if provider.kind.key == "duo" and _account_status(decision, provider, availability):
        return
    trace.add("challenge", provider.id, f"the user is sent to the {provider.kind.title} form")
    decision.outcome = Outcome.MFA_REQUIRED


def trust_is_skipped(service: RegisteredService | None, request: LoginRequest) -> str | None:
    """Why the trusted-device check and registration are skipped for this login, if they are."""
    if request.http.param_values("publicWorkstation")[:1] == ["true"]:
        return "the user is at a public workstation"
    if service is not None and service.policy.bypass_trusted_device_enabled:
        return "the service sets bypassTrustedDeviceEnabled"
    return None


def _trusted_device(
    profile: Profile,
    decision: Decision,
    provider: Provider,
    request: LoginRequest,
    devices: TrustedDeviceStore | None,
    clock: Clock | None,
) -> bool:
    """``MultifactorAuthenticationVerifyTrustAction``, before bypass and availability; True if trusted."""
    if not provider.trusts_devices or devices is None:
        return False
    trace = decision.trace
    skipped = trust_is_skipped(decision.service, request)
    if skipped:
        trace.add("trusted-device", "skip", skipped)
        return False
    authentication = decision.authentication
    assert authentication is not None
    current = fingerprint(profile.trusted, request.http)
    now = (clock or SystemClock()).now()
    records = [d for d in devices.of(authentication.principal) if d.valid_at(now)]
    match = next((d for d in records if current is not None and d.fingerprint == current), None)
    if match is None:
        why = "the browser has no device cookie" if current is None else "no record has this fingerprint"
        trace.add("trusted-device", "no", f"{why} ({len(records)} valid record(s) for the principal)")
        return False
    authentication.replace(profile.trusted.context_attribute, True)
    trace.add("trusted-device", "yes", f"the device '{match.name}' is trusted: MFA is skipped")
    decision.outcome = Outcome.TRUSTED
    return True


def _account_status(decision: Decision, provider: Provider, availability: ProviderAvailability) -> bool:
    """``DuoSecurityDetermineUserAccountAction``: Duo's preauth may allow, deny, or fail; True if it ended."""
    authentication = decision.authentication
    assert authentication is not None
    status = availability.account_status(provider, authentication.principal)
    trace = decision.trace
    if status == "ALLOW":
        remember_bypass(authentication, provider)
        trace.add("account-status", "ALLOW", "Duo allows the user without a second factor: bypass recorded")
        decision.outcome = Outcome.BYPASSED
        return True
    if status == "DENY":
        trace.add("account-status", "DENY", "Duo denies the user: the MFA Denied view")
        decision.outcome = Outcome.DENIED
        return True
    if status == "UNAVAILABLE":
        trace.add(
            "account-status",
            "UNAVAILABLE",
            "Duo's preauth failed: the MFA Provider Unavailable view, whatever the failure mode",
        )
        decision.outcome = Outcome.UNAVAILABLE
        return True
    trace.add("account-status", status, "Duo's preauth lets the prompt go ahead")
    return False


def complete_mfa(profile: Profile, authentication: Authentication, provider: Provider) -> Authentication:
    """The authentication after the provider's factor succeeded: handler, credential and context recorded."""
    result = authentication.copy()
    result.credential_classes.append(provider.kind.credential_class)
    result.merge(CREDENTIAL_TYPE, provider.kind.credential_type)
    result.merge(AUTHENTICATION_METHOD, provider.kind.handler_name)
    result.merge(SUCCESSFUL_HANDLERS, provider.kind.handler_name)
    for name in profile.core.context_attributes:
        result.merge(name, provider.id)
    return result
