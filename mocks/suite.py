"""All three mock providers and their control plane, as one object: the typed Python API.

``MockSuite`` owns the servers; every operation of the HTTP control API is a method here, and the
control server only translates HTTP into these calls, so a test in process and a script over HTTP see
one state.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

from mocks.credentials import FILE_NAME as CREDENTIALS_FILE
from mocks.credentials import Credentials, load_or_create
from mocks.duo import DuoMock
from mocks.faults import Fault, FaultError, parse_fault
from mocks.provider import ControlError, MockProvider
from mocks.radius import RadiusMock
from mocks.statedir import private_directory
from mocks.tls import Certificates, keep_certificates, make_certificates
from mocks.yubikey import YubiKeyMock

PROVIDERS = ("duo", "yubikey", "radius")


class MockSuite:
    """Mock Duo (HTTPS), YubiKey (HTTP) and RADIUS (UDP) on 127.0.0.1, ports 0 meaning ephemeral.

    Credentials and the test CA are new at every start, unless ``state_dir`` is given: then they are
    kept there (``credentials.json``, ``tls/ca.pem`` and ``tls/ca-key.pem``), made on first use and
    reused after, so a CAS configured against the mocks stays valid across restarts. The directory is
    its owner's alone (0700, files 0600; broader permissions are tightened with a warning:
    :mod:`mocks.statedir`).
    """

    def __init__(
        self,
        *,
        duo_port: int = 0,
        yubikey_port: int = 0,
        radius_port: int = 0,
        state_dir: Path | None = None,
        yubikey_https: bool = False,
    ) -> None:
        self._tempdir = None if state_dir else tempfile.TemporaryDirectory(prefix="cas-mfa-mocks-")
        # absolute, because the paths printed (ca_pem) are handed to processes started elsewhere
        self.workdir = state_dir.resolve() if state_dir else Path(self._tempdir.name)  # type: ignore[union-attr]
        if state_dir is None:
            self.certificates: Certificates = make_certificates(self.workdir / "tls")
            credentials = Credentials.generate()
        else:
            private_directory(self.workdir)
            self.certificates = keep_certificates(self.workdir / "tls")
            credentials = load_or_create(self.workdir / CREDENTIALS_FILE)
        self.duo = DuoMock(
            self.certificates.server_context(),
            str(self.certificates.ca_pem),
            duo_port,
            credentials.duo_integration_key,
            credentials.duo_secret_key,
        )
        yubikey_tls = self.certificates.server_context() if yubikey_https else None
        self.yubikey = YubiKeyMock(
            yubikey_port, yubikey_tls, credentials.yubikey_client_id, credentials.yubikey_secret_key
        )
        self.radius = RadiusMock(port=radius_port, shared_secret=credentials.radius_secret)
        self.providers: dict[str, MockProvider] = {
            "duo": self.duo,
            "yubikey": self.yubikey,
            "radius": self.radius,
        }

    def start(self) -> MockSuite:
        for provider in self.providers.values():
            provider.start()
        return self

    def stop(self) -> None:
        for provider in self.providers.values():
            provider.stop()
        if self._tempdir is not None:
            self._tempdir.cleanup()

    def __enter__(self) -> MockSuite:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def provider(self, name: str) -> MockProvider:
        try:
            return self.providers[name]
        except KeyError:
            raise ControlError(f"no provider '{name}' (one of {', '.join(PROVIDERS)})") from None

    def reset(self) -> None:
        """Every provider's state, faults and journal back to the start."""
        for provider in self.providers.values():
            provider.reset()

    def set_fault(self, name: str, spec: dict[str, Any]) -> Fault:
        provider = self.provider(name)
        try:
            fault = parse_fault(spec, provider.faults.endpoints)
            check = getattr(provider, "check_fault", None)
            if check is not None:
                check(fault)
        except FaultError as error:
            raise ControlError(f"{name} fault: {error}") from None
        provider.faults.set(fault)
        provider.faults_changed()
        return fault

    def clear_fault(self, name: str, endpoint: str | None = None) -> None:
        provider = self.provider(name)
        if endpoint is not None and endpoint not in provider.faults.endpoints:
            raise ControlError(
                f"{name} fault: endpoint '{endpoint}' is not one of {', '.join(provider.faults.endpoints)}"
            )
        provider.faults.clear(endpoint)
        provider.faults_changed()

    def journal(self, name: str) -> dict[str, Any]:
        return self.provider(name).journal.as_json()

    def describe(self) -> dict[str, Any]:
        return {name: provider.describe() for name, provider in self.providers.items()}

    def health(self) -> dict[str, Any]:
        return {
            "status": "ok",
            "providers": {
                name: {"faults": [f.as_json() for f in p.faults.active()], "requests": p.journal.counts()}
                for name, p in self.providers.items()
            },
        }
