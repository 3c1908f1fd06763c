"""The HTTP target: any CAS driven over HTTP as a browser would, configured by a target file.

The browser (:mod:`steps.targets.browser`) finds forms by their structure and follows the server's
redirects itself, so the redirect to the service with ``ticket=`` is observed and never fetched. Ticket
validation is the application's own request, without the browser's cookies. The mock providers are
driven through their control API (:mod:`steps.targets.httpmocks`), the deployment is put in place as the
target file says (:mod:`steps.targets.httpdeploy`), and CAS's management endpoints are in
:mod:`steps.targets.httpmanagement`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urljoin

import pytest
import requests

from mocks.client import ControlRequestFailed
from steps.deployment import Deployment, module
from steps.targets.authenticator import AppSettings, AuthenticatorApp
from steps.targets.base import (
    CLOCK_CONTROL,
    GAUTH_ACCOUNTS,
    SESSION_ATTRIBUTE,
    VIEW_GATEWAY,
    VIEW_LOGGED_OUT,
    VIEW_LOGIN_FORM,
    VIEW_PROVIDER_FORM,
    VIEW_PROVIDER_MENU,
    VIEW_REGISTER_DEVICE,
    VIEW_TICKET,
    Exchange,
    LoginAttempt,
    LoginObservation,
    ValidationObservation,
)
from steps.targets.browser import AT_PAGE, AT_SERVICE, AT_STOP, Browser, Landing
from steps.targets.casresponse import read_validation
from steps.targets.deploymap import DeploymentMap
from steps.targets.httpdeploy import CLIENT_ADDRESS_HEADER, DeploymentPlacer
from steps.targets.httpduo import is_duo_authorize, play_duo
from steps.targets.httpmanagement import GAUTH_ENDPOINT, Management
from steps.targets.httpmocks import MockProviders
from steps.targets.pages import VIEW_UNRECOGNISED, Page
from steps.targets.targetfile import TargetFile


class HttpTarget:
    def __init__(self, target_file: TargetFile, workdir: Path, name: str = "http") -> None:
        self.name = name
        self.capabilities = target_file.capabilities
        self._file = target_file
        self._cas = target_file.cas_url
        self._browser = Browser(
            target_file.cas_url, target_file.driver, target_file.timeout, target_file.verify
        )
        self._app = requests.Session()  # the application's back channel (ticket validation)
        self._mocks = MockProviders(target_file.mocks_control, self._not_applicable)
        self._management = Management(
            self._cas, self.capabilities, target_file.timeout, target_file.verify, self._not_applicable
        )
        self._placer = DeploymentPlacer(target_file, workdir, self._mocks, self._not_applicable)
        self._deployment: Deployment | None = None
        self._deployed = False
        self._page: Page | None = None
        self._duo_authorize: str | None = None
        self._service: str | None = None  # the service of the flow under way
        self._clock: datetime | None = None
        self._authenticator = AuthenticatorApp()
        self._gauth_accounts: dict[str, int] = {}  # username -> the id of the account imported
        self._gauth_settings = AppSettings()  # the phone's, from the deployment's cas.authn.mfa.gauth.core.*
        self._user: str | None = None  # whose login is under way

    def deployment_map(self) -> DeploymentMap | None:
        """The deployment as the target file maps it. None when the suite puts each scenario's profile in
        place and the file maps nothing: the scenario's own profile is then the deployment. A fixed
        deployment is only what its file maps, even if that is nothing."""
        described = self._file.deployment_map
        if described.empty and self._file.mode != "plain":
            return None
        return described

    # -- the deployment ---------------------------------------------------------------------------

    def deploy(self, deployment: Deployment) -> None:
        self._deployment = deployment
        self._placer.place(deployment)
        self._deployed = True
        if self._clock is not None:
            self._management.apply_clock({"now": self._clock.isoformat()})
        self._enrol_gauth_users(deployment)

    def _enrol_gauth_users(self, deployment: Deployment) -> None:
        """Give every user a Google Authenticator account before any login: without one, CAS shows its
        registration page instead of the token form."""
        self._authenticator.forget()
        self._gauth_accounts.clear()
        if GAUTH_ACCOUNTS not in self.capabilities or not deployment.has_provider(
            module("Google Authenticator")
        ):
            return
        self._gauth_settings = AppSettings.from_properties(deployment.properties)
        users = deployment.users if self._file.mode != "plain" else {**self._file.users, **deployment.users}
        for number, username in enumerate(sorted(users), start=1):
            account = self._authenticator.enrol(username, number)
            self._management.call("DELETE", f"{GAUTH_ENDPOINT}/{username}", GAUTH_ACCOUNTS)
            self._management.call("POST", f"{GAUTH_ENDPOINT}/import", GAUTH_ACCOUNTS, account)
            self._gauth_accounts[username.lower()] = number

    # -- the providers ------------------------------------------------------------------------------

    def set_provider_available(self, provider_id: str, available: bool) -> None:
        self._mocks.set_available(provider_id, available)

    def set_provider_fault(self, provider_id: str, fault: Mapping[str, Any]) -> None:
        self._mocks.set_fault(provider_id, fault)

    def set_provider_account(self, provider_id: str, username: str, account: Mapping[str, Any]) -> None:
        self._mocks.set_account(provider_id, username, account)

    def provision_token(self, provider_id: str, username: str) -> str:
        if provider_id.lower() == module("Google Authenticator").provider_id:
            self._need_gauth_account(username)
            return self._authenticator.code(username, self._management.now(), self._gauth_settings)
        return self._mocks.token(provider_id, username)

    def authenticator_code(self, username: str, steps_from_now: int = 0, *, scratch: bool = False) -> str:
        self._need_gauth_account(username)
        if scratch:
            return self._authenticator.scratch_code(username)
        now = self._management.now()
        return self._authenticator.code_at(username, now, self._gauth_settings, steps_from_now)

    def _need_gauth_account(self, username: str) -> None:
        """The user has an account at CAS (imported at deploy), or the scenario is not applicable."""
        if GAUTH_ACCOUNTS not in self.capabilities:
            self._not_applicable(
                GAUTH_ACCOUNTS, "the deployment declares no gauthCredentialRepository endpoint"
            )
        if self._authenticator.secret(username) is None:
            raise AssertionError(f"{username} has no Google Authenticator account: the user was not deployed")

    def set_session_attribute(self, name: str, value: str) -> None:
        self._not_applicable(SESSION_ATTRIBUTE, "a browser cannot put attributes in CAS's HTTP session")

    # -- the browser --------------------------------------------------------------------------------

    def login(self, attempt: LoginAttempt) -> LoginObservation:
        self._browser.drop_cookie(self._file.tgc_cookie)  # credentials start a new SSO session
        headers = {name: ", ".join(values) for name, values in attempt.headers.items()}
        if attempt.remote_addr:
            headers[CLIENT_ADDRESS_HEADER] = attempt.remote_addr
        if attempt.user_agent:
            headers["User-Agent"] = attempt.user_agent
        self._browser.headers = headers
        self._user = attempt.username
        query: list[tuple[str, str]] = [("service", attempt.service)] if attempt.service else []
        query += [(name, value) for name, values in attempt.params.items() for value in values]
        shown = self._go("GET", self._url("login"), attempt.service, query=query)
        page = self._page
        if page is None or page.view != VIEW_LOGIN_FORM or page.found is None or page.form is None:
            return shown
        found, fields = page.found, page.form.fields
        values: dict[str, str] = {}
        for name, given in attempt.params.items():
            if name in fields and not fields[name] and given:
                values[name] = given[0]  # what the page's script fills in (CAS's ``geolocation``)
        assert found.user_field is not None and found.password_field is not None
        values[found.user_field] = attempt.username
        values[found.password_field] = self._password(attempt)
        if "execution" in fields and "_eventId" not in fields:
            values["_eventId"] = "submit"  # Spring Webflow's event, which CAS's button carries
        return self._observe(self._browser.submit(page, values, stop=self._at_duo, service=self._service))

    def submit_token(self, token: str) -> LoginObservation:
        if self._duo_authorize is not None:
            authorize, self._duo_authorize = self._duo_authorize, None
            return self._observe(play_duo(self._browser, authorize, token, self._duo_ca(), self._service))
        page = self._page
        if page is None or page.view != VIEW_PROVIDER_FORM or page.found is None or page.form is None:
            raise AssertionError("no provider form is open: the login did not ask for a second factor")
        assert page.found.code_field is not None
        values = {page.found.code_field: token}
        account = self._gauth_accounts.get((self._user or "").lower())
        if "accountId" in page.form.fields and account is not None:
            values["accountId"] = str(account)  # what CAS's page script fills in from the chosen device
        return self._observe(self._browser.submit(page, values, stop=self._at_duo, service=self._service))

    def _duo_ca(self) -> str | None:
        with contextlib.suppress(ControlRequestFailed):
            return self._mocks.duo_ca()
        return None

    def choose_provider(self, provider_id: str) -> LoginObservation:
        page = self._page
        form = page.forms.get(f"fm-{provider_id}") if page is not None else None
        if page is None or page.view != VIEW_PROVIDER_MENU or form is None:
            raise AssertionError(f"no selection menu offering {provider_id} is open")
        return self._post(form.action, dict(form.fields))

    def register_device(self, name: str, expiration: int = 0, unit: str = "FOREVER") -> LoginObservation:
        page = self._page
        if page is None or page.view != VIEW_REGISTER_DEVICE or page.form is None:
            raise AssertionError("no trusted-device registration form is open")
        fields = dict(page.form.fields)
        fields.update(deviceName=name.strip(), expiration=str(expiration), timeUnit=unit)
        fields["_eventId"] = "submit" if name.strip() else "skip"
        return self._post(page.form.action, fields)

    def visit(self, service: str | None, *, renew: bool = False, gateway: bool = False) -> LoginObservation:
        self._browser.headers = {}
        query: list[tuple[str, str]] = [("service", service)] if service else []
        if renew:
            query.append(("renew", "true"))
        if gateway:
            query.append(("gateway", "true"))
        return self._go("GET", self._url("login"), service, query=query)

    def logout(self) -> LoginObservation:
        """``/logout``: whatever page or redirect follows (CAS's view, a portal, the login page) is a
        logout; whether SSO ended is for the next login to show."""
        self._browser.headers = {}
        landing = self._browser.navigate("GET", self._url("logout"))
        self._browser.drop_cookie(self._file.tgc_cookie)
        self._page = None
        if landing.where in (AT_PAGE, AT_SERVICE) and landing.status < 500:
            return LoginObservation(VIEW_LOGGED_OUT, landing.status)
        return self._observe(landing)

    def close_browser(self) -> None:
        self._browser.drop_cookie(self._file.tgc_cookie)

    def new_browser(self) -> None:
        self._browser.restart()

    # -- the application ----------------------------------------------------------------------------

    def validate(
        self, ticket: str, service: str, params: Mapping[str, str] | None = None
    ) -> ValidationObservation:
        query: list[tuple[str, str]] = []
        if ticket:
            query.append(("ticket", ticket))
        if service:
            query.append(("service", service))
        query += list((params or {}).items())
        query.append(("format", "JSON"))
        url = self._url("p3/serviceValidate")
        try:
            answer = self._app.get(url, params=query, timeout=self._file.timeout, verify=self._file.verify)
        except requests.RequestException as error:
            self._browser.log("GET", url, None, None, f"no answer: {error}")
            return ValidationObservation(False, code="NO_ANSWER", attributes={"error": [str(error)]})
        self._browser.log("GET", answer.url, None, answer.status_code, answer.text[:300])
        return read_validation(answer.text, answer.headers.get("Content-Type", ""))

    # -- management endpoints -----------------------------------------------------------------------

    def trusted_devices(self, username: str) -> list[str]:
        return self._management.trusted_devices(username)

    def revoke_trusted_devices(self, username: str) -> None:
        self._management.revoke_trusted_devices(username)

    def set_clock(self, when: datetime) -> None:
        if CLOCK_CONTROL not in self.capabilities:
            self._not_applicable(CLOCK_CONTROL, "the deployment declares no clock endpoint")
        self._clock = when
        if self._deployed:
            self._management.apply_clock({"now": when.isoformat()})

    def advance_clock(self, seconds: float) -> None:
        if self._clock is None:
            raise AssertionError("set the time at CAS first: the clock is the system's")
        self._management.apply_clock({"advance": seconds})

    def answer_rest(self, url: str, status: int, body: str = "") -> None:
        self._placer.stub().answer(url, status, body)

    def rest_requests(self, url: str) -> list[Mapping[str, str]]:
        return self._placer.rest_calls(url)

    def failure_mode_applied(self) -> tuple[str, str] | None:
        return None  # a CAS does not say over HTTP; the Then step checks the visible consequences

    def diagnostics(self) -> str:
        return f"the {self.name} target at {self._cas}: last {self._browser.last}"

    def exchanges(self) -> Sequence[Exchange]:
        return tuple(self._browser.exchanges)

    def close(self) -> None:
        with contextlib.suppress(AssertionError, requests.RequestException):
            self._management.release_clock()
        self._placer.close()
        self._browser.close()
        self._app.close()

    # -- plumbing -----------------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self._cas}/{path}"

    def _not_applicable(self, capability: str, why: str) -> NoReturn:
        pytest.skip(f"not applicable: target '{self.name}' lacks capability '{capability}' ({why})")

    def _password(self, attempt: LoginAttempt) -> str:
        """The deployment's password for the user; the target file's when it names the user (a fixed CAS)."""
        configured = self._file.users.get(attempt.username)
        if configured is None or self._file.mode == "profile-dir":
            return attempt.password
        deployment = self._deployment or Deployment()
        expected = deployment.users.get(attempt.username)
        return configured if expected is None or attempt.password == expected else attempt.password

    def _go(self, method: str, url: str, service: str | None, *, query: Any = None) -> LoginObservation:
        self._service = service
        return self._observe(
            self._browser.navigate(method, url, query=query, service=service, stop=self._at_duo)
        )

    def _post(self, action: str, fields: Mapping[str, str]) -> LoginObservation:
        base = self._browser.page_url or self._url("login")
        landing = self._browser.navigate(
            "POST",
            urljoin(base, action or base),
            data=dict(fields),
            service=self._service,
            stop=self._at_duo,
        )
        return self._observe(landing)

    def _at_duo(self, url: str) -> bool:
        return is_duo_authorize(self._browser, url)

    def _observe(self, landing: Landing) -> LoginObservation:
        """What the browser shows after a navigation, in CAS's terms."""
        self._page, self._duo_authorize = landing.page, None
        if landing.where == AT_STOP:
            self._duo_authorize = landing.url
            return LoginObservation(VIEW_PROVIDER_FORM, landing.status, provider="mfa-duo")
        if landing.where == AT_SERVICE:
            if landing.ticket:
                return LoginObservation(VIEW_TICKET, landing.status, ticket=landing.ticket)
            return LoginObservation(VIEW_GATEWAY, landing.status)
        page = landing.page
        if page is not None:
            return LoginObservation(
                page.view, landing.status, None, page.provider, page.message, page.choices
            )
        return LoginObservation(VIEW_UNRECOGNISED, landing.status, message=landing.problem)


__all__ = ["ControlRequestFailed", "HttpTarget"]
