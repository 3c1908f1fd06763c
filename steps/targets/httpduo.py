"""Duo's Universal Prompt as the browser plays it: CAS redirects to Duo's authorize URL, Duo (the mock)
sends the browser back to CAS's callback with ``state`` and ``duo_code``."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import requests

from steps.targets.browser import NO_ANSWER, UNEXPECTED, Browser, Landing
from steps.targets.httpmocks import DUO_TOKEN

DUO_AUTHORIZE_PATH = "/oauth/v1/authorize"


def is_duo_authorize(browser: Browser, url: str) -> bool:
    return urlsplit(url).path.endswith(DUO_AUTHORIZE_PATH) and not browser.is_cas(url)


def play_duo(browser: Browser, authorize: str, token: str, ca: str | None, service: str | None) -> Landing:
    """Open Duo's prompt, then follow its redirect back to CAS; a wrong ``token`` replaces Duo's code."""
    try:
        answer = browser.session.get(
            authorize, allow_redirects=False, timeout=browser.timeout, verify=ca or browser.verify
        )
    except requests.RequestException as error:
        browser.log("GET", authorize, None, None, f"no answer: {error}")
        return Landing(NO_ANSWER, 0, authorize, problem=f"Duo did not answer: {error}")
    location = answer.headers.get("Location")
    if not answer.is_redirect or not location:
        browser.log("GET", authorize, None, answer.status_code, answer.text[:200])
        return Landing(
            UNEXPECTED,
            answer.status_code,
            authorize,
            problem=f"Duo's prompt did not send the browser back to CAS: {answer.text[:200]}",
        )
    callback = urljoin(authorize, location)
    browser.log("GET", authorize, None, answer.status_code, f"-> {callback}")
    if token != DUO_TOKEN:  # a wrong code: the callback carries the token the user "entered"
        parts = urlsplit(callback)
        pairs = [(k, token if k in ("duo_code", "code") else v) for k, v in parse_qsl(parts.query)]
        callback = urlunsplit(parts._replace(query=urlencode(pairs)))
    return browser.navigate("GET", callback, service=service)
