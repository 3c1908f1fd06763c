"""Geolocation of a login, pluggable as CAS's ``GeoLocationService`` is.

The browser posts a ``geolocation`` form field, "latitude,longitude,accuracy,timestamp" (CAS's login form
fills it in with the browser's location API; ``HttpRequestUtils#getHttpServletRequestGeoLocation``). A
``GeoLocationService`` turns the client address and that field into an address, whose text the adaptive
trigger matches (``GeoLocationResponse#build``) and which the trusted-device fingerprint may include.
CAS has such a service only when a geolocation module is configured (MaxMind, Google Maps ...); the
reference offers a static table and a Python hook instead, configured from the profile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from cas_mfa_ref.config.hooks import Hook
from cas_mfa_ref.engine.request import HttpRequest

GEOLOCATION_PARAMETER = "geolocation"


@dataclass(frozen=True)
class GeoLocationRequest:
    """The browser's ``geolocation`` field, as CAS's ``GeoLocationRequest`` holds it."""

    latitude: str
    longitude: str
    accuracy: str = ""
    timestamp: str = ""

    @classmethod
    def parse(cls, text: str) -> GeoLocationRequest | None:
        """``latitude,longitude[,accuracy[,timestamp]]``; anything without both coordinates is absent."""
        parts = [p.strip() for p in text.split(",")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            return None
        parts += ["", ""]
        return cls(parts[0], parts[1], parts[2], parts[3])


def request_geolocation(http: HttpRequest) -> GeoLocationRequest | None:
    """What the browser posted in the ``geolocation`` form field, if anything usable."""
    values = http.param_values(GEOLOCATION_PARAMETER)
    return GeoLocationRequest.parse(values[0]) if values else None


class GeoLocationService(Protocol):
    """``GeoLocationService#locate(clientIp, GeoLocationRequest)``: the address, or None."""

    def locate(self, client_ip: str, location: GeoLocationRequest | None) -> str | None: ...

    def describe(self) -> str: ...


def locate(service: GeoLocationService, http: HttpRequest) -> str | None:
    """Locate a login: the client address and the request's ``geolocation`` field, through the service."""
    return service.locate(http.remote_addr, request_geolocation(http))


@dataclass(frozen=True)
class GeoRow:
    """One row of the static table: the conditions it needs (each optional) and the address it gives."""

    address: str
    client_ip: str | None = None
    latitude: str | None = None
    longitude: str | None = None

    def fits(self, client_ip: str, location: GeoLocationRequest | None) -> bool:
        if self.client_ip is not None and self.client_ip != client_ip:
            return False
        for wanted, field in ((self.latitude, "latitude"), (self.longitude, "longitude")):
            if wanted is not None and (location is None or getattr(location, field) != wanted):
                return False
        return True


@dataclass(frozen=True)
class StaticGeoLocationService:
    """A fixed table: the first row whose client address and coordinates fit gives the address."""

    rows: Sequence[GeoRow]

    def locate(self, client_ip: str, location: GeoLocationRequest | None) -> str | None:
        return next((row.address for row in self.rows if row.fits(client_ip, location)), None)

    def describe(self) -> str:
        return f"the static geolocation table ({len(self.rows)} rows)"


@dataclass(frozen=True)
class ScriptGeoLocationService:
    """A Python hook: ``run(client_ip, location)`` returns the address or None (``location`` is the
    request's :class:`GeoLocationRequest`, or None). A failing hook locates nothing."""

    hook: Hook

    def locate(self, client_ip: str, location: GeoLocationRequest | None) -> str | None:
        try:
            answer = self.hook.run(client_ip, location)
        except Exception:  # CAS: a geolocation failure is logged and the login goes on without it
            return None
        return str(answer) if answer else None

    def describe(self) -> str:
        return self.hook.script.name
