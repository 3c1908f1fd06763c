"""`cas-mfa-ref explain` and `serve` given options a user may get wrong, warnings by the thousand, and a
reader that goes away: one line naming the option (exit status 2), a count in place of the rest of the
warnings, a quiet exit. Run through the command as a user runs it."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cas_mfa_ref.cli import EXIT_BROKEN_PIPE, main
from cas_mfa_ref.config.profile import load_profile
from cas_mfa_ref.errors import Origin, ProfileWarning, summarised
from tests.conftest import BASE_PROPERTIES, MakeProfile
from tests.test_profile_hardening import URL, explain, refused

# -- warnings are summarised where printed, complete in Profile.warnings ----------------------------------


def test_thousands_of_unknown_keys_print_twenty_and_a_count(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    unknown = "".join(f"cas.authn.mfa.unknown-setting-{i}=x\n" for i in range(5000))
    root = make_profile(properties=BASE_PROPERTIES + unknown)
    assert len(load_profile(root).warnings) == 5000
    code, out, _ = explain(capsys, root)
    warnings = [line for line in out.splitlines() if line.startswith("warning: ")]
    assert code == 0 and len(warnings) == 21
    assert warnings[19].endswith(
        "cas.authn.mfa.unknown-setting-19: warning: not modelled by the reference implementation; ignored"
    )
    assert warnings[20] == (
        "warning: ... and 4,980 more warnings like this: not modelled by the reference implementation; ignored"
    )
    code, out, _ = explain(capsys, root, "--json")
    assert len(json.loads(out)["warnings"]) == 21


def test_summarised_counts_each_kind_where_its_rest_begins() -> None:
    at = Origin(Path("cas.properties"), 1, "x")
    many = [ProfileWarning(at, f"'k{i}' is set again; the value on line {i} is replaced") for i in range(3)]
    other = [ProfileWarning(at, "not modelled", kind="unmodelled") for _ in range(4)]
    lines = summarised([many[0], other[0], many[1], other[1], other[2], many[2], other[3]], limit=2)
    assert lines == [
        "cas.properties:1: x: warning: 'k0' is set again; the value on line 0 is replaced",
        "cas.properties:1: x: warning: not modelled",
        "cas.properties:1: x: warning: 'k1' is set again; the value on line 1 is replaced",
        "cas.properties:1: x: warning: not modelled",
        "... and 2 more warnings like this: unmodelled",
        "... and 1 more warning like this: '…' is set again; the value on line N is replaced",
    ]


# -- every option of explain ----------------------------------------------------------------------------

BAD_OPTIONS = [
    (["--param", "authn_method"], "--param 'authn_method' is not of the form K=V"),
    (["--param", "=v"], "--param '=v' is not of the form K=V"),
    (["--header", "X-Forwarded-For"], "--header 'X-Forwarded-For' is not of the form K=V"),
    (["--header", "a b=c"], "--header 'a b': not an HTTP header name"),
    (["--header", "X=a\nb"], "--header X 'a\\nb': a header value cannot hold control characters"),
    (["--header", "X=a\x00b"], "--header X 'a\\x00b': a header value cannot hold control characters"),
    (["--remote-addr", "garbage"], "--remote-addr 'garbage': not an IPv4 or IPv6 address"),
    (
        ["--remote-addr", "1" * 5000],
        f"--remote-addr '{'1' * 80}…' (5,000 characters): not an IPv4 or IPv6 address",
    ),
    (
        ["--user-agent", "Mozilla\x00"],
        "--user-agent 'Mozilla\\x00': a header value cannot hold control characters",
    ),
    (
        ["--device-cookie", "a\r\nSet-Cookie: x"],
        "--device-cookie 'a\\r\\nSet-Cookie: x': a header value cannot hold control characters",
    ),
    (
        ["--provider-down", "mfa-acme"],
        "--provider-down: no provider 'mfa-acme' is configured (configured: mfa-yubikey)",
    ),
    (
        ["--sso-context", "mfa\nduo"],
        "--sso-context: no provider 'mfa\\nduo' is configured (configured: mfa-yubikey)",
    ),
]


@pytest.mark.parametrize(("extra", "message"), BAD_OPTIONS, ids=[" ".join(e)[:30] for e, _ in BAD_OPTIONS])
def test_bad_options_are_one_line_naming_the_option(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert refused(capsys, make_profile(), *extra) == message


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ("p" * 300, "--profile: 'pppp"),
        ("x\x00y", "--profile: 'x\\x00y/cas.properties': a file name cannot hold a NUL character"),
        ("/nonexistent/x\ny", "/nonexistent/x\\ny: profile directory not found"),
    ],
)
def test_bad_profile_options(capsys: pytest.CaptureFixture[str], profile: str, message: str) -> None:
    assert refused(capsys, profile).startswith(message)


@pytest.mark.parametrize(
    "extra",
    [
        ["--param", "k=" + "v" * 200000],
        ["--param", "geolocation=nan,inf,-inf,1e999"],
        ["--header", "X-Big=" + "h" * 100000],
        ["--user-agent", "\u202e" + "u" * 50000],
        ["--remote-addr", "fe80::1%eth0"],
        ["--device-cookie", "c" * 100000],
        ["--json", "--param", "\udcff=\udcff"],
    ],
    ids=["huge-param", "odd-geolocation", "huge-header", "huge-agent", "zone", "huge-cookie", "surrogate"],
)
def test_huge_and_odd_values_are_explained(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    code, out, err = explain(capsys, make_profile(), *extra)
    assert (code, err) == (0, ""), err
    assert out.startswith("outcome: MFA_REQUIRED") or json.loads(out)["outcome"] == "MFA_REQUIRED"


def test_a_user_and_service_argv_cannot_encode_still_print(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["explain", "--profile", str(make_profile()), "--user", "\udcff", "--service", URL + "\udcfe"]
    )
    captured = capsys.readouterr()
    assert code == 0 and "\\udcfe" in captured.out and "Traceback" not in captured.err


def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["explain", "--profile", "x", "--param"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert err == (
        "cas-mfa-ref explain: error: argument --param: expected one argument (see cas-mfa-ref explain --help)\n"
    )


def test_serve_refuses_a_port_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--profile", "x", "--port", "99999"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines() == [
        "cas-mfa-ref serve: error: argument --port: '99999' is not a port number (0 to 65535) "
        "(see cas-mfa-ref serve --help)"
    ]


def test_serve_with_a_bad_profile_is_one_line(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_profile(services={"App-1.json": {"@class": [1], "serviceId": "x"}})
    code = main(["serve", "--profile", str(root)])
    err = capsys.readouterr().err
    assert (
        code == 2
        and err
        == f"cas-mfa-ref: error: {root}/services/App-1.json: @class: must be a class name, not a list\n"
    )


# -- a reader that goes away --------------------------------------------------------------------------


@pytest.mark.parametrize("output", [[], ["--json"]])
def test_explain_into_a_closed_pipe_exits_quietly(make_profile: MakeProfile, output: list[str]) -> None:
    unknown = "".join(f"cas.authn.mfa.unknown-{i}=x\n" for i in range(50))
    root = make_profile(properties=BASE_PROPERTIES + unknown)
    command = [sys.executable, "-m", "cas_mfa_ref.cli", "explain", "--profile", str(root)]
    process = subprocess.Popen(
        [*command, "--user", "casuser", "--service", URL, *output],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.close()  # `| head -0`: the reader is gone before anything is written
    _, err = process.communicate(timeout=60)
    assert err == b""
    assert process.returncode == EXIT_BROKEN_PIPE == 128 + signal.SIGPIPE


def test_explain_json_stays_json_when_an_attribute_is_1e999(
    make_profile: MakeProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON has no infinities: a repository's 1e999 (read as one, as Jackson does) is written as text."""
    root = make_profile(
        BASE_PROPERTIES + "cas.authn.attribute-repository.json[0].location=file:people.json\n",
        services={
            "App-1.json": {
                "@class": "org.apereo.cas.services.CasRegisteredService",
                "serviceId": "^https://app\\.example\\.org.*",
                "id": 1,
                "attributeReleasePolicy": {
                    "@class": "org.apereo.cas.services.ReturnAllAttributeReleasePolicy"
                },
            }
        },
        files={"people.json": '{"casuser": {"score": [1e999, 2]}}'},
    )
    code, out, _ = explain(capsys, root, "--json")
    assert code == 0
    released = json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))["attributes"]
    assert released["score"] == ["inf", 2]
