"""The reference's RADIUS adapter: CAS's ``mfa-radius`` token check and availability probe via pyrad.

What it copies from CAS 7.x (reference/cas-mfa-behaviour.md 7.5, provider-protocols.md 4.4):

- ``verify``: one Access-Request, User-Name = the principal, the token as password (PAP or CHAP).
  Access-Accept **or Access-Challenge** is success (``AbstractRadiusServer#authenticate`` returns a
  response for both, ``RadiusUtils#authenticate`` calls any response a success; no re-prompt).
  Reject, silence and errors are failure.
- ``is_available``: ``RadiusMultifactorAuthenticationProvider#canPing``, an Access-Request with
  username = password = ``RadiusMultifactorAuthenticationProvider``; only a time-out means
  unavailable, so a Reject, a Challenge and any other error mean available.
- Sends: ``server.retries`` + 1 in all (jradius), each waiting ``client.socket-timeout`` seconds.
"""

from __future__ import annotations

import hashlib
import io
import ipaddress
import logging
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pyrad import packet
from pyrad.client import Client, Timeout
from pyrad.dictionary import Dictionary

from cas_mfa_ref.config.properties import canonical
from cas_mfa_ref.model import RegisteredService

PREFIX = "cas.authn.mfa.radius."
PROBE_USER = "RadiusMultifactorAuthenticationProvider"
DEFAULT_PORT = 1812
DEFAULT_SECRET = "N0Sh@ar3d$ecReT"
DEFAULT_RETRIES = 3
BOUNDED_TIMEOUT = 5.0
"""Seconds per send standing in for CAS's ``client.socket-timeout=0`` (its default), which waits forever."""
PROTOCOLS = ("PAP", "CHAP")
SUCCESS_CODES = (packet.AccessAccept, packet.AccessChallenge)

# The attributes CAS's RADIUS MFA puts on the wire, in FreeRADIUS dictionary syntax (pyrad ships no
# dictionary; the reference must not borrow the mocks' copy).
DICTIONARY = """\
ATTRIBUTE User-Name 1 string
ATTRIBUTE User-Password 2 string encrypt=1
ATTRIBUTE CHAP-Password 3 octets
ATTRIBUTE NAS-IP-Address 4 ipaddr
ATTRIBUTE NAS-Port 5 integer
ATTRIBUTE Reply-Message 18 string
ATTRIBUTE State 24 octets
ATTRIBUTE Class 25 octets
ATTRIBUTE NAS-Identifier 32 string
ATTRIBUTE Proxy-State 33 octets
ATTRIBUTE CHAP-Challenge 60 octets
ATTRIBUTE NAS-Port-Type 61 integer
ATTRIBUTE EAP-Message 79 octets
ATTRIBUTE Message-Authenticator 80 octets
ATTRIBUTE NAS-Port-Id 87 string
ATTRIBUTE NAS-IPv6-Address 95 ipv6addr
"""
_DICTIONARY = Dictionary(io.StringIO(DICTIONARY))

# server.nas-* properties: canonical key -> (property as documented, attribute, kind); -1 or blank = not sent
_NAS = {
    "server.nasidentifier": ("server.nas-identifier", "NAS-Identifier", "text"),
    "server.nasipaddress": ("server.nas-ip-address", "NAS-IP-Address", "ipv4"),
    "server.nasipv6address": ("server.nas-ipv6-address", "NAS-IPv6-Address", "ipv6"),
    "server.nasport": ("server.nas-port", "NAS-Port", "integer"),
    "server.nasportid": ("server.nas-port-id", "NAS-Port-Id", "text"),
    "server.nasporttype": ("server.nas-port-type", "NAS-Port-Type", "integer"),
}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RadiusGateway:
    """One RADIUS server as CAS's ``NonBlockingRadiusServer`` uses it; every call bounded in time."""

    host: str
    port: int = DEFAULT_PORT
    secret: str = DEFAULT_SECRET
    timeout: float = BOUNDED_TIMEOUT  # seconds per send
    retries: int = DEFAULT_RETRIES  # CAS's server.retries: retries + 1 sends in all
    protocol: str = "PAP"
    nas: Mapping[str, str | int] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Mapping[str, str], timeout_cap: float | None = None) -> RadiusGateway:
        """From ``cas.authn.mfa.radius.*`` with the prefix removed (``client.inet-address`` ...), in
        any relaxed spelling.

        ``client.socket-timeout`` is in seconds as in CAS; its default 0 means "wait forever" in
        CAS, which the reference never does: 0 becomes :data:`BOUNDED_TIMEOUT` (5 s). ``timeout_cap``
        lowers the per-send timeout further (the total wait is ``(retries + 1) * timeout``).
        ``server.protocol`` must be PAP or CHAP, the only ones pyrad can speak; when it is absent the
        reference assumes PAP, although CAS's default is EAP_MSCHAPv2 (see provider-protocols.md 4.4:
        a deployment checked against a pyrad server must set PAP anyway).
        """
        values = {".".join(canonical(k)): v for k, v in settings.items()}

        def text(key: str, default: str) -> str:
            value = values.get(key, "").strip()
            return value if value else default

        host = text("client.inetaddress", "")
        if not host:
            raise ValueError(f"{PREFIX}client.inet-address is required for RADIUS MFA")
        port = _integer(
            text("client.authenticationport", str(DEFAULT_PORT)), "client.authentication-port", 1, 65535
        )
        retries = _integer(text("server.retries", str(DEFAULT_RETRIES)), "server.retries", 0, 100)
        timeout = _seconds(text("client.sockettimeout", "0"))
        if timeout_cap is not None:
            if timeout_cap <= 0:
                raise ValueError(f"timeout_cap must be positive, not {timeout_cap}")
            timeout = min(timeout, timeout_cap)
        written = text("server.protocol", "PAP")
        protocol = written.upper()
        if protocol not in PROTOCOLS:
            raise ValueError(
                f"{PREFIX}server.protocol: '{written}' is not supported by the reference "
                f"(only {' and '.join(PROTOCOLS)})"
            )
        nas: dict[str, str | int] = {}
        for key, (name, attribute, kind) in _NAS.items():
            raw = text(key, "")
            if raw and raw != "-1":
                nas[attribute] = _nas_value(raw, name, kind)
        # the secret as written: surrounding spaces would be part of it
        secret = values.get("client.sharedsecret") or DEFAULT_SECRET
        return cls(host, port, secret, timeout, retries, protocol, nas)

    def is_available(self, service: RegisteredService | None) -> bool:
        """CAS's ``canPing``: only silence (a time-out) means down."""
        try:
            self._send(PROBE_USER, PROBE_USER)
        except Timeout:
            return False
        except Exception as error:  # CAS counts every other exception as "up"
            log.debug("RADIUS probe to %s:%s failed but counts as available: %r", self.host, self.port, error)
        return True

    def verify(self, principal: str, token: str) -> bool:
        """Accept or Challenge is success (CAS 6.0+); Reject, time-out or any error is failure."""
        try:
            return self._send(principal, token) in SUCCESS_CODES
        except Exception as error:
            log.debug("RADIUS token check for %s failed: %r", principal, error)
            return False

    def _send(self, username: str, password: str) -> int:
        client = Client(
            server=self.host,
            authport=self.port,
            secret=self.secret.encode(),
            dict=_DICTIONARY,
            retries=self.retries + 1,
            timeout=self.timeout,
        )
        try:
            request = client.CreateAuthPacket(code=packet.AccessRequest, User_Name=username)
            if self.protocol == "CHAP":
                _chap(request, password)
            else:
                request["User-Password"] = request.PwCrypt(password)
            for attribute, value in self.nas.items():
                request[attribute] = value
            code: int = client.SendPacket(request).code
            return code
        finally:
            client._CloseSocket()  # pyrad keeps its socket open otherwise


def _chap(request: Any, password: str) -> None:
    """CHAP-Password (RFC 2865 5.3) over a fresh CHAP-Challenge."""
    ident = bytes([secrets.randbelow(256)])
    challenge = secrets.token_bytes(16)
    request["CHAP-Challenge"] = challenge
    request["CHAP-Password"] = ident + hashlib.md5(ident + password.encode() + challenge).digest()


def _integer(raw: str, name: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{PREFIX}{name}: '{raw}' is not a whole number") from None
    if not low <= value <= high:
        raise ValueError(f"{PREFIX}{name}: {value} is not from {low} to {high}")
    return value


def _nas_value(raw: str, name: str, kind: str) -> str | int:
    if kind == "integer":
        return _integer(raw, name, 0, 2**32 - 1)
    if kind in ("ipv4", "ipv6"):
        try:
            address = ipaddress.ip_address(raw)
        except ValueError:
            address = None
        if address is None or address.version != int(kind[-1]):
            raise ValueError(f"{PREFIX}{name}: '{raw}' is not an IP{kind[2:]} address")
    return raw


def _seconds(raw: str) -> float:
    """``client.socket-timeout``: CAS takes whole seconds; decimals are accepted for fast test runs."""
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{PREFIX}client.socket-timeout: '{raw}' is not a number of seconds") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{PREFIX}client.socket-timeout: {raw} must be a finite number, not negative")
    return value if value > 0 else BOUNDED_TIMEOUT
