"""Given: the deployment (providers, failure modes, bypass rules, services), users and outages."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from pytest_bdd import given, parsers, when

from steps.deployment import module
from steps.roles import MFA_APP, OTHER_MFA_APP, OTHER_PLAIN_APP, PLAIN_APP, pick_application, pick_user
from steps.targets.deploymap import MapUser
from steps.world import DEFAULT_PASSWORD, World


def _names(text: str) -> list[str]:
    return [n.strip() for n in re.split(r",| and ", text) if n.strip()]


def _values(text: str) -> list[Any]:
    """``a, b`` as a list; ``true``/``false`` as booleans, as CAS keeps them."""
    values: list[Any] = []
    for item in text.split(","):
        item = item.strip()
        if item:
            values.append({"true": True, "false": False}.get(item, item))
    return values


@given(parsers.re(r"CAS offers the (?P<names>.+?) providers?$"))
def offers_providers(world: World, names: str) -> None:
    for name in _names(names):
        world.deployment.add_provider(module(name))
    world.deployment.add_user("casuser", DEFAULT_PASSWORD)


@given(parsers.re(r"the (?P<name>.+?) provider's failure mode is (?P<mode>\S+)$"))
def provider_failure_mode(world: World, name: str, mode: str) -> None:
    world.deployment.set(f"{module(name).prefix}.failure-mode", mode)


@given(parsers.re(r"the global failure mode is (?P<mode>\S+)$"))
def global_failure_mode(world: World, mode: str) -> None:
    world.deployment.set("cas.authn.mfa.core.global-failure-mode", mode)


@given(parsers.re(r"the (?P<name>.+?) provider has rank (?P<rank>-?\d+)$"))
def provider_rank(world: World, name: str, rank: str) -> None:
    world.deployment.set(f"{module(name).prefix}.rank", rank)


@given(parsers.re(r'the (?P<name>.+?) provider\'s bypass\.(?P<rule>[\w.-]+) is "(?P<value>[^"]*)"$'))
def provider_bypass_rule(world: World, name: str, rule: str, value: str) -> None:
    world.deployment.set(f"{module(name).prefix}.bypass.{rule}", value)


@given(parsers.re(r"the CAS properties:?$"))
def cas_properties(world: World, datatable: list[list[str]]) -> None:
    header, *rows = datatable
    if [h.strip().lower() for h in header] != ["property", "value"]:
        raise ValueError("the CAS properties table needs the columns | property | value |")
    for name, value in rows:
        world.deployment.set(name.strip(), value.strip(), as_written=True)


@given(
    parsers.re(
        r"the application (?P<url>\S+) requires (?P<ids>mfa-[\w-]+(?:(?:, | and )mfa-[\w-]+)*)"
        r"(?: with failure mode (?P<mode>\S+))?$"
    )
)
def application_requires(world: World, url: str, ids: str, mode: str | None) -> None:
    policy = world.deployment.policy(url)
    policy["multifactorAuthenticationProviders"] = ["java.util.LinkedHashSet", _names(ids)]
    if mode:
        policy["failureMode"] = mode


@given(parsers.re(r"the application (?P<url>\S+) is registered without a multifactor policy$"))
def application_plain(world: World, url: str) -> None:
    world.deployment.service(url)


@given(parsers.re(r"the multifactor policy of (?P<url>\S+) sets:?$"))
def application_policy(world: World, url: str, datatable: list[list[str]]) -> None:
    header, *rows = datatable
    if [h.strip().lower() for h in header] != ["field", "value"]:
        raise ValueError("the multifactor policy table needs the columns | field | value |")
    policy = world.deployment.policy(url)
    for name, value in rows:
        text = value.strip()
        policy[name.strip()] = {"true": True, "false": False}.get(text, text)


@given(parsers.re(r"the registered service:?$"))
def registered_service(world: World, docstring: str) -> None:
    world.deployment.services.append(json.loads(docstring))


@given(parsers.re(r"the (?P<name>.+?) provider is (?P<state>unavailable|available)$"))
def provider_state(world: World, name: str, state: str) -> None:
    world.target.set_provider_available(module(name).provider_id, state == "available")


@given(parsers.re(r'the user (?P<user>\w+) with the password "(?P<password>[^"]*)"$'))
def user_with_password(world: World, user: str, password: str) -> None:
    world.deployment.add_user(user, password)


@given(parsers.re(r"(?P<user>\w+) has the attributes:?$"))
def user_attributes(world: World, user: str, datatable: list[list[str]]) -> None:
    world.deployment.add_user(user, world.password(user), _table_attributes(datatable))
    world.user = user


@given(parsers.re(r"a user with the attributes:?$"))
def new_user_with(world: World, datatable: list[list[str]]) -> None:
    world.new_user(_table_attributes(datatable))


@given(parsers.re(r'a user whose (?P<attribute>\w+) is "(?P<value>[^"]*)"$'))
def new_user_whose(world: World, attribute: str, value: str) -> None:
    world.new_user({attribute: _values(value)})


@given(parsers.re(r"a user without an? (?P<attribute>\w+) attribute$"))
def new_user_without(world: World, attribute: str) -> None:
    username = world.new_user()
    world.deployment.attributes[username].pop(attribute, None)


@given(
    parsers.re(r"the REST endpoint (?P<url>\S+) answers (?P<status>\d{3})(?: with \"(?P<body>[^\"]*)\")?$")
)
def rest_endpoint(world: World, url: str, status: str, body: str | None) -> None:
    world.target.answer_rest(url, int(status), body or "")


def _table_attributes(datatable: list[list[str]]) -> dict[str, list[Any]]:
    header, *rows = datatable
    if [h.strip().lower() for h in header] != ["attribute", "values"]:
        raise ValueError("the attributes table needs the columns | attribute | values |")
    return {name.strip(): _values(values) for name, values in rows}


# -- provider outages, as an operator sees them ---------------------------------------------------------

_SERVICES = {
    "YubiKey validation service": ("mfa-yubikey", None),
    "RADIUS server": ("mfa-radius", None),
    "Duo service": ("mfa-duo", None),
    "Duo health check": ("mfa-duo", "health_check"),
    "Duo account check": ("mfa-duo", "preauth"),
    "Duo token endpoint": ("mfa-duo", "token"),
}
_BEHAVIOURS: list[tuple[str, Any]] = [
    (r"refuses connections", lambda m: {"kind": "down"}),
    (r"stops answering", lambda m: {"kind": "timeout", "seconds": 3}),
    (r"answers HTTP (?P<status>\d{3})", lambda m: {"kind": "http-error", "status": int(m["status"])}),
    (r"answers an empty page", lambda m: {"kind": "malformed", "variant": "empty"}),
    (r"answers garbage", lambda m: {"kind": "malformed", "variant": "garbage"}),
    (r"answers slowly \((?P<ms>\d+) ms\)", lambda m: {"kind": "slow", "delay_ms": int(m["ms"])}),
    (r"is rate limited", lambda m: {"kind": "rate-limit", "retry_after": 1}),
    (r"signs its answers with the wrong key", lambda m: {"kind": "bad-signature"}),
    (r"answers every other request", lambda m: {"kind": "flapping", "sequence": ["ok", "down"]}),
    (
        r"answers Duo error code (?P<code>\d+)",
        lambda m: {
            "kind": "http-error",
            "status": 500 if int(m["code"]) > 49999 else 400,
            "content_type": "application/json",
            "body": json.dumps({"stat": "FAIL", "code": int(m["code"]), "message": "Mock failure"}),
        },
    ),
]


_MISBEHAVES = parsers.re(r"the (?P<service>" + "|".join(_SERVICES) + r") (?P<behaviour>.+)$")


@given(_MISBEHAVES)
@when(_MISBEHAVES)
def provider_misbehaves(world: World, service: str, behaviour: str) -> None:
    provider_id, endpoint = _SERVICES[service]
    for pattern, build in _BEHAVIOURS:
        match = re.fullmatch(pattern, behaviour)
        if match:
            fault = build(match.groupdict())
            if endpoint:
                fault["endpoint"] = endpoint
            world.target.set_provider_fault(provider_id, fault)
            return
    raise ValueError(f"no such provider behaviour: '{behaviour}'")


@given(
    parsers.re(
        r"Duo says (?P<user>the user|\w+) (?P<verdict>is allowed without a second factor|is denied|"
        r"must enroll|is active|never answers the push)$"
    )
)
def duo_account(world: World, user: str, verdict: str) -> None:
    username = world.user if user == "the user" else user
    account = {
        "is allowed without a second factor": {"preauth": "allow"},
        "is denied": {"preauth": "deny"},
        "must enroll": {"preauth": "enroll"},
        "is active": {"preauth": "auth"},
        "never answers the push": {"preauth": "auth", "push": "timeout"},
    }[verdict]
    world.target.set_provider_account("mfa-duo", username, account)


_WEEK_OF = datetime(2026, 11, 16)  # a Monday


@given(
    parsers.re(
        r"the time at CAS is (?P<day>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) "
        r"(?P<hour>\d{1,2}):(?P<minute>\d{2})$"
    )
)
def time_at_cas(world: World, day: str, hour: str, minute: str) -> None:
    offset = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday").index(day)
    when = _WEEK_OF.replace(day=_WEEK_OF.day + offset, hour=int(hour), minute=int(minute), tzinfo=UTC)
    world.target.set_clock(when)


TRIGGER_URL = "https://mfa.example.org/trigger"


@given(
    parsers.re(
        r"the (?P<trigger>global provider|application's policy|principal attribute trigger|"
        r"adaptive policy for Firefox|REST trigger|timed policy|opt-in parameter) "
        r"of (?P<url>\S+) asks for (?P<provider_id>mfa-[\w-]+)$"
    )
)
def trigger_asks_for(world: World, trigger: str, url: str, provider_id: str) -> None:
    """One trigger family naming one provider, written as an operator configures it."""
    deployment = world.deployment
    deployment.service(url)
    if trigger == "global provider":
        deployment.set("cas.authn.mfa.triggers.global.global-provider-id", provider_id)
    elif trigger == "application's policy":
        providers = ["java.util.LinkedHashSet", [provider_id]]
        deployment.policy(url)["multifactorAuthenticationProviders"] = providers
    elif trigger == "principal attribute trigger":
        names = "cas.authn.mfa.triggers.principal.global-principal-attribute-name-triggers"
        deployment.set(names, "mfaProvider")
        deployment.add_user(world.user, world.password(world.user), {"mfaProvider": [provider_id]})
    elif trigger == "adaptive policy for Firefox":
        deployment.set(f"cas.authn.adaptive.policy.require-multifactor.{provider_id}", "Firefox")
    elif trigger == "REST trigger":
        deployment.set("cas.authn.mfa.triggers.rest.url", TRIGGER_URL)
        world.target.answer_rest(TRIGGER_URL, 200, provider_id)
    elif trigger == "timed policy":
        deployment.set("cas.authn.adaptive.policy.require-timed-multifactor[0].provider-id", provider_id)
        deployment.set(
            "cas.authn.adaptive.policy.require-timed-multifactor[0].on-days",
            "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
        )
    else:
        world.request_params["authn_method"] = [provider_id]


@given(parsers.re(r"the (?P<name>.+?) provider trusts devices$"))
def provider_trusts_devices(world: World, name: str) -> None:
    provider = module(name)
    key = "core.trusted-device-enabled" if provider.key == "gauth" else "trusted-device-enabled"
    world.deployment.set(f"{provider.prefix}.{key}", "true")


@given(parsers.re(r"the deployment follows CAS (?P<version>7\.x|6\.6|6\.5|6\.4|6\.3|6\.2)$"))
def cas_version(world: World, version: str) -> None:
    world.deployment.set("reference.cas-version", version)


_SCRIPTS = {
    "Groovy trigger": ("trigger", "cas.authn.mfa.groovy-script.location"),
    "Groovy provider selector": (
        "selector",
        "cas.authn.mfa.core.provider-selection.provider-selector-groovy-script.location",
    ),
    "Groovy principal attribute predicate": (
        "predicate",
        "cas.authn.mfa.triggers.principal.global-principal-attribute-predicate.location",
    ),
}
POLICY_SCRIPT = "mfa-policy"


@given(
    parsers.re(
        r"the (?P<script>Groovy trigger|Groovy provider selector|Groovy principal attribute predicate) is:?$"
    )
)
def groovy_script(world: World, script: str, docstring: str) -> None:
    """The Groovy script a real CAS runs, written into the profile and named by its property."""
    stem, name = _SCRIPTS[script]
    world.deployment.files[f"{stem}.groovy"] = docstring + "\n"
    world.deployment.set(name, f"file:{stem}.groovy")
    world.script = stem


@given(parsers.re(r"the multifactor policy script of (?P<url>\S+) is:?$"))
def policy_script(world: World, url: str, docstring: str) -> None:
    """The Groovy file a service's ``multifactorPolicy.script`` names
    (ScriptedRegisteredServiceMultifactorAuthenticationTrigger)."""
    world.deployment.files[f"{POLICY_SCRIPT}.groovy"] = docstring + "\n"
    world.deployment.policy(url)["script"] = f"file:{POLICY_SCRIPT}.groovy"
    world.script = POLICY_SCRIPT


@given(parsers.re(r"the reference runs it as this Python:?$"))
def python_counterpart(world: World, docstring: str) -> None:
    """The Python file the reference runs in place of the Groovy script just given (same name, ``.py``)."""
    if world.script is None:
        raise ValueError("give the Groovy script first: the Python counterpart stands for it")
    world.deployment.files[f"{world.script}.py"] = docstring + "\n"


@given(parsers.re(r"the reference locates logins with this Python:?$"))
def geolocation_hook(world: World, docstring: str) -> None:
    """The reference's geolocation service as a Python hook: ``run(client_ip, location)`` -> address."""
    world.deployment.files["geolocation.py"] = docstring + "\n"
    world.deployment.set("reference.geolocation.script", "file:geolocation.py")


@given(parsers.re(r"the browser's HTTP session holds (?P<name>[\w-]+)=(?P<value>\S+)$"))
def session_attribute(world: World, name: str, value: str) -> None:
    """An attribute of the servlet session CAS's HTTP trigger reads (only a target that can set one)."""
    world.target.set_session_attribute(name, value)


# -- roles: the deployment as it is (portable scenarios) ------------------------------------------------


def _plays(world: World, user: MapUser) -> None:
    world.user = user.name
    if world.deployment.users.get(user.name) != user.password:
        world.deployment.users[user.name] = user.password  # the login's password, as the map gives it


@given(parsers.re(r"a user of the deployment$"))
def a_user_of_the_deployment(world: World) -> None:
    _plays(world, pick_user(world.roles(), world.target.name, enrolled=False))


@given(parsers.re(r"a user enrolled in a second factor$"))
def a_user_enrolled_in_a_second_factor(world: World) -> None:
    _plays(world, pick_user(world.roles(), world.target.name, enrolled=True))


_APPLICATION_ROLES = {
    "an application without MFA": PLAIN_APP,
    "another application without MFA": OTHER_PLAIN_APP,
    "an application that requires that factor": MFA_APP,
    "another application that requires that factor at the same level": OTHER_MFA_APP,
}


@given(parsers.re(r"(?P<role>an application without MFA|another application without MFA)$"))
@given(
    parsers.re(
        r"(?P<role>an application that requires that factor"
        r"|another application that requires that factor at the same level)$"
    )
)
def an_application_in_a_role(world: World, role: str) -> None:
    pick_application(world.roles(), world.target.name, _APPLICATION_ROLES[role])
