"""The control API against hostile and broken requests (the probe's findings): every malformed request
is a 4xx with ``{"error": ...}``, never a 500, never a traceback on the server's stderr, and never a
wait longer than the documented bound."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mocks import wire
from mocks.control import MAX_DEPTH, ControlServer
from mocks.suite import MockSuite
from tests.mocks.rawhttp import Answer, exchange, port_of, request, reset_close, served_with_stderr

FAULT = "/providers/duo/fault"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], Path]]:
    with served_with_stderr(tmp_path_factory.mktemp("control")) as (ready, stderr):
        yield ready, stderr


@pytest.fixture(scope="module")
def port(served: tuple[dict[str, Any], Path]) -> int:
    return port_of(served[0]["control"])


def refused(answer: Answer, status: int, *words: str) -> None:
    """A refusal as the control API gives them: the status, a JSON error naming what is wrong."""
    assert answer.status == status, (answer.status, answer.body[:300])
    assert answer.headers["content-type"] == "application/json"
    message = answer.json()["error"]
    assert all(word in message for word in words), message


# -- bodies -------------------------------------------------------------------------------------------


def test_a_body_nested_100000_deep_is_a_400_naming_the_limit(port: int) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    refused(exchange(port, request("PUT", FAULT, body)), 400, f"limit of {MAX_DEPTH}")


def test_the_depth_limit_is_exact_and_ignores_brackets_inside_strings(port: int) -> None:
    deepest = b"[" * MAX_DEPTH + b"]" * MAX_DEPTH
    refused(exchange(port, request("PUT", FAULT, deepest)), 400, "a fault is a JSON object")
    too_deep = b"[" + deepest + b"]"
    refused(exchange(port, request("PUT", FAULT, too_deep)), 400, "nested deeper")
    quoted = b'{"kind": "' + b"[{" * 500 + b'\\"]"}'
    refused(exchange(port, request("PUT", FAULT, quoted)), 400, "kind:", "is not one of")


def test_a_body_over_1_mib_is_a_413_and_the_client_reads_it(port: int) -> None:
    body = b" " * (2 << 20)
    refused(exchange(port, request("PUT", FAULT, body)), 413, f"limit of {wire.MAX_BODY} bytes")


@pytest.mark.parametrize(
    ("value", "status", "words"),
    [
        ("abc", 400, ("'abc' is not a length",)),
        ("-1", 400, ("is not a length",)),
        ("\xb2", 400, ("is not a length",)),  # '²': str.isdigit() says yes, int() says no
        ("1" * 5000, 413, ("larger than the limit",)),
        ("10, 10", 400, ("is not a length",)),
    ],
)
def test_a_content_length_that_is_no_length_is_refused(
    port: int, value: str, status: int, words: tuple[str, ...]
) -> None:
    answer = exchange(port, request("PUT", FAULT, b'{"kind": "down"}', {"Content-Length": value}))
    refused(answer, status, *words)


def test_conflicting_lengths_and_chunked_bodies_are_refused(port: int) -> None:
    twice = b"PUT /reset HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"
    refused(exchange(port, twice), 400, "more than once")
    chunked = request("POST", "/reset", b"2\r\n{}\r\n0\r\n\r\n", {"Transfer-Encoding": "chunked"})
    refused(exchange(port, chunked), 411, "Content-Length")


def test_a_body_shorter_than_its_length_is_a_400_as_soon_as_the_client_is_done(port: int) -> None:
    answer = exchange(port, request("PUT", FAULT, b"{}", {"Content-Length": "100"}), half_close=True)
    refused(answer, 400, "2 of the 100 bytes")
    assert answer.seconds < 2


def test_a_body_that_never_arrives_is_a_400_after_the_read_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    assert wire.READ_TIMEOUT == 5.0  # the documented bound; shortened below so the test is quick
    monkeypatch.setattr(wire, "READ_TIMEOUT", 0.3)
    with MockSuite() as suite:
        control = ControlServer(suite).start()
        try:
            answer = exchange(
                port_of(control.url), request("PUT", FAULT, b"{}", {"Content-Length": "100"}), timeout=10
            )
        finally:
            control.stop()
    refused(answer, 400, "2 of the 100 bytes", "0.3 s")
    assert answer.seconds < 3


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b'{"kind": "slow", "delay_ms": NaN}', ("NaN is not a JSON number",)),
        (b'{"kind": "slow", "delay_ms": -Infinity}', ("-Infinity is not a JSON number",)),
        (b'{"kind": "slow", "delay_ms": 1e999}', ("too large a number",)),
        (b'{"kind": "slow", "delay_ms": ' + b"9" * 5000 + b"}", ("not JSON this API takes",)),
        (b'{"kind": "down"', ("the body is not JSON",)),
        (b'\xff{"kind": "down"}', ("not UTF-8",)),
        (b'{"kind": "http-error", "body": "\\udc00"}', ("body: must be valid Unicode",)),
    ],
)
def test_bodies_that_are_not_json_this_api_takes(port: int, body: bytes, words: tuple[str, ...]) -> None:
    refused(exchange(port, request("PUT", FAULT, body)), 400, *words)


# -- fault fields ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["503.7", '"abc"', "true", "99", "1000", "503.0", "null", "[503]"])
def test_an_http_status_that_is_no_error_status_is_a_400_naming_the_field(port: int, status: str) -> None:
    body = f'{{"kind": "http-error", "status": {status}}}'.encode()
    refused(
        exchange(port, request("PUT", FAULT, body)), 400, "status: must be a whole number from 400 to 599"
    )


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ('{"kind": "rate-limit", "retry_after": 1.5}', "retry_after"),
        ('{"kind": "slow", "delay_ms": 2.5}', "delay_ms"),
        ('{"kind": "flapping", "every": 2.5}', "every"),
        ('{"kind": "http-error", "content_type": "text/html\\r\\nX-Injected: 1"}', "content_type"),
    ],
)
def test_other_fault_fields_are_checked_as_strictly(port: int, spec: str, field: str) -> None:
    refused(exchange(port, request("PUT", FAULT, spec.encode())), 400, f"{field}:")


def test_a_whole_status_is_still_taken(port: int) -> None:
    answer = exchange(port, request("PUT", FAULT, b'{"kind": "http-error", "status": 503}'))
    assert (answer.status, answer.json()) == (200, {"kind": "http-error", "status": 503})
    assert exchange(port, request("DELETE", FAULT)).status == 200


# -- methods, targets, request lines ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PATCH", "/health", "GET, HEAD"),
        ("POST", "/health", "GET, HEAD"),
        ("GET", "/reset", "POST"),
        ("OPTIONS", "/reset", "POST"),
        ("PATCH", FAULT, "PUT, DELETE"),
        ("POST", "/providers/yubikey/journal", "GET, HEAD, DELETE"),
        ("GET", "/providers/radius/users/alice", "PUT, DELETE"),
        ("DELETE", "/providers/yubikey/otp", "POST"),
        ("TRACE", "/providers", "GET, HEAD"),
    ],
)
def test_a_method_a_route_does_not_take_is_a_405_with_allow(
    port: int, method: str, path: str, allow: str
) -> None:
    answer = exchange(port, request(method, path))
    refused(answer, 405, f"does not take {method}")
    assert answer.headers["allow"] == allow


def test_head_is_get_without_the_body(port: int) -> None:
    answer = exchange(port, request("HEAD", "/health"))
    assert answer.status == 200 and answer.body == b"" and int(answer.headers["content-length"]) > 0
    unknown = exchange(port, request("HEAD", "/nothing"))
    assert unknown.status == 400 and unknown.body == b""


def test_unknown_paths_and_names_stay_400s(port: int) -> None:
    refused(exchange(port, request("PATCH", "/nothing")), 400, "no control operation PATCH /nothing")
    refused(exchange(port, request("PATCH", "/providers/ldap/fault")), 400, "no provider 'ldap'")


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"BREW /health HTTP/1.1\r\n\r\n", 501),  # a method nobody defined (RFC 9110 §15.6.2)
        (b"G@T /health HTTP/1.1\r\n\r\n", 400),  # no method token at all
        (b"GET http://[::1/health HTTP/1.1\r\n\r\n", 400),
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET /health HTTP/9.9\r\n\r\n", 505),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
        (b"GET /health HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(150)) + b"\r\n", 431),
    ],
)
def test_broken_request_lines_and_headers_get_json_refusals(port: int, data: bytes, status: int) -> None:
    answer = exchange(port, data)
    assert answer.status == status, answer.body[:200]
    assert "error" in answer.json()


# -- the server itself ------------------------------------------------------------------------------------


def test_clients_that_vanish_mid_request_leave_no_traceback(
    served: tuple[dict[str, Any], Path], port: int
) -> None:
    for _ in range(10):
        reset_close(port, b"PUT /providers/duo/fault HTTP/1.1\r\nContent-Length: 10\r\n\r\n{")
        reset_close(port, b"GET /health HTTP/1.1\r\n\r\n")
        reset_close(port, b"GET /heal")
        with socket.create_connection(("127.0.0.1", port)) as quiet:
            quiet.sendall(b"PUT /reset HTTP/1.1\r\n")
    assert exchange(port, request("GET", "/health")).status == 200
    assert served[1].read_text() == ""  # every test in this module ran against this process
