"""django-cas-server as the session starts it, driven by hand over HTTP.

Each test pins a fact docs/django-cas-server.md states about the server (what it shares with Apereo CAS,
and what differs), so a new release of django-cas-server that changes one shows here first, not as a
puzzling failure of the suite over HTTP.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from urllib.parse import urljoin

import pytest
import requests

from tests.servers.conftest import DjangoCasServer
from tests.servers.forms import form_with, ticket_of

APP = "https://app.example.org"
OTHER = "https://other.example.org"
CAS_NS = "{http://www.yale.edu/tp/cas}"
TIMEOUT = 15


def login_form(html: str) -> tuple[dict[str, str | None], dict[str, str]]:
    """The form with a username and a password field, and the values a browser would submit."""
    return form_with(html, "username", "password")


def alerts(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", m).strip()
        for m in re.findall(r'<div class="alert[^"]*"[^>]*>\s*<p>(.*?)</p>', html, re.S)
    ]


class Browser:
    def __init__(self, cas_url: str) -> None:
        self.cas = cas_url
        self.session = requests.Session()

    def open(self, service: str | None, **params: str) -> requests.Response:
        query = dict(params, **({"service": service} if service else {}))
        return self.session.get(f"{self.cas}/login", params=query, allow_redirects=False, timeout=TIMEOUT)

    def submit(self, page: requests.Response, username: str, password: str) -> requests.Response:
        attrs, values = login_form(page.text)
        action = urljoin(page.url, attrs.get("action") or "")
        values.update(username=username, password=password)
        return self.session.post(action, data=values, allow_redirects=False, timeout=TIMEOUT)

    def login(self, service: str | None, password: str = "Mellon", **params: str) -> requests.Response:
        return self.submit(self.open(service, **params), "casuser", password)


def validate(cas_url: str, ticket: str | None, service: str | None, **params: str) -> ElementTree.Element:
    query = dict(params)
    if ticket is not None:
        query["ticket"] = ticket
    if service is not None:
        query["service"] = service
    response = requests.get(f"{cas_url}/p3/serviceValidate", params=query, timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.text)
    assert root.tag == f"{CAS_NS}serviceResponse"
    return root[0]


def failure_code(answer: ElementTree.Element) -> str | None:
    assert answer.tag == f"{CAS_NS}authenticationFailure", ElementTree.tostring(answer)
    return answer.get("code")


@pytest.fixture
def cas(django_cas_server: DjangoCasServer) -> str:
    return django_cas_server.cas_url


@pytest.fixture
def browser(cas: str) -> Browser:
    return Browser(cas)


def test_the_login_form_has_django_cas_servers_fields_not_apereos(browser: Browser) -> None:
    page = browser.open(APP)
    assert page.status_code == 200
    attrs, values = login_form(page.text)
    assert attrs.get("id") == "login_form" and not attrs.get("action")
    assert set(values) == {
        "csrfmiddlewaretoken",
        "service",
        "lt",
        "renew",
        "gateway",
        "method",
        "username",
        "password",
    }
    assert values["lt"].startswith("LT-") and values["service"] == APP and values["renew"] == "False"
    assert "execution" not in values and "_eventId" not in values
    assert {"sessionid", "csrftoken"} <= set(browser.session.cookies.keys())
    assert "Authentication required by service example applications (https://app.example.org)." in alerts(
        page.text
    )


def test_a_login_redirects_with_a_ticket_that_validates_once_with_attributes(
    browser: Browser, cas: str
) -> None:
    ticket = ticket_of(browser.login(APP), APP)
    assert re.fullmatch(r"ST-[A-Za-z0-9]{20,}", ticket)
    success = validate(cas, ticket, APP, format="JSON")  # format=JSON is ignored: always XML
    assert success.tag == f"{CAS_NS}authenticationSuccess"
    assert success.findtext(f"{CAS_NS}user") == "casuser"
    attributes: dict[str, list[str]] = {}
    container = success.find(f"{CAS_NS}attributes")
    assert container is not None
    for element in container:
        attributes.setdefault(element.tag.removeprefix(CAS_NS), []).append(element.text or "")
    assert attributes["email"] == ["casuser@example.org"]
    assert attributes["memberOf"] == ["staff", "faculty"]
    assert attributes["isFromNewLogin"] == ["true"]
    assert failure_code(validate(cas, ticket, APP)) == "INVALID_TICKET"


def test_a_wrong_password_shows_the_form_again_with_status_200(browser: Browser) -> None:
    page = browser.login(APP, password="wrong")
    assert page.status_code == 200
    login_form(page.text)
    assert "The credentials you provided cannot be determined to be authentic." in page.text
    assert 'class="alert alert-danger' in page.text


def test_validation_errors_use_cas_codes(browser: Browser, cas: str) -> None:
    assert failure_code(validate(cas, None, APP)) == "INVALID_REQUEST"
    assert failure_code(validate(cas, "ST-1-unknown", None)) == "INVALID_REQUEST"
    assert failure_code(validate(cas, "ST-1-unknown", APP)) == "INVALID_TICKET"
    ticket = ticket_of(browser.login(APP), APP)
    assert failure_code(validate(cas, ticket, OTHER)) == "INVALID_SERVICE"
    assert failure_code(validate(cas, ticket, APP)) == "INVALID_TICKET"  # used up by the wrong service


def test_sso_renew_and_gateway(browser: Browser, cas: str) -> None:
    gateway = Browser(cas).open(APP, gateway="true")
    assert gateway.status_code == 302 and gateway.headers["Location"] == APP
    ticket_of(browser.login(APP), APP)
    sso_ticket = ticket_of(browser.open(OTHER), OTHER)
    # renew=true at validation refuses a ticket from the SSO session, and (unlike Apereo CAS) leaves it unused.
    assert failure_code(validate(cas, sso_ticket, OTHER, renew="true")) == "INVALID_TICKET"
    assert validate(cas, sso_ticket, OTHER).tag == f"{CAS_NS}authenticationSuccess"
    ticket_of(browser.open(OTHER, gateway="true"), OTHER)
    renew = browser.open(OTHER, renew="true")
    assert renew.status_code == 200 and login_form(renew.text)[1]["renew"] == "True"
    fresh = ticket_of(browser.submit(renew, "casuser", "Mellon"), OTHER)
    assert validate(cas, fresh, OTHER, renew="true").tag == f"{CAS_NS}authenticationSuccess"


def test_logout_ends_the_sso_session(browser: Browser) -> None:
    ticket_of(browser.login(APP), APP)
    page = browser.session.get(f"{browser.cas}/logout", allow_redirects=False, timeout=TIMEOUT)
    assert page.status_code == 200 and "<h3>Logout successful</h3>" in page.text
    again = browser.open(OTHER)
    assert again.status_code == 200
    login_form(again.text)


def test_an_unregistered_service_gets_the_login_form_with_an_error(browser: Browser) -> None:
    page = browser.open("https://evil.example.com")
    assert page.status_code == 200
    login_form(page.text)
    assert "Service https://evil.example.com not allowed" in alerts(page.text)
    after = browser.submit(page, "casuser", "Mellon")
    assert after.status_code == 200 and "Service https://evil.example.com not allowed." in alerts(after.text)
    assert "Log In Successful" in after.text


def test_a_post_without_the_csrf_token_is_refused(browser: Browser) -> None:
    page = browser.open(APP)
    _, values = login_form(page.text)
    del values["csrfmiddlewaretoken"]
    values.update(username="casuser", password="Mellon")
    refused = browser.session.post(page.url, data=values, allow_redirects=False, timeout=TIMEOUT)
    assert refused.status_code == 403
