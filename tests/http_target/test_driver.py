"""The login driver on pages no Apereo template made: forms found by structure, what a submission sends,
the bounded hops through refreshes, auto-submitting forms and named interstitials, and the exchange log.
HTTP is played by ``responses`` (nothing leaves the process)."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
import responses

from steps.targets.base import VIEW_LOGIN_FORM, VIEW_PROVIDER_FORM
from steps.targets.browser import AT_PAGE, AT_SERVICE, TOO_MANY_HOPS, Browser
from steps.targets.driversettings import DriverSettings, Interstitial
from steps.targets.pages import VIEW_UNRECOGNISED, read_page

CAS = "https://sso.example.net/cas"
LOGIN = f"{CAS}/login"
PORTAL = "https://sso.example.net/"
SERVICE = "https://app.example.net/"

OWN_LOGIN = """<html><body><form method="post" action="">
  <input type="hidden" name="csrf" value="t0k3n">
  <label>E-mail <input type="email" name="login"></label>
  <label>Password <input type="password" name="pwd"></label>
  <input type="checkbox" name="remember">
  <button type="submit" name="action" value="sign-in">Sign in</button>
  <button type="submit" name="action" value="forgot">Forgot?</button>
</form></body></html>"""

CODE_PAGE = """<html><body><form action="/verify" method="post">
  <input type="hidden" name="state" value="s1"><input name="otp" inputmode="numeric">
  <button>Verify</button></form></body></html>"""

SEARCH_PAGE = """<html><body><h1>Welcome</h1><form action="/search"><input name="q"></form></body></html>"""


def browser(**settings: object) -> Browser:
    return Browser(CAS, DriverSettings(**settings), 5.0, True)  # type: ignore[arg-type]


def form_body(call: responses.Call) -> dict[str, list[str]]:
    body = call.request.body
    text = body.decode() if isinstance(body, bytes) else str(body or "")
    found: dict[str, list[str]] = {}
    for name, value in parse_qsl(text, keep_blank_values=True):
        found.setdefault(name, []).append(value)
    return found


@pytest.mark.parametrize(
    ("html", "view"),
    [(OWN_LOGIN, VIEW_LOGIN_FORM), (CODE_PAGE, VIEW_PROVIDER_FORM), (SEARCH_PAGE, VIEW_UNRECOGNISED)],
)
def test_forms_are_found_by_their_structure(html: str, view: str) -> None:
    assert read_page(html).view == view


def test_an_override_names_a_form_the_structure_cannot() -> None:
    page = read_page(SEARCH_PAGE, DriverSettings(code_form="form[action='/search']", code_field="q"))
    assert page.view == VIEW_PROVIDER_FORM and page.found is not None and page.found.code_field == "q"


@responses.activate
def test_a_submission_sends_hidden_inputs_and_the_pressed_button_to_the_pages_own_url() -> None:
    responses.get(LOGIN, body=OWN_LOGIN)
    responses.post(LOGIN, status=302, headers={"Location": f"{SERVICE}?ticket=ST-1-abc"})
    driver = browser()
    landing = driver.navigate("GET", LOGIN, query=[("service", SERVICE)])
    assert landing.where == AT_PAGE and landing.page is not None and landing.page.found is not None
    found = landing.page.found
    assert (found.user_field, found.password_field) == ("login", "pwd")
    after = driver.submit(landing.page, {"login": "dwho", "pwd": "s3cret"}, service=SERVICE)
    assert (after.where, after.ticket) == (AT_SERVICE, "ST-1-abc")
    post = responses.calls[1]
    assert post.request.url == f"{LOGIN}?service=https%3A%2F%2Fapp.example.net%2F"
    assert form_body(post) == {"csrf": ["t0k3n"], "login": ["dwho"], "pwd": ["s3cret"], "action": ["sign-in"]}
    assert driver.exchanges[1].sent["pwd"] == "••••" and "s3cret" not in repr(driver.exchanges)


@responses.activate
def test_refreshes_auto_submits_and_named_interstitials_are_passed_a_portal_on_the_cas_origin_too() -> None:
    responses.get(LOGIN, status=302, headers={"Location": PORTAL})
    responses.get(PORTAL, body='<html><head><meta http-equiv="refresh" content="0; url=/wait"></head></html>')
    responses.get(
        "https://sso.example.net/wait",
        body='<html><body onload="document.forms[0].submit()"><form action="/go" method="post">'
        '<input type="hidden" name="n" value="1"></form></body></html>',
    )
    responses.post(
        "https://sso.example.net/go",
        body='<html><body><p>Please confirm</p><form id="upgrd" action="/upgrade" method="post">'
        '<input type="hidden" name="confirm" value="c"><button type="submit">Upgrade</button></form></body></html>',
    )
    responses.post("https://sso.example.net/upgrade", body=CODE_PAGE)
    landing = browser(interstitials=(Interstitial(selector="form#upgrd"),)).navigate("GET", LOGIN)
    assert landing.where == AT_PAGE and landing.page is not None and landing.page.view == VIEW_PROVIDER_FORM
    assert form_body(responses.calls[4]) == {"confirm": ["c"]}


@responses.activate
def test_hops_are_bounded() -> None:
    responses.get(LOGIN, status=302, headers={"Location": LOGIN})
    landing = browser(max_hops=3).navigate("GET", LOGIN)
    assert landing.where == TOO_MANY_HOPS and "more than 3 redirects" in (landing.problem or "")
    assert len(responses.calls) == 4


@responses.activate
def test_an_unnamed_interstitial_is_not_clicked_through() -> None:
    responses.get(
        LOGIN,
        body='<html><body><form id="upgrd" action="/upgrade" method="post"><button>Upgrade</button></form></body></html>',
    )
    landing = browser().navigate("GET", LOGIN)
    assert landing.where == AT_PAGE and landing.page is not None and landing.page.view == VIEW_UNRECOGNISED
    assert len(responses.calls) == 1
