"""Mock YubiCloud, without a network: signatures, modhex, OTP tokens, the verify protocol, the state and
the control operations. Vectors: provider-protocols.md 3.4 and libyubikey's test vectors."""

from __future__ import annotations

import calendar
import threading
from typing import Any

import pytest

from mocks.provider import ControlError
from mocks.yubikey import STATUSES, YubiKeyMock, YubiKeyState
from mocks.yubikey import protocol as proto
from mocks.yubikey.otp import (
    CRC_RESIDUE,
    BadToken,
    Token,
    crc16,
    make_otp,
    modhex_decode,
    modhex_encode,
    read_otp,
)
from mocks.yubikey.state import StateError

VECTOR_KEY = b"0123456789abcdef0123"
VECTOR_OTP = "vvvvvvcucrlcietctckflvnncdgckubflugerlnr"
VECTOR_NONCE = "askjdnkajsndjkasndkjsnad"
VECTOR_NOW = calendar.timegm((2026, 1, 1, 12, 0, 0)) + 0.123
# libyubikey (yubico-c) test vector: AES key, OTP, and what the token holds.
LIB_KEY = bytes.fromhex("ecde18dbe76fbd0c33330f1c354871db")
LIB_OTP = "dteffujehknhfjbrjnlnldnhcujvddbikngjrtgh"
LIB_TOKEN = Token(bytes.fromhex("8792ebfe26cc"), 0x13, 0xC230, 0x11, 0x9FC8)


def parse(body: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in body.split("\r\n") if "=" in line)


def garble(otp: str) -> str:
    """The OTP with its last character changed: the token no longer decrypts to a valid CRC."""
    return otp[:-1] + ("b" if otp[-1] == "c" else "c")


def signed_request(state: YubiKeyState, **params: str) -> dict[str, str]:
    return {**params, "h": proto.sign(params, state.secret_key)}


@pytest.fixture
def state() -> YubiKeyState:
    return YubiKeyState(secret_key=VECTOR_KEY)


@pytest.fixture
def device(state: YubiKeyState) -> str:
    return state.register_device(username="casuser")


def ask(state: YubiKeyState, otp: str, nonce: str = "abcdefghij0123456789", **extra: str) -> dict[str, str]:
    reply = proto.verify(state, signed_request(state, id="87", otp=otp, nonce=nonce, **extra))
    return parse(reply.body)


# -- signatures ------------------------------------------------------------------------------------------


def test_request_signature_vector() -> None:
    params = {"id": "87", "otp": VECTOR_OTP, "nonce": VECTOR_NONCE}
    assert proto.sign(params, VECTOR_KEY) == "lZbC74Vy7nQ9uBA1Bm+VrGAeQl0="


def test_response_vector_renders_byte_for_byte() -> None:
    extras = {"otp": VECTOR_OTP, "nonce": VECTOR_NONCE, "sl": "100"}
    body = proto.render("OK", extras, VECTOR_KEY, VECTOR_NOW)
    assert body == (
        "h=yC9dL2t35PF+CfaCWhAe+RuTv1M=\r\nt=2026-01-01T12:00:00Z0123\r\n"
        f"otp={VECTOR_OTP}\r\nnonce={VECTOR_NONCE}\r\nsl=100\r\nstatus=OK\r\n\r\n"
    )


def test_request_signature_verdicts(state: YubiKeyState, device: str) -> None:
    params = {"id": "87", "otp": state.mint_otp(device), "nonce": "abcdefghij0123456789"}
    assert proto.verify(state, params).signature == "absent"
    assert proto.verify(state, signed_request(state, **params)).signature == "valid"
    forged = {**params, "h": proto.sign(params, b"another key")}
    reply = proto.verify(state, forged)
    assert (reply.signature, reply.status) == ("invalid", "BAD_SIGNATURE")


def test_request_signature_covers_every_parameter(state: YubiKeyState, device: str) -> None:
    params = {"id": "87", "otp": state.mint_otp(device), "nonce": "abcdefghij0123456789"}
    tampered = {**signed_request(state, **params), "timestamp": "1"}
    assert proto.verify(state, tampered).status == "BAD_SIGNATURE"
    assert proto.verify(state, signed_request(state, **params, timestamp="1")).status == "OK"


# -- modhex and tokens -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("modhex", "hexa"),
    [
        ("dteffuje", "2d344e83"),
        ("hknhfjbrjnlnldnhcujvddbikngjrtgh", "69b6481c8baba2b60e8f22179b58cd56"),
        ("urtubjtnuihvntcreeeecvbregfjibtn", "ecde18dbe76fbd0c33330f1c354871db"),
        ("ifhgieif", "74657374"),
    ],
)
def test_modhex_both_ways(modhex: str, hexa: str) -> None:
    assert modhex_decode(modhex).hex() == hexa
    assert modhex_encode(bytes.fromhex(hexa)) == modhex


@pytest.mark.parametrize("bad", ["abc", "zz", "c", "cbdefghijklnrtuva"])
def test_modhex_refuses_what_is_not(bad: str) -> None:
    with pytest.raises(ValueError, match="not modhex"):
        modhex_decode(bad)


def test_library_vector_decrypts_to_its_fields() -> None:
    assert read_otp(LIB_OTP, LIB_KEY) == LIB_TOKEN


def test_library_vector_is_minted_identically() -> None:
    assert make_otp("dteffuje", LIB_TOKEN, LIB_KEY) == LIB_OTP


@pytest.mark.parametrize(
    ("key", "otp", "uid", "counter", "use"),
    [
        ("000102030405060708090a0b0c0d0e0f", "dvgtiblfkbgturecfllberrvkinnctnn", "010203040506", 1, 1),
        ("000102030405060708090a0b0c0d0e0f", "rnibcnfhdninbrdebccrndfhjgnhftee", "010203040506", 1, 2),
        ("000102030405060708090a0b0c0d0e0f", "iikkijbdknrrdhfdrjltvgrbkkjblcbh", "010203040506", 0xFFF, 1),
        ("c4422890653076cde73d449b191b416a", "iucvrkjiegbhidrcicvlgrcgkgurhjnj", "33c69e7f249e", 1, 0),
    ],
)
def test_library_selftest_vectors(key: str, otp: str, uid: str, counter: int, use: int) -> None:
    token = read_otp(otp, bytes.fromhex(key))
    assert (token.uid.hex(), token.counter, token.use) == (uid, counter, use)


def test_crc_of_a_packed_token_leaves_the_residue() -> None:
    packed = LIB_TOKEN.pack()
    assert len(packed) == 16
    assert crc16(packed) == CRC_RESIDUE
    assert packed[14:] == bytes.fromhex("23c8")  # the libyubikey vector's CRC bytes


def test_a_corrupted_token_fails_its_crc() -> None:
    packed = bytearray(LIB_TOKEN.pack())
    packed[9] ^= 0x01
    with pytest.raises(BadToken):
        Token.unpack(bytes(packed))


def test_the_wrong_key_fails_the_crc() -> None:
    with pytest.raises(BadToken):
        read_otp(LIB_OTP, bytes(16))


# -- minting ---------------------------------------------------------------------------------------------


def test_minted_otp_is_a_real_yubico_otp(state: YubiKeyState) -> None:
    key = bytes(range(16))
    public_id = state.register_device("cccccbhkevcj", aes_key=key)
    first, second = state.mint_otp(public_id), state.mint_otp(public_id)
    assert len(first) == 44 and first.startswith(public_id) and first != second
    one, two = read_otp(first, key), read_otp(second, key)
    assert one.uid == two.uid and len(one.uid) == 6
    assert (one.counter, one.use) == (1, 0)
    assert (two.counter, two.use) == (1, 1)
    assert 0 <= one.timestamp <= 0xFFFFFF


def test_session_use_wraps_into_the_next_session(state: YubiKeyState) -> None:
    key = bytes(range(16))
    public_id = state.register_device(aes_key=key)
    otps = [state.mint_otp(public_id) for _ in range(257)]
    assert (read_otp(otps[255], key).counter, read_otp(otps[255], key).use) == (1, 255)
    assert (read_otp(otps[256], key).counter, read_otp(otps[256], key).use) == (2, 0)


def test_generated_public_ids_are_12_modhex(state: YubiKeyState) -> None:
    ids = {state.register_device() for _ in range(20)}
    assert len(ids) == 20
    assert all(len(i) == 12 and modhex_decode(i) for i in ids)


@pytest.mark.parametrize("bad", ["", "abc", "ccc", "cccccccccccccccccc", "zzzzzzzzzzzz"])
def test_public_ids_must_be_modhex(state: YubiKeyState, bad: str) -> None:
    with pytest.raises(StateError, match="public id"):
        state.register_device(bad)


def test_minting_for_an_unknown_key_fails(state: YubiKeyState) -> None:
    with pytest.raises(StateError, match="no YubiKey"):
        state.mint_otp("cccccccccccc")


# -- verification and replay -----------------------------------------------------------------------------


def test_ok_echoes_otp_and_nonce_and_is_signed_with_the_client_key(state: YubiKeyState, device: str) -> None:
    otp = state.mint_otp(device)
    reply = proto.verify(state, signed_request(state, id="87", otp=otp, nonce="abcdefghij0123456789"))
    lines = reply.body.split("\r\n")
    assert [line.split("=", 1)[0] for line in lines] == ["h", "t", "otp", "nonce", "sl", "status", "", ""]
    fields = parse(reply.body)
    assert (fields["status"], fields["otp"], fields["nonce"], fields["sl"]) == (
        "OK",
        otp,
        "abcdefghij0123456789",
        "100",
    )
    unsigned = {k: v for k, v in fields.items() if k != "h"}
    assert fields["h"] == proto.sign(unsigned, state.secret_key)
    assert reply.params == {"id": "87", "otp": otp, "nonce": "abcdefghij0123456789"}


def test_timestamp_asks_for_the_token_counters(state: YubiKeyState) -> None:
    key = bytes(range(16))
    public_id = state.register_device(aes_key=key)
    state.mint_otp(public_id)
    otp = state.mint_otp(public_id)
    token = read_otp(otp, key)
    fields = ask(state, otp, timestamp="1")
    assert fields["status"] == "OK"
    assert (fields["timestamp"], fields["sessioncounter"], fields["sessionuse"]) == (
        str(token.timestamp),
        "1",
        "1",
    )
    assert "timestamp" not in ask(state, state.mint_otp(public_id))


def test_the_same_otp_again_is_replayed(state: YubiKeyState, device: str) -> None:
    otp = state.mint_otp(device)
    assert ask(state, otp, "firstnonce000000")["status"] == "OK"
    replay = ask(state, otp, "secondnonce00000")
    assert replay["status"] == "REPLAYED_OTP"
    assert (replay["otp"], replay["nonce"]) == (otp, "secondnonce00000")


def test_the_same_otp_and_nonce_again_is_a_replayed_request(state: YubiKeyState, device: str) -> None:
    otp = state.mint_otp(device)
    assert ask(state, otp, "samenonce0000000")["status"] == "OK"
    assert ask(state, otp, "samenonce0000000")["status"] == "REPLAYED_REQUEST"


def test_an_older_otp_never_used_is_refused_by_its_counters(state: YubiKeyState, device: str) -> None:
    older, newer = state.mint_otp(device), state.mint_otp(device)
    assert ask(state, newer)["status"] == "OK"
    assert ask(state, older)["status"] == "REPLAYED_OTP"


@pytest.mark.parametrize("case", ["unknown key", "another key's token", "same key other uid", "garbled"])
def test_bad_otps(state: YubiKeyState, device: str, case: str) -> None:
    key = bytes(range(16))
    mine = state.register_device("cccccbhkevcj", aes_key=key)
    other = state.register_device("cccccbhkevck", aes_key=key)  # same AES key, different private uid
    otp = {
        "unknown key": make_otp("vvvvvvvvvvvv", LIB_TOKEN, LIB_KEY),
        "another key's token": mine + state.mint_otp(device)[12:],
        "same key other uid": mine + state.mint_otp(other)[12:],
        "garbled": garble(state.mint_otp(mine)),
    }[case]
    fields = ask(state, otp)
    assert fields["status"] == "BAD_OTP"
    assert "otp" not in fields


def test_dvorak_and_upper_case_otps_are_translated(state: YubiKeyState, device: str) -> None:
    otp = state.mint_otp(device)
    dvorak = otp.translate(str.maketrans("cbdefghijklnrtuv", "jxe.uidchtnbpygk"))
    fields = ask(state, dvorak)
    assert (fields["status"], fields["otp"]) == ("OK", otp)
    assert ask(state, state.mint_otp(device).upper())["status"] == "OK"


def test_concurrent_requests_accept_an_otp_once(state: YubiKeyState, device: str) -> None:
    otp = state.mint_otp(device)
    statuses: list[str] = []

    def worker(n: int) -> None:
        statuses.append(ask(state, otp, f"concurrentnonce{n:03d}")["status"])

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    assert sorted(statuses) == ["OK"] + ["REPLAYED_OTP"] * 7


# -- parameter checks (ykval-verify.php's order) -------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"nonce": None}, "MISSING_PARAMETER"),
        ({"nonce": "short"}, "MISSING_PARAMETER"),
        ({"nonce": "x" * 41}, "MISSING_PARAMETER"),
        ({"nonce": "not-alphanumeric-nonce"}, "MISSING_PARAMETER"),
        ({"otp": None}, "BAD_OTP"),
        ({"otp": "c" * 31}, "BAD_OTP"),
        ({"otp": "c" * 49}, "BAD_OTP"),
        ({"otp": "a" * 44}, "BAD_OTP"),
        ({"id": None}, "MISSING_PARAMETER"),
        ({"id": "0"}, "MISSING_PARAMETER"),
        ({"id": "8x"}, "MISSING_PARAMETER"),
        ({"id": "12345678901"}, "MISSING_PARAMETER"),
        ({"id": "99"}, "NO_SUCH_CLIENT"),
        ({"sl": "0"}, "MISSING_PARAMETER"),
        ({"sl": "most"}, "MISSING_PARAMETER"),
        ({"timeout": "0.5"}, "MISSING_PARAMETER"),  # what yubico-client sends for timeout=0.5
        ({"nonce": None, "otp": "bad"}, "MISSING_PARAMETER"),  # the nonce is checked first
        ({"otp": "bad", "id": "0"}, "BAD_OTP"),  # the OTP before the client id
        ({"sl": "fast"}, "OK"),
        ({"sl": "secure"}, "OK"),
        ({"sl": "50"}, "OK"),
        ({"timeout": "8"}, "OK"),
    ],
)
def test_parameter_checks(state: YubiKeyState, device: str, change: dict[str, Any], status: str) -> None:
    params = {"id": "87", "otp": state.mint_otp(device), "nonce": "abcdefghij0123456789"}
    for name, value in change.items():
        if value is None:
            params.pop(name)
        else:
            params[name] = value
    assert parse(proto.verify(state, params).body)["status"] == status


def test_early_errors_are_signed_with_an_empty_key(state: YubiKeyState) -> None:
    for params in ({}, {"id": "99", "otp": "c" * 44, "nonce": "abcdefghij0123456789"}):
        fields = parse(proto.verify(state, params).body)
        assert fields["status"] in {"MISSING_PARAMETER", "NO_SUCH_CLIENT"}
        assert set(fields) == {"h", "t", "status"}
        assert fields["h"] == proto.sign({"status": fields["status"], "t": fields["t"]}, b"")
        assert fields["h"] != proto.sign({"status": fields["status"], "t": fields["t"]}, state.secret_key)


def test_a_bare_request_answers_missing_parameter(state: YubiKeyState) -> None:
    body = proto.verify(state, {}).body
    assert body.strip() and parse(body)["status"] == "MISSING_PARAMETER"


def test_wrong_key_breaks_the_response_signature(state: YubiKeyState, device: str) -> None:
    for params, key in (
        (
            signed_request(state, id="87", otp=state.mint_otp(device), nonce="abcdefghij0123456789"),
            VECTOR_KEY,
        ),
        ({}, b""),
    ):
        fields = parse(proto.verify(state, params, wrong_key=True).body)
        assert fields["h"] != proto.sign({k: v for k, v in fields.items() if k != "h"}, key)


# -- every status, and forced ones -------------------------------------------------------------------


@pytest.mark.parametrize("status", STATUSES)
def test_every_status_can_be_forced(state: YubiKeyState, device: str, status: str) -> None:
    state.force_status(status)
    otp = state.mint_otp(device)
    fields = ask(state, otp)
    assert fields["status"] == status
    echoed = status in {
        "OK",
        "REPLAYED_OTP",
        "REPLAYED_REQUEST",
        "NOT_ENOUGH_ANSWERS",
        "OPERATION_NOT_ALLOWED",
    }
    assert ("otp" in fields, "nonce" in fields) == (echoed, echoed)
    assert fields["h"] == proto.sign({k: v for k, v in fields.items() if k != "h"}, state.secret_key)
    state.force_status(None)
    assert ask(state, otp)["status"] == "OK"  # a forced answer leaves the replay memory alone


def test_every_status_is_reachable_without_forcing(state: YubiKeyState, device: str) -> None:
    seen = set()
    otp = state.mint_otp(device)
    seen.add(ask(state, otp, "samenonce0000000")["status"])  # OK
    seen.add(ask(state, otp, "samenonce0000000")["status"])  # REPLAYED_REQUEST
    seen.add(ask(state, otp, "othernonce000000")["status"])  # REPLAYED_OTP
    seen.add(ask(state, "c" * 44)["status"])  # BAD_OTP
    seen.add(parse(proto.verify(state, {}).body)["status"])  # MISSING_PARAMETER
    seen.add(parse(proto.verify(state, {"id": "99", "otp": otp, "nonce": "a" * 16}).body)["status"])
    forged = {"id": "87", "otp": otp, "nonce": "a" * 16, "h": "AAAA"}
    seen.add(parse(proto.verify(state, forged).body)["status"])  # BAD_SIGNATURE
    assert seen == {
        "OK",
        "REPLAYED_REQUEST",
        "REPLAYED_OTP",
        "BAD_OTP",
        "MISSING_PARAMETER",
        "NO_SUCH_CLIENT",
        "BAD_SIGNATURE",
    }


def test_unknown_forced_status_is_refused(state: YubiKeyState) -> None:
    with pytest.raises(StateError, match="DELAYED_OTP"):
        state.force_status("DELAYED_OTP")


# -- state -------------------------------------------------------------------------------------------


def test_reset_forgets_devices_and_forcing_but_keeps_the_client(state: YubiKeyState, device: str) -> None:
    state.force_status("BACKEND_ERROR")
    state.add_client("12", b"k")
    state.reset()
    assert state.devices() == []
    assert state.forced_status is None
    assert state.client_key("87") == VECTOR_KEY
    assert state.client_key("12") is None


def test_default_client_key_is_random_and_base64() -> None:
    one, two = YubiKeyState(), YubiKeyState()
    assert len(one.secret_key) == 20 and one.secret_key != two.secret_key
    assert one.client_id == "87"
    assert one.secret_key_b64.endswith("=") and len(one.secret_key_b64) == 28


def test_re_registering_keeps_counters_unless_the_key_changes(state: YubiKeyState) -> None:
    public_id = state.register_device(username="alice")
    earlier = state.mint_otp(public_id)
    state.register_device(public_id, username="bob")
    assert state.devices() == [{"public_id": public_id, "username": "bob", "accepted": 0}]
    assert ask(state, earlier)["status"] == "OK"
    state.register_device(public_id, aes_key=bytes(16))
    assert state.devices()[0]["username"] == "bob"
    assert ask(state, state.mint_otp(public_id))["status"] == "OK"
    assert ask(state, earlier)["status"] == "BAD_OTP"  # made with the old key


# -- control operations --------------------------------------------------------------------------------


@pytest.fixture
def mock() -> YubiKeyMock:
    return YubiKeyMock()  # never started: control operations need no network


def test_control_registers_mints_and_forces(mock: YubiKeyMock) -> None:
    key = "000102030405060708090a0b0c0d0e0f"
    assert mock.control("PUT", ["devices", "cccccbhkevcj"], {"username": "casuser", "aes_key": key}) == (
        200,
        {"public_id": "cccccbhkevcj"},
    )
    status, minted = mock.control("POST", ["otp"], {"public_id": "cccccbhkevcj"})
    assert status == 200
    assert read_otp(minted["otp"], bytes.fromhex(key)).counter == 1
    assert mock.control("GET", ["devices"], None)[1]["devices"][0]["username"] == "casuser"
    assert mock.control("PUT", ["status"], {"status": "BACKEND_ERROR"}) == (200, {"status": "BACKEND_ERROR"})
    assert mock.state.forced_status == "BACKEND_ERROR"
    assert mock.control("DELETE", ["status"], None) == (200, {"status": None})
    assert mock.state.forced_status is None


def test_control_device_body_may_be_empty(mock: YubiKeyMock) -> None:
    assert mock.control("PUT", ["devices", "cccccbhkevcj"], {})[1] == {"public_id": "cccccbhkevcj"}
    assert mock.control("PUT", ["devices", "cccccbhkevck"], None)[1] == {"public_id": "cccccbhkevck"}


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("PUT", ["devices", "cccccbhkevcj"], {"aes_key": "00"}, "aes_key"),
        ("PUT", ["devices", "cccccbhkevcj"], {"aes_key": "zz" * 16}, "aes_key"),
        ("PUT", ["devices", "cccccbhkevcj"], {"username": 3}, "username"),
        ("PUT", ["devices", "cccccbhkevcj"], {"user": "x"}, "user: not a field"),
        ("PUT", ["devices", "cccccbhkevcj"], ["casuser"], "JSON object"),
        ("PUT", ["devices", "not-modhex"], {}, "public id"),
        ("POST", ["otp"], {}, "public_id"),
        ("POST", ["otp"], {"public_id": "cccccccccccc"}, "no YubiKey"),
        ("PUT", ["status"], {"status": "FINE"}, "status"),
        ("PUT", ["status"], "OK", "JSON object"),
        ("GET", ["otp"], None, "no YubiKey control operation"),
        ("DELETE", ["devices", "cccccbhkevcj"], None, "no YubiKey control operation"),
        ("PUT", [], {}, "no YubiKey control operation"),
    ],
)
def test_control_errors_are_clear(
    mock: YubiKeyMock, method: str, path: list[str], body: Any, message: str
) -> None:
    with pytest.raises(ControlError, match=message):
        mock.control(method, path, body)


def test_typed_methods_and_description(mock: YubiKeyMock) -> None:
    public_id = mock.register_device(username="casuser")
    assert mock.mint_otp(public_id).startswith(public_id)
    mock.force_status("REPLAYED_OTP")
    assert mock.state.forced_status == "REPLAYED_OTP"
    described = mock.describe()
    assert set(described) == {"validation_url", "api_urls", "client_id", "secret_key"}
    assert described["validation_url"].endswith("/wsapi/2.0/verify")
    assert described["api_urls"] == [described["validation_url"]]
    assert (described["client_id"], described["secret_key"]) == ("87", mock.state.secret_key_b64)
