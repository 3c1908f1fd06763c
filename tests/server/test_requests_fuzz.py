"""Generated requests against the reference server: whatever a client sends, the answer is a status
below 500 with a body, and the server keeps answering logins.

Hypothesis draws the method, a path (CAS's routes, their neighbours and noise), the query and form
parameters CAS reads (and others), headers and raw bodies (deep JSON among them), from loopback or not.
The budget is fixed and derandomized so that CI runs the same examples in a few seconds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import Client

from cas_mfa_ref.server.app import CasServer
from steps.deployment import Deployment

SERVICE = "https://app.example.org/portal"
ROUTES = (
    "/cas/login",
    "/cas/logout",
    "/cas/serviceValidate",
    "/cas/p3/serviceValidate",
    "/cas/actuator/refresh",
    "/cas/actuator/conformanceClock",
    "/cas/actuator/multifactorTrustedDevices",
    "/cas/actuator/multifactorTrustedDevices/casuser",
    "/cas/actuator/gauthCredentialRepository",
    "/cas/actuator/gauthCredentialRepository/import",
    "/cas/",
    "/",
)
PARAMETERS = (
    "service",
    "ticket",
    "renew",
    "gateway",
    "format",
    "authn_method",
    "execution",
    "_eventId",
    "username",
    "password",
    "token",
    "mfaProvider",
    "deviceName",
    "expiration",
    "timeUnit",
    "duo_code",
    "state",
    "publicWorkstation",
)
text = st.text(st.characters(codec="utf-8"), max_size=60)
values = st.one_of(text, st.sampled_from([SERVICE, SERVICE + "\r\nX: y", "true", "JSON", "ST-1", "0", "-1"]))
params = st.dictionaries(st.one_of(st.sampled_from(PARAMETERS), text), values, max_size=6)
json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)
bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.sampled_from(
        [b"[" * 50_000 + b"]" * 50_000, b'{"advance": 1e308}', b'{"now": "99999-01-01"}', b'{"advance": NaN}']
    ),
)
header_names = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"),
    min_size=1,
    max_size=20,
)
header_values = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=60
)
requests_drawn = st.fixed_dictionaries(
    {
        "method": st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
        "path": st.one_of(
            st.sampled_from(ROUTES),
            st.sampled_from(ROUTES).map(lambda r: r + "/x%00y"),
            text.map(lambda t: "/cas/" + t),
        ),
        "query": params,
        "form": params,
        "headers": st.dictionaries(header_names, header_values, max_size=4),
        "body": st.one_of(st.none(), bodies),
        "remote": st.sampled_from(["127.0.0.1", "10.9.8.7", "::1"]),
    }
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> CasServer:
    root: Path = tmp_path_factory.mktemp("fuzz")
    deployment = Deployment(users={"casuser": "Mellon"})
    deployment.service(SERVICE)
    return CasServer(deployment.write(root / "profile"), "http://127.0.0.1:8443/cas", warn=lambda _: None)


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(drawn=requests_drawn)
def test_no_request_gets_a_500(server: CasServer, drawn: dict[str, Any]) -> None:
    client = Client(server)
    options: dict[str, Any] = {
        "method": drawn["method"],
        "query_string": drawn["query"],
        "headers": drawn["headers"],
        "environ_base": {"REMOTE_ADDR": drawn["remote"]},
    }
    if drawn["body"] is not None:
        options["data"] = drawn["body"]
    elif drawn["method"] == "POST":
        options["data"] = drawn["form"]
    try:
        answer = client.open(drawn["path"], **options)
    except ValueError:
        return  # werkzeug's test client refuses to build this request: no server would receive it
    assert answer.status_code < 500, (answer.status_code, answer.get_data(as_text=True)[:300])
    # and logins still work
    form = client.get(
        "/cas/login", query_string={"service": SERVICE}, environ_base={"REMOTE_ADDR": "127.0.0.1"}
    )
    assert form.status_code == 200


EXECUTION = re.compile(r'name="execution" value="([^"]+)"')
# What a URL's path may hold that a header may not: controls, non-Latin-1 letters, and URL syntax.
tails = st.text(st.sampled_from("ab/?&#=%\r\n\t\x00\x7fé€\u2028"), max_size=10)
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=-(10**20), max_value=10**20)
)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    shape=st.sampled_from(["advance", "now"]),
    value=st.one_of(numbers, json_values, text),
)
def test_any_clock_request_is_answered_below_500(server: CasServer, shape: str, value: Any) -> None:
    client = Client(server)
    body = json.dumps({shape: value}).encode()  # json.dumps writes NaN and Infinity as JavaScript does
    answer = client.put(
        "/cas/actuator/conformanceClock", data=body, environ_base={"REMOTE_ADDR": "127.0.0.1"}
    )
    assert answer.status_code in (200, 400), (answer.status_code, body[:200])
    client.delete("/cas/actuator/conformanceClock", environ_base={"REMOTE_ADDR": "127.0.0.1"})


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    service=st.one_of(values, text.map(lambda t: SERVICE + "/" + t), tails.map(lambda t: SERVICE + "/" + t)),
    extra=params,
    right=st.booleans(),
)
def test_a_whole_login_with_any_service_and_fields_is_answered_below_500(
    server: CasServer, service: str, extra: dict[str, str], right: bool
) -> None:
    """The login form, then the credentials: the path on which a bad service once died at the redirect."""
    client = Client(server)
    local = {"REMOTE_ADDR": "127.0.0.1"}
    form = client.get("/cas/login", query_string={**extra, "service": service}, environ_base=local)
    assert form.status_code < 500, form.status_code
    found = EXECUTION.search(form.get_data(as_text=True))
    fields = {**extra, "username": "casuser", "password": "Mellon" if right else "nope"}
    if found:
        fields["execution"] = found.group(1)
    answer = client.post("/cas/login", query_string={"service": service}, data=fields, environ_base=local)
    assert answer.status_code < 500, (answer.status_code, answer.get_data(as_text=True)[:300])
