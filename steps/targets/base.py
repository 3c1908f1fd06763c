"""The Target interface: everything a step may ask of a CAS deployment under test."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from steps.deployment import Deployment
from steps.targets.deploymap import DeploymentMap

# Capabilities a scenario may need; a target that lacks one reports the scenario not applicable.
PROVIDER_OUTAGE = "provider-outage"  # make a provider unavailable on demand
DEPLOYMENT_PROFILE = "deployment-profile"  # load the scenario's own cas.properties and services
REST_ENDPOINT = "rest-endpoint"  # stand up REST endpoints the deployment calls (bypass, triggers)
CLIENT_ADDRESS = "client-address"  # choose the client address a login comes from
MFA_TOKEN = "mfa-token"  # obtain a token the provider accepts for a user
PROVIDER_FAULTS = "provider-faults"  # make a provider misbehave in a given way (mock providers)
CLOCK_CONTROL = "clock-control"  # set the time the deployment sees
SSO = "sso"  # keep the browser's SSO session between logins
PYTHON_HOOKS = "python-hooks"  # run the reference's Python counterparts of Groovy scripts
TRUSTED_DEVICES = "trusted-devices"  # register, list and revoke trusted devices
DUO_UNIVERSAL_UP = "duo-universal-up"  # trust the mock Duo (a real CAS pins Duo's certificates)
SESSION_ATTRIBUTE = "session-attribute"  # put an attribute in the browser's HTTP session at CAS
GAUTH_ACCOUNTS = "gauth-accounts"  # register users' Google Authenticator accounts, type their codes

CAPABILITIES: Mapping[str, str] = {
    PROVIDER_OUTAGE: "make an MFA provider unavailable on demand",
    DEPLOYMENT_PROFILE: "load the scenario's own deployment profile",
    REST_ENDPOINT: "serve REST endpoints the deployment calls",
    CLIENT_ADDRESS: "choose the client address of a login",
    MFA_TOKEN: "obtain a token an MFA provider accepts",
    PROVIDER_FAULTS: "make a mock provider fail in a chosen way (HTTP 500, silence, bad signature ...)",
    CLOCK_CONTROL: "set the time the deployment sees",
    SSO: "return to CAS in the same browser, with its SSO session",
    PYTHON_HOOKS: "run the Python counterparts of Groovy scripts (only the reference has them)",
    TRUSTED_DEVICES: "register trusted devices and list or revoke them (multifactorTrustedDevices)",
    DUO_UNIVERSAL_UP: "trust the mock Duo as up (CAS's Duo SDK pins Duo's certificates and port 443)",
    SESSION_ATTRIBUTE: "put an attribute in the browser's HTTP session at CAS (authn_method)",
    GAUTH_ACCOUNTS: "register Google Authenticator accounts (gauthCredentialRepository) and type their codes",
}


@dataclass(frozen=True)
class LoginAttempt:
    username: str
    password: str
    service: str | None
    params: Mapping[str, Sequence[str]] = field(default_factory=dict)
    headers: Mapping[str, Sequence[str]] = field(default_factory=dict)
    remote_addr: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class LoginObservation:
    """What the browser sees after a step of the login, in CAS's terms."""

    view: str  # one of the VIEW_* names below
    status: int
    ticket: str | None = None
    provider: str | None = None
    message: str | None = None
    choices: tuple[str, ...] = ()


VIEW_TICKET = "redirect-with-ticket"
VIEW_LOGIN_SUCCESS = "login-success"
VIEW_LOGIN_FORM = "login-form"
VIEW_PROVIDER_FORM = "provider-form"
VIEW_PROVIDER_MENU = "provider-menu"
VIEW_REGISTER_DEVICE = "register-device"
VIEW_MFA_UNAVAILABLE = "mfa-unavailable"
VIEW_MFA_DENIED = "mfa-denied"
VIEW_SERVICE_REFUSED = "service-not-authorized"
VIEW_GATEWAY = "redirect-without-ticket"  # gateway=true and no SSO session: back to the service
VIEW_LOGGED_OUT = "logged-out"


@dataclass(frozen=True)
class ValidationObservation:
    success: bool
    user: str | None = None
    attributes: Mapping[str, list[Any]] = field(default_factory=dict)
    code: str | None = None


@dataclass(frozen=True)
class Exchange:
    """One HTTP request a target made and what came back, with secrets already redacted (for reports)."""

    method: str
    url: str
    status: int | None  # None: no answer (the reason is in ``response``)
    sent: Mapping[str, str] = field(default_factory=dict)  # form fields or JSON body sent
    response: str = ""  # where it redirected, or an excerpt of the page or body


class Target(Protocol):
    """A CAS deployment the scenarios drive: the in-process reference, or any CAS over HTTP."""

    name: str
    capabilities: frozenset[str]

    def deploy(self, deployment: Deployment) -> None:
        """Make the deployment the one under test (before the first login of a scenario)."""

    def set_provider_available(self, provider_id: str, available: bool) -> None: ...

    def set_provider_fault(self, provider_id: str, fault: Mapping[str, Any]) -> None:
        """Make the provider's service misbehave (the mocks' fault description: {"kind": ...})."""

    def set_provider_account(self, provider_id: str, username: str, account: Mapping[str, Any]) -> None:
        """The provider's own view of a user (Duo: preauth result, push outcome)."""

    def set_clock(self, when: datetime) -> None:
        """From now on, the deployment's clock reads ``when`` (in its own time zone)."""

    def answer_rest(self, url: str, status: int, body: str = "") -> None:
        """Serve ``url`` with this status and body to the deployment's REST calls."""

    def rest_requests(self, url: str) -> list[Mapping[str, str]]:
        """The query parameters of each call the deployment made to ``url``."""

    def provision_token(self, provider_id: str, username: str) -> str:
        """A token the provider will accept once from this user."""

    def authenticator_code(self, username: str, steps_from_now: int = 0, *, scratch: bool = False) -> str:
        """What the user's Google Authenticator shows ``steps_from_now`` time steps from now at CAS, or
        one of the user's scratch codes (only with ``gauth-accounts``)."""

    def set_session_attribute(self, name: str, value: str) -> None:
        """Put an attribute in the browser's HTTP session at CAS (only with ``session-attribute``)."""

    def login(self, attempt: LoginAttempt) -> LoginObservation: ...

    def submit_token(self, token: str) -> LoginObservation: ...

    def register_device(self, name: str, expiration: int = 0, unit: str = "FOREVER") -> LoginObservation:
        """Answer the trusted-device form (``deviceName``, ``expiration``, ``timeUnit``); blank skips."""

    def close_browser(self) -> None:
        """End the browser session: the SSO cookie goes, lasting cookies (the device's) stay."""

    def new_browser(self) -> None:
        """Another browser: no cookies at all."""

    def advance_clock(self, seconds: float) -> None: ...

    def trusted_devices(self, username: str) -> list[str]:
        """The names of the user's trusted devices, as the management endpoint lists them."""

    def revoke_trusted_devices(self, username: str) -> None: ...

    def choose_provider(self, provider_id: str) -> LoginObservation:
        """Pick a provider on the selection menu (CAS's ``mfaProvider`` parameter)."""

    def visit(self, service: str | None, *, renew: bool = False, gateway: bool = False) -> LoginObservation:
        """Go to CAS's login for a service in the same browser (its SSO session, no credentials), with
        CAS's ``renew`` and ``gateway`` parameters when asked."""

    def logout(self) -> LoginObservation:
        """``/logout`` in the browser: CAS ends the SSO session."""

    def validate(
        self, ticket: str, service: str, params: Mapping[str, str] | None = None
    ) -> ValidationObservation:
        """``/p3/serviceValidate`` for the ticket, with any extra parameters (``authn_method``, ``renew``)."""

    def failure_mode_applied(self) -> tuple[str, str] | None:
        """The failure mode the last login applied and the level it came from, when the target can tell."""

    def diagnostics(self) -> str:
        """Whatever helps a person understand the last observation (a trace, a page)."""

    def exchanges(self) -> Sequence[Exchange]:
        """The HTTP exchanges of the scenario so far, oldest first (none for an in-process target)."""

    def deployment_map(self) -> DeploymentMap | None:
        """The deployment as the target file maps it (users, factors, applications); None when the
        scenario's own profile is the deployment and the map is derived from it."""

    def close(self) -> None: ...
