"""Failure modes: which one applies to a login, and the failure action that obeys it.

``DefaultMultifactorAuthenticationFailureModeEvaluator``: start from the global mode; a provider mode
other than UNDEFINED replaces it; a service mode other than UNDEFINED replaces that. A provider's
``failure-mode`` defaults to CLOSED from 6.4 on (``versions.PROVIDER_FAILURE_MODE_CLOSED``), so the
global mode applies only where the provider's is UNDEFINED.

The mode is consulted in three places of the provider's subflow: the bypass action (OPEN/PHANTOM with
the provider down end there as a bypass, :mod:`.bypass_action`), the availability action (NONE skips
the check, :mod:`.availability`) and the failure action below, which runs when the provider is down.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cas_mfa_ref.engine.bypass import remember_bypass
from cas_mfa_ref.engine.outcome import Outcome
from cas_mfa_ref.model import FailureMode, Provider, RegisteredService, ResolvedFailureMode
from cas_mfa_ref.versions import FAILURE_MODE_IN_BYPASS_ACTION

if TYPE_CHECKING:
    from cas_mfa_ref.engine.flow import Login


def resolve_failure_mode(
    global_mode: FailureMode, provider: Provider | None, service: RegisteredService | None
) -> ResolvedFailureMode:
    """The effective mode and where it was set: service over provider over global."""
    resolved = ResolvedFailureMode(global_mode, "global")
    if provider is not None and provider.failure_mode is not FailureMode.UNDEFINED:
        resolved = ResolvedFailureMode(provider.failure_mode, "provider")
    if service is not None and service.policy.failure_mode is not FailureMode.UNDEFINED:
        resolved = ResolvedFailureMode(service.policy.failure_mode, "service")
    return resolved


def failure_mode(login: Login) -> bool:
    """Stage: record the effective failure mode for the selected provider (never ends the login)."""
    mode = resolve_failure_mode(login.profile.core.global_failure_mode, login.provider, login.service)
    login.decision.failure_mode = mode
    login.trace.add("failure-mode", mode.mode.value, f"effective failure mode {mode}")
    return False


def failure_action(login: Login) -> bool:
    """Stage ``MultifactorAuthenticationFailureAction``, reached when the provider is unavailable: a mode
    that allows bypass records one; any other shows the MFA Provider Unavailable view. Before 6.5 only
    OPEN bypassed here (PHANTOM fell to the unavailable view)."""
    if login.available is not False:
        return False
    mode = login.decision.failure_mode
    assert mode is not None, "the failure-mode stage runs first"
    current = FAILURE_MODE_IN_BYPASS_ACTION.holds(login.profile.version)
    if mode.mode is FailureMode.OPEN or (mode.mode.allowed_to_bypass and current):
        remember_bypass(login.authentication, login.provider)
        login.trace.add("failure-action", "bypass", f"failure mode {mode.mode.value} allows bypass")
        return login.end(Outcome.BYPASSED)
    era = f" in CAS {login.profile.version}" if not current and mode.mode is not FailureMode.CLOSED else ""
    login.trace.add(
        "failure-action",
        "unavailable",
        f"failure mode {mode.mode.value} does not allow bypass{era}: the MFA Provider Unavailable view",
    )
    return login.end(Outcome.UNAVAILABLE)
