"""Stage: one provider among those the triggers asked for.

``RankedMultifactorAuthenticationProviderSelector`` sorts by rank, ascending and stable, and takes the
last: the highest rank, and among equal ranks the last in the order given. A selector script
(``GroovyScriptMultifactorAuthenticationProviderSelector``) replaces it when configured. With provider
selection enabled, ``ChainingMultifactorAuthenticationProviderSelector`` offers every candidate as a
menu (the composite provider) and the user's ``mfaProvider`` choice picks one.
"""

from __future__ import annotations

from collections.abc import Sequence

from cas_mfa_ref.config.hooks import Hook
from cas_mfa_ref.config.profile import Profile
from cas_mfa_ref.engine.flow import Login
from cas_mfa_ref.engine.messages import UNKNOWN_FAILURE
from cas_mfa_ref.engine.outcome import Outcome
from cas_mfa_ref.model import Provider

COMPOSITE_ID = "mfa-composite"  # ChainingMultifactorAuthenticationProvider.DEFAULT_IDENTIFIER


class SelectionFailed(ValueError):
    """The selector script named no candidate."""


def offers_menu(profile: Profile, candidates: Sequence[Provider]) -> bool:
    """Whether CAS shows the selection menu rather than choosing (provider selection, two or more)."""
    return profile.core.provider_selection_enabled and len(candidates) > 1


def select_ranked(providers: Sequence[Provider]) -> Provider:
    if not providers:
        raise ValueError("no provider to select from")
    return sorted(providers, key=lambda p: p.rank)[-1]


def describe_selection(chosen: Provider, candidates: Sequence[Provider]) -> str:
    if len(candidates) == 1:
        return f"{chosen.id} is the only candidate"
    others = ", ".join(f"{p.id} (rank {p.rank})" for p in candidates if p is not chosen)
    return f"{chosen.id} (rank {chosen.rank}) has the highest rank; over {others}"


def select_with(
    hook: Hook | None, providers: Sequence[Provider], service: str | None, principal: str
) -> Provider:
    """``GroovyScriptMultifactorAuthenticationProviderSelector`` when a script is configured, run as its
    Python counterpart ``run(service, principal, provider_ids)``; else the ranked selector."""
    if hook is None or len(providers) < 2:
        return select_ranked(providers)
    try:
        answer = hook.run(service, principal, [p.id for p in providers])
    except Exception as error:
        raise SelectionFailed(f"{hook.script.name} failed: {type(error).__name__}: {error}") from None
    chosen = next((p for p in providers if answer and p.matches(str(answer))), None)
    if chosen is None:
        raise SelectionFailed(f"{hook.script.name} answered {answer!r}, which is none of the candidates")
    return chosen


def select_provider(login: Login) -> bool:
    """Ends the login when no trigger asked for MFA, when the menu is shown, or when a script fails."""
    profile, trace = login.profile, login.trace
    if not login.candidates:
        trace.add("selection", "none", "no trigger asked for MFA")
        return login.end(Outcome.NO_MFA)
    # Events are sorted by provider order in the profile, then matched providers go to the selector.
    candidates = [p for p in profile.providers.values() if p in login.candidates]
    if offers_menu(profile, candidates):
        names = ", ".join(p.id for p in candidates)
        trace.add("selection", COMPOSITE_ID, f"provider selection is enabled: the user chooses among {names}")
        login.decision.choices = tuple(candidates)
        return login.end(Outcome.MFA_REQUIRED)
    selector = profile.triggers.selector
    try:
        provider = select_with(selector, candidates, login.request.service, login.authentication.principal)
    except SelectionFailed as failure:
        trace.add("selection", "error", str(failure))
        return login.end(Outcome.ERROR, UNKNOWN_FAILURE)
    if selector is not None and len(candidates) > 1:
        trace.add("selection", provider.id, f"{selector.script.name} chose {provider.id}")
    else:
        trace.add("selection", provider.id, describe_selection(provider, candidates))
    login.decision.provider = provider
    return False


def take_choice(login: Login, provider_id: str) -> bool:
    """The user picked ``provider_id`` from the menu (``mfaProvider``); one not offered ends the login."""
    decision = login.decision
    chosen = next((p for p in decision.choices if p.matches(provider_id)), None)
    if chosen is None:
        offered = ", ".join(p.id for p in decision.choices)
        login.trace.add("menu", "refused", f"'{provider_id}' is not on the menu ({offered})")
        return login.end(Outcome.ERROR, UNKNOWN_FAILURE)
    login.trace.add("menu", chosen.id, f"the user chose {chosen.id} (mfaProvider)")
    decision.provider = chosen
    decision.choices = ()
    return False
