"""``cas-mfa-ref profile export``: the scenarios' deployments as profiles a real CAS (and the reference) loads."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cas_mfa_ref.config.profile import load_profile
from mocks.control import ControlServer
from mocks.suite import MockSuite
from steps.digest import profile_digest
from steps.export import REGISTRY_LOCATION, make_loadable
from tests.servers.process import start_server

ROOT = Path(__file__).resolve().parent.parent
PYTEST = [sys.executable, "-m", "pytest", "steps"]
OPTIONS = ["--target", "http", "-k", "failure_mode", "-p", "no:cacheprovider", "-q"]


@pytest.fixture(scope="module")
def control_url(mock_suite: MockSuite) -> Iterator[str]:
    control = ControlServer(mock_suite).start()
    try:
        yield control.url
    finally:
        control.stop()


def _export(directory: Path, control_url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "cas_mfa_ref.cli", "profile", "export", str(directory)]
    return subprocess.run(
        [*command, "--mocks", control_url, *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, control_url: str) -> tuple[Path, dict[str, Any]]:
    directory = tmp_path_factory.mktemp("exported")
    # The failure-mode features and the REST trigger: groups shared by several scenarios, and scenarios
    # that an operator's CAS cannot run from a profile alone.
    run = _export(directory, control_url, "-k", "failure_mode or REST or rest_")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return directory, json.loads((directory / "index.json").read_text())


def test_scenarios_that_share_settings_share_one_profile(exported: tuple[Path, dict[str, Any]]) -> None:
    _, index = exported
    groups = index["groups"]
    assert groups, "nothing was exported"
    sizes = sorted(len(group["scenarios"]) for group in groups.values())
    assert sizes[-1] > 1, f"every group holds one scenario: {sizes}"
    scenario_ids = [s["nodeid"] for g in groups.values() for s in g["scenarios"]]
    assert len(scenario_ids) == len(set(scenario_ids)), "a scenario landed in two groups"
    for group in groups.values():
        for scenario in group["scenarios"]:
            assert scenario["requirements"], f"{scenario['nodeid']} carries no requirement id"


def test_each_profile_loads_in_the_reference_and_points_at_the_mocks(
    exported: tuple[Path, dict[str, Any]], mock_suite: MockSuite
) -> None:
    directory, index = exported
    yubikey_url = mock_suite.describe()["yubikey"]["validation_url"]
    for digest in index["groups"]:
        profile = directory / digest
        loaded = load_profile(profile)
        assert loaded.services, f"{digest}: no services"
        properties = (profile / "cas.properties").read_text()
        assert f"{REGISTRY_LOCATION}=file:{(profile / 'services').resolve()}" in properties
        for line in properties.splitlines():
            if "=file:" in line:
                assert line.split("=file:", 1)[1].startswith("/"), f"{digest}: relative path in {line}"
        if "cas.authn.mfa.yubikey" in properties:
            assert yubikey_url in properties


def test_scenarios_a_profile_alone_cannot_carry_are_listed_with_the_reason(
    exported: tuple[Path, dict[str, Any]],
) -> None:
    _, index = exported
    reasons = {entry["reason"] for entry in index["not_exported"]}
    assert any("rest-endpoint" in reason for reason in reasons), reasons


def test_the_group_id_is_the_digest_of_the_profile_as_the_suite_writes_it(
    exported: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    directory, index = exported
    digest = next(iter(index["groups"]))
    # Undo what made it loadable elsewhere: the digest names the profile before that step.
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in (directory / digest).rglob("*"):
        target = copy / path.relative_to(directory / digest)
        if path.is_dir():
            target.mkdir(exist_ok=True)
        else:
            text = path.read_bytes().replace(f"file:{(directory / digest).resolve()}/".encode(), b"file:")
            target.write_bytes(text)
    properties = copy / "cas.properties"
    lines = [ln for ln in properties.read_text().splitlines() if not ln.startswith(REGISTRY_LOCATION)]
    properties.write_text("\n".join(lines) + "\n")
    assert profile_digest(copy) == digest


def test_make_loadable_keeps_absolute_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "cas.properties").write_text(
        "a=file:attributes.json\nb=file:/etc/cas/x.json\nc=file:missing.json\n", encoding="utf-8"
    )
    (tmp_path / "attributes.json").write_text("{}", encoding="utf-8")
    make_loadable(tmp_path)
    lines = (tmp_path / "cas.properties").read_text().splitlines()
    assert lines[0] == f"a=file:{(tmp_path / 'attributes.json').resolve()}"
    assert lines[1:3] == ["b=file:/etc/cas/x.json", "c=file:missing.json"]
    assert lines[3] == f"{REGISTRY_LOCATION}=file:{(tmp_path / 'services').resolve()}"


def test_export_without_the_mocks_is_a_usage_error(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "cas_mfa_ref.cli", "profile", "export", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 2
    assert "--mocks" in run.stderr and "Traceback" not in run.stderr


def test_an_exported_group_loaded_by_the_reference_server_passes_as_in_process(
    exported: tuple[Path, dict[str, Any]], control_url: str, tmp_path: Path
) -> None:
    """The operator's path: load one exported group into a CAS (here `cas-mfa-ref serve`), name the group
    in the target file, run the suite over HTTP: the group's scenarios pass, every other is not applicable."""
    directory, index = exported
    digest, group = max(index["groups"].items(), key=lambda item: len(item[1]["scenarios"]))
    server = start_server(
        "cas-mfa-ref serve",
        [sys.executable, "-m", "cas_mfa_ref.cli", "serve", "--profile", str(directory / digest)],
        tmp_path / "serve.err",
    )
    try:
        target = tmp_path / "target.toml"
        target.write_text(
            f'cas-url = "{server.ready["cas_url"]}"\n'
            'capabilities = ["sso", "mfa-token", "provider-outage", "provider-faults"]\n'
            f'[mocks]\ncontrol = "{control_url}"\n[deployment]\nprofile-group = "{digest}"\n',
            encoding="utf-8",
        )
        record = tmp_path / "record.json"
        run = subprocess.run(
            [*PYTEST, *OPTIONS, "--target-config", str(target), "--conformance-json", str(record)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        server.stop()
    assert run.returncode == 0, run.stdout[-3000:] + server.stderr()
    scenarios = json.loads(record.read_text())["scenarios"]
    in_group = {s["nodeid"] for s in group["scenarios"]}
    passed = {s["id"] for s in scenarios if s["verdict"] == "pass"}
    assert passed == in_group & {s["id"] for s in scenarios}, (passed, in_group)
    assert passed, "no scenario of the group ran"
    others = [s for s in scenarios if s["id"] not in in_group]
    assert all(s["verdict"] == "not-applicable" for s in others)
    assert any(f"profile group {digest}" in (s["reason"] or "") for s in others)
