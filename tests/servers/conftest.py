"""Session fixtures that start real CAS servers nobody here wrote, on loopback, as subprocesses."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.servers.lemonldap.fixture import lemonldap_server
from tests.servers.process import ServerProcess, loopback_server

__all__ = ["DjangoCasServer", "django_cas_house_server", "django_cas_server", "lemonldap_server"]

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
    with loopback_server(
        "django-cas-server", command, data_dir / "stderr.log", timeout=DJANGO_CAS_START_TIMEOUT
    ) as (server, cas_url):
        yield DjangoCasServer(cas_url, server)


@pytest.fixture(scope="session")
def django_cas_house_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DjangoCasServer]:
    """The same deployment with its own login page: other field names, an extra hidden field, two named
    buttons (tests/servers/django_cas/house.py)."""
    data_dir = tmp_path_factory.mktemp("django-cas-house")
    command = [
        sys.executable,
        "-m",
        "tests.servers.django_cas.launcher",
        "--data-dir",
        str(data_dir),
        "--house-login",
    ]
    with loopback_server(
        "django-cas-server (house login page)",
        command,
        data_dir / "stderr.log",
        timeout=DJANGO_CAS_START_TIMEOUT,
    ) as (server, cas_url):
        yield DjangoCasServer(cas_url, server)
