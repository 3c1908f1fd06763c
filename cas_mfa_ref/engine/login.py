"""One login through CAS's webflow, decided stage by stage.

The pipeline, in CAS's order (6.5+ and 7.x; :mod:`cas_mfa_ref.versions` says where older releases
differ), one module per stage:

======================  ==========================================================  ====================
stage                   CAS                                                          module
======================  ==========================================================  ====================
service                 ``RegisteredServicesManager``, the service's access          :mod:`.service`
primary authentication  ``AcceptUsersAuthenticationHandler``, metadata populators    :mod:`.primary`
triggers                ``DefaultCasDelegatingWebflowEventResolver``                 :mod:`.triggers`
selection               the provider selector (ranked, script or menu)               :mod:`.selection`
step-up                 ``RankedMultifactorAuthenticationProviderWebflowEventResolver``  :mod:`.stepup`
-- the provider's subflow --
trusted device          ``MultifactorAuthenticationVerifyTrustAction``               :mod:`.verify_trust`
failure mode            ``DefaultMultifactorAuthenticationFailureModeEvaluator``     :mod:`.failure_mode`
bypass action           ``MultifactorAuthenticationBypassAction``                    :mod:`.bypass_action`
availability            ``MultifactorAuthenticationAvailableAction``                 :mod:`.availability`
failure action          ``MultifactorAuthenticationFailureAction``                   :mod:`.failure_mode`
provider step           Duo's account status, then the provider's form               :mod:`.provider_step`
======================  ==========================================================  ====================

Ticket validation, the last stage, is :mod:`.validation`. Each stage adds its trace entry and returns
True when it has decided the login.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cas_mfa_ref.config.profile import Profile
from cas_mfa_ref.engine.authentication import Authentication
from cas_mfa_ref.engine.availability import availability_action
from cas_mfa_ref.engine.bypass_action import bypass_action
from cas_mfa_ref.engine.clock import Clock, SystemClock
from cas_mfa_ref.engine.failure_mode import failure_action, failure_mode
from cas_mfa_ref.engine.flow import Decision, Login
from cas_mfa_ref.engine.outcome import Outcome
from cas_mfa_ref.engine.primary import authenticate
from cas_mfa_ref.engine.provider_step import provider_step
from cas_mfa_ref.engine.providers import ProviderChecks
from cas_mfa_ref.engine.request import LoginRequest
from cas_mfa_ref.engine.rest import RestCaller
from cas_mfa_ref.engine.selection import select_provider, take_choice
from cas_mfa_ref.engine.service import match_service
from cas_mfa_ref.engine.stepup import check_step_up
from cas_mfa_ref.engine.triggers import ask_triggers
from cas_mfa_ref.engine.trusted import TrustedDeviceStore
from cas_mfa_ref.engine.verify_trust import verify_trust

__all__ = ["LOGIN_FLOW", "PROVIDER_SUBFLOW", "Decision", "choose_provider", "decide"]

Stage = Callable[[Login], bool]

LOGIN_FLOW: Sequence[Stage] = (match_service, authenticate, ask_triggers, select_provider, check_step_up)
PROVIDER_SUBFLOW: Sequence[Stage] = (
    verify_trust,
    failure_mode,
    bypass_action,
    availability_action,
    failure_action,
    provider_step,
)


def decide(
    profile: Profile,
    request: LoginRequest,
    providers: ProviderChecks,
    rest: RestCaller,
    clock: Clock | None = None,
    sso: Authentication | None = None,
    devices: TrustedDeviceStore | None = None,
) -> Decision:
    """Decide one login; ``sso`` is the authentication of an existing SSO session (no password asked)."""
    login = Login(
        profile,
        request,
        providers,
        rest,
        clock or SystemClock(),
        Decision(Outcome.NO_MFA, None),
        devices,
        sso,
    )
    if not _run(login, LOGIN_FLOW):
        _run(login, PROVIDER_SUBFLOW)
    return login.decision


def choose_provider(
    profile: Profile,
    decision: Decision,
    provider_id: str,
    request: LoginRequest,
    providers: ProviderChecks,
    rest: RestCaller,
    devices: TrustedDeviceStore | None = None,
    clock: Clock | None = None,
) -> Decision:
    """The user picked ``provider_id`` from the menu (``mfaProvider``): that provider's subflow runs."""
    login = Login(profile, request, providers, rest, clock or SystemClock(), decision, devices)
    if not take_choice(login, provider_id):
        _run(login, PROVIDER_SUBFLOW)
    return login.decision


def _run(login: Login, stages: Sequence[Stage]) -> bool:
    """Run the stages in order until one decides the login; True if one did."""
    return any(stage(login) for stage in stages)
