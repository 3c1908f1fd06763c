"""CAS's management endpoints as the HTTP target uses them: trusted devices, Google Authenticator accounts
and the reference's conformance clock (docs/target-file.md, "Management endpoints the capabilities use")."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NoReturn

import requests

from steps.targets.base import CLOCK_CONTROL, TRUSTED_DEVICES

TRUSTED_DEVICES_ENDPOINT = "actuator/multifactorTrustedDevices"
CLOCK_ENDPOINT = "actuator/conformanceClock"
GAUTH_ENDPOINT = "actuator/gauthCredentialRepository"
# The bearer token a CAS's actuator asks of callers off its loopback interface (the reference's
# `cas-mfa-ref serve --actuator-token`, or a deployment's own), taken from the environment so that it
# stays out of target files.
ACTUATOR_TOKEN_ENV = "CAS_MFA_REF_ACTUATOR_TOKEN"


def actuator_headers() -> dict[str, str]:
    """The Authorization header for the actuator, when the environment holds a token."""
    token = os.environ.get(ACTUATOR_TOKEN_ENV, "").strip()
    return {"Authorization": f"Bearer {token}"} if token else {}


class Management:
    def __init__(
        self,
        cas_url: str,
        capabilities: frozenset[str],
        timeout: float,
        verify: bool | str,
        not_applicable: Callable[[str, str], NoReturn],
    ) -> None:
        self._cas = cas_url
        self._capabilities = capabilities
        self._timeout = timeout
        self._verify = verify
        self._not_applicable = not_applicable
        self.last = "no management request yet"
        self.clock_set = False

    def call(self, method: str, path: str, capability: str, body: Any = None) -> Any:
        if capability not in self._capabilities:
            self._not_applicable(capability, f"the deployment declares no {path.split('/')[1]} endpoint")
        url = f"{self._cas}/{path}"
        answer = requests.request(
            method, url, json=body, timeout=self._timeout, verify=self._verify, headers=actuator_headers()
        )
        self.last = f"{method} {url} -> HTTP {answer.status_code}"
        if answer.status_code >= 300:
            raise AssertionError(f"{method} {url} answered HTTP {answer.status_code}: {answer.text[:300]}")
        if not answer.content:
            return None
        try:
            return answer.json()
        except ValueError:
            return answer.text

    # -- trusted devices ----------------------------------------------------------------------------

    def trusted_devices(self, username: str) -> list[str]:
        records = self.call("GET", f"{TRUSTED_DEVICES_ENDPOINT}/{username}", TRUSTED_DEVICES)
        if isinstance(records, dict):
            records = list(records.values())
        if not isinstance(records, list):
            raise AssertionError(f"{TRUSTED_DEVICES_ENDPOINT} answered {records!r}, not a list of devices")
        return [str(record.get("name")) for record in records if isinstance(record, dict)]

    def revoke_trusted_devices(self, username: str) -> None:
        records = self.call("GET", f"{TRUSTED_DEVICES_ENDPOINT}/{username}", TRUSTED_DEVICES)
        for record in records if isinstance(records, list) else []:
            key = record.get("recordKey") or record.get("id") if isinstance(record, dict) else None
            if key is not None:
                self.call("DELETE", f"{TRUSTED_DEVICES_ENDPOINT}/{key}", TRUSTED_DEVICES)

    # -- the clock ----------------------------------------------------------------------------------

    def apply_clock(self, body: dict[str, Any]) -> None:
        self.call("PUT", CLOCK_ENDPOINT, CLOCK_CONTROL, body)
        self.clock_set = True

    def now(self) -> datetime:
        """The time at CAS: its conformance clock once the scenario set it, this machine's otherwise."""
        if not self.clock_set:
            return datetime.now(UTC)
        answer = self.call("GET", CLOCK_ENDPOINT, CLOCK_CONTROL)
        return datetime.fromisoformat(str(answer["now"]).replace("Z", "+00:00"))

    def release_clock(self) -> None:
        if self.clock_set:
            self.call("DELETE", CLOCK_ENDPOINT, CLOCK_CONTROL)
