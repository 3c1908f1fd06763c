"""Duo's Universal Prompt (``/oauth/v1/*``, OIDC) as Duo answers it: the client's JWTs checked, then
the response bodies, given the mock's state. No server here: a request in, a response out; ``mock``
routes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from urllib.parse import urlencode

from mocks.duo import oidc
from mocks.duo.authapi import ok
from mocks.duo.state import DuoState
from mocks.httpd import Request, Response

# What a ``bad-signature`` fault signs the id_token with: 40 characters, as a Duo secret is.
WRONG_SECRET = "not-the-client-secret-not-the-client-sec"


def health_check(state: DuoState, request: Request, urls: Sequence[str]) -> Response:
    """``POST /oauth/v1/health_check``: the client's assertion must be for one of ``urls``."""
    client_id = request.first("client_id")
    claims = oidc.client_assertion_ok(
        request.first("client_assertion"), state.integration_key, state.secret_key, urls
    )
    if client_id != state.integration_key or claims is None:
        return Response.json(
            {
                "stat": "FAIL",
                "code": 40002,
                "message": "invalid_client",
                "message_detail": "The provided client_assertion was invalid.",
                "timestamp": int(time.time()),
            },
            400,
            signature="invalid",
        )
    return ok({"timestamp": int(time.time())}, signature="valid")


def authorize(state: DuoState, request: Request) -> Response:
    """``GET /oauth/v1/authorize``: the prompt itself. A user who gets through is sent back to the
    client's redirect_uri with a code; the others see Duo's page (enrol, denied, or waiting)."""
    token = request.first("request")
    claims = oidc.decode(token, state.secret_key) if token else None
    if request.first("client_id") != state.integration_key or claims is None:
        return Response.json(
            {"error": "invalid_request", "error_description": "The request JWT is invalid."},
            400,
            signature="invalid",
        )
    username = str(claims.get("duo_uname", ""))
    redirect_uri, client_state = str(claims.get("redirect_uri", "")), str(claims.get("state", ""))
    user = state.user(username)
    params = {"username": username}
    if user is None or user.preauth == "enroll":
        return Response.text(
            "Duo enrollment required for this user.",
            200,
            signature="valid",
            params=params,
            outcome="enroll",
        )
    if user.preauth == "deny" or (user.preauth == "auth" and user.push == "deny"):
        return Response.text("Access denied.", 200, signature="valid", params=params, outcome="deny")
    if user.preauth == "auth" and user.push == "timeout":
        return Response.text(
            "Waiting for your approval...", 200, signature="valid", params=params, outcome="waiting"
        )
    nonce = claims.get("nonce") or request.first("nonce")
    code = state.issue_code(username, redirect_uri, str(nonce) if nonce else None)
    name = "duo_code" if claims.get("use_duo_code_attribute", True) else "code"
    separator = "&" if "?" in redirect_uri else "?"
    location = f"{redirect_uri}{separator}{urlencode({name: code, 'state': client_state})}"
    return Response(302, b"", {"Location": location}, signature="valid", params=params, outcome="redirect")


def token(state: DuoState, request: Request, urls: Sequence[str], *, wrong_secret: bool = False) -> Response:
    """``POST /oauth/v1/token``: a code redeemed (once) for an id_token; ``wrong_secret`` signs that
    token with a secret that is not the client's (a ``bad-signature`` fault)."""
    claims = oidc.client_assertion_ok(
        request.first("client_assertion"), state.integration_key, state.secret_key, urls
    )
    if claims is None:
        return Response.json(
            {"error": "invalid_client", "error_description": "Invalid client assertion."},
            400,
            signature="invalid",
        )
    code = state.redeem_code(request.first("code") or "")
    if code is None or request.first("grant_type") != "authorization_code":
        return Response.json(
            {"error": "invalid_grant", "error_description": "The code is invalid or used."},
            400,
            signature="valid",
            outcome="invalid_grant",
        )
    user = state.user(code.username)
    audience = claims["aud"] if isinstance(claims["aud"], str) else claims["aud"][0]
    id_token = oidc.id_token(
        issuer=audience,
        client_id=state.integration_key,
        secret=WRONG_SECRET if wrong_secret else state.secret_key,
        username=code.username,
        user_id=user.user_id if user else "DU0",
        nonce=code.nonce,
        client_ip=request.client,
    )
    return Response.json(
        {"id_token": id_token, "access_token": id_token[-32:], "expires_in": 3600, "token_type": "Bearer"},
        signature="valid",
        params={"username": code.username},
        outcome="id_token",
    )
