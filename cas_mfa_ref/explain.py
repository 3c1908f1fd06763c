"""``explain``: what CAS would do for one login, why, and what ticket validation would release."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cas_mfa_ref.config.profile import Profile
from cas_mfa_ref.engine.clock import Clock, SystemClock
from cas_mfa_ref.engine.flow import Decision
from cas_mfa_ref.engine.login import decide
from cas_mfa_ref.engine.outcome import Outcome
from cas_mfa_ref.engine.provider_step import complete_mfa
from cas_mfa_ref.engine.providers import InMemoryProviders
from cas_mfa_ref.engine.request import HttpRequest, LoginRequest
from cas_mfa_ref.engine.rest import RestCaller
from cas_mfa_ref.engine.selection import COMPOSITE_ID
from cas_mfa_ref.engine.trace import TraceEntry
from cas_mfa_ref.engine.trusted import TrustedDeviceStore, store_for
from cas_mfa_ref.engine.validation import check_context, released_attributes
from cas_mfa_ref.errors import RequestError


@dataclass
class Explanation:
    decision: Decision
    attributes: dict[str, list[Any]]
    validation: list[TraceEntry]
    warnings: list[str]

    def as_json(self) -> dict[str, Any]:
        decision = self.decision
        return {
            "outcome": decision.outcome.value,
            "provider": decision.provider.id
            if decision.provider
            else (COMPOSITE_ID if decision.choices else None),
            "choices": [p.id for p in decision.choices],
            "failureMode": decision.failure_mode.as_json() if decision.failure_mode else None,
            "attributes": self.attributes,
            "trace": [e.as_json() for e in [*decision.trace, *self.validation]],
            "service": _service_json(decision),
            "message": decision.message,
            "warnings": self.warnings,
        }


def explain(
    profile: Profile,
    request: LoginRequest,
    *,
    providers_down: Sequence[str] = (),
    rest: RestCaller | None = None,
    clock: Clock | None = None,
    devices: TrustedDeviceStore | None = None,
) -> Explanation:
    """Decide the login, then run validation as the application would (without ``authn_method``).

    Trusted devices are looked up in ``devices``, else in the profile's SQLite store when it has one
    (records kept in memory belong to a running server, so there are none to consult)."""
    for provider_id in [*providers_down, *request.sso_context]:
        if profile.provider(provider_id) is None:
            known = ", ".join(profile.providers) or "none"
            raise RequestError(f"no provider '{provider_id}' is configured (configured: {known})")
    availability = InMemoryProviders(providers_down)
    rest = rest or RestCaller()
    clock = clock or SystemClock()
    if devices is None and profile.trusted.sqlite is not None and profile.trusted.sqlite.is_file():
        devices = store_for(profile.trusted)
    decision = decide(profile, request, availability, rest, clock, devices=devices)
    authentication = decision.authentication
    attributes: dict[str, list[Any]] = {}
    validation: list[TraceEntry] = []
    # With a selection menu, what is released depends on the user's choice: nothing is claimed.
    if (
        authentication is not None
        and not decision.choices
        and (decision.outcome.issues_ticket or decision.outcome is Outcome.MFA_REQUIRED)
    ):
        if decision.outcome is Outcome.MFA_REQUIRED:
            assert decision.provider is not None
            authentication = complete_mfa(profile, authentication, decision.provider)
        else:
            authentication = authentication.copy()
        check = check_context(
            profile,
            authentication,
            decision.service,
            request.service,
            HttpRequest(),
            availability,
            rest,
            clock,
        )
        validation = list(check.trace)
        if check.success:
            attributes = released_attributes(
                profile,
                authentication,
                decision.service,
                check.context_id,
                new_login=True,
                authentication_date=clock.now(),
            )
    return Explanation(decision, attributes, validation, [str(w) for w in profile.warnings])


def render_text(explanation: Explanation) -> str:
    data = explanation.as_json()
    lines = [f"outcome: {data['outcome']}"]
    if data["provider"]:
        lines.append(f"provider: {data['provider']}")
    mode = data["failureMode"]
    lines.append(
        f"failure mode: {mode['mode']} (from the {mode['source']})" if mode else "failure mode: not consulted"
    )
    if data["message"]:
        lines.append(f"message: {data['message']}")
    if data["attributes"]:
        lines.append("released at ticket validation:")
        lines.extend(f"  {name}: {_values(values)}" for name, values in data["attributes"].items())
    else:
        lines.append("released at ticket validation: nothing (no ticket validates)")
    lines.append("trace:")
    width = max(len(e["stage"]) for e in data["trace"])
    lines.extend(f"  {e['stage']:<{width}}  {e['verdict']}: {e['reason']}" for e in data["trace"])
    lines.extend(f"warning: {w}" for w in data["warnings"])
    return "\n".join(lines)


def _values(values: list[Any]) -> str:
    return ", ".join("true" if v is True else "false" if v is False else str(v) for v in values)


def _service_json(decision: Decision) -> dict[str, Any] | None:
    service = decision.service
    if service is None:
        return None
    return {
        "id": service.id,
        "name": service.name,
        "serviceId": service.service_id,
        "file": str(service.origin.file),
    }
