"""Forms found by their structure, whatever a product names its fields.

A login form is a form with one password input and a text or email input (``username``, ``user``,
``login``, ``j_username``, ``email`` ...); a second-factor form is a form without a password input whose
one visible text input looks like a code (its name, ``autocomplete="one-time-code"`` or a numeric
``inputmode``). The target file's ``[driver]`` overrides either with a CSS selector and field names.
Filling and submitting is MechanicalSoup's: hidden inputs (``execution``, ``lt``, CSRF tokens) travel
back, the pressed button's name and value are sent, and the form's action is resolved against the page's
URL as a browser does (empty or ``#`` posts to the page's URL with its query).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import mechanicalsoup
from bs4 import BeautifulSoup, Tag
from soupsieve import SelectorSyntaxError

from steps.targets.driversettings import DriverSettings

TEXT_TYPES = ("text", "email", "tel", "number", "")
# Names a code field goes by across products (CAS's token, LemonLDAP::NG's code, Keycloak's otp ...).
CODE_NAME = re.compile(r"code|token|otp|passcode|pin|totp|2fa|mfa|verification", re.IGNORECASE)
USERNAME_NAMES = ("username", "user", "login", "j_username", "email", "uid", "userid", "name")


@dataclass(frozen=True)
class FoundForm:
    """A form the driver can complete: the tag and the names of the fields it fills."""

    tag: Tag
    user_field: str | None = None
    password_field: str | None = None
    code_field: str | None = None


def _visible_inputs(form: Tag) -> list[Tag]:
    found: list[Tag] = []
    for control in form.find_all("input"):
        if not isinstance(control, Tag) or not control.get("name") or control.has_attr("disabled"):
            continue
        kind = str(control.get("type") or "").lower()
        if kind in ("hidden", "submit", "button", "image", "reset", "checkbox", "radio", "file"):
            continue
        found.append(control)
    return found


def _kind(control: Tag) -> str:
    return str(control.get("type") or "").lower()


def login_form(soup: BeautifulSoup, settings: DriverSettings) -> FoundForm | None:
    """The page's login form: the override's selector, else the first form shaped like one."""
    candidates = soup.select(settings.login_form) if settings.login_form else soup.find_all("form")
    for form in candidates:
        if not isinstance(form, Tag):
            continue
        inputs = _visible_inputs(form)
        passwords = [c for c in inputs if _kind(c) == "password"]
        texts = [c for c in inputs if _kind(c) in TEXT_TYPES]
        password = _named(form, settings.password_field) or (passwords[0] if len(passwords) == 1 else None)
        user = _named(form, settings.username_field) or _username(texts)
        if password is not None and user is not None:
            return FoundForm(form, user_field=str(user["name"]), password_field=str(password["name"]))
    return None


def code_form(soup: BeautifulSoup, settings: DriverSettings) -> FoundForm | None:
    """The page's second-factor form: the override's selector, else a form without a password input whose
    one visible text input looks like a code."""
    candidates = soup.select(settings.code_form) if settings.code_form else soup.find_all("form")
    for form in candidates:
        if not isinstance(form, Tag):
            continue
        named = _named(form, settings.code_field)
        if named is not None:
            return FoundForm(form, code_field=str(named["name"]))
        inputs = _visible_inputs(form)
        if any(_kind(c) == "password" for c in inputs) and not settings.code_form:
            continue
        texts = [c for c in inputs if _kind(c) in (*TEXT_TYPES, "password")]
        if len(texts) == 1 and (settings.code_form or _looks_like_code(texts[0])):
            return FoundForm(form, code_field=str(texts[0]["name"]))
    return None


def _named(form: Tag, name: str | None) -> Tag | None:
    if not name:
        return None
    found = form.find(["input", "textarea"], attrs={"name": name})
    return found if isinstance(found, Tag) else None


def _username(texts: list[Tag]) -> Tag | None:
    if len(texts) == 1:
        return texts[0]
    for wanted in USERNAME_NAMES:
        for control in texts:
            if str(control.get("name")).lower() == wanted:
                return control
    return None


def _looks_like_code(control: Tag) -> bool:
    hints = " ".join(str(control.get(a) or "") for a in ("name", "id", "autocomplete", "placeholder"))
    inputmode = str(control.get("inputmode") or "").lower()
    return bool(CODE_NAME.search(hints)) or inputmode == "numeric" or "one-time-code" in hints


def pressed_button(form: Tag, wanted: str | None) -> Tag | None:
    """The submit button a person presses: the one named by the override (its name, label or a CSS
    selector), else the form's first submit button; None when the form has none (Enter submits)."""
    buttons = [
        tag
        for tag in form.find_all(["button", "input"])
        if isinstance(tag, Tag)
        and (
            (tag.name == "button" and str(tag.get("type") or "submit").lower() == "submit")
            or (tag.name == "input" and _kind(tag) in ("submit", "image"))
        )
    ]
    if wanted:
        for tag in buttons:
            label = tag.get_text(" ", strip=True) if tag.name == "button" else str(tag.get("value") or "")
            if wanted in (tag.get("name"), tag.get("id"), label):
                return tag
        with_selector = _select(form, wanted)
        if with_selector is not None:
            return with_selector
    return buttons[0] if buttons else None


def _select(form: Tag, selector: str) -> Tag | None:
    try:
        found = form.select_one(selector)
    except SelectorSyntaxError:  # a label, not a selector
        return None
    return found if isinstance(found, Tag) else None


def submission(form: Tag, page_url: str, values: dict[str, str], press: str | None = None) -> dict[str, Any]:
    """The request a browser sends for ``form`` with ``values`` typed in and a button pressed:
    ``method``, ``url`` and ``data`` or ``params``, as MechanicalSoup builds them."""
    filled = mechanicalsoup.Form(form)
    button = pressed_button(form, press)
    # MechanicalSoup sends every named submit button unless one is chosen; a browser sends the pressed one.
    if button is not None and button.get("name"):
        filled.choose_submit(button)
    else:
        for other in form.find_all(["button", "input"]):
            if (
                isinstance(other, Tag)
                and other.get("name")
                and (
                    (other.name == "button" and str(other.get("type") or "submit").lower() == "submit")
                    or _kind(other) in ("submit", "image")
                )
            ):
                del other["name"]
    extra: dict[str, str] = {}
    for name, value in values.items():
        control = form.find(["input", "textarea"], attrs={"name": name})
        if isinstance(control, Tag) and control.name == "textarea":
            control.string = value
        elif isinstance(control, Tag):
            control["value"] = value
        else:
            extra[name] = value  # what a page script adds (CAS's geolocation, accountId ...)
    method = str(form.get("method") or "get").lower()
    key = "params" if method == "get" else "data"
    kwargs: dict[str, Any] = mechanicalsoup.Browser.get_request_kwargs(filled.form, page_url, **{key: extra})
    kwargs["method"] = str(kwargs.get("method", "get")).upper()
    return kwargs


def auto_submit_form(soup: BeautifulSoup) -> Tag | None:
    """A form that the page's script would submit on load (SAML-style posts, "please wait" pages): a form
    with no visible inputs on a page whose script or body ``onload`` calls ``submit()``."""
    scripts = " ".join(s.get_text() for s in soup.find_all("script"))
    body = soup.body
    onload = str(body.get("onload") or "") if isinstance(body, Tag) else ""
    if "submit()" not in scripts and "submit()" not in onload:
        return None
    for form in soup.find_all("form"):
        if isinstance(form, Tag) and not _visible_inputs(form):
            return form
    return None


def meta_refresh(soup: BeautifulSoup) -> str | None:
    """The URL a ``<meta http-equiv="refresh">`` sends the browser to, if any."""
    for meta in soup.find_all("meta"):
        if isinstance(meta, Tag) and str(meta.get("http-equiv") or "").lower() == "refresh":
            match = re.search(r"url\s*=\s*['\"]?([^'\";]+)", str(meta.get("content") or ""), re.IGNORECASE)
            if match:
                return match.group(1).strip()
    return None
