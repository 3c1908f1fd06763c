"""LemonLDAP::NG's portal as the session starts it (tests/servers/lemonldap), driven by hand over HTTP.

Each test pins one fact docs/lemonldap.md states about LemonLDAP::NG 2.16 as a CAS server with a TOTP
second factor and step-up by authentication level, and says in its docstring where Apereo CAS differs,
so a release that changes one shows here first, not as a puzzling failure of the suite over HTTP.
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ElementTree
from base64 import b64decode
from collections.abc import Iterator
from urllib.parse import unquote, urljoin

import pytest
import requests

from tests.servers.forms import form_with as post_form_with
from tests.servers.forms import forms, ticket_of
from tests.servers.lemonldap.fixture import LemonLdapServer
from tests.servers.lemonldap.launcher import FORCE_AUTHN_INTERVAL

CAS_NS = "{http://www.yale.edu/tp/cas}"
TIMEOUT = 15
MAX_HOPS = 5
SSO_COOKIE = "lemonldap"
PDATA_COOKIE = "lemonldappdata"


def form_with(html: str, *names: str) -> tuple[dict[str, str | None], dict[str, str]]:
    """The POST form that has inputs named ``names``, and the values a browser would submit."""
    return post_form_with(html, *names, method="post")


def messages(html: str) -> list[tuple[str, str]]:
    """The portal's messages as (class, code): the text is filled in by JavaScript from the code."""
    return re.findall(
        r'<div class="message (message-\w+) alert"[^>]*>\s*<span tr(?:msg|span)="([^"]+)"', html
    )


class Browser:
    """A user agent with a cookie jar that, like a browser, posts forms where their ``action`` says."""

    def __init__(self, server: LemonLdapServer) -> None:
        self.server = server
        self.cas = server.cas_url
        self.session = requests.Session()

    def open(self, service: str | None, **params: str) -> requests.Response:
        query = dict(params, **({"service": service} if service else {}))
        return self.session.get(f"{self.cas}/login", params=query, allow_redirects=False, timeout=TIMEOUT)

    def submit(self, page: requests.Response, *names: str, **values: str) -> requests.Response:
        """Post the form of ``page`` that has the fields ``names`` (default: those of ``values``)."""
        attrs, fields = form_with(page.text, *(names or tuple(values)))
        action = attrs.get("action") or "#"
        # action="#" (the login form): the page's own URL, query string included, as a browser does.
        url = page.url if action == "#" else urljoin(self.server.portal, action)
        fields.update(values)
        return self.session.post(url, data=fields, allow_redirects=False, timeout=TIMEOUT)

    def login(
        self, service: str | None, user: str = "dwho", password: str | None = None, **params: str
    ) -> requests.Response:
        page = self.open(service, **params)
        password = self.server.password(user) if password is None else password
        return self.submit(page, user=user, password=password)

    def code(self, page: requests.Response, code: str | None = None) -> requests.Response:
        """Answer the TOTP prompt of ``page`` (by default with the right code for dwho)."""
        return self.submit(page, "code", code=self.server.totp().now() if code is None else code)

    def follow(self, response: requests.Response) -> requests.Response:
        """Follow the portal's own redirects (after a TOTP code: to /cas, then to the service)."""
        for _ in range(MAX_HOPS):
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not location.startswith(self.server.portal):
                return response
            response = self.session.get(location, allow_redirects=False, timeout=TIMEOUT)
        raise AssertionError(f"more than {MAX_HOPS} redirects inside the portal")


def validate(cas_url: str, ticket: str | None, service: str | None, **params: str) -> requests.Response:
    query = dict(params)
    if ticket is not None:
        query["ticket"] = ticket
    if service is not None:
        query["service"] = service
    return requests.get(f"{cas_url}/p3/serviceValidate", params=query, timeout=TIMEOUT)


def answer(response: requests.Response) -> ElementTree.Element:
    assert response.status_code == 200, response.status_code
    root = ElementTree.fromstring(response.text)
    assert root.tag == f"{CAS_NS}serviceResponse", response.text
    return root[0]


def attributes(success: ElementTree.Element) -> dict[str, list[str]]:
    assert success.tag == f"{CAS_NS}authenticationSuccess", ElementTree.tostring(success)
    released: dict[str, list[str]] = {}
    container = success.find(f"{CAS_NS}attributes")
    assert container is not None
    for element in container:
        released.setdefault(element.tag.removeprefix(CAS_NS), []).append(element.text or "")
    return released


def failure_code(response: requests.Response) -> str | None:
    failure = answer(response)
    assert failure.tag == f"{CAS_NS}authenticationFailure", ElementTree.tostring(failure)
    return failure.get("code")


@pytest.fixture
def server(lemonldap_server: LemonLdapServer) -> LemonLdapServer:
    return lemonldap_server


@pytest.fixture
def browser(server: LemonLdapServer) -> Browser:
    return Browser(server)


@pytest.fixture
def wiki(server: LemonLdapServer) -> str:
    return server.service("wiki")


@pytest.fixture
def intranet(server: LemonLdapServer) -> str:
    return server.service("intranet")


@pytest.fixture
def payroll(server: LemonLdapServer) -> str:
    return server.service("payroll")


@pytest.fixture
def vault(server: LemonLdapServer) -> str:
    return server.service("vault")


@pytest.fixture(scope="module")
def aged(lemonldap_server: LemonLdapServer) -> Iterator[dict[str, Browser]]:
    """Two SSO sessions (password only) older than portalForceAuthnInterval: one wait for both tests."""
    wiki = lemonldap_server.service("wiki")
    browsers = {name: Browser(lemonldap_server) for name in ("renew-login", "renew-validation")}
    for browser in browsers.values():
        ticket_of(browser.login(wiki), wiki)
    # The portal compares whole seconds: "older than 5 s" holds for certain 6 s later.
    time.sleep(FORCE_AUTHN_INTERVAL + 1)
    yield browsers


def test_the_login_form_has_lemonldaps_fields_not_apereos(
    browser: Browser, server: LemonLdapServer, wiki: str
) -> None:
    """form#lform, fields user/password (Apereo: form#fm1, username/password/execution/_eventId).

    The CAS request is not in the form: it is kept in the lemonldappdata cookie; the hidden ``url`` is the
    base64 of the portal's /cas, where the portal returns after the login.
    """
    page = browser.open(wiki)
    assert page.status_code == 200
    attrs, values = form_with(page.text, "user", "password")
    assert attrs.get("id") == "lform" and attrs.get("action") == "#"
    assert set(values) == {"url", "timezone", "skin", "token", "user", "password"}
    assert b64decode(values["url"]).decode() == server.cas_url
    assert re.fullmatch(r"\d+_\d+", values["token"])  # requireToken: a one-time form token
    assert 'type="password"' in page.text and 'name="checkLogins"' in page.text  # an unticked checkbox
    assert "execution" not in values and "username" not in values
    assert messages(page.text) == [("message-warning", "9")]  # PE9 "Authentication required"
    assert set(browser.session.cookies.keys()) == {PDATA_COOKIE}


def test_a_login_to_a_plain_application_redirects_with_a_service_ticket(browser: Browser, wiki: str) -> None:
    """302 to ``service?ticket=ST-<64 hex>``; the SSO cookie is ``lemonldap`` (Apereo: TGC, ST-1-…-cas)."""
    response = browser.login(wiki)
    ticket = ticket_of(response, wiki)
    assert re.fullmatch(r"ST-[0-9a-f]{64}", ticket)
    cookie = response.headers["Set-Cookie"]
    assert re.search(
        r"lemonldap=[0-9a-f]{64}; domain=\.127\.0\.0\.1; path=/; HttpOnly=1; SameSite=Lax", cookie
    )


def test_validation_names_the_user_and_releases_the_exported_attributes(
    browser: Browser, server: LemonLdapServer, wiki: str
) -> None:
    """cas:user and casAppMetaDataExportedVars; password only: authenticationLevel 1, no secondFactor.

    Unlike Apereo CAS: Content-Type application/soap+xml, format=JSON ignored (always XML), attributes in
    no fixed order, a multi-valued one (groups) as one element per value, no authenticationContext.
    """
    ticket = ticket_of(browser.login(wiki), wiki)
    response = validate(server.cas_url, ticket, wiki, format="JSON")
    assert response.headers["Content-Type"] == "application/soap+xml"
    success = answer(response)
    assert success.findtext(f"{CAS_NS}user") == "dwho"
    released = attributes(success)
    assert {k: sorted(v) for k, v in released.items()} == {
        "cn": ["Doctor Who"],
        "mail": ["dwho@badwolf.org"],
        "uid": ["dwho"],
        "groups": ["timelords", "users"],
        "authenticationLevel": [str(server.level("password"))],
    }


def test_a_wrong_password_shows_the_form_again_with_error_5(browser: Browser, wiki: str) -> None:
    """HTTP 200 (Apereo: 401), the form with the login kept, message-negative code 5 ("Wrong credentials")."""
    page = browser.login(wiki, password="wrong")
    assert page.status_code == 200
    _, values = form_with(page.text, "user", "password")
    assert values["user"] == "dwho"
    assert messages(page.text) == [("message-negative", "5")]
    assert SSO_COOKIE not in browser.session.cookies


def test_a_totp_application_asks_for_the_code_after_the_password(browser: Browser, payroll: str) -> None:
    """The password, then a form posting ``code`` to /totp2fcheck (Apereo gauth: form#fm1, ``token``)."""
    page = browser.login(payroll)
    assert page.status_code == 200
    attrs, values = form_with(page.text, "code")
    assert attrs.get("action") == "/totp2fcheck" and not attrs.get("id")
    assert set(values) == {"token", "checkLogins", "stayconnected", "skin", "code"}
    assert 'id="extcode"' in page.text and 'autocomplete="one-time-code"' in page.text
    assert messages(page.text) == [("message-positive", "enterTotpCode")]
    assert SSO_COOKIE not in browser.session.cookies  # no session until the second factor passes


def test_a_wrong_totp_code_ends_the_attempt_with_error_96(browser: Browser, payroll: str) -> None:
    """An error page with code 96 ("Invalid verification code") and no form: no retry, no SSO session.

    Apereo CAS shows the token form again for another try.
    """
    refused = browser.code(browser.login(payroll), "000000")
    assert refused.status_code == 200
    assert messages(refused.text) == [("message-negative", "96")]
    assert forms(refused.text) == []
    assert SSO_COOKIE not in browser.session.cookies


def test_the_right_code_gives_a_ticket_at_the_totp_level(
    browser: Browser, server: LemonLdapServer, payroll: str
) -> None:
    """The code, then 302 to the portal's /cas, then 302 to the service with a ticket: level 5, secondFactor.

    Apereo CAS redirects to the service straight from the token form and releases authenticationContext.
    """
    accepted = browser.code(browser.login(payroll))
    assert accepted.status_code == 302 and accepted.headers["Location"] == server.cas_url
    ticket = ticket_of(browser.follow(accepted), payroll)
    released = attributes(answer(validate(server.cas_url, ticket, payroll)))
    assert released["authenticationLevel"] == [str(server.level("totp"))]
    assert released["secondFactor"] == ["totp"]


def test_sso_to_the_second_totp_application_needs_no_prompt(
    browser: Browser, server: LemonLdapServer, payroll: str, vault: str
) -> None:
    """A level-5 session opens every level-5 application directly (as Apereo CAS with the same provider)."""
    ticket_of(browser.follow(browser.code(browser.login(payroll))), payroll)
    ticket = ticket_of(browser.open(vault), vault)
    assert attributes(answer(validate(server.cas_url, ticket, vault)))["authenticationLevel"] == ["5"]


def test_step_up_shows_the_upgrade_interstitial(
    browser: Browser, server: LemonLdapServer, wiki: str, payroll: str
) -> None:
    """A level-1 session opening a level-5 application: form#upgrd to /upgradesession, "Upgrade session".

    Apereo CAS goes straight to the provider's form; LemonLDAP::NG asks first (skipUpgradeConfirmation
    would post it by JavaScript), HTTP 200, with a "Go to portal" link beside the button.
    """
    ticket_of(browser.login(wiki), wiki)
    page = browser.open(payroll)
    assert page.status_code == 200
    attrs, values = form_with(page.text, "confirm", "forceUpgrade", "url")
    assert attrs.get("id") == "upgrd" and attrs.get("action") == "/upgradesession"
    assert set(values) == {"confirm", "forceUpgrade", "url"} and values["forceUpgrade"] == ""
    assert b64decode(values["url"]).decode() == server.portal + "/cas/login"  # sic: two slashes
    assert messages(page.text) == [("message-positive", "askToUpgrade")]
    assert re.search(
        r'<button type="submit" class="btn btn-success">\s*<span class="fa fa-sign-in"></span>\s*'
        r'<span trspan="upgradeSession">Upgrade session</span>',
        page.text,
    )


def test_upgrading_asks_only_the_totp_code_and_raises_the_level(
    browser: Browser, server: LemonLdapServer, wiki: str, payroll: str
) -> None:
    """The interstitial's button leads to the TOTP form (no password again: sfOnlyUpgrade), then a ticket."""
    ticket_of(browser.login(wiki), wiki)
    prompt = browser.submit(browser.open(payroll), "confirm")
    assert prompt.status_code == 200
    form_with(prompt.text, "code")
    assert "passwordfield" not in prompt.text
    accepted = browser.code(prompt)
    assert accepted.status_code == 302 and accepted.headers["Location"] == server.portal + "/cas/login"
    ticket = ticket_of(browser.follow(accepted), payroll)
    assert attributes(answer(validate(server.cas_url, ticket, payroll)))["authenticationLevel"] == ["5"]


def test_a_user_without_a_totp_cannot_step_up(browser: Browser, payroll: str) -> None:
    """rtyler (no TOTP) gets the interstitial, then the login form with code 103: no ticket.

    Apereo CAS would send an unregistered user to the Google Authenticator registration flow.
    """
    interstitial = browser.login(payroll, user="rtyler")
    form_with(interstitial.text, "confirm")
    refused = browser.submit(interstitial, "confirm")
    assert refused.status_code == 200
    form_with(refused.text, "user", "password")
    assert messages(refused.text) == [("message-negative", "103")]  # "No second factors available…"


def test_a_totp_code_can_be_used_twice(server: LemonLdapServer, payroll: str) -> None:
    """No replay protection in 2.16: one code opens two sessions (Apereo refuses a used token)."""
    code = server.totp().now()
    for _ in range(2):
        browser = Browser(server)
        ticket_of(browser.follow(browser.code(browser.login(payroll), code)), payroll)


def test_a_failed_code_leaves_the_level_in_the_pdata_cookie(
    browser: Browser, payroll: str, wiki: str
) -> None:
    """After a wrong code, a password login to a plain application asks for TOTP too: the target level
    stays in the lemonldappdata cookie. Apereo CAS keeps no such state across login attempts."""
    browser.code(browser.login(payroll), "000000")
    assert '"targetAuthnLevel"' in unquote(browser.session.cookies[PDATA_COOKIE])
    form_with(browser.login(wiki).text, "code")


def test_renew_within_the_force_authn_interval_gives_a_ticket_without_asking(
    browser: Browser, server: LemonLdapServer, wiki: str, intranet: str
) -> None:
    """renew=true within portalForceAuthnInterval (5 s) of the login: a ticket, no form, and it validates
    with renew=true. Apereo CAS always asks for credentials again."""
    ticket_of(browser.login(wiki), wiki)
    ticket = ticket_of(browser.open(intranet, renew="true"), intranet)
    assert (
        answer(validate(server.cas_url, ticket, intranet, renew="true")).tag
        == f"{CAS_NS}authenticationSuccess"
    )


def test_renew_on_an_older_session_shows_the_renew_interstitial(
    aged: dict[str, Browser], server: LemonLdapServer, intranet: str
) -> None:
    """form#upgrd to /renewsession, "Renew session", then the password form (user filled in, hidden
    ``upgrading``), then a ticket that validates with renew=true. Apereo CAS shows the login form."""
    browser = aged["renew-login"]
    page = browser.open(intranet, renew="true")
    attrs, _ = form_with(page.text, "confirm")
    assert attrs.get("id") == "upgrd" and attrs.get("action") == "/renewsession"
    assert messages(page.text) == [("message-positive", "askToRenew")]
    assert '<span trspan="renewSession">' in page.text
    login = browser.submit(page, "confirm")
    _, values = form_with(login.text, "user", "password", "upgrading")
    assert values["user"] == "dwho"
    done = browser.submit(login, user="dwho", password="dwho")
    assert done.status_code == 302 and done.headers["Location"] == server.portal + "/cas/login"
    ticket = ticket_of(browser.follow(done), intranet)
    assert (
        answer(validate(server.cas_url, ticket, intranet, renew="true")).tag
        == f"{CAS_NS}authenticationSuccess"
    )


def test_renew_at_validation_of_an_sso_ticket_answers_cas_1_no(
    aged: dict[str, Browser], server: LemonLdapServer, intranet: str
) -> None:
    """A ticket from an SSO session older than 5 s, validated with renew=true at /p3/serviceValidate:
    the CAS 1.0 body ``no\\n\\n`` (HTTP 200, no Content-Type), not XML, and the ticket is destroyed.
    Apereo CAS answers an XML authenticationFailure INVALID_TICKET."""
    ticket = ticket_of(aged["renew-validation"].open(intranet), intranet)
    refused = validate(server.cas_url, ticket, intranet, renew="true")
    assert refused.status_code == 200 and refused.text == "no\n\n"
    assert "Content-Type" not in refused.headers
    assert failure_code(validate(server.cas_url, ticket, intranet)) == "INVALID_TICKET"


def test_gateway_without_sso_redirects_to_the_service_without_a_ticket(browser: Browser, wiki: str) -> None:
    """As Apereo CAS: 302 to the service as given, no ticket."""
    response = browser.open(wiki, gateway="true")
    assert response.status_code == 302 and response.headers["Location"] == wiki


def test_gateway_with_sso_gives_a_ticket(browser: Browser, wiki: str, intranet: str) -> None:
    """As Apereo CAS."""
    ticket_of(browser.login(wiki), wiki)
    ticket_of(browser.open(intranet, gateway="true"), intranet)


def test_a_replayed_ticket_is_invalid_ticket(browser: Browser, server: LemonLdapServer, wiki: str) -> None:
    """As Apereo CAS: single use; the text is "Ticket not found"."""
    ticket = ticket_of(browser.login(wiki), wiki)
    assert answer(validate(server.cas_url, ticket, wiki)).tag == f"{CAS_NS}authenticationSuccess"
    assert failure_code(validate(server.cas_url, ticket, wiki)) == "INVALID_TICKET"


def test_a_ticket_for_another_service_is_invalid_service_and_destroyed(
    browser: Browser, server: LemonLdapServer, wiki: str, intranet: str
) -> None:
    """As Apereo CAS: INVALID_SERVICE, then INVALID_TICKET for the right service."""
    ticket = ticket_of(browser.login(wiki), wiki)
    assert failure_code(validate(server.cas_url, ticket, intranet)) == "INVALID_SERVICE"
    assert failure_code(validate(server.cas_url, ticket, wiki)) == "INVALID_TICKET"


def test_validation_errors_use_cas_codes(server: LemonLdapServer, wiki: str) -> None:
    """INVALID_REQUEST without service or ticket; INVALID_TICKET for a ticket that is not ``ST-``."""
    assert failure_code(validate(server.cas_url, None, wiki)) == "INVALID_REQUEST"
    assert failure_code(validate(server.cas_url, "ST-1", None)) == "INVALID_REQUEST"
    assert failure_code(validate(server.cas_url, "PT-1", wiki)) == "INVALID_TICKET"
    assert failure_code(validate(server.cas_url, "ST-1", wiki)) == "INVALID_TICKET"


def test_authn_method_is_ignored_at_login_and_at_validation(
    browser: Browser, server: LemonLdapServer, wiki: str
) -> None:
    """authn_method (and any other context parameter) changes nothing: a password-only ticket validates.
    Apereo CAS triggers the provider at login and answers INVALID_AUTHENTICATION_CONTEXT at validation."""
    ticket = ticket_of(browser.login(wiki, authn_method="mfa-gauth"), wiki)
    released = attributes(answer(validate(server.cas_url, ticket, wiki, authn_method="mfa-gauth")))
    assert released["authenticationLevel"] == ["1"]


def test_an_unregistered_service_is_refused_with_error_107(browser: Browser, wiki: str) -> None:
    """casAccessControlPolicy "error": with an SSO session, an error page code 107 ("This application is
    not known"), no ticket. Apereo CAS: "Application Not Authorized to Use CAS"."""
    ticket_of(browser.login(wiki), wiki)
    page = browser.open("https://evil.example.com/")
    assert page.status_code == 200 and messages(page.text) == [("message-negative", "107")]


def test_logout_redirects_to_the_portal_and_ends_the_sso_session(
    browser: Browser, server: LemonLdapServer, wiki: str, intranet: str
) -> None:
    """302 to the portal's root and the lemonldap cookie expired; the next login shows the form.
    Apereo CAS shows its logout page (casLogoutView) with HTTP 200."""
    ticket_of(browser.login(wiki), wiki)
    response = browser.session.get(f"{server.cas_url}/logout", allow_redirects=False, timeout=TIMEOUT)
    assert response.status_code == 302 and response.headers["Location"] == server.portal
    assert "lemonldap=0;" in response.headers["Set-Cookie"]
    again = browser.open(intranet)
    assert again.status_code == 200
    form_with(again.text, "user", "password")


def test_logout_with_a_registered_service_redirects_there(
    browser: Browser, server: LemonLdapServer, wiki: str
) -> None:
    """302 to the service (Apereo CAS only with cas.logout.follow-service-redirects)."""
    ticket_of(browser.login(wiki), wiki)
    response = browser.session.get(
        f"{server.cas_url}/logout", params={"service": wiki}, allow_redirects=False, timeout=TIMEOUT
    )
    assert response.status_code == 302 and response.headers["Location"] == wiki


def test_logout_with_an_unregistered_service_is_refused_and_keeps_the_session(
    browser: Browser, server: LemonLdapServer, wiki: str
) -> None:
    """Error page code 108 ("Unauthorized URL") and the SSO session survives (Apereo CAS logs out)."""
    ticket_of(browser.login(wiki), wiki)
    response = browser.session.get(
        f"{server.cas_url}/logout",
        params={"service": "https://evil.example.com/"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.status_code == 200 and messages(response.text) == [("message-negative", "108")]
    ticket_of(browser.open(wiki), wiki)


def test_a_ticket_validates_for_another_url_under_its_services_directory(
    browser: Browser, server: LemonLdapServer, wiki: str
) -> None:
    """Issued for https://wiki.badwolf.org/, accepted for https://wiki.badwolf.org/page?x=1: the portal
    tolerates URLs whose relative form is "./" (Issuer::CAS). Apereo CAS wants the same service."""
    ticket = ticket_of(browser.login(wiki), wiki)
    success = answer(validate(server.cas_url, ticket, wiki + "page?x=1"))
    assert success.tag == f"{CAS_NS}authenticationSuccess"


def test_login_without_a_service_and_with_sso_redirects_to_the_portal(
    browser: Browser, server: LemonLdapServer, wiki: str
) -> None:
    """302 to the portal's menu. Apereo CAS shows casGenericSuccessView ("Log In Successful")."""
    ticket_of(browser.login(wiki), wiki)
    response = browser.open(None)
    assert response.status_code == 302 and response.headers["Location"] == server.portal
