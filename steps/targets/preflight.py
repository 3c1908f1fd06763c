"""The preflight of an HTTP run: before the first scenario, is the target file's CAS what it says it is?

The CAS URL must serve a login page the driver recognises and a validation endpoint that answers the CAS
protocol; the mocks' control URL must answer when the file names one; each declared capability that can
be checked cheaply is checked. Each problem is one line saying what was fetched and what was expected.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import requests

from mocks.client import ControlClient, ControlRequestFailed
from steps.targets.base import CLOCK_CONTROL, GAUTH_ACCOUNTS, TRUSTED_DEVICES, VIEW_LOGIN_FORM
from steps.targets.browser import AT_PAGE, AT_SERVICE, Browser, why_no_answer
from steps.targets.casresponse import MALFORMED, read_validation
from steps.targets.httpmanagement import CLOCK_ENDPOINT, GAUTH_ENDPOINT, TRUSTED_DEVICES_ENDPOINT
from steps.targets.targetfile import TargetFile

PREFLIGHT_TIMEOUT_SECONDS = 5.0  # per request: a loopback CAS answers in milliseconds
PREFLIGHT_SERVICE = "https://preflight.invalid/"
PREFLIGHT_TICKET = "ST-0-conformance-preflight"
ENDPOINTS = {
    GAUTH_ACCOUNTS: GAUTH_ENDPOINT,
    TRUSTED_DEVICES: f"{TRUSTED_DEVICES_ENDPOINT}/preflight",
    CLOCK_CONTROL: CLOCK_ENDPOINT,
}


def preflight(target_file: TargetFile) -> list[str]:
    """The problems found, one line each; empty when the deployment looks like what the file says."""
    timeout = min(target_file.timeout, PREFLIGHT_TIMEOUT_SECONDS)
    problems = [*_login_page(target_file, timeout), *_validation(target_file, timeout)]
    if target_file.mocks_control:
        try:
            ControlClient(target_file.mocks_control, timeout).health()
        except ControlRequestFailed as error:
            problems.append(f"mocks.control {target_file.mocks_control}: {error}")
    for capability, endpoint in ENDPOINTS.items():
        if capability in target_file.capabilities:
            problems.extend(_endpoint(target_file, capability, endpoint, timeout))
    directory = target_file.profile_dir
    if directory is not None and not os.access(directory, os.W_OK):
        problems.append(
            f"deployment.profile-dir {directory}: not writable, so no scenario's profile can be put there"
        )
    return problems


def _hint(cas_url: str) -> str:
    path = urlsplit(cas_url).path.rstrip("/")
    return ": is the CAS URL missing /cas?" if not path else ""


def _login_page(target_file: TargetFile, timeout: float) -> list[str]:
    url = f"{target_file.cas_url}/login"
    browser = Browser(target_file.cas_url, target_file.driver, timeout, target_file.verify)
    try:
        landing = browser.navigate("GET", url)
    finally:
        browser.close()
    if landing.where == AT_PAGE and landing.page is not None and landing.page.view == VIEW_LOGIN_FORM:
        return []
    if landing.problem:
        return [f"cas-url: {landing.problem}"]
    if landing.where == AT_SERVICE:
        seen = f"a redirect away from CAS to {landing.url}"
    else:
        page = landing.page
        seen = f"HTTP {landing.status}, {page.describe() if page is not None else 'no page'}"
    return [
        f"cas-url: no login form at {url} (saw {seen}){_hint(target_file.cas_url)}; "
        "if the form is unusual, name it in [driver] (docs/target-file.md)"
    ]


def _validation(target_file: TargetFile, timeout: float) -> list[str]:
    url = f"{target_file.cas_url}/p3/serviceValidate"
    query = {"ticket": PREFLIGHT_TICKET, "service": PREFLIGHT_SERVICE}
    try:
        answer = requests.get(url, params=query, timeout=timeout, verify=target_file.verify)
    except requests.RequestException as error:
        return [f"cas-url: no answer from {url}: {why_no_answer(error)}"]
    observed = read_validation(answer.text, answer.headers.get("Content-Type", ""))
    if observed.success or not observed.code or observed.code == MALFORMED:
        excerpt = " ".join(answer.text.split())[:120]
        return [
            f"cas-url: {url} does not answer the CAS protocol: a made-up ticket got HTTP "
            f"{answer.status_code} {excerpt!r}, not a serviceResponse with authenticationFailure"
            f"{_hint(target_file.cas_url)}"
        ]
    return []


def _endpoint(target_file: TargetFile, capability: str, endpoint: str, timeout: float) -> list[str]:
    url = f"{target_file.cas_url}/{endpoint}"
    try:
        answer = requests.get(url, timeout=timeout, verify=target_file.verify)
    except requests.RequestException as error:
        return [f"capabilities: '{capability}' needs {url}, which did not answer: {why_no_answer(error)}"]
    if answer.status_code in (401, 403, 404, 405) or answer.status_code >= 500:
        return [
            f"capabilities: '{capability}' needs {url}, which answered HTTP {answer.status_code} "
            "(is the endpoint exposed?)"
        ]
    return []
