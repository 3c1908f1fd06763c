"""The parameters of the step sentences: what each kind of word looks like, and what the step receives.

Step definitions are written as the feature files word them, with parse's ``{name:Type}`` where a
scenario puts a value (``phrase("the {name} provider has rank {rank:Rank}")``), so that searching steps/
for a few words of a Given, When or Then line finds its definition. A field without a type is any text;
the types below hold a field to the words it may be, so that no line can be read two ways (one line,
one definition: tests/test_step_patterns.py checks every line of features/).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pytest_bdd import parsers

from steps.roles import ROLE_PATTERN


class ParamType:
    """A parse type (``{name:Type}``): the regular expression its words match, and their conversion.

    parse reads the ``pattern`` attribute of a type's converter; the patterns here have no capturing
    group (parse would need to be told how many)."""

    def __init__(self, pattern: str, convert: Callable[[str], Any] = str) -> None:
        self.pattern = pattern
        self.convert = convert

    def __call__(self, text: str) -> Any:
        return self.convert(text)


def one_of(*words: str) -> ParamType:
    """A type whose words are one of ``words``, received as written."""
    return ParamType("|".join(re.escape(word) for word in words))


def names(text: str) -> list[str]:
    """``YubiKey and Google Authenticator``, ``mfa-yubikey, mfa-gauth``: the names, in order."""
    return [n.strip() for n in re.split(r",| and ", text) if n.strip()]


def _seconds(per_unit: int) -> ParamType:
    return ParamType(r"\d+", lambda text: int(text) * per_unit)


# The services of a provider a scenario can make misbehave: the provider id, and the one endpoint of it
# (None: all of them).
PROVIDER_SERVICES: dict[str, tuple[str, str | None]] = {
    "YubiKey validation service": ("mfa-yubikey", None),
    "RADIUS server": ("mfa-radius", None),
    "Duo service": ("mfa-duo", None),
    "Duo health check": ("mfa-duo", "health_check"),
    "Duo account check": ("mfa-duo", "preauth"),
    "Duo token endpoint": ("mfa-duo", "token"),
}

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

TYPES: dict[str, ParamType] = {
    # Words without spaces: a URL, a failure mode as the operator writes it, a ticket, a header value.
    "Word": ParamType(r"\S+"),
    # What stands between double quotes: anything but a double quote, maybe nothing.
    "Text": ParamType(r'[^"]*'),
    "Message": ParamType(r'[^"]+'),
    # A user name, or an attribute of a user as a Given line names it.
    "Identifier": ParamType(r"\w+"),
    # The user of the scenario (the last one a Given line named), or one by name.
    "User": ParamType(r"the user|\w+"),
    # A service URL, or an application by its role (steps.roles).
    "Service": ParamType(rf"{ROLE_PATTERN}|\S+"),
    "ProviderId": ParamType(r"mfa-[\w-]+"),
    # ``mfa-yubikey``, ``mfa-yubikey and mfa-gauth``, ``mfa-a, mfa-b and mfa-c``: a list of ids.
    "ProviderIds": ParamType(r"mfa-[\w-]+(?:(?:, | and )mfa-[\w-]+)*", names),
    # ``YubiKey``, ``YubiKey and Google Authenticator``: a list of provider names.
    "ProviderNames": ParamType(r".+?", names),
    "ProviderService": ParamType("|".join(re.escape(s) for s in PROVIDER_SERVICES), PROVIDER_SERVICES.get),
    "Rank": ParamType(r"-?\d+"),  # as written, the value of the rank property
    "Number": ParamType(r"\d+", int),
    "Status": ParamType(r"\d{3}", int),  # an HTTP status
    "BypassRule": ParamType(r"[\w.-]+"),  # a bypass property below the provider's ``bypass.``
    "AttributeName": ParamType(r"[\w.-]+"),  # an attribute a ticket releases
    "SessionKey": ParamType(r"[\w-]+"),
    "FailureMode": ParamType(r"[A-Z]+"),
    "Level": one_of("on the service", "on the provider", "globally"),  # where a failure mode was set
    "ErrorCode": ParamType(r"[A-Z_]+"),  # a CAS validation error code
    "CasVersion": one_of("7.x", "6.6", "6.5", "6.4", "6.3", "6.2"),
    "Weekday": one_of(*DAYS),
    "Hour": ParamType(r"\d{1,2}", int),
    "Minute": ParamType(r"\d{2}", int),
    "Direction": one_of("ago", "ahead"),
    "Flag": one_of("renew", "gateway"),
    "TrustUnit": one_of("seconds", "minutes", "hours", "days", "weeks", "months", "years"),
    # ``{duration:Days} days pass``: the number, in seconds.
    "Seconds": _seconds(1),
    "Minutes": _seconds(60),
    "Hours": _seconds(3600),
    "Days": _seconds(86400),
}


def phrase(pattern: str) -> parsers.parse:
    """A step sentence with ``{name:Type}`` fields (the types above), matched whole and case-sensitively."""
    return parsers.parse(pattern, extra_types=TYPES, case_sensitive=True)
