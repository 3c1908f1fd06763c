"""The HTTP target: any CAS driven over HTTP as a browser would, configured by a target file.

One ``requests.Session`` is the browser of one scenario: its cookies are the browser's, redirects are
followed by hand so that the redirect to the service with ``ticket=`` is observed and never fetched, and
pages are read by CAS 7's template markers (:mod:`steps.targets.pages`). Ticket validation is the
application's own request, without the browser's cookies. The mock providers are driven through their
control API (contract 4), never in process; the deployment is put in place as the target file says
(:mod:`steps.targets.targetfile`).
"""

from __future__ import annotations

import contextlib
import re
import secrets
import shutil
from collections.abc import Mapping
from datetime import UTC, datetime
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests

from cas_mfa_ref.providers.gauth import GauthSettings
from mocks.client import ControlClient, ControlRequestFailed
from steps.deployment import Deployment, module
from steps.digest import profile_digest
from steps.targets.authenticator import AuthenticatorApp
from steps.targets.base import (
    CLOCK_CONTROL,
    DEPLOYMENT_PROFILE,
    GAUTH_ACCOUNTS,
    MFA_TOKEN,
    PROVIDER_FAULTS,
    PROVIDER_OUTAGE,
    SESSION_ATTRIBUTE,
    TRUSTED_DEVICES,
    VIEW_GATEWAY,
    VIEW_LOGIN_FORM,
    VIEW_PROVIDER_FORM,
    VIEW_PROVIDER_MENU,
    VIEW_REGISTER_DEVICE,
    VIEW_TICKET,
    LoginAttempt,
    LoginObservation,
    ValidationObservation,
)
from steps.targets.casresponse import read_validation
from steps.targets.pages import VIEW_UNRECOGNISED, Page, read_page
from steps.targets.reststub import RestStub
from steps.targets.targetfile import TargetFile

# Provider ids CAS gives each module, to the mock that plays it (as the reference target maps them).
MOCKED = {"mfa-duo": "duo", "mfa-yubikey": "yubikey", "mfa-radius": "radius"}
# What the reference server can do over HTTP; --target ref-http declares it in the target file it writes.
CLIENT_ADDRESS_PROPERTY = "cas.audit.engine.alternate-client-addr-header-name"
CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
DUO_AUTHORIZE_PATH = "/oauth/v1/authorize"
DUO_TOKEN = "duo-universal-prompt"  # provision_token's answer for Duo: the prompt itself carries the code
MAX_REDIRECTS = 10
MODHEX = "cbdefghijklnrtuv"
TRUSTED_DEVICES_ENDPOINT = "actuator/multifactorTrustedDevices"
CLOCK_ENDPOINT = "actuator/conformanceClock"
GAUTH_ENDPOINT = "actuator/gauthCredentialRepository"
GAUTH_PREFIX = "cas.authn.mfa.gauth."
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
_URL = re.compile(r"https?://\S+")

# The mocks' description (GET /providers) per control URL: it does not change during a session.
_DESCRIPTIONS: dict[str, dict[str, Any]] = {}


class HttpTarget:
    def __init__(self, target_file: TargetFile, workdir: Path, name: str = "http") -> None:
        self.name = name
        self.capabilities = target_file.capabilities
        self._file = target_file
        self._workdir = workdir
        self._cas = target_file.cas_url
        self._timeout = target_file.timeout
        self._control = ControlClient(target_file.mocks_control) if target_file.mocks_control else None
        self._browser = self._new_session()
        self._app = requests.Session()  # the application's back channel (ticket validation)
        self._rest: RestStub | None = None
        self._deployment: Deployment | None = None
        self._deployed = False
        self._page: Page | None = None
        self._duo_authorize: str | None = None
        self._flow_headers: dict[str, str] = {}
        self._last: str = "no request yet"
        self._last_url: str | None = None  # the page whose forms a submission posts
        self._clock: datetime | None = None
        self._clock_set = False
        self._duo_users: set[str] = set()
        self._authenticator = AuthenticatorApp()
        self._gauth_accounts: dict[str, int] = {}  # username -> the id of the account imported
        self._gauth_settings = GauthSettings()  # the deployment's cas.authn.mfa.gauth.core.*
        self._user: str | None = None  # whose login is under way
        if self._control is not None:
            self._control.reset()

    # -- the deployment ---------------------------------------------------------------------------

    def deploy(self, deployment: Deployment) -> None:
        self._deployment = deployment
        mode = self._file.mode
        if mode == "plain":
            reason = _not_plain(deployment, self._file.users)
            if reason:
                self._not_applicable(DEPLOYMENT_PROFILE, f"the deployment under test is fixed and {reason}")
        else:
            pointed = deployment.pointed_at(self._mocks())
            if mode == "profile-group":
                digest = profile_digest(pointed.write(self._workdir / "profile"))
                if digest != self._file.profile_group:
                    self._not_applicable(
                        DEPLOYMENT_PROFILE,
                        f"the deployment under test loaded profile group {self._file.profile_group}; "
                        f"this scenario's profile is group {digest}",
                    )
            else:
                self._write_profile(pointed)
        self._deployed = True
        if self._clock is not None:
            self._apply_clock({"now": self._clock.isoformat()})
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
        self._gauth_settings = GauthSettings.from_settings(
            {
                k[len(GAUTH_PREFIX) :]: v
                for k, v in deployment.properties.items()
                if k.startswith(GAUTH_PREFIX)
            }
        )
        users = deployment.users if self._file.mode != "plain" else {**self._file.users, **deployment.users}
        for number, username in enumerate(sorted(users), start=1):
            account = self._authenticator.enrol(username)
            account.id = number
            self._actuator("DELETE", f"{GAUTH_ENDPOINT}/{username}", GAUTH_ACCOUNTS)
            self._actuator("POST", f"{GAUTH_ENDPOINT}/import", GAUTH_ACCOUNTS, account.to_json())
            self._gauth_accounts[username.lower()] = number

    def _write_profile(self, pointed: Deployment) -> None:
        directory = self._file.profile_dir
        assert directory is not None and self._file.refresh_url is not None
        folded = {_folded(name) for name in pointed.properties}
        if _folded(CLIENT_ADDRESS_PROPERTY) not in folded:
            pointed.properties[CLIENT_ADDRESS_PROPERTY] = CLIENT_ADDRESS_HEADER
        for name, value in list(pointed.properties.items()):
            if _URL.fullmatch(value.strip()) and urlsplit(value.strip()).hostname not in _LOOPBACK:
                pointed.properties[name] = self._stub().local_url(value.strip())
        for child in directory.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        pointed.write(directory)
        try:
            answer = requests.post(self._file.refresh_url, timeout=self._timeout, verify=self._file.verify)
        except requests.RequestException as error:
            pytest.fail(f"the deployment was not reloaded: POST {self._file.refresh_url} failed: {error}")
        if answer.status_code == 400:
            pytest.fail(
                f"CAS refused the scenario's profile (POST {self._file.refresh_url}: 400): {answer.text}"
            )
        if answer.status_code >= 300:
            pytest.fail(
                f"the deployment was not reloaded: POST {self._file.refresh_url} answered "
                f"HTTP {answer.status_code}: {answer.text[:300]}"
            )

    # -- the providers ------------------------------------------------------------------------------

    def set_provider_available(self, provider_id: str, available: bool) -> None:
        mock = MOCKED.get(provider_id.lower())
        if mock is None:
            if not available:
                self._not_applicable(PROVIDER_OUTAGE, f"{provider_id} is not played by a mock provider")
            return
        control = self._need_control(PROVIDER_OUTAGE)
        if available:
            control.clear_fault(mock)
        else:
            control.set_fault(mock, "down")

    def set_provider_fault(self, provider_id: str, fault: Mapping[str, Any]) -> None:
        mock = MOCKED.get(provider_id.lower())
        if mock is None:
            raise AssertionError(f"{provider_id} is not played by a mock provider")
        spec = dict(fault)
        self._need_control(PROVIDER_FAULTS).call("PUT", f"/providers/{mock}/fault", spec)

    def set_provider_account(self, provider_id: str, username: str, account: Mapping[str, Any]) -> None:
        if provider_id.lower() != "mfa-duo":
            raise AssertionError(f"{provider_id} has no account states")
        self._need_control(PROVIDER_OUTAGE).set_duo_user(username, **account)
        self._duo_users.add(username)

    def provision_token(self, provider_id: str, username: str) -> str:
        if provider_id.lower() == module("Google Authenticator").provider_id:
            return self._gauth_code(username)
        mock = MOCKED.get(provider_id.lower())
        if mock is None:
            self._not_applicable(MFA_TOKEN, f"{provider_id} is not played by a mock provider")
        control = self._need_control(MFA_TOKEN)
        if mock == "yubikey":
            public_id = "cc" + "".join(secrets.choice(MODHEX) for _ in range(10))
            control.register_yubikey_device(public_id, username)
            return control.mint_yubikey_otp(public_id)
        if mock == "radius":
            token = f"{secrets.randbelow(10**6):06d}"
            control.set_radius_user(username, token)
            return token
        if username not in self._duo_users:
            control.set_duo_user(username)
            self._duo_users.add(username)
        return DUO_TOKEN

    def _gauth_code(self, username: str) -> str:
        self._need_gauth_account(username)
        return self._authenticator.code(username, self._cas_now(), self._gauth_settings)

    def authenticator_code(self, username: str, steps_from_now: int = 0, *, scratch: bool = False) -> str:
        self._need_gauth_account(username)
        if scratch:
            return self._authenticator.scratch_code(username)
        return self._authenticator.code_at(username, self._cas_now(), self._gauth_settings, steps_from_now)

    def _need_gauth_account(self, username: str) -> None:
        """The user has an account at CAS (imported at deploy), or the scenario is not applicable."""
        if GAUTH_ACCOUNTS not in self.capabilities:
            self._not_applicable(
                GAUTH_ACCOUNTS, "the deployment declares no gauthCredentialRepository endpoint"
            )
        if self._authenticator.secret(username) is None:
            raise AssertionError(f"{username} has no Google Authenticator account: the user was not deployed")

    def _cas_now(self) -> datetime:
        """The time at CAS: its conformance clock once the scenario set it, this machine's otherwise."""
        if not self._clock_set:
            return datetime.now(UTC)
        answer = self._actuator("GET", CLOCK_ENDPOINT, CLOCK_CONTROL)
        return datetime.fromisoformat(str(answer["now"]).replace("Z", "+00:00"))

    def set_session_attribute(self, name: str, value: str) -> None:
        self._not_applicable(SESSION_ATTRIBUTE, "a browser cannot put attributes in CAS's HTTP session")

    # -- the browser --------------------------------------------------------------------------------

    def login(self, attempt: LoginAttempt) -> LoginObservation:
        self._drop_tgc()  # a login with credentials starts a new SSO session, as the reference's does
        headers = {name: ", ".join(values) for name, values in attempt.headers.items()}
        if attempt.remote_addr:
            headers[CLIENT_ADDRESS_HEADER] = attempt.remote_addr
        if attempt.user_agent:
            headers["User-Agent"] = attempt.user_agent
        self._flow_headers = headers
        self._user = attempt.username
        query: list[tuple[str, str]] = [("service", attempt.service)] if attempt.service else []
        query += [(name, value) for name, values in attempt.params.items() for value in values]
        shown = self._go("GET", self._url("login"), query=query)
        if self._page is None or self._page.view != VIEW_LOGIN_FORM or self._page.form is None:
            return shown
        fields = dict(self._page.form.fields)
        for name, values in attempt.params.items():
            if name in fields and not fields[name] and values:
                fields[name] = values[0]  # what the page's script fills in (CAS's ``geolocation``)
        fields.update(username=attempt.username, password=self._password(attempt))
        fields.setdefault("_eventId", "submit")
        return self._submit(self._page.form.action, fields)

    def submit_token(self, token: str) -> LoginObservation:
        if self._duo_authorize is not None:
            return self._duo(token)
        page = self._page
        if page is None or page.view != VIEW_PROVIDER_FORM or page.form is None:
            raise AssertionError("no provider form is open: the login did not ask for a second factor")
        fields = dict(page.form.fields)
        fields["token"] = token
        account = self._gauth_accounts.get((self._user or "").lower())
        if "accountId" in fields and account is not None:
            fields["accountId"] = str(account)  # what CAS's page script fills in from the chosen device
        return self._submit(page.form.action, fields)

    def choose_provider(self, provider_id: str) -> LoginObservation:
        page = self._page
        form = page.forms.get(f"fm-{provider_id}") if page is not None else None
        if page is None or page.view != VIEW_PROVIDER_MENU or form is None:
            raise AssertionError(f"no selection menu offering {provider_id} is open")
        return self._submit(form.action, dict(form.fields))

    def register_device(self, name: str, expiration: int = 0, unit: str = "FOREVER") -> LoginObservation:
        page = self._page
        if page is None or page.view != VIEW_REGISTER_DEVICE or page.form is None:
            raise AssertionError("no trusted-device registration form is open")
        fields = dict(page.form.fields)
        fields.update(deviceName=name.strip(), expiration=str(expiration), timeUnit=unit)
        fields["_eventId"] = "submit" if name.strip() else "skip"
        return self._submit(page.form.action, fields)

    def visit(self, service: str | None, *, renew: bool = False, gateway: bool = False) -> LoginObservation:
        self._flow_headers = {}
        query: list[tuple[str, str]] = [("service", service)] if service else []
        if renew:
            query.append(("renew", "true"))
        if gateway:
            query.append(("gateway", "true"))
        return self._go("GET", self._url("login"), query=query)

    def logout(self) -> LoginObservation:
        self._flow_headers = {}
        observation = self._go("GET", self._url("logout"))
        self._drop_tgc()
        return observation

    def close_browser(self) -> None:
        self._drop_tgc()

    def new_browser(self) -> None:
        self._browser.close()
        self._browser = self._new_session()

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
            answer = self._app.get(url, params=query, timeout=self._timeout, verify=self._file.verify)
        except requests.RequestException as error:
            self._last = f"GET {url}: {error}"
            return ValidationObservation(False, code="NO_ANSWER", attributes={"error": [str(error)]})
        self._last = f"GET {answer.url} -> HTTP {answer.status_code}: {answer.text[:300]}"
        return read_validation(answer.text, answer.headers.get("Content-Type", ""))

    # -- management endpoints -----------------------------------------------------------------------

    def trusted_devices(self, username: str) -> list[str]:
        records = self._actuator("GET", f"{TRUSTED_DEVICES_ENDPOINT}/{username}", TRUSTED_DEVICES)
        if isinstance(records, dict):
            records = list(records.values())
        if not isinstance(records, list):
            raise AssertionError(f"{TRUSTED_DEVICES_ENDPOINT} answered {records!r}, not a list of devices")
        return [str(record.get("name")) for record in records if isinstance(record, dict)]

    def revoke_trusted_devices(self, username: str) -> None:
        records = self._actuator("GET", f"{TRUSTED_DEVICES_ENDPOINT}/{username}", TRUSTED_DEVICES)
        for record in records if isinstance(records, list) else []:
            key = record.get("recordKey") or record.get("id") if isinstance(record, dict) else None
            if key is not None:
                self._actuator("DELETE", f"{TRUSTED_DEVICES_ENDPOINT}/{key}", TRUSTED_DEVICES)

    def set_clock(self, when: datetime) -> None:
        if CLOCK_CONTROL not in self.capabilities:
            self._not_applicable(CLOCK_CONTROL, "the deployment declares no clock endpoint")
        self._clock = when
        if self._deployed:
            self._apply_clock({"now": when.isoformat()})

    def advance_clock(self, seconds: float) -> None:
        if self._clock is None:
            raise AssertionError("set the time at CAS first: the clock is the system's")
        self._apply_clock({"advance": seconds})

    def _apply_clock(self, body: dict[str, Any]) -> None:
        self._actuator("PUT", CLOCK_ENDPOINT, CLOCK_CONTROL, body)
        self._clock_set = True

    def answer_rest(self, url: str, status: int, body: str = "") -> None:
        self._stub().answer(url, status, body)

    def rest_requests(self, url: str) -> list[Mapping[str, str]]:
        return self._rest.calls(url) if self._rest is not None else []

    def failure_mode_applied(self) -> tuple[str, str] | None:
        return None  # a CAS does not say over HTTP; the Then step checks the visible consequences

    def diagnostics(self) -> str:
        return f"the {self.name} target at {self._cas}: last {self._last}"

    def close(self) -> None:
        if self._clock_set:
            with contextlib.suppress(AssertionError, requests.RequestException):
                self._actuator("DELETE", CLOCK_ENDPOINT, CLOCK_CONTROL)
        if self._rest is not None:
            self._rest.close()
        self._browser.close()
        self._app.close()

    # -- plumbing -----------------------------------------------------------------------------------

    def _new_session(self) -> requests.Session:
        session = requests.Session()
        session.verify = self._file.verify
        return session

    def _url(self, path: str) -> str:
        return f"{self._cas}/{path}"

    def _mocks(self) -> dict[str, Any]:
        control = self._need_control(DEPLOYMENT_PROFILE)
        if control.url not in _DESCRIPTIONS:
            description = control.call("GET", "/providers")
            if not isinstance(description, dict):
                raise AssertionError(f"{control.url}/providers answered {description!r}")
            _DESCRIPTIONS[control.url] = description
        return _DESCRIPTIONS[control.url]

    def _need_control(self, capability: str) -> ControlClient:
        if self._control is None:
            self._not_applicable(capability, "the target file names no mocks.control")
        assert self._control is not None
        return self._control

    def _stub(self) -> RestStub:
        if self._rest is None:
            self._rest = RestStub()
        return self._rest

    def _not_applicable(self, capability: str, why: str) -> None:
        pytest.skip(f"not applicable: target '{self.name}' lacks capability '{capability}' ({why})")

    def _password(self, attempt: LoginAttempt) -> str:
        """The deployment's password for the user; the target file's when it names the user (a fixed CAS)."""
        configured = self._file.users.get(attempt.username)
        if configured is None or self._file.mode == "profile-dir":
            return attempt.password
        deployment = self._deployment or Deployment()
        expected = deployment.users.get(attempt.username)
        return configured if expected is None or attempt.password == expected else attempt.password

    def _drop_tgc(self) -> None:
        jar: CookieJar = self._browser.cookies
        for cookie in list(jar):
            if cookie.name == self._file.tgc_cookie:
                self._browser.cookies.clear(cookie.domain, cookie.path, cookie.name)

    def _submit(self, action: str, fields: Mapping[str, str]) -> LoginObservation:
        base = self._last_url or self._url("login")
        return self._go("POST", urljoin(base, action or base), data=dict(fields))

    def _go(
        self,
        method: str,
        url: str,
        *,
        query: list[tuple[str, str]] | None = None,
        data: Mapping[str, str] | None = None,
    ) -> LoginObservation:
        """One browser navigation: follow CAS's own redirects, stop at the service, at Duo, or at a page."""
        self._page, self._duo_authorize = None, None
        for _ in range(MAX_REDIRECTS):
            try:
                answer = self._browser.request(
                    method,
                    url,
                    params=query,
                    data=data,
                    headers=self._flow_headers,
                    allow_redirects=False,
                    timeout=self._timeout,
                )
            except requests.RequestException as error:
                self._last = f"{method} {url}: no answer: {error}"
                return LoginObservation(VIEW_UNRECOGNISED, 0, message=f"no answer from {url}: {error}")
            query = None
            self._last = f"{method} {answer.url} -> HTTP {answer.status_code}"
            location = answer.headers.get("Location")
            if answer.is_redirect and location:
                target = urljoin(answer.url, location)
                self._last += f" -> {target}"
                if self._is_duo_authorize(target):
                    self._duo_authorize = target
                    return LoginObservation(VIEW_PROVIDER_FORM, answer.status_code, provider="mfa-duo")
                if self._is_cas(target):
                    if answer.status_code not in (307, 308):
                        method, data = "GET", None
                    url = target
                    continue
                ticket = dict(parse_qsl(urlsplit(target).query)).get("ticket")
                if ticket:
                    return LoginObservation(VIEW_TICKET, answer.status_code, ticket=ticket)
                return LoginObservation(VIEW_GATEWAY, answer.status_code)
            self._last_url = answer.url
            page = read_page(answer.text)
            self._page = page
            self._last += f": {page.describe()}"
            return LoginObservation(
                page.view, answer.status_code, None, page.provider, page.message, page.choices
            )
        return LoginObservation(
            VIEW_UNRECOGNISED, 0, message=f"more than {MAX_REDIRECTS} redirects from {url}"
        )

    def _duo(self, token: str) -> LoginObservation:
        """Play the browser at Duo's Universal Prompt, then follow Duo's redirect back to CAS's callback."""
        authorize, self._duo_authorize = self._duo_authorize, None
        assert authorize is not None
        ca = self._mocks().get("duo", {}).get("ca_pem") if self._control is not None else None
        try:
            answer = self._browser.get(
                authorize, allow_redirects=False, timeout=self._timeout, verify=ca or self._file.verify
            )
        except requests.RequestException as error:
            self._last = f"GET {authorize}: no answer: {error}"
            return LoginObservation(VIEW_UNRECOGNISED, 0, message=f"Duo did not answer: {error}")
        location = answer.headers.get("Location")
        if not answer.is_redirect or not location:
            self._last = f"GET {authorize} -> HTTP {answer.status_code}: {answer.text[:200]}"
            return LoginObservation(
                VIEW_UNRECOGNISED,
                answer.status_code,
                message=f"Duo's prompt did not send the browser back to CAS: {answer.text[:200]}",
            )
        callback = urljoin(authorize, location)
        if token != DUO_TOKEN:  # a wrong code: the callback carries the token the user "entered"
            parts = urlsplit(callback)
            pairs = [(k, token if k in ("duo_code", "code") else v) for k, v in parse_qsl(parts.query)]
            callback = urlunsplit(parts._replace(query=urlencode(pairs)))
        return self._go("GET", callback)

    def _is_cas(self, url: str) -> bool:
        return url == self._cas or url.startswith(self._cas + "/") or url.startswith(self._cas + "?")

    def _is_duo_authorize(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.path.endswith(DUO_AUTHORIZE_PATH) and not self._is_cas(url)

    def _actuator(self, method: str, path: str, capability: str, body: Any = None) -> Any:
        if capability not in self.capabilities:
            self._not_applicable(capability, f"the deployment declares no {path.split('/')[1]} endpoint")
        url = self._url(path)
        answer = requests.request(method, url, json=body, timeout=self._timeout, verify=self._file.verify)
        self._last = f"{method} {url} -> HTTP {answer.status_code}"
        if answer.status_code >= 300:
            raise AssertionError(f"{method} {url} answered HTTP {answer.status_code}: {answer.text[:300]}")
        if not answer.content:
            return None
        try:
            return answer.json()
        except ValueError:
            return answer.text


def _not_plain(deployment: Deployment, users: Mapping[str, str]) -> str | None:
    """Why a scenario's deployment is more than users and plain services (None when it is plain)."""
    if deployment.properties:
        return f"the scenario sets CAS properties ({next(iter(deployment.properties))} ...)"
    if deployment.files:
        return f"the scenario adds files to the profile ({', '.join(sorted(deployment.files))})"
    for service in deployment.services:
        if service.get("multifactorPolicy"):
            return f"the scenario gives {service.get('serviceId')} a multifactor policy"
    for user in deployment.users:
        if user not in users:
            return f"the scenario's user {user} is not among the target file's users"
    if any(deployment.attributes.values()):
        return "the scenario gives its users attributes"
    return None


def _folded(name: str) -> str:
    return name.lower().replace("-", "").replace("_", "")


__all__ = ["ControlRequestFailed", "HttpTarget"]
