"""The authentication CAS builds: the principal with its attributes, and authentication attributes."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from cas_mfa_ref.config.people import ACCEPT_USERS_HANDLER

USERNAME_PASSWORD_CREDENTIAL = "org.apereo.cas.authentication.credential.UsernamePasswordCredential"

# Constants of MultifactorAuthenticationProviderBypassEvaluator: fixed names, not configurable.
BYPASS_MFA = "bypassMultifactorAuthentication"
BYPASS_MFA_PROVIDER = "bypassedMultifactorAuthenticationProviderId"
AUTHENTICATION_METHOD = "authenticationMethod"
SUCCESSFUL_HANDLERS = "successfulAuthenticationHandlers"
CREDENTIAL_TYPE = "credentialType"


@dataclass
class Authentication:
    """A principal, its attributes, and the multi-valued authentication attributes CAS records."""

    principal: str
    principal_attributes: dict[str, list[Any]]
    attributes: dict[str, list[Any]] = field(default_factory=dict)
    credential_classes: list[str] = field(default_factory=list)

    def merge(self, name: str, value: Any) -> None:
        """Add a value to a multi-valued attribute unless it is there already (CAS's merge)."""
        values = self.attributes.setdefault(name, [])
        if not any(v == value and type(v) is type(value) for v in values):
            values.append(value)

    def replace(self, name: str, value: Any) -> None:
        self.attributes[name] = [value]

    def values(self, name: str) -> list[Any]:
        return list(self.attributes.get(name, []))

    def copy(self) -> Authentication:
        return copy.deepcopy(self)

    @property
    def principal_view(self) -> Principal:
        """The principal as CAS's scripts receive it: an id and its attributes."""
        return Principal(self.principal, {k: list(v) for k, v in self.principal_attributes.items()})


@dataclass(frozen=True)
class Principal:
    """CAS's ``Principal``: ``id`` and ``attributes`` (multi-valued)."""

    id: str
    attributes: dict[str, list[Any]]


def primary_authentication(
    username: str, principal_attributes: dict[str, list[Any]], handler: str = ACCEPT_USERS_HANDLER
) -> Authentication:
    """What a username/password login through ``AcceptUsersAuthenticationHandler`` records, under the
    handler's name (``cas.authn.accept.name``, else the class name)."""
    authentication = Authentication(username, {k: list(v) for k, v in principal_attributes.items()})
    authentication.credential_classes.append(USERNAME_PASSWORD_CREDENTIAL)
    authentication.merge(CREDENTIAL_TYPE, USERNAME_PASSWORD_CREDENTIAL.rsplit(".", 1)[-1])
    authentication.merge(AUTHENTICATION_METHOD, handler)
    authentication.merge(SUCCESSFUL_HANDLERS, handler)
    return authentication
