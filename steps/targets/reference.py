"""The reference target: the scenario's profile loaded by ``cas_mfa_ref`` and driven in process.

Duo, YubiKey and RADIUS are the mock providers, reached the way CAS reaches the real ones: the profile
points at them, and the reference's provider adapters call them through the vendors' clients.
``requests``-based calls (Duo's Universal Prompt SDK, YubiKey) are answered in process from the same
mock state through ``responses``, so an outage costs no real network timeout; duo_client's preauth and
RADIUS (UDP) cross loopback. REST endpoints a scenario defines are served by ``responses`` too, so
nothing leaves the machine.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
import responses

from cas_mfa_ref import (
    Explanation,
    FixedClock,
    HttpRequest,
    InMemoryProviders,
    InProcessCas,
    LoginResult,
    Reference,
    RestCaller,
    SystemClock,
    View,
    assemble,
    render_text,
)
from mocks.inprocess import register
from mocks.suite import MockSuite
from steps.deployment import Deployment
from steps.targets.authenticator import AppSettings, AuthenticatorApp
from steps.targets.base import (
    CLIENT_ADDRESS,
    CLOCK_CONTROL,
    DEPLOYMENT_PROFILE,
    DUO_UNIVERSAL_UP,
    GAUTH_ACCOUNTS,
    MFA_TOKEN,
    PROVIDER_FAULTS,
    PROVIDER_OUTAGE,
    PYTHON_HOOKS,
    REST_ENDPOINT,
    SESSION_ATTRIBUTE,
    SSO,
    TRUSTED_DEVICES,
    VIEW_GATEWAY,
    VIEW_LOGGED_OUT,
    VIEW_LOGIN_FORM,
    VIEW_LOGIN_SUCCESS,
    VIEW_MFA_DENIED,
    VIEW_MFA_UNAVAILABLE,
    VIEW_PROVIDER_FORM,
    VIEW_PROVIDER_MENU,
    VIEW_REGISTER_DEVICE,
    VIEW_SERVICE_REFUSED,
    VIEW_TICKET,
    Exchange,
    LoginAttempt,
    LoginObservation,
    ValidationObservation,
)
from steps.targets.deploymap import DeploymentMap

_VIEWS = {
    View.REDIRECT_WITH_TICKET: VIEW_TICKET,
    View.LOGIN_SUCCESS: VIEW_LOGIN_SUCCESS,
    View.LOGIN_FORM: VIEW_LOGIN_FORM,
    View.PROVIDER_FORM: VIEW_PROVIDER_FORM,
    View.PROVIDER_MENU: VIEW_PROVIDER_MENU,
    View.REGISTER_DEVICE: VIEW_REGISTER_DEVICE,
    View.MFA_UNAVAILABLE: VIEW_MFA_UNAVAILABLE,
    View.MFA_DENIED: VIEW_MFA_DENIED,
    View.SERVICE_NOT_AUTHORIZED: VIEW_SERVICE_REFUSED,
    View.GATEWAY_REDIRECT: VIEW_GATEWAY,
    View.LOGGED_OUT: VIEW_LOGGED_OUT,
}
# Provider ids CAS gives each module, to the mock that plays it.
MOCKED = {"mfa-duo": "duo", "mfa-yubikey": "yubikey", "mfa-radius": "radius"}
# A test run's patience for one provider call: the profile's configured timeout, capped at this. Only
# RADIUS (UDP, on real sockets) ever waits for it; the in-process HTTP providers fail at once.
TIMEOUT_CAP_SECONDS = 0.3


class ReferenceTarget:
    name = "ref"
    capabilities = frozenset(
        {
            PROVIDER_OUTAGE,
            PROVIDER_FAULTS,
            DEPLOYMENT_PROFILE,
            REST_ENDPOINT,
            CLIENT_ADDRESS,
            MFA_TOKEN,
            DUO_UNIVERSAL_UP,
            CLOCK_CONTROL,
            SSO,
            TRUSTED_DEVICES,
            GAUTH_ACCOUNTS,
            PYTHON_HOOKS,
            SESSION_ATTRIBUTE,
        }
    )

    def __init__(self, workdir: Path, mocks: MockSuite) -> None:
        self._workdir = workdir
        self._mocks = mocks
        # Providers without a mock (Simple, WebAuthn) are held here: the scenario takes them down.
        self._memory = InMemoryProviders()
        self._session = requests.Session()
        self._rest = responses.RequestsMock(assert_all_requests_are_fired=False)
        for server in (mocks.duo.server, mocks.yubikey.server):
            register(self._rest, server)
        self._rest.start()
        self._reference: Reference | None = None
        self._last: LoginResult | None = None
        self._transaction: str | None = None
        self._devices: dict[str, str] = {}
        self._clock: FixedClock | None = None
        self._tgc: str | None = None
        self._cookies: dict[str, str] = {}
        self._session_attributes: dict[str, str] = {}
        self._app = AuthenticatorApp()
        self._phone = AppSettings()

    def deploy(self, deployment: Deployment) -> None:
        pointed = deployment.pointed_at(self._mocks.describe())
        self._reference = assemble(
            pointed.write(self._workdir / "profile"),
            clock=self._clock,
            rest=RestCaller(self._session),
            others=self._memory,
            timeout_cap=TIMEOUT_CAP_SECONDS,
        )
        self._app.forget()
        self._phone = AppSettings.from_properties(deployment.properties)

    def set_clock(self, when: datetime) -> None:
        if self._reference is not None:
            raise AssertionError("set the clock before the first login: the deployment is already running")
        self._clock = FixedClock(when)

    def set_provider_available(self, provider_id: str, available: bool) -> None:
        mock = MOCKED.get(provider_id.lower())
        if mock is None:
            self._memory.set_available(provider_id, available)
        elif available:
            self._mocks.clear_fault(mock)
        else:
            self._mocks.set_fault(mock, {"kind": "down"})

    def set_provider_fault(self, provider_id: str, fault: Mapping[str, Any]) -> None:
        mock = MOCKED.get(provider_id.lower())
        if mock is None:
            raise AssertionError(f"{provider_id} is not played by a mock provider")
        self._mocks.set_fault(mock, dict(fault))

    def set_provider_account(self, provider_id: str, username: str, account: Mapping[str, Any]) -> None:
        if provider_id.lower() != "mfa-duo":
            raise AssertionError(f"{provider_id} has no account states")
        self._mocks.duo.set_user(username, **account)

    def answer_rest(self, url: str, status: int, body: str = "") -> None:
        for method in (responses.GET, responses.POST, responses.PUT):
            self._rest.add(method, url, body=body, status=status)

    def rest_requests(self, url: str) -> list[Mapping[str, str]]:
        calls: list[Mapping[str, str]] = []
        for call in self._rest.calls:
            request_url = call.request.url or ""
            if request_url.split("?")[0] == url.split("?")[0]:
                query = parse_qs(urlsplit(request_url).query)
                fields = {k: v[0] for k, v in query.items()}
                body = call.request.body
                if body:
                    data = json.loads(body)
                    if isinstance(data, dict):
                        fields.update({k: str(v) for k, v in data.items()})
                calls.append(fields)
        return calls

    def provision_token(self, provider_id: str, username: str) -> str:
        mock = MOCKED.get(provider_id.lower())
        if mock == "yubikey":
            if username not in self._devices:
                self._devices[username] = self._mocks.yubikey.register_device(username=username)
            return self._mocks.yubikey.mint_otp(self._devices[username])
        if mock == "radius":
            token = f"{secrets.randbelow(10**6):06d}"
            self._mocks.radius.set_user(username, token)
            return token
        if mock == "duo":
            return self._duo_code(provider_id, username)
        provider = self._server_side.profile.provider(provider_id)
        if provider is not None and provider.kind.key == "gauth" and self._enrolled(username):
            return self._app.code(username, self._now(), self._phone)
        token = f"{secrets.randbelow(10**6):06d}"
        self._memory.accept_token(provider_id, username, token)
        return token

    def authenticator_code(self, username: str, steps_from_now: int = 0, *, scratch: bool = False) -> str:
        if not self._enrolled(username):
            raise AssertionError("the deployment offers no Google Authenticator provider")
        if scratch:
            return self._app.scratch_code(username)
        return self._app.code_at(username, self._now(), self._phone, steps_from_now)

    def _enrolled(self, username: str) -> bool:
        """The user's account at CAS, made the first time the user's authenticator is needed; False if
        the deployment has no Google Authenticator provider."""
        reference = self._server_side
        if reference.gauth() is None:
            return False
        if not reference.authenticator_enrolled(username):
            reference.enrol_authenticator(self._app.enrol(username))
        return True

    def _now(self) -> datetime:
        return (self._clock or SystemClock()).now()

    def _duo_code(self, provider_id: str, username: str) -> str:
        """Play the browser at Duo's Universal Prompt: follow the authorization URL, keep the duo_code."""
        if self._mocks.duo.state.user(username) is None:
            self._mocks.duo.set_user(username)
        url = self._server_side.duo_authorization_url(provider_id, username)
        answer = self._session.get(url, allow_redirects=False, timeout=5)
        location = answer.headers.get("Location")
        if answer.status_code != 302 or not location:
            return "no-code-duo-did-not-redirect"
        return parse_qs(urlsplit(location).query).get("duo_code", [""])[0]

    def set_session_attribute(self, name: str, value: str) -> None:
        self._session_attributes[name] = value

    def login(self, attempt: LoginAttempt) -> LoginObservation:
        http = HttpRequest(
            params=attempt.params,
            headers=attempt.headers,
            remote_addr=attempt.remote_addr or "127.0.0.1",
            user_agent=attempt.user_agent,
            cookies=dict(self._cookies),
            session=dict(self._session_attributes),
        )
        result = self._server.login(attempt.username, attempt.password, attempt.service, http)
        return self._observe(result)

    def register_device(self, name: str, expiration: int = 0, unit: str = "FOREVER") -> LoginObservation:
        if self._transaction is None:
            raise AssertionError("no trusted-device registration form is open")
        return self._observe(self._server.register_device(self._transaction, name, expiration, unit))

    def close_browser(self) -> None:
        self._tgc = None

    def new_browser(self) -> None:
        self._tgc = None
        self._cookies.clear()

    def advance_clock(self, seconds: float) -> None:
        if self._clock is None:
            raise AssertionError("set the time at CAS first: the clock is the system's")
        self._clock.advance(seconds)

    def trusted_devices(self, username: str) -> list[str]:
        return [d.name for d in self._server.trusted_devices(username)]

    def revoke_trusted_devices(self, username: str) -> None:
        for device in self._server.trusted_devices(username):
            self._server.revoke_device(device.key)

    def choose_provider(self, provider_id: str) -> LoginObservation:
        if self._transaction is None:
            raise AssertionError("no selection menu is open")
        return self._observe(self._server.choose(self._transaction, provider_id))

    def visit(self, service: str | None, *, renew: bool = False, gateway: bool = False) -> LoginObservation:
        http = HttpRequest(cookies=dict(self._cookies), session=dict(self._session_attributes))
        return self._observe(self._server.sso(self._tgc, service, http, renew=renew, gateway=gateway))

    def logout(self) -> LoginObservation:
        observation = self._observe(self._server.logout(self._tgc))
        self._tgc = None
        return observation

    def submit_token(self, token: str) -> LoginObservation:
        if self._transaction is None:
            raise AssertionError("no provider form is open: the login did not ask for a second factor")
        return self._observe(self._server.submit_token(self._transaction, token))

    def validate(
        self, ticket: str, service: str, params: Mapping[str, str] | None = None
    ) -> ValidationObservation:
        http = HttpRequest(params={k: [v] for k, v in (params or {}).items()})
        result = self._server.validate(ticket, service, http)
        return ValidationObservation(result.success, result.user, result.attributes, result.code)

    def failure_mode_applied(self) -> tuple[str, str] | None:
        decision = self._last.decision if self._last else None
        if decision is None or decision.failure_mode is None:
            return None
        return decision.failure_mode.mode.value, decision.failure_mode.source

    def exchanges(self) -> Sequence[Exchange]:
        return ()  # in process: no HTTP

    def deployment_map(self) -> DeploymentMap | None:
        return None  # the scenario's own profile is the deployment

    def diagnostics(self) -> str:
        decision = self._last.decision if self._last else None
        if decision is None:
            return "no decision was made"
        return render_text(Explanation(decision, {}, [], []))

    def close(self) -> None:
        self._rest.stop()
        self._rest.reset()
        self._session.close()

    @property
    def _server_side(self) -> Reference:
        if self._reference is None:
            raise AssertionError("the deployment was not deployed before the login")
        return self._reference

    @property
    def _server(self) -> InProcessCas:
        return self._server_side.cas

    def _observe(self, result: LoginResult) -> LoginObservation:
        self._last = result
        self._transaction = result.transaction
        if result.tgc:
            self._tgc = result.tgc
        self._cookies.update(result.cookies)
        return LoginObservation(
            _VIEWS[result.view], result.status, result.ticket, result.provider, result.message, result.choices
        )
