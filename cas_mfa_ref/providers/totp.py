"""Time-based one-time passwords as Google Authenticator and CAS compute them (RFC 6238).

HMAC-SHA1 over the number of time steps since the epoch, dynamic truncation, ``digits`` decimal digits;
the secret is Base32, as the ``com.warrenstrange.googleauth`` library CAS uses makes it (160 bits).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct
from datetime import datetime

SECRET_BYTES = 20  # 160 bits, the library's default


def new_secret() -> str:
    """A new Base32 secret, without padding, as an authenticator app is given it."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def secret_bytes(secret: str) -> bytes:
    """The key of a Base32 secret (any case, spaces and padding allowed); ValueError if not Base32."""
    text = secret.replace(" ", "").upper().rstrip("=")
    if not text:
        raise ValueError("the secret is empty")
    try:
        return base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        raise ValueError("the secret is not Base32") from None


def step_at(when: datetime, step_seconds: int) -> int:
    """The time step ``when`` falls in."""
    return int(when.timestamp()) // step_seconds


def code_for_step(secret: str, step: int, digits: int) -> str:
    """The code of one time step, zero-padded to ``digits``."""
    digest = hmac.new(secret_bytes(secret), struct.pack(">q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def code_at(secret: str, when: datetime, *, step_seconds: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows at ``when``."""
    return code_for_step(secret, step_at(when, step_seconds), digits)
