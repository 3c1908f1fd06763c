"""Roles: the users and applications portable scenarios name, filled from the deployment map.

A portable scenario says "a user enrolled in a second factor" and "an application that requires that
factor", never ``casuser`` or ``https://app.example.org``, so it runs on any CAS as its operators
configured it. The map is the target file's (docs/target-file.md); a target whose file maps nothing
runs the scenario's own profile, the standard portable one below, and the map is derived from it. A role
the map does not fill makes the scenario not applicable, naming the role.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import NoReturn

import pyotp
import pytest

from steps.deployment import Deployment, module
from steps.targets.deploymap import (
    Application,
    DeploymentMap,
    Enrolment,
    Factor,
    MapUser,
    map_from_deployment,
)

# The applications a scenario names by role, as its Gherkin writes them.
PLAIN_APP = "the plain application"
OTHER_PLAIN_APP = "the other plain application"
MFA_APP = "the MFA application"
OTHER_MFA_APP = "the other MFA application"
ROLE_PATTERN = r"the (?:other )?(?:plain|MFA) application"

# The standard portable profile, for a target that loads the scenario's own profile.
PORTABLE_USER = ("casuser", "Mellon")
PORTABLE_FACTOR = "Google Authenticator"
PORTABLE_PLAIN = ("https://app.example.org", "https://other.example.org")
PORTABLE_MFA = ("https://secure.example.org", "https://vault.example.org")

# Codes typed per TOTP secret in this session: a server may refuse a code used once (CAS does, for 30 s).
_TYPED: dict[str, set[str]] = {}
WINDOW_STEPS = (0, 1, -1)  # the current step, then its neighbours, which servers accept by default


def not_applicable(target: str, role: str, why: str) -> NoReturn:
    pytest.skip(f"not applicable: target '{target}' lacks role '{role}' ({why})")


@dataclass
class Cast:
    """Who plays which role in one scenario."""

    map: DeploymentMap
    source: str  # where the map came from, for messages
    services: dict[str, str] = field(default_factory=dict)  # role -> service URL
    factor: Factor | None = None
    enrolment: Enrolment | None = None


def portable_profile(deployment: Deployment) -> None:
    """The scenario's own profile when the target maps no deployment: a user enrolled in Google
    Authenticator, two applications without MFA and two that require it."""
    deployment.add_provider(module(PORTABLE_FACTOR))
    deployment.add_user(*PORTABLE_USER)
    for url in PORTABLE_PLAIN:
        deployment.service(url)
    provider = module(PORTABLE_FACTOR).provider_id
    for url in PORTABLE_MFA:
        deployment.policy(url)["multifactorAuthenticationProviders"] = ["java.util.LinkedHashSet", [provider]]


def cast_from(described: DeploymentMap | None, deployment: Deployment) -> Cast:
    if described is not None:
        return Cast(described, "the target file's deployment map")
    portable_profile(deployment)
    return Cast(map_from_deployment(deployment), "the scenario's own profile")


def pick_user(cast: Cast, target: str, *, enrolled: bool) -> MapUser:
    """A user of the map: any (the first), or one enrolled in a factor some application requires."""
    users = list(cast.map.users.values())
    if not enrolled:
        if not users:
            not_applicable(target, "a user of the deployment", f"{cast.source} names no user")
        return users[0]
    required = {app.requires for app in cast.map.applications.values() if app.requires}
    candidates = [(u, e) for u in users for e in u.enrolments.values() if e.factor in required]
    if not candidates:
        not_applicable(
            target,
            "a user enrolled in a second factor",
            f"{cast.source} names no user enrolled in a factor that an application requires",
        )
    user, enrolment = next(((u, e) for u, e in candidates if e.passable), candidates[0])
    cast.enrolment, cast.factor = enrolment, cast.map.factors[enrolment.factor]
    return user


def pick_application(cast: Cast, target: str, role: str) -> Application:
    """An application for the role, other than those already cast."""
    taken = set(cast.services.values())
    if role in (PLAIN_APP, OTHER_PLAIN_APP):
        wanted = "an application without MFA" if role == PLAIN_APP else "another application without MFA"
        candidates = [a for a in cast.map.applications.values() if a.requires is None and a.level == 0]
    else:
        if cast.factor is None:
            raise AssertionError("name the user enrolled in a second factor before the application")
        factor = cast.factor.name
        first = next(
            (a for a in cast.map.applications.values() if a.service == cast.services.get(MFA_APP)), None
        )
        wanted = (
            f"an application that requires the factor {factor}"
            if role == MFA_APP
            else f"another application that requires the factor {factor} at the same level"
        )
        candidates = [
            a
            for a in cast.map.applications.values()
            if a.requires == factor and (first is None or a.level == first.level)
        ]
    found = next((a for a in candidates if a.service not in taken), None)
    if found is None:
        not_applicable(target, wanted, f"{cast.source} names none")
    cast.services[role] = found.service
    return found


def totp_code(enrolment: Enrolment, once: bool = True) -> str:
    """A code of the user's TOTP secret, as the phone shows it; with ``once`` (the server refuses a
    code used before), one not typed before in this session.

    When the current step and its neighbours were all typed, wait for the next step (bounded by the
    period) rather than send a code the server would refuse as replayed."""
    assert enrolment.totp is not None
    spec = enrolment.totp
    totp = pyotp.TOTP(spec.secret, digits=spec.digits, interval=spec.period, digest=spec.algorithm.lower())
    if not once:
        return totp.now()
    typed = _TYPED.setdefault(spec.secret, set())
    for _ in range(2):
        now = time.time()
        for offset in WINDOW_STEPS:
            code = totp.at(now + offset * spec.period)
            if code not in typed:
                typed.add(code)
                return code
        time.sleep(spec.period - now % spec.period + 0.05)
    raise AssertionError(f"every code of the TOTP secret near {time.ctime()} was typed already")
