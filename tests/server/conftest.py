"""One reference CAS server (``cas-mfa-ref serve`` as a subprocess) for the session, fed a new profile and
refreshed before each test; real ``requests`` browsers; the mock providers on loopback."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

import pytest
import requests

from mocks.suite import MockSuite
from steps.deployment import Deployment, module

SERVICE = "https://app.example.org/portal"
STARTUP_SECONDS = 30.0
TIMEOUT = 15.0  # every request's bound; a provider call inside is bounded by the profile


# Each server's standard error, in a file: a pipe nobody reads would stall a server that warns at every
# refresh once the pipe's buffer is full.
_STDERR: dict[int, IO[str]] = {}


def stderr_of(process: subprocess.Popen[str]) -> str:
    """What the server wrote on its standard error so far."""
    file = _STDERR[process.pid]
    file.seek(0)
    return file.read()


def start_server(profile: Path, *extra: str) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    """``cas-mfa-ref serve`` on an ephemeral loopback port; its ready line, read within a bounded wait."""
    errors = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (lives as long as the process)
    process = subprocess.Popen(
        [sys.executable, "-m", "cas_mfa_ref.cli", "serve", "--profile", str(profile), "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    _STDERR[process.pid] = errors
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], STARTUP_SECONDS)
    if not ready:
        process.kill()
        raise AssertionError(f"no ready line within {STARTUP_SECONDS} s")
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=10)
        raise AssertionError(f"the server ended: {stderr_of(process)}")
    return process, json.loads(line)


def stop_server(process: subprocess.Popen[str], sig: int = signal.SIGTERM) -> int:
    process.send_signal(sig)
    try:
        return process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
        raise AssertionError("the server did not stop within 10 s") from None


@dataclass
class Form:
    id: str
    fields: dict[str, str] = field(default_factory=dict)


class _Forms(HTMLParser):
    """The forms of a page (id and input values) and the text of its h2 headings."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.headings: list[str] = []
        self._in_form = False
        self._h2: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("id", "")))
            self._in_form = True
        elif tag in ("input", "select") and self._in_form and "name" in a:
            self.forms[-1].fields[a["name"]] = a.get("value", "")
        elif tag == "h2":
            self._h2 = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "h2" and self._h2 is not None:
            self.headings.append(" ".join("".join(self._h2).split()))
            self._h2 = None

    def handle_data(self, data: str) -> None:
        if self._h2 is not None:
            self._h2.append(data)


def parse(page: requests.Response) -> _Forms:
    parser = _Forms()
    parser.feed(page.text)
    return parser


def form(page: requests.Response, form_id: str) -> Form:
    found = [f for f in parse(page).forms if f.id == form_id]
    assert found, f"no form '{form_id}' in {page.status_code} {page.text[:2000]}"
    return found[0]


def ticket_of(response: requests.Response) -> str:
    assert response.status_code == 302, f"{response.status_code}: {response.text[:2000]}"
    query = urlsplit(response.headers["Location"]).query
    tickets = [p.split("=", 1)[1] for p in query.split("&") if p.startswith("ticket=")]
    assert tickets, response.headers["Location"]
    return tickets[0]


@dataclass
class RunningCas:
    url: str
    profile: Path
    process: subprocess.Popen[str]


@pytest.fixture(scope="session")
def running_cas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCas]:
    profile = tmp_path_factory.mktemp("served") / "profile"
    Deployment(users={"casuser": "Mellon"}).write(profile)
    process, ready = start_server(profile)
    yield RunningCas(ready["cas_url"], Path(ready["profile"]), process)
    stop_server(process)


class Cas:
    """The session's server, redeployed for one test, and browsers to drive it."""

    def __init__(self, running: RunningCas, mocks: MockSuite) -> None:
        self.url = running.url
        self.profile = running.profile
        self.mocks = mocks
        self._sessions: list[requests.Session] = []

    def deploy(self, deployment: Deployment) -> requests.Response:
        shutil.rmtree(self.profile)
        deployment.pointed_at(self.mocks.describe()).write(self.profile)
        answer = requests.post(f"{self.url}/actuator/refresh", timeout=TIMEOUT)
        assert answer.status_code == 200, answer.text
        return answer

    def browser(self) -> requests.Session:
        session = requests.Session()
        self._sessions.append(session)
        return session

    def get(self, browser: requests.Session, path: str, **params: str) -> requests.Response:
        return browser.get(f"{self.url}{path}", params=params, allow_redirects=False, timeout=TIMEOUT)

    def post(
        self, browser: requests.Session, path: str, data: dict[str, str], **params: str
    ) -> requests.Response:
        return browser.post(
            f"{self.url}{path}", params=params, data=data, allow_redirects=False, timeout=TIMEOUT
        )

    def login(
        self,
        browser: requests.Session,
        service: str | None = SERVICE,
        password: str = "Mellon",
        username: str = "casuser",
        headers: dict[str, str] | None = None,
        **params: str,
    ) -> requests.Response:
        """The login form fetched and submitted, as a browser does."""
        query = {**({"service": service} if service else {}), **params}
        page = browser.get(
            f"{self.url}/login", params=query, headers=headers, allow_redirects=False, timeout=TIMEOUT
        )
        assert page.status_code == 200, f"{page.status_code}: {page.text[:2000]}"
        fields = form(page, "fm1").fields
        fields.update(username=username, password=password)
        return browser.post(
            f"{self.url}/login", data=fields, headers=headers, allow_redirects=False, timeout=TIMEOUT
        )

    def submit(
        self, browser: requests.Session, page: requests.Response, form_id: str, **values: str
    ) -> requests.Response:
        fields = form(page, form_id).fields
        fields.update(values)
        return self.post(browser, "/login", fields)

    def validate(
        self, ticket: str, service: str = SERVICE, path: str = "/p3/serviceValidate", **params: str
    ) -> requests.Response:
        return requests.get(
            f"{self.url}{path}", params={"ticket": ticket, "service": service, **params}, timeout=TIMEOUT
        )

    def close(self) -> None:
        for session in self._sessions:
            session.close()


@pytest.fixture
def cas(running_cas: RunningCas, mocks: MockSuite) -> Iterator[Cas]:
    assert running_cas.process.poll() is None, "the session's server has stopped"
    helper = Cas(running_cas, mocks)
    requests.delete(f"{running_cas.url}/actuator/conformanceClock", timeout=TIMEOUT)
    yield helper
    helper.close()


def plain() -> Deployment:
    """casuser with two attributes, and one service without MFA that releases everything."""
    deployment = Deployment()
    deployment.add_user("casuser", "Mellon", {"mail": ["casuser@example.org"], "staff": [True]})
    deployment.service(SERVICE)
    return deployment


def with_provider(name: str, **properties: str) -> Deployment:
    """``plain()`` with one provider, required by the service."""
    deployment = plain()
    provider = module(name)
    deployment.add_provider(provider)
    for key, value in properties.items():
        deployment.set(key, value)
    deployment.policy(SERVICE)["multifactorAuthenticationProviders"] = [
        "java.util.LinkedHashSet",
        [provider.provider_id],
    ]
    return deployment
