"""Providers held in process: availability set directly and the tokens each accepts per user.

This is the in-memory provider directory (as CAS's JSON or in-memory device registries are); the
mocks issue adds adapters that reach real provider protocols over the network.
"""

from __future__ import annotations

from typing import Protocol

from cas_mfa_ref.engine.availability import ProviderAvailability, StaticAvailability
from cas_mfa_ref.model import Provider, RegisteredService


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


class ProviderDirectory(ProviderAvailability, TokenVerifier, Protocol):
    """Everything the protocol layer asks of the providers."""


class NetworkDirectory(ProviderDirectory, Protocol):
    def gateway(self, provider_id: str) -> object | None: ...


class LayeredProviders:
    """Providers reached over the network where they have a gateway, held in memory otherwise."""

    def __init__(self, network: NetworkDirectory, memory: InMemoryProviders) -> None:
        self.network = network
        self.memory = memory

    def _side(self, provider: Provider) -> ProviderDirectory:
        return self.network if self.network.gateway(provider.id) is not None else self.memory

    def is_available(self, provider: Provider, service: RegisteredService | None) -> bool:
        return self._side(provider).is_available(provider, service)

    def account_status(self, provider: Provider, principal: str) -> str:
        return self._side(provider).account_status(provider, principal)

    def verify(self, provider: Provider, principal: str, token: str) -> bool:
        return self._side(provider).verify(provider, principal, token)
