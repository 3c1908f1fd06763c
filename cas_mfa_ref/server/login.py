"""``/cas/login`` and ``/cas/logout``: CAS's login webflow over HTTP, on InProcessCas.

A form's ``execution`` names the step the browser is at (Spring Webflow's flow execution key): for the
provider form, the selection menu and the device registration it is InProcessCas's transaction id. The
Duo Universal Prompt leaves CAS and comes back to ``/cas/login`` with ``duo_code`` and ``state``
(``DuoSecurityUniversalPromptValidateLoginAction``); ``state`` leads back to the transaction.
"""

from __future__ import annotations

from urllib.parse import urlencode

from duo_universal import DuoException
from werkzeug.urls import iri_to_uri
from werkzeug.wrappers import Request, Response

from cas_mfa_ref.engine.trusted import UNITS
from cas_mfa_ref.protocol.cas import LoginResult, View
from cas_mfa_ref.server import pages
from cas_mfa_ref.server.runtime import Runtime, Step

TGC = "TGC"  # cas.tgc.name
# A URL the browser is to be sent back to travels in a Location header: a control character there
# could split the response (Tomcat refuses such a header), so such a service is refused at once.
UNSENDABLE_SERVICE = "The service URL holds a control character; it cannot be a registered application."
COOKIE_PATH = "/cas"  # CAS's cookies are scoped to its context path
HTML = "text/html;charset=UTF-8"


def get(runtime: Runtime, request: Request) -> Response:
    """A visit: the Duo callback, the service check, then SSO (or the login form)."""
    if "duo_code" in request.args and "state" in request.args:
        return _duo_callback(runtime, request)
    service = request.args.get("service") or None
    if service is not None and not _sendable(service):
        return _html(400, pages.service_error(UNSENDABLE_SERVICE))
    if service is not None and runtime.profile.find_service(service) is None:
        # ServiceAuthorizationCheckAction refuses an unregistered service before any credentials.
        return _html(403, pages.service_error())
    http = runtime.http_request(request)
    result = runtime.cas.sso(
        request.cookies.get(TGC),
        service,
        http,
        renew=_true(request.args.get("renew")),
        gateway=_true(request.args.get("gateway")),
    )
    return respond(runtime, request, result, Step("login", service, runtime.login_params(request)))


def post(runtime: Runtime, request: Request) -> Response:
    """A form submitted: credentials, a token, a menu choice or a device registration."""
    execution = request.form.get("execution", "")
    step = runtime.executions.pop(execution)
    if step is None:
        # Spring Webflow cannot restore an unknown or expired execution: CAS starts over with the form.
        service = request.args.get("service") or None
        if service is not None and not _sendable(service):
            return _html(400, pages.service_error(UNSENDABLE_SERVICE))
        fresh = Step("login", service, runtime.login_params(request))
        return _login_form(runtime, fresh, 200, None)
    http = runtime.http_request(request, step.params)
    cas = runtime.cas
    if step.kind == "login":
        username = request.form.get("username", "")
        result = cas.login(username, request.form.get("password", ""), step.service, http)
        return respond(runtime, request, result, step, username=username)
    if step.kind == "provider":
        return respond(runtime, request, cas.submit_token(execution, request.form.get("token", "")), step)
    if step.kind == "menu":
        return respond(runtime, request, cas.choose(execution, request.form.get("mfaProvider", "")), step)
    if request.form.get("_eventId") == "skip":
        return respond(runtime, request, cas.register_device(execution, ""), step)
    unit = request.form.get("timeUnit", "FOREVER").strip().upper() or "FOREVER"
    try:
        expiration = int(request.form.get("expiration", "").strip() or "0")
    except ValueError:
        expiration = -1
    if unit not in UNITS or expiration < 0:
        # The form does not bind (MultifactorAuthenticationTrustRecord); it is shown again.
        runtime.executions.put(execution, step)
        return _html(400, pages.register_device(execution))
    result = cas.register_device(execution, request.form.get("deviceName", ""), expiration, unit)
    return respond(runtime, request, result, step)


def logout(runtime: Runtime, request: Request) -> Response:
    """The SSO session ends and the TGC is deleted; the logout view (no redirect: CAS's
    ``cas.logout.follow-service-redirects`` is false by default)."""
    runtime.cas.logout(request.cookies.get(TGC))
    response = _html(200, pages.logout())
    response.delete_cookie(TGC, path=COOKIE_PATH, httponly=True)
    return response


def respond(
    runtime: Runtime, request: Request, result: LoginResult, step: Step, *, username: str = ""
) -> Response:
    """The HTTP answer for one step of the login, with the cookies the browser is given."""
    response = _view(runtime, result, step, username)
    if result.tgc and result.tgc != request.cookies.get(TGC):
        response.set_cookie(TGC, result.tgc, path=COOKIE_PATH, httponly=True)
    for name, value in result.cookies.items():
        response.set_cookie(name, value, path=COOKIE_PATH, httponly=True)
    return response


def _view(runtime: Runtime, result: LoginResult, step: Step, username: str) -> Response:
    view, transaction = result.view, result.transaction or ""
    if view is View.REDIRECT_WITH_TICKET:
        return _redirect(_with_parameter(step.service or "", "ticket", result.ticket or ""))
    if view is View.GATEWAY_REDIRECT:
        return _redirect(step.service or "")
    if view is View.LOGIN_SUCCESS:
        authentication = result.decision.authentication if result.decision else None
        return _html(200, pages.generic_success(authentication.principal if authentication else username))
    if view is View.LOGIN_FORM:
        return _login_form(runtime, step, result.status, result.message, username)
    if view is View.PROVIDER_FORM:
        provider = runtime.profile.provider(result.provider or "")
        kind = provider.kind.key if provider else ""
        runtime.executions.put(transaction, Step("provider", step.service, step.params))
        if kind == "duo":
            return _duo_redirect(runtime, result, transaction)
        return _html(
            result.status, pages.provider_form(kind, result.provider or "", transaction, result.message)
        )
    if view is View.PROVIDER_MENU:
        runtime.executions.put(transaction, Step("menu", step.service, step.params))
        return _html(result.status, pages.provider_menu(transaction, result.choices))
    if view is View.REGISTER_DEVICE:
        runtime.executions.put(transaction, Step("register", step.service, step.params))
        return _html(result.status, pages.register_device(transaction))
    if view is View.MFA_UNAVAILABLE:
        return _html(result.status, pages.mfa_unavailable())
    if view is View.MFA_DENIED:
        return _html(result.status, pages.mfa_denied())
    if view is View.SERVICE_NOT_AUTHORIZED:
        return _html(403, pages.service_error())
    return _html(200, pages.logout())


def _login_form(
    runtime: Runtime, step: Step, status: int, message: str | None, username: str = ""
) -> Response:
    execution = runtime.executions.new_login(step.service, step.params)
    return _html(status, pages.login_form(execution, message, username))


def _duo_redirect(runtime: Runtime, result: LoginResult, transaction: str) -> Response:
    """DuoSecurityUniversalPromptPrepareLoginAction: off to Duo's authorization endpoint."""
    authentication = result.decision.authentication if result.decision else None
    if authentication is None:
        return _html(200, pages.mfa_unavailable())
    state = runtime.executions.duo_state(transaction)
    try:
        url = runtime.reference.duo_authorization_url(result.provider or "", authentication.principal, state)
    except (DuoException, ValueError):
        return _html(200, pages.mfa_unavailable())
    return _redirect(url)


def _duo_callback(runtime: Runtime, request: Request) -> Response:
    """Duo's answer: the ``state`` names the transaction, the ``duo_code`` is the factor. An unknown state
    is the action's error event, which ends on the unavailable view as a failed exchange does."""
    transaction = runtime.executions.duo_transaction(request.args.get("state", ""))
    step = runtime.executions.pop(transaction) if transaction else None
    if transaction is None or step is None:
        return _html(200, pages.mfa_unavailable())
    result = runtime.cas.submit_token(transaction, request.args.get("duo_code", ""))
    return respond(runtime, request, result, step)


def _with_parameter(url: str, name: str, value: str) -> str:
    """The service URL with one more query parameter, before any fragment (CAS keeps the query string)."""
    base, hash_sign, fragment = url.partition("#")
    separator = "" if base.endswith(("?", "&")) else ("&" if "?" in base else "?")
    return f"{base}{separator}{urlencode({name: value})}{hash_sign}{fragment}"


def _redirect(location: str) -> Response:
    # A header carries Latin-1 only: a URL with other characters goes as its URI form (RFC 3987 3.1).
    sendable = location if location.isascii() else iri_to_uri(location)
    return Response(status=302, headers={"Location": sendable})


def _html(status: int, body: str) -> Response:
    return Response(body, status=status, content_type=HTML)


def _true(value: str | None) -> bool:
    """``renew``/``gateway`` as CAS reads them: ``Boolean.parseBoolean`` of the parameter."""
    return (value or "").strip().lower() == "true"


def _sendable(url: str) -> bool:
    return not any(ord(c) < 0x20 or ord(c) == 0x7F for c in url)
