"""The export target: instead of running a scenario, write the deployment it describes as a CAS profile.

Each scenario's Given steps build a :class:`~steps.deployment.Deployment`; this target writes it, pointed
at the running mocks, into one directory per distinct profile (named by its digest), then ends the
scenario as skipped with ``exported to profile <digest>``, which :mod:`steps.export` turns into the
index. Scenarios that share every setting share one directory: that is what makes a group.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import pytest

from steps.deployment import Deployment
from steps.digest import profile_digest
from steps.targets.base import (
    CLIENT_ADDRESS,
    DEPLOYMENT_PROFILE,
    DUO_UNIVERSAL_UP,
    MFA_TOKEN,
    PROVIDER_FAULTS,
    PROVIDER_OUTAGE,
    SSO,
    TRUSTED_DEVICES,
    Exchange,
    LoginAttempt,
    LoginObservation,
    ValidationObservation,
)
from steps.targets.deploymap import DeploymentMap

EXPORTED = "exported to profile "


class ExportTarget:
    """Writes profiles instead of logging in; every other operation happens before deploy and is moot."""

    name = "export"
    # What a CAS that an operator set up from the exported profiles, with the mocks, can do. Scenarios
    # needing more (REST endpoints the suite serves, the reference's own clock) are not exported.
    capabilities = frozenset(
        {
            DEPLOYMENT_PROFILE,
            PROVIDER_OUTAGE,
            PROVIDER_FAULTS,
            MFA_TOKEN,
            SSO,
            TRUSTED_DEVICES,
            CLIENT_ADDRESS,
            DUO_UNIVERSAL_UP,
        }
    )

    def __init__(self, directory: Path, mocks: Mapping[str, Any]) -> None:
        self._directory = directory
        self._mocks = mocks

    def deploy(self, deployment: Deployment) -> None:
        with tempfile.TemporaryDirectory(prefix="cas-mfa-export-") as scratch:
            written = deployment.pointed_at(dict(self._mocks)).write(Path(scratch) / "profile")
            digest = profile_digest(written)
            destination = self._directory / digest
            if not destination.exists():
                shutil.copytree(written, destination)
        pytest.skip(f"{EXPORTED}{digest}")

    def set_provider_available(self, provider_id: str, available: bool) -> None:
        pass

    def set_provider_fault(self, provider_id: str, fault: Mapping[str, Any]) -> None:
        pass

    def set_provider_account(self, provider_id: str, username: str, account: Mapping[str, Any]) -> None:
        pass

    def set_clock(self, when: datetime) -> None:
        pass

    def answer_rest(self, url: str, status: int, body: str = "") -> None:
        pass

    def set_session_attribute(self, name: str, value: str) -> None:
        pass

    def rest_requests(self, url: str) -> list[Mapping[str, str]]:
        self._never()

    def provision_token(self, provider_id: str, username: str) -> str:
        self._never()

    def authenticator_code(self, username: str, steps_from_now: int = 0, *, scratch: bool = False) -> str:
        self._never()

    def login(self, attempt: LoginAttempt) -> LoginObservation:
        self._never()

    def submit_token(self, token: str) -> LoginObservation:
        self._never()

    def register_device(self, name: str, expiration: int = 0, unit: str = "FOREVER") -> LoginObservation:
        self._never()

    def close_browser(self) -> None:
        pass

    def new_browser(self) -> None:
        pass

    def advance_clock(self, seconds: float) -> None:
        pass

    def trusted_devices(self, username: str) -> list[str]:
        self._never()

    def revoke_trusted_devices(self, username: str) -> None:
        self._never()

    def choose_provider(self, provider_id: str) -> LoginObservation:
        self._never()

    def visit(self, service: str | None, *, renew: bool = False, gateway: bool = False) -> LoginObservation:
        self._never()

    def logout(self) -> LoginObservation:
        self._never()

    def validate(
        self, ticket: str, service: str, params: Mapping[str, str] | None = None
    ) -> ValidationObservation:
        self._never()

    def failure_mode_applied(self) -> tuple[str, str] | None:
        return None

    def exchanges(self) -> Sequence[Exchange]:
        return ()  # in process: no HTTP

    def deployment_map(self) -> DeploymentMap | None:
        return None  # the scenario's own profile is the deployment

    def diagnostics(self) -> str:
        return "the export target writes profiles; it does not log in"

    def close(self) -> None:
        pass

    @staticmethod
    def _never() -> NoReturn:
        # Steps deploy before their first browser action, and deploy ends the scenario.
        raise AssertionError("the export target ends each scenario when it deploys; nothing runs after")
