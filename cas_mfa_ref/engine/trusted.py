"""Trusted devices: the fingerprint of a browser, the records of trust, and their storage.

``MultifactorAuthenticationVerifyTrustAction`` looks for a record of the principal whose fingerprint is
exactly the current one; ``MultifactorAuthenticationSetTrustAction`` stores one after a successful
factor (not with a blank device name), expiring after ``expiration`` ``timeUnit`` or never.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from cas_mfa_ref.config.trusted import TrustedSettings
from cas_mfa_ref.engine.request import HttpRequest
from cas_mfa_ref.geolocation import locate

UNITS = {
    "SECONDS": timedelta(seconds=1),
    "MINUTES": timedelta(minutes=1),
    "HOURS": timedelta(hours=1),
    "DAYS": timedelta(days=1),
    "WEEKS": timedelta(weeks=1),
    "MONTHS": timedelta(days=30),
    "YEARS": timedelta(days=365),
    "FOREVER": None,
}


@dataclass(frozen=True)
class TrustedDevice:
    key: str
    principal: str
    name: str
    fingerprint: str
    geography: str
    recorded: datetime
    expires: datetime | None

    def valid_at(self, now: datetime) -> bool:
        return self.expires is None or now < self.expires


def fingerprint(settings: TrustedSettings, http: HttpRequest) -> str | None:
    """The components in CAS's order (cookie, client IP, user agent, geolocation); None without the device
    cookie. The geolocation component is the located address; without a geolocation service or an address
    it is left out (``GeoLocationDeviceFingerprintComponentManager``)."""
    parts = []
    if settings.cookie:
        cookie = http.cookies.get(settings.cookie_name)
        if not cookie:
            return None
        parts.append(cookie)
    if settings.client_ip:
        parts.append(http.remote_addr)
    if settings.user_agent:
        parts.append(http.user_agent or "")
    if settings.geolocation and settings.locator is not None:
        address = locate(settings.locator, http)
        if address:
            parts.append(address)
    return settings.separator.join(parts)


def expiry(now: datetime, expiration: int, unit: str) -> datetime | None:
    step = UNITS.get(unit.upper())
    if unit.upper() not in UNITS:
        raise ValueError(f"timeUnit '{unit}' is not one of {', '.join(UNITS)}")
    return None if step is None or expiration <= 0 else now + expiration * step


def new_key() -> str:
    return secrets.token_urlsafe(18)


class TrustedDeviceStore(Protocol):
    def add(self, device: TrustedDevice) -> None: ...

    def of(self, principal: str) -> list[TrustedDevice]: ...

    def all(self) -> list[TrustedDevice]: ...

    def remove(self, key: str) -> bool: ...


class InMemoryTrustedDevices:
    def __init__(self) -> None:
        self._devices: dict[str, TrustedDevice] = {}
        self._lock = threading.Lock()

    def add(self, device: TrustedDevice) -> None:
        with self._lock:
            self._devices[device.key] = device

    def of(self, principal: str) -> list[TrustedDevice]:
        with self._lock:
            return [d for d in self._devices.values() if d.principal == principal]

    def all(self) -> list[TrustedDevice]:
        with self._lock:
            return list(self._devices.values())

    def remove(self, key: str) -> bool:
        with self._lock:
            return self._devices.pop(key, None) is not None


class SqliteTrustedDevices:
    """Records in an SQLite file: they survive a restart of the server."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        # The records hold who trusts which browser: readable by the server's owner only. SQLite makes
        # its journal files with the database's mode, so creating the file first is enough.
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        elif path.stat().st_mode & 0o077:
            path.chmod(0o600)  # made by an older release, readable by others: this one tightens it
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS trusted_device (key TEXT PRIMARY KEY, principal TEXT NOT NULL, "
                "name TEXT, fingerprint TEXT NOT NULL, geography TEXT, recorded TEXT NOT NULL, expires TEXT)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self._path, timeout=5)

    def add(self, device: TrustedDevice) -> None:
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO trusted_device VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    device.key,
                    device.principal,
                    device.name,
                    device.fingerprint,
                    device.geography,
                    device.recorded.isoformat(),
                    device.expires.isoformat() if device.expires else None,
                ),
            )

    def of(self, principal: str) -> list[TrustedDevice]:
        return self._select("WHERE principal = ?", (principal,))

    def all(self) -> list[TrustedDevice]:
        return self._select("", ())

    def remove(self, key: str) -> bool:
        with self._lock, self._connect() as db:
            return db.execute("DELETE FROM trusted_device WHERE key = ?", (key,)).rowcount > 0

    def _select(self, where: str, args: tuple[str, ...]) -> list[TrustedDevice]:
        with self._lock, self._connect() as db:
            rows = db.execute(
                f"SELECT key, principal, name, fingerprint, geography, recorded, expires "
                f"FROM trusted_device {where} ORDER BY recorded",
                args,
            ).fetchall()
        return [
            TrustedDevice(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                datetime.fromisoformat(r[5]),
                datetime.fromisoformat(r[6]) if r[6] else None,
            )
            for r in rows
        ]


def store_for(settings: TrustedSettings) -> TrustedDeviceStore:
    return SqliteTrustedDevices(settings.sqlite) if settings.sqlite else InMemoryTrustedDevices()
