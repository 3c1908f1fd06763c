"""The reference's Duo adapter: CAS's Universal Prompt calls through Duo's own Python SDK.

Availability is ``Client.health_check()`` (``UniversalPromptDuoSecurityAuthenticationService#ping``):
any exception means unavailable. The factor is the prompt: the browser goes to the authorization URL
and comes back with a ``duo_code``, which is exchanged for the id_token; CAS accepts any id_token that
verifies, whatever its ``auth_result`` says. The account-status check is the signed Auth API
``preauth`` through duo_client, as CAS's ``DuoSecurityDetermineUserAccountAction`` does.
"""

from __future__ import annotations

import json
import secrets
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duo_client
from duo_universal import Client, DuoException

from cas_mfa_ref.model import RegisteredService
from cas_mfa_ref.providers.bounded import CallTimedOut, call_within

DEFAULT_TIMEOUT = 10.0  # OkHttp's default read timeout in the Java SDK CAS uses
ACCOUNT_STATUSES = ("AUTH", "ALLOW", "DENY", "ENROLL", "UNAVAILABLE")
CALLBACK = "https://cas.example.org/cas/login"


@dataclass(frozen=True)
class DuoSettings:
    integration_key: str
    secret_key: str
    api_host: str
    account_status_enabled: bool
    ca_certs: str | None

    @classmethod
    def from_settings(cls, settings: Mapping[str, str], ca_certs: str | None = None) -> DuoSettings:
        missing = [
            k for k in ("duo-integration-key", "duo-secret-key", "duo-api-host") if not settings.get(k)
        ]
        if missing:
            raise ValueError(f"Duo needs {', '.join(missing)}")
        flag = settings.get("account-status-enabled", "true").strip().lower()
        if flag not in ("true", "false"):
            raise ValueError(f"account-status-enabled: '{flag}' is not true or false")
        return cls(
            settings["duo-integration-key"].strip(),
            settings["duo-secret-key"].strip(),
            settings["duo-api-host"].strip(),
            flag == "true",
            ca_certs,
        )


class DuoGateway:
    def __init__(
        self, settings: DuoSettings, timeout: float = DEFAULT_TIMEOUT, callback: str = CALLBACK
    ) -> None:
        self.settings = settings
        self.timeout = timeout
        self._client = self._universal(callback)

    def _universal(self, callback: str) -> Client:
        options: dict[str, Any] = {"duo_certs": self.settings.ca_certs} if self.settings.ca_certs else {}
        return _client(
            self.settings.integration_key,
            self.settings.secret_key,
            self.settings.api_host,
            callback,
            **options,
        )

    def is_available(self, service: RegisteredService | None) -> bool:
        try:
            with _quiet():
                call_within(self.timeout, self._client.health_check)
        except (DuoException, CallTimedOut, OSError, ValueError):
            return False
        return True

    def authorization_url(self, principal: str, state: str | None = None) -> str:
        """Where CAS sends the browser for the Universal Prompt; ``state`` as CAS's transient ticket id."""
        with _quiet():
            url: str = self._client.create_auth_url(principal, state or secrets.token_urlsafe(24))
        return url

    def verify(self, principal: str, token: str) -> bool:
        """Exchange the ``duo_code`` the prompt returned; a verified id_token for the principal is success."""
        try:
            with _quiet():
                call_within(
                    self.timeout,
                    lambda: self._client.exchange_authorization_code_for_2fa_result(token, principal),
                )
        except (DuoException, CallTimedOut, OSError, ValueError):
            return False
        return True

    def account_status(self, principal: str) -> str:
        """CAS's ``DuoSecurityUserAccountStatus`` from preauth: FAIL codes below 50000 keep AUTH."""
        if not self.settings.account_status_enabled:
            return "AUTH"
        try:
            answer = call_within(self.timeout + 1, lambda: self._auth_api().preauth(username=principal))
        except RuntimeError as error:
            code = _fail_code(error)
            return "UNAVAILABLE" if code is None or code > 49999 else "AUTH"
        except Exception:  # CAS: any other failure of the preauth call makes Duo unavailable
            return "UNAVAILABLE"
        result = str(answer.get("result", "")).upper()
        return result if result in ACCOUNT_STATUSES else "AUTH"

    def _auth_api(self) -> duo_client.Auth:
        host, _, port = self.settings.api_host.partition(":")
        client = duo_client.Auth(
            self.settings.integration_key,
            self.settings.secret_key,
            host=host,
            port=int(port) if port else None,
            ca_certs=self.settings.ca_certs or None,
            timeout=self.timeout,
        )
        # duo_client retries a 429 for about a minute; CAS reads the FAIL code (42901 < 50000) at once.
        client._MAX_BACKOFF_WAIT_SECS = 0
        return client


def _fail_code(error: RuntimeError) -> int | None:
    """The ``code`` of Duo's FAIL answer, which duo_client attaches (parsed or raw) to its error."""
    data = getattr(error, "data", None)
    if isinstance(data, dict):
        code = data.get("code")
        return code if isinstance(code, int) else None
    if isinstance(data, bytes | str):
        try:
            parsed = json.loads(data)
        except ValueError:
            return None
        code = parsed.get("code") if isinstance(parsed, dict) else None
        return code if isinstance(code, int) else None
    return None


class _quiet(warnings.catch_warnings):
    """Duo's secrets are shorter than PyJWT recommends for HS512; Duo uses them regardless."""

    def __enter__(self) -> None:
        super().__enter__()
        warnings.simplefilter("ignore")


def _client(*args: Any, **options: Any) -> Client:
    """duo_universal's Client, its own validation errors turned into ValueError (a profile mistake)."""
    try:
        return Client(*args, **options)
    except DuoException as error:
        raise ValueError(f"Duo rejects these credentials: {error}") from None
