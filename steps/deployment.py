"""A CAS deployment as the scenario's Given steps describe it, written out as a real profile.

The scenario builds properties, registered services, users and their attributes; :meth:`Deployment.write`
turns them into the directory a real CAS (and the reference) loads: ``cas.properties``,
``services/*.json`` and a JSON attribute repository.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from steps.property_names import VERSION_PROPERTY, name_for, version_family


@dataclass(frozen=True)
class ProviderModule:
    """How an operator names a provider, its CAS module key, default id and a minimal configuration."""

    title: str
    key: str
    provider_id: str
    minimal: tuple[tuple[str, str], ...]

    @property
    def prefix(self) -> str:
        return f"cas.authn.mfa.{self.key}"


# The network providers' endpoints and credentials come from the mocks when the deployment is pointed
# at them (Deployment.pointed_at); what is listed here is the rest of a minimal configuration.
MODULES: tuple[ProviderModule, ...] = (
    ProviderModule("YubiKey", "yubikey", "mfa-yubikey", ()),
    ProviderModule("Duo Security", "duo[0]", "mfa-duo", (("account-status-enabled", "true"),)),
    ProviderModule("RADIUS", "radius", "mfa-radius", (("server.protocol", "PAP"),)),
    ProviderModule(
        "Google Authenticator",
        "gauth",
        "mfa-gauth",
        (("core.issuer", "CASIssuer"), ("core.label", "CASLabel")),
    ),
    ProviderModule("CAS Simple", "simple", "mfa-simple", (("token-length", "6"),)),
    ProviderModule("WebAuthn", "web-authn", "mfa-webauthn", (("core.relying-party-name", "CAS"),)),
)


def module(name: str) -> ProviderModule:
    """A provider module by the operator's name ("YubiKey") or its id ("mfa-yubikey")."""
    wanted = name.strip().lower()
    for candidate in MODULES:
        if wanted in (candidate.title.lower(), candidate.provider_id, candidate.key.split("[")[0]):
            return candidate
    known = ", ".join(m.title for m in MODULES)
    raise ValueError(f"unknown MFA provider '{name}' (known: {known})")


@dataclass
class Deployment:
    """Properties, services, users and attributes of one scenario's CAS."""

    properties: dict[str, str] = field(default_factory=dict)
    services: list[dict[str, Any]] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # extra files of the profile (scripts)
    written_as_is: set[str] = field(default_factory=set)  # property names not renamed for older CAS

    def add_provider(self, provider: ProviderModule) -> None:
        for key, value in provider.minimal:
            self.properties.setdefault(f"{provider.prefix}.{key}", value)
        self.properties.setdefault(f"{provider.prefix}.rank", "0")

    def has_provider(self, provider: ProviderModule) -> bool:
        return any(name.startswith(f"{provider.prefix}.") for name in self.properties)

    def pointed_at(self, mocks: dict[str, Any], *, radius_timeout_seconds: int = 1) -> Deployment:
        """A copy whose Duo, YubiKey and RADIUS providers reach the mock providers, as a real CAS would be
        configured to (a scenario's own values win)."""
        copy = Deployment(
            dict(self.properties),
            list(self.services),
            dict(self.users),
            {k: dict(v) for k, v in self.attributes.items()},
            dict(self.files),
            set(self.written_as_is),
        )
        yubikey, duo, radius = mocks["yubikey"], mocks["duo"], mocks["radius"]
        endpoints: dict[str, dict[str, str]] = {
            "yubikey": {
                "api-urls": yubikey["validation_url"],
                "client-id": str(yubikey["client_id"]),
                "secret-key": yubikey["secret_key"],
            },
            "duo[0]": {
                "duo-integration-key": duo["integration_key"],
                "duo-secret-key": duo["secret_key"],
                "duo-api-host": duo["api_host"],
            },
            "radius": {
                "client.inet-address": radius["host"],
                "client.authentication-port": str(radius["port"]),
                "client.shared-secret": radius["shared_secret"],
                "client.socket-timeout": str(radius_timeout_seconds),
                "server.retries": "0",
            },
        }
        written = {_folded(name) for name in self.properties}
        for provider in MODULES:
            if provider.key in endpoints and self.has_provider(provider):
                for key, value in endpoints[provider.key].items():
                    name = f"{provider.prefix}.{key}"
                    if _folded(name) not in written:  # the scenario's value wins, in any spelling
                        copy.properties[name] = value
        if self.has_provider(module("Duo Security")):
            copy.properties.setdefault("cas.http-client.truststore.file", f"file:{duo['ca_pem']}")
        return copy

    def set(self, name: str, value: str, *, as_written: bool = False) -> None:
        """A property by its 7.x name, written as the deployment's CAS version names it; ``as_written``
        keeps the name exactly as given (a scenario's own properties table)."""
        self.properties[name] = value
        if as_written:
            self.written_as_is.add(name)
        else:
            self.written_as_is.discard(name)

    def add_user(self, username: str, password: str, attributes: dict[str, list[Any]] | None = None) -> None:
        self.users[username] = password
        self.attributes.setdefault(username, {}).update(attributes or {})

    def service(self, url: str) -> dict[str, Any]:
        """The registered service for a URL, created on first mention with CAS's JSON shape."""
        pattern = "^" + re.escape(url) + "(/.*)?$" if not url.startswith("^") else url
        for existing in self.services:
            if existing["serviceId"] == pattern:
                return existing
        number = len(self.services) + 1
        definition: dict[str, Any] = {
            "@class": "org.apereo.cas.services.CasRegisteredService",
            "serviceId": pattern,
            "name": f"App{number}",
            "id": 1000 + number,
            "evaluationOrder": number,
            "attributeReleasePolicy": {"@class": "org.apereo.cas.services.ReturnAllAttributeReleasePolicy"},
        }
        self.services.append(definition)
        return definition

    def policy(self, url: str) -> dict[str, Any]:
        definition = self.service(url)
        policy: dict[str, Any] = definition.setdefault(
            "multifactorPolicy",
            {"@class": "org.apereo.cas.services.DefaultRegisteredServiceMultifactorPolicy"},
        )
        return policy

    def write(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        # the steps speak CAS 7.x's names; an older CAS is given the names it reads
        written = self.properties.get(VERSION_PROPERTY)
        family = version_family(written) if written else None
        lines = [
            f"{name if family is None or name in self.written_as_is else name_for(name, family)}"
            f"={_escape(value)}"
            for name, value in self.properties.items()
        ]
        if self.users:
            users = ",".join(f"{u}::{p}" for u, p in self.users.items())
            lines.append(f"cas.authn.accept.users={_escape(users)}")
        if any(self.attributes.values()):
            (directory / "attributes.json").write_text(
                json.dumps(self.attributes, indent=2), encoding="utf-8"
            )
            lines.append("cas.authn.attribute-repository.json[0].location=file:attributes.json")
        (directory / "cas.properties").write_text("\n".join(lines) + "\n", encoding="utf-8")
        for name, content in self.files.items():
            (directory / name).write_text(content, encoding="utf-8")
        services = directory / "services"
        services.mkdir(exist_ok=True)
        for definition in self.services:
            name = f"{definition['name']}-{definition['id']}.json"
            (services / name).write_text(json.dumps(definition, indent=2), encoding="utf-8")
        return directory


def _escape(value: str) -> str:
    """Java properties escaping for a value: backslashes, and leading white space."""
    escaped = value.replace("\\", "\\\\").replace("\n", "\\n")
    return "\\" + escaped if escaped[:1] in (" ", "\t") else escaped


def _folded(name: str) -> str:
    """A property name as Spring's relaxed binding compares it: case, dashes and underscores ignored."""
    return name.lower().replace("-", "").replace("_", "")
