"""The reference target: the scenario's profile loaded by ``cas_mfa_ref`` and driven in process.

REST endpoints the deployment calls are served by ``responses`` in the same process, so nothing
leaves the machine.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests
import responses

from cas_mfa_ref.config.profile import load_profile
from cas_mfa_ref.engine.providers import InMemoryProviders
from cas_mfa_ref.engine.request import HttpRequest
from cas_mfa_ref.engine.rest import RestCaller
from cas_mfa_ref.explain import Explanation, render_text
from cas_mfa_ref.protocol.cas import InProcessCas, LoginResult, View
from steps.deployment import Deployment
from steps.targets.base import (
    CLIENT_ADDRESS,
    DEPLOYMENT_PROFILE,
    MFA_TOKEN,
    PROVIDER_OUTAGE,
    REST_ENDPOINT,
    VIEW_LOGIN_FORM,
    VIEW_LOGIN_SUCCESS,
    VIEW_MFA_DENIED,
    VIEW_MFA_UNAVAILABLE,
    VIEW_PROVIDER_FORM,
    VIEW_SERVICE_REFUSED,
    VIEW_TICKET,
    LoginAttempt,
    LoginObservation,
    ValidationObservation,
)

_VIEWS = {
    View.REDIRECT_WITH_TICKET: VIEW_TICKET,
    View.LOGIN_SUCCESS: VIEW_LOGIN_SUCCESS,
    View.LOGIN_FORM: VIEW_LOGIN_FORM,
    View.PROVIDER_FORM: VIEW_PROVIDER_FORM,
    View.MFA_UNAVAILABLE: VIEW_MFA_UNAVAILABLE,
    View.MFA_DENIED: VIEW_MFA_DENIED,
    View.SERVICE_NOT_AUTHORIZED: VIEW_SERVICE_REFUSED,
}


class ReferenceTarget:
    name = "ref"
    capabilities = frozenset({PROVIDER_OUTAGE, DEPLOYMENT_PROFILE, REST_ENDPOINT, CLIENT_ADDRESS, MFA_TOKEN})

    def __init__(self, workdir: Path) -> None:
        self._workdir = workdir
        self._providers = InMemoryProviders()
        self._session = requests.Session()
        self._rest = responses.RequestsMock(assert_all_requests_are_fired=False)
        self._rest.start()
        self._cas: InProcessCas | None = None
        self._last: LoginResult | None = None
        self._transaction: str | None = None

    def deploy(self, deployment: Deployment) -> None:
        profile = load_profile(deployment.write(self._workdir / "profile"))
        self._cas = InProcessCas(profile, self._providers, RestCaller(self._session))

    def set_provider_available(self, provider_id: str, available: bool) -> None:
        self._providers.set_available(provider_id, available)

    def answer_rest(self, url: str, status: int, body: str = "") -> None:
        for method in (responses.GET, responses.POST, responses.PUT):
            self._rest.add(method, url, body=body, status=status)

    def rest_requests(self, url: str) -> list[Mapping[str, str]]:
        calls: list[Mapping[str, str]] = []
        for call in self._rest.calls:
            request_url = call.request.url or ""
            if request_url.split("?")[0] == url.split("?")[0]:
                query = parse_qs(urlsplit(request_url).query)
                calls.append({k: v[0] for k, v in query.items()})
        return calls

    def provision_token(self, provider_id: str, username: str) -> str:
        token = f"{secrets.randbelow(10**6):06d}"
        self._providers.accept_token(provider_id, username, token)
        return token

    def login(self, attempt: LoginAttempt) -> LoginObservation:
        http = HttpRequest(
            params=attempt.params,
            headers=attempt.headers,
            remote_addr=attempt.remote_addr or "127.0.0.1",
            user_agent=attempt.user_agent,
        )
        result = self._server.login(attempt.username, attempt.password, attempt.service, http)
        return self._observe(result)

    def submit_token(self, token: str) -> LoginObservation:
        if self._transaction is None:
            raise AssertionError("no provider form is open: the login did not ask for a second factor")
        return self._observe(self._server.submit_token(self._transaction, token))

    def validate(self, ticket: str, service: str) -> ValidationObservation:
        result = self._server.validate(ticket, service)
        return ValidationObservation(result.success, result.user, result.attributes, result.code)

    def failure_mode_applied(self) -> tuple[str, str] | None:
        decision = self._last.decision if self._last else None
        if decision is None or decision.failure_mode is None:
            return None
        return decision.failure_mode.mode.value, decision.failure_mode.source

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
    def _server(self) -> InProcessCas:
        if self._cas is None:
            raise AssertionError("the deployment was not deployed before the login")
        return self._cas

    def _observe(self, result: LoginResult) -> LoginObservation:
        self._last = result
        self._transaction = result.transaction
        return LoginObservation(
            _VIEWS[result.view], result.status, result.ticket, result.provider, result.message
        )
