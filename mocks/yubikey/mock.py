"""The mock YubiCloud server: the verify route over HTTP(S), and the provider's control operations."""

from __future__ import annotations

import ssl
from typing import Any
from urllib.parse import parse_qs

from mocks.faults import Action, Effect, FaultBook
from mocks.httpd import ProviderServer, Request, Response, Route
from mocks.journal import Journal
from mocks.provider import ControlError, HttpMock, Routes
from mocks.yubikey import protocol
from mocks.yubikey.state import DEFAULT_CLIENT_ID, STATUSES, StateError, YubiKeyState

ENDPOINTS = ("verify",)
_OPERATIONS = "PUT devices/{public_id}, GET devices, POST otp, PUT status, DELETE status"


class YubiKeyMock(HttpMock[YubiKeyState]):
    """YubiCloud as CAS and yubico-client see it; state in :class:`YubiKeyState`."""

    name = "yubikey"
    control_routes: Routes = {
        ("devices", "*"): frozenset({"PUT"}),
        ("devices",): frozenset({"GET"}),
        ("otp",): frozenset({"POST"}),
        ("status",): frozenset({"PUT", "DELETE"}),
    }

    def __init__(
        self,
        port: int = 0,
        tls: ssl.SSLContext | None = None,
        client_id: str | None = None,
        secret_key: bytes | None = None,
    ) -> None:
        self.state = YubiKeyState(client_id or DEFAULT_CLIENT_ID, secret_key)
        self.faults = FaultBook(ENDPOINTS)
        self.journal = Journal()
        routes = [
            Route("GET", protocol.VERIFY_PATH, "verify", self._verify),
            Route("POST", protocol.VERIFY_PATH, "verify", self._verify),
        ]
        self.server = ProviderServer(self.name, routes, self.faults, self.journal, port, tls)

    # -- MockProvider (start, stop, reset, faults_changed: HttpMock) ----------------------------------

    @property
    def validation_url(self) -> str:
        return self.server.url(protocol.VERIFY_PATH)

    def describe(self) -> dict[str, Any]:
        return {
            "validation_url": self.validation_url,
            "api_urls": [self.validation_url],
            "client_id": self.state.client_id,
            "secret_key": self.state.secret_key_b64,
        }

    # -- typed operations -----------------------------------------------------------------------------

    def register_device(
        self, public_id: str | None = None, username: str | None = None, aes_key: bytes | None = None
    ) -> str:
        return self.state.register_device(public_id, username, aes_key)

    def mint_otp(self, public_id: str) -> str:
        return self.state.mint_otp(public_id)

    def force_status(self, status: str | None) -> None:
        self.state.force_status(status)

    def control(self, method: str, path: list[str], body: Any) -> tuple[int, Any]:
        try:
            return self._control(method, path, body)
        except StateError as error:  # the caller's mistake (unknown key, bad public id): a 400
            raise ControlError(str(error)) from None

    def _control(self, method: str, path: list[str], body: Any) -> tuple[int, Any]:
        if method == "PUT" and len(path) == 2 and path[0] == "devices":
            fields = _fields(
                body,
                {"username", "aes_key"},
                'a YubiKey device: {"username": "casuser", "aes_key": "<32 hex characters>"}, both optional',
            )
            username = fields.get("username")
            if username is not None and (not isinstance(username, str) or not username):
                raise ControlError("username: must be a non-empty string")
            return 200, {
                "public_id": self.register_device(path[1], username, _aes_key(fields.get("aes_key")))
            }
        if method == "GET" and path == ["devices"]:
            return 200, {"devices": self.state.devices()}
        if method == "POST" and path == ["otp"]:
            fields = _fields(body, {"public_id"}, '{"public_id": "<a registered public id>"}')
            public_id = fields.get("public_id")
            if not isinstance(public_id, str):
                raise ControlError('public_id: required, a string such as "cccccbhkevcj"')
            return 200, {"otp": self.mint_otp(public_id)}
        if method == "PUT" and path == ["status"]:
            fields = _fields(body, {"status"}, '{"status": "BACKEND_ERROR"}')
            status = fields.get("status")
            if not isinstance(status, str) or status not in STATUSES:
                raise ControlError(f"status: must be one of {', '.join(STATUSES)}")
            self.force_status(status)
            return 200, {"status": status}
        if method == "DELETE" and path == ["status"]:
            self.force_status(None)
            return 200, {"status": None}
        raise ControlError(f"no YubiKey control operation {method} {'/'.join(path)} ({_OPERATIONS})")

    # -- the validation server ------------------------------------------------------------------------

    def _verify(self, request: Request, effect: Effect) -> Response:
        reply = protocol.verify(self.state, _params(request), wrong_key=effect.action is Action.BAD_SIGNATURE)
        return Response(
            200,  # the real server answers 200 whatever the status
            reply.body.encode("utf-8"),
            {"Content-Type": "text/plain"},
            signature=reply.signature,
            params=dict(reply.params),
            outcome=reply.status,
        )


def _params(request: Request) -> dict[str, str]:
    """The query's parameters, or the form body's when the query has none (PHP's $_GET, else $_POST);
    a repeated name keeps its last value, as PHP does."""
    source = request.query
    content_type = next((v for k, v in request.headers.items() if k.lower() == "content-type"), "")
    if not source and request.body and "json" not in content_type:
        source = parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[-1] for name, values in source.items() if values}


def _fields(body: Any, allowed: set[str], shape: str) -> dict[str, Any]:
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise ControlError(f"the body must be a JSON object: {shape}")
    unknown = set(body) - allowed
    if unknown:
        names, known = ", ".join(sorted(unknown)), ", ".join(sorted(allowed))
        raise ControlError(f"{names}: not a field here (allowed: {known})")
    return body


def _aes_key(value: Any) -> bytes | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 32:
        raise ControlError("aes_key: must be 32 hex characters (a 16-byte AES-128 key)")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise ControlError("aes_key: must be 32 hex characters (a 16-byte AES-128 key)") from None
