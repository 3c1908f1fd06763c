"""A property of the control API: whatever a client sends (any method of the ones HTTP knows, the known
routes and mutations of them, JSON of any shape, raw bytes, odd headers and lengths), the answer is no
5xx, a refusal is ``{"error": "..."}`` in JSON, and the server stays healthy.

One ``cas-mfa-mocks serve`` process for the module, over real sockets on 127.0.0.1; its stderr must stay
empty (no traceback). The budget is fixed and the examples derandomized, so CI runs the same requests in
a few seconds every time.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.mocks.rawhttp import Answer, exchange, port_of, request, served_with_stderr

EXAMPLES = 400
METHODS = ("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS")
PROVIDERS = ("duo", "yubikey", "radius", "ldap", "")
ROUTES = (
    "/health",
    "/reset",
    "/providers",
    "/providers/{p}",
    "/providers/{p}/fault",
    "/providers/{p}/fault?endpoint={s}",
    "/providers/{p}/journal",
    "/providers/{p}/users/{s}",
    "/providers/{p}/users",
    "/providers/{p}/devices/{s}",
    "/providers/{p}/devices",
    "/providers/{p}/otp",
    "/providers/{p}/status",
)
KINDS = (
    "healthy",
    "down",
    "timeout",
    "slow",
    "http-error",
    "malformed",
    "bad-signature",
    "flapping",
    "rate-limit",
)
FIELDS = ("kind", "endpoint", "status", "seconds", "delay_ms", "body", "content_type", "variant", "sequence",
          "every", "retry_after", "token", "challenge", "preauth", "push", "passcodes", "username", "aes_key",
          "public_id")  # fmt: skip

# Request-target characters: visible Latin-1 (http.server decodes the request line as Latin-1).
_target_chars = st.characters(min_codepoint=0x21, max_codepoint=0xFF, exclude_characters="\x7f")
segment = st.one_of(
    st.sampled_from(["alice", "cccccccbcjdi", "verify", "token", "..", ".", "%2e%2e", "%00", "a%20b"]),
    st.text(_target_chars, min_size=1, max_size=12).filter(lambda s: "/" not in s and "?" not in s),
)


@st.composite
def paths(draw: st.DrawFn) -> str:
    path: str = draw(st.sampled_from(ROUTES)).format(p=draw(st.sampled_from(PROVIDERS)), s=draw(segment))
    mutation = draw(
        st.sampled_from(["none", "none", "slash", "double", "append", "query", "case", "absolute"])
    )
    if mutation == "slash":
        path += "/"
    elif mutation == "double":
        path = path.replace("/", "//", 1)
    elif mutation == "append":
        path += "/" + draw(segment)
    elif mutation == "query":
        path += ("&" if "?" in path else "?") + draw(st.text(_target_chars, max_size=20))
    elif mutation == "case":
        path = path.upper()
    elif mutation == "absolute":
        path = "http://127.0.0.1" + path
    return path


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
control_bodies = st.dictionaries(
    st.sampled_from(FIELDS), st.one_of(st.sampled_from(KINDS), json_values), min_size=1, max_size=4
)
numbers = st.one_of(st.integers(-10, 200_000), st.floats(), st.booleans(), st.text(max_size=4))
fault_bodies = st.fixed_dictionaries(  # near misses and hits of real fault specs
    {"kind": st.sampled_from(KINDS)},
    optional={
        "endpoint": st.sampled_from(["auth", "status", "verify", "token", "preauth", "nope"]),
        "status": st.one_of(st.integers(90, 610), numbers),
        "seconds": numbers,
        "delay_ms": numbers,
        "variant": st.sampled_from(["garbage", "non-json", "truncated", "empty", "other"]),
        "every": st.one_of(st.integers(0, 5), numbers),
        "sequence": st.lists(
            st.one_of(st.sampled_from(["ok", "down", "timeout", "x"]), st.integers(399, 600))
        ),
        "retry_after": numbers,
        "body": st.text(max_size=10),
        "content_type": st.text(max_size=10),
    },
)
user_bodies = st.fixed_dictionaries(
    {},
    optional={
        "token": st.one_of(st.text(max_size=6), numbers),
        "challenge": st.one_of(
            json_values, st.fixed_dictionaries({"prompt": st.text(), "response": st.text()})
        ),
        "preauth": st.sampled_from(["auth", "allow", "deny", "enroll", "maybe"]),
        "passcodes": st.lists(st.one_of(st.text(max_size=6), numbers), max_size=3),
        "public_id": st.one_of(st.sampled_from(["cccccccbcjdi"]), st.text(max_size=12)),
        "aes_key": st.one_of(st.text("0123456789abcdef", min_size=30, max_size=34), numbers),
    },
)
bodies = st.one_of(
    st.just(b""),
    st.one_of(json_values, control_bodies, fault_bodies, user_bodies).map(lambda v: json.dumps(v).encode()),
    # either side of the depth limit, and far past the parser's recursion
    st.one_of(st.integers(60, 70), st.sampled_from([1_000, 100_000])).map(lambda n: b"[" * n + b"]" * n),
    st.binary(max_size=64),
)  # json.dumps writes NaN and Infinity for such floats: not JSON, each a 400
header_values = st.text(string.printable.strip() + " ", max_size=30).map(str.strip)
lengths = st.one_of(
    st.integers(0, 200).map(str),
    st.sampled_from(["-1", "abc", "", " 5", "1e3", "0x10", "\xb2", "9" * 30, "5, 5", "5, 6"]),
)
headers: st.SearchStrategy[dict[str, str]] = st.one_of(
    st.just({}),
    st.fixed_dictionaries({"Content-Type": st.sampled_from(["application/json", "text/plain", "x/y; q=1"])}),
    lengths.map(lambda n: {"Content-Length": n}),  # a length the body may not have: 400, 413, or taken
    st.dictionaries(
        st.sampled_from(["Content-Type", "Transfer-Encoding", "Expect", "Connection", "X-Junk"]),
        header_values,
        max_size=2,
    ),
)


OPERATIONS: tuple[tuple[str, str, st.SearchStrategy[Any] | None], ...] = (
    ("GET", "/health", None),
    ("POST", "/reset", None),
    ("GET", "/providers", None),
    ("PUT", "/providers/{p}/fault", fault_bodies),
    ("DELETE", "/providers/{p}/fault", None),
    ("GET", "/providers/{p}/journal", None),
    ("DELETE", "/providers/{p}/journal", None),
    ("PUT", "/providers/duo/users/{s}", user_bodies),
    ("GET", "/providers/duo/users", None),
    ("PUT", "/providers/yubikey/devices/{s}", user_bodies),
    ("GET", "/providers/yubikey/devices", None),
    ("POST", "/providers/yubikey/otp", user_bodies),
    (
        "PUT",
        "/providers/yubikey/status",
        st.fixed_dictionaries({"status": st.sampled_from(["BACKEND_ERROR", "x"])}),
    ),
    ("DELETE", "/providers/yubikey/status", None),
    ("PUT", "/providers/radius/users/{s}", user_bodies),
    ("DELETE", "/providers/radius/users/{s}", None),
)


@st.composite
def control_requests(draw: st.DrawFn) -> tuple[str, str, bytes, dict[str, str]]:
    """Half are operations the API has, with bodies near the right shape, so that the routes and the
    checks behind them are reached; half are anything: any method, a mutated path, any body and headers."""
    if draw(st.booleans()):
        method, template, body_strategy = draw(st.sampled_from(OPERATIONS))
        path = template.format(
            p=draw(st.sampled_from(PROVIDERS[:3])), s=draw(st.sampled_from(["alice", "bob"]))
        )
        body = b"" if body_strategy is None else json.dumps(draw(body_strategy)).encode()
        return method, path, body, draw(st.sampled_from([{}, {"Content-Type": "application/json"}]))
    return draw(st.sampled_from(METHODS)), draw(paths()), draw(bodies), draw(headers)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], Path]]:
    with served_with_stderr(tmp_path_factory.mktemp("fuzz")) as (ready, stderr):
        yield ready, stderr


@pytest.fixture(scope="module")
def port(served: tuple[dict[str, Any], Path]) -> int:
    return port_of(served[0]["control"])


def healthy(port: int) -> None:
    answer = exchange(port, request("GET", "/health"), timeout=5)
    assert answer.status == 200 and answer.json()["status"] == "ok"


def check(answer: Answer, method: str) -> None:
    assert 200 <= answer.status < 500, (answer.status, answer.body[:300])
    if method == "HEAD":
        assert answer.body == b""
        return
    if answer.status in (204, 304):
        return
    payload = json.loads(answer.body)  # every answer of the control API is JSON
    if answer.status >= 400:
        assert isinstance(payload, dict) and isinstance(payload.get("error"), str) and payload["error"]
    if answer.status == 405:
        assert answer.headers.get("allow")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(control_requests())
def test_any_control_request_gets_a_json_answer_below_500(
    port: int, sent: tuple[str, str, bytes, dict[str, str]]
) -> None:
    method, path, body, extra = sent
    # Half-closing after the request makes a body shorter than its Content-Length end at once (400)
    # rather than after the read timeout: the property holds either way, the budget needs the former.
    answer = exchange(port, request(method, path, body, extra), half_close=True, timeout=10)
    event(f"status {answer.status}")  # --hypothesis-show-statistics: which answers the budget reached
    check(answer, method)
    healthy(port)


def test_the_server_stayed_healthy_and_quiet(served: tuple[dict[str, Any], Path], port: int) -> None:
    healthy(port)
    assert served[1].read_text() == ""
