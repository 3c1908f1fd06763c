"""The user's authenticator app: one Google Authenticator secret per user, and codes never typed twice.

CAS refuses a code the user already used (for 30 seconds), and a scenario's clock may stand still, so
each login takes the code of the current time step or, when that one was typed already, of the next
or the previous step, which CAS's window (3 steps) also accepts.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from cas_mfa_ref.providers.gauth import GauthAccount, GauthSettings
from cas_mfa_ref.providers.totp import code_for_step, new_secret, step_at

STEP_OFFSETS = (0, 1, -1)  # within CAS's default window of 3 steps
SCRATCH_CODES = 5  # the googleauth library's default: five codes of eight digits


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

    def enrol(self, username: str) -> GauthAccount:
        """A new account for the user, as CAS's registration page would make it (id left to CAS)."""
        secret = new_secret()
        scratch = [10_000_000 + secrets.randbelow(90_000_000) for _ in range(SCRATCH_CODES)]
        self._secrets[username.lower()] = secret
        self._scratch[username.lower()] = list(scratch)
        return GauthAccount(0, username, secret, scratch, name="conformance")

    def scratch_code(self, username: str) -> str:
        """One of the user's scratch codes not typed yet."""
        remaining = self._scratch[username.lower()]
        if not remaining:
            raise AssertionError(f"{username} typed all {SCRATCH_CODES} scratch codes")
        return str(remaining.pop(0))

    def code_at(self, username: str, now: datetime, settings: GauthSettings, steps_from_now: int) -> str:
        """The code the app shows ``steps_from_now`` time steps from ``now``."""
        secret = self._secrets[username.lower()]
        code = code_for_step(
            secret, step_at(now, settings.time_step_seconds) + steps_from_now, settings.code_digits
        )
        self._typed.setdefault(username.lower(), set()).add(code)
        return code

    def code(self, username: str, now: datetime, settings: GauthSettings) -> str:
        """A code of the user's secret that CAS accepts at ``now`` and the user has not typed yet."""
        secret = self._secrets[username.lower()]
        typed = self._typed.setdefault(username.lower(), set())
        current = step_at(now, settings.time_step_seconds)
        for offset in STEP_OFFSETS:
            code = code_for_step(secret, current + offset, settings.code_digits)
            if code not in typed:
                typed.add(code)
                return code
        raise AssertionError(
            f"{username} typed every Google Authenticator code CAS accepts at {now.isoformat()}; "
            "let time pass between logins"
        )
