"""The reference assembled: a profile loaded, its providers' gateways, and CAS in process over them.

The HTTP server (``cas-mfa-ref serve``) and any embedding program (the conformance suite's in-process
target) build the reference through :func:`assemble` alone, so both run the same wiring.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cas_mfa_ref.config.profile import Profile, load_profile
from cas_mfa_ref.engine.clock import Clock
from cas_mfa_ref.engine.providers import ProviderChecks
from cas_mfa_ref.engine.rest import RestCaller
from cas_mfa_ref.protocol.cas import InProcessCas
from cas_mfa_ref.providers.duo import DuoGateway
from cas_mfa_ref.providers.factory import network_providers
from cas_mfa_ref.providers.gateway import ProviderGateways
from cas_mfa_ref.providers.gauth import GauthAccount, GoogleAuthenticatorGateway

__all__ = ["Reference", "assemble"]


@dataclass
class Reference:
    """One profile at work: CAS in process and the gateways its providers are reached through."""

    profile: Profile
    cas: InProcessCas
    gateways: ProviderGateways

    def gauth(self) -> GoogleAuthenticatorGateway | None:
        """The Google Authenticator provider's accounts and token check, if one is configured."""
        return self.gateways.first(GoogleAuthenticatorGateway)

    def authenticator_enrolled(self, username: str) -> bool:
        """Whether the user has a Google Authenticator account (False without the provider)."""
        gateway = self.gauth()
        return gateway is not None and bool(gateway.accounts(username))

    def enrol_authenticator(self, account: object) -> None:
        """Save a Google Authenticator account given in CAS's JSON form (the registration page's result).

        Raises ValueError naming the field when the JSON is not an account, or without the provider."""
        gateway = self.gauth()
        if gateway is None:
            raise ValueError("the profile has no Google Authenticator provider")
        gateway.save(GauthAccount.from_json(account))

    def duo_authorization_url(self, provider_id: str, principal: str, state: str | None = None) -> str:
        """Where CAS sends the browser for Duo's Universal Prompt
        (``DuoSecurityUniversalPromptPrepareLoginAction``); ValueError if ``provider_id`` is not Duo."""
        gateway = self.gateways.gateway(provider_id)
        if not isinstance(gateway, DuoGateway):
            raise ValueError(f"{provider_id} is not a Duo provider of the profile")
        return gateway.authorization_url(principal, state)


def assemble(
    profile: Profile | Path | str,
    *,
    clock: Clock | None = None,
    rest: RestCaller | None = None,
    others: ProviderChecks | None = None,
    timeout_cap: float | None = None,
    duo_callback: str | None = None,
) -> Reference:
    """Build the reference for a profile (or its directory; raises ProfileError naming file and field).

    ``others`` answers for the providers without a network gateway (Simple, WebAuthn: by default always
    available, accepting no token); ``timeout_cap`` bounds each provider call below its configured
    timeout; ``duo_callback`` is CAS's login URL, where Duo sends the browser back; ``clock`` is the
    time the engine, tickets and Google Authenticator codes follow.
    """
    loaded = profile if isinstance(profile, Profile) else load_profile(profile)
    gateways = network_providers(
        loaded, timeout_cap=timeout_cap, duo_callback=duo_callback, clock=clock, others=others
    )
    return Reference(loaded, InProcessCas(loaded, gateways, rest, clock), gateways)
