"""The WSGI application: CAS's URL layout under ``/cas``, routed to the running profile."""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from cas_mfa_ref.errors import ProfileError, summarised
from cas_mfa_ref.server import actuator, login, validation
from cas_mfa_ref.server.access import actuator_refusal
from cas_mfa_ref.server.clock import ConformanceClock
from cas_mfa_ref.server.runtime import Runtime

DEVICES = "/cas/actuator/multifactorTrustedDevices"
GAUTH_ACCOUNTS = "/cas/actuator/gauthCredentialRepository"
ROUTES = Map(
    [
        Rule("/cas/login", endpoint="login", methods=["GET", "POST"]),
        Rule("/cas/logout", endpoint="logout", methods=["GET", "POST"]),
        Rule("/cas/serviceValidate", endpoint="validate2", methods=["GET", "POST"]),
        Rule("/cas/p3/serviceValidate", endpoint="validate3", methods=["GET", "POST"]),
        Rule("/cas/actuator/refresh", endpoint="refresh", methods=["POST"]),
        Rule(DEVICES, endpoint="devices", methods=["GET"]),
        Rule(f"{DEVICES}/<path:selector>", endpoint="device", methods=["GET", "DELETE"]),
        Rule("/cas/actuator/conformanceClock", endpoint="clock", methods=["GET", "PUT", "DELETE"]),
        Rule(GAUTH_ACCOUNTS, endpoint="gauth", methods=["GET", "DELETE"]),
        Rule(f"{GAUTH_ACCOUNTS}/<selector>", endpoint="gauth", methods=["GET", "DELETE", "POST"]),
    ],
    strict_slashes=False,
)

StartResponse = Callable[..., Any]
ACTUATOR_ENDPOINTS = frozenset({"refresh", "devices", "device", "clock", "gauth"})


def _to_stderr(line: str) -> None:
    print(f"cas-mfa-ref: {line}", file=sys.stderr, flush=True)


class CasServer:
    """The reference CAS for one profile directory, reloadable through the refresh endpoint.

    InProcessCas is not thread-safe, so requests reach it one at a time (every provider call inside is
    bounded by the profile's timeouts); the server's other threads keep accepting meanwhile.
    """

    def __init__(
        self,
        root: Path | str,
        base_url: str,
        *,
        actuator_token: str | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.root = Path(root).resolve()
        self.base_url = base_url.rstrip("/")  # http://host:port/cas
        self.clock = ConformanceClock()
        self.actuator_token = actuator_token or None
        self._warn = warn or _to_stderr
        self._lock = threading.RLock()
        self._snapshot = actuator.snapshot(self.root)
        self.runtime = Runtime.start(self.root, self.clock, self.login_url)
        self._report(self.runtime)

    @property
    def login_url(self) -> str:
        return f"{self.base_url}/login"

    def refresh(self) -> Response:
        """Reload the profile from the same directory: a new InProcessCas, or the old one kept on error."""
        with self._lock:
            after = actuator.snapshot(self.root)
            try:
                runtime = Runtime.start(self.root, self.clock, self.login_url)
            except ProfileError as error:
                return actuator.refresh_failed(error)
            keys = actuator.changed(self._snapshot, after)
            self.runtime, self._snapshot = runtime, after
            self._report(runtime)
            return actuator.json_response(200, keys)

    def _report(self, runtime: Runtime) -> None:
        """The profile's warnings, as ``explain`` prints them (summarised past the first of a kind)."""
        for line in summarised(runtime.profile.warnings):
            self._warn(line)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except HTTPException as error:
            response = error.get_response(environ)
        except Exception:
            # A bug of the reference, not the caller's mistake: said once on stderr, and a body that
            # says so rather than an empty 500.
            self._warn(
                "internal error on " + request.method + " " + request.path + ":\n" + traceback.format_exc()
            )
            response = actuator.json_response(
                500, {"status": 500, "error": "Internal Server Error", "message": "a bug of cas-mfa-ref"}
            )
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        endpoint, arguments = ROUTES.bind_to_environ(request.environ).match()
        if endpoint in ACTUATOR_ENDPOINTS:
            refusal = actuator_refusal(request, self.actuator_token)
            if refusal is not None:
                return refusal
        if endpoint == "refresh":
            return self.refresh()
        if endpoint == "clock":
            return actuator.clock(self.clock, request)
        with self._lock:
            runtime = self.runtime
            if endpoint == "login":
                return (
                    login.get(runtime, request) if request.method == "GET" else login.post(runtime, request)
                )
            if endpoint == "logout":
                return login.logout(runtime, request)
            if endpoint in ("validate2", "validate3"):
                return self._validate(runtime, request, attributes=endpoint == "validate3")
            if endpoint == "gauth":
                selector = arguments.get("selector")
                return actuator.gauth_accounts(
                    runtime.reference.gauth(), request, str(selector) if selector else None
                )
            if endpoint == "devices":
                return actuator.trusted_devices(runtime.cas, None)
            selector = str(arguments["selector"])
            if request.method == "DELETE":
                return actuator.revoke_device(runtime.cas, selector)
            return actuator.trusted_devices(runtime.cas, selector)

    @staticmethod
    def _validate(runtime: Runtime, request: Request, *, attributes: bool) -> Response:
        """``/serviceValidate`` (CAS 2: the user only) and ``/p3/serviceValidate`` (with attributes);
        ``renew`` and ``authn_method`` reach InProcessCas.validate with the other parameters."""
        values = request.values
        result = runtime.cas.validate(
            values.get("ticket") or None, values.get("service") or None, runtime.http_request(request)
        )
        json_format = (values.get("format") or "").strip().upper() == "JSON"
        content_type, body = validation.render(result, attributes=attributes, json_format=json_format)
        return Response(body, status=200, content_type=content_type)
