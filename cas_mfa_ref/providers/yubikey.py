"""The YubiKey provider as CAS reaches it: a bare GET of each API URL for availability, and the OTP checked
by the validation service through Yubico's own client (yubico-client), after CAS's own device checks.

CAS's pieces (apereo/cas, ``support/cas-server-support-yubikey-core``):
``YubiKeyMultifactorAuthenticationProvider#isAvailable``, ``YubiKeyAuthenticationHandler#doAuthentication``,
``PermissiveYubiKeyAccountRegistry`` (the ``allowed-devices`` map) and ``OpenYubiKeyAccountRegistry`` (no
registry configured: every key is accepted).
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Mapping, Sequence

import requests
from yubico_client import Yubico

from cas_mfa_ref.config.properties import canonical_element, split_name
from cas_mfa_ref.model import RegisteredService

DEFAULT_API_URLS = ("https://api.yubico.com/wsapi/2.0/verify",)  # the Java client's default
# SimpleHttpClientFactoryBean's default acceptable codes: what CAS's availability GET counts as an answer.
ACCEPTABLE_CODES = frozenset({200, 202, 204, 301, 302, 304})
TOKEN_CHARS = 32
OTP_MIN_CHARS, OTP_MAX_CHARS = 32, 48
JAVA_INT_MAX = 2**31 - 1


def is_valid_otp_format(otp: str) -> bool:
    """``YubicoClient.isValidOTPFormat``: 32 to 48 printable ASCII characters."""
    return OTP_MIN_CHARS <= len(otp) <= OTP_MAX_CHARS and all(" " <= c <= "~" for c in otp)


def public_id_of(otp: str) -> str:
    """``YubicoClient.getPublicId``: all but the last 32 characters, lower-cased."""
    return otp[:-TOKEN_CHARS].lower()


class YubiKeyGateway:
    """One YubiKey provider's network side, bounded in time: ``timeout`` seconds per URL for the
    availability GET, and the vendor client's timeout for a verification."""

    def __init__(
        self,
        client_id: str,
        secret_key: str,
        api_urls: Sequence[str] = DEFAULT_API_URLS,
        allowed_devices: Mapping[str, str] | None = None,
        *,
        timeout: float = 5.0,
        max_retries: int = 3,
        retry_delay: float = 0.5,
        ca_bundle: str | None = None,
    ) -> None:
        self.client_id = client_id
        self.secret_key = secret_key
        self.api_urls = tuple(api_urls)
        self.allowed_devices = dict(allowed_devices or {})
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_delay = retry_delay
        self.ca_bundle = ca_bundle

    @classmethod
    def from_settings(
        cls,
        settings: Mapping[str, str],
        timeout: float = 5.0,
        *,
        max_retries: int = 3,
        retry_delay: float = 0.5,
        ca_bundle: str | None = None,
    ) -> YubiKeyGateway:
        """From ``cas.authn.mfa.yubikey.*`` minus the prefix, names in any of Spring's relaxed forms;
        a ValueError names the property that is missing or malformed."""
        relaxed = _relaxed(settings)
        client_id = relaxed.get("clientid", "").strip()
        if not client_id:
            raise ValueError("client-id: required (the YubiCloud API client id, a positive integer)")
        if not client_id.isascii() or not client_id.isdigit() or not 0 < int(client_id) <= JAVA_INT_MAX:
            raise ValueError(
                f"client-id: '{client_id}' is not a positive integer (CAS reads it as a Java int)"
            )
        secret_key = relaxed.get("secretkey", "").strip()
        if not secret_key:
            raise ValueError("secret-key: required (the base64 API key issued with the client id)")
        try:
            base64.b64decode(secret_key, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(
                "secret-key: not base64 (give the API key exactly as YubiCloud issued it)"
            ) from None
        urls = _api_urls(relaxed) or list(DEFAULT_API_URLS)
        for url in urls:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"api-urls: '{url}' is not an http:// or https:// URL")
        devices = {
            name.split(".", 1)[1]: value.strip()
            for name, value in relaxed.items()
            if name.startswith("alloweddevices.")
        }
        return cls(
            client_id,
            secret_key,
            urls,
            devices,
            timeout=timeout,
            max_retries=max_retries,
            retry_delay=retry_delay,
            ca_bundle=ca_bundle,
        )

    def is_available(self, service: RegisteredService | None) -> bool:
        """CAS's check: a plain GET of each API URL in turn; the first acceptable answer with a
        non-blank body means available. Refusals, errors and timeouts move on to the next URL."""
        for url in self.api_urls:
            try:
                answer = requests.get(
                    url, timeout=self.timeout, allow_redirects=False, verify=self._verify_tls
                )
                if answer.status_code in ACCEPTABLE_CODES and answer.text.strip():
                    return True
            except Exception:  # CAS's HttpClient logs and returns null, whatever failed
                continue
        return False

    def verify(self, principal: str, token: str) -> bool:
        """CAS's authentication handler: the OTP's format, the key registered for the principal (when
        devices are configured), then the validation service; only status OK is success."""
        if not is_valid_otp_format(token):
            return False
        if self.allowed_devices and self.allowed_devices.get(principal) != public_id_of(token):
            return False
        try:
            client = Yubico(
                self.client_id,
                self.secret_key,
                api_urls=list(self.api_urls),
                translate_otp=False,  # the Java client sends the OTP as typed; the server translates
                ca_certs_bundle_path=self.ca_bundle,
                max_retries=self.max_retries,
                retry_delay=self.retry_delay,
            )
            # The client sends its timeout as a request parameter and the server accepts digits only.
            result = client.verify(token, timestamp=True, timeout=max(1, math.ceil(self.timeout)))
        except Exception:  # CAS turns every client failure into a failed login
            return False
        return result is True

    @property
    def _verify_tls(self) -> bool | str:
        return self.ca_bundle if self.ca_bundle else True


def _relaxed(settings: Mapping[str, str]) -> dict[str, str]:
    """Setting names with their first element in Spring's uniform form (``client-id``, ``clientId`` ->
    ``clientid``); what follows, bracketed or not (user names, list indexes), keeps its case."""
    relaxed: dict[str, str] = {}
    for name, value in settings.items():
        head, *rest = split_name(name) or [name]
        tail = [e[1:-1] if e.startswith("[") and e.endswith("]") else e for e in rest]
        relaxed[".".join([canonical_element(head), *tail])] = value
    return relaxed


def _api_urls(relaxed: Mapping[str, str]) -> list[str]:
    """``api-urls=a,b`` (Spring splits on commas) or ``api-urls[0]=a``, ``api-urls[1]=b``."""
    indexed = sorted(
        (int(name.split(".", 1)[1]), value)
        for name, value in relaxed.items()
        if name.startswith("apiurls.") and name.split(".", 1)[1].isdigit()
    )
    values = [value for _, value in indexed] or [relaxed.get("apiurls", "")]
    return [url.strip() for value in values for url in value.split(",") if url.strip()]
