"""Stage ``MultifactorAuthenticationVerifyTrustAction``: a trusted device skips the provider.

It runs first in the provider's subflow, before the bypass and availability actions, for providers
with ``trusted-device-enabled``. A public workstation or a service with ``bypassTrustedDeviceEnabled``
neither consults nor registers devices.
"""

from __future__ import annotations

from cas_mfa_ref.engine.flow import Login
from cas_mfa_ref.engine.outcome import Outcome
from cas_mfa_ref.engine.request import LoginRequest
from cas_mfa_ref.engine.trusted import fingerprint
from cas_mfa_ref.model import RegisteredService


def trust_is_skipped(service: RegisteredService | None, request: LoginRequest) -> str | None:
    """Why the trusted-device check and registration are skipped for this login, if they are."""
    if request.http.param_values("publicWorkstation")[:1] == ["true"]:
        return "the user is at a public workstation"
    if service is not None and service.policy.bypass_trusted_device_enabled:
        return "the service sets bypassTrustedDeviceEnabled"
    return None


def verify_trust(login: Login) -> bool:
    """End as TRUSTED when a valid record of the principal has this browser's fingerprint."""
    provider, devices, trace = login.provider, login.devices, login.trace
    if not provider.trusts_devices or devices is None:
        return False
    skipped = trust_is_skipped(login.service, login.request)
    if skipped:
        trace.add("trusted-device", "skip", skipped)
        return False
    current = fingerprint(login.profile.trusted, login.request.http)
    now = login.now
    records = [d for d in devices.of(login.authentication.principal) if d.valid_at(now)]
    match = next((d for d in records if current is not None and d.fingerprint == current), None)
    if match is None:
        why = "the browser has no device cookie" if current is None else "no record has this fingerprint"
        trace.add("trusted-device", "no", f"{why} ({len(records)} valid record(s) for the principal)")
        return False
    login.authentication.replace(login.profile.trusted.context_attribute, True)
    trace.add("trusted-device", "yes", f"the device '{match.name}' is trusted: MFA is skipped")
    return login.end(Outcome.TRUSTED)
