"""The target file: what is accepted, and one line naming the file and field for what is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from steps.targets.targetfile import TargetFileError, load_target_file

FULL = """
cas-url = "https://cas.example.org/cas/"
capabilities = ["sso", "mfa-token", "deployment-profile", "client-address", "rest-endpoint"]

[users]
casuser = "Mellon"

[mocks]
control = "http://127.0.0.1:9000"

[deployment]
profile-dir = "profile"

[http]
timeout = 5
verify = "ca.pem"
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "profile").mkdir(exist_ok=True)
    path = tmp_path / "target.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_file_is_read(tmp_path: Path) -> None:
    target = load_target_file(write(tmp_path, FULL))
    assert target.cas_url == "https://cas.example.org/cas"
    assert target.mode == "profile-dir"
    assert target.profile_dir == (tmp_path / "profile").resolve()
    assert target.refresh_url == "https://cas.example.org/cas/actuator/refresh"
    assert target.users == {"casuser": "Mellon"}
    assert target.mocks_control == "http://127.0.0.1:9000"
    assert target.timeout == 5.0
    assert target.verify == str((tmp_path / "ca.pem").resolve())
    assert "sso" in target.capabilities


def test_the_command_line_url_wins(tmp_path: Path) -> None:
    target = load_target_file(write(tmp_path, FULL), "http://127.0.0.1:8080/cas")
    assert target.cas_url == "http://127.0.0.1:8080/cas"


def test_a_minimal_file_is_a_fixed_deployment(tmp_path: Path) -> None:
    target = load_target_file(write(tmp_path, 'cas-url = "http://127.0.0.1:8000/cas"\n'))
    assert target.mode == "plain" and target.capabilities == frozenset()


def test_a_profile_group(tmp_path: Path) -> None:
    text = 'cas-url = "http://127.0.0.1:8000/cas"\n[deployment]\nprofile-group = "0123456789ab"\n'
    target = load_target_file(write(tmp_path, text))
    assert (target.mode, target.profile_group) == ("profile-group", "0123456789ab")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cas-url = ", "not valid TOML"),
        ("capabilities = []\n", "cas-url: missing (or give --cas-url)"),
        ('cas-url = "ftp://cas"\n', "cas-url: 'ftp://cas' is not an http(s) URL"),
        (
            'cas-url = "http://c/cas"\ncapabilities = ["sso", "teleport"]\n',
            "capabilities: unknown capability 'teleport'",
        ),
        (
            'cas-url = "http://c/cas"\ncapabilities = "sso"\n',
            "capabilities: expected a list of capability names",
        ),
        ('cas-url = "http://c/cas"\ncolour = "blue"\n', "colour: unknown field"),
        (
            'cas-url = "http://c/cas"\n[users]\ncasuser = 1\n',
            "users.casuser: expected the password as a string",
        ),
        ('cas-url = "http://c/cas"\n[deployment]\nprofile-dir = "nowhere"\n', "deployment.profile-dir: "),
        (
            'cas-url = "http://c/cas"\n[deployment]\nprofile-dir = "profile"\nprofile-group = "abc"\n',
            "deployment: give profile-dir",
        ),
        (
            'cas-url = "http://c/cas"\n[deployment]\nrefresh-url = "http://c/r"\n',
            "deployment.refresh-url: only",
        ),
        ('cas-url = "http://c/cas"\n[deployment]\nprofile-dir = "profile"\n', "mocks.control: missing"),
        (
            'cas-url = "http://c/cas"\ncapabilities = ["deployment-profile"]\n',
            "capabilities: 'deployment-profile' needs deployment.profile-dir",
        ),
        ('cas-url = "http://c/cas"\ncapabilities = ["provider-outage"]\n', "mocks.control: missing, but"),
        ('cas-url = "http://c/cas"\n[http]\ntimeout = 0\n', "http.timeout: expected seconds"),
        ('cas-url = "http://c/cas"\n[http]\nverify = 3\n', "http.verify: expected true, false"),
        ('cas-url = "http://c/cas"\n[mocks]\ncontrol = 3\n', "mocks.control: expected a URL string"),
    ],
)
def test_a_mistake_is_one_line_naming_the_file_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(TargetFileError) as raised:
        load_target_file(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TargetFileError, match="no such target file"):
        load_target_file(tmp_path / "absent.toml")
