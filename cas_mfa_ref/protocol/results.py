"""What the in-process CAS shows the browser and answers a validation: views, results, messages."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from cas_mfa_ref.engine.flow import Decision

__all__ = [
    "DENIED_MESSAGE",
    "INVALID_REQUEST",
    "UNAVAILABLE_MESSAGE",
    "LoginResult",
    "ValidationResult",
    "View",
]

INVALID_REQUEST = (
    "Unable to identify, authorize or complete this request, likely due to malformed or missing "
    "required parameters."
)
UNAVAILABLE_MESSAGE = (
    "CAS was unable to reach your configured MFA provider at this time. Due to failure policies "
    "configured for the service you are attempting to access, authentication can not be granted at this time."
)
DENIED_MESSAGE = (
    "Your MFA provider has denied your attempt at second factor authentication. Contact your system "
    "administrator for help in restoring your account."
)


class View(enum.Enum):
    """What the browser is shown after a step of the login."""

    REDIRECT_WITH_TICKET = "redirect to the service with a ticket"
    LOGIN_SUCCESS = "Log In Successful"
    LOGIN_FORM = "the login form"
    PROVIDER_FORM = "the provider's form"
    PROVIDER_MENU = "the provider selection menu"
    REGISTER_DEVICE = "the trusted device registration form"
    MFA_UNAVAILABLE = "MFA Provider Unavailable"
    MFA_DENIED = "MFA Denied"
    SERVICE_NOT_AUTHORIZED = "Application Not Authorized to Use CAS"
    GATEWAY_REDIRECT = "redirect to the service without a ticket"
    LOGGED_OUT = "Logout successful"


@dataclass
class LoginResult:
    view: View
    status: int = 200
    ticket: str | None = None
    provider: str | None = None
    message: str | None = None
    decision: Decision | None = None
    transaction: str | None = None
    tgc: str | None = None  # the ticket-granting cookie the browser now holds
    choices: tuple[str, ...] = ()  # the provider selection menu
    cookies: dict[str, str] = field(default_factory=dict)  # cookies the browser is given


@dataclass
class ValidationResult:
    success: bool
    user: str | None = None
    attributes: dict[str, list[Any]] = field(default_factory=dict)
    code: str | None = None
    description: str | None = None
