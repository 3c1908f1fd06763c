"""Whether a provider can be reached: the seam between the engine and the providers' networks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from cas_mfa_ref.model import Provider, RegisteredService


class ProviderAvailability(Protocol):
    """``MultifactorAuthenticationProvider#isAvailable``: asked afresh at every use, never cached."""

    def is_available(self, provider: Provider, service: RegisteredService | None) -> bool: ...

    def account_status(self, provider: Provider, principal: str) -> str:
        """The provider's verdict on the user (Duo's preauth): AUTH, ALLOW, DENY, ENROLL or UNAVAILABLE."""
        ...


class StaticAvailability:
    """Availability set directly: every provider is up except those marked down."""

    def __init__(self, down: Iterable[str] = ()) -> None:
        self._down = {d.lower() for d in down}

    def set_available(self, provider_id: str, available: bool) -> None:
        if available:
            self._down.discard(provider_id.lower())
        else:
            self._down.add(provider_id.lower())

    def is_available(self, provider: Provider, service: RegisteredService | None) -> bool:
        return provider.id.lower() not in self._down

    def account_status(self, provider: Provider, principal: str) -> str:
        return "AUTH"
