"""Duo Auth API request signatures (canonical versions 2 and 5; HMAC-SHA1 and HMAC-SHA512).

The signed host is the host string the client was configured with, not the Host header; the mock
accepts any of the forms a client may have used (the Host header with and without its port, and the
mock's own names), as Duo's clients differ there.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from email.utils import parsedate_to_datetime
from urllib.parse import quote

DATE_WINDOW_SECONDS = 300


def canon_params(params: Mapping[str, Sequence[str]]) -> str:
    pairs = sorted((quote(k, safe="~"), quote(v, safe="~")) for k, values in params.items() for v in values)
    return "&".join(f"{k}={v}" for k, v in pairs)


def canonical(
    version: int,
    date: str,
    method: str,
    host: str,
    path: str,
    params: str,
    body: bytes = b"",
    duo_headers: Mapping[str, str] | None = None,
) -> str:
    lines = [method.upper(), host.lower(), path, params]
    if version >= 2:
        lines.insert(0, date)
    if version >= 4:
        lines.append(hashlib.sha512(body).hexdigest())
    if version >= 5:
        joined = "\x00".join(f"{k.lower()}\x00{v}" for k, v in sorted((duo_headers or {}).items()))
        lines.append(hashlib.sha512(joined.encode()).hexdigest())
    return "\n".join(lines)


def sign(secret: str, text: str, digest: str = "sha512") -> str:
    return hmac.new(secret.encode(), text.encode(), digest).hexdigest()


def parse_authorization(header: str | None) -> tuple[str, str] | None:
    """``Basic base64(ikey:signature)`` into its two parts."""
    if not header or not header.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return (user, password) if user and password else None


def date_is_fresh(date: str, now: float) -> bool:
    try:
        sent = parsedate_to_datetime(date).timestamp()
    except (TypeError, ValueError):
        return False
    return abs(now - sent) <= DATE_WINDOW_SECONDS


def verify(
    secret: str,
    signature: str,
    *,
    date: str,
    method: str,
    hosts: Iterable[str],
    path: str,
    params: Mapping[str, Sequence[str]],
    body: bytes,
    json_body: bool,
    duo_headers: Mapping[str, str],
) -> bool:
    """Does the signature verify under any accepted canonical version, digest and host form?"""
    digest = "sha1" if len(signature) == 40 else "sha512"
    for host in hosts:
        candidates = []
        if json_body:
            candidates.append(canonical(5, date, method, host, path, "", body, duo_headers))
            candidates.append(canonical(4, date, method, host, path, "", body))
        else:
            line = canon_params(params)
            candidates.append(canonical(2, date, method, host, path, line))
            candidates.append(canonical(5, date, method, host, path, line, body, duo_headers))
        for text in candidates:
            if hmac.compare_digest(sign(secret, text, digest), signature.lower()):
                return True
    return False
