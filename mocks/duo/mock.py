"""The mock Duo server: the routes of the Universal Prompt and the Auth API v2 over HTTPS, with the fault
layer in front, and the provider's control operations.

The answers are in ``prompt`` (``/oauth/v1``) and ``authapi`` (``/auth/v2``), the control requests'
checks in ``control``, what the mock knows in ``state``; this module only puts them on the network.
"""

from __future__ import annotations

import ssl
from http import HTTPStatus
from typing import Any

from mocks.duo import authapi, control, prompt
from mocks.duo.state import DuoState
from mocks.faults import Action, Effect, Fault, FaultBook, FaultError, Kind
from mocks.httpd import HOST, ProviderServer, Request, Response, Route
from mocks.journal import Journal
from mocks.provider import ControlError, HttpMock, Routes

ENDPOINTS = ("health_check", "authorize", "token", "ping", "check", "preauth", "auth", "auth_status")


class DuoMock(HttpMock[DuoState]):
    """Duo Security as CAS and Duo's own clients see it; state in :class:`DuoState`."""

    name = "duo"
    control_routes: Routes = {("users", "*"): frozenset({"PUT"}), ("users",): frozenset({"GET"})}

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
        self.server = ProviderServer(self.name, routes, self.faults, self.journal, port, tls, refuse=refusal)

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
            user = control.user_body(body)
            try:
                self.set_user(path[1], preauth=user.preauth, push=user.push, passcodes=user.passcodes)
            except ValueError as error:  # a value the state refuses (an unknown preauth result ...)
                raise ControlError(str(error)) from None
            return 200, {"username": path[1]}
        if method == "GET" and path == ["users"]:
            return 200, self.state.users_json()
        raise control.no_such_operation(method, path)

    # -- which names a request may have been addressed to ---------------------------------------------

    def _hosts(self, request: Request) -> list[str]:
        """The Host header with and without its port, and the mock's own names: clients sign (and
        address assertions to) the host they were configured with, and they differ there."""
        port = self.server.port
        header = request.headers.get("Host", "")
        bare = header.rsplit(":", 1)[0] if header.count(":") == 1 else header
        return list(dict.fromkeys([header, bare, f"localhost:{port}", f"{HOST}:{port}", "localhost", HOST]))

    def _urls(self, request: Request, path: str) -> list[str]:
        return [f"https://{host}{path}" for host in self._hosts(request)]

    # -- Universal Prompt -----------------------------------------------------------------------------

    def _health_check(self, request: Request, effect: Effect) -> Response:
        return prompt.health_check(self.state, request, self._urls(request, "/oauth/v1/health_check"))

    def _authorize(self, request: Request, effect: Effect) -> Response:
        return prompt.authorize(self.state, request)

    def _token(self, request: Request, effect: Effect) -> Response:
        wrong_secret = effect.action is Action.BAD_SIGNATURE
        return prompt.token(
            self.state, request, self._urls(request, "/oauth/v1/token"), wrong_secret=wrong_secret
        )

    # -- Auth API v2 ----------------------------------------------------------------------------------

    def _ping(self, request: Request, effect: Effect) -> Response:
        return authapi.ping()

    def _check(self, request: Request, effect: Effect) -> Response:
        return authapi.check(self.state, request, self._hosts(request))

    def _preauth(self, request: Request, effect: Effect) -> Response:
        return authapi.preauth(self.state, request, self._hosts(request), self.api_host)

    def _auth(self, request: Request, effect: Effect) -> Response:
        return authapi.auth(self.state, request, self._hosts(request))

    def _auth_status(self, request: Request, effect: Effect) -> Response:
        return authapi.auth_status(self.state, request, self._hosts(request))


def refusal(status: int, message: str) -> Response:
    """What no route answers (404, 405, a badly framed request) in Duo's error envelope, so duo_client
    reports it as it reports any Duo error. The code is the HTTP status and an index, as Duo's own codes
    are (40101, 40103, 42901); 40401 and 40501 themselves are the mock's, not taken from Duo."""
    return authapi.fail(status, status * 100 + 1, HTTPStatus(status).phrase, message)
