"""/cas/login and /cas/logout over HTTP: the password step, SSO, renew, gateway, logout, refusals."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.server.conftest import SERVICE, Cas, form, parse, plain, ticket_of

BAD_CREDENTIALS = (
    "Authentication attempt has failed, likely due to invalid credentials. Please verify and try again."
)


def test_login_form_has_cas_markers(cas: Cas) -> None:
    cas.deploy(plain())
    page = cas.get(cas.browser(), "/login", service=SERVICE)
    assert page.status_code == 200
    fields = form(page, "fm1").fields
    assert {"username", "password", "execution", "_eventId"} <= fields.keys()
    assert fields["_eventId"] == "submit" and fields["execution"]


def test_login_redirects_with_a_ticket_keeping_the_query_string(cas: Cas) -> None:
    cas.deploy(plain())
    service = f"{SERVICE}/page?tab=2"
    answer = cas.login(cas.browser(), service)
    location = urlsplit(answer.headers["Location"])
    assert location._replace(query="").geturl() == f"{SERVICE}/page"
    query = parse_qs(location.query)
    assert query["tab"] == ["2"] and query["ticket"][0].startswith("ST-")
    assert "TGC=" in answer.headers["Set-Cookie"] and "Path=/cas" in answer.headers["Set-Cookie"]
    assert "HttpOnly" in answer.headers["Set-Cookie"]


def test_wrong_password_shows_the_form_again_with_cas_error(cas: Cas) -> None:
    cas.deploy(plain())
    answer = cas.login(cas.browser(), password="wrong")
    assert answer.status_code == 401
    assert form(answer, "fm1").fields["execution"]
    assert 'id="loginErrorsPanel"' in answer.text and BAD_CREDENTIALS in answer.text


def test_login_without_service_is_the_generic_success_view(cas: Cas) -> None:
    cas.deploy(plain())
    answer = cas.login(cas.browser(), service=None)
    assert answer.status_code == 200
    assert "Log In Successful" in parse(answer).headings
    assert "<strong>casuser</strong>" in answer.text


def test_unknown_service_is_refused(cas: Cas) -> None:
    cas.deploy(plain())
    page = cas.get(cas.browser(), "/login", service="https://unknown.example.net/")
    assert page.status_code == 403
    assert parse(page).headings == ["Application Not Authorized to Use CAS"]


def test_sso_issues_a_ticket_without_credentials(cas: Cas) -> None:
    cas.deploy(plain())
    browser = cas.browser()
    ticket_of(cas.login(browser))
    second = ticket_of(cas.get(browser, "/login", service=SERVICE))
    released = cas.validate(second, format="JSON").json()["serviceResponse"]["authenticationSuccess"]
    assert released["attributes"]["isFromNewLogin"] == [False]


def test_renew_asks_for_credentials_despite_the_session(cas: Cas) -> None:
    cas.deploy(plain())
    browser = cas.browser()
    ticket_of(cas.login(browser))
    page = cas.get(browser, "/login", service=SERVICE, renew="true")
    assert page.status_code == 200 and form(page, "fm1")
    fresh = ticket_of(cas.login(browser, renew="true"))
    assert cas.validate(fresh, renew="true").text.count("authenticationSuccess") == 2


def test_gateway_without_session_returns_to_the_service_without_ticket(cas: Cas) -> None:
    cas.deploy(plain())
    answer = cas.get(cas.browser(), "/login", service=SERVICE, gateway="true")
    assert answer.status_code == 302
    assert answer.headers["Location"] == SERVICE


def test_gateway_with_session_issues_a_ticket(cas: Cas) -> None:
    cas.deploy(plain())
    browser = cas.browser()
    ticket_of(cas.login(browser))
    assert ticket_of(cas.get(browser, "/login", service=SERVICE, gateway="true")).startswith("ST-")


def test_logout_ends_the_session_and_deletes_the_cookie(cas: Cas) -> None:
    cas.deploy(plain())
    browser = cas.browser()
    answer = cas.login(browser)
    tgc = browser.cookies.get("TGC", path="/cas")
    assert tgc and answer.status_code == 302
    out = cas.get(browser, "/logout")
    assert out.status_code == 200
    assert "Logout successful" in parse(out).headings and 'id="logoutMessage"' in out.text
    assert "TGC=;" in out.headers["Set-Cookie"] and "Max-Age=0" in out.headers["Set-Cookie"]
    assert browser.cookies.get("TGC") is None
    # the old cookie, replayed, is no session any more
    again = cas.browser()
    again.cookies.set("TGC", tgc, path="/cas")
    page = cas.get(again, "/login", service=SERVICE)
    assert page.status_code == 200 and form(page, "fm1")


def test_unknown_execution_starts_over(cas: Cas) -> None:
    cas.deploy(plain())
    answer = cas.post(
        cas.browser(), "/login", {"username": "casuser", "password": "Mellon", "execution": "nope"}
    )
    assert answer.status_code == 200 and form(answer, "fm1")
