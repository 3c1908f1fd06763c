"""What every trigger shares: the context it reads, its result, its failure, and the selector's pick."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cas_mfa_ref.config.profile import Profile
from cas_mfa_ref.engine.authentication import Authentication
from cas_mfa_ref.engine.messages import MFA_REQUIRED, PROVIDER_ABSENT, UNKNOWN_FAILURE
from cas_mfa_ref.engine.request import HttpRequest
from cas_mfa_ref.engine.rest import RestCaller
from cas_mfa_ref.engine.selection import SelectionFailed, offers_menu, select_with
from cas_mfa_ref.model import Provider, RegisteredService

__all__ = [
    "MFA_REQUIRED",
    "PROVIDER_ABSENT",
    "UNKNOWN_FAILURE",
    "Trigger",
    "TriggerContext",
    "TriggerFailure",
    "TriggerResult",
    "pick",
    "require_providers",
    "selected",
    "service_providers",
]


class TriggerFailure(Exception):
    """A trigger raised: CAS answers 401 with the login form and this message (None: the webflow's
    ``error`` event, which shows the form without one)."""

    def __init__(self, trigger: str, reason: str, message: str | None) -> None:
        super().__init__(reason)
        self.trigger = trigger
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class TriggerContext:
    profile: Profile
    authentication: Authentication
    service: RegisteredService | None
    service_url: str | None
    http: HttpRequest
    rest: RestCaller | None = None
    now: datetime | None = None


@dataclass(frozen=True)
class TriggerResult:
    trigger: str
    provider: Provider | None
    reason: str
    menu: tuple[Provider, ...] = ()  # every candidate, when the selector offers a menu

    @property
    def providers(self) -> tuple[Provider, ...]:
        return self.menu or ((self.provider,) if self.provider else ())


def pick(context: TriggerContext, name: str, candidates: list[Provider]) -> Provider:
    """One provider from the configured selector: a selector script when there is one, else the rank."""
    try:
        return select_with(
            context.profile.triggers.selector,
            candidates,
            context.service_url,
            context.authentication.principal,
        )
    except SelectionFailed as failure:
        raise TriggerFailure(name, str(failure), UNKNOWN_FAILURE) from None


def selected(context: TriggerContext, name: str, candidates: list[Provider], reason: str) -> TriggerResult:
    """The configured selector's pick, or every candidate when CAS offers the menu."""
    if offers_menu(context.profile, candidates):
        offered = ", ".join(p.id for p in candidates)
        return TriggerResult(
            name, candidates[0], reason.format(chosen=offered) + " (a menu)", tuple(candidates)
        )
    chosen = pick(context, name, candidates)
    return TriggerResult(name, chosen, reason.format(chosen=chosen.id))


def service_providers(context: TriggerContext) -> list[Provider]:
    """The configured providers the service's multifactor policy names, in the policy's order."""
    assert context.service is not None
    providers = context.profile.providers.values()
    return [p for i in context.service.policy.providers for p in providers if p.matches(i)]


def require_providers(context: TriggerContext, name: str) -> list[Provider]:
    """The profile's providers; a trigger that fired with none configured fails the login."""
    providers = list(context.profile.providers.values())
    if not providers:
        raise TriggerFailure(name, "no MFA provider is configured at all", PROVIDER_ABSENT)
    return providers


Trigger = Callable[[TriggerContext], TriggerResult]
