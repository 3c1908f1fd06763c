"""Duo's Auth API v2 (``/auth/v2/*``) as Duo answers it: the request signature checked, then the
response bodies, given the mock's state. No server here: a request in, a response out; ``mock`` routes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from mocks.duo import signing
from mocks.duo.state import DuoState
from mocks.httpd import Request, Response

# The phone every enrolled user has, as preauth lists it.
MOCK_PHONE = {
    "device": "DPFZRS9FB0D46QFTM891",
    "type": "phone",
    "number": "XXX-XXX-0100",
    "name": "Mock Phone",
    "capabilities": ["auto", "push", "sms", "phone", "mobile_otp"],
}


def fail(status: int, code: int, message: str, detail: str | None = None, **extra: Any) -> Response:
    """Duo's error envelope: ``{"stat": "FAIL", "code", "message", "message_detail"}``."""
    payload: dict[str, Any] = {"stat": "FAIL", "code": code, "message": message}
    if detail:
        payload["message_detail"] = detail
    return Response.json(payload, status, **extra)


def ok(response: Any, **extra: Any) -> Response:
    """Duo's success envelope: ``{"stat": "OK", "response": ...}``."""
    return Response.json({"stat": "OK", "response": response}, **extra)


def verified(state: DuoState, request: Request, hosts: Sequence[str]) -> dict[str, list[str]] | Response:
    """The parameters of a request signed with the integration's keys, or the FAIL answer Duo gives.
    ``hosts``: every host name the client may have signed the request for."""
    credentials = signing.parse_authorization(request.headers.get("Authorization"))
    date = request.headers.get("X-Duo-Date") or request.headers.get("Date") or ""
    if credentials is None or not date:
        return fail(401, 40101, "Missing request credentials", signature="absent")
    ikey, signature = credentials
    json_body = "json" in request.headers.get("Content-Type", "") and request.method in ("POST", "PUT")
    params = {} if json_body else request.form()
    duo_headers = {
        k.lower(): v
        for k, v in request.headers.items()
        if k.lower().startswith("x-duo-") and k.lower() != "x-duo-date"
    }
    valid = ikey == state.integration_key and signing.verify(
        state.secret_key,
        signature,
        date=date,
        method=request.method,
        hosts=hosts,
        path=request.path,
        params=params,
        body=request.body,
        json_body=json_body,
        duo_headers=duo_headers,
    )
    if not valid:
        return fail(401, 40103, "Invalid signature in request credentials", signature="invalid")
    if not signing.date_is_fresh(date, time.time()):
        return fail(
            401,
            40105,
            "Request has expired",
            f"Date {date} is outside the 300 s window",
            signature="invalid",
        )
    if json_body:
        try:
            data = request.json() if request.body else {}
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return fail(
                400,
                40002,
                "Invalid request parameters",
                "the body is not a JSON object",
                signature="valid",
            )
        params = {k: [str(v)] for k, v in data.items()}
    return params


def ping() -> Response:
    """``GET /auth/v2/ping``: unsigned."""
    return ok({"time": int(time.time())})


def check(state: DuoState, request: Request, hosts: Sequence[str]) -> Response:
    """``GET /auth/v2/check``: are the keys right?"""
    params = verified(state, request, hosts)
    if isinstance(params, Response):
        return params
    return ok({"time": int(time.time())}, signature="valid")


def preauth(state: DuoState, request: Request, hosts: Sequence[str], api_host: str) -> Response:
    """``POST /auth/v2/preauth``: may the user authenticate, and with which devices."""
    params = verified(state, request, hosts)
    if isinstance(params, Response):
        return params
    username = (params.get("username") or [""])[0]
    if not username:
        return fail(400, 40002, "Invalid request parameters", "username", signature="valid")
    user = state.user(username)
    result = user.preauth if user else "enroll"
    response: dict[str, Any] = {"result": result}
    if result == "auth":
        response |= {"status_msg": "Account is active", "devices": [dict(MOCK_PHONE)]}
    elif result == "allow":
        response["status_msg"] = "Bypass user"
    elif result == "deny":
        response["status_msg"] = "Locked out"
    else:
        response |= {
            "status_msg": "Enroll an authentication device to proceed",
            "enroll_portal_url": f"https://{api_host}/portal?code=mock&akey={state.integration_key}",
        }
    return ok(response, signature="valid", params={"username": username}, outcome=result)


def auth(state: DuoState, request: Request, hosts: Sequence[str]) -> Response:
    """``POST /auth/v2/auth``: a passcode checked, or a push answered at once or (async) later."""
    params = verified(state, request, hosts)
    if isinstance(params, Response):
        return params
    username = (params.get("username") or [""])[0]
    factor = (params.get("factor") or [""])[0]
    user = state.user(username)
    if user is None or not factor:
        return fail(
            400,
            40002,
            "Invalid request parameters",
            "username" if user is None else "factor",
            signature="valid",
        )
    if factor == "passcode":
        good = state.use_passcode(username, (params.get("passcode") or [""])[0])
        outcome = "allow" if good else "deny"
        message = "Success. Logging you in..." if good else "Incorrect passcode. Please try again."
        return ok(
            {"result": outcome, "status": outcome, "status_msg": message},
            signature="valid",
            params={"username": username, "factor": factor},
            outcome=outcome,
        )
    if factor not in ("push", "auto", "phone", "sms"):
        return fail(400, 40002, "Invalid request parameters", "factor", signature="valid")
    outcome = {"approve": "allow", "deny": "deny", "timeout": "timeout"}[user.push]
    if (params.get("async") or ["0"])[0] == "1":
        txid = state.start_transaction(username, outcome)
        return ok(
            {"txid": txid},
            signature="valid",
            params={"username": username, "factor": factor},
            outcome="pushed",
        )
    return ok(
        push_result(outcome),
        signature="valid",
        params={"username": username, "factor": factor},
        outcome=outcome,
    )


def auth_status(state: DuoState, request: Request, hosts: Sequence[str]) -> Response:
    """``GET /auth/v2/auth_status``: how an async push stands."""
    params = verified(state, request, hosts)
    if isinstance(params, Response):
        return params
    transaction = state.poll((params.get("txid") or [""])[0])
    if transaction is None:
        return fail(400, 40002, "Invalid request parameters", "txid", signature="valid")
    # The first poll sees the push on its way, as Duo's long poll does; a never-answered push waits on.
    if transaction.polls == 1 or transaction.outcome == "timeout":
        result = {
            "result": "waiting",
            "status": "pushed",
            "status_msg": "Pushed a login request to your device...",
        }
    else:
        result = push_result(transaction.outcome)
    return ok(result, signature="valid", outcome=result["result"])


def push_result(outcome: str) -> dict[str, str]:
    """How a push ended (allow, deny, or a timeout, which Duo reports as a deny)."""
    if outcome == "allow":
        return {"result": "allow", "status": "allow", "status_msg": "Success. Logging you in..."}
    if outcome == "deny":
        return {"result": "deny", "status": "deny", "status_msg": "Login request denied."}
    return {"result": "deny", "status": "timeout", "status_msg": "Login timed out."}
