"""The RADIUS mock as a :class:`mocks.provider.MockProvider`: its state, its server, its control API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mocks.faults import Fault, FaultBook, FaultError, Kind, parse_fault
from mocks.journal import Journal
from mocks.provider import ControlError, Routes
from mocks.radius.server import HOST, RadiusServer
from mocks.radius.state import Challenge, RadiusState, RadiusUser

ENDPOINTS = ("auth", "status")
NOT_FOR_RADIUS = (Kind.HTTP_ERROR, Kind.RATE_LIMIT)
_OPERATIONS = 'PUT users/{username} with {"token": ..., "challenge"?: {...}}, DELETE users/{username}'


class RadiusMock:
    """A RADIUS server on UDP 127.0.0.1 with users, challenges, faults and a journal.

    Endpoints for faults: ``auth`` (Access-Request) and ``status`` (Status-Server).
    """

    name = "radius"
    control_routes: Routes = {("users", "*"): frozenset({"PUT", "DELETE"})}

    def __init__(self, port: int = 0, shared_secret: str | None = None) -> None:
        self.state = RadiusState(shared_secret)
        self.faults = FaultBook(ENDPOINTS)
        self.journal = Journal()
        self.server = RadiusServer(self.state, self.faults, self.journal, port)

    # lifecycle

    def start(self) -> None:
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def reset(self) -> None:
        """Users, challenges, faults, held-back replies and the journal; the secret and port stay."""
        self.server.cancel_pending()
        self.state.reset()
        self.faults.clear()
        self.journal.clear()

    def faults_changed(self) -> None:
        """Nothing to do: UDP has no listener to close, ``down`` is silence decided per packet."""

    def describe(self) -> dict[str, Any]:
        return {"host": HOST, "port": self.server.port, "shared_secret": self.state.secret}

    # faults

    def check_fault(self, fault: Fault) -> None:
        """Refuse the HTTP-only kinds; :class:`mocks.suite.MockSuite` calls this before setting."""
        if fault.kind in NOT_FOR_RADIUS:
            raise FaultError(f"kind: '{fault.kind.value}' does not apply to RADIUS")

    def set_fault(self, spec: Any) -> Fault:
        fault = parse_fault(spec, self.faults.endpoints)
        self.check_fault(fault)
        self.faults.set(fault)
        return fault

    def clear_fault(self, endpoint: str | None = None) -> None:
        self.faults.clear(endpoint)

    # users

    def set_user(self, username: str, token: str, challenge: Mapping[str, str] | None = None) -> RadiusUser:
        """Register ``username`` with ``token``; with ``challenge`` (``prompt``, ``response``) the right
        token gets an Access-Challenge, and the response to it an Access-Accept."""
        step = None if challenge is None else Challenge(challenge["prompt"], challenge["response"])
        return self.state.set_user(username, token, step)

    def delete_user(self, username: str) -> bool:
        return self.state.delete_user(username)

    # control API

    def control(self, method: str, path: list[str], body: Any) -> tuple[int, Any]:
        if len(path) == 2 and path[0] == "users" and path[1]:
            username = path[1]
            if method == "PUT":
                token, challenge = _user_body(body)
                try:
                    self.set_user(username, token, challenge)
                except ValueError as error:
                    raise ControlError(f"radius user '{username}': {error}") from None
                return 200, {"username": username}
            if method == "DELETE":
                return 200, {"username": username, "deleted": self.delete_user(username)}
        raise ControlError(f"no RADIUS control operation {method} {'/'.join(path)} ({_OPERATIONS})")


def _user_body(body: Any) -> tuple[str, dict[str, str] | None]:
    if not isinstance(body, dict):
        raise ControlError('a RADIUS user is a JSON object such as {"token": "123456"}')
    unknown = set(body) - {"token", "challenge"}
    if unknown:
        raise ControlError(f"{', '.join(sorted(unknown))}: not a field of a RADIUS user (token, challenge)")
    token = body.get("token")
    if not isinstance(token, str) or not token:
        raise ControlError("token: required, a non-empty string")
    challenge = body.get("challenge")
    if challenge is None:
        return token, None
    if not isinstance(challenge, dict) or set(challenge) != {"prompt", "response"}:
        raise ControlError('challenge: must be {"prompt": "...", "response": "..."}')
    for field in ("prompt", "response"):
        if not isinstance(challenge[field], str) or not challenge[field]:
            raise ControlError(f"challenge.{field}: must be a non-empty string")
    return token, {"prompt": challenge["prompt"], "response": challenge["response"]}
