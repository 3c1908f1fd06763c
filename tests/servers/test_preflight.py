"""A target file that does not describe the server stops the run before the first scenario, with one
line per problem and exit status 4; a run in which nothing applied exits 5. Against django-cas-server,
a CAS nobody here wrote."""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.servers.conftest import DjangoCasServer
from tests.servers.suiterun import run_pytest

RUN_TIMEOUT = 120.0
USERS = '[users]\ncasuser = "Mellon"\n[applications.app]\nservice = "https://app.example.org"\n'


def run(tmp_path: Path, target: str, *args: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "target.toml"
    path.write_text(target, encoding="utf-8")
    return run_pytest(["steps", "--target", "http", "--target-config", str(path), *args], timeout=RUN_TIMEOUT)


def problems(result: subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    assert result.returncode == 4, output[-3000:]
    assert "Traceback" not in output and "passed" not in output
    return output


@pytest.fixture
def origin(django_cas_server: DjangoCasServer) -> str:
    parts = urlsplit(django_cas_server.cas_url)
    return f"{parts.scheme}://{parts.netloc}"


def test_a_url_without_cas_says_so(tmp_path: Path, origin: str) -> None:
    output = problems(run(tmp_path, f'cas-url = "{origin}"\n{USERS}'))
    assert f"cas-url: no login form at {origin}/login" in output
    assert "is the CAS URL missing /cas?" in output


def test_a_dead_mocks_control_url_is_one_line(tmp_path: Path, django_cas_server: DjangoCasServer) -> None:
    target = f'cas-url = "{django_cas_server.cas_url}"\n{USERS}[mocks]\ncontrol = "http://127.0.0.1:9"\n'
    output = problems(run(tmp_path, target))
    assert (
        "mocks.control http://127.0.0.1:9: GET http://127.0.0.1:9/health: no answer from the mocks' control API"
        in output
    )
    assert "cas-url" not in output  # the CAS itself is fine


def test_a_capability_whose_endpoint_the_server_lacks_is_named(
    tmp_path: Path, django_cas_server: DjangoCasServer
) -> None:
    target = f'cas-url = "{django_cas_server.cas_url}"\ncapabilities = ["trusted-devices"]\n{USERS}'
    output = problems(run(tmp_path, target))
    assert "capabilities: 'trusted-devices' needs " in output
    assert "multifactorTrustedDevices/preflight, which answered HTTP 404" in output


def test_a_run_in_which_nothing_applied_exits_non_zero_and_says_why(
    tmp_path: Path, django_cas_server: DjangoCasServer
) -> None:
    result = run(tmp_path, f'cas-url = "{django_cas_server.cas_url}"\n', "-k", "protocol")
    output = result.stdout + result.stderr
    assert result.returncode == 5, output[-3000:]
    assert "no scenario was applicable to target 'http'" in output
    assert "lacks role 'a user of the deployment'" in output
    allowed = run(
        tmp_path, f'cas-url = "{django_cas_server.cas_url}"\n', "-k", "protocol", "--allow-none-applicable"
    )
    assert allowed.returncode == 0, (allowed.stdout + allowed.stderr)[-3000:]
