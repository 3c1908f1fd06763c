"""The token side of a profile's providers: a gateway for each Duo, YubiKey and RADIUS provider (reached
over the network) and each Google Authenticator provider (accounts and codes checked in process)."""

from __future__ import annotations

from cas_mfa_ref.config.profile import Profile
from cas_mfa_ref.engine.clock import Clock
from cas_mfa_ref.engine.providers import ProviderChecks
from cas_mfa_ref.errors import ProfileError
from cas_mfa_ref.model import Provider
from cas_mfa_ref.providers.duo import CALLBACK, DuoGateway, DuoSettings
from cas_mfa_ref.providers.gateway import ProviderGateway, ProviderGateways
from cas_mfa_ref.providers.gauth import GauthSettings, GoogleAuthenticatorGateway
from cas_mfa_ref.providers.radius import RadiusGateway
from cas_mfa_ref.providers.yubikey import YubiKeyGateway

NETWORK_KINDS = ("duo", "yubikey", "radius")
GAUTH = "gauth"


def network_providers(
    profile: Profile,
    *,
    timeout_cap: float | None = None,
    duo_callback: str | None = None,
    clock: Clock | None = None,
    others: ProviderChecks | None = None,
) -> ProviderGateways:
    """Gateways for every provider CAS reaches over the network; a bad setting is a ProfileError naming it.

    ``timeout_cap`` bounds each call below the provider's own timeout (a test run's patience).
    ``duo_callback`` is where Duo's Universal Prompt sends the browser back: CAS's login URL
    (``cas.server.prefix`` + ``/login``), which a server knows once it is listening. ``clock`` is the
    time Google Authenticator codes are checked against (the engine's). ``others`` answers for the
    providers without a gateway.
    """
    gateways: dict[str, ProviderGateway] = {}
    for provider in profile.providers.values():
        if provider.kind.key in NETWORK_KINDS:
            gateways[provider.id] = _gateway(profile, provider, timeout_cap, duo_callback or CALLBACK)
        elif provider.kind.key == GAUTH:
            try:
                settings = GauthSettings.from_settings(provider.settings)
            except ValueError as error:
                raise ProfileError(provider.origin, f"{provider.prefix}.{error}") from None
            gateways[provider.id] = GoogleAuthenticatorGateway(settings, clock)
    return ProviderGateways(gateways, others)


def _gateway(
    profile: Profile, provider: Provider, timeout_cap: float | None, duo_callback: str
) -> ProviderGateway:
    settings = provider.settings
    try:
        if provider.kind.key == "duo":
            duo = DuoSettings.from_settings(settings, str(profile.truststore) if profile.truststore else None)
            return DuoGateway(duo, timeout=min(10.0, timeout_cap or 10.0), callback=duo_callback)
        if provider.kind.key == "yubikey":
            return YubiKeyGateway.from_settings(
                settings,
                timeout=min(5.0, timeout_cap or 5.0),
                ca_bundle=str(profile.truststore) if profile.truststore else None,
            )
        return RadiusGateway.from_settings(settings, timeout_cap=timeout_cap)
    except ValueError as error:
        raise ProfileError(provider.origin, f"{provider.prefix}: {error}") from None
