"""Stage: step-up over an SSO session (``RankedMultifactorAuthenticationProviderWebflowEventResolver``).

A login that already holds an authentication (an SSO session) goes to the provider only if its context
does not satisfy the selected provider, or the service forces execution.
"""

from __future__ import annotations

from cas_mfa_ref.engine.flow import Login
from cas_mfa_ref.engine.outcome import Outcome
from cas_mfa_ref.engine.validation import satisfied_by


def check_step_up(login: Login) -> bool:
    """With an SSO session, end as SATISFIED when its context already meets the selected provider."""
    if not login.request.sso_context and login.sso is None:
        return False
    provider = login.provider
    reason = satisfied_by(login.profile, login.authentication, provider)
    forced = login.service is not None and login.service.policy.force_execution
    if reason is not None and not forced:
        login.trace.add("step-up", "satisfied", reason)
        return login.end(Outcome.SATISFIED)
    login.trace.add(
        "step-up",
        "required",
        "the service forces execution"
        if forced and reason
        else f"the SSO session does not satisfy {provider.id}",
    )
    return False
