"""Registered services from ``services/*.json`` in CAS's JSON format."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cas_mfa_ref.config import jsonfields as field
from cas_mfa_ref.config.files import exists
from cas_mfa_ref.config.hooks import Hook, load_script
from cas_mfa_ref.config.jsonfile import read_json
from cas_mfa_ref.config.properties import parse_enum
from cas_mfa_ref.errors import Origin, ProfileError, ProfileWarning, shown
from cas_mfa_ref.model import (
    AttributeReleasePolicy,
    FailureMode,
    MultifactorPolicy,
    RegisteredService,
    ReleaseKind,
)
from cas_mfa_ref.regex import check_patterns, compile_pattern

_SERVICE_CLASSES = {
    "org.apereo.cas.services.RegexRegisteredService",
    "org.apereo.cas.services.CasRegisteredService",
}
_OTHER_CAS_CLASSES = {
    "org.apereo.cas.services.OidcRegisteredService",
    "org.apereo.cas.support.oauth.services.OAuthRegisteredService",
    "org.apereo.cas.support.saml.services.SamlRegisteredService",
    "org.apereo.cas.ws.idp.services.WSFederationRegisteredService",
}
_LOWEST_PRECEDENCE = 2**31 - 1  # Spring Ordered.LOWEST_PRECEDENCE, the interface default
_POLICY_CLASS = "org.apereo.cas.services.DefaultRegisteredServiceMultifactorPolicy"
# GroovyRegisteredServiceMultifactorPolicy (deprecated since CAS 6.2): every getter of the policy comes from
# an object the Groovy script builds; the reference reads that object from the script's Python counterpart.
_GROOVY_POLICY_CLASS = "org.apereo.cas.services.GroovyRegisteredServiceMultifactorPolicy"
_POLICY_FIELDS = {
    "@class",
    "multifactorAuthenticationProviders",
    "failureMode",
    "bypassEnabled",
    "bypassPrincipalAttributeName",
    "bypassPrincipalAttributeValue",
    "bypassIfMissingPrincipalAttribute",
    "principalAttributeNameTrigger",
    "principalAttributeValueToMatch",
    "forceExecution",
    "bypassTrustedDeviceEnabled",
    "script",
}
_RELEASE_CLASSES = {
    "org.apereo.cas.services.ReturnAllAttributeReleasePolicy": ReleaseKind.ALL,
    "org.apereo.cas.services.ReturnAllowedAttributeReleasePolicy": ReleaseKind.ALLOWED,
    "org.apereo.cas.services.DenyAllAttributeReleasePolicy": ReleaseKind.DENY_ALL,
}


def load_services(
    directory: Path, warnings: list[ProfileWarning], root: Path | None = None
) -> list[RegisteredService]:
    """Every ``*.json`` in the directory, sorted as CAS sorts its registry (by evaluation order). Scripts
    the services name are resolved against ``root`` (the profile), else against the directory."""
    if not exists(directory, Origin(directory)):
        return []
    if not directory.is_dir():
        raise ProfileError(directory, "must be a directory of CAS JSON service definitions")
    base = root or directory
    services = [load_service(path, warnings, base) for path in sorted(directory.glob("*.json"))]
    seen: dict[int, RegisteredService] = {}
    for service in services:
        if service.id in seen:
            warnings.append(
                ProfileWarning(
                    service.origin.at_field("id"),
                    f"id {service.id} is also used by {seen[service.id].origin.file.name}",
                )
            )
        seen[service.id] = service
    return sorted(
        services,
        key=lambda s: (s.evaluation_priority, s.evaluation_order, s.name.lower(), s.service_id, s.id),
    )


def load_service(path: Path, warnings: list[ProfileWarning], root: Path | None = None) -> RegisteredService:
    data = read_json(path)
    origin = Origin(path)
    if not isinstance(data, dict):
        raise ProfileError(origin, "a service definition must be a JSON object")
    java_class = _class_name(data, origin)
    if java_class in _OTHER_CAS_CLASSES:
        raise ProfileError(origin.at_field("@class"), f"{shown(java_class)} is not a CAS-protocol service")
    if java_class not in _SERVICE_CLASSES:
        raise ProfileError(
            origin.at_field("@class"),
            f"unknown class {shown(java_class)} (expected one of {', '.join(sorted(_SERVICE_CLASSES))})",
        )
    service_id = field.text(data, "serviceId", origin)
    if not service_id:
        raise ProfileError(origin.at_field("serviceId"), "is missing")
    pattern = compile_pattern(service_id, origin.at_field("serviceId"))
    if "id" not in data:
        warnings.append(ProfileWarning(origin.at_field("id"), "is missing; CAS assigns one when it saves"))
    access = field.mapping(data, "accessStrategy", origin)
    if access is not None and not field.boolean(access, "enabled", origin.at_field("accessStrategy"), True):
        warnings.append(ProfileWarning(origin.at_field("accessStrategy.enabled"), "the service is disabled"))
    return RegisteredService(
        id=field.integer(data, "id", origin, 2**63 - 1),
        name=field.text(data, "name", origin) or "",
        service_id=service_id,
        pattern=pattern,
        evaluation_order=field.integer(data, "evaluationOrder", origin, 0, bits=32),
        evaluation_priority=field.integer(data, "evaluationPriority", origin, _LOWEST_PRECEDENCE, bits=32),
        policy=_policy(
            field.mapping(data, "multifactorPolicy", origin), origin, warnings, root or path.parent
        ),
        release=_release(field.mapping(data, "attributeReleasePolicy", origin), origin),
        origin=origin,
        enabled=access is None or field.boolean(access, "enabled", origin.at_field("accessStrategy"), True),
    )


def _class_name(data: Mapping[str, Any], origin: Origin, default: str | None = None) -> str:
    """``@class``: Jackson's type id, a string naming a class."""
    java_class = data.get("@class", default)
    if java_class is None:
        raise ProfileError(origin.at_field("@class"), "is missing")
    if not isinstance(java_class, str):
        kind = field.type_name(java_class)
        raise ProfileError(origin.at_field("@class"), f"must be a class name, not {kind}")
    return java_class


def _policy(
    data: Mapping[str, Any] | None,
    service_origin: Origin,
    warnings: list[ProfileWarning],
    root: Path,
    origin: Origin | None = None,
) -> MultifactorPolicy:
    if data is None:
        return MultifactorPolicy()
    origin = origin or service_origin.at_field("multifactorPolicy")
    java_class = _class_name(data, origin, _POLICY_CLASS)
    if java_class == _GROOVY_POLICY_CLASS:
        return _groovy_policy(data, service_origin, origin, warnings, root)
    if java_class != _POLICY_CLASS:
        raise ProfileError(
            origin.at_field("@class"),
            f"{shown(java_class)} is not supported (the reference evaluates {_POLICY_CLASS} "
            f"and {_GROOVY_POLICY_CLASS})",
        )
    for name in sorted(set(data) - _POLICY_FIELDS):
        warnings.append(
            ProfileWarning(origin.at_field(name), "is not a field of the multifactor policy; CAS ignores it")
        )
    mode_text = field.text(data, "failureMode", origin)
    mode = (
        FailureMode.UNDEFINED
        if mode_text is None
        else parse_enum(mode_text, FailureMode, origin.at_field("failureMode"), lenient=False)
    )
    policy = MultifactorPolicy(
        providers=tuple(field.java_collection(data, "multifactorAuthenticationProviders", origin)),
        failure_mode=mode,
        bypass_enabled=field.boolean(data, "bypassEnabled", origin, False),
        bypass_principal_attribute_name=field.text(data, "bypassPrincipalAttributeName", origin),
        bypass_principal_attribute_value=field.text(data, "bypassPrincipalAttributeValue", origin),
        bypass_if_missing_principal_attribute=field.boolean(
            data, "bypassIfMissingPrincipalAttribute", origin, False
        ),
        principal_attribute_name_trigger=field.text(data, "principalAttributeNameTrigger", origin),
        principal_attribute_value_to_match=field.text(data, "principalAttributeValueToMatch", origin),
        force_execution=field.boolean(data, "forceExecution", origin, False),
        bypass_trusted_device_enabled=field.boolean(data, "bypassTrustedDeviceEnabled", origin, False),
        script=_script(field.text(data, "script", origin), origin.at_field("script"), root),
    )
    check_patterns(
        policy.bypass_principal_attribute_name,
        origin.at_field("bypassPrincipalAttributeName"),
        comma_separated=False,
    )
    check_patterns(
        policy.bypass_principal_attribute_value,
        origin.at_field("bypassPrincipalAttributeValue"),
        comma_separated=True,
    )
    check_patterns(
        policy.principal_attribute_value_to_match,
        origin.at_field("principalAttributeValueToMatch"),
        comma_separated=False,
    )
    return policy


def _script(text: str | None, origin: Origin, root: Path) -> Hook | None:
    """``script`` (ScriptedRegisteredServiceMultifactorAuthenticationTrigger): an external Groovy file,
    run as the Python file of the same name beside it. An inline ``groovy { ... }`` has no file to sit
    beside, so the reference cannot run it."""
    if text is None or not text.strip():
        return None
    location = text.strip()
    if location.startswith("groovy") and "{" in location:
        raise ProfileError(
            origin,
            "an inline Groovy script has no Python counterpart the reference could run; "
            "put it in a file (file:policy.groovy) with policy.py beside it",
        )
    return load_script(location, root, origin)


def _groovy_policy(
    data: Mapping[str, Any],
    service_origin: Origin,
    origin: Origin,
    warnings: list[ProfileWarning],
    root: Path,
) -> MultifactorPolicy:
    """``groovyScript`` names a Groovy class implementing ``RegisteredServiceMultifactorPolicy``; its
    Python counterpart's ``run()`` returns that policy as the JSON fields of the default policy."""
    location = field.text(data, "groovyScript", origin)
    if not location or not location.strip():
        raise ProfileError(origin.at_field("groovyScript"), "is missing")
    for name in sorted(set(data) - {"@class", "groovyScript"}):
        warnings.append(ProfileWarning(origin.at_field(name), "is not a field of the Groovy policy"))
    hook = load_script(location, root, origin.at_field("groovyScript"))
    where = Origin(hook.script.with_suffix(".py"))
    try:
        built = hook.run()
    except Exception as error:  # the user's hook: report it, never a traceback
        raise ProfileError(where, f"run() failed: {type(error).__name__}: {error}") from None
    if not isinstance(built, dict) or "@class" in built or not all(isinstance(k, str) for k in built):
        raise ProfileError(
            where, "run() must return the policy's fields as a dict (multifactorAuthenticationProviders, ...)"
        )
    return _policy(built, service_origin, warnings, root, where)


def _release(data: Mapping[str, Any] | None, service_origin: Origin) -> AttributeReleasePolicy:
    if data is None:
        return AttributeReleasePolicy()
    origin = service_origin.at_field("attributeReleasePolicy")
    java_class = _class_name(data, origin)
    kind = _RELEASE_CLASSES.get(java_class)
    if kind is None:
        raise ProfileError(
            origin.at_field("@class"),
            f"{shown(java_class)} is not supported (one of {', '.join(sorted(_RELEASE_CLASSES))})",
        )
    return AttributeReleasePolicy(
        kind=kind,
        allowed=tuple(field.java_collection(data, "allowedAttributes", origin)),
        authorized_to_release_authentication_attributes=field.boolean(
            data, "authorizedToReleaseAuthenticationAttributes", origin, True
        ),
    )
