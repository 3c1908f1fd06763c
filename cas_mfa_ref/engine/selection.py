"""Choosing one provider among several: ``RankedMultifactorAuthenticationProviderSelector``.

Providers are sorted by rank, ascending and stable, and the last one wins: the highest rank, and among
equal ranks the last in the order given.
"""

from __future__ import annotations

from collections.abc import Sequence

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
