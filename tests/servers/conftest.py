"""Session fixtures that start real CAS servers nobody here wrote, on loopback, as subprocesses."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.servers.lemonldap.fixture import lemonldap_server
from tests.servers.process import ServerProcess, ServerStartError, start_server

__all__ = ["DjangoCasServer", "django_cas_server", "lemonldap_server"]

DJANGO_CAS_START_TIMEOUT = 90.0


@dataclass(frozen=True)
class DjangoCasServer:
    """django-cas-server serving ``cas_url`` (``http://127.0.0.1:PORT/cas``), provisioned by the launcher."""

    cas_url: str
    server: ServerProcess


@pytest.fixture(scope="session")
def django_cas_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DjangoCasServer]:
    """django-cas-server with casuser/Mellon and the app/other.example.org services, for the session."""
    data_dir = tmp_path_factory.mktemp("django-cas")
    command = [sys.executable, "-m", "tests.servers.django_cas.launcher", "--data-dir", str(data_dir)]
    try:
        server = start_server(
            "django-cas-server", command, data_dir / "stderr.log", timeout=DJANGO_CAS_START_TIMEOUT
        )
    except ServerStartError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        cas_url = server.ready.get("cas_url")
        if not isinstance(cas_url, str) or not cas_url.startswith("http://127.0.0.1:"):
            pytest.fail(
                f"django-cas-server's ready line has no loopback cas_url: {server.ready}", pytrace=False
            )
        yield DjangoCasServer(cas_url, server)
    finally:
        server.stop()
