"""Stage: the requested service, matched against the registry (``RegisteredServicesManager``)."""

from __future__ import annotations

from cas_mfa_ref.engine.flow import Login
from cas_mfa_ref.engine.outcome import Outcome

# The screen.service.error message CAS shows for UnauthorizedServiceException.
SERVICE_NOT_AUTHORIZED = "Application Not Authorized to Use CAS"


def match_service(login: Login) -> bool:
    """The first enabled service whose ``serviceId`` matches; an unknown or disabled one ends the login."""
    url = login.request.service
    if url is None:
        login.trace.add("service", "none", "no service was requested")
        return False
    service = login.profile.find_service(url)
    if service is None or not service.enabled:
        why = "matches no registered service" if service is None else f"matches disabled service {service.id}"
        login.trace.add("service", "refused", f"{url} {why}")
        return login.end(Outcome.ERROR, SERVICE_NOT_AUTHORIZED)
    login.decision.service = service
    login.trace.add(
        "service",
        "matched",
        f"{url} matches service {service.id} '{service.name}' ({service.origin.file.name})",
    )
    return False
