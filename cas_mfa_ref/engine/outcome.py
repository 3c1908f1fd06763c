"""The outcomes of a login decision, as ``explain`` reports them."""

from __future__ import annotations

import enum


class Outcome(enum.Enum):
    NO_MFA = "NO_MFA"  # no trigger fired: a ticket without MFA
    MFA_REQUIRED = "MFA_REQUIRED"  # the user is sent to the provider's form
    BYPASSED = "BYPASSED"  # a bypass rule, or OPEN/PHANTOM with the provider down: a ticket
    UNAVAILABLE = "UNAVAILABLE"  # the "MFA Provider Unavailable" view; no ticket
    DENIED = "DENIED"  # the provider refused the user
    SATISFIED = "SATISFIED"  # the SSO session already satisfies the request
    TRUSTED = "TRUSTED"  # a trusted device skips MFA
    ERROR = "ERROR"  # an authentication error (CAS answers 401), or a service CAS refuses

    @property
    def issues_ticket(self) -> bool:
        return self in (Outcome.NO_MFA, Outcome.BYPASSED, Outcome.SATISFIED, Outcome.TRUSTED)
