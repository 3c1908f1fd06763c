"""The mock providers as the HTTP target reaches them: through their control API (contract 4) only.

Outages, faults, Duo accounts, YubiKey devices and OTPs and RADIUS tokens are set over the control URL the
target file names; a scenario that needs them on a target file without one is not applicable.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from mocks.client import ControlClient
from steps.targets.base import DEPLOYMENT_PROFILE, MFA_TOKEN, PROVIDER_FAULTS, PROVIDER_OUTAGE

# Provider ids CAS gives each module, to the mock that plays it (as the reference target maps them).
MOCKED = {"mfa-duo": "duo", "mfa-yubikey": "yubikey", "mfa-radius": "radius"}
DUO_TOKEN = "duo-universal-prompt"  # provision_token's answer for Duo: the prompt itself carries the code
MODHEX = "cbdefghijklnrtuv"

# The mocks' description (GET /providers) per control URL: it does not change during a session.
_DESCRIPTIONS: dict[str, dict[str, Any]] = {}


class MockProviders:
    def __init__(self, control_url: str | None, not_applicable: Callable[[str, str], NoReturn]) -> None:
        self._control = ControlClient(control_url) if control_url else None
        self._not_applicable = not_applicable
        self._duo_users: set[str] = set()
        if self._control is not None:
            self._control.reset()

    def control(self, capability: str) -> ControlClient:
        if self._control is None:
            self._not_applicable(capability, "the target file names no mocks.control")
        return self._control

    def description(self) -> dict[str, Any]:
        """``GET /providers``: each mock's endpoint and credentials, for pointing a profile at them."""
        control = self.control(DEPLOYMENT_PROFILE)
        if control.url not in _DESCRIPTIONS:
            description = control.call("GET", "/providers")
            if not isinstance(description, dict):
                raise AssertionError(f"{control.url}/providers answered {description!r}")
            _DESCRIPTIONS[control.url] = description
        return _DESCRIPTIONS[control.url]

    def duo_ca(self) -> str | None:
        """The mock Duo's CA certificate, which the browser trusts at Duo's prompt."""
        if self._control is None:
            return None
        ca = self.description().get("duo", {}).get("ca_pem")
        return str(ca) if ca else None

    def set_available(self, provider_id: str, available: bool) -> None:
        mock = MOCKED.get(provider_id.lower())
        if mock is None:
            if not available:
                self._not_applicable(PROVIDER_OUTAGE, f"{provider_id} is not played by a mock provider")
            return
        control = self.control(PROVIDER_OUTAGE)
        if available:
            control.clear_fault(mock)
        else:
            control.set_fault(mock, "down")

    def set_fault(self, provider_id: str, fault: Mapping[str, Any]) -> None:
        mock = MOCKED.get(provider_id.lower())
        if mock is None:
            raise AssertionError(f"{provider_id} is not played by a mock provider")
        self.control(PROVIDER_FAULTS).call("PUT", f"/providers/{mock}/fault", dict(fault))

    def set_account(self, provider_id: str, username: str, account: Mapping[str, Any]) -> None:
        if provider_id.lower() != "mfa-duo":
            raise AssertionError(f"{provider_id} has no account states")
        self.control(PROVIDER_OUTAGE).set_duo_user(username, **account)
        self._duo_users.add(username)

    def token(self, provider_id: str, username: str) -> str:
        """A token the mock playing the provider accepts once from the user."""
        mock = MOCKED.get(provider_id.lower())
        if mock is None:
            self._not_applicable(MFA_TOKEN, f"{provider_id} is not played by a mock provider")
        control = self.control(MFA_TOKEN)
        if mock == "yubikey":
            public_id = "cc" + "".join(secrets.choice(MODHEX) for _ in range(10))
            control.register_yubikey_device(public_id, username)
            return control.mint_yubikey_otp(public_id)
        if mock == "radius":
            token = f"{secrets.randbelow(10**6):06d}"
            control.set_radius_user(username, token)
            return token
        if username not in self._duo_users:
            control.set_duo_user(username)
            self._duo_users.add(username)
        return DUO_TOKEN
