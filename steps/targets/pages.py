"""Reading CAS's pages as a browser sees them, by the markers of CAS 7's own Thymeleaf templates.

Every view is recognised by what CAS's templates (support/cas-server-support-thymeleaf, templates/) put
in the page, never by wording a deployment may localise or theme away where a structural marker exists:

| view | template | marker |
|---|---|---|
| login form | login/casLoginView.html (fragments/loginform) | ``form#fm1`` with ``username`` |
| provider menu | mfa/casCompositeMfaProviderSelectionView | ``form#fm-<provider>`` with ``mfaProvider`` |
| YubiKey | yubikey/casYubiKeyLoginView | ``form#yubiKeyForm`` with ``token`` |
| Google Authenticator | gauth/casGoogleAuthenticatorLoginView | ``form#fm1``: ``token`` and ``accountId`` |
| CAS Simple | simple-mfa/casSimpleMfaLoginView | ``form#fm1``: ``token``, ``_eventId`` or ``#resendButton`` |
| RADIUS | radius/casRadiusLoginView | ``form#fm1``: ``token`` and ``_eventId_submit`` only |
| trusted device | mfa-trusted-devices/casMfaRegisterDeviceView | ``form#registerform`` with ``deviceName`` |
| unavailable | mfa/casMfaUnavailableView | an ``h2`` "MFA Provider Unavailable" |
| denied | mfa/casMfaDeniedView | a danger banner whose ``h2``/``p`` says the attempt is denied |
| service refused | error/casServiceErrorView | an ``h2`` "Application Not Authorized to Use CAS" |
| logged in | login/casGenericSuccessView | ``span#principalId`` |
| logged out | logout/casLogoutView | ``#logoutBody`` or ``#logoutMessage`` |

A CAS protocol server that is not Apereo CAS keeps none of these ids. After CAS's own markers, forms
are found by their structure (:mod:`steps.targets.forms`): a form with one password input and a text or
email input is the login form, whatever its fields are called (django-cas-server's ``username``,
LemonLDAP::NG's ``user``); a form whose one text input looks like a code is a second-factor prompt. Its
error is in a danger banner or a Bootstrap ``.alert-danger``; a heading "Log In Successful" or "Logout
successful" (CAS's English ``screen.success.header`` and ``screen.logout.header``) is the logged-in or
logged-out view. The target file may add texts that mark a view (``[driver.markers]``: another language,
another product) and override the forms' selectors and field names.

Anything else is an unrecognised page: the observation names its title and first text, so a scenario
fails with something a person can read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

from steps.targets.base import (
    VIEW_LOGGED_OUT,
    VIEW_LOGIN_FORM,
    VIEW_LOGIN_SUCCESS,
    VIEW_MFA_DENIED,
    VIEW_MFA_UNAVAILABLE,
    VIEW_PROVIDER_FORM,
    VIEW_PROVIDER_MENU,
    VIEW_REGISTER_DEVICE,
    VIEW_SERVICE_REFUSED,
)
from steps.targets.driversettings import DriverSettings
from steps.targets.forms import FoundForm, code_form, login_form

VIEW_UNRECOGNISED = "unrecognised-page"
UNAVAILABLE_HEADING = "MFA Provider Unavailable"
SERVICE_ERROR_HEADING = "Application Not Authorized to Use CAS"
SUCCESS_HEADING = "Log In Successful"  # screen.success.header
LOGOUT_HEADING = "Logout successful"  # screen.logout.header
EXCERPT = 200


@dataclass(frozen=True)
class Form:
    """A form as a browser would submit it: where, how, and its fields' current values."""

    id: str
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    view: str
    title: str
    text: str  # the first readable text of the page, shortened
    provider: str | None = None
    message: str | None = None
    choices: tuple[str, ...] = ()
    forms: dict[str, Form] = field(default_factory=dict)
    form: Form | None = None  # the form the view is about (login, provider, registration)
    found: FoundForm | None = field(default=None, compare=False)  # the login or code form, to complete

    def describe(self) -> str:
        return f"{self.title or '(no title)'}: {self.text}" if self.text else self.title or "(empty page)"


def read_page(html: str, settings: DriverSettings | None = None) -> Page:
    settings = settings or DriverSettings()
    soup = BeautifulSoup(html, "html.parser")
    title = _text(soup.title) if soup.title else ""
    forms = {form.id: form for form in (_form(tag) for tag in soup.find_all("form")) if form.id}
    full_text = _text(soup.body or soup)
    text = _excerpt(soup)

    def page(view: str, **kwargs: object) -> Page:
        return Page(view, title, text, forms=forms, **kwargs)  # type: ignore[arg-type]

    def login(found: FoundForm) -> Page:
        return page(VIEW_LOGIN_FORM, message=_errors(soup, settings), form=_form(found.tag), found=found)

    def prompt(found: FoundForm, provider: str | None = None) -> Page:
        return page(
            VIEW_PROVIDER_FORM,
            provider=provider,
            message=_errors(soup, settings),
            form=_form(found.tag),
            found=found,
        )

    if settings.login_form and (overridden := login_form(soup, settings)) is not None:
        return login(overridden)
    if settings.code_form and (overridden := code_form(soup, settings)) is not None:
        return prompt(overridden)
    menu = tuple(
        form.fields["mfaProvider"]
        for form_id, form in forms.items()
        if form_id.startswith("fm-") and "mfaProvider" in form.fields
    )
    if menu:
        return page(VIEW_PROVIDER_MENU, choices=tuple(c for c in menu if c != "none"))
    yubikey = soup.find("form", id="yubiKeyForm")
    if isinstance(yubikey, Tag) and yubikey.select_one('[name="token"]') is not None:
        return prompt(FoundForm(yubikey, code_field="token"), "mfa-yubikey")
    if "registerform" in forms and _has_input(soup, "registerform", "deviceName"):
        return page(VIEW_REGISTER_DEVICE, form=forms["registerform"])
    fm1 = soup.find("form", id="fm1")
    if isinstance(fm1, Tag) and "fm1" in forms:
        if fm1.select_one('[name="username"]') is not None:
            return login(FoundForm(fm1, user_field="username", password_field="password"))
        if fm1.select_one('[name="token"]') is not None:
            return prompt(FoundForm(fm1, code_field="token"), _token_provider(soup, fm1))
    found_login = login_form(soup, settings)
    if found_login is not None:
        return login(found_login)
    headings = [_text(h) for h in soup.find_all(["h1", "h2", "h3"])]
    marked = _marked(full_text, settings)
    if any(h.lower() == UNAVAILABLE_HEADING.lower() for h in headings) or marked == VIEW_MFA_UNAVAILABLE:
        return page(VIEW_MFA_UNAVAILABLE, provider=None, message=_banner_message(soup, UNAVAILABLE_HEADING))
    if any(h.lower() == SERVICE_ERROR_HEADING.lower() for h in headings) or marked == VIEW_SERVICE_REFUSED:
        # The heading names the refusal on every CAS (the reference's message too); the text below it is
        # each deployment's own wording.
        return page(VIEW_SERVICE_REFUSED, message=SERVICE_ERROR_HEADING)
    denied = _denied_banner(soup)
    if denied is not None or marked == VIEW_MFA_DENIED:
        return page(VIEW_MFA_DENIED, message=denied or full_text[:EXCERPT])
    found_code = code_form(soup, settings)
    if found_code is not None:
        return prompt(found_code)
    if soup.find(id="principalId") is not None or SUCCESS_HEADING.lower() in map(str.lower, headings):
        return page(VIEW_LOGIN_SUCCESS)
    if soup.find(id="logoutBody") is not None or soup.find(id="logoutMessage") is not None:
        return page(VIEW_LOGGED_OUT)
    if LOGOUT_HEADING.lower() in map(str.lower, headings) or marked == VIEW_LOGGED_OUT:
        return page(VIEW_LOGGED_OUT)
    return page(VIEW_UNRECOGNISED, message=f"unrecognised page: {title or '(no title)'}: {text}")


def _marked(text: str, settings: DriverSettings) -> str | None:
    """The view whose target-file markers the page's text shows (login-form markers are errors, not views)."""
    folded = text.lower()
    for view, markers in settings.markers.items():
        if view not in (VIEW_LOGIN_FORM, VIEW_PROVIDER_FORM) and any(m.lower() in folded for m in markers):
            return view
    return None


def _token_provider(soup: BeautifulSoup, form: Tag) -> str:
    """Which provider's ``form#fm1`` with a ``token`` field this is: the templates differ in their extras."""
    if form.select_one('[name="accountId"]') is not None:
        return "mfa-gauth"
    if soup.find(id="resendButton") is not None or form.select_one('[name="_eventId"]') is not None:
        return "mfa-simple"
    return "mfa-radius"  # casRadiusLoginView: ``token`` with the hidden ``_eventId_submit``


def _form(tag: Tag) -> Form:
    fields: dict[str, str] = {}
    for control in tag.find_all(["input", "select", "textarea"]):
        name = control.get("name")
        if not isinstance(name, str) or not name:
            continue
        if control.name == "select":
            chosen = control.find("option", selected=True) or control.find("option")
            value = chosen.get("value") if isinstance(chosen, Tag) else ""
            fields[name] = value if isinstance(value, str) else ""
        elif control.name == "textarea":
            fields[name] = control.get_text()
        else:
            kind = str(control.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and not control.has_attr("checked"):
                continue
            if kind in ("submit", "button", "image", "reset"):
                continue
            value = control.get("value")
            fields[name] = value if isinstance(value, str) else ""
    identifier = tag.get("id") or tag.get("name") or ""
    action = tag.get("action") or ""
    method = tag.get("method") or "get"
    return Form(str(identifier), str(action), str(method).lower(), fields)


def _has_input(soup: BeautifulSoup, form_id: str, name: str) -> bool:
    form = soup.find("form", id=form_id)
    return isinstance(form, Tag) and form.select_one(f'[name="{name}"]') is not None


def _errors(soup: BeautifulSoup, settings: DriverSettings) -> str | None:
    """The error banner of a form view (``#loginErrorsPanel``, a danger banner or alert), or a text the
    target file marks as an error of the login or code form."""
    text = _text(soup.body or soup).lower()
    for view in (VIEW_LOGIN_FORM, VIEW_PROVIDER_FORM):
        for marker in settings.markers.get(view, ()):
            if marker.lower() in text:
                return marker
    panel = soup.find(id="loginErrorsPanel")
    if not isinstance(panel, Tag):
        panel = soup.find(class_="banner-danger")
    if not isinstance(panel, Tag):
        panel = soup.find(class_="alert-danger")  # Bootstrap's alerts (django-cas-server, LemonLDAP::NG)
    if not isinstance(panel, Tag):
        return None
    parts = [_text(p) for p in panel.find_all(["p", "span"]) if _text(p)]
    text = " ".join(parts) if parts else _text(panel)
    return text.strip() or None


def _banner_message(soup: BeautifulSoup, heading: str) -> str | None:
    for h in soup.find_all(["h2", "h1"]):
        if _text(h).lower() == heading.lower():
            container = h.parent
            paragraph = container.find("p") if isinstance(container, Tag) else None
            return _text(paragraph) if isinstance(paragraph, Tag) else None
    return None


def _denied_banner(soup: BeautifulSoup) -> str | None:
    """casMfaDeniedView: a danger banner whose heading or message says the MFA attempt is denied."""
    for banner in soup.find_all(class_="banner-danger"):
        heading = banner.find("h2")
        paragraph = banner.find("p")
        said = " ".join(_text(t) for t in (heading, paragraph) if isinstance(t, Tag))
        if re.search(r"\bdenied\b", said, re.IGNORECASE):
            return _text(paragraph) if isinstance(paragraph, Tag) else said
    return None


def _text(tag: object) -> str:
    if not isinstance(tag, Tag):
        return ""
    return re.sub(r"\s+", " ", tag.get_text(" ", strip=True)).strip()


def _excerpt(soup: BeautifulSoup) -> str:
    body = soup.body or soup
    for hidden in body.find_all(["script", "style", "noscript"]):
        hidden.decompose()
    text = re.sub(r"\s+", " ", body.get_text(" ", strip=True)).strip()
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"
