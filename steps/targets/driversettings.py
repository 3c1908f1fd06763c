"""The login driver's settings from the target file's ``[driver]`` table: overrides for anything unusual.

The driver finds forms by their structure and needs none of this for a CAS that keeps to the usual
shapes; a deployment whose login page has two password fields, a code form that looks like a search box,
or a "continue" page between the login and the application says so here (docs/target-file.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from soupsieve import SelectorSyntaxError
from soupsieve import compile as compile_selector

from steps.targets.base import (
    VIEW_LOGGED_OUT,
    VIEW_LOGIN_FORM,
    VIEW_MFA_DENIED,
    VIEW_MFA_UNAVAILABLE,
    VIEW_PROVIDER_FORM,
    VIEW_SERVICE_REFUSED,
)
from steps.targets.deploymap import MapError

DEFAULT_MAX_HOPS = 10
MARKER_VIEWS = (
    VIEW_MFA_UNAVAILABLE,
    VIEW_MFA_DENIED,
    VIEW_SERVICE_REFUSED,
    VIEW_LOGGED_OUT,
    VIEW_PROVIDER_FORM,
    VIEW_LOGIN_FORM,  # texts that mark an error shown with the login form
)
_FIELDS = {
    "login-form",
    "username-field",
    "password-field",
    "code-form",
    "code-field",
    "submit",
    "max-hops",
    "interstitials",
    "markers",
}


@dataclass(frozen=True)
class Interstitial:
    """A page between two steps of a login that a person clicks through (consent, "continue", "upgrade
    session"): recognised by a text it shows or a CSS selector it matches, passed by pressing a button."""

    text: str | None = None
    selector: str | None = None
    press: str | None = None  # the button's name, its label, or a CSS selector; None: the form's first

    def describe(self) -> str:
        return f"text {self.text!r}" if self.text else f"selector {self.selector!r}"


@dataclass(frozen=True)
class DriverSettings:
    login_form: str | None = None  # a CSS selector for the login form
    username_field: str | None = None
    password_field: str | None = None
    code_form: str | None = None  # a CSS selector for the second-factor form
    code_field: str | None = None
    submit: str | None = None  # the button pressed on the login and code forms (name, label or selector)
    max_hops: int = DEFAULT_MAX_HOPS  # redirects, refreshes, auto-submits and interstitials per navigation
    interstitials: tuple[Interstitial, ...] = ()
    markers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # view -> texts that show it


def parse_driver(value: Any) -> DriverSettings:
    if not isinstance(value, dict):
        raise MapError("driver: expected a table")
    for key in value:
        if key not in _FIELDS:
            raise MapError(f"driver.{key}: unknown field (known: {', '.join(sorted(_FIELDS))})")
    text = {
        key: _string(f"driver.{key}", value.get(key))
        for key in _FIELDS - {"max-hops", "interstitials", "markers"}
    }
    for key in ("login-form", "code-form"):
        _selector(f"driver.{key}", text[key])
    hops = value.get("max-hops", DEFAULT_MAX_HOPS)
    if isinstance(hops, bool) or not isinstance(hops, int) or not 1 <= hops <= 50:
        raise MapError("driver.max-hops: expected a whole number from 1 to 50")
    raw_pages = value.get("interstitials", [])
    if not isinstance(raw_pages, list):
        raise MapError("driver.interstitials: expected a list of tables ([[driver.interstitials]])")
    pages = tuple(_interstitial(f"driver.interstitials[{n}]", page) for n, page in enumerate(raw_pages))
    raw_markers = value.get("markers", {})
    if not isinstance(raw_markers, dict):
        raise MapError("driver.markers: expected a table of view = [texts]")
    markers: dict[str, tuple[str, ...]] = {}
    for view, texts in raw_markers.items():
        if view not in MARKER_VIEWS:
            raise MapError(f"driver.markers.{view}: unknown view (known: {', '.join(MARKER_VIEWS)})")
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(texts, list) or not all(isinstance(t, str) and t.strip() for t in texts):
            raise MapError(f"driver.markers.{view}: expected a text or a list of texts")
        markers[view] = tuple(t.strip() for t in texts)
    return DriverSettings(
        login_form=text["login-form"],
        username_field=text["username-field"],
        password_field=text["password-field"],
        code_form=text["code-form"],
        code_field=text["code-field"],
        submit=text["submit"],
        max_hops=hops,
        interstitials=pages,
        markers=markers,
    )


def _string(where: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise MapError(f"{where}: expected a non-empty string")
    return value.strip()


def _selector(where: str, value: str | None) -> None:
    if value is None:
        return
    try:
        compile_selector(value)
    except SelectorSyntaxError as error:
        raise MapError(f"{where}: '{value}' is not a CSS selector: {str(error).splitlines()[0]}") from None


def _interstitial(where: str, value: Any) -> Interstitial:
    if not isinstance(value, dict):
        raise MapError(f"{where}: expected a table with text or selector, and press")
    for key in value:
        if key not in {"text", "selector", "press"}:
            raise MapError(f"{where}.{key}: unknown field (known: press, selector, text)")
    text, selector = (
        _string(f"{where}.text", value.get("text")),
        _string(f"{where}.selector", value.get("selector")),
    )
    if (text is None) == (selector is None):
        raise MapError(f"{where}: give text or selector (how to recognise the page), one of them")
    _selector(f"{where}.selector", selector)
    return Interstitial(text, selector, _string(f"{where}.press", value.get("press")))
