"""The Universal Prompt's JWTs: client assertions the clients send, id_tokens the mock issues (HS512)."""

from __future__ import annotations

import secrets
import time
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import jwt

ID_TOKEN_LIFETIME = 300
ASSERTION_LEEWAY = 60


@contextmanager
def _quiet() -> Iterator[None]:
    """Duo secrets are 40 bytes, shorter than PyJWT likes for HS512; Duo uses them all the same."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def decode(token: str, secret: str, *, audiences: Iterable[str] | None = None) -> dict[str, Any] | None:
    """The claims of a token signed by the client secret, or None when it does not verify."""
    options: Any = {"require": ["exp"], "verify_aud": audiences is not None}
    with _quiet():
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                secret,
                algorithms=["HS512"],
                options=options,
                audience=list(audiences) if audiences is not None else None,
                leeway=ASSERTION_LEEWAY,
            )
        except jwt.PyJWTError:
            return None
    return claims


def client_assertion_ok(
    token: str | None, client_id: str, secret: str, urls: Iterable[str]
) -> dict[str, Any] | None:
    """A ``client_assertion`` for one of the endpoint's URLs: iss = sub = client id; returns its claims."""
    if not token:
        return None
    claims = decode(token, secret, audiences=list(urls))
    if claims is None or claims.get("iss") != client_id or claims.get("sub") != client_id:
        return None
    return claims


def id_token(
    *,
    issuer: str,
    client_id: str,
    secret: str,
    username: str,
    user_id: str,
    nonce: str | None,
    client_ip: str,
) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": client_id,
        "sub": user_id,
        "preferred_username": username,
        "iat": now,
        "exp": now + ID_TOKEN_LIFETIME,
        "auth_time": now,
        "auth_result": {"result": "allow", "status": "allow", "status_msg": "Login Successful"},
        "auth_context": {
            "result": "success",
            "factor": "duo_push",
            "txid": secrets.token_hex(16),
            "timestamp": now,
            "user": {"key": user_id, "name": username},
            "application": {"key": client_id, "name": "CAS"},
            "access_device": {
                "ip": client_ip,
                "hostname": None,
                "location": {"city": None, "state": None, "country": None},
            },
            "auth_device": {"ip": None, "name": "Mock Phone", "location": {}},
        },
    }
    if nonce:
        claims["nonce"] = nonce
    with _quiet():
        return jwt.encode(claims, secret, algorithm="HS512")
