"""The mock RADIUS server against real clients: pyrad 2.6 and FreeRADIUS radclient/radtest.

Fidelity checks D of reference/provider-protocols.md: what must succeed, and what each client
observes for each fault that applies to RADIUS.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pyrad import packet
from pyrad.client import Client, Timeout

from mocks.faults import Fault, FaultError, Kind
from mocks.provider import ControlError
from mocks.radius import PROBE_USER, RadiusMock, load_dictionary

TOKEN = "s3cret"
PROMPT = "Enter the code sent to your phone"
QUICK = 0.3  # seconds a client waits when silence is the expected answer
_clients: list[Any] = []  # pyrad clients keep their socket open; each test closes its own


@pytest.fixture
def radius() -> Iterator[RadiusMock]:
    mock = RadiusMock()
    mock.start()
    mock.set_user("alice", TOKEN)
    mock.set_user("bob", TOKEN, {"prompt": PROMPT, "response": "424242"})
    yield mock
    mock.stop()
    while _clients:
        _clients.pop()._CloseSocket()


def client(
    mock: RadiusMock, *, timeout: float = 1.0, retries: int = 1, secret: str | None = None, **options: Any
) -> Any:
    info = mock.describe()
    radius_client = Client(
        info["host"],
        authport=info["port"],
        secret=(secret or info["shared_secret"]).encode(),
        dict=load_dictionary(),
        retries=retries,
        timeout=timeout,
        **options,
    )
    _clients.append(radius_client)
    return radius_client


def access_request(
    radius_client: Any, username: str, password: str, state: bytes | None = None, **options: Any
) -> Any:
    request = radius_client.CreateAuthPacket(code=packet.AccessRequest, User_Name=username, **options)
    request["User-Password"] = request.PwCrypt(password)
    if state is not None:
        request["State"] = state
    return request


def pap(mock: RadiusMock, username: str, password: str, **options: Any) -> Any:
    radius_client = client(mock, **options)
    return radius_client.SendPacket(access_request(radius_client, username, password))


def status_server(mock: RadiusMock, **options: Any) -> Any:
    radius_client = client(mock, **options)
    return radius_client.SendPacket(radius_client.CreateAuthPacket(code=packet.StatusServer))


def last(mock: RadiusMock) -> Any:
    return mock.journal.entries()[-1]


# Must succeed: pyrad


def test_pap_accept_carries_reply_message_and_a_valid_message_authenticator(radius: RadiusMock) -> None:
    reply = pap(radius, "alice", TOKEN, enforce_ma=True)  # enforce_ma: a reply without MA is discarded
    assert reply.code == packet.AccessAccept
    assert reply["Reply-Message"] == ["Authentication succeeded"]
    entry = last(radius)
    assert (entry.endpoint, entry.method, entry.outcome, entry.signature) == (
        "auth",
        "Access-Request",
        "Accept",
        "valid",
    )
    assert entry.params["username"] == "alice" and entry.params["password"] == "pap"


def test_wrong_token_is_rejected(radius: RadiusMock) -> None:
    assert pap(radius, "alice", "wrong").code == packet.AccessReject
    assert last(radius).outcome == "Reject"


def test_unknown_user_is_rejected(radius: RadiusMock) -> None:
    assert pap(radius, "mallory", TOKEN).code == packet.AccessReject


def test_cas_probe_user_is_rejected_and_journaled_as_the_probe(radius: RadiusMock) -> None:
    assert pap(radius, PROBE_USER, PROBE_USER).code == packet.AccessReject
    assert last(radius).params["probe"] is True


def test_challenge_round_trip_with_state(radius: RadiusMock) -> None:
    radius_client = client(radius)
    first = access_request(radius_client, "bob", TOKEN)
    challenge = radius_client.SendPacket(first)
    assert challenge.code == packet.AccessChallenge
    assert challenge["Reply-Message"] == [PROMPT]
    state = challenge["State"][0]
    assert state

    follow_up = access_request(radius_client, "bob", "424242", state)
    assert follow_up.id != first.id  # a new request, as RFC 2865 4.4 requires
    assert radius_client.SendPacket(follow_up).code == packet.AccessAccept
    assert last(radius).params["state"] is True
    # the State is spent: the same answer again is refused
    assert (
        radius_client.SendPacket(access_request(radius_client, "bob", "424242", state)).code
        == packet.AccessReject
    )


def test_wrong_challenge_response_is_rejected(radius: RadiusMock) -> None:
    radius_client = client(radius)
    state = radius_client.SendPacket(access_request(radius_client, "bob", TOKEN))["State"][0]
    assert (
        radius_client.SendPacket(access_request(radius_client, "bob", "000000", state)).code
        == packet.AccessReject
    )


def test_unknown_state_is_rejected(radius: RadiusMock) -> None:
    radius_client = client(radius)
    reply = radius_client.SendPacket(access_request(radius_client, "bob", "424242", b"never-issued"))
    assert reply.code == packet.AccessReject


def test_status_server_is_answered_with_access_accept(radius: RadiusMock) -> None:
    assert status_server(radius, enforce_ma=True).code == packet.AccessAccept
    entry = last(radius)
    assert (entry.endpoint, entry.method, entry.outcome) == ("status", "Status-Server", "Accept")


def test_status_server_without_message_authenticator_is_dropped(radius: RadiusMock) -> None:
    radius_client = client(radius, timeout=QUICK)
    with pytest.raises(Timeout):
        radius_client.SendPacket(
            radius_client.CreateAuthPacket(code=packet.StatusServer, message_authenticator=False)
        )
    assert (last(radius).outcome, last(radius).signature) == ("dropped", "absent")


def test_request_without_message_authenticator_is_still_answered(radius: RadiusMock) -> None:
    # radclient sends none unless asked, so the mock cannot insist (pyrad's enforce_ma=False)
    radius_client = client(radius)
    request = access_request(radius_client, "alice", TOKEN, message_authenticator=False)
    assert radius_client.SendPacket(request).code == packet.AccessAccept
    assert last(radius).signature == "absent"


def test_wrong_shared_secret_is_dropped_silently(radius: RadiusMock) -> None:
    with pytest.raises(Timeout):
        pap(radius, "alice", TOKEN, secret="not-the-secret", timeout=QUICK)
    entry = last(radius)
    assert (entry.outcome, entry.signature) == ("dropped", "invalid")


def test_unknown_client_address_is_dropped_silently(radius: RadiusMock) -> None:
    radius_client = client(radius, timeout=QUICK)
    radius_client.bind(("127.0.0.2", 0))  # still loopback on Linux, but not a known client
    with pytest.raises(Timeout):
        radius_client.SendPacket(access_request(radius_client, "alice", TOKEN))
    entry = last(radius)
    assert (entry.outcome, entry.params["reason"]) == ("dropped", "unknown client")
    assert entry.params["client"].startswith("127.0.0.2:")


def test_stop_and_start_again_on_the_same_port(radius: RadiusMock) -> None:
    port = radius.describe()["port"]
    radius.stop()
    with pytest.raises(Timeout):
        pap(radius, "alice", TOKEN, timeout=QUICK)
    radius.start()
    assert radius.describe()["port"] == port
    assert pap(radius, "alice", TOKEN).code == packet.AccessAccept


# Outages: what pyrad observes (table D)


@pytest.mark.parametrize("fault", [{"kind": "down"}, {"kind": "timeout", "seconds": 5}])
def test_silence_faults_make_pyrad_time_out(radius: RadiusMock, fault: dict[str, Any]) -> None:
    radius.set_fault(fault)
    started = time.monotonic()
    with pytest.raises(Timeout):
        pap(radius, "alice", TOKEN, timeout=QUICK, retries=2)
    assert time.monotonic() - started >= 2 * QUICK
    assert [e.outcome for e in radius.journal.entries()] == ["dropped", "dropped"]  # one per send
    assert last(radius).fault == fault["kind"]


def test_slow_reply_within_the_client_timeout_succeeds(radius: RadiusMock) -> None:
    radius.set_fault({"kind": "slow", "delay_ms": 200})
    started = time.monotonic()
    assert pap(radius, "alice", TOKEN, timeout=1.0).code == packet.AccessAccept
    assert time.monotonic() - started >= 0.2
    assert last(radius).params["delay_ms"] == 200


def test_slow_reply_beyond_the_client_timeout_times_out(radius: RadiusMock) -> None:
    radius.set_fault({"kind": "slow", "delay_ms": 700})
    with pytest.raises(Timeout):
        pap(radius, "alice", TOKEN, timeout=QUICK, retries=1)


def test_late_reply_to_an_earlier_send_is_accepted_by_pyrad(radius: RadiusMock) -> None:
    # sends at 0 s and 0.4 s; the answer to the first arrives at 0.6 s, inside the second window
    radius.set_fault({"kind": "slow", "delay_ms": 600})
    assert pap(radius, "alice", TOKEN, timeout=0.4, retries=2).code == packet.AccessAccept


@pytest.mark.parametrize("variant", ["garbage", "truncated", "empty", "non-json"])
def test_malformed_replies_are_discarded_by_pyrad(radius: RadiusMock, variant: str) -> None:
    radius.set_fault({"kind": "malformed", "variant": variant})
    with pytest.raises(Timeout):
        pap(radius, "alice", TOKEN, timeout=QUICK)
    assert (last(radius).outcome, last(radius).fault) == ("malformed", "malformed")


def test_reply_signed_with_a_wrong_secret_is_discarded_by_pyrad(radius: RadiusMock) -> None:
    radius.set_fault({"kind": "bad-signature"})
    with pytest.raises(Timeout):
        pap(radius, "alice", TOKEN, timeout=QUICK)
    assert (last(radius).outcome, last(radius).fault) == ("Accept", "bad-signature")


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "flapping", "sequence": ["ok", "down"]},
        {"kind": "flapping", "sequence": ["ok", 500]},  # an HTTP status step is silence on RADIUS
        {"kind": "flapping", "every": 2},
    ],
)
def test_flapping_alternates_success_and_timeout(radius: RadiusMock, fault: dict[str, Any]) -> None:
    radius.set_fault(fault)
    seen = []
    for _ in range(4):
        try:
            seen.append(pap(radius, "alice", TOKEN, timeout=QUICK).code)
        except Timeout:
            seen.append("timeout")
    assert seen == [packet.AccessAccept, "timeout", packet.AccessAccept, "timeout"]


def test_a_fault_on_one_endpoint_leaves_the_other_answering(radius: RadiusMock) -> None:
    radius.set_fault({"kind": "down", "endpoint": "auth"})
    assert status_server(radius).code == packet.AccessAccept
    with pytest.raises(Timeout):
        pap(radius, "alice", TOKEN, timeout=QUICK)
    radius.clear_fault("auth")
    assert pap(radius, "alice", TOKEN).code == packet.AccessAccept


@pytest.mark.parametrize("kind", ["http-error", "rate-limit"])
def test_http_only_faults_do_not_apply(radius: RadiusMock, kind: str) -> None:
    with pytest.raises(FaultError, match=f"kind: '{kind}' does not apply to RADIUS"):
        radius.set_fault({"kind": kind})
    with pytest.raises(FaultError, match="does not apply to RADIUS"):
        radius.check_fault(Fault(Kind(kind)))
    assert radius.faults.active() == []


def test_reset_forgets_users_faults_and_journal_but_keeps_the_endpoint(radius: RadiusMock) -> None:
    before = radius.describe()
    radius.set_fault({"kind": "down"})
    radius.reset()
    assert radius.describe() == before
    assert radius.journal.entries() == [] and radius.faults.active() == []
    assert pap(radius, "alice", TOKEN).code == packet.AccessReject  # alice is gone, the server answers


# The control API (contract 4)


def test_control_put_and_delete_a_user(radius: RadiusMock) -> None:
    assert radius.control("PUT", ["users", "carol"], {"token": "777"}) == (200, {"username": "carol"})
    assert pap(radius, "carol", "777").code == packet.AccessAccept
    assert radius.control("DELETE", ["users", "carol"], None) == (200, {"username": "carol", "deleted": True})
    assert pap(radius, "carol", "777").code == packet.AccessReject


def test_control_put_a_user_with_a_challenge(radius: RadiusMock) -> None:
    body = {"token": "1", "challenge": {"prompt": "Second code?", "response": "2"}}
    radius.control("PUT", ["users", "dave"], body)
    reply = pap(radius, "dave", "1")
    assert (reply.code, reply["Reply-Message"]) == (packet.AccessChallenge, ["Second code?"])


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("PUT", ["users", "carol"], ["777"], "JSON object"),
        ("PUT", ["users", "carol"], {}, "token: required"),
        ("PUT", ["users", "carol"], {"token": 7}, "token: required"),
        ("PUT", ["users", "carol"], {"token": "7", "pin": "1"}, "pin: not a field"),
        ("PUT", ["users", "carol"], {"token": "7", "challenge": {"prompt": "p"}}, "challenge: must be"),
        (
            "PUT",
            ["users", "carol"],
            {"token": "7", "challenge": {"prompt": "p", "response": 2}},
            "challenge.response",
        ),
        ("PUT", ["users", PROBE_USER], {"token": "7"}, "reserved"),
        ("GET", ["users", "carol"], None, "no RADIUS control operation GET users/carol"),
        ("PUT", ["devices", "x"], {"token": "7"}, "no RADIUS control operation"),
        ("PUT", ["users"], {"token": "7"}, "no RADIUS control operation"),
    ],
)
def test_control_refuses_what_it_cannot_do(
    radius: RadiusMock, method: str, path: list[str], body: Any, message: str
) -> None:
    with pytest.raises(ControlError, match=message):
        radius.control(method, path, body)


# Must succeed and outages: FreeRADIUS radclient and radtest

needs_freeradius = pytest.mark.skipif(
    shutil.which("radclient") is None or shutil.which("radtest") is None,
    reason="FreeRADIUS utilities (radclient, radtest) are not installed",
)


def radclient(
    mock: RadiusMock, attributes: str, command: str = "auth", timeout: float = 1.0
) -> subprocess.CompletedProcess[str]:
    info = mock.describe()
    return subprocess.run(
        [
            "radclient",
            "-r",
            "1",
            "-t",
            str(timeout),
            f"{info['host']}:{info['port']}",
            command,
            info["shared_secret"],
        ],
        input=attributes,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )


def radtest(mock: RadiusMock, user: str, password: str, *options: str) -> subprocess.CompletedProcess[str]:
    # radtest has no retry/timeout options; it is only run where the mock answers at once
    info = mock.describe()
    return subprocess.run(
        [
            "radtest",
            *options,
            user,
            password,
            f"{info['host']}:{info['port']}",
            "0",
            info["shared_secret"],
            "0",
            "127.0.0.1",
        ],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )


@needs_freeradius
@pytest.mark.parametrize("password_attribute", ["User-Password", "CHAP-Password"])
def test_radclient_pap_and_chap_accept(radius: RadiusMock, password_attribute: str) -> None:
    result = radclient(radius, f'User-Name = "alice", {password_attribute} = "{TOKEN}"')
    assert result.returncode == 0, result.stderr
    assert "Received Access-Accept" in result.stdout
    assert last(radius).params["password"] == ("pap" if password_attribute == "User-Password" else "chap")


@needs_freeradius
def test_radclient_wrong_password_exits_1(radius: RadiusMock) -> None:
    result = radclient(radius, 'User-Name = "alice", User-Password = "wrong"')
    assert result.returncode == 1
    assert "Received Access-Reject" in result.stdout


@needs_freeradius
def test_radclient_status(radius: RadiusMock) -> None:
    result = radclient(radius, "Message-Authenticator = 0x00", "status")
    assert result.returncode == 0, result.stderr
    assert "Received Access-Accept" in result.stdout


@needs_freeradius
@pytest.mark.parametrize("options", [(), ("-t", "chap")])
def test_radtest_accepts(radius: RadiusMock, options: tuple[str, ...]) -> None:
    result = radtest(radius, "alice", TOKEN, *options)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Received Access-Accept" in result.stdout
    assert last(radius).signature == "valid"  # radtest sends a Message-Authenticator


@needs_freeradius
def test_radtest_wrong_password_exits_1(radius: RadiusMock) -> None:
    result = radtest(radius, "alice", "wrong")
    assert result.returncode == 1
    assert "Received Access-Reject" in result.stdout


@needs_freeradius
@pytest.mark.parametrize(
    ("fault", "complaint"),
    [
        ({"kind": "down"}, ""),
        ({"kind": "slow", "delay_ms": 1500}, ""),
        ({"kind": "bad-signature"}, "Reply verification failed"),
        ({"kind": "malformed"}, "Received bad packet"),
        ({"kind": "malformed", "variant": "truncated"}, "Received bad packet"),
    ],
)
def test_radclient_gets_no_valid_reply_under_faults(
    radius: RadiusMock, fault: dict[str, Any], complaint: str
) -> None:
    radius.set_fault(fault)
    result = radclient(radius, f'User-Name = "alice", User-Password = "{TOKEN}"', timeout=0.3)
    assert result.returncode == 1
    assert "Received Access-" not in result.stdout
    assert complaint in result.stderr
