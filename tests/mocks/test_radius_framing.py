"""The mock RADIUS server against malformed Access-Requests sent as raw UDP datagrams.

Each datagram is built with pyrad's packet classes, then corrupted byte by byte and, where it carries a
Message-Authenticator, signed again over the corrupted bytes: so the drop is the framing check's doing,
not a stale signature's. RFC 2865 §3 and §5, RFC 2869 §5.14 and RFC 3579 §3.2 say to discard each such
packet silently; the journal says why.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import socket
import struct
from collections.abc import Iterator

import pytest
from pyrad import packet
from pyrad.client import Client

from mocks.radius import RadiusMock, load_dictionary

TOKEN = "s3cret"
MESSAGE_AUTHENTICATOR, EAP_MESSAGE, NAS_IDENTIFIER = 80, 79, 32
_ids = itertools.count(1)

Attributes = list[tuple[int, bytes]]


@pytest.fixture
def radius() -> Iterator[RadiusMock]:
    mock = RadiusMock()
    mock.start()
    mock.set_user("alice", TOKEN)
    yield mock
    mock.stop()


@pytest.fixture
def udp() -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))  # loopback: the mock's only known client
    sock.settimeout(2)
    yield sock
    sock.close()


def client(mock: RadiusMock) -> Client:
    info = mock.describe()
    return Client(
        info["host"],
        authport=info["port"],
        secret=info["shared_secret"].encode(),
        dict=load_dictionary(),
        retries=1,
        timeout=2,
    )


def built(mock: RadiusMock) -> tuple[bytes, Attributes]:
    """A valid PAP Access-Request for alice from pyrad (Message-Authenticator first): header, attributes."""
    request = client(mock).CreateAuthPacket(code=packet.AccessRequest, User_Name="alice", id=next(_ids) % 256)
    request["User-Password"] = request.PwCrypt(TOKEN)
    raw = request.RequestPacket()
    attributes, at = [], 20
    while at < len(raw):
        attributes.append((raw[at], raw[at + 2 : at + raw[at + 1]]))
        at += raw[at + 1]
    return raw[:20], attributes


def encode(header: bytes, attributes: Attributes, lengths: dict[int, int] | None = None) -> bytes:
    """The datagram, its Length field set to the bytes present; ``lengths`` overrides an attribute's
    Length octet (by position) without changing its value's bytes."""
    body = b"".join(
        bytes([kind, (lengths or {}).get(i, len(value) + 2)]) + value
        for i, (kind, value) in enumerate(attributes)
    )
    return header[:2] + struct.pack("!H", 20 + len(body)) + header[4:20] + body


def signed(datagram: bytes, secret: str, length: int | None = None) -> bytes:
    """The first Message-Authenticator set to the HMAC-MD5 (RFC 2869 §5.14) over the datagram as sent,
    walking attributes by their Length octets as pyrad does."""
    at = 20
    while at + 2 <= len(datagram) and datagram[at] != MESSAGE_AUTHENTICATOR:
        at += max(datagram[at + 1], 2)
    zeroed = datagram[: at + 2] + bytes(16) + datagram[at + 18 :]
    end = length or struct.unpack_from("!H", datagram, 2)[0]
    digest = hmac.new(secret.encode(), zeroed[:end], hashlib.md5).digest()
    return zeroed[: at + 2] + digest + zeroed[at + 18 :]


def without_authenticator(attributes: Attributes) -> Attributes:
    return [(kind, value) for kind, value in attributes if kind != MESSAGE_AUTHENTICATOR]


def answered(mock: RadiusMock, sock: socket.socket, datagram: bytes) -> int | None:
    """The reply code to ``datagram``, or None when it was dropped. A valid request follows it from the
    same socket: the server handles datagrams in order, so the first reply tells which one was answered."""
    header, attributes = built(mock)
    marker = encode(header, attributes)
    marker = signed(marker, mock.state.secret)
    address = (mock.describe()["host"], mock.describe()["port"])
    sock.sendto(datagram, address)
    sock.sendto(marker, address)
    reply, _ = sock.recvfrom(4096)
    if reply[1] == marker[1] and reply[1] != datagram[1]:
        return None
    first = reply[0]
    sock.recvfrom(4096)  # the marker's own reply
    return first


def dropped_because(mock: RadiusMock, *words: str) -> None:
    entry = next(e for e in reversed(mock.journal.entries()) if e.outcome == "dropped")
    assert all(word in entry.params["reason"] for word in words), entry.params


# -- what must still be answered ---------------------------------------------------------------------------


def test_pyrads_own_client_still_gets_access_accept(radius: RadiusMock) -> None:
    radius_client = client(radius)
    request = radius_client.CreateAuthPacket(code=packet.AccessRequest, User_Name="alice")
    request["User-Password"] = request.PwCrypt(TOKEN)
    try:
        assert radius_client.SendPacket(request).code == packet.AccessAccept
    finally:
        radius_client._CloseSocket()


def test_a_valid_raw_request_is_answered_with_or_without_message_authenticator(
    radius: RadiusMock, udp: socket.socket
) -> None:
    header, attributes = built(radius)
    assert (
        answered(radius, udp, signed(encode(header, attributes), radius.state.secret)) == packet.AccessAccept
    )
    header, attributes = built(radius)
    plain = encode(header, without_authenticator(attributes))  # as radclient 3.2.1 sends by default
    assert answered(radius, udp, plain) == packet.AccessAccept


def test_octets_past_the_length_field_are_padding_and_ignored(radius: RadiusMock, udp: socket.socket) -> None:
    header, attributes = built(radius)
    padded = signed(encode(header, attributes), radius.state.secret) + b"\x00" * 12  # RFC 2865 §3
    assert answered(radius, udp, padded) == packet.AccessAccept


# -- what must be dropped ------------------------------------------------------------------------------------


@pytest.mark.parametrize("authenticated", [True, False])
def test_an_attribute_running_past_the_end_is_dropped(
    radius: RadiusMock, udp: socket.socket, authenticated: bool
) -> None:
    header, attributes = built(radius)
    if not authenticated:
        attributes = without_authenticator(attributes)
    attributes.append((NAS_IDENTIFIER, b"x"))
    datagram = encode(header, attributes, {len(attributes) - 1: 40})  # says 40 octets, has 3
    if authenticated:
        datagram = signed(datagram, radius.state.secret)  # pyrad alone would accept this one
    assert answered(radius, udp, datagram) is None
    dropped_because(radius, "runs past the end of the packet", "RFC 2865 §5")


@pytest.mark.parametrize("length", [0, 1])
def test_an_attribute_shorter_than_its_header_is_dropped(
    radius: RadiusMock, udp: socket.socket, length: int
) -> None:
    header, attributes = built(radius)
    attributes.append((NAS_IDENTIFIER, b""))
    datagram = signed(encode(header, attributes, {len(attributes) - 1: length}), radius.state.secret)
    assert answered(radius, udp, datagram) is None
    dropped_because(radius, f"Length {length}, less than 2")


def test_an_attribute_of_type_0_is_dropped(radius: RadiusMock, udp: socket.socket) -> None:
    header, attributes = built(radius)
    datagram = signed(encode(header, [*attributes, (0, b"zero")]), radius.state.secret)
    assert answered(radius, udp, datagram) is None
    dropped_because(radius, "type 0")


@pytest.mark.parametrize(
    ("declared", "words"),
    [("10 more than sent", "shorter than its Length field"), ("19", "outside 20-4096")],
)
def test_a_length_field_that_disagrees_with_the_datagram_is_dropped(
    radius: RadiusMock, udp: socket.socket, declared: str, words: str
) -> None:
    header, attributes = built(radius)
    datagram = signed(encode(header, attributes), radius.state.secret)
    length = int(declared) if declared.isdigit() else len(datagram) + 10
    datagram = datagram[:2] + struct.pack("!H", length) + datagram[4:]
    assert answered(radius, udp, datagram) is None
    dropped_because(radius, words)


def test_a_second_message_authenticator_is_dropped(radius: RadiusMock, udp: socket.socket) -> None:
    header, attributes = built(radius)
    twice = encode(header, [*attributes, (MESSAGE_AUTHENTICATOR, b"A" * 16)])
    assert answered(radius, udp, signed(twice, radius.state.secret)) is None  # the first one is right
    dropped_because(radius, "2 Message-Authenticator attributes", "at most one")


def test_a_wrong_message_authenticator_is_dropped(radius: RadiusMock, udp: socket.socket) -> None:
    header, attributes = built(radius)
    datagram = bytearray(signed(encode(header, attributes), radius.state.secret))
    datagram[22] ^= 0xFF  # the first octet of its value
    assert answered(radius, udp, bytes(datagram)) is None
    dropped_because(radius, "invalid Message-Authenticator", "RFC 3579 §3.2")


def test_a_message_authenticator_of_the_wrong_length_is_dropped(
    radius: RadiusMock, udp: socket.socket
) -> None:
    header, attributes = built(radius)
    short = [(MESSAGE_AUTHENTICATOR, b"\x00" * 10), *without_authenticator(attributes)]
    assert answered(radius, udp, encode(header, short)) is None
    dropped_because(radius, "not 18")


def test_an_eap_message_without_message_authenticator_is_dropped(
    radius: RadiusMock, udp: socket.socket
) -> None:
    header, attributes = built(radius)
    eap = [*without_authenticator(attributes), (EAP_MESSAGE, b"\x02\x01\x00\x0a\x01alice")]
    assert answered(radius, udp, encode(header, eap)) is None
    dropped_because(radius, "EAP-Message without Message-Authenticator")
    header, attributes = built(radius)
    with_authenticator = signed(encode(header, [*attributes, eap[-1]]), radius.state.secret)
    assert answered(radius, udp, with_authenticator) is not None  # RFC 3579 asks for nothing more


def test_each_drop_is_in_the_journal_over_the_control_api_shape(
    radius: RadiusMock, udp: socket.socket
) -> None:
    header, attributes = built(radius)
    datagram = signed(encode(header, attributes, {len(attributes) - 1: 200}), radius.state.secret)
    assert answered(radius, udp, datagram) is None
    entry = next(e for e in radius.journal.as_json()["requests"] if e["outcome"] == "dropped")
    assert entry["method"] == "undecodable" and entry["endpoint"] == "auth"
    assert entry["params"]["code"] == "Access-Request" and entry["params"]["id"] == datagram[1]
    assert entry["params"]["client"].startswith("127.0.0.1:")
