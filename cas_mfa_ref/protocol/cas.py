"""CAS in process: the login flow (password, provider form, ticket) and ticket validation."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass, replace

from cas_mfa_ref.config.profile import Profile
from cas_mfa_ref.engine.authentication import Authentication
from cas_mfa_ref.engine.clock import Clock, SystemClock
from cas_mfa_ref.engine.flow import Decision
from cas_mfa_ref.engine.login import choose_provider, decide
from cas_mfa_ref.engine.outcome import Outcome
from cas_mfa_ref.engine.primary import BAD_CREDENTIALS
from cas_mfa_ref.engine.provider_step import complete_mfa
from cas_mfa_ref.engine.providers import InMemoryProviders, ProviderChecks
from cas_mfa_ref.engine.request import HttpRequest, LoginRequest
from cas_mfa_ref.engine.rest import RestCaller
from cas_mfa_ref.engine.trusted import (
    TrustedDevice,
    TrustedDeviceStore,
    expiry,
    fingerprint,
    new_key,
    store_for,
)
from cas_mfa_ref.engine.validation import check_context, released_attributes
from cas_mfa_ref.engine.verify_trust import trust_is_skipped
from cas_mfa_ref.model import Provider
from cas_mfa_ref.protocol.results import (
    DENIED_MESSAGE,
    INVALID_REQUEST,
    UNAVAILABLE_MESSAGE,
    LoginResult,
    ValidationResult,
    View,
)
from cas_mfa_ref.protocol.tickets import TicketError, TicketRegistry

__all__ = ["InProcessCas", "LoginResult", "ValidationResult", "View"]


@dataclass
class _Pending:
    decision: Decision
    provider: Provider | None  # None while the user is on the selection menu
    service_url: str | None
    tgc: str | None  # the SSO session a step-up belongs to
    request: LoginRequest | None = None


class InProcessCas:
    """A CAS server without HTTP: the same decisions, tickets and validation answers."""

    def __init__(
        self,
        profile: Profile,
        providers: ProviderChecks | None = None,
        rest: RestCaller | None = None,
        clock: Clock | None = None,
        devices: TrustedDeviceStore | None = None,
    ) -> None:
        self.profile = profile
        self.providers: ProviderChecks = providers or InMemoryProviders()
        self.rest = rest or RestCaller()
        self.clock = clock or SystemClock()
        self.tickets = TicketRegistry(self.clock)
        self._pending: dict[str, _Pending] = {}
        self._transactions = itertools.count(1)
        self._sessions: dict[str, Authentication] = {}
        self._registrations: dict[str, tuple[Authentication, _Pending]] = {}
        self.devices: TrustedDeviceStore = devices or store_for(profile.trusted)

    def login(
        self, username: str, password: str, service: str | None, http: HttpRequest | None = None
    ) -> LoginResult:
        if self.profile.users.get(username) != password:
            return LoginResult(View.LOGIN_FORM, 401, message=BAD_CREDENTIALS)
        return self._decide(LoginRequest(username, service, http or HttpRequest()), tgc=None, sso=None)

    def sso(
        self,
        tgc: str | None,
        service: str | None,
        http: HttpRequest | None = None,
        renew: bool = False,
        gateway: bool = False,
    ) -> LoginResult:
        """A visit with the browser's ticket-granting cookie: SSO, step-up, or the login form again.

        ``renew`` asks for credentials whatever the session; ``gateway`` without a session sends the
        browser back to the service without a ticket (CAS protocol 2.1.1; renew wins over gateway).
        """
        session = self._sessions.get(tgc or "")
        if renew:
            return LoginResult(View.LOGIN_FORM, 200, tgc=tgc if session else None)
        if session is None:
            if gateway and service:
                return LoginResult(View.GATEWAY_REDIRECT, 302)
            return LoginResult(View.LOGIN_FORM, 200)
        return self._decide(
            LoginRequest(session.principal, service, http or HttpRequest()), tgc=tgc, sso=session
        )

    def _decide(self, request: LoginRequest, *, tgc: str | None, sso: Authentication | None) -> LoginResult:
        decision = decide(
            self.profile, request, self.providers, self.rest, self.clock, sso=sso, devices=self.devices
        )
        return self._proceed(decision, request.service, tgc=tgc, request=request)

    def _proceed(
        self, decision: Decision, service: str | None, *, tgc: str | None, request: LoginRequest | None = None
    ) -> LoginResult:
        outcome = decision.outcome
        if outcome is Outcome.ERROR:
            if decision.service is None and service is not None:
                return LoginResult(
                    View.SERVICE_NOT_AUTHORIZED, 403, message=decision.message, decision=decision
                )
            return LoginResult(View.LOGIN_FORM, 401, message=decision.message, decision=decision)
        if outcome is Outcome.UNAVAILABLE:
            return LoginResult(
                View.MFA_UNAVAILABLE,
                200,
                provider=_id(decision),
                message=UNAVAILABLE_MESSAGE,
                decision=decision,
            )
        if outcome is Outcome.DENIED:
            return LoginResult(
                View.MFA_DENIED, 200, provider=_id(decision), message=DENIED_MESSAGE, decision=decision
            )
        if outcome is Outcome.MFA_REQUIRED and decision.choices:
            transaction = f"e{next(self._transactions)}s1"
            self._pending[transaction] = _Pending(decision, None, service, tgc, request)
            return LoginResult(
                View.PROVIDER_MENU,
                200,
                decision=decision,
                transaction=transaction,
                choices=tuple(p.id for p in decision.choices),
            )
        if outcome is Outcome.MFA_REQUIRED:
            assert decision.provider is not None
            transaction = f"e{next(self._transactions)}s1"
            self._pending[transaction] = _Pending(decision, decision.provider, service, tgc, request)
            return LoginResult(
                View.PROVIDER_FORM,
                # Duo's Universal Prompt is not a CAS page: CAS redirects the browser to Duo
                # (DuoSecurityUniversalPromptPrepareLoginAction).
                302 if decision.provider.kind.key == "duo" else 200,
                provider=decision.provider.id,
                decision=decision,
                transaction=transaction,
            )
        assert decision.authentication is not None
        if outcome is Outcome.SATISFIED or (tgc is not None and outcome is Outcome.NO_MFA):
            return self._issue(self._sessions[tgc or ""], service, decision, tgc, new_login=False)
        return self._finish(decision.authentication, service, decision, tgc)

    def logout(self, tgc: str | None) -> LoginResult:
        """``/logout``: the SSO session ends; its tickets already issued stay valid until used."""
        self._sessions.pop(tgc or "", None)
        return LoginResult(View.LOGGED_OUT, 200)

    def choose(self, transaction: str, provider_id: str) -> LoginResult:
        """The user's pick on the selection menu (``mfaProvider``)."""
        pending = self._pending.pop(transaction, None)
        if pending is None or pending.request is None:
            return LoginResult(View.LOGIN_FORM, 401, message=INVALID_REQUEST)
        decision = choose_provider(
            self.profile,
            pending.decision,
            provider_id,
            pending.request,
            self.providers,
            self.rest,
            self.devices,
            self.clock,
        )
        return self._proceed(decision, pending.service_url, tgc=pending.tgc, request=pending.request)

    def submit_token(self, transaction: str, token: str) -> LoginResult:
        pending = self._pending.get(transaction)
        if pending is None or pending.provider is None:
            return LoginResult(View.LOGIN_FORM, 401, message=INVALID_REQUEST)
        authentication = pending.decision.authentication
        assert authentication is not None
        if not self.providers.verify(pending.provider, authentication.principal, token):
            if pending.provider.kind.key == "duo":
                # A failed Duo callback ends on the unavailable view, not the form
                # (DuoSecurityMultifactorWebflowConfigurer).
                del self._pending[transaction]
                return LoginResult(
                    View.MFA_UNAVAILABLE,
                    200,
                    provider=pending.provider.id,
                    message=UNAVAILABLE_MESSAGE,
                    decision=pending.decision,
                )
            return LoginResult(
                View.PROVIDER_FORM,
                401,
                provider=pending.provider.id,
                message=BAD_CREDENTIALS,
                decision=pending.decision,
                transaction=transaction,
            )
        del self._pending[transaction]
        completed = complete_mfa(self.profile, authentication, pending.provider)
        return self._offer_trust(completed, pending)

    def _offer_trust(self, authentication: Authentication, pending: _Pending) -> LoginResult:
        """After the factor: register the device as trusted (asking the user, or on its own), or finish."""
        provider, request = pending.provider, pending.request
        if (
            provider is None
            or not provider.trusts_devices
            or request is None
            or trust_is_skipped(pending.decision.service, request)
        ):
            return self._finish(authentication, pending.service_url, pending.decision, pending.tgc)
        if self.profile.trusted.device_registration_enabled:
            transaction = f"e{next(self._transactions)}s1"
            self._registrations[transaction] = (authentication, pending)
            return LoginResult(
                View.REGISTER_DEVICE,
                200,
                provider=provider.id,
                decision=pending.decision,
                transaction=transaction,
            )
        return self._trust(authentication, pending, f"device-{secrets.token_hex(4)}", 0, "FOREVER")

    def register_device(
        self, transaction: str, name: str, expiration: int = 0, unit: str = "FOREVER"
    ) -> LoginResult:
        """The registration form (``deviceName``, ``expiration``, ``timeUnit``); a blank name skips."""
        found = self._registrations.pop(transaction, None)
        if found is None:
            return LoginResult(View.LOGIN_FORM, 401, message=INVALID_REQUEST)
        authentication, pending = found
        if not name.strip():
            return self._finish(authentication, pending.service_url, pending.decision, pending.tgc)
        return self._trust(authentication, pending, name.strip(), expiration, unit)

    def _trust(
        self, authentication: Authentication, pending: _Pending, name: str, expiration: int, unit: str
    ) -> LoginResult:
        assert pending.request is not None
        settings = self.profile.trusted
        http = pending.request.http
        cookies = dict(http.cookies)
        new_cookie = settings.cookie and not cookies.get(settings.cookie_name)
        if new_cookie:
            cookies[settings.cookie_name] = secrets.token_urlsafe(24)
        print_ = fingerprint(settings, replace(http, cookies=cookies)) or ""
        now = self.clock.now()
        self.devices.add(
            TrustedDevice(
                new_key(),
                authentication.principal,
                name,
                print_,
                f"{http.remote_addr}@{http.user_agent or ''}",
                now,
                expiry(now, expiration, unit),
            )
        )
        authentication = authentication.copy()
        authentication.replace(settings.context_attribute, True)
        result = self._finish(authentication, pending.service_url, pending.decision, pending.tgc)
        if new_cookie:
            result.cookies = {settings.cookie_name: cookies[settings.cookie_name]}
        return result

    def trusted_devices(self, principal: str | None = None) -> list[TrustedDevice]:
        """The ``multifactorTrustedDevices`` endpoint: every record, or one principal's."""
        return self.devices.all() if principal is None else self.devices.of(principal)

    def revoke_device(self, key: str) -> bool:
        return self.devices.remove(key)

    def validate(
        self, ticket: str | None, service: str | None, http: HttpRequest | None = None
    ) -> ValidationResult:
        if not ticket or not service:
            return ValidationResult(False, code="INVALID_REQUEST", description=INVALID_REQUEST)
        try:
            issued = self.tickets.consume(ticket, service)
        except TicketError as error:
            return ValidationResult(False, code=error.code, description=error.description)
        request = http or HttpRequest()
        if _is_true(next(iter(request.param_values("renew")), None)) and not issued.from_new_login:
            # Cas20ProtocolValidationSpecification: renew=true wants a ticket from a fresh login.
            return ValidationResult(
                False,
                code="INVALID_TICKET",
                description=f"Ticket '{ticket}' does not satisfy the validation specification: "
                "it was not issued from a login with credentials.",
            )
        registered = self.profile.find_service(service)
        authentication = issued.authentication.copy()
        check = check_context(
            self.profile,
            authentication,
            registered,
            service,
            request,
            self.providers,
            self.rest,
            self.clock,
        )
        if not check.success:
            return ValidationResult(
                False,
                code=check.code,
                description=f"The validation request for ['{service}'] cannot be satisfied. "
                "The request is either unrecognized or unfulfilled.",
            )
        attributes = released_attributes(
            self.profile,
            authentication,
            registered,
            check.context_id,
            new_login=issued.from_new_login,
            authentication_date=issued.issued,
        )
        return ValidationResult(True, user=authentication.principal, attributes=attributes)

    def _finish(
        self, authentication: Authentication, service: str | None, decision: Decision, tgc: str | None
    ) -> LoginResult:
        """A new or stepped-up authentication: the SSO session holds it from now on."""
        tgc = tgc or f"TGT-{next(self._transactions)}-{secrets.token_urlsafe(24)}"
        self._sessions[tgc] = authentication
        return self._issue(authentication, service, decision, tgc, new_login=True)

    def _issue(
        self,
        authentication: Authentication,
        service: str | None,
        decision: Decision,
        tgc: str | None,
        *,
        new_login: bool,
    ) -> LoginResult:
        if service is None:
            return LoginResult(View.LOGIN_SUCCESS, 200, decision=decision, tgc=tgc)
        ticket = self.tickets.issue(service, authentication, from_new_login=new_login)
        return LoginResult(
            View.REDIRECT_WITH_TICKET,
            302,
            ticket=ticket.id,
            provider=_id(decision),
            decision=decision,
            tgc=tgc,
        )


def _is_true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def _id(decision: Decision) -> str | None:
    return decision.provider.id if decision.provider else None
