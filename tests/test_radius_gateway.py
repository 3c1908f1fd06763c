"""The reference's RADIUS adapter against the running mock RADIUS server (CAS 7.x semantics)."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pyrad.dictionary import Dictionary

from cas_mfa_ref.providers.gateway import ProviderGateway
from cas_mfa_ref.providers.radius import BOUNDED_TIMEOUT, DICTIONARY, PROBE_USER, RadiusGateway
from mocks.radius import RadiusMock, load_dictionary

CAP = 0.3  # seconds per send: outages cost at most (retries + 1) * CAP


@pytest.fixture
def radius() -> Iterator[RadiusMock]:
    mock = RadiusMock()
    mock.start()
    mock.set_user("alice", "123456")
    mock.set_user("bob", "123456", {"prompt": "Enter the code sent to your phone", "response": "987654"})
    yield mock
    mock.stop()


def settings(mock: RadiusMock, extra: dict[str, str] | None = None) -> dict[str, str]:
    info = mock.describe()
    values = {
        "client.inet-address": info["host"],
        "client.authentication-port": str(info["port"]),
        "client.shared-secret": info["shared_secret"],
        "server.protocol": "PAP",
        "server.retries": "0",
    }
    values.update(extra or {})
    return values


def gateway(mock: RadiusMock, **extra: str) -> RadiusGateway:
    """The adapter for ``mock``; ``server_nas_port="7"`` stands for ``server.nas-port=7``."""
    prop = {k: k.replace("_", ".", 1).replace("_", "-") for k in extra}
    return RadiusGateway.from_settings(
        settings(mock, {prop[k]: v for k, v in extra.items()}), timeout_cap=CAP
    )


def test_is_a_provider_gateway(radius: RadiusMock) -> None:
    adapter: ProviderGateway = gateway(radius)
    assert adapter.is_available(None) is True


def test_available_when_up_probing_as_cas_does(radius: RadiusMock) -> None:
    assert gateway(radius).is_available(None) is True
    entry = radius.journal.entries()[-1]
    assert entry.params["username"] == PROBE_USER and entry.params["probe"] is True
    assert entry.outcome == "Reject"  # CAS's probe is rejected, and that means "up"


def test_available_even_when_every_user_is_rejected(radius: RadiusMock) -> None:
    radius.reset()  # no users at all
    assert gateway(radius).is_available(None) is True


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "down"},
        {"kind": "timeout", "seconds": 5},
        {"kind": "bad-signature"},  # a reply pyrad cannot trust is no reply
        {"kind": "slow", "delay_ms": 1000},
    ],
)
def test_unavailable_when_silent(radius: RadiusMock, fault: dict[str, Any]) -> None:
    radius.set_fault(fault)
    started = time.monotonic()
    assert gateway(radius).is_available(None) is False
    assert time.monotonic() - started < CAP + 0.5


def test_unavailable_with_a_wrong_shared_secret(radius: RadiusMock) -> None:
    assert gateway(radius, client_shared_secret="wrong").is_available(None) is False
    assert radius.journal.entries()[-1].signature == "invalid"


def test_server_retries_plus_one_sends(radius: RadiusMock) -> None:
    radius.set_fault({"kind": "down"})
    assert gateway(radius, server_retries="2").is_available(None) is False
    assert len(radius.journal.entries()) == 3


def test_flapping_availability_follows_the_sequence(radius: RadiusMock) -> None:
    radius.set_fault({"kind": "flapping", "sequence": ["ok", "down"]})
    adapter = gateway(radius)
    assert [adapter.is_available(None) for _ in range(4)] == [True, False, True, False]


@pytest.mark.parametrize("protocol", ["PAP", "CHAP", "pap"])
def test_verify_accepts_the_right_token(radius: RadiusMock, protocol: str) -> None:
    assert gateway(radius, server_protocol=protocol).verify("alice", "123456") is True
    assert radius.journal.entries()[-1].params["password"] == protocol.lower()


@pytest.mark.parametrize("protocol", ["PAP", "CHAP"])
def test_verify_refuses_a_wrong_token(radius: RadiusMock, protocol: str) -> None:
    assert gateway(radius, server_protocol=protocol).verify("alice", "654321") is False
    assert radius.journal.entries()[-1].outcome == "Reject"


def test_verify_refuses_an_unknown_principal(radius: RadiusMock) -> None:
    assert gateway(radius).verify("mallory", "123456") is False


def test_access_challenge_to_the_token_counts_as_success(radius: RadiusMock) -> None:
    # CAS 6.0+ (RadiusUtils#authenticate): any response is success; no second prompt is sent
    assert gateway(radius).verify("bob", "123456") is True
    assert [e.outcome for e in radius.journal.entries()] == ["Challenge"]


@pytest.mark.parametrize("fault", [{"kind": "down"}, {"kind": "malformed"}, {"kind": "bad-signature"}])
def test_verify_is_false_when_no_valid_answer_comes(radius: RadiusMock, fault: dict[str, Any]) -> None:
    radius.set_fault(fault)
    assert gateway(radius).verify("alice", "123456") is False


def test_verify_never_raises(radius: RadiusMock) -> None:
    # PAP hides at most 128 octets; pyrad raises ValueError, the adapter reports a failed check
    assert gateway(radius).verify("alice", "x" * 200) is False


def test_errors_other_than_a_timeout_mean_available_but_never_verify(
    radius: RadiusMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Any, request: Any) -> Any:
        raise OSError("network unreachable")

    monkeypatch.setattr("pyrad.client.Client.SendPacket", broken)
    adapter = gateway(radius)
    assert adapter.is_available(None) is True  # CAS's canPing: only a time-out means down
    assert adapter.verify("alice", "123456") is False


def test_nas_attributes_are_sent_when_configured(radius: RadiusMock) -> None:
    adapter = gateway(radius, server_nas_identifier="cas", server_nas_port="7", server_nas_port_type="-1")
    assert adapter.nas == {"NAS-Identifier": "cas", "NAS-Port": 7}
    assert adapter.verify("alice", "123456") is True


# from_settings


def test_cas_defaults() -> None:
    adapter = RadiusGateway.from_settings({"client.inet-address": "127.0.0.1"})
    assert (adapter.port, adapter.secret, adapter.retries, adapter.protocol) == (
        1812,
        "N0Sh@ar3d$ecReT",
        3,
        "PAP",
    )
    assert adapter.timeout == BOUNDED_TIMEOUT  # CAS's socket-timeout 0 waits forever; the reference does not


@pytest.mark.parametrize(
    ("timeout", "cap", "expected"),
    [
        ("0", None, BOUNDED_TIMEOUT),
        ("0", 0.3, 0.3),
        ("2", None, 2.0),
        ("2", 0.3, 0.3),
        ("0.1", 0.3, 0.1),
    ],
)
def test_socket_timeout_is_bounded_and_capped(timeout: str, cap: float | None, expected: float) -> None:
    adapter = RadiusGateway.from_settings(
        {"client.inet-address": "h", "client.socket-timeout": timeout}, timeout_cap=cap
    )
    assert adapter.timeout == expected


def test_relaxed_property_names() -> None:
    adapter = RadiusGateway.from_settings(
        {
            "client.inetAddress": "10.0.0.1",
            "client.authenticationPort": "1645",
            "client.sharedSecret": "s",
            "server.Retries": "1",
        }
    )
    assert (adapter.host, adapter.port, adapter.secret, adapter.retries) == ("10.0.0.1", 1645, "s", 1)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"server.protocol": "EAP_MSCHAPv2"}, "server.protocol: 'EAP_MSCHAPv2' is not supported"),
        (
            {"client.authentication-port": "radius"},
            "client.authentication-port: 'radius' is not a whole number",
        ),
        ({"client.authentication-port": "70000"}, "client.authentication-port: 70000 is not from 1 to 65535"),
        ({"server.retries": "-1"}, "server.retries"),
        ({"client.socket-timeout": "soon"}, "client.socket-timeout"),
        ({"client.socket-timeout": "-1"}, "client.socket-timeout"),
        ({"server.nas-ip-address": "::1"}, "server.nas-ip-address"),
        ({"server.nas-port": "x"}, "server.nas-port"),
    ],
)
def test_bad_settings_name_the_property(extra: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RadiusGateway.from_settings({"client.inet-address": "127.0.0.1", **extra})


def test_inet_address_is_required() -> None:
    with pytest.raises(ValueError, match=r"cas\.authn\.mfa\.radius\.client\.inet-address is required"):
        RadiusGateway.from_settings({"client.shared-secret": "s"})


def test_the_reference_dictionary_agrees_with_the_mock() -> None:
    # two copies, because cas_mfa_ref must not import mocks: they must not drift apart
    ours = Dictionary(io.StringIO(DICTIONARY))
    mock = load_dictionary()
    for name in ours.attributes:
        assert name in mock.attributes, name
        assert (ours.attributes[name].code, ours.attributes[name].type) == (
            mock.attributes[name].code,
            mock.attributes[name].type,
        ), name
