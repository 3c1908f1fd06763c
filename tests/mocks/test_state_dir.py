"""``cas-mfa-mocks serve --state-dir DIR``: credentials and the test CA outlive a restart.

An operator configures CAS once (keys, the CA to trust) and restarts the mocks at will; the vendors'
own clients, given what the first run printed, must still be accepted by the second.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yubico_client
from duo_universal import Client

from mocks.client import ControlClient
from mocks.credentials import Credentials
from tests.mocks.serving import refused, serving

REDIRECT = "https://cas.example.org/cas/login"


def credentials_of(ready: dict[str, Any]) -> tuple[object, ...]:
    duo, yubikey, radius = ready["duo"], ready["yubikey"], ready["radius"]
    return (
        duo["integration_key"],
        duo["secret_key"],
        yubikey["client_id"],
        yubikey["secret_key"],
        radius["shared_secret"],
    )


def test_a_restart_keeps_the_credentials_and_the_ca_the_clients_were_given(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with serving("--state-dir", str(state)) as first:
        ca = Path(first["duo"]["ca_pem"]).read_bytes()
    with serving("--state-dir", str(state)) as second:
        assert credentials_of(second) == credentials_of(first)
        assert Path(second["duo"]["ca_pem"]).read_bytes() == ca
        # duo_universal with the first run's keys and CA, against the second run's server
        first_ca = tmp_path / "first-ca.pem"
        first_ca.write_bytes(ca)
        duo = first["duo"]
        client = Client(
            duo["client_id"],
            duo["client_secret"],
            second["duo"]["api_host"],
            REDIRECT,
            duo_certs=str(first_ca),
        )
        assert client.health_check()["stat"] == "OK"
        # yubico-client with the first run's API key, against the second run's validation service
        control = ControlClient(second["control"])
        control.reset()
        control.register_yubikey_device("ccccccbcgujh")
        otp = control.mint_yubikey_otp("ccccccbcgujh")
        yubico = yubico_client.Yubico(
            first["yubikey"]["client_id"],
            first["yubikey"]["secret_key"],
            api_urls=[second["yubikey"]["validation_url"]],
        )
        assert yubico.verify(otp) is True
    files = {
        p.relative_to(state).as_posix(): p.stat().st_mode & 0o777 for p in state.rglob("*") if p.is_file()
    }
    assert files["credentials.json"] == 0o600 and files["tls/ca-key.pem"] == 0o600


def test_a_relative_state_dir_gives_absolute_paths(tmp_path: Path) -> None:
    root = str(Path(__file__).resolve().parents[2])
    with serving("--state-dir", "state", cwd=tmp_path, env={**os.environ, "PYTHONPATH": root}) as ready:
        assert ready["duo"]["ca_pem"] == str(tmp_path.resolve() / "state" / "tls" / "ca.pem")


def test_without_a_state_dir_every_start_is_new() -> None:
    with serving() as first:
        pass
    with serving() as second:
        # every secret is new; the YubiKey client id is the mock's fixed "87"
        pairs = zip(credentials_of(first), credentials_of(second), strict=True)
        assert [a == b for a, b in pairs] == [False, False, True, False, False]


def test_keys_written_by_the_operator_are_the_ones_served(tmp_path: Path) -> None:
    mine = Credentials(
        "DIWJ8X6AEYOR5OMC6TQ1", "Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zhDzVE", "4242", b"k" * 20, "s3cret"
    )
    (tmp_path / "credentials.json").write_text(json.dumps(mine.as_json()))
    with serving("--state-dir", str(tmp_path)) as ready:
        assert credentials_of(ready) == (
            "DIWJ8X6AEYOR5OMC6TQ1",
            "Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zhDzVE",
            "4242",
            "a2tra2tra2tra2tra2tra2tra2s=",
            "s3cret",
        )


GOOD = Credentials(
    "DIWJ8X6AEYOR5OMC6TQ1", "Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zhDzVE", "87", b"k" * 20, "x"
).as_json()


def _with(section: str, name: str, value: object) -> str:
    data = json.loads(json.dumps(GOOD))
    data[section][name] = value
    return json.dumps(data)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{\n  "duo": ,\n}', "credentials.json:2: not JSON"),
        ("[]", "credentials.json: must be a JSON object"),
        (json.dumps({**GOOD, "okta": {}}), "credentials.json: okta: unknown section"),
        (
            json.dumps({"yubikey": GOOD["yubikey"], "radius": GOOD["radius"]}),
            "credentials.json: duo: missing",
        ),
        (_with("duo", "integration_key", "DI123"), "credentials.json: duo.integration_key: must be 20"),
        (_with("duo", "secret_key", "x" * 39), "credentials.json: duo.secret_key: must be 40"),
        (
            _with("yubikey", "client_id", "eighty-seven"),
            "credentials.json: yubikey.client_id: must be a number",
        ),
        (_with("yubikey", "secret_key", "not base64!"), "credentials.json: yubikey.secret_key: not base64"),
        (_with("radius", "secret", ""), "credentials.json: radius.secret: missing"),
        (_with("radius", "secret", "sécret"), "credentials.json: radius.secret: must be printable ASCII"),
    ],
)
def test_a_bad_credentials_file_is_named_with_its_field(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "credentials.json").write_text(text)
    done = refused("--state-dir", str(tmp_path))
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("cas-mfa-mocks: error: ") and message in line, line
    assert (tmp_path / "credentials.json").read_text() == text  # left as the operator wrote it


@pytest.mark.parametrize("damage", ["missing key", "foreign key", "not PEM"])
def test_a_damaged_kept_ca_is_refused_naming_the_file(tmp_path: Path, damage: str) -> None:
    with serving("--state-dir", str(tmp_path)):
        pass
    ca_key = tmp_path / "tls" / "ca-key.pem"
    if damage == "missing key":
        ca_key.unlink()
    elif damage == "foreign key":
        other = tmp_path / "other"
        with serving("--state-dir", str(other)):
            pass
        ca_key.write_bytes((other / "tls" / "ca-key.pem").read_bytes())
    else:
        (tmp_path / "tls" / "ca.pem").write_text("hello")
    done = refused("--state-dir", str(tmp_path))
    assert done.returncode == 2, done.stderr
    expected = {
        "missing key": "ca-key.pem: missing",
        "foreign key": "ca-key.pem: not the key of",
        "not PEM": "ca.pem: not a PEM certificate",
    }[damage]
    assert expected in done.stderr and done.stderr.count("\n") == 1, done.stderr
