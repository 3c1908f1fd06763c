"""The mock Duo server: routes of the Universal Prompt and the Auth API v2, over HTTPS."""

from __future__ import annotations

import ssl
import time
from typing import Any
from urllib.parse import urlencode

from mocks.duo import oidc, signing
from mocks.duo.state import DuoState
from mocks.faults import Action, Effect, Fault, FaultBook, FaultError, Kind
from mocks.httpd import HOST, ProviderServer, Request, Response, Route
from mocks.journal import Journal
from mocks.provider import ControlError, HttpMock

ENDPOINTS = ("health_check", "authorize", "token", "ping", "check", "preauth", "auth", "auth_status")
_WRONG_SECRET = "not-the-client-secret-not-the-client-sec"


def _fail(status: int, code: int, message: str, detail: str | None = None, **extra: Any) -> Response:
    payload: dict[str, Any] = {"stat": "FAIL", "code": code, "message": message}
    if detail:
        payload["message_detail"] = detail
    return Response.json(payload, status, **extra)


def _ok(response: Any, **extra: Any) -> Response:
    return Response.json({"stat": "OK", "response": response}, **extra)


class DuoMock(HttpMock[DuoState]):
    """Duo Security as CAS and Duo's own clients see it; state in :class:`DuoState`."""

    name = "duo"

    def __init__(
        self,
        tls: ssl.SSLContext,
        ca_pem: str,
        port: int = 0,
        integration_key: str | None = None,
        secret_key: str | None = None,
    ) -> None:
        self.state = DuoState(integration_key, secret_key)
        self.faults = FaultBook(ENDPOINTS)
        self.journal = Journal()
        self.ca_pem = ca_pem
        routes = [
            Route("POST", "/oauth/v1/health_check", "health_check", self._health_check),
            Route("GET", "/oauth/v1/authorize", "authorize", self._authorize),
            Route("POST", "/oauth/v1/token", "token", self._token),
            Route("GET", "/auth/v2/ping", "ping", self._ping),
            Route("GET", "/auth/v2/check", "check", self._check),
            Route("POST", "/auth/v2/preauth", "preauth", self._preauth),
            Route("POST", "/auth/v2/auth", "auth", self._auth),
            Route("GET", "/auth/v2/auth_status", "auth_status", self._auth_status),
        ]
        self.server = ProviderServer(self.name, routes, self.faults, self.journal, port, tls)

    # -- MockProvider (start, stop, reset, faults_changed: HttpMock) ----------------------------------

    @property
    def api_host(self) -> str:
        return f"localhost:{self.server.port}"

    def describe(self) -> dict[str, Any]:
        return {
            "api_host": self.api_host,
            "integration_key": self.state.integration_key,
            "secret_key": self.state.secret_key,
            "client_id": self.state.integration_key,
            "client_secret": self.state.secret_key,
            "ca_pem": self.ca_pem,
        }

    def check_fault(self, fault: Fault) -> None:
        """Only the id_token is signed: a bad signature means nothing on the other endpoints."""
        steps = fault.params.get("sequence", []) if fault.kind is Kind.FLAPPING else []
        signs = fault.kind is Kind.BAD_SIGNATURE or "bad-signature" in steps
        if signs and fault.endpoint != "token":
            raise FaultError("bad-signature applies to Duo's token endpoint only (endpoint: token)")

    def set_user(
        self,
        username: str,
        *,
        preauth: str = "auth",
        push: str = "approve",
        passcodes: list[str] | None = None,
    ) -> None:
        self.state.set_user(username, preauth=preauth, push=push, passcodes=passcodes)

    def control(self, method: str, path: list[str], body: Any) -> tuple[int, Any]:
        if method == "PUT" and len(path) == 2 and path[0] == "users":
            if not isinstance(body, dict):
                raise ControlError(
                    'a Duo user is a JSON object: {"preauth": "auth", "push": "approve", '
                    '"passcodes": ["123456"]}'
                )
            unknown = set(body) - {"preauth", "push", "passcodes"}
            if unknown:
                raise ControlError(
                    f"{', '.join(sorted(unknown))}: not a field of a Duo user (preauth, push, passcodes)"
                )
            passcodes = body.get("passcodes", [])
            if not isinstance(passcodes, list) or not all(isinstance(p, str) for p in passcodes):
                raise ControlError("passcodes: must be a list of strings")
            try:
                self.set_user(
                    path[1],
                    preauth=body.get("preauth", "auth"),
                    push=body.get("push", "approve"),
                    passcodes=passcodes,
                )
            except ValueError as error:
                raise ControlError(str(error)) from None
            return 200, {"username": path[1]}
        if method == "GET" and path == ["users"]:
            return 200, self.state.users_json()
        raise ControlError(
            f"no Duo control operation {method} {'/'.join(path)} (PUT users/{{username}}, GET users)"
        )

    # -- Universal Prompt -----------------------------------------------------------------------------

    def _urls(self, request: Request, path: str) -> list[str]:
        return [f"https://{host}{path}" for host in self._hosts(request)]

    def _hosts(self, request: Request) -> list[str]:
        port = self.server.port
        header = request.headers.get("Host", "")
        bare = header.rsplit(":", 1)[0] if header.count(":") == 1 else header
        return list(dict.fromkeys([header, bare, f"localhost:{port}", f"{HOST}:{port}", "localhost", HOST]))

    def _health_check(self, request: Request, effect: Effect) -> Response:
        client_id = request.first("client_id")
        claims = oidc.client_assertion_ok(
            request.first("client_assertion"),
            self.state.integration_key,
            self.state.secret_key,
            self._urls(request, "/oauth/v1/health_check"),
        )
        if client_id != self.state.integration_key or claims is None:
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
        return _ok({"timestamp": int(time.time())}, signature="valid")

    def _authorize(self, request: Request, effect: Effect) -> Response:
        token = request.first("request")
        claims = oidc.decode(token, self.state.secret_key) if token else None
        if request.first("client_id") != self.state.integration_key or claims is None:
            return Response.json(
                {"error": "invalid_request", "error_description": "The request JWT is invalid."},
                400,
                signature="invalid",
            )
        username = str(claims.get("duo_uname", ""))
        redirect_uri, state = str(claims.get("redirect_uri", "")), str(claims.get("state", ""))
        user = self.state.user(username)
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
        code = self.state.issue_code(username, redirect_uri, str(nonce) if nonce else None)
        name = "duo_code" if claims.get("use_duo_code_attribute", True) else "code"
        separator = "&" if "?" in redirect_uri else "?"
        location = f"{redirect_uri}{separator}{urlencode({name: code, 'state': state})}"
        return Response(
            302, b"", {"Location": location}, signature="valid", params=params, outcome="redirect"
        )

    def _token(self, request: Request, effect: Effect) -> Response:
        assertion = request.first("client_assertion")
        claims = oidc.client_assertion_ok(
            assertion,
            self.state.integration_key,
            self.state.secret_key,
            self._urls(request, "/oauth/v1/token"),
        )
        if claims is None:
            return Response.json(
                {"error": "invalid_client", "error_description": "Invalid client assertion."},
                400,
                signature="invalid",
            )
        code = self.state.redeem_code(request.first("code") or "")
        if code is None or request.first("grant_type") != "authorization_code":
            return Response.json(
                {"error": "invalid_grant", "error_description": "The code is invalid or used."},
                400,
                signature="valid",
                outcome="invalid_grant",
            )
        user = self.state.user(code.username)
        audience = claims["aud"] if isinstance(claims["aud"], str) else claims["aud"][0]
        secret = _WRONG_SECRET if effect.action is Action.BAD_SIGNATURE else self.state.secret_key
        token = oidc.id_token(
            issuer=audience,
            client_id=self.state.integration_key,
            secret=secret,
            username=code.username,
            user_id=user.user_id if user else "DU0",
            nonce=code.nonce,
            client_ip=request.client,
        )
        return Response.json(
            {"id_token": token, "access_token": token[-32:], "expires_in": 3600, "token_type": "Bearer"},
            signature="valid",
            params={"username": code.username},
            outcome="id_token",
        )

    # -- Auth API v2 ----------------------------------------------------------------------------------

    def _signed(self, request: Request) -> tuple[str, dict[str, list[str]]] | Response:
        """The verified request's parameters, or the FAIL answer Duo gives."""
        credentials = signing.parse_authorization(request.headers.get("Authorization"))
        date = request.headers.get("X-Duo-Date") or request.headers.get("Date") or ""
        if credentials is None or not date:
            return _fail(401, 40101, "Missing request credentials", signature="absent")
        ikey, signature = credentials
        json_body = "json" in request.headers.get("Content-Type", "") and request.method in ("POST", "PUT")
        params = {} if json_body else request.form()
        duo_headers = {
            k.lower(): v
            for k, v in request.headers.items()
            if k.lower().startswith("x-duo-") and k.lower() != "x-duo-date"
        }
        valid = ikey == self.state.integration_key and signing.verify(
            self.state.secret_key,
            signature,
            date=date,
            method=request.method,
            hosts=self._hosts(request),
            path=request.path,
            params=params,
            body=request.body,
            json_body=json_body,
            duo_headers=duo_headers,
        )
        if not valid:
            return _fail(401, 40103, "Invalid signature in request credentials", signature="invalid")
        if not signing.date_is_fresh(date, time.time()):
            return _fail(
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
                return _fail(
                    400,
                    40002,
                    "Invalid request parameters",
                    "the body is not a JSON object",
                    signature="valid",
                )
            params = {k: [str(v)] for k, v in data.items()}
        return "valid", params

    def _ping(self, request: Request, effect: Effect) -> Response:
        return _ok({"time": int(time.time())})

    def _check(self, request: Request, effect: Effect) -> Response:
        verified = self._signed(request)
        if isinstance(verified, Response):
            return verified
        return _ok({"time": int(time.time())}, signature="valid")

    def _preauth(self, request: Request, effect: Effect) -> Response:
        verified = self._signed(request)
        if isinstance(verified, Response):
            return verified
        _, params = verified
        username = (params.get("username") or [""])[0]
        if not username:
            return _fail(400, 40002, "Invalid request parameters", "username", signature="valid")
        user = self.state.user(username)
        result = user.preauth if user else "enroll"
        response: dict[str, Any] = {"result": result}
        if result == "auth":
            response |= {
                "status_msg": "Account is active",
                "devices": [
                    {
                        "device": "DPFZRS9FB0D46QFTM891",
                        "type": "phone",
                        "number": "XXX-XXX-0100",
                        "name": "Mock Phone",
                        "capabilities": ["auto", "push", "sms", "phone", "mobile_otp"],
                    }
                ],
            }
        elif result == "allow":
            response["status_msg"] = "Bypass user"
        elif result == "deny":
            response["status_msg"] = "Locked out"
        else:
            response |= {
                "status_msg": "Enroll an authentication device to proceed",
                "enroll_portal_url": f"https://{self.api_host}/portal?code=mock&akey={self.state.integration_key}",
            }
        return _ok(response, signature="valid", params={"username": username}, outcome=result)

    def _auth(self, request: Request, effect: Effect) -> Response:
        verified = self._signed(request)
        if isinstance(verified, Response):
            return verified
        _, params = verified
        username = (params.get("username") or [""])[0]
        factor = (params.get("factor") or [""])[0]
        user = self.state.user(username)
        if user is None or not factor:
            return _fail(
                400,
                40002,
                "Invalid request parameters",
                "username" if user is None else "factor",
                signature="valid",
            )
        if factor == "passcode":
            good = self.state.use_passcode(username, (params.get("passcode") or [""])[0])
            outcome = "allow" if good else "deny"
            message = "Success. Logging you in..." if good else "Incorrect passcode. Please try again."
            return _ok(
                {"result": outcome, "status": outcome, "status_msg": message},
                signature="valid",
                params={"username": username, "factor": factor},
                outcome=outcome,
            )
        if factor not in ("push", "auto", "phone", "sms"):
            return _fail(400, 40002, "Invalid request parameters", "factor", signature="valid")
        outcome = {"approve": "allow", "deny": "deny", "timeout": "timeout"}[user.push]
        if (params.get("async") or ["0"])[0] == "1":
            txid = self.state.start_transaction(username, outcome)
            return _ok(
                {"txid": txid},
                signature="valid",
                params={"username": username, "factor": factor},
                outcome="pushed",
            )
        return _ok(
            _push_result(outcome),
            signature="valid",
            params={"username": username, "factor": factor},
            outcome=outcome,
        )

    def _auth_status(self, request: Request, effect: Effect) -> Response:
        verified = self._signed(request)
        if isinstance(verified, Response):
            return verified
        _, params = verified
        transaction = self.state.poll((params.get("txid") or [""])[0])
        if transaction is None:
            return _fail(400, 40002, "Invalid request parameters", "txid", signature="valid")
        # The first poll sees the push on its way, as Duo's long poll does; a never-answered push waits on.
        if transaction.polls == 1 or transaction.outcome == "timeout":
            result = {
                "result": "waiting",
                "status": "pushed",
                "status_msg": "Pushed a login request to your device...",
            }
        else:
            result = _push_result(transaction.outcome)
        return _ok(result, signature="valid", outcome=result["result"])


def _push_result(outcome: str) -> dict[str, str]:
    if outcome == "allow":
        return {"result": "allow", "status": "allow", "status_msg": "Success. Logging you in..."}
    if outcome == "deny":
        return {"result": "deny", "status": "deny", "status_msg": "Login request denied."}
    return {"result": "deny", "status": "timeout", "status_msg": "Login timed out."}
