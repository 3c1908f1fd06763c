"""MFA providers from ``cas.authn.mfa.<module>.*``.

The rule (documented in the README): a provider exists when at least one property of its module is
present, as a CAS build exists with a module only when the operator configures it. Duo is a list:
each ``cas.authn.mfa.duo[i]`` is one provider. Every provider reads CAS's common settings: ``id``
(the module's default id otherwise), ``rank`` (0), ``failure-mode`` (CLOSED since CAS 6.4) and
``bypass.*``; its other properties are kept for the provider adapters.
"""

from __future__ import annotations

from cas_mfa_ref.config.properties import CasProperties, canonical_element, split_name
from cas_mfa_ref.config.trusted import provider_trusts_devices
from cas_mfa_ref.errors import Origin, ProfileError
from cas_mfa_ref.model import BypassRules, FailureMode, Provider, ProviderKind, RestEndpoint
from cas_mfa_ref.versions import V7, CasVersion

_PKG = "org.apereo.cas"

KINDS: tuple[ProviderKind, ...] = (
    ProviderKind(
        "duo",
        "mfa-duo",
        "Duo Security",
        "DuoSecurityAuthenticationHandler",
        f"{_PKG}.adaptors.duo.authn.DuoSecurityUniversalPromptCredential",
        indexed=True,
    ),
    ProviderKind(
        "yubikey",
        "mfa-yubikey",
        "YubiKey",
        "YubiKeyAuthenticationHandler",
        f"{_PKG}.adaptors.yubikey.YubiKeyCredential",
    ),
    ProviderKind(
        "radius",
        "mfa-radius",
        "RADIUS",
        "RadiusTokenAuthenticationHandler",
        f"{_PKG}.adaptors.radius.authentication.RadiusTokenCredential",
    ),
    ProviderKind(
        "gauth",
        "mfa-gauth",
        "Google Authenticator",
        "GoogleAuthenticatorAuthenticationHandler",
        f"{_PKG}.gauth.credential.GoogleAuthenticatorTokenCredential",
    ),
    ProviderKind(
        "simple",
        "mfa-simple",
        "CAS Simple",
        "CasSimpleMultifactorAuthenticationHandler",
        f"{_PKG}.mfa.simple.CasSimpleMultifactorTokenCredential",
    ),
    ProviderKind(
        "webauthn",
        "mfa-webauthn",
        "WebAuthn",
        "WebAuthnAuthenticationHandler",
        f"{_PKG}.webauthn.WebAuthnCredential",
    ),
    ProviderKind(
        "twilio",
        "mfa-twilio",
        "Twilio",
        "TwilioMultifactorAuthenticationHandler",
        f"{_PKG}.mfa.twilio.TwilioMultifactorTokenCredential",
    ),
    ProviderKind(
        "inwebo",
        "mfa-inwebo",
        "inWebo",
        "InweboAuthenticationHandler",
        f"{_PKG}.inwebo.authentication.InweboCredential",
    ),
    ProviderKind(
        "authy",
        "mfa-authy",
        "Authy",
        "AuthyAuthenticationHandler",
        f"{_PKG}.adaptors.authy.AuthyTokenCredential",
    ),
    ProviderKind(
        "acceptto",
        "mfa-acceptto",
        "Acceptto",
        "AccepttoMultifactorAuthenticationHandler",
        f"{_PKG}.mfa.accepto.AccepttoMultifactorTokenCredential",
    ),
    ProviderKind(
        "swivel",
        "mfa-swivel",
        "Swivel",
        "SwivelAuthenticationHandler",
        f"{_PKG}.adaptors.swivel.SwivelTokenCredential",
    ),
    ProviderKind(
        "u2f", "mfa-u2f", "FIDO U2F", "U2FAuthenticationHandler", f"{_PKG}.adaptors.u2f.U2FTokenCredential"
    ),
)

_BYPASS_FIELDS = {
    "principal-attribute-name": "principal_attribute_name",
    "principal-attribute-value": "principal_attribute_value",
    "authentication-attribute-name": "authentication_attribute_name",
    "authentication-attribute-value": "authentication_attribute_value",
    "authentication-handler-name": "authentication_handler_name",
    "authentication-method-name": "authentication_method_name",
    "credential-class-type": "credential_class_type",
    "http-request-remote-address": "http_request_remote_address",
    "http-request-headers": "http_request_headers",
}
_REST_FIELDS = ("url", "method", "basic-auth-username", "basic-auth-password")
_COMMON = ("id", "rank", "failure-mode", "name", "order")


def load_providers(
    props: CasProperties, version: CasVersion = V7, default_mode: FailureMode = FailureMode.CLOSED
) -> dict[str, Provider]:
    """Every configured provider, keyed by id, in catalogue order (Duo instances by index)."""
    providers: dict[str, Provider] = {}
    for kind in KINDS:
        base = f"cas.authn.mfa.{kind.key}"
        prefixes = [f"{base}[{i}]" for i in props.indexes(base)] if kind.indexed else [base]
        for prefix in prefixes:
            if not props.has_prefix(prefix):
                continue
            provider = _build(props, kind, prefix, version, default_mode)
            if provider.id in providers:
                other = providers[provider.id]
                raise ProfileError(
                    provider.origin,
                    f"provider id '{provider.id}' is already used by {other.prefix} "
                    f"(set a distinct {prefix}.id)",
                )
            providers[provider.id] = provider
    return providers


def _build(
    props: CasProperties, kind: ProviderKind, prefix: str, version: CasVersion, default_mode: FailureMode
) -> Provider:
    entries = props.under(prefix)
    origin = entries[0].origin if entries else Origin(props.path)
    provider_id = props.text(f"{prefix}.id") or kind.default_id
    if not provider_id.strip():
        raise ProfileError(origin, f"{prefix}.id must not be blank")
    rank = props.integer(f"{prefix}.rank", 0)
    mode = props.choice(f"{prefix}.failure-mode", FailureMode, default_mode)
    bypass = _bypass(props, f"{prefix}.bypass")
    if props.text(f"{prefix}.bypass.groovy.location"):
        found = props.entry(f"{prefix}.bypass.groovy.location")
        raise ProfileError(
            found.origin if found else origin,
            "Groovy bypass scripts cannot run in the reference implementation; "
            "use a REST bypass endpoint or remove the property",
        )
    depth = len(split_name(prefix))
    settings = {
        ".".join(e.tail(depth)): props.text_of(e)
        for e in entries
        if canonical_element(e.elements[depth]) not in {"id", "rank", "failuremode", "bypass"}
    }
    return Provider(
        provider_id.strip(),
        kind,
        rank,
        mode,
        bypass,
        prefix,
        origin,
        settings,
        provider_trusts_devices(props, prefix),
        version,
    )


def _bypass(props: CasProperties, prefix: str) -> BypassRules:
    values: dict[str, str | None] = {}
    for prop, attr in _BYPASS_FIELDS.items():
        value = props.text(f"{prefix}.{prop}")
        values[attr] = value if value and value.strip() else None
    rest = None
    url = props.text(f"{prefix}.rest.url")
    if url and url.strip():
        headers = {
            ".".join(e.tail(len(split_name(f"{prefix}.rest.headers")))): props.text_of(e)
            for e in props.under(f"{prefix}.rest.headers")
        }
        method = (props.text(f"{prefix}.rest.method") or "GET").strip().upper()
        if method not in {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}:
            found = props.entry(f"{prefix}.rest.method")
            raise ProfileError(
                found.origin if found else Origin(props.path), f"'{method}' is not an HTTP method"
            )
        rest = RestEndpoint(
            url=url.strip(),
            method=method,
            basic_auth_username=props.text(f"{prefix}.rest.basic-auth-username"),
            basic_auth_password=props.text(f"{prefix}.rest.basic-auth-password"),
            headers=headers,
        )
    return BypassRules(rest=rest, **values)
