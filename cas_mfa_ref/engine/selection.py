"""Choosing one provider among several: ``RankedMultifactorAuthenticationProviderSelector``.

Providers are sorted by rank, ascending and stable, and the last one wins: the highest rank, and among
equal ranks the last in the order given.
"""

from __future__ import annotations

from collections.abc import Sequence

from cas_mfa_ref.config.hooks import Hook
from cas_mfa_ref.model import Provider


def select_ranked(providers: Sequence[Provider]) -> Provider:
    if not providers:
        raise ValueError("no provider to select from")
    return sorted(providers, key=lambda p: p.rank)[-1]


def describe_selection(chosen: Provider, candidates: Sequence[Provider]) -> str:
    if len(candidates) == 1:
        return f"{chosen.id} is the only candidate"
    others = ", ".join(f"{p.id} (rank {p.rank})" for p in candidates if p is not chosen)
    return f"{chosen.id} (rank {chosen.rank}) has the highest rank; over {others}"


class SelectionFailed(ValueError):
    """The selector script named no candidate."""


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
