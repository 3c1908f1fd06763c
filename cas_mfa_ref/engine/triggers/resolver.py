"""The triggers in CAS's order, and the login stage that asks them all.

At login (``DefaultCasDelegatingWebflowEventResolver``) every trigger is asked, in CAS's fixed order;
each names at most one provider (or, with the menu, every candidate), and the selection stage chooses
among them. The first trigger that fails ends the login with an authentication error (HTTP 401). At
ticket validation (``DefaultMultifactorAuthenticationTriggerSelectionStrategy``) the first trigger that
names a provider wins, in the order the beans are declared.
"""

from __future__ import annotations

from collections.abc import Sequence

from cas_mfa_ref.engine.flow import Login
from cas_mfa_ref.engine.outcome import Outcome
from cas_mfa_ref.engine.triggers.attributes import (
    authentication_attribute,
    predicated_principal_attribute,
    principal_attribute,
)
from cas_mfa_ref.engine.triggers.base import Trigger, TriggerContext, TriggerFailure
from cas_mfa_ref.engine.triggers.external import groovy_script, rest_endpoint
from cas_mfa_ref.engine.triggers.request import adaptive, global_provider, http_request, timed
from cas_mfa_ref.engine.triggers.service import (
    registered_service,
    registered_service_principal_attribute,
    scripted_registered_service,
)

# CasCoreMultifactorAuthenticationWebflowAutoConfiguration: the order of the login-time resolvers.
LOGIN_ORDER: Sequence[Trigger] = (
    adaptive,
    timed,
    global_provider,
    http_request,
    rest_endpoint,
    groovy_script,
    scripted_registered_service,
    registered_service_principal_attribute,
    predicated_principal_attribute,
    principal_attribute,
    authentication_attribute,
    registered_service,
)
# The same configuration's @Bean declaration order, used first-match at ticket validation.
VALIDATION_ORDER: Sequence[Trigger] = (
    scripted_registered_service,
    registered_service_principal_attribute,
    rest_endpoint,
    registered_service,
    adaptive,
    global_provider,
    timed,
    groovy_script,
    http_request,
    principal_attribute,
    authentication_attribute,
    predicated_principal_attribute,
)


def ask_triggers(login: Login) -> bool:
    """Every trigger in :data:`LOGIN_ORDER`; their providers are left for the selection stage. A service
    with ``bypassEnabled`` asks none, and a trigger that fails ends the login."""
    service, trace = login.service, login.trace
    if service is not None and service.policy.bypass_enabled:
        trace.add(
            "triggers", "skipped", "the service's multifactor policy sets bypassEnabled: no trigger is asked"
        )
        return login.end(Outcome.NO_MFA)
    request = login.request
    context = TriggerContext(
        login.profile, login.authentication, service, request.service, request.http, login.rest, login.now
    )
    for trigger in LOGIN_ORDER:
        try:
            result = trigger(context)
        except TriggerFailure as failure:
            trace.add("trigger", "error", f"{failure.trigger}: {failure.reason}")
            return login.end(Outcome.ERROR, failure.message)
        trace.add(
            "trigger", result.provider.id if result.provider else "none", f"{result.trigger}: {result.reason}"
        )
        login.candidates.extend(p for p in result.providers if p not in login.candidates)
    return False
