"""The vocabulary of CAS MFA as plain, immutable data: failure modes, providers, services, policies."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cas_mfa_ref.errors import Origin
from cas_mfa_ref.versions import ID_MATCH_EQUALS, ID_MATCH_FINDS, V7, CasVersion

if TYPE_CHECKING:
    from cas_mfa_ref.config.hooks import Hook


class FailureMode(enum.Enum):
    """``MultifactorAuthenticationProviderFailureModes``: what to do when a provider is unreachable."""

    OPEN = "OPEN"
    CLOSED = "CLOSED"
    PHANTOM = "PHANTOM"
    NONE = "NONE"
    UNDEFINED = "UNDEFINED"

    @property
    def allowed_to_bypass(self) -> bool:
        """OPEN and PHANTOM let authentication proceed without the provider (CAS 6.5+)."""
        return self in (FailureMode.OPEN, FailureMode.PHANTOM)


@dataclass(frozen=True)
class ResolvedFailureMode:
    """The failure mode in force for one login and the level that set it."""

    mode: FailureMode
    source: str  # "service", "provider" or "global"

    def as_json(self) -> dict[str, str]:
        return {"mode": self.mode.value, "source": self.source}

    def __str__(self) -> str:
        return f"{self.mode.value} (from the {self.source})"


@dataclass(frozen=True)
class ProviderKind:
    """A CAS MFA module: where its properties live and what it records after a successful factor."""

    key: str
    default_id: str
    title: str
    handler_name: str
    credential_class: str
    indexed: bool = False

    @property
    def credential_type(self) -> str:
        return self.credential_class.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class RestEndpoint:
    """CAS's ``RestEndpointProperties``: a URL, its method (GET by default), basic auth and headers."""

    url: str
    method: str = "GET"
    basic_auth_username: str | None = None
    basic_auth_password: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BypassRules:
    """``cas.authn.mfa.<provider>.bypass.*`` (``MultifactorAuthenticationProviderBypassProperties``)."""

    principal_attribute_name: str | None = None
    principal_attribute_value: str | None = None
    authentication_attribute_name: str | None = None
    authentication_attribute_value: str | None = None
    authentication_handler_name: str | None = None
    authentication_method_name: str | None = None
    credential_class_type: str | None = None
    http_request_remote_address: str | None = None
    http_request_headers: str | None = None
    rest: RestEndpoint | None = None


@dataclass(frozen=True)
class Provider:
    """One MFA provider bean as CAS builds it from its properties."""

    id: str
    kind: ProviderKind
    rank: int
    failure_mode: FailureMode
    bypass: BypassRules
    prefix: str
    origin: Origin
    settings: Mapping[str, str] = field(default_factory=dict)
    trusts_devices: bool = False  # <provider>.trusted-device-enabled
    version: CasVersion = V7  # whose rules apply: the profile's CAS version

    def matches(self, identifier: str) -> bool:
        """``AbstractMultifactorAuthenticationProvider#matches``, in the form the CAS version had.

        7.x: case-insensitive equality. 6.5/6.6: a case-insensitive regex searched inside the id
        (``RegexUtils.find``). 6.4 and earlier: the requested value must match the whole id as a
        case-sensitive regex (``String#matches``). An invalid regex matches nothing.
        """
        if not identifier:
            return False
        if ID_MATCH_EQUALS.holds(self.version):
            return self.id.lower() == identifier.lower()
        try:
            if ID_MATCH_FINDS.holds(self.version):
                return re.search(identifier, self.id, re.IGNORECASE) is not None
            return re.fullmatch(identifier, self.id) is not None
        except re.error:
            return False


@dataclass(frozen=True)
class MultifactorPolicy:
    """``DefaultRegisteredServiceMultifactorPolicy`` of a registered service."""

    providers: tuple[str, ...] = ()
    failure_mode: FailureMode = FailureMode.UNDEFINED
    bypass_enabled: bool = False
    bypass_principal_attribute_name: str | None = None
    bypass_principal_attribute_value: str | None = None
    bypass_if_missing_principal_attribute: bool = False
    principal_attribute_name_trigger: str | None = None
    principal_attribute_value_to_match: str | None = None
    force_execution: bool = False
    bypass_trusted_device_enabled: bool = False
    script: Hook | None = field(default=None, compare=False)  # ``script``: a Groovy trigger, as Python


class ReleaseKind(enum.Enum):
    ALL = "all"
    ALLOWED = "allowed"
    DENY_ALL = "deny-all"


@dataclass(frozen=True)
class AttributeReleasePolicy:
    """The service's ``attributeReleasePolicy``: which principal attributes reach the application."""

    kind: ReleaseKind = ReleaseKind.ALLOWED
    allowed: tuple[str, ...] = ()
    authorized_to_release_authentication_attributes: bool = True

    def releases(self, name: str) -> bool:
        if self.kind is ReleaseKind.ALL:
            return True
        if self.kind is ReleaseKind.DENY_ALL:
            return False
        return name in self.allowed


@dataclass(frozen=True)
class RegisteredService:
    """A CAS registered service (``CasRegisteredService`` / ``RegexRegisteredService``)."""

    id: int
    name: str
    service_id: str
    pattern: re.Pattern[str]
    evaluation_order: int
    policy: MultifactorPolicy
    release: AttributeReleasePolicy
    origin: Origin
    enabled: bool = True
    evaluation_priority: int = 2**31 - 1

    def matches(self, service_url: str) -> bool:
        """The whole URL must match the ``serviceId`` regex (CAS's ``RegexUtils.matches``)."""
        return self.pattern.fullmatch(service_url) is not None
