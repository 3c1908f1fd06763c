"""The mocks' credentials kept in a file, so that a CAS configured against them survives a restart.

``credentials.json`` holds what the ready line prints: Duo's integration and secret keys, the YubiKey
API client id and key (base64, as CAS's ``secret-key`` takes it) and the RADIUS shared secret. The
first start writes it; an operator may also write it by hand to match the keys a deployment already
has. Every field is checked, and a bad one is reported with the file and the field.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mocks.duo.state import (
    INTEGRATION_KEY_LENGTH,
    SECRET_KEY_LENGTH,
    new_integration_key,
    new_secret_key,
)
from mocks.radius.state import new_secret
from mocks.statedir import FILE_MODE, private_directory, tighten, write_private
from mocks.yubikey.state import DEFAULT_CLIENT_ID

FILE_NAME = "credentials.json"


class CredentialsError(Exception):
    """A credentials file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Credentials:
    duo_integration_key: str
    duo_secret_key: str
    yubikey_client_id: str
    yubikey_secret_key: bytes
    radius_secret: str

    @classmethod
    def generate(cls) -> Credentials:
        return cls(new_integration_key(), new_secret_key(), DEFAULT_CLIENT_ID, os.urandom(20), new_secret())

    def as_json(self) -> dict[str, Any]:
        return {
            "duo": {"integration_key": self.duo_integration_key, "secret_key": self.duo_secret_key},
            "yubikey": {
                "client_id": self.yubikey_client_id,
                "secret_key": base64.b64encode(self.yubikey_secret_key).decode("ascii"),
            },
            "radius": {"secret": self.radius_secret},
        }


def load_or_create(path: Path) -> Credentials:
    """The credentials in ``path``; new ones, written there readable by the owner only, if it is absent.
    A file written by hand that others may read is tightened to 0600 (see :mod:`mocks.statedir`)."""
    if not path.exists():
        credentials = Credentials.generate()
        private_directory(path.parent)
        write_private(path, (json.dumps(credentials.as_json(), indent=2) + "\n").encode("utf-8"))
        return credentials
    tighten(path, FILE_MODE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise CredentialsError(f"{path}: cannot be read: {error}") from None
    except json.JSONDecodeError as error:
        raise CredentialsError(f"{path}:{error.lineno}: not JSON: {error.msg}") from None
    return _parse(data, path)


def _parse(data: object, path: Path) -> Credentials:
    if not isinstance(data, dict):
        raise CredentialsError(f"{path}: must be a JSON object with duo, yubikey and radius")
    unknown = sorted(set(data) - {"duo", "yubikey", "radius"})
    if unknown:
        raise CredentialsError(f"{path}: {unknown[0]}: unknown section (duo, yubikey, radius)")

    def text(section: str, name: str) -> str:
        block = data.get(section)
        if not isinstance(block, dict):
            raise CredentialsError(f"{path}: {section}: missing, or not an object")
        value = block.get(name)
        if not isinstance(value, str) or not value.strip():
            raise CredentialsError(f"{path}: {section}.{name}: missing, or not a non-empty string")
        return value.strip()

    integration_key = text("duo", "integration_key")
    if len(integration_key) != INTEGRATION_KEY_LENGTH or not integration_key.isalnum():
        raise CredentialsError(
            f"{path}: duo.integration_key: must be {INTEGRATION_KEY_LENGTH} letters and digits, "
            "as Duo issues them (the Universal Prompt SDK refuses other lengths)"
        )
    secret_key = text("duo", "secret_key")
    if len(secret_key) != SECRET_KEY_LENGTH or not secret_key.isalnum():
        raise CredentialsError(
            f"{path}: duo.secret_key: must be {SECRET_KEY_LENGTH} letters and digits, as Duo issues them"
        )
    client_id = text("yubikey", "client_id")
    if not client_id.isdigit():
        raise CredentialsError(f"{path}: yubikey.client_id: must be a number (CAS reads client-id as one)")
    try:
        yubikey_key = base64.b64decode(text("yubikey", "secret_key"), validate=True)
    except (binascii.Error, ValueError):
        raise CredentialsError(f"{path}: yubikey.secret_key: not base64") from None
    if not yubikey_key:
        raise CredentialsError(f"{path}: yubikey.secret_key: decodes to nothing")
    radius_secret = text("radius", "secret")
    if not (radius_secret.isascii() and radius_secret.isprintable()):
        raise CredentialsError(f"{path}: radius.secret: must be printable ASCII")
    return Credentials(integration_key, secret_key, client_id, yubikey_key, radius_secret)
