"""Providers held in process: availability set directly and the tokens each accepts per user.

This is the in-memory provider directory (as CAS's JSON or in-memory device registries are); the
mocks issue adds adapters that reach real provider protocols over the network.
"""

from __future__ import annotations

from typing import Protocol

from cas_mfa_ref.engine.availability import StaticAvailability
from cas_mfa_ref.model import Provider


class TokenVerifier(Protocol):
    """Checks the token a user typed into a provider's form."""

    def verify(self, provider: Provider, principal: str, token: str) -> bool: ...


class InMemoryProviders(StaticAvailability):
    """Availability and accepted tokens, both held in memory; a token is single use."""

    def __init__(self) -> None:
        super().__init__()
        self._tokens: dict[tuple[str, str], set[str]] = {}

    def accept_token(self, provider_id: str, principal: str, token: str) -> None:
        self._tokens.setdefault((provider_id.lower(), principal), set()).add(token)

    def verify(self, provider: Provider, principal: str, token: str) -> bool:
        tokens = self._tokens.get((provider.id.lower(), principal), set())
        if token in tokens:
            tokens.discard(token)
            return True
        return False
