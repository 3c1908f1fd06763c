"""Who may call the actuator: loopback callers, and others only with the operator's token.

The actuator refreshes the profile, sets the clock and lists or revokes trusted devices: on a server
bound to a non-loopback address it would answer anyone. CAS itself guards its actuator endpoints with
Spring Security; the reference asks for a bearer token (``--actuator-token`` or the environment
variable :data:`TOKEN_ENV`) from every caller that is not on the loopback interface.
"""

from __future__ import annotations

import hmac
import ipaddress
import json

from werkzeug.wrappers import Request, Response

__all__ = ["TOKEN_ENV", "actuator_refusal", "exposure_warning", "is_loopback"]

TOKEN_ENV = "CAS_MFA_REF_ACTUATOR_TOKEN"


def is_loopback(address: str | None) -> bool:
    """Whether a socket address (as the server saw it, never a forwarded header) is on loopback."""
    try:
        parsed = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return False
    mapped = parsed.ipv4_mapped if isinstance(parsed, ipaddress.IPv6Address) else None
    return (mapped or parsed).is_loopback


def actuator_refusal(request: Request, token: str | None) -> Response | None:
    """None when the caller may use the actuator, else the 401 or 403 answer (Spring Boot's error body)."""
    presented = request.headers.get("Authorization", "")
    token = (token or "").strip()
    if token:
        scheme, _, value = presented.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token.encode()):
            return None
    if is_loopback(request.remote_addr):
        return None
    status, error, message = (
        (401, "Unauthorized", "give the actuator token as 'Authorization: Bearer <token>'")
        if token
        else (403, "Forbidden", "the actuator answers loopback callers only (start with --actuator-token)")
    )
    body = {"status": status, "error": error, "message": message, "path": request.path}
    response = Response(json.dumps(body), status=status, content_type="application/json")
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="cas-mfa-ref actuator"'
    return response


def exposure_warning(host: str, token: str | None) -> str | None:
    """The warning for a server reachable from other machines, or None."""
    bare = host.strip("[]")
    if bare in ("localhost",) or is_loopback(bare):
        return None
    if token:
        return (
            f"warning: listening on {host}, reachable from other machines: logins and ticket validation "
            "answer anyone; the actuator asks non-loopback callers for the token"
        )
    return (
        f"warning: listening on {host}, reachable from other machines: logins and ticket validation "
        "answer anyone, and the actuator (refresh, clock, trusted devices) answers loopback callers only; "
        f"give --actuator-token (or {TOKEN_ENV}) to let others use it"
    )
