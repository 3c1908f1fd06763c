"""What the mock Duo knows: its credentials, its users, and transactions in flight."""

from __future__ import annotations

import secrets
import string
import threading
import time
from dataclasses import dataclass, field
from typing import Any

PREAUTH_RESULTS = ("auth", "allow", "deny", "enroll")
PUSH_OUTCOMES = ("approve", "deny", "timeout")
CODE_TTL_SECONDS = 300
MAX_IN_FLIGHT = 10_000  # pushes and codes kept at once, so a load test cannot grow the mock without end
_ALNUM = string.ascii_uppercase + string.digits


INTEGRATION_KEY_LENGTH = 20  # duo_universal refuses a client id of any other length
SECRET_KEY_LENGTH = 40  # and a client secret of any other length


def new_integration_key() -> str:
    """An integration key (the Universal Prompt's client id) shaped as Duo issues them."""
    return "DI" + "".join(secrets.choice(_ALNUM) for _ in range(INTEGRATION_KEY_LENGTH - 2))


def new_secret_key() -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(SECRET_KEY_LENGTH))


@dataclass
class DuoUser:
    """A Duo account: what preauth says, how a push ends, which passcodes work (single use)."""

    username: str
    preauth: str = "auth"
    push: str = "approve"
    passcodes: set[str] = field(default_factory=set)
    user_id: str = field(default_factory=lambda: "DU" + "".join(secrets.choice(_ALNUM) for _ in range(18)))


@dataclass
class Transaction:
    username: str
    outcome: str
    polls: int = 0


@dataclass
class AuthorizationCode:
    username: str
    redirect_uri: str
    nonce: str | None
    expires: float


class DuoState:
    """Credentials, users, async transactions and authorization codes; safe across threads."""

    def __init__(self, integration_key: str | None = None, secret_key: str | None = None) -> None:
        self._lock = threading.RLock()
        self.integration_key = integration_key or new_integration_key()
        self.secret_key = secret_key or new_secret_key()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._users: dict[str, DuoUser] = {}
            self._transactions: dict[str, Transaction] = {}
            self._codes: dict[str, AuthorizationCode] = {}

    # users
    def set_user(
        self,
        username: str,
        *,
        preauth: str = "auth",
        push: str = "approve",
        passcodes: list[str] | None = None,
    ) -> DuoUser:
        if preauth not in PREAUTH_RESULTS:
            raise ValueError(f"preauth: '{preauth}' is not one of {', '.join(PREAUTH_RESULTS)}")
        if push not in PUSH_OUTCOMES:
            raise ValueError(f"push: '{push}' is not one of {', '.join(PUSH_OUTCOMES)}")
        with self._lock:
            user = DuoUser(username, preauth, push, set(passcodes or []))
            self._users[username] = user
            return user

    def user(self, username: str) -> DuoUser | None:
        with self._lock:
            return self._users.get(username)

    def use_passcode(self, username: str, passcode: str) -> bool:
        with self._lock:
            user = self._users.get(username)
            if user is None or passcode not in user.passcodes:
                return False
            user.passcodes.discard(passcode)
            return True

    # async pushes
    def start_transaction(self, username: str, outcome: str) -> str:
        txid = secrets.token_hex(16)
        with self._lock:
            self._transactions[txid] = Transaction(username, outcome)
            while len(self._transactions) > MAX_IN_FLIGHT:  # the oldest go first (dicts keep order)
                del self._transactions[next(iter(self._transactions))]
        return txid

    def poll(self, txid: str) -> Transaction | None:
        with self._lock:
            transaction = self._transactions.get(txid)
            if transaction is not None:
                transaction.polls += 1
            return transaction

    # Universal Prompt codes
    def issue_code(self, username: str, redirect_uri: str, nonce: str | None) -> str:
        code = secrets.token_urlsafe(24)
        with self._lock:
            now = time.time()
            for stale in [c for c, found in self._codes.items() if found.expires < now]:
                del self._codes[stale]
            while len(self._codes) >= MAX_IN_FLIGHT:
                del self._codes[next(iter(self._codes))]
            self._codes[code] = AuthorizationCode(
                username, redirect_uri, nonce, time.time() + CODE_TTL_SECONDS
            )
        return code

    def redeem_code(self, code: str) -> AuthorizationCode | None:
        """A code is good once, and only before it expires."""
        with self._lock:
            found = self._codes.pop(code, None)
        if found is None or found.expires < time.time():
            return None
        return found

    def users_json(self) -> dict[str, Any]:
        with self._lock:
            return {
                u.username: {"preauth": u.preauth, "push": u.push, "passcodes": len(u.passcodes)}
                for u in self._users.values()
            }
