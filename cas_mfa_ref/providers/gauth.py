"""Google Authenticator as CAS 7.x checks its tokens (``mfa-gauth``).

CAS keeps each user's accounts (a Base32 secret and scratch codes) and checks a typed token thus
(``GoogleAuthenticatorOneTimeTokenCredentialValidator``): it must be all digits; the user must have an
account; a token the user already used is refused; a TOTP is accepted within ``window-size`` steps
around now (3: the previous, current and next step); otherwise a scratch code is accepted once and
removed. A used token is remembered for 30 seconds after the user's last success (the in-memory token
repository: one cache entry per user, ``expireAfterWrite`` 30 s). Settings:
``cas.authn.mfa.gauth.core.code-digits`` (6), ``time-step-size`` (30 s), ``window-size`` (3).
Accounts live in memory and are registered through the ``gauthCredentialRepository`` actuator
endpoint, as a harness does with a real CAS; CAS's own registration pages are not modelled.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cas_mfa_ref.config.properties import canonical
from cas_mfa_ref.engine.clock import Clock, SystemClock
from cas_mfa_ref.model import RegisteredService
from cas_mfa_ref.providers.totp import code_for_step, secret_bytes, step_at

ACCOUNT_CLASS = "org.apereo.cas.gauth.credential.GoogleAuthenticatorAccount"
USED_TOKEN_SECONDS = 30  # CasOneTimeTokenAuthenticationAutoConfiguration: EXPIRE_TOKENS_IN_SECONDS


@dataclass(frozen=True)
class GauthSettings:
    code_digits: int = 6
    time_step_seconds: int = 30
    window_size: int = 3

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]) -> GauthSettings:
        """From ``cas.authn.mfa.gauth.*`` minus the prefix; a ValueError names the bad property."""
        relaxed = {".".join(canonical(name)): value for name, value in settings.items()}
        values: dict[str, int] = {}
        for name, attribute, default, low in (
            ("core.code-digits", "code_digits", 6, 6),
            ("core.time-step-size", "time_step_seconds", 30, 1),
            ("core.window-size", "window_size", 3, 1),
        ):
            text = relaxed.get(".".join(canonical(name)), str(default)).strip()
            if not text.isdigit() or int(text) < low or (attribute == "code_digits" and int(text) > 8):
                bounds = "6 to 8" if attribute == "code_digits" else f"at least {low}"
                raise ValueError(f"{name}: '{text}' is not a whole number {bounds}")
            values[attribute] = int(text)
        return cls(**values)


@dataclass
class GauthAccount:
    """One registered device: ``OneTimeTokenAccount`` / ``GoogleAuthenticatorAccount``."""

    id: int
    username: str
    secret_key: str
    scratch_codes: list[int] = field(default_factory=list)
    name: str = ""
    registration_date: str = ""

    @classmethod
    def from_json(cls, data: object) -> GauthAccount:
        """An account as CAS's ``GoogleAuthenticatorAccountSerializer`` reads it (Jackson with default
        typing: ``@class`` on the object, lists as ``["java.util.ArrayList", [...]]``); a ValueError
        names the field."""
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object (a GoogleAuthenticatorAccount)")
        kind = data.get("@class", ACCOUNT_CLASS)
        if kind != ACCOUNT_CLASS:
            raise ValueError(f"@class: '{kind}' is not {ACCOUNT_CLASS}")
        username = data.get("username")
        if not isinstance(username, str) or not username.strip():
            raise ValueError("username: required")
        secret = data.get("secretKey")
        if not isinstance(secret, str):
            raise ValueError("secretKey: required (the Base32 secret)")
        try:
            secret_bytes(secret)
        except ValueError as error:
            raise ValueError(f"secretKey: {error}") from None
        raw_id = data.get("id", 0)
        if isinstance(raw_id, bool) or not isinstance(raw_id, int):
            raise ValueError("id: must be a number")
        codes = data.get("scratchCodes", [])
        if isinstance(codes, list) and len(codes) == 2 and isinstance(codes[0], str):
            codes = codes[1]  # ["java.util.ArrayList", [...]]
        if not isinstance(codes, list) or not all(
            isinstance(c, int) and not isinstance(c, bool) for c in codes
        ):
            raise ValueError("scratchCodes: must be a list of numbers")
        name = data.get("name") or ""
        date = data.get("registrationDate") or datetime.now(UTC).isoformat()
        return cls(raw_id, username.strip(), secret, list(codes), str(name), str(date))

    def to_json(self) -> dict[str, Any]:
        return {
            "@class": ACCOUNT_CLASS,
            "id": self.id,
            "username": self.username,
            "name": self.name,
            "secretKey": self.secret_key,
            "validationCode": 0,
            "scratchCodes": ["java.util.ArrayList", list(self.scratch_codes)],
            "registrationDate": self.registration_date,
        }


class GoogleAuthenticatorGateway:
    """The accounts and the token check of one Google Authenticator provider; safe across threads."""

    def __init__(self, settings: GauthSettings, clock: Clock | None = None) -> None:
        self.settings = settings
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._accounts: dict[str, list[GauthAccount]] = {}
        self._used: dict[str, tuple[datetime, set[int]]] = {}

    # -- the repository (gauthCredentialRepository) ---------------------------------------------------

    def save(self, account: GauthAccount) -> GauthAccount:
        """Store an account; an id of 0 or less is given one, as CAS does (the current time in ms)."""
        with self._lock:
            if account.id <= 0:
                account.id = int(self._clock.now().timestamp() * 1000)
            accounts = self._accounts.setdefault(account.username.lower(), [])
            accounts[:] = [a for a in accounts if a.id != account.id] + [account]
            return account

    def accounts(self, username: str | None = None) -> list[GauthAccount]:
        with self._lock:
            if username is None:
                return [a for group in self._accounts.values() for a in group]
            return list(self._accounts.get(username.lower(), []))

    def delete(self, username: str | None = None) -> None:
        with self._lock:
            if username is None:
                self._accounts.clear()
            else:
                self._accounts.pop(username.lower(), None)

    # -- ProviderGateway --------------------------------------------------------------------------------

    def is_available(self, service: RegisteredService | None) -> bool:
        """Always: ``GoogleAuthenticatorMultifactorAuthenticationProvider`` checks nothing remote."""
        return True

    def verify(self, principal: str, token: str) -> bool:
        text = token.strip()
        if not text.isascii() or not text.isdigit():
            return False
        value = int(text)
        user = principal.lower()
        now = self._clock.now()
        with self._lock:
            accounts = self._accounts.get(user, [])
            if not accounts:
                return False
            stored = self._used.get(user)
            if stored is not None and now - stored[0] >= timedelta(seconds=USED_TOKEN_SECONDS):
                del self._used[user]
                stored = None
            if stored is not None and value in stored[1]:
                return False
            if not any(self._totp_matches(a.secret_key, value, now) for a in accounts):
                holder = next((a for a in accounts if value in a.scratch_codes), None)
                if holder is None:
                    return False
                holder.scratch_codes.remove(value)
            used = stored[1] if stored is not None else set()
            self._used[user] = (now, used | {value})  # storing restarts the expiry of all of them
            return True

    def _totp_matches(self, secret: str, value: int, now: datetime) -> bool:
        """The googleauth library's window: steps -((w-1)/2) .. w/2 around now (w=3: -1, 0, +1)."""
        window = self.settings.window_size
        current = step_at(now, self.settings.time_step_seconds)
        return any(
            int(code_for_step(secret, current + offset, self.settings.code_digits)) == value
            for offset in range(-((window - 1) // 2), window // 2 + 1)
        )
