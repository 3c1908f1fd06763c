"""The seam between the engine and a provider reached over the network."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, TypeVar

from cas_mfa_ref.model import Provider, RegisteredService


class ProviderGateway(Protocol):
    """One provider's network side: its availability check and its token check, both bounded in time."""

    def is_available(self, service: RegisteredService | None) -> bool:
        """CAS's ``isAvailable`` for this provider; never raises, never waits past its timeout."""

    def verify(self, principal: str, token: str) -> bool:
        """Whether the provider accepts this token from this principal; never raises."""


G = TypeVar("G")


class NetworkProviders:
    """Availability and token checks routed to each provider's gateway; providers without one are
    available and accept nothing (Simple and WebAuthn are always available in CAS)."""

    def __init__(self, gateways: Mapping[str, ProviderGateway]) -> None:
        self._gateways = {k.lower(): v for k, v in gateways.items()}

    def gateway(self, provider_id: str) -> ProviderGateway | None:
        return self._gateways.get(provider_id.lower())

    def first(self, kind: type[G]) -> G | None:
        """The first gateway of this type (the profile's Google Authenticator provider, say)."""
        return next((g for g in self._gateways.values() if isinstance(g, kind)), None)

    def is_available(self, provider: Provider, service: RegisteredService | None) -> bool:
        gateway = self.gateway(provider.id)
        return True if gateway is None else gateway.is_available(service)

    def verify(self, provider: Provider, principal: str, token: str) -> bool:
        gateway = self.gateway(provider.id)
        return False if gateway is None else gateway.verify(principal, token)

    def account_status(self, provider: Provider, principal: str) -> str:
        gateway = self.gateway(provider.id)
        check = getattr(gateway, "account_status", None)
        return "AUTH" if check is None else str(check(principal))
