"""A typed client of the control API, for scripts and for suites driving mocks in another process."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from mocks.provider import ControlError

TIMEOUT_SECONDS = 10.0


class ControlRequestFailed(ControlError):
    """The control API refused a request; ``status`` is its HTTP status (400 for bad input)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class ControlClient:
    """The operations of :class:`~mocks.suite.MockSuite`, over ``cas-mfa-mocks serve``'s control URL."""

    def __init__(self, url: str, timeout: float = TIMEOUT_SECONDS) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}{path}", data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            try:
                payload = json.loads(error.read() or b"{}")
            except ValueError:
                payload = {}
            message = payload.get("error") if isinstance(payload, dict) else None
            raise ControlRequestFailed(error.code, message or f"HTTP {error.code}") from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            # No answer, or not the control API: status 0, and the reason in words rather than a traceback.
            reason = getattr(error, "reason", None) or error
            raise ControlRequestFailed(
                0, f"{method} {self.url}{path}: no answer from the mocks' control API ({reason})"
            ) from None

    def health(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("GET", "/health")
        return result

    def reset(self) -> None:
        self.call("POST", "/reset")

    def set_fault(
        self, provider: str, kind: str, endpoint: str | None = None, **params: Any
    ) -> dict[str, Any]:
        spec = {"kind": kind, **params, **({"endpoint": endpoint} if endpoint else {})}
        result: dict[str, Any] = self.call("PUT", f"/providers/{provider}/fault", spec)
        return result

    def clear_fault(self, provider: str, endpoint: str | None = None) -> None:
        query = f"?endpoint={endpoint}" if endpoint else ""
        self.call("DELETE", f"/providers/{provider}/fault{query}")

    def journal(self, provider: str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("GET", f"/providers/{provider}/journal")
        return result

    def set_duo_user(
        self,
        username: str,
        *,
        preauth: str = "auth",
        push: str = "approve",
        passcodes: list[str] | None = None,
    ) -> None:
        self.call(
            "PUT",
            f"/providers/duo/users/{username}",
            {"preauth": preauth, "push": push, "passcodes": passcodes or []},
        )

    def register_yubikey_device(self, public_id: str, username: str | None = None) -> None:
        self.call(
            "PUT", f"/providers/yubikey/devices/{public_id}", {"username": username} if username else {}
        )

    def mint_yubikey_otp(self, public_id: str) -> str:
        result: dict[str, str] = self.call("POST", "/providers/yubikey/otp", {"public_id": public_id})
        return result["otp"]

    def set_radius_user(self, username: str, token: str, challenge: dict[str, str] | None = None) -> None:
        body: dict[str, Any] = {"token": token}
        if challenge:
            body["challenge"] = challenge
        self.call("PUT", f"/providers/radius/users/{username}", body)
