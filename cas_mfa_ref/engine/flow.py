"""One login as it goes through CAS's webflow: what it was asked with, and the decision so far.

Each stage of :mod:`cas_mfa_ref.engine.login`'s pipeline is a function of its own module taking the
:class:`Login`; it adds its trace entry and returns True when it has decided the login (the outcome
is set), False to let the next stage run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cas_mfa_ref.config.profile import Profile
from cas_mfa_ref.engine.authentication import Authentication
from cas_mfa_ref.engine.clock import Clock
from cas_mfa_ref.engine.outcome import Outcome
from cas_mfa_ref.engine.providers import ProviderChecks
from cas_mfa_ref.engine.request import LoginRequest
from cas_mfa_ref.engine.rest import RestCaller
from cas_mfa_ref.engine.trace import Trace
from cas_mfa_ref.engine.trusted import TrustedDeviceStore
from cas_mfa_ref.model import Provider, RegisteredService, ResolvedFailureMode

__all__ = ["Decision", "Login"]


@dataclass
class Decision:
    """What CAS does with one login, the authentication as it stands, and why."""

    outcome: Outcome
    service: RegisteredService | None
    provider: Provider | None = None
    failure_mode: ResolvedFailureMode | None = None
    authentication: Authentication | None = None
    message: str | None = None
    trace: Trace = field(default_factory=Trace)
    choices: tuple[Provider, ...] = ()  # the selection menu, when CAS lets the user choose


@dataclass
class Login:
    """The flow scope of one login: its inputs, the decision being made, and what stages hand on."""

    profile: Profile
    request: LoginRequest
    providers: ProviderChecks
    rest: RestCaller
    clock: Clock
    decision: Decision
    devices: TrustedDeviceStore | None = None
    sso: Authentication | None = None  # the authentication of an existing SSO session
    candidates: list[Provider] = field(default_factory=list)  # the providers the triggers asked for
    available: bool | None = None  # the availability action's answer, once asked

    @property
    def trace(self) -> Trace:
        return self.decision.trace

    @property
    def service(self) -> RegisteredService | None:
        return self.decision.service

    @property
    def authentication(self) -> Authentication:
        assert self.decision.authentication is not None, "no stage authenticated the user yet"
        return self.decision.authentication

    @property
    def provider(self) -> Provider:
        assert self.decision.provider is not None, "no provider was selected yet"
        return self.decision.provider

    @property
    def now(self) -> datetime:
        return self.clock.now()

    def end(self, outcome: Outcome, message: str | None = None) -> bool:
        """Decide the login: the outcome, and the message shown with it."""
        self.decision.outcome = outcome
        if message is not None:
            self.decision.message = message
        return True
