"""Page recognition against pages shaped as CAS 7 renders its views (tests/http_target/pages/)."""

from __future__ import annotations

from pathlib import Path

import pytest

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
from steps.targets.pages import VIEW_UNRECOGNISED, read_page

PAGES = Path(__file__).parent / "pages"
BAD_CREDENTIALS = (
    "Authentication attempt has failed, likely due to invalid credentials. Please verify and try again."
)


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "view", "provider"),
    [
        ("login.html", VIEW_LOGIN_FORM, None),
        ("menu.html", VIEW_PROVIDER_MENU, None),
        ("yubikey.html", VIEW_PROVIDER_FORM, "mfa-yubikey"),
        ("radius.html", VIEW_PROVIDER_FORM, "mfa-radius"),
        ("gauth.html", VIEW_PROVIDER_FORM, "mfa-gauth"),
        ("simple.html", VIEW_PROVIDER_FORM, "mfa-simple"),
        ("register-device.html", VIEW_REGISTER_DEVICE, None),
        ("unavailable.html", VIEW_MFA_UNAVAILABLE, None),
        ("denied.html", VIEW_MFA_DENIED, None),
        ("service-error.html", VIEW_SERVICE_REFUSED, None),
        ("success.html", VIEW_LOGIN_SUCCESS, None),
        ("logout.html", VIEW_LOGGED_OUT, None),
        ("unknown.html", VIEW_UNRECOGNISED, None),
    ],
)
def test_each_view_is_recognised_by_its_template_markers(name: str, view: str, provider: str | None) -> None:
    read = read_page(page(name))
    assert (read.view, read.provider) == (view, provider)


def test_the_login_form_is_submitted_with_its_hidden_fields() -> None:
    read = read_page(page("login.html"))
    assert read.form is not None
    assert read.form.action == "login" and read.form.method == "post"
    assert read.form.fields["execution"] == "e1s1"
    assert read.form.fields["_eventId"] == "submit"
    assert {"username", "password"} <= read.form.fields.keys()
    assert "submitBtn" not in read.form.fields  # a button is not a field
    assert read.message is None


def test_a_failed_login_carries_the_error_panel_text() -> None:
    read = read_page(page("login-bad-credentials.html"))
    assert read.view == VIEW_LOGIN_FORM
    assert read.message == BAD_CREDENTIALS


def test_a_provider_form_carries_its_error_banner() -> None:
    read = read_page(page("yubikey-bad-token.html"))
    assert (read.view, read.provider, read.message) == (VIEW_PROVIDER_FORM, "mfa-yubikey", BAD_CREDENTIALS)
    assert read.form is not None and read.form.fields["_eventId_submit"] == "Login"


def test_the_menu_lists_each_provider_form() -> None:
    read = read_page(page("menu.html"))
    assert read.choices == ("mfa-yubikey", "mfa-gauth")
    assert read.forms["fm-mfa-gauth"].fields == {
        "execution": "e1s1",
        "mfaProvider": "mfa-gauth",
        "_eventId": "submit",
    }


def test_the_registration_form_has_its_defaults() -> None:
    read = read_page(page("register-device.html"))
    assert read.form is not None
    assert read.form.fields["timeUnit"] == "FOREVER"
    assert read.form.fields["_eventId"] == "submit"
    assert read.form.fields["expiration"] == "0"


def test_the_unavailable_view_carries_the_cas_message() -> None:
    read = read_page(page("unavailable.html"))
    assert read.message is not None and read.message.startswith("CAS was unable to reach your configured MFA")


def test_an_unknown_page_is_named_by_its_title_and_first_text() -> None:
    read = read_page(page("unknown.html"))
    assert read.message is not None
    assert read.message.startswith("unrecognised page: Acceptable Usage Policy: CAS Acceptable Usage Policy")
    assert "randomWord" not in read.message  # scripts are not text


@pytest.mark.parametrize("html", ["", "not html at all", "<html><body><form></form>", "\x00\x01<<>>"])
def test_anything_is_read_without_a_crash(html: str) -> None:
    assert read_page(html).view == VIEW_UNRECOGNISED


def test_a_simple_form_without_the_resend_button_is_told_by_its_event_field() -> None:
    """The reference server's Simple view (docs/http-pages.md) keeps ``_eventId`` but has no resend button."""
    html = page("simple.html").replace('id="resendButton"', 'id="other"').replace('name="resend"', "")
    assert read_page(html).provider == "mfa-simple"


DJANGO_CAS_LOGIN = """<html><head><title>Central Authentication Service</title></head><body>
<div class="alert alert-danger">The credentials you provided cannot be determined to be authentic.</div>
<form class="form-signin" method="post" id="login_form">
  <input type="hidden" name="csrfmiddlewaretoken" value="t637">
  <input type="hidden" name="service" value="https://app.example.org" id="id_service">
  <input type="hidden" name="lt" value="LT-1" id="id_lt">
  <input type="text" name="username" id="id_username">
  <input type="password" name="password" id="id_password">
  <input type="checkbox" name="warn" id="id_warn">
  <button class="btn btn-primary btn-block btn-lg" type="submit">Login</button>
</form></body></html>"""


def test_another_cas_servers_login_form_is_read_by_its_fields() -> None:
    """django-cas-server (docs/django-cas-server.md): no fm1, but username and a password input."""
    read = read_page(DJANGO_CAS_LOGIN)
    assert read.view == VIEW_LOGIN_FORM and read.form is not None
    assert read.form.action == "" and read.form.fields["lt"] == "LT-1"
    assert "warn" not in read.form.fields  # an unticked checkbox is not sent
    assert read.message == "The credentials you provided cannot be determined to be authentic."


@pytest.mark.parametrize(
    ("heading", "view"), [("Logout successful", VIEW_LOGGED_OUT), ("Log In Successful", VIEW_LOGIN_SUCCESS)]
)
def test_the_logged_in_and_out_views_are_also_known_by_their_heading(heading: str, view: str) -> None:
    html = f'<div class="alert alert-success" role="alert"><h3>{heading}</h3><p>Bye.</p></div>'
    assert read_page(html).view == view
