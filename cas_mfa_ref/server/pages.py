"""CAS 7's login views as HTML: the same form ids, field names, hidden inputs and headings as the Thymeleaf
templates of ``support/cas-server-support-thymeleaf/src/main/resources/templates/`` (English messages from
that module's ``messages.properties``), so a client that recognises a real CAS's pages recognises these.

Only the markers are copied; styling, scripts and the layout decoration are left out. docs/http-pages.md
lists, per view, what is emitted and the template it comes from.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from cas_mfa_ref.protocol.results import DENIED_MESSAGE, UNAVAILABLE_MESSAGE

# messages.properties keys, English values
LOGIN_INSTRUCTIONS = "Enter Username &amp; Password"  # screen.welcome.instructions (HTML as CAS writes it)
LOGIN_BUTTON = "LOGIN"  # screen.welcome.button.login
SUCCESS_HEADER = "Log In Successful"  # screen.success.header
LOGOUT_HEADER = "Logout successful"  # screen.logout.header
SERVICE_ERROR_HEADER = "Application Not Authorized to Use CAS"  # screen.service.error.header
SERVICE_ERROR_MESSAGE = (  # screen.service.error.message
    "The application you attempted to authenticate to is not authorized to use CAS. This usually "
    "indicates that the application is not registered with CAS, or its authorization policy defined in its "
    "registration record prevents it from leveraging CAS functionality, or it's malformed and unrecognized "
    "by CAS. Contact your CAS administrator to learn how you might register and integrate your application "
    "with CAS."
)
UNAVAILABLE_HEADING = "MFA Provider Unavailable"  # screen.mfaUnavailable.heading
DENIED_HEADING = "MFA attempt has been denied by provider"  # screen.mfaDenied.heading
SELECTION_TITLE = "Multifactor Authentication Provider Selection"  # cas.mfa.providerselection.title
REGISTER_TITLE = "Register Device"  # cas.mfa.registerdevice.label.title
REGISTER_INTRO = "Please name the current device."  # cas.mfa.registerdevice.label.intro
YUBIKEY_HEADING = "Use your registered YubiKey device to authenticate."  # cas.mfa.yubikey.authenticate
TIME_UNITS = ("SECONDS", "MINUTES", "HOURS", "DAYS", "WEEKS", "MONTHS", "YEARS", "FOREVER")

# cas.mfa.providerselection.<id> (and the page titles of each provider's view)
PROVIDER_NAMES = {
    "mfa-duo": "Duo Security",
    "mfa-gauth": "Google Authenticator",
    "mfa-simple": "CAS Multifactor Authentication",
    "mfa-yubikey": "YubiKey Multifactor Authentication",
    "mfa-radius": "RADIUS Multifactor Authentication",
    "mfa-webauthn": "FIDO2 WebAuthn Multifactor Authentication",
}


def _page(title: str, content: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="UTF-8"/>\n'
        f"<title>{escape(title)}</title>\n</head>\n<body>\n"
        f'<main role="main" class="container mt-3 mb-3">\n{content}\n</main>\n</body>\n</html>\n'
    )


def _hidden(name: str, value: str | None = None, element_id: str | None = None) -> str:
    attributes = f' id="{escape(element_id)}"' if element_id else ""
    shown = "" if value is None else f' value="{escape(value)}"'
    return f'<input type="hidden"{attributes} name="{escape(name)}"{shown}/>'


def _errors(panel_id: str | None, message: str | None, css: str = "banner banner-danger") -> str:
    if not message:
        return ""
    attributes = f' id="{panel_id}"' if panel_id else ""
    return f'<div{attributes} class="{css}"><p>{escape(message)}</p></div>'


def login_form(execution: str, message: str | None = None, username: str = "") -> str:
    """``login/casLoginView.html`` with ``fragments/loginform.html``: form ``fm1``."""
    content = (
        '<div class="form-wrapper">\n'
        '<form method="post" id="fm1" action="login">\n'
        '<span id="login-form-controls">\n'
        '<h3 class="text-center"><i class="mdi mdi-security"></i>'
        f"<span>{LOGIN_INSTRUCTIONS}</span></h3>\n"
        f"{_errors('loginErrorsPanel', message, 'banner banner-danger banner-dismissible')}\n"
        '<section class="cas-field my-3" id="usernameSection">'
        '<label for="username">Username:</label>'
        f'<input id="username" name="username" type="text" size="25" value="{escape(username)}" '
        'autocapitalize="none" spellcheck="false" autocomplete="username" required/></section>\n'
        '<section class="cas-field my-3" id="passwordSection">'
        '<label for="password">Password:</label>'
        '<input id="password" name="password" type="password" size="25" autocomplete="off" required/>'
        "</section>\n"
        '<section class="cas-field">'
        f"{_hidden('execution', execution)}{_hidden('_eventId', 'submit')}{_hidden('geolocation')}"
        "</section>\n"
        f'<button class="mdc-button mdc-button--raised" type="submit" name="submitBtn" accesskey="l" '
        f'value="{LOGIN_BUTTON}">{LOGIN_BUTTON}</button>\n'
        "</span>\n</form>\n</div>"
    )
    return _page("Login", f'<div id="loginForm" class="login-section login-form card-body">{content}</div>')


def _token_submit(execution: str) -> str:
    """The hidden inputs of the YubiKey, RADIUS and Google Authenticator forms (Spring's button event)."""
    return f"{_hidden('_eventId_submit', 'Login')}{_hidden('execution', execution)}{_hidden('geolocation')}"


def _token_input(label: str) -> str:
    return (
        '<section class="cas-field my-3">'
        f'<label for="token">{escape(label)}</label>'
        '<input type="password" name="token" id="token" size="25" autocomplete="off" required/>'
        "</section>\n"
    )


def provider_form(kind: str, provider_id: str, execution: str, message: str | None = None) -> str:
    """The provider's token view: ``yubikey/casYubiKeyLoginView.html`` (form ``yubiKeyForm``),
    ``radius/casRadiusLoginView.html``, ``gauth/casGoogleAuthenticatorLoginView.html`` and
    ``simple-mfa/casSimpleMfaLoginView.html`` (form ``fm1`` with ``token``); any other module gets the
    simple view's shape."""
    if kind == "yubikey":
        form = (
            '<form method="post" id="yubiKeyForm" action="login">\n'
            f"<h3>{YUBIKEY_HEADING}</h3>\n{_errors(None, message, 'banner banner-danger my-2')}\n"
            f"{_token_input('Password:')}"
            '<button class="mdc-button mdc-button--raised" accesskey="l" type="submit">Login</button>\n'
            f"{_token_submit(execution)}\n"
            "</form>"
        )
        return _page("YubiKey Authentication", f'<div id="login" class="mdc-card p-4 m-auto">{form}</div>')
    if kind == "radius":
        form = (
            '<form method="post" id="fm1" class="fm-v clearfix" action="login">\n'
            f"{_errors(None, message, 'banner banner-danger alert alert-danger')}\n"
            f"{_token_input('Password:')}"
            '<button class="mdc-button mdc-button--raised btn btn-primary" accesskey="s">Login</button>\n'
            f"{_token_submit(execution)}\n"
            "</form>"
        )
        return _page("Radius Authentication", f'<div id="login" class="mdc-card p-4 m-auto">{form}</div>')
    if kind == "gauth":
        form = (
            '<form method="post" id="fm1" action="login">\n'
            f"{_errors('msg', message, 'banner banner-danger my-2')}\n"
            f"{_token_submit(execution)}\n"
            f"{_hidden('accountId', '', 'accountId')}\n{_token_input('Token:')}"
            '<button id="login" class="mdc-button mdc-button--raised" accesskey="l">Login</button>\n'
            "</form>"
        )
        return _page("Google Authenticator", f'<div id="login" class="mdc-card p-4 m-auto">{form}</div>')
    form = (
        '<form method="post" id="fm1" action="login">\n'
        f"{_errors(None, message, 'banner banner-danger alert alert-danger my-2')}\n"
        f"{_token_input('Token:')}"
        '<div class="d-flex"><button id="loginButton" class="mdc-button mdc-button--raised me-2" '
        'accesskey="s">Login</button></div>\n'
        f"{_hidden('_eventId', 'submit', 'eventId')}{_hidden('execution', execution)}"
        f"{_hidden('geolocation')}\n"
        "</form>"
    )
    title = PROVIDER_NAMES.get(provider_id, "CAS Multifactor Authentication Login")
    return _page(title, f'<div id="login" class="mdc-card p-4 m-auto">{form}</div>')


def provider_menu(execution: str, providers: Sequence[str]) -> str:
    """``mfa/casCompositeMfaProviderSelectionView.html``: one form ``fm-<id>`` per provider."""
    entries = []
    for provider in providers:
        name = PROVIDER_NAMES.get(provider, provider)
        entries.append(
            f'<div id="{escape(provider)}" class="border-bottom py-4">\n'
            f'<form name="fm-{escape(provider)}" id="fm-{escape(provider)}" method="post" action="login">\n'
            f'<h3 class="d-flex align-items-center"><span>{escape(name)}</span></h3>\n'
            f'<button id="btn-{escape(provider)}" class="mdc-button mdc-button--raised" value="Use">'
            '<span class="mdc-button__label">Use</span></button>\n'
            f"{_hidden('execution', execution)}{_hidden('mfaProvider', provider)}"
            f"{_hidden('_eventId', 'submit')}\n"
            "</form>\n</div>"
        )
    content = (
        f'<h2 class="card-title">{SELECTION_TITLE}</h2>\n<hr/>\n<div class="card-text">\n'
        + "\n".join(entries)
        + '\n<a class="mdc-button" id="cancel" name="cancel" href="login">'
        '<span class="mdc-button__label">Cancel</span></a>\n</div>'
    )
    return _page("Multifactor Provider Selection", f'<div class="mdc-card card p-4 m-auto">{content}</div>')


def register_device(execution: str) -> str:
    """``mfa-trusted-devices/casMfaRegisterDeviceView.html``: form ``registerform``."""
    options = "".join(f'<option value="{unit}">{unit.title()}</option>' for unit in TIME_UNITS)
    content = (
        f"<h2>{REGISTER_TITLE}</h2>\n<p>{REGISTER_INTRO}</p>\n"
        '<form method="post" id="registerform" action="login">\n'
        '<label for="deviceName">Name</label>'
        '<input type="text" name="deviceName" id="deviceName" size="25" autocomplete="off" required/>\n'
        "<div><p>How long should we remember this device?</p></div>\n"
        '<div id="expirationField"><label for="expiration">Expiration</label>'
        '<input type="number" name="expiration" id="expiration" autocomplete="off" required/></div>\n'
        f'<select name="timeUnit" id="timeUnit" aria-label="Expiration time unit">{options}</select>\n'
        '<div class="d-flex mt-3"><button class="mdc-button mdc-button--raised">Register</button>'
        '<button class="mdc-button mdc-button--raised" formnovalidate '
        """onclick="$('#eventId').val('skip');">Skip</button></div>\n"""
        f"{_hidden('_eventId', 'submit', 'eventId')}{_hidden('geolocation')}"
        f"{_hidden('execution', execution)}\n"
        "</form>"
    )
    return _page(
        "CAS MFA Register Device View", f'<div id="login" class="mdc-card card p-4 m-auto">{content}</div>'
    )


def _banner(heading: str, message: str) -> str:
    return (
        '<div class="banner banner-danger alert alert-danger mdc-card card p-4 m-auto">\n'
        f"<h2>{escape(heading)}</h2>\n<p>{escape(message)}</p>\n</div>"
    )


def mfa_unavailable() -> str:
    """``mfa/casMfaUnavailableView.html``."""
    return _page("MFA Provider Unavailable", _banner(UNAVAILABLE_HEADING, UNAVAILABLE_MESSAGE))


def mfa_denied() -> str:
    """``mfa/casMfaDeniedView.html``."""
    return _page(DENIED_HEADING, _banner(DENIED_HEADING, DENIED_MESSAGE))


def service_error(message: str | None = None) -> str:
    """``error/casServiceErrorView.html``: the registry has no service for the URL."""
    return _page(SERVICE_ERROR_HEADER, _banner(SERVICE_ERROR_HEADER, message or SERVICE_ERROR_MESSAGE))


def generic_success(principal: str) -> str:
    """``casGenericSuccessView.html``: logged in, but no service to go to."""
    content = (
        '<div class="w-100 m-auto mdc-card p-4">\n'
        f'<h2><i class="mdi mdi-door-open"></i><span>{SUCCESS_HEADER}</span></h2>\n'
        f"<p>You, <strong>{escape(principal)}</strong>, have successfully logged into the Central "
        "Authentication Service. However, you are seeing this page because CAS does not know about your "
        "target destination and how to get you there. Examine the authentication request again and make "
        "sure a target service/application that is authorized and registered with CAS is specified.</p>\n"
        '<p>When you are finished, for security reasons, please <a href="logout">log out</a> and exit your '
        "web browser.</p>\n</div>"
    )
    return _page(SUCCESS_HEADER, content)


def logout() -> str:
    """``logout/casLogoutView.html``."""
    content = (
        '<div class="w-100 m-auto mdc-card card p-4"><div id="logoutBody" class="card-body">\n'
        '<h2 class="banner-heading"><i class="mdi mdi-logout" aria-hidden="true"></i>'
        f"<span>{LOGOUT_HEADER}</span></h2>\n"
        '<p id="logoutMessage" class="banner-message">You have successfully logged out of the Central '
        'Authentication Service. You may <a href="login">log in</a> again.</p>\n'
        '<p class="banner-message">For security reasons, exit your web browser.</p>\n</div></div>'
    )
    return _page(LOGOUT_HEADER, content)
