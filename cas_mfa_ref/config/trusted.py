"""Trusted devices: ``cas.authn.mfa.trusted.*`` and each provider's ``trusted-device-enabled``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cas_mfa_ref.config.files import resource_path
from cas_mfa_ref.config.properties import CasProperties
from cas_mfa_ref.errors import Origin, ProfileError, shown
from cas_mfa_ref.geolocation import GeoLocationService
from cas_mfa_ref.versions import CLIENT_IP_IN_FINGERPRINT, V7, CasVersion

PREFIX = "cas.authn.mfa.trusted"
SQLITE_URL = "jdbc:sqlite:"


@dataclass(frozen=True)
class TrustedSettings:
    context_attribute: str = "isFromTrustedMultifactorAuthentication"
    device_registration_enabled: bool = True
    auto_assign_device_name: bool = False
    separator: str = "@"
    cookie: bool = True
    client_ip: bool = False  # 7.x default (the docs); 6.x code had true
    user_agent: bool = False
    cookie_name: str = "MFATRUSTED"
    sqlite: Path | None = None  # records kept in SQLite (else in memory)
    sqlite_origin: Origin | None = field(default=None, compare=False)  # the jpa.url that names it
    geolocation: bool = False  # device-fingerprint.geolocation.enabled: the located address is a component
    locator: GeoLocationService | None = field(default=None, compare=False)  # the profile's service


def load_trusted_settings(
    props: CasProperties,
    root: Path,
    version: CasVersion = V7,
    locator: GeoLocationService | None = None,
) -> TrustedSettings:
    fingerprint = f"{PREFIX}.device-fingerprint"
    separator = props.text(f"{fingerprint}.core.component-separator") or props.text(
        f"{fingerprint}.component-separator"
    )
    sqlite = None
    entry = props.entry(f"{PREFIX}.jpa.url")
    if entry is not None:
        url = props.text_of(entry).strip()
        if not url.startswith(SQLITE_URL):
            raise ProfileError(
                entry.origin,
                f"{shown(url)}: the reference keeps trusted devices in SQLite only ({SQLITE_URL}<file>)",
            )
        sqlite = resource_path("file:" + url[len(SQLITE_URL) :], root, entry.origin)
    return TrustedSettings(
        context_attribute=props.text(f"{PREFIX}.core.authentication-context-attribute")
        or "isFromTrustedMultifactorAuthentication",
        device_registration_enabled=props.boolean(f"{PREFIX}.core.device-registration-enabled", True),
        auto_assign_device_name=props.boolean(f"{PREFIX}.core.auto-assign-device-name", False),
        separator=separator or "@",
        cookie=props.boolean(f"{fingerprint}.cookie.enabled", True),
        client_ip=props.boolean(f"{fingerprint}.client-ip.enabled", CLIENT_IP_IN_FINGERPRINT.holds(version)),
        user_agent=props.boolean(f"{fingerprint}.user-agent.enabled", False),
        cookie_name=props.text(f"{fingerprint}.cookie.name") or "MFATRUSTED",
        sqlite=sqlite,
        sqlite_origin=entry.origin if entry is not None else None,
        geolocation=props.boolean(f"{fingerprint}.geolocation.enabled", False),
        locator=locator,
    )


def provider_trusts_devices(props: CasProperties, prefix: str) -> bool:
    """``<provider>.trusted-device-enabled`` (Google Authenticator: ``gauth.core.trusted-device-enabled``)."""
    return props.boolean(f"{prefix}.trusted-device-enabled", False) or props.boolean(
        f"{prefix}.core.trusted-device-enabled", False
    )
