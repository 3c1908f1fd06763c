"""What the mock RADIUS server knows: its shared secret, its users and the challenges in flight.

No packets here: the protocol layer decodes a request, asks :meth:`RadiusState.authenticate` for a
:class:`Decision`, and encodes the answer. A password is checked through a callable, so PAP (the
cleartext) and CHAP (a digest of it) share one code path.
"""

from __future__ import annotations

import enum
import secrets
import string
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

PROBE_USER = "RadiusMultifactorAuthenticationProvider"
"""CAS's availability probe sends this as username and password (``canPing``); it is always rejected."""

SECRET_LENGTH = 16
MAX_PENDING_CHALLENGES = 1000
ACCEPT_MESSAGE = "Authentication succeeded"
REJECT_MESSAGE = "Authentication failed"
# Letters and digits only: the secret travels on radclient's and radtest's command lines.
_SECRET_ALPHABET = string.ascii_letters + string.digits

PasswordCheck = Callable[[str], bool]
"""Whether the request's password (PAP) or CHAP digest matches a candidate cleartext."""


class Verdict(enum.Enum):
    ACCEPT = "Accept"
    REJECT = "Reject"
    CHALLENGE = "Challenge"


@dataclass(frozen=True)
class Challenge:
    """A second step: the prompt sent in Reply-Message and the response that completes it."""

    prompt: str
    response: str


@dataclass(frozen=True)
class RadiusUser:
    username: str
    token: str
    challenge: Challenge | None = None


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    reply_message: str
    state: bytes | None = None  # the State attribute of an Access-Challenge


def new_secret() -> str:
    return "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


class RadiusState:
    """The shared secret, users and outstanding challenge States; safe across threads.

    The secret is fixed for the life of the object (it is printed in the ready line), so
    :meth:`reset` forgets users and challenges but keeps it.
    """

    def __init__(self, secret: str | None = None) -> None:
        if secret is not None and not secret:
            raise ValueError("the shared secret must not be empty")
        self.secret = secret if secret is not None else new_secret()
        self._lock = threading.Lock()
        self._users: dict[str, RadiusUser] = {}
        # state bytes -> (username, expected response); oldest first, so the oldest is evicted
        self._pending: OrderedDict[bytes, tuple[str, str]] = OrderedDict()

    def reset(self) -> None:
        with self._lock:
            self._users.clear()
            self._pending.clear()

    def set_user(self, username: str, token: str, challenge: Challenge | None = None) -> RadiusUser:
        if not username:
            raise ValueError("username must not be empty")
        if username == PROBE_USER:
            raise ValueError(
                f"'{PROBE_USER}' is reserved: CAS probes availability with it and the mock always rejects it"
            )
        if not token:
            raise ValueError("token must not be empty")
        user = RadiusUser(username, token, challenge)
        with self._lock:
            self._users[username] = user
            # a changed user invalidates the challenges it had in flight
            for key in [k for k, (name, _) in self._pending.items() if name == username]:
                del self._pending[key]
        return user

    def delete_user(self, username: str) -> bool:
        with self._lock:
            found = self._users.pop(username, None) is not None
            for key in [k for k, (name, _) in self._pending.items() if name == username]:
                del self._pending[key]
            return found

    def user(self, username: str) -> RadiusUser | None:
        with self._lock:
            return self._users.get(username)

    def authenticate(self, username: str, password_matches: PasswordCheck, state: bytes | None) -> Decision:
        """The answer to one Access-Request: a follow-up (carrying ``state``) or a first request."""
        with self._lock:
            if state is not None:
                return self._answer_challenge(username, password_matches, state)
            user = self._users.get(username)
            if user is None or not password_matches(user.token):
                return Decision(Verdict.REJECT, REJECT_MESSAGE)
            if user.challenge is None:
                return Decision(Verdict.ACCEPT, ACCEPT_MESSAGE)
            key = secrets.token_hex(8).encode()
            self._pending[key] = (username, user.challenge.response)
            while len(self._pending) > MAX_PENDING_CHALLENGES:
                self._pending.popitem(last=False)
            return Decision(Verdict.CHALLENGE, user.challenge.prompt, key)

    def _answer_challenge(self, username: str, password_matches: PasswordCheck, state: bytes) -> Decision:
        # One answer per challenge, right or wrong, as a real server forgets the State after use.
        pending = self._pending.pop(state, None)
        if pending is None or pending[0] != username or not password_matches(pending[1]):
            return Decision(Verdict.REJECT, REJECT_MESSAGE)
        return Decision(Verdict.ACCEPT, ACCEPT_MESSAGE)
