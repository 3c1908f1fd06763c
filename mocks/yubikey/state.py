"""What the mock YubiCloud knows: API clients, YubiKeys (both the keys' and the server's side) and
the replay memory, behind one lock. Reachable in process and through the control API alike."""

from __future__ import annotations

import base64
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from mocks.yubikey.otp import (
    PUBLIC_ID_MAX_CHARS,
    BadToken,
    Token,
    is_modhex,
    make_otp,
    modhex_encode,
    read_otp,
    split_otp,
)

STATUSES = (
    "OK",
    "BAD_OTP",
    "REPLAYED_OTP",
    "BAD_SIGNATURE",
    "MISSING_PARAMETER",
    "NO_SUCH_CLIENT",
    "OPERATION_NOT_ALLOWED",
    "BACKEND_ERROR",
    "NOT_ENOUGH_ANSWERS",
    "REPLAYED_REQUEST",
)
DEFAULT_CLIENT_ID = "87"
COUNTER_MASK = 0x7FFF  # bit 15 of the session counter flags a caps-lock trigger, not a count


class StateError(ValueError):
    """An operation on the state that cannot be done; the message says why."""


@dataclass(frozen=True)
class Seen:
    """The last OTP the server accepted from a key: its counters and the request's nonce."""

    counter: int
    use: int
    nonce: str


@dataclass
class Device:
    public_id: str
    aes_key: bytes
    uid: bytes
    username: str | None = None
    # The key's side: what its next OTP carries.
    counter: int = 1
    use: int = 0
    clock_base: int = 0
    powered_at: float = field(default_factory=time.monotonic)
    # The server's side: the replay memory.
    last: Seen | None = None
    accepted: int = 0  # a count, not the OTPs: the counters above are the memory, and stay small

    def as_json(self) -> dict[str, Any]:
        return {"public_id": self.public_id, "username": self.username, "accepted": self.accepted}


@dataclass(frozen=True)
class Verdict:
    status: str
    token: Token | None = None


class YubiKeyState:
    """Clients (id to HMAC key), devices by public id, replay memory and an optional forced status."""

    def __init__(self, client_id: str = DEFAULT_CLIENT_ID, secret_key: bytes | None = None) -> None:
        self._lock = threading.Lock()
        # The default client survives reset: CAS was configured with its key.
        self.client_id = client_id
        self.secret_key = secret_key if secret_key is not None else os.urandom(20)
        self._clients: dict[str, bytes] = {}
        self._devices: dict[str, Device] = {}
        self._forced: str | None = None
        self.reset()

    @property
    def secret_key_b64(self) -> str:
        """The API key as CAS's ``secret-key`` and yubico-client take it."""
        return base64.b64encode(self.secret_key).decode("ascii")

    def reset(self) -> None:
        with self._lock:
            self._clients = {self.client_id: self.secret_key}
            self._devices = {}
            self._forced = None

    # -- clients ----------------------------------------------------------------------------------------

    def add_client(self, client_id: str, key: bytes) -> None:
        with self._lock:
            self._clients[client_id] = key

    def client_key(self, client_id: str) -> bytes | None:
        with self._lock:
            return self._clients.get(client_id)

    # -- forced status ----------------------------------------------------------------------------------

    @property
    def forced_status(self) -> str | None:
        with self._lock:
            return self._forced

    def force_status(self, status: str | None) -> None:
        if status is not None and status not in STATUSES:
            raise StateError(f"status: '{status}' is not one of {', '.join(STATUSES)}")
        with self._lock:
            self._forced = status

    # -- devices ----------------------------------------------------------------------------------------

    def register_device(
        self, public_id: str | None = None, username: str | None = None, aes_key: bytes | None = None
    ) -> str:
        """Add a YubiKey, or update one: a new AES key starts it afresh; a username alone keeps
        its counters, so OTPs minted before stay valid."""
        if aes_key is not None and len(aes_key) != 16:
            raise StateError("aes_key: a YubiKey AES key is 16 bytes (32 hex characters)")
        with self._lock:
            if public_id is None:
                public_id = self._new_public_id()
            public_id = _check_public_id(public_id)
            device = self._devices.get(public_id)
            if device is not None and (aes_key is None or aes_key == device.aes_key):
                if username is not None:
                    device.username = username
                return public_id
            self._devices[public_id] = Device(
                public_id,
                aes_key if aes_key is not None else os.urandom(16),
                os.urandom(6),
                username if username is not None or device is None else device.username,
                clock_base=int.from_bytes(os.urandom(3), "little"),
            )
            return public_id

    def devices(self) -> list[dict[str, Any]]:
        with self._lock:
            return [device.as_json() for device in self._devices.values()]

    def mint_otp(self, public_id: str) -> str:
        """The next OTP the key would type: a real, encrypted Yubico OTP."""
        with self._lock:
            device = self._device(public_id)
            ticks = int((time.monotonic() - device.powered_at) * 8)  # the key's clock runs at 8 Hz
            token = Token(
                device.uid,
                device.counter,
                (device.clock_base + ticks) & 0xFFFFFF,
                device.use,
                int.from_bytes(os.urandom(2), "little"),
            )
            device.use += 1
            if device.use > 0xFF:  # the session use wraps into the next session, as the key does
                device.counter = min(device.counter + 1, COUNTER_MASK)
                device.use = 0
            return make_otp(device.public_id, token, device.aes_key)

    def read(self, otp: str) -> Token | None:
        """The token of an OTP from a registered key, without touching the replay memory."""
        with self._lock:
            device = self._devices.get(split_otp(otp)[0])
            return None if device is None else _token(device, otp)

    def verify_otp(self, otp: str, nonce: str) -> Verdict:
        """Decrypt, check, and remember, as the reference server (ykval-verify.php) does."""
        with self._lock:
            device = self._devices.get(split_otp(otp)[0])
            token = None if device is None else _token(device, otp)
            if device is None or token is None:
                return Verdict("BAD_OTP")
            counters = (token.counter & COUNTER_MASK, token.use)
            last = device.last
            if last is not None and counters == (last.counter, last.use) and nonce == last.nonce:
                return Verdict("REPLAYED_REQUEST", token)
            if last is not None and counters <= (last.counter, last.use):
                return Verdict("REPLAYED_OTP", token)
            device.last = Seen(counters[0], counters[1], nonce)
            device.accepted += 1
            return Verdict("OK", token)

    def _device(self, public_id: str) -> Device:
        device = self._devices.get(public_id.lower())
        if device is None:
            raise StateError(f"no YubiKey with public id '{public_id}' is registered")
        return device

    def _new_public_id(self) -> str:
        while True:
            candidate = "cc" + modhex_encode(os.urandom(5))  # "cc…": the prefix of Yubico-programmed keys
            if candidate not in self._devices:
                return candidate


def _token(device: Device, otp: str) -> Token | None:
    try:
        token = read_otp(otp, device.aes_key)
    except BadToken:
        return None
    # The KSM also checks the private uid: a token from another key with the same AES key is refused.
    return token if token.uid == device.uid else None


def _check_public_id(public_id: str) -> str:
    normal = public_id.lower()
    if not normal or len(normal) > PUBLIC_ID_MAX_CHARS or len(normal) % 2 or not is_modhex(normal):
        raise StateError(
            f"public id: '{public_id}' is not 2 to {PUBLIC_ID_MAX_CHARS} modhex characters "
            "(an even number of cbdefghijklnrtuv, usually 12)"
        )
    return normal
