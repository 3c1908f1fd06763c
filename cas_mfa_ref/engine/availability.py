"""Stage ``MultifactorAuthenticationAvailableAction``: is the selected provider up?

Asked afresh at every login (``isAvailable``, never cached). From 6.5 on, failure mode NONE skips the
question: CAS assumes the provider is there. The answer is left in the flow for the failure action.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cas_mfa_ref.model import FailureMode
from cas_mfa_ref.versions import FAILURE_MODE_IN_BYPASS_ACTION

if TYPE_CHECKING:
    from cas_mfa_ref.engine.flow import Login


def availability_action(login: Login) -> bool:
    """Ask the provider (or skip under NONE); never ends the login itself."""
    provider, mode = login.provider, login.decision.failure_mode
    assert mode is not None, "the failure-mode stage runs first"
    if mode.mode is FailureMode.NONE and FAILURE_MODE_IN_BYPASS_ACTION.holds(login.profile.version):
        login.available = True
        login.trace.add("availability", "skipped", "failure mode NONE: CAS assumes the provider is available")
        return False
    login.available = login.providers.is_available(provider, login.service)
    if login.available:
        login.trace.add("availability", "available", f"{provider.id} is available")
    else:
        login.trace.add("availability", "unavailable", f"{provider.id} is unavailable")
    return False
