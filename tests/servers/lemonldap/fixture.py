"""The session fixture ``lemonldap_server``: LemonLDAP::NG's portal as a CAS server, started by the launcher.

Import it into a conftest (``from tests.servers.lemonldap.fixture import lemonldap_server``). Where
LemonLDAP::NG is not installed the tests that use it are skipped, naming the Debian package to install;
where it is installed but the portal does not start, they fail with the launcher's diagnosis.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pyotp
import pytest

from tests.servers.lemonldap import launcher
from tests.servers.process import ServerProcess, loopback_server

LEMONLDAP_START_TIMEOUT = 90.0


def is_installed() -> bool:
    """Whether Debian's LemonLDAP::NG portal (its PSGI application) and plackup are on this machine."""
    return launcher.missing() is None


@dataclass(frozen=True)
class LemonLdapServer:
    """The portal as the launcher announced it: ``cas_url`` is ``http://127.0.0.1:PORT/cas``."""

    cas_url: str
    portal: str
    ready: Mapping[str, Any]
    server: ServerProcess

    def password(self, user: str) -> str:
        return str(self.ready["users"][user]["password"])

    def totp(self, user: str = launcher.TOTP_USER) -> pyotp.TOTP:
        """The TOTP the launcher enrolled for ``user``, as an authenticator app would hold it."""
        device = self.ready["users"][user]["totp"]
        return pyotp.TOTP(device["secret"], digits=device["digits"], interval=device["period"])

    def service(self, application: str) -> str:
        return str(self.ready["applications"][application]["service"])

    def level(self, name: str) -> int:
        return int(self.ready["levels"][name])


@pytest.fixture(scope="session")
def lemonldap_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LemonLdapServer]:
    """LemonLDAP::NG 2.16 on loopback: Demo users, four CAS applications, TOTP step-up, for the session."""
    absent = launcher.missing()
    if absent is not None:
        pytest.skip(f"LemonLDAP::NG is not installed: no {absent}")
    data_dir = tmp_path_factory.mktemp("lemonldap")
    command = [sys.executable, "-m", "tests.servers.lemonldap.launcher", "--data-dir", str(data_dir)]
    with loopback_server(
        "LemonLDAP::NG", command, data_dir / "stderr.log", timeout=LEMONLDAP_START_TIMEOUT
    ) as (server, cas_url):
        yield LemonLdapServer(cas_url, str(server.ready.get("portal")), server.ready, server)
