"""The deployment map: what a CAS deployment is, as its operators configured it.

Its test users (with the factors they are enrolled in and what the suite needs to pass each), its
applications (with what each requires: nothing, a factor, an authentication level) and how MFA shows at
ticket validation (the attribute that names the satisfied factor or level, and the validation parameter
the server honours to ask for one). Portable scenarios are written in these roles, so they run on any CAS
as it is configured; the target file holds the map (docs/target-file.md), and for the reference the map
is derived from the scenario's own profile (:func:`map_from_deployment`).
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from steps.deployment import Deployment

TOTP_ALGORITHMS = ("SHA1", "SHA256", "SHA512")
ENROLMENT_KINDS = ("totp", "provider", "manual")
MFA_LEVEL = 1  # an application that requires a factor and states no level
APEREO_CONTEXT_ATTRIBUTE = "authnContextClass"
APEREO_VALIDATION_PARAMETER = "authn_method"


class MapError(Exception):
    """A deployment map that cannot be used; the message names the field (the file is added by the caller)."""


@dataclass(frozen=True)
class Totp:
    """A TOTP secret the suite holds for a user: codes come from pyotp, as the user's phone would show."""

    secret: str  # base32
    digits: int = 6
    period: int = 30
    algorithm: str = "SHA1"


@dataclass(frozen=True)
class Enrolment:
    """How the suite passes one factor for one user.

    ``totp``: codes from the secret; ``provider``: the target obtains a token (a mock provider holds the
    user, or the target registered the account); ``manual``: a code the suite cannot produce, so only the
    prompt can be checked."""

    factor: str
    kind: str
    totp: Totp | None = None
    provider: str | None = None

    @property
    def passable(self) -> bool:
        return self.kind != "manual"


@dataclass(frozen=True)
class Factor:
    """A second factor the deployment offers, by the deployment's own name for it."""

    name: str
    provider: str | None = None  # the Apereo provider id (mfa-gauth ...), when it has one
    context: tuple[str, ...] = ()  # values of the context attribute once it is passed
    level: int = MFA_LEVEL
    codes_once: bool = True  # the server refuses a code typed before, so the suite never types one twice


@dataclass(frozen=True)
class MapUser:
    name: str
    password: str
    attributes: Mapping[str, list[Any]] = field(default_factory=dict)
    enrolments: Mapping[str, Enrolment] = field(default_factory=dict)


@dataclass(frozen=True)
class Application:
    name: str
    service: str
    requires: str | None = None  # a factor's name; None: no MFA
    level: int = 0  # what the deployment requires of the authentication (0: a password is enough)


@dataclass(frozen=True)
class DeploymentMap:
    users: Mapping[str, MapUser] = field(default_factory=dict)
    applications: Mapping[str, Application] = field(default_factory=dict)
    factors: Mapping[str, Factor] = field(default_factory=dict)
    context_attributes: tuple[str, ...] = ()
    validation_parameter: str | None = (
        None  # how a validation asks for a context, when the server honours one
    )

    @property
    def empty(self) -> bool:
        return not self.users and not self.applications

    def passwords(self) -> dict[str, str]:
        return {name: user.password for name, user in self.users.items()}


def map_from_deployment(deployment: Deployment) -> DeploymentMap:
    """The map of a scenario's own Apereo profile: its users, its services with the providers their
    multifactor policies name, and CAS's context attribute (``authnContextClass`` unless the profile sets
    ``cas.authn.mfa.core.authentication-context-attribute``) honoured at validation as ``authn_method``."""
    factors: dict[str, Factor] = {}
    applications: dict[str, Application] = {}
    for number, service in enumerate(deployment.services, start=1):
        url = _service_url(str(service.get("serviceId", "")))
        if url is None:
            continue  # a pattern that is no one URL: no application a role can name
        policy = service.get("multifactorPolicy") or {}
        providers = policy.get("multifactorAuthenticationProviders") if isinstance(policy, dict) else None
        names = providers[1] if isinstance(providers, list) and len(providers) == 2 else []
        required = str(names[0]) if names else None
        if required is not None:
            factors.setdefault(required, Factor(required, required, (required,)))
        applications[f"service-{number}"] = Application(
            f"service-{number}", url, required, MFA_LEVEL if required else 0
        )
    users = {
        name: MapUser(
            name,
            password,
            dict(deployment.attributes.get(name, {})),
            {f: Enrolment(f, "provider", provider=factor.provider) for f, factor in factors.items()},
        )
        for name, password in deployment.users.items()
    }
    configured = deployment.properties.get("cas.authn.mfa.core.authentication-context-attribute")
    attribute = (configured or APEREO_CONTEXT_ATTRIBUTE).split(",")[0].strip()
    return DeploymentMap(users, applications, factors, (attribute,), APEREO_VALIDATION_PARAMETER)


def _service_url(pattern: str) -> str | None:
    """The URL a service id of the suite's shape (``^<escaped URL>(/.*)?$``) stands for."""
    match = re.fullmatch(r"\^(?P<url>.+?)\(/\.\*\)\?\$", pattern)
    if match is None:
        return None
    url = re.sub(r"\\(.)", r"\1", match.group("url"))
    return url if url.startswith(("http://", "https://")) else None


# -- reading the map from a target file ------------------------------------------------------------


def parse_map(data: Mapping[str, Any]) -> DeploymentMap:
    """The map from a target file's tables ``users``, ``applications``, ``factors`` and ``context``."""
    factors = {name: _factor(name, _table(f"factors.{name}", spec)) for name, spec in _items(data, "factors")}
    users = {name: _user(name, spec, factors) for name, spec in _items(data, "users")}
    applications = {
        name: _application(name, _table(f"applications.{name}", spec), factors)
        for name, spec in _items(data, "applications")
    }
    context = _table("context", data.get("context", {}))
    _known("context", context, {"attribute", "validation-parameter"})
    attributes = context.get("attribute", ())
    if isinstance(attributes, str):
        attributes = (attributes,)
    if not isinstance(attributes, list | tuple) or not all(isinstance(a, str) and a for a in attributes):
        raise MapError("context.attribute: expected an attribute name or a list of them")
    parameter = context.get("validation-parameter")
    if parameter is not None and (not isinstance(parameter, str) or not parameter):
        raise MapError("context.validation-parameter: expected a parameter name such as authn_method")
    if factors and not attributes and any(f.context for f in factors.values()):
        raise MapError("context.attribute: missing, but factors name context values")
    return DeploymentMap(users, applications, factors, tuple(attributes), parameter)


def _items(data: Mapping[str, Any], name: str) -> list[tuple[str, Any]]:
    return list(_table(name, data.get(name, {})).items())


def _table(where: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MapError(f"{where}: expected a table")
    return value


def _known(where: str, table: Mapping[str, Any], known: set[str]) -> None:
    for key in table:
        if key not in known:
            raise MapError(f"{where}.{key}: unknown field (known: {', '.join(sorted(known))})")


def _text(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise MapError(f"{where}: expected a non-empty string")
    return value.strip()


def _level(where: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise MapError(f"{where}: expected a whole number, 0 or more")
    return value


def _factor(name: str, spec: dict[str, Any]) -> Factor:
    where = f"factors.{name}"
    _known(where, spec, {"provider", "context", "level", "codes-once"})
    codes_once = spec.get("codes-once", True)
    if not isinstance(codes_once, bool):
        raise MapError(f"{where}.codes-once: expected true or false")
    provider = _text(f"{where}.provider", spec["provider"]) if "provider" in spec else None
    context = spec.get("context", [provider] if provider else [])
    if isinstance(context, str | int):
        context = [context]
    if not isinstance(context, list) or not all(isinstance(c, str | int) for c in context):
        raise MapError(f"{where}.context: expected the context attribute's value, or a list of them")
    level = _level(f"{where}.level", spec.get("level", 1))
    return Factor(name, provider, tuple(str(c) for c in context), level, codes_once)


def _user(name: str, spec: Any, factors: Mapping[str, Factor]) -> MapUser:
    where = f"users.{name}"
    if isinstance(spec, str):  # the first format: name = "password"
        return MapUser(name, spec)
    if not isinstance(spec, dict):
        raise MapError(f'{where}: expected the password as a string, or a table with password = "..."')
    _known(where, spec, {"password", "attributes", "factors"})
    if not isinstance(spec.get("password"), str):
        raise MapError(f"{where}.password: expected the password as a string")
    attributes = _table(f"{where}.attributes", spec.get("attributes", {}))
    released = {key: list(value) if isinstance(value, list) else [value] for key, value in attributes.items()}
    enrolments: dict[str, Enrolment] = {}
    for factor, enrolment in _table(f"{where}.factors", spec.get("factors", {})).items():
        if factor not in factors:
            raise MapError(
                f"{where}.factors.{factor}: no such factor (declare it under [factors.{factor}]; "
                f"known: {', '.join(sorted(factors)) or 'none'})"
            )
        enrolments[factor] = _enrolment(f"{where}.factors.{factor}", factor, enrolment, factors[factor])
    return MapUser(name, spec["password"], released, enrolments)


def _enrolment(where: str, factor: str, spec: Any, declared: Factor) -> Enrolment:
    spec = _table(where, spec)
    kind = spec.get("kind", "totp" if "secret" in spec or "secret-env" in spec else None)
    if kind not in ENROLMENT_KINDS:
        raise MapError(f"{where}.kind: expected one of {', '.join(ENROLMENT_KINDS)}")
    if kind == "totp":
        _known(where, spec, {"kind", "secret", "secret-env", "digits", "period", "algorithm"})
        return Enrolment(factor, kind, totp=_totp(where, spec))
    if kind == "provider":
        _known(where, spec, {"kind", "provider"})
        provider = spec.get("provider", declared.provider)
        return Enrolment(factor, kind, provider=_text(f"{where}.provider", provider))
    _known(where, spec, {"kind"})
    return Enrolment(factor, kind)


def _totp(where: str, spec: Mapping[str, Any]) -> Totp:
    if ("secret" in spec) == ("secret-env" in spec):
        raise MapError(
            f"{where}: give secret (base32) or secret-env (the variable that holds it), one of them"
        )
    if "secret-env" in spec:
        variable = _text(f"{where}.secret-env", spec["secret-env"])
        secret = os.environ.get(variable, "").strip()
        if not secret:
            raise MapError(f"{where}.secret-env: the environment variable {variable} is not set")
    else:
        secret = _text(f"{where}.secret", spec.get("secret"))
    normalised = secret.replace(" ", "").upper()
    try:
        base64.b32decode(normalised + "=" * (-len(normalised) % 8))
    except (binascii.Error, ValueError):
        raise MapError(f"{where}.secret: not base32 (A-Z and 2-7)") from None
    digits = spec.get("digits", 6)
    if isinstance(digits, bool) or digits not in (6, 7, 8):
        raise MapError(f"{where}.digits: expected 6, 7 or 8")
    period = spec.get("period", 30)
    if isinstance(period, bool) or not isinstance(period, int) or not 1 <= period <= 300:
        raise MapError(f"{where}.period: expected seconds, from 1 to 300")
    algorithm = str(spec.get("algorithm", "SHA1")).upper()
    if algorithm not in TOTP_ALGORITHMS:
        raise MapError(f"{where}.algorithm: expected one of {', '.join(TOTP_ALGORITHMS)}")
    return Totp(normalised, digits, period, algorithm)


def _application(name: str, spec: dict[str, Any], factors: Mapping[str, Factor]) -> Application:
    where = f"applications.{name}"
    _known(where, spec, {"service", "requires", "level"})
    service = _text(f"{where}.service", spec.get("service"))
    if not service.startswith(("http://", "https://")):
        raise MapError(f"{where}.service: '{service}' is not an http(s) URL")
    requires = spec.get("requires")
    if requires is not None:
        requires = _text(f"{where}.requires", requires)
        if requires not in factors:
            known = ", ".join(sorted(factors)) or "none"
            raise MapError(f"{where}.requires: no such factor '{requires}' (known: {known})")
    default = factors[requires].level if requires else 0
    return Application(name, service, requires, _level(f"{where}.level", spec.get("level", default)))
