"""The reference server under careless and hostile clients: slow sockets, oversized requests, bad
bodies, callers off loopback. Every answer is a 4xx with a body, never a 500, and a stop is prompt."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from werkzeug.test import Client

from cas_mfa_ref.server import transport
from cas_mfa_ref.server.access import exposure_warning, is_loopback
from cas_mfa_ref.server.app import CasServer
from cas_mfa_ref.server.runtime import MAX_OPEN_BYTES, Executions, Step
from steps.deployment import Deployment, module
from tests.server.conftest import start_server, stderr_of, stop_server


class LocalClient(Client):
    """A test client whose requests come from loopback, as werkzeug's leave the address out."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("environ_base", {"REMOTE_ADDR": "127.0.0.1"})
        return super().open(*args, **kwargs)


EXECUTION = re.compile(r'name="execution" value="([^"]+)"')
SERVICE = "https://app.example.org/portal"


def _profile(tmp_path: Path, **properties: str) -> Path:
    deployment = Deployment(users={"casuser": "Mellon"}, properties=dict(properties))
    deployment.service(SERVICE)
    return deployment.write(tmp_path / "profile")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Any, str]]:
    process, ready = start_server(_profile(tmp_path))
    try:
        yield process, str(ready["cas_url"])
    finally:
        if process.poll() is None:
            stop_server(process)


def _address(cas_url: str) -> tuple[str, int]:
    host_port = cas_url.split("//", 1)[1].split("/", 1)[0]
    host, port = host_port.rsplit(":", 1)
    return host, int(port)


def _login(cas_url: str, timeout: float) -> requests.Response:
    with requests.Session() as browser:
        form = browser.get(f"{cas_url}/login", params={"service": SERVICE}, timeout=timeout)
        execution = EXECUTION.search(form.text)
        assert form.status_code == 200 and execution, form.status_code
        return browser.post(
            f"{cas_url}/login",
            params={"service": SERVICE},
            data={"username": "casuser", "password": "Mellon", "execution": execution.group(1)},
            allow_redirects=False,
            timeout=timeout,
        )


def test_a_login_is_answered_within_a_second_under_100_idle_and_100_trickling_connections(
    served: tuple[Any, str],
) -> None:
    _, cas_url = served
    address = _address(cas_url)
    idle = [socket.create_connection(address, timeout=5) for _ in range(100)]
    trickling = [socket.create_connection(address, timeout=5) for _ in range(100)]
    stop = threading.Event()

    def trickle() -> None:
        request = b"GET /cas/login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200
        for index in range(len(request)):
            for connection in trickling:
                with contextlib.suppress(OSError):  # the server may have closed it
                    connection.send(request[index : index + 1])
            if stop.wait(0.05):
                return

    sender = threading.Thread(target=trickle, daemon=True)
    sender.start()
    try:
        time.sleep(0.3)  # every slow connection has begun
        began = time.monotonic()
        answer = _login(cas_url, timeout=1.0)  # requests raises past the bound
        assert answer.status_code == 302 and "ticket=ST-" in answer.headers["Location"]
        assert time.monotonic() - began < 1.0
    finally:
        stop.set()
        sender.join(timeout=5)
        for connection in idle + trickling:
            connection.close()


def test_a_stop_takes_under_two_seconds_whatever_is_open(served: tuple[Any, str]) -> None:
    process, cas_url = served
    address = _address(cas_url)
    sockets = [socket.create_connection(address, timeout=5) for _ in range(20)]
    for partial in sockets[10:15]:
        partial.send(b"POST /cas/login HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nusername=")
    for busy in sockets[15:]:  # whole requests, some still in the workers' hands when the stop comes
        busy.send(b"GET /cas/login?service=" + SERVICE.encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n" * 5)
    try:
        began = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=2) == 0
        assert time.monotonic() - began < 2.0
    finally:
        for connection in sockets:
            connection.close()
    assert "Traceback" not in stderr_of(process)


def _raw(address: tuple[str, int], request: bytes) -> tuple[int, bytes]:
    with socket.create_connection(address, timeout=10) as connection:
        with contextlib.suppress(OSError):  # the server may answer and close before all is sent
            connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer and len(answer) > 200:
                break
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, answer


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /cas/login?service=" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"GET /cas/login?service=" + b"a" * 1_000_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"GET /cas/login HTTP/1.1\r\nHost: x\r\n" + b"X-Big: " + b"b" * 70_000 + b"\r\n\r\n", 431),
        (b"POST /cas/login HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n", 413),
    ],
    ids=["request line 20 kB", "request line 1 MB", "headers 70 kB", "body 1 MB"],
)
def test_oversized_requests_get_their_own_4xx(
    served: tuple[Any, str], request_bytes: bytes, status: int
) -> None:
    _, cas_url = served
    assert _raw(_address(cas_url), request_bytes)[0] == status


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the server's RSS from /proc")
def test_memory_stays_flat_under_200_oversized_requests(served: tuple[Any, str]) -> None:
    process, cas_url = served
    address = _address(cas_url)
    huge = b"GET /cas/login?service=" + b"a" * 1_000_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    for _ in range(20):  # warm up: the allocator's first growth is not a leak
        _raw(address, huge)
    before = _rss_kib(process.pid)
    for _ in range(200):
        assert _raw(address, huge)[0] == 414
    grown = _rss_kib(process.pid) - before
    assert grown < 16 * 1024, f"the server grew by {grown} KiB over 200 oversized requests"
    assert _login(cas_url, timeout=5).status_code == 302


@contextlib.contextmanager
def _transported(app: Any) -> Iterator[int]:
    """``app`` behind the server's transport, in this process, on an ephemeral loopback port."""
    server = transport.make_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        yield int(server.effective_port)
    finally:
        server.close()


def test_a_request_not_whole_in_time_gets_408(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transport, "REQUEST_READ_SECONDS", 0.3)

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    with _transported(app) as port, socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\n")
        time.sleep(0.5)
        connection.sendall(b"Host: x\r\n\r\n")
        assert connection.recv(100).split(b"\r\n")[0].endswith(b" 408 Request Timeout")


@pytest.fixture
def simple_served(tmp_path: Path) -> Iterator[str]:
    """A server whose profile offers CAS Simple (no network behind it) to an application without MFA."""
    deployment = Deployment(users={"casuser": "Mellon"})
    deployment.add_provider(module("CAS Simple"))
    deployment.service(SERVICE)
    process, ready = start_server(deployment.write(tmp_path / "profile"))
    try:
        yield str(ready["cas_url"])
    finally:
        stop_server(process)


@pytest.mark.parametrize(
    ("headers", "asks_for_simple"),
    [
        ({"authn_method": "mfa-simple"}, True),
        # Tomcat gives CAS the header by the name it was sent with: the hyphenated twin is another header,
        # and neither is merged into the other.
        ({"authn_method": "mfa-simple", "authn-method": "mfa-acme"}, True),
        ({"authn-method": "mfa-simple"}, False),
    ],
    ids=["underscore", "both spellings", "hyphen only"],
)
def test_a_header_named_with_an_underscore_reaches_cas_by_its_own_name(
    simple_served: str, headers: dict[str, str], asks_for_simple: bool
) -> None:
    cas_url = simple_served
    with requests.Session() as browser:
        form = browser.get(f"{cas_url}/login", params={"service": SERVICE}, timeout=10)
        execution = EXECUTION.search(form.text)
        assert execution is not None
        answer = browser.post(
            f"{cas_url}/login",
            params={"service": SERVICE},
            data={"username": "casuser", "password": "Mellon", "execution": execution.group(1)},
            headers=headers,
            allow_redirects=False,
            timeout=10,
        )
    if asks_for_simple:
        assert answer.status_code == 200 and 'name="token"' in answer.text, answer.status_code
    else:
        assert answer.status_code == 302 and "ticket=ST-" in answer.headers["Location"]


def test_an_underscored_header_cannot_pass_for_its_hyphenated_twin() -> None:
    parser = transport.CasRequestParser(transport.make_server(lambda e, s: [], "127.0.0.1", 0).adj)
    parser.received(
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10.0.0.9\r\nX_Forwarded_For: 127.0.0.1\r\n"
        b"authn_method: a\r\n b\r\n\r\n"
    )
    assert parser.headers["X_FORWARDED_FOR"] == "10.0.0.9"
    assert parser.underscored == [("X_Forwarded_For", "127.0.0.1"), ("authn_method", "a b")]


def test_a_request_line_after_a_blank_line_is_bounded_too(served: tuple[Any, str]) -> None:
    _, cas_url = served
    request = b"\r\nGET /cas/login?service=" + b"a" * 30_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    assert _raw(_address(cas_url), request)[0] == 414


def test_a_request_queued_behind_a_slow_one_is_not_timed_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """The read clock of a pipelined request starts when the connection may be read again."""
    monkeypatch.setattr(transport, "REQUEST_READ_SECONDS", 0.5)

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        if environ["PATH_INFO"] == "/slow":
            time.sleep(1.0)
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]

    with _transported(app) as port, socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\n")
        time.sleep(0.05)
        connection.sendall(b"Host: x\r\nConnection: close\r\n\r\n")
        answers = b""
        while chunk := connection.recv(65536):
            answers += chunk
    assert answers.count(b" 200 OK") == 2 and b" 408 " not in answers, answers


@pytest.fixture
def app(tmp_path: Path) -> CasServer:
    lines: list[str] = []
    server = CasServer(_profile(tmp_path), "http://127.0.0.1:8443/cas", warn=lines.append)
    server.warnings = lines  # type: ignore[attr-defined]
    return server


@pytest.mark.parametrize(
    "body",
    [
        '{"advance": 1e308}',
        '{"advance": NaN}',
        '{"advance": -1e12}',
        '{"advance": Infinity}',
        '{"advance": "soon"}',
        '{"now": "9999-12-31T23:59:59Z", "advance": 1}',
        '{"now": 12}',
        "[" * 100_000 + "]" * 100_000,
        "\xff\xfe",
    ],
    ids=["1e308", "NaN", "-1e12", "Infinity", "text", "two keys", "number as now", "deep", "not UTF-8"],
)
def test_a_bad_clock_request_is_a_400_with_a_message(app: CasServer, body: str) -> None:
    answer = LocalClient(app).put("/cas/actuator/conformanceClock", data=body.encode("latin-1", "replace"))
    assert answer.status_code == 400, answer.get_data(as_text=True)
    assert json.loads(answer.get_data(as_text=True))["message"]


def test_the_clock_cannot_be_advanced_past_the_last_date(app: CasServer) -> None:
    client = LocalClient(app)
    assert (
        client.put("/cas/actuator/conformanceClock", json={"now": "9999-12-31T00:00:00Z"}).status_code == 200
    )
    answer = client.put("/cas/actuator/conformanceClock", json={"advance": 10 * 365 * 86400})
    assert answer.status_code == 400 and "past the years" in answer.get_json()["message"]


@pytest.mark.parametrize(
    "service", ["https://app.example.org/a\rb", "https://app.example.org/%0d\r\nSet-Cookie: x=1"]
)
def test_a_service_with_a_control_character_is_refused_before_any_credentials(
    app: CasServer, service: str
) -> None:
    client = LocalClient(app)
    assert client.get("/cas/login", query_string={"service": service}).status_code == 400
    posted = client.post("/cas/login", query_string={"service": service}, data={"execution": "none"})
    assert posted.status_code == 400 and "Set-Cookie" not in str(posted.headers).replace("x=1", "")


def test_a_service_with_characters_a_header_cannot_carry_is_redirected_as_its_uri(tmp_path: Path) -> None:
    deployment = Deployment(users={"casuser": "Mellon"})
    deployment.service("https://app.example.org/café")
    server = CasServer(
        deployment.write(tmp_path / "profile"), "http://127.0.0.1:8443/cas", warn=lambda _: None
    )
    client = LocalClient(server)
    form = client.get("/cas/login", query_string={"service": "https://app.example.org/café"})
    execution = EXECUTION.search(form.get_data(as_text=True))
    assert execution is not None
    answer = client.post(
        "/cas/login",
        query_string={"service": "https://app.example.org/café"},
        data={"username": "casuser", "password": "Mellon", "execution": execution.group(1)},
    )
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("https://app.example.org/caf%C3%A9?ticket=ST-")


@pytest.mark.parametrize(
    "path",
    ["/cas/actuator/refresh", "/cas/actuator/conformanceClock", "/cas/actuator/multifactorTrustedDevices"],
)
def test_the_actuator_answers_loopback_callers_only_without_a_token(app: CasServer, path: str) -> None:
    method = "POST" if path.endswith("refresh") else "GET"
    outside = LocalClient(app).open(path, method=method, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert outside.status_code == 403 and "loopback" in outside.get_json()["message"]
    inside = LocalClient(app).open(path, method=method, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert inside.status_code == 200
    # a forwarded address is not the socket's: it proves nothing
    forwarded = LocalClient(app).open(
        path,
        method=method,
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
        headers={"X-Forwarded-For": "127.0.0.1"},
    )
    assert forwarded.status_code == 403


def test_with_a_token_others_must_present_it(tmp_path: Path) -> None:
    server = CasServer(
        _profile(tmp_path), "http://127.0.0.1:8443/cas", actuator_token="s3cret", warn=lambda _: None
    )
    path, outside = "/cas/actuator/conformanceClock", {"REMOTE_ADDR": "192.0.2.7"}
    assert LocalClient(server).get(path, environ_base=outside).status_code == 401
    wrong = LocalClient(server).get(path, environ_base=outside, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "Bearer" in wrong.headers["WWW-Authenticate"]
    right = LocalClient(server).get(path, environ_base=outside, headers={"Authorization": "Bearer s3cret"})
    assert right.status_code == 200
    # logins and validation are for everyone
    assert LocalClient(server).get("/cas/login", environ_base=outside).status_code == 200


@pytest.mark.parametrize(
    ("host", "token", "warned"),
    [
        ("127.0.0.1", None, False),
        ("::1", None, False),
        ("localhost", None, False),
        ("0.0.0.0", None, True),
        ("192.0.2.1", "t", True),
        ("::", None, True),
    ],
)
def test_a_server_reachable_from_other_machines_says_so(host: str, token: str | None, warned: bool) -> None:
    warning = exposure_warning(host, token)
    assert (warning is not None) is warned
    if warning:
        assert host in warning and ("--actuator-token" in warning) is (token is None)


def test_loopback_is_the_socket_address() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("127.8.9.10") and is_loopback("::1")
    assert not is_loopback("10.0.0.1") and not is_loopback(None) and not is_loopback("not an address")


def test_open_forms_are_bounded_in_bytes_as_well_as_in_count() -> None:
    executions = Executions()
    big = {"service": ["x" * 1_000_000]}
    for index in range(40):
        executions.put(f"e{index}", Step("login", None, big))
    assert executions.held_bytes <= MAX_OPEN_BYTES
    assert len(executions) == MAX_OPEN_BYTES // 1_000_300  # the oldest went first
    assert executions.pop("e0") is None and executions.pop("e39") is not None
    assert executions.held_bytes == sum(Step("login", None, big).size for _ in range(len(executions)))


def test_the_trusted_device_database_is_the_owners_only(tmp_path: Path) -> None:
    root = _profile(tmp_path, **{"cas.authn.mfa.trusted.jpa.url": "jdbc:sqlite:devices.db"})
    CasServer(root, "http://127.0.0.1:8443/cas", warn=lambda _: None)
    mode = stat.S_IMODE(os.stat(root / "devices.db").st_mode)
    assert mode & 0o077 == 0, oct(mode)


def test_refresh_and_start_up_warn_of_a_registry_that_lost_every_service(tmp_path: Path) -> None:
    lines: list[str] = []
    root = _profile(tmp_path)
    server = CasServer(root, "http://127.0.0.1:8443/cas", warn=lines.append)
    assert not any("no service" in line for line in lines)
    for definition in (root / "services").iterdir():
        definition.unlink()
    answer = LocalClient(server).post("/cas/actuator/refresh")
    assert answer.status_code == 200
    assert any("no service" in line for line in lines), lines
    assert LocalClient(server).get("/cas/login", query_string={"service": SERVICE}).status_code == 403


def test_a_served_profile_prints_its_warnings_on_start(tmp_path: Path) -> None:
    root = _profile(tmp_path, **{f"cas.authn.mfa.unknown-{i}": "x" for i in range(30)})
    process, _ = start_server(root)
    try:
        stop_server(process)
    finally:
        text = stderr_of(process)
    assert text.count("warning: not modelled") == 20 and "... and 10 more warnings like this" in text, text
    assert "Traceback" not in text


def test_the_command_line_takes_the_actuator_token() -> None:
    from cas_mfa_ref.cli import build_parser

    parsed = build_parser().parse_args(["serve", "--profile", "p", "--actuator-token", "s3cret"])
    assert parsed.actuator_token == "s3cret"
    assert build_parser().parse_args(["serve", "--profile", "p"]).actuator_token is None


def test_the_waitress_seam_the_transport_uses_is_there() -> None:
    """The transport subclasses waitress's channel and parser: a release that moves what it relies on
    fails here, by name, rather than as a slow or header-dropping server."""
    from importlib.metadata import version

    from waitress.channel import HTTPChannel
    from waitress.parser import HTTPRequestParser
    from waitress.server import TcpWSGIServer

    installed = version("waitress")
    for owner, names in (
        (HTTPRequestParser, ("received", "parse_header")),
        (HTTPChannel, ("writable", "parser_class", "will_close", "total_outbufs_len")),
        (TcpWSGIServer, ("channel_class",)),
    ):
        missing = [name for name in names if not hasattr(owner, name)]
        assert not missing, f"waitress {installed}: {owner.__name__} has no {missing}"
    server = transport.make_server(lambda environ, start: [], "127.0.0.1", 0)
    try:
        assert server.channel_class is transport.CasChannel
        assert transport.CasChannel.parser_class is transport.CasRequestParser
        assert server.adj.asyncore_loop_timeout == transport.LOOP_SECONDS
        parser = transport.CasRequestParser(server.adj)
        missing = [
            n
            for n in ("header_plus", "headers_finished", "body_rcv", "completed", "error")
            if not hasattr(parser, n)
        ]
        assert not missing, f"waitress {installed}: the request parser has no {missing}"
    finally:
        server.close()
