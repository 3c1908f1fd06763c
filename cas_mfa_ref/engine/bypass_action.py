"""Stage ``MultifactorAuthenticationBypassAction``: does this login skip the provider?

From 6.5 on the action first consults the failure mode: OPEN or PHANTOM with the provider down ends
here as a bypass, before the availability action runs. Then the provider's bypass chain
(:mod:`.bypass`) is asked; a bypass is recorded in the authentication, and a login that goes ahead
forgets an earlier one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cas_mfa_ref.engine.bypass import BypassContext, evaluate_chain, forget_bypass, remember_bypass
from cas_mfa_ref.engine.outcome import Outcome
from cas_mfa_ref.versions import FAILURE_MODE_IN_BYPASS_ACTION

if TYPE_CHECKING:
    from cas_mfa_ref.engine.flow import Login


def bypass_action(login: Login) -> bool:
    provider, authentication, trace = login.provider, login.authentication, login.trace
    mode = login.decision.failure_mode
    assert mode is not None, "the failure-mode stage runs first"
    if (
        FAILURE_MODE_IN_BYPASS_ACTION.holds(login.profile.version)
        and mode.mode.allowed_to_bypass
        and not login.providers.is_available(provider, login.service)
    ):
        remember_bypass(authentication, provider)
        trace.add(
            "bypass",
            "bypass",
            f"{provider.id} is unavailable and the failure mode {mode.mode.value} allows bypass",
        )
        return login.end(Outcome.BYPASSED)
    verdict, _ = evaluate_chain(
        BypassContext(authentication, provider, login.service, login.request.http, login.rest)
    )
    if verdict.bypass:
        remember_bypass(authentication, provider)
        trace.add("bypass", "bypass", f"{verdict.evaluator} rule: {verdict.reason}")
        return login.end(Outcome.BYPASSED)
    forget_bypass(authentication)
    trace.add("bypass", "execute", verdict.reason)
    return False
