"""The user's authenticator app: one Google Authenticator secret per user, and codes never typed twice.

Codes come from pyotp (RFC 6238), never from the reference's own TOTP code, so a bug there cannot pass on
both sides. The phone's settings are read from the scenario's own properties under CAS's documented names
(``cas.authn.mfa.gauth.core.code-digits``, ``time-step-size``), and the account CAS imports is written in
CAS's JSON (``GoogleAuthenticatorAccount``, docs/target-file.md).

CAS refuses a code the user already used (for 30 seconds), and a scenario's clock may stand still, so
each login takes the code of the current time step or, when that one was typed already, of the next
or the previous step, which CAS's window (3 steps) also accepts.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyotp

STEP_OFFSETS = (0, 1, -1)  # within CAS's default window of 3 steps
SCRATCH_CODES = 5  # the googleauth library's default: five codes of eight digits
ACCOUNT_CLASS = "org.apereo.cas.gauth.credential.GoogleAuthenticatorAccount"
ACCOUNT_NAME = "conformance"
_GAUTH_CORE = "cas.authn.mfa.gauth.core."
_DIGITS, _STEP = "codedigits", "timestepsize"  # relaxed names, folded as Spring binds them


@dataclass(frozen=True)
class AppSettings:
    """What the phone is set up with: the code's digits and the time step, in seconds."""

    digits: int = 6
    period: int = 30

    @classmethod
    def from_properties(cls, properties: Mapping[str, str]) -> AppSettings:
        """From the deployment's ``cas.authn.mfa.gauth.core.*`` (kebab-case or camelCase); CAS's defaults
        where the deployment sets nothing."""
        folded = {
            _fold(name[len(_GAUTH_CORE) :]): (name, value)
            for name, value in properties.items()
            if name.lower().startswith(_GAUTH_CORE)
        }
        values = {"digits": 6, "period": 30}
        for key, attribute in ((_DIGITS, "digits"), (_STEP, "period")):
            if key in folded:
                name, text = folded[key]
                if not text.strip().isdigit() or int(text) < 1:
                    raise ValueError(f"{name}: '{text}' is not a whole number")
                values[attribute] = int(text)
        return cls(**values)


def _fold(name: str) -> str:
    return name.lower().replace("-", "").replace("_", "")


class AuthenticatorApp:
    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}
        self._scratch: dict[str, list[int]] = {}
        self._typed: dict[str, set[str]] = {}

    def forget(self) -> None:
        """A new deployment: its accounts are new too."""
        self._secrets.clear()
        self._scratch.clear()
        self._typed.clear()

    def secret(self, username: str) -> str | None:
        return self._secrets.get(username.lower())

    def enrol(self, username: str, account_id: int = 0) -> dict[str, Any]:
        """A new account for the user, as CAS's registration page would make it, in CAS's JSON."""
        secret = pyotp.random_base32()
        scratch = [10_000_000 + secrets.randbelow(90_000_000) for _ in range(SCRATCH_CODES)]
        self._secrets[username.lower()] = secret
        self._scratch[username.lower()] = list(scratch)
        return {
            "@class": ACCOUNT_CLASS,
            "id": account_id,
            "username": username,
            "name": ACCOUNT_NAME,
            "secretKey": secret,
            "validationCode": 0,
            "scratchCodes": ["java.util.ArrayList", scratch],
        }

    def scratch_code(self, username: str) -> str:
        """One of the user's scratch codes not typed yet."""
        remaining = self._scratch[username.lower()]
        if not remaining:
            raise AssertionError(f"{username} typed all {SCRATCH_CODES} scratch codes")
        return str(remaining.pop(0))

    def _totp(self, username: str, settings: AppSettings) -> pyotp.TOTP:
        return pyotp.TOTP(self._secrets[username.lower()], digits=settings.digits, interval=settings.period)

    def code_at(self, username: str, now: datetime, settings: AppSettings, steps_from_now: int) -> str:
        """The code the app shows ``steps_from_now`` time steps from ``now``."""
        code = self._totp(username, settings).at(now, counter_offset=steps_from_now)
        self._typed.setdefault(username.lower(), set()).add(code)
        return code

    def code(self, username: str, now: datetime, settings: AppSettings) -> str:
        """A code of the user's secret that CAS accepts at ``now`` and the user has not typed yet."""
        totp = self._totp(username, settings)
        typed = self._typed.setdefault(username.lower(), set())
        for offset in STEP_OFFSETS:
            code = totp.at(now, counter_offset=offset)
            if code not in typed:
                typed.add(code)
                return code
        raise AssertionError(
            f"{username} typed every Google Authenticator code CAS accepts at {now.isoformat()}; "
            "let time pass between logins"
        )
