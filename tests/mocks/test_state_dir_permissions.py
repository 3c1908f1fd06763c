"""``--state-dir``: the directory holds secrets (Duo's and YubiKey's keys, the RADIUS secret, the CA's
private key), so it is its owner's alone: 0700 for the directories, 0600 for every file, whatever the
umask; one found open to others is tightened, with a warning, and the mocks start."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from mocks.credentials import Credentials
from mocks.statedir import PermissionsWarning
from mocks.suite import MockSuite
from tests.mocks.rawhttp import served_with_stderr

MINE = Credentials("DIWJ8X6AEYOR5OMC6TQ1", "Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zhDzVE", "87", b"k" * 20, "x")


def modes(state: Path) -> dict[str, int]:
    """Every path under ``state`` (and ``state`` itself as ".") with its permission bits."""
    paths = [state, *state.rglob("*")]
    return {p.relative_to(state).as_posix(): stat.S_IMODE(os.stat(p).st_mode) for p in paths}


def assert_private(state: Path) -> None:
    found = modes(state)
    assert set(found) >= {".", "tls", "credentials.json", "tls/ca.pem", "tls/ca-key.pem"}
    for name, mode in found.items():
        expected = 0o700 if (state / name).is_dir() else 0o600
        assert mode == expected, f"{name}: {mode:04o}, not {expected:04o}"


def test_a_new_state_dir_is_private_even_under_a_permissive_umask(tmp_path: Path) -> None:
    state = tmp_path / "nested" / "state"
    with served_with_stderr(tmp_path, "--state-dir", str(state), umask=0) as (_, stderr):
        assert_private(state)
    assert stderr.read_text() == ""  # nothing was found open, nothing to warn about


def test_an_existing_state_dir_open_to_others_is_tightened_with_a_warning(tmp_path: Path) -> None:
    state = tmp_path / "state"
    (state / "tls").mkdir(parents=True)
    (state / "credentials.json").write_text(json.dumps(MINE.as_json()))  # an operator's, by hand
    os.chmod(state, 0o755)
    os.chmod(state / "tls", 0o777)
    os.chmod(state / "credentials.json", 0o644)
    with served_with_stderr(tmp_path, "--state-dir", str(state)) as (ready, stderr):
        assert ready["duo"]["integration_key"] == MINE.duo_integration_key
        assert_private(state)
    warnings = stderr.read_text().splitlines()
    assert len(warnings) == 3 and all(line.startswith("cas-mfa-mocks: warning: ") for line in warnings)
    assert f"{state} had mode 0755" in warnings[0] and "changed to 0700" in warnings[0]
    assert any(f"{state / 'credentials.json'} had mode 0644" in line for line in warnings)


def test_a_restart_keeps_it_private(tmp_path: Path) -> None:
    state = tmp_path / "state"
    for _ in range(2):
        with served_with_stderr(tmp_path, "--state-dir", str(state)) as (_, stderr):
            assert_private(state)
        assert stderr.read_text() == ""


def test_the_python_api_warns_too(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir(mode=0o750)
    os.chmod(state, 0o750)
    with pytest.warns(PermissionsWarning, match="had mode 0750"), MockSuite(state_dir=state):
        assert_private(state)
