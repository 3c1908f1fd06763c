"""The browser of one scenario: one ``requests.Session``, navigations with bounded hops, and a log.

A navigation follows the server's own redirects by hand, so that the redirect to the application with
``ticket=`` is observed and never fetched; it passes the bounded interstitials a person would click
through (meta refresh, a form the page's script submits on load, the pages the target file names) and
stops at a page, at the application, or where the caller says (Duo's prompt). Every request and answer is
kept as an :class:`Exchange`, secrets redacted, for the reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.cookiejar import CookieJar
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import requests
from bs4 import BeautifulSoup, Tag

from steps.targets.base import Exchange
from steps.targets.driversettings import DriverSettings, Interstitial
from steps.targets.forms import auto_submit_form, meta_refresh, pressed_button, submission
from steps.targets.pages import Page, read_page

SECRET_FIELD = re.compile(r"pass|token|code|otp|secret|pin|credential", re.IGNORECASE)
REDACTED = "••••"
EXCERPT = 300

# Where a navigation ended.
AT_PAGE = "page"
AT_SERVICE = "service"  # a redirect away from CAS (with or without a ticket)
AT_STOP = "stop"  # the caller's stop condition matched a redirect (Duo's prompt)
NO_ANSWER = "no-answer"
TOO_MANY_HOPS = "too-many-hops"
UNEXPECTED = "unexpected"  # an answer the flow cannot go on from (the problem says why)


@dataclass(frozen=True)
class Landing:
    where: str
    status: int = 0
    url: str = ""
    page: Page | None = None
    ticket: str | None = None
    problem: str | None = None


def why_no_answer(error: requests.RequestException) -> str:
    """A request's failure in a few words ("connection refused", "no answer within 5 s")."""
    if isinstance(error, requests.Timeout):
        return "no answer in time"
    found = re.search(r"\[Errno -?\d+\] ([^'\")]+)", str(error))
    return found.group(1).strip().lower() if found else str(error).splitlines()[0][:200]


def redact(fields: Mapping[str, Any], secret: frozenset[str] = frozenset()) -> dict[str, str]:
    """The fields as a report may show them: the form's password and code fields (by what the driver found
    them to be) and anything named like a secret, blanked."""
    return {
        k: REDACTED if v and (k in secret or SECRET_FIELD.search(k)) else str(v) for k, v in fields.items()
    }


class Browser:
    def __init__(self, cas_url: str, settings: DriverSettings, timeout: float, verify: bool | str) -> None:
        self.cas_url = cas_url
        self.settings = settings
        self.timeout = timeout
        self.verify = verify
        self.session = self._new_session()
        self.headers: dict[str, str] = {}  # sent with every request of the current flow
        self.exchanges: list[Exchange] = []
        self.page_url: str | None = None  # the page whose forms a submission posts

    def _new_session(self) -> requests.Session:
        session = requests.Session()
        session.verify = self.verify
        return session

    def restart(self) -> None:
        """Another browser: no cookies at all."""
        self.session.close()
        self.session = self._new_session()

    def drop_cookie(self, name: str) -> None:
        jar: CookieJar = self.session.cookies
        for cookie in list(jar):
            if cookie.name == name:
                self.session.cookies.clear(cookie.domain, cookie.path, cookie.name)

    def close(self) -> None:
        self.session.close()

    @property
    def last(self) -> str:
        if not self.exchanges:
            return "no request yet"
        e = self.exchanges[-1]
        return f"{e.method} {e.url} -> {e.status if e.status is not None else 'no answer'}: {e.response}"

    def is_cas(self, url: str) -> bool:
        """The CAS server's own URLs: its origin (a portal outside ``/cas`` included), never the
        application a ticket is for."""
        return _origin(url) == _origin(self.cas_url)

    def submit(
        self,
        page: Page,
        values: Mapping[str, str],
        *,
        stop: Callable[[str], bool] | None = None,
        service: str | None = None,
    ) -> Landing:
        """Complete the page's login or code form with ``values`` and press its button."""
        assert page.found is not None
        secret = frozenset(f for f in (page.found.password_field, page.found.code_field) if f)
        request = submission(
            page.found.tag, self.page_url or self.cas_url, dict(values), self.settings.submit
        )
        return self.navigate(
            request["method"],
            request["url"],
            query=request.get("params"),
            data=request.get("data"),
            stop=stop,
            service=service,
            secret=secret,
        )

    def navigate(
        self,
        method: str,
        url: str,
        *,
        query: Any = None,
        data: Any = None,
        stop: Callable[[str], bool] | None = None,
        service: str | None = None,
        secret: frozenset[str] = frozenset(),
    ) -> Landing:
        """One navigation: follow the server's redirects and interstitials, at most ``max_hops`` of them."""
        for _ in range(self.settings.max_hops + 1):
            try:
                answer = self.session.request(
                    method,
                    url,
                    params=query,
                    data=data,
                    headers=self.headers,
                    allow_redirects=False,
                    timeout=self.timeout,
                )
            except requests.RequestException as error:
                self.log(method, url, data, None, f"no answer: {why_no_answer(error)}", secret)
                return Landing(NO_ANSWER, 0, url, problem=f"no answer from {url}: {why_no_answer(error)}")
            query = None
            location = answer.headers.get("Location")
            if answer.is_redirect and location:
                target = urljoin(answer.url, location)
                self.log(method, answer.url, data, answer.status_code, f"-> {target}", secret)
                if stop is not None and stop(target):
                    return Landing(AT_STOP, answer.status_code, target)
                ticket = dict(parse_qsl(urlsplit(target).query)).get("ticket")
                if not self.is_cas(target) or (ticket and service and target.startswith(service)):
                    return Landing(AT_SERVICE, answer.status_code, target, ticket=ticket)
                if answer.status_code not in (307, 308):
                    method, data = "GET", None
                url = target
                continue
            self.page_url = answer.url
            html = answer.text
            page = read_page(html, self.settings)
            self.log(method, answer.url, data, answer.status_code, page.describe()[:EXCERPT], secret)
            hop = self._interstitial(html, page, answer.url)
            if hop is None:
                return Landing(AT_PAGE, answer.status_code, answer.url, page=page)
            method, url, query, data = hop
        return Landing(
            TOO_MANY_HOPS,
            0,
            url,
            problem=f"more than {self.settings.max_hops} redirects or interstitials from {url}",
        )

    def _interstitial(self, html: str, page: Page, url: str) -> tuple[str, str, Any, Any] | None:
        """The next request when the page is one a person passes through, else None."""
        if page.found is not None:
            return None  # a login or code form is where the flow waits for the user
        soup = BeautifulSoup(html, "html.parser")
        refresh = meta_refresh(soup)
        if refresh:
            return "GET", urljoin(url, refresh), None, None
        form = auto_submit_form(soup)
        if form is not None:
            request = submission(form, url, {})
            return request["method"], request["url"], request.get("params"), request.get("data")
        for known in self.settings.interstitials:
            form = _interstitial_form(soup, known)
            if form is not None:
                request = submission(form, url, {}, known.press)
                return request["method"], request["url"], request.get("params"), request.get("data")
        return None

    def log(
        self,
        method: str,
        url: str,
        data: Any,
        status: int | None,
        response: str,
        secret: frozenset[str] = frozenset(),
    ) -> None:
        sent = dict(data) if isinstance(data, Mapping) else dict(data or [])
        self.exchanges.append(Exchange(method, url, status, redact(sent, secret), response))


def _interstitial_form(soup: BeautifulSoup, page: Interstitial) -> Tag | None:
    """The form to submit on a page the target file names, if this is that page."""
    if page.text is not None:
        if page.text.lower() not in soup.get_text(" ", strip=True).lower():
            return None
    elif page.selector is not None and soup.select_one(page.selector) is None:
        return None
    for form in soup.find_all("form"):
        if isinstance(form, Tag) and (page.press is None or pressed_button(form, page.press) is not None):
            return form
    return None


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, f"{(parts.hostname or '').lower()}:{port}"
