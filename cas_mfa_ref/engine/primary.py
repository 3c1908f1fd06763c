"""Stage: primary authentication, or the authentication of the SSO session the browser already has.

``AcceptUsersAuthenticationHandler`` checks the password against ``cas.authn.accept.users``; then
``MultifactorAuthenticationProviderMetadataPopulator`` runs (one per provider): a PHANTOM provider that
is down is recorded in the authentication context at once.
"""

from __future__ import annotations

from cas_mfa_ref.engine.authentication import primary_authentication
from cas_mfa_ref.engine.failure_mode import resolve_failure_mode
from cas_mfa_ref.engine.flow import Login
from cas_mfa_ref.engine.outcome import Outcome
from cas_mfa_ref.engine.provider_step import complete_mfa
from cas_mfa_ref.model import FailureMode
from cas_mfa_ref.versions import PHANTOM_CONTEXT_AT_PRIMARY

# authenticationFailure.FailedLoginException's English text.
BAD_CREDENTIALS = (
    "Authentication attempt has failed, likely due to invalid credentials. Please verify and try again."
)


def authenticate(login: Login) -> bool:
    """The user's authentication: the SSO session's, or a fresh one; an unknown user ends the login."""
    profile, request, trace = login.profile, login.request, login.trace
    if login.sso is not None:
        authentication = login.sso.copy()
        held = [v for name in profile.core.context_attributes for v in authentication.values(name)]
        trace.add(
            "sso",
            "session",
            f"{authentication.principal} has an SSO session; its context holds "
            f"{', '.join(map(str, held)) or 'no provider'}",
        )
        login.decision.authentication = authentication
        return False
    if request.username not in profile.users:
        trace.add("primary-authentication", "failed", f"{request.username} is not in cas.authn.accept.users")
        return login.end(Outcome.ERROR, BAD_CREDENTIALS)
    authentication = primary_authentication(
        request.username, profile.principal_attributes(request.username), profile.handler_name
    )
    trace.add(
        "primary-authentication",
        "success",
        f"{request.username} authenticated by AcceptUsersAuthenticationHandler '{profile.handler_name}'",
    )
    login.decision.authentication = authentication
    _phantom_context(login)
    for provider_id in request.sso_context:
        satisfied = profile.provider(provider_id)
        if satisfied is not None:
            login.decision.authentication = complete_mfa(profile, login.authentication, satisfied)
    if request.sso_context:
        trace.add("sso", "session", f"an SSO session already satisfied {', '.join(request.sso_context)}")
    return False


def _phantom_context(login: Login) -> None:
    """``MultifactorAuthenticationProviderMetadataPopulator``, one per provider, at every primary login."""
    profile = login.profile
    if not PHANTOM_CONTEXT_AT_PRIMARY.holds(profile.version):
        return
    added = []
    for provider in profile.providers.values():
        mode = resolve_failure_mode(profile.core.global_failure_mode, provider, login.service)
        if mode.mode is FailureMode.PHANTOM and not login.providers.is_available(provider, login.service):
            for name in profile.core.context_attributes:
                login.authentication.merge(name, provider.id)
            added.append(provider.id)
    if added:
        names = ",".join(profile.core.context_attributes)
        login.trace.add(
            "phantom-context",
            "added",
            f"PHANTOM and unavailable: {names} records {', '.join(added)} at primary authentication",
        )
