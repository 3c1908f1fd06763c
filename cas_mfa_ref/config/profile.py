"""A deployment profile: the directory a real CAS could load, read into one immutable :class:`Profile`."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cas_mfa_ref.config import renames
from cas_mfa_ref.config.files import check_name, exists, resource_path
from cas_mfa_ref.config.geolocation import load_geolocation
from cas_mfa_ref.config.people import (
    ACCEPT_USERS_HANDLER,
    Attributes,
    load_accept_users,
    load_attribute_repositories,
    load_stub_attributes,
)
from cas_mfa_ref.config.properties import CasProperties
from cas_mfa_ref.config.providers import load_providers
from cas_mfa_ref.config.services import load_services
from cas_mfa_ref.config.triggers import TriggerSettings, load_trigger_settings
from cas_mfa_ref.config.trusted import TrustedSettings, load_trusted_settings
from cas_mfa_ref.errors import Origin, ProfileError, ProfileWarning
from cas_mfa_ref.geolocation import GeoLocationService
from cas_mfa_ref.model import FailureMode, Provider, RegisteredService
from cas_mfa_ref.regex import check_patterns
from cas_mfa_ref.versions import (
    BYPASS_IF_MISSING_ATTRIBUTE,
    BYPASS_VALUES_LISTED,
    GLOBAL_DENY_IF_UNMATCHED,
    PRINCIPAL_REVERSE_MATCH,
    PROVIDER_FAILURE_MODE_CLOSED,
    V7,
    CasVersion,
    VersionRule,
    parse_version,
)

PROPERTIES_FILE = "cas.properties"

# Settings the reference reads; anything else under these prefixes is reported as not modelled.
_WATCHED_PREFIXES = (
    "cas.authn.mfa",
    "cas.authn.accept",
    "cas.authn.attribute-repository",
    "cas.authn.authentication-attribute-release",
    "cas.authn.adaptive",
)
_PROVIDER_COMMON = ("id", "rank", "failure-mode", "bypass")
UNMODELLED = "not modelled by the reference implementation; ignored"


@dataclass(frozen=True)
class CoreSettings:
    """``cas.authn.mfa.core.*`` and the trigger settings the engine reads."""

    global_failure_mode: FailureMode = FailureMode.CLOSED
    context_attributes: tuple[str, ...] = ("authnContextClass",)
    global_provider_ids: tuple[str, ...] = ()
    request_parameter: str = "authn_method"
    request_header: str = "authn_method"
    session_attribute: str = "authn_method"
    provider_selection_enabled: bool = False


@dataclass(frozen=True)
class ReleaseSettings:
    """``cas.authn.authentication-attribute-release.*``."""

    enabled: bool = True
    never_release: tuple[str, ...] = ()
    only_release: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """Everything the engine needs to decide a login the way the profiled CAS would."""

    root: Path
    core: CoreSettings
    release: ReleaseSettings
    providers: Mapping[str, Provider]
    services: tuple[RegisteredService, ...]
    users: Mapping[str, str]
    attributes: Mapping[str, Attributes]
    stub_attributes: Attributes
    warnings: tuple[ProfileWarning, ...] = ()
    triggers: TriggerSettings = field(default_factory=TriggerSettings)
    trusted: TrustedSettings = field(default_factory=TrustedSettings)
    truststore: Path | None = None  # cas.http-client.truststore.file: the CAs provider calls trust
    properties_origin: Origin = field(default_factory=lambda: Origin(Path(PROPERTIES_FILE)))
    geolocation: GeoLocationService | None = None  # CAS's GeoLocationService; None: no geolocation module
    version: CasVersion = V7  # reference.cas-version: whose rules apply
    handler_name: str = ACCEPT_USERS_HANDLER  # cas.authn.accept.name: the primary handler's name

    def find_service(self, url: str) -> RegisteredService | None:
        """The first registered service, in CAS's order, whose ``serviceId`` matches the URL."""
        return next((s for s in self.services if s.matches(url)), None)

    def principal_attributes(self, username: str) -> Attributes:
        """Stub attributes, replaced attribute by attribute by the JSON repositories' entry for the user."""
        merged: dict[str, list[Any]] = {k: list(v) for k, v in self.stub_attributes.items()}
        for name, values in self.attributes.get(username, {}).items():
            merged[name] = list(values)
        return merged

    def provider(self, identifier: str) -> Provider | None:
        """The provider whose id matches (7.x ``matches``: case-insensitive equality)."""
        return next((p for p in self.providers.values() if p.matches(identifier)), None)


def load_profile(root: Path | str, environ: Mapping[str, str] | None = None) -> Profile:
    """Load a profile directory; raises :class:`ProfileError` naming the file and line or field."""
    root = Path(root)
    check_name(root / PROPERTIES_FILE, Origin(root))
    if not exists(root, Origin(root)):
        raise ProfileError(root, "profile directory not found")
    if not root.is_dir():
        raise ProfileError(root, "a profile is a directory holding cas.properties and services/")
    props_path = root / PROPERTIES_FILE
    if not exists(props_path, Origin(props_path)):
        raise ProfileError(props_path, "file not found: a profile needs cas.properties")
    props = CasProperties.load(props_path, environ)
    warnings: list[ProfileWarning] = list(props.warnings)
    version = cas_version(props)
    props, unread = renames.apply(props, version)
    warnings.extend(unread)
    try:
        profile = _load(root, props, version, warnings)
    except ProfileError as error:
        # messages name settings as the profile's CAS version writes them
        raise ProfileError(error.origin, renames.in_terms_of(error.message, version)) from None
    spoken = tuple(replace(w, message=renames.in_terms_of(w.message, version)) for w in profile.warnings)
    return replace(profile, warnings=spoken)


def _load(root: Path, props: CasProperties, version: CasVersion, warnings: list[ProfileWarning]) -> Profile:
    props_path = props.path
    core = _core(props)
    release = ReleaseSettings(
        enabled=props.boolean("cas.authn.authentication-attribute-release.enabled", True),
        never_release=tuple(props.csv("cas.authn.authentication-attribute-release.never-release")),
        only_release=tuple(props.csv("cas.authn.authentication-attribute-release.only-release")),
    )
    triggers = load_trigger_settings(props, root)
    geolocation = load_geolocation(props, root)
    trusted = load_trusted_settings(props, root, version, geolocation)
    providers = load_providers(props, version, _provider_default_mode(version))
    for provider in providers.values():
        _check_bypass_patterns(props, provider)
    services_dir = _services_dir(props, root)
    services = load_services(services_dir, warnings, root)
    if not services:
        warnings.append(_empty_registry(services_dir))
    users = load_accept_users(props)
    # AbstractAuthenticationHandler: the configured name, else the class's simple name.
    handler_name = (props.text("cas.authn.accept.name") or "").strip() or ACCEPT_USERS_HANDLER
    attributes = load_attribute_repositories(props, root)
    stub = load_stub_attributes(props)
    props.under("cas.authn.attribute-repository.json")  # the indexes were read above

    truststore_entry = props.entry("cas.http-client.truststore.file")
    truststore = (
        resource_path(props.text_of(truststore_entry), root, truststore_entry.origin)
        if truststore_entry is not None
        else None
    )
    _warn_unknown_providers(services, providers, warnings)
    _warn_unread_policy_fields(services, version, warnings)
    triggers = _unread_trigger_settings(props, triggers, version, warnings)
    for provider_id in core.global_provider_ids:
        if not any(p.matches(provider_id) for p in providers.values()):
            entry = props.entry("cas.authn.mfa.triggers.global.global-provider-id")
            warnings.append(
                ProfileWarning(
                    entry.origin if entry else Origin(props_path),
                    f"no provider '{provider_id}' is configured; every login will fail as CAS's does",
                )
            )
    _warn_unknown_days(props, triggers, warnings)
    warnings.extend(_unmodelled(props, providers, version))
    return Profile(
        root=root,
        core=core,
        release=release,
        providers=providers,
        services=tuple(services),
        users=users,
        attributes=attributes,
        stub_attributes=stub,
        warnings=tuple(warnings),
        truststore=truststore,
        triggers=triggers,
        trusted=trusted,
        properties_origin=Origin(props_path),
        geolocation=geolocation,
        version=version,
        handler_name=handler_name,
    )


VERSION_PROPERTY = "reference.cas-version"


def cas_version(props: CasProperties) -> CasVersion:
    """Whose rules to apply: ``reference.cas-version`` (7.x by default, or 6.2 to 6.6). Not a CAS
    property: a real CAS ignores it; the rules that differ by version are in :mod:`cas_mfa_ref.versions`."""
    entry = props.entry(VERSION_PROPERTY)
    if entry is None:
        return V7
    value = props.text_of(entry)
    version = parse_version(value)
    if version is None:
        raise ProfileError(
            entry.origin, f"'{value.strip()}' is not a CAS version the reference models (7.x, 6.2 to 6.6)"
        )
    return version


def _provider_default_mode(version: CasVersion) -> FailureMode:
    """A provider's ``failure-mode`` default (``BaseMultifactorProviderProperties``)."""
    return FailureMode.CLOSED if PROVIDER_FAILURE_MODE_CLOSED.holds(version) else FailureMode.UNDEFINED


def _core(props: CasProperties) -> CoreSettings:
    context = props.csv("cas.authn.mfa.core.authentication-context-attribute") or ["authnContextClass"]
    http = "cas.authn.mfa.triggers.http"
    return CoreSettings(
        global_failure_mode=props.choice(
            "cas.authn.mfa.core.global-failure-mode", FailureMode, FailureMode.CLOSED
        ),
        context_attributes=tuple(context),
        global_provider_ids=tuple(props.csv("cas.authn.mfa.triggers.global.global-provider-id")),
        request_parameter=props.text(f"{http}.request-parameter") or "authn_method",
        request_header=props.text(f"{http}.request-header") or "authn_method",
        session_attribute=props.text(f"{http}.session-attribute") or "authn_method",
        provider_selection_enabled=props.boolean(
            "cas.authn.mfa.core.provider-selection.provider-selection-enabled", False
        ),
    )


def _services_dir(props: CasProperties, root: Path) -> Path:
    entry = props.entry("cas.service-registry.json.location")
    if entry is None:
        return root / "services"
    return resource_path(props.text_of(entry), root, entry.origin)


EMPTY_REGISTRY = "the service registry holds no service: CAS refuses every application"


def _empty_registry(directory: Path) -> ProfileWarning:
    """CAS starts with an empty registry and refuses every service; say so, as it is rarely meant."""
    missing = "" if exists(directory, Origin(directory)) else " (the directory does not exist)"
    return ProfileWarning(Origin(directory), EMPTY_REGISTRY + missing, kind=EMPTY_REGISTRY)


def _check_bypass_patterns(props: CasProperties, provider: Provider) -> None:
    rules = provider.bypass
    single = {
        "principal-attribute-name": rules.principal_attribute_name,
        "authentication-attribute-name": rules.authentication_attribute_name,
        "http-request-remote-address": rules.http_request_remote_address,
    }
    # Attribute values are comma-separated lists in 7.x; CAS 6.x took each as one pattern.
    values = {
        "principal-attribute-value": rules.principal_attribute_value,
        "authentication-attribute-value": rules.authentication_attribute_value,
        "authentication-handler-name": rules.authentication_handler_name,
        "authentication-method-name": rules.authentication_method_name,
    }
    listed = {"http-request-headers": rules.http_request_headers}
    for groups, comma in (
        (single, False),
        (values, BYPASS_VALUES_LISTED.holds(provider.version)),
        (listed, True),
    ):
        for name, value in groups.items():
            entry = props.entry(f"{provider.prefix}.bypass.{name}")
            if entry is not None:
                check_patterns(value, entry.origin, comma_separated=comma)
    if rules.credential_class_type:
        entry = props.entry(f"{provider.prefix}.bypass.credential-class-type")
        if entry is not None:
            check_patterns(rules.credential_class_type, entry.origin, comma_separated=False)


def _warn_unread_policy_fields(
    services: list[RegisteredService], version: CasVersion, warnings: list[ProfileWarning]
) -> None:
    """Policy fields the chosen CAS version does not have: CAS reads the JSON without them."""
    if BYPASS_IF_MISSING_ATTRIBUTE.holds(version):
        return
    for service in services:
        if service.policy.bypass_if_missing_principal_attribute:
            warnings.append(
                ProfileWarning(
                    service.origin.at_field("multifactorPolicy.bypassIfMissingPrincipalAttribute"),
                    "CAS 6.x has no bypassIfMissingPrincipalAttribute (it came with 7.x); it is ignored",
                )
            )


def _warn_unknown_providers(
    services: list[RegisteredService], providers: Mapping[str, Provider], warnings: list[ProfileWarning]
) -> None:
    for service in services:
        for provider_id in service.policy.providers:
            if not any(p.matches(provider_id) for p in providers.values()):
                warnings.append(
                    ProfileWarning(
                        service.origin.at_field("multifactorPolicy.multifactorAuthenticationProviders"),
                        f"no provider '{provider_id}' is configured; CAS drops it from the policy",
                    )
                )


def _unread_trigger_settings(
    props: CasProperties, triggers: TriggerSettings, version: CasVersion, warnings: list[ProfileWarning]
) -> TriggerSettings:
    """Settings the chosen CAS version does not have: that CAS would not bind them, so they are dropped."""
    principal = triggers.principal
    if principal.deny_if_unmatched and not GLOBAL_DENY_IF_UNMATCHED.holds(version):
        _unread_setting(props, "deny-if-unmatched", GLOBAL_DENY_IF_UNMATCHED, version, warnings)
        principal = replace(principal, deny_if_unmatched=False)
    if principal.reverse_match and not PRINCIPAL_REVERSE_MATCH.holds(version):
        _unread_setting(props, "reverse-match", PRINCIPAL_REVERSE_MATCH, version, warnings)
        principal = replace(principal, reverse_match=False)
    return replace(triggers, principal=principal)


def _unread_setting(
    props: CasProperties, name: str, rule: VersionRule, version: CasVersion, warnings: list[ProfileWarning]
) -> None:
    entry = props.entry(f"cas.authn.mfa.triggers.principal.{name}")
    where = entry.origin if entry else Origin(props.path)
    warnings.append(
        ProfileWarning(where, f"CAS {version} has no such setting ({rule.statement}); it is ignored")
    )


def _warn_unknown_days(
    props: CasProperties, triggers: TriggerSettings, warnings: list[ProfileWarning]
) -> None:
    prefix = "cas.authn.adaptive.policy.require-timed-multifactor"
    for index, rule in zip(props.indexes(prefix), triggers.timed, strict=False):
        unknown = rule.unknown_days()
        if unknown:
            entry = props.entry(f"{prefix}[{index}].on-days")
            warnings.append(
                ProfileWarning(
                    entry.origin if entry else Origin(props.path),
                    f"{', '.join(repr(d) for d in unknown)} never match: CAS compares day names exactly with "
                    "the English forms (Saturday, Sat, S)",
                )
            )


def _unmodelled(
    props: CasProperties, providers: Mapping[str, Provider], version: CasVersion
) -> list[ProfileWarning]:
    warnings = []
    for prefix in _WATCHED_PREFIXES:
        for entry in props.unread_under(prefix):
            warnings.append(
                renames.legacy_warning(entry, version)
                or ProfileWarning(entry.origin, UNMODELLED, kind=UNMODELLED)
            )
    for provider in providers.values():
        for name in provider.settings:
            head = name.split(".")[0]
            close = difflib.get_close_matches(head, _PROVIDER_COMMON, n=1, cutoff=0.75)
            if close and close[0] != head:
                found = props.entry(f"{provider.prefix}.{name}")
                warnings.append(
                    ProfileWarning(
                        found.origin if found else Origin(props.path, None, f"{provider.prefix}.{name}"),
                        f"unknown setting '{head}'; did you mean '{close[0]}'?",
                    )
                )
    return warnings
