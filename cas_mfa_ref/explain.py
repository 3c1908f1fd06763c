"""``explain``: what CAS would do for one login, why, and what ticket validation would release."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from cas_mfa_ref.config.profile import Profile
from cas_mfa_ref.config.trusted import TrustedSettings
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
from cas_mfa_ref.engine.trusted import TrustedDevice, TrustedDeviceStore, store_for
from cas_mfa_ref.engine.validation import check_context, released_attributes
from cas_mfa_ref.errors import Origin, ProfileError, RequestError, shown, summarised

T = TypeVar("T")


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
    for option, ids in (("--provider-down", providers_down), ("--sso-context", request.sso_context)):
        for provider_id in ids:
            if profile.provider(provider_id) is None:
                known = ", ".join(profile.providers) or "none"
                raise RequestError(
                    f"{option}: no provider {shown(provider_id)} is configured (configured: {known})"
                )
    providers = InMemoryProviders(providers_down)
    rest = rest or RestCaller()
    clock = clock or SystemClock()
    if devices is None and profile.trusted.sqlite is not None and _is_file(profile.trusted.sqlite):
        devices = _CheckedStore(profile.trusted)
    decision = decide(profile, request, providers, rest, clock, devices=devices)
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
            providers,
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
    return Explanation(decision, attributes, validation, summarised(profile.warnings))


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False  # not there for explain; the server reports it when it writes a record


class _CheckedStore:
    """The profile's SQLite records, read as CAS's JPA store would; a file that is no such database (or
    holds records that do not read) is a :class:`ProfileError` naming ``cas.authn.mfa.trusted.jpa.url``."""

    def __init__(self, settings: TrustedSettings) -> None:
        self._origin = settings.sqlite_origin or Origin(settings.sqlite or Path())
        self._store = self._checked(lambda: store_for(settings))

    def add(self, device: TrustedDevice) -> None:
        self._checked(lambda: self._store.add(device))

    def of(self, principal: str) -> list[TrustedDevice]:
        return self._checked(lambda: self._store.of(principal))

    def all(self) -> list[TrustedDevice]:
        return self._checked(self._store.all)

    def remove(self, key: str) -> bool:
        return self._checked(lambda: self._store.remove(key))

    def _checked(self, read: Callable[[], T]) -> T:
        try:
            return read()
        except (sqlite3.Error, ValueError, TypeError) as error:
            raise ProfileError(
                self._origin, f"the trusted-device records cannot be read: {type(error).__name__}: {error}"
            ) from None


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
