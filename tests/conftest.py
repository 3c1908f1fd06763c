from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mocks.faults import parse_fault
from mocks.yubikey import YubiKeyMock

pytest_plugins = ["pytester"]

BASE_PROPERTIES = "cas.authn.accept.users=casuser::Mellon\ncas.authn.mfa.yubikey.client-id=1\n"
POLICY = "org.apereo.cas.services.DefaultRegisteredServiceMultifactorPolicy"


def service(**fields: Any) -> dict[str, Any]:
    """A CAS JSON service definition requiring mfa-yubikey, with fields overridden."""
    base: dict[str, Any] = {
        "@class": "org.apereo.cas.services.CasRegisteredService",
        "serviceId": "^https://app\\.example\\.org.*",
        "name": "App",
        "id": 1,
        "multifactorPolicy": {
            "@class": POLICY,
            "multifactorAuthenticationProviders": ["java.util.LinkedHashSet", ["mfa-yubikey"]],
        },
    }
    base.update(fields)
    return base


MakeProfile = Callable[..., Path]


@pytest.fixture
def make_profile(tmp_path: Path) -> MakeProfile:
    """Write a profile: ``properties`` text, ``services`` (name to dict or raw text), extra files."""

    def make(
        properties: str = BASE_PROPERTIES,
        services: dict[str, Any] | None = None,
        files: dict[str, str] | None = None,
    ) -> Path:
        root = tmp_path / "profile"
        (root / "services").mkdir(parents=True, exist_ok=True)
        (root / "cas.properties").write_text(properties, encoding="utf-8")
        for name, content in (services if services is not None else {"App-1.json": service()}).items():
            text = content if isinstance(content, str) else json.dumps(content, indent=2)
            (root / "services" / name).write_text(text, encoding="utf-8")
        for name, content in (files or {}).items():
            (root / name).write_text(content, encoding="utf-8")
        return root

    return make


# The YubiKey mock for the tests that hold clients to it: one server per module, reset around each test.
@pytest.fixture(scope="module")
def server() -> Iterator[YubiKeyMock]:
    mock = YubiKeyMock()
    mock.start()
    yield mock
    mock.stop()


@pytest.fixture
def mock(server: YubiKeyMock) -> Iterator[YubiKeyMock]:
    server.reset()
    yield server
    server.reset()


def fault(provider: Any, **spec: Any) -> None:
    """Set a fault on a mock provider directly, as the control API would."""
    provider.faults.set(parse_fault(spec, provider.faults.endpoints))
    provider.faults_changed()


def closed_port_url() -> str:
    """A YubiKey validation URL on a loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/wsapi/2.0/verify"
