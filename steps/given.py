"""Given: the deployment (providers, failure modes, bypass rules, services), users and outages."""

from __future__ import annotations

import json
import re
from typing import Any

from pytest_bdd import given, parsers

from steps.deployment import module
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
        world.deployment.set(name.strip(), value.strip())


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
