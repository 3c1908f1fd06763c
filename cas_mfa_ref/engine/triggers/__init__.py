"""The triggers that ask for MFA, one module per family, and :mod:`.resolver`'s order of asking."""

from __future__ import annotations

from cas_mfa_ref.engine.triggers.base import Trigger, TriggerContext, TriggerFailure, TriggerResult
from cas_mfa_ref.engine.triggers.resolver import LOGIN_ORDER, VALIDATION_ORDER, ask_triggers

__all__ = [
    "LOGIN_ORDER",
    "VALIDATION_ORDER",
    "Trigger",
    "TriggerContext",
    "TriggerFailure",
    "TriggerResult",
    "ask_triggers",
]
