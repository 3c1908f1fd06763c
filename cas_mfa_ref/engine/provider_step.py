"""Stage: the provider's own step, and what its success records.

Duo first asks its preauth (``DuoSecurityDetermineUserAccountAction``), which may allow, deny or fail
without a prompt; otherwise the user is sent to the provider's form. :func:`complete_mfa` is the
authentication once the factor succeeded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cas_mfa_ref.engine.authentication import (
    AUTHENTICATION_METHOD,
    CREDENTIAL_TYPE,
    SUCCESSFUL_HANDLERS,
    Authentication,
)
from cas_mfa_ref.engine.bypass import remember_bypass
from cas_mfa_ref.engine.outcome import Outcome
from cas_mfa_ref.model import Provider

if TYPE_CHECKING:
    from cas_mfa_ref.config.profile import Profile
    from cas_mfa_ref.engine.flow import Login


def provider_step(login: Login) -> bool:
    """The challenge: Duo's account status first, then the provider's form."""
    provider = login.provider
    if provider.kind.key == "duo" and _account_status(login, provider):
        return True
    login.trace.add("challenge", provider.id, f"the user is sent to the {provider.kind.title} form")
    return login.end(Outcome.MFA_REQUIRED)


def _account_status(login: Login, provider: Provider) -> bool:
    """``DuoSecurityDetermineUserAccountAction``: Duo's preauth may allow, deny, or fail; True if it ended."""
    status = login.providers.account_status(provider, login.authentication.principal)
    trace = login.trace
    if status == "ALLOW":
        remember_bypass(login.authentication, provider)
        trace.add("account-status", "ALLOW", "Duo allows the user without a second factor: bypass recorded")
        return login.end(Outcome.BYPASSED)
    if status == "DENY":
        trace.add("account-status", "DENY", "Duo denies the user: the MFA Denied view")
        return login.end(Outcome.DENIED)
    if status == "UNAVAILABLE":
        trace.add(
            "account-status",
            "UNAVAILABLE",
            "Duo's preauth failed: the MFA Provider Unavailable view, whatever the failure mode",
        )
        return login.end(Outcome.UNAVAILABLE)
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
