"""A provider reached over the network, and the profile's providers routed to their gateways."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, TypeVar

from cas_mfa_ref.engine.providers import InMemoryProviders, ProviderChecks
from cas_mfa_ref.model import Provider, RegisteredService

__all__ = ["ProviderGateway", "ProviderGateways"]


class ProviderGateway(Protocol):
    """One provider's network side: its availability check and its token check, both bounded in time."""

    def is_available(self, service: RegisteredService | None) -> bool:
        """CAS's ``isAvailable`` for this provider; never raises, never waits past its timeout."""

    def verify(self, principal: str, token: str) -> bool:
        """Whether the provider accepts this token from this principal; never raises."""


G = TypeVar("G")


class ProviderGateways:
    """:class:`ProviderChecks` for a profile: each provider with a gateway is asked through it; the
    others (Simple, WebAuthn: always available in CAS) are answered by ``others``."""

    def __init__(self, gateways: Mapping[str, ProviderGateway], others: ProviderChecks | None = None) -> None:
        self._gateways = {k.lower(): v for k, v in gateways.items()}
        self.others: ProviderChecks = others or InMemoryProviders()

    def gateway(self, provider_id: str) -> ProviderGateway | None:
        return self._gateways.get(provider_id.lower())

    def first(self, kind: type[G]) -> G | None:
        """The first gateway of this type (the profile's Google Authenticator provider, say)."""
        return next((g for g in self._gateways.values() if isinstance(g, kind)), None)

    def is_available(self, provider: Provider, service: RegisteredService | None) -> bool:
        gateway = self.gateway(provider.id)
        return (
            self.others.is_available(provider, service) if gateway is None else gateway.is_available(service)
        )

    def verify(self, provider: Provider, principal: str, token: str) -> bool:
        gateway = self.gateway(provider.id)
        return (
            self.others.verify(provider, principal, token)
            if gateway is None
            else gateway.verify(principal, token)
        )

    def account_status(self, provider: Provider, principal: str) -> str:
        gateway = self.gateway(provider.id)
        if gateway is None:
            return self.others.account_status(provider, principal)
        check = getattr(gateway, "account_status", None)
        return "AUTH" if check is None else str(check(principal))
