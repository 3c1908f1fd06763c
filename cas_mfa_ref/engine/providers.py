"""What the engine asks of a profile's providers, and the providers held in memory.

CAS asks each ``MultifactorAuthenticationProvider`` whether it is available, what it makes of the user
(Duo's preauth) and whether it accepts a token. :class:`ProviderChecks` is that question, the one seam
between the engine and the providers; :class:`InMemoryProviders` answers it from memory, as CAS's
Simple and WebAuthn providers are always available; ``cas_mfa_ref.providers.ProviderGateways`` answers
it over the network for the providers that have one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from cas_mfa_ref.model import Provider, RegisteredService

__all__ = ["ACCOUNT_STATUSES", "InMemoryProviders", "ProviderChecks"]

# DuoSecurityUserAccountStatus values, and UNAVAILABLE when the provider could not say.
ACCOUNT_STATUSES = ("AUTH", "ALLOW", "DENY", "ENROLL", "UNAVAILABLE")


class ProviderChecks(Protocol):
    """``MultifactorAuthenticationProvider`` as the webflow uses it; asked afresh at every use."""

    def is_available(self, provider: Provider, service: RegisteredService | None) -> bool:
        """``isAvailable``: never raises, never waits past the provider's timeout."""
        ...

    def account_status(self, provider: Provider, principal: str) -> str:
        """The provider's verdict on the user (Duo's preauth): one of :data:`ACCOUNT_STATUSES`."""
        ...

    def verify(self, provider: Provider, principal: str, token: str) -> bool:
        """Whether the provider accepts this token from this principal; never raises."""
        ...


class InMemoryProviders:
    """Every provider available except those marked down; tokens accepted as registered, once each."""

    def __init__(self, down: Iterable[str] = ()) -> None:
        self._down = {d.lower() for d in down}
        self._tokens: dict[tuple[str, str], set[str]] = {}

    def set_available(self, provider_id: str, available: bool) -> None:
        if available:
            self._down.discard(provider_id.lower())
        else:
            self._down.add(provider_id.lower())

    def accept_token(self, provider_id: str, principal: str, token: str) -> None:
        self._tokens.setdefault((provider_id.lower(), principal), set()).add(token)

    def is_available(self, provider: Provider, service: RegisteredService | None) -> bool:
        return provider.id.lower() not in self._down

    def account_status(self, provider: Provider, principal: str) -> str:
        return "AUTH"

    def verify(self, provider: Provider, principal: str, token: str) -> bool:
        tokens = self._tokens.get((provider.id.lower(), principal), set())
        if token in tokens:
            tokens.discard(token)
            return True
        return False
