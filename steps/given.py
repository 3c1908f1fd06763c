"""Given: the deployment (providers, failure modes, bypass rules, services), users and outages."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pytest_bdd import given

from steps.deployment import module
from steps.phrases import DAYS, phrase
from steps.roles import MFA_APP, OTHER_MFA_APP, OTHER_PLAIN_APP, PLAIN_APP, pick_application, pick_user
from steps.targets.deploymap import MapUser
from steps.world import DEFAULT_PASSWORD, World


def _values(text: str) -> list[Any]:
    """``a, b`` as a list; ``true``/``false`` as booleans, as CAS keeps them."""
    values: list[Any] = []
    for item in text.split(","):
        item = item.strip()
        if item:
            values.append({"true": True, "false": False}.get(item, item))
    return values


@given(phrase("CAS offers the {names:ProviderNames} provider"))
@given(phrase("CAS offers the {names:ProviderNames} providers"))
def offers_providers(world: World, names: list[str]) -> None:
    for name in names:
        world.deployment.add_provider(module(name))
    world.deployment.add_user("casuser", DEFAULT_PASSWORD)


@given(phrase("the {name} provider's failure mode is {mode:Word}"))
def provider_failure_mode(world: World, name: str, mode: str) -> None:
    world.deployment.set(f"{module(name).prefix}.failure-mode", mode)


@given(phrase("the global failure mode is {mode:Word}"))
def global_failure_mode(world: World, mode: str) -> None:
    world.deployment.set("cas.authn.mfa.core.global-failure-mode", mode)


@given(phrase("the {name} provider has rank {rank:Rank}"))
def provider_rank(world: World, name: str, rank: str) -> None:
    world.deployment.set(f"{module(name).prefix}.rank", rank)


@given(phrase('''the {name} provider's bypass.{rule:BypassRule} is "{value:Text}"'''))
def provider_bypass_rule(world: World, name: str, rule: str, value: str) -> None:
    world.deployment.set(f"{module(name).prefix}.bypass.{rule}", value)


@given("the CAS properties:")
@given("the CAS properties")
def cas_properties(world: World, datatable: list[list[str]]) -> None:
    header, *rows = datatable
    if [h.strip().lower() for h in header] != ["property", "value"]:
        raise ValueError("the CAS properties table needs the columns | property | value |")
    for name, value in rows:
        world.deployment.set(name.strip(), value.strip(), as_written=True)


@given(phrase("the application {url:Word} requires {ids:ProviderIds}"))
@given(phrase("the application {url:Word} requires {ids:ProviderIds} with failure mode {mode:Word}"))
def application_requires(world: World, url: str, ids: list[str], mode: str | None = None) -> None:
    policy = world.deployment.policy(url)
    policy["multifactorAuthenticationProviders"] = ["java.util.LinkedHashSet", ids]
    if mode:
        policy["failureMode"] = mode


@given(phrase("the application {url:Word} is registered without a multifactor policy"))
def application_plain(world: World, url: str) -> None:
    world.deployment.service(url)


@given(phrase("the multifactor policy of {url:Word} sets:"))
@given(phrase("the multifactor policy of {url:Word} sets"))
def application_policy(world: World, url: str, datatable: list[list[str]]) -> None:
    header, *rows = datatable
    if [h.strip().lower() for h in header] != ["field", "value"]:
        raise ValueError("the multifactor policy table needs the columns | field | value |")
    policy = world.deployment.policy(url)
    for name, value in rows:
        text = value.strip()
        policy[name.strip()] = {"true": True, "false": False}.get(text, text)


@given("the registered service:")
@given("the registered service")
def registered_service(world: World, docstring: str) -> None:
    world.deployment.services.append(json.loads(docstring))


@given(phrase("the {name} provider is unavailable"))
def provider_unavailable(world: World, name: str) -> None:
    world.target.set_provider_available(module(name).provider_id, False)


@given(phrase("the {name} provider is available"))
def provider_available(world: World, name: str) -> None:
    world.target.set_provider_available(module(name).provider_id, True)


@given(phrase('the user {user:Identifier} with the password "{password:Text}"'))
def user_with_password(world: World, user: str, password: str) -> None:
    world.deployment.add_user(user, password)


@given(phrase("{user:Identifier} has the attributes:"))
@given(phrase("{user:Identifier} has the attributes"))
def user_attributes(world: World, user: str, datatable: list[list[str]]) -> None:
    world.deployment.add_user(user, world.password(user), _table_attributes(datatable))
    world.user = user


@given("a user with the attributes:")
@given("a user with the attributes")
def new_user_with(world: World, datatable: list[list[str]]) -> None:
    world.new_user(_table_attributes(datatable))


@given(phrase('a user whose {attribute:Identifier} is "{value:Text}"'))
def new_user_whose(world: World, attribute: str, value: str) -> None:
    world.new_user({attribute: _values(value)})


@given(phrase("a user without a {attribute:Identifier} attribute"))
@given(phrase("a user without an {attribute:Identifier} attribute"))
def new_user_without(world: World, attribute: str) -> None:
    username = world.new_user()
    world.deployment.attributes[username].pop(attribute, None)


@given(phrase("the REST endpoint {url:Word} answers {status:Status}"))
@given(phrase('the REST endpoint {url:Word} answers {status:Status} with "{body:Text}"'))
def rest_endpoint(world: World, url: str, status: int, body: str = "") -> None:
    world.target.answer_rest(url, status, body)


def _table_attributes(datatable: list[list[str]]) -> dict[str, list[Any]]:
    header, *rows = datatable
    if [h.strip().lower() for h in header] != ["attribute", "values"]:
        raise ValueError("the attributes table needs the columns | attribute | values |")
    return {name.strip(): _values(values) for name, values in rows}


_WEEK_OF = datetime(2026, 11, 16)  # a Monday


@given(phrase("the time at CAS is {day:Weekday} {hour:Hour}:{minute:Minute}"))
def time_at_cas(world: World, day: str, hour: int, minute: int) -> None:
    when = _WEEK_OF.replace(day=_WEEK_OF.day + DAYS.index(day), hour=hour, minute=minute, tzinfo=UTC)
    world.target.set_clock(when)


# -- one trigger family naming one provider, written as an operator configures it -----------------------

TRIGGER_URL = "https://mfa.example.org/trigger"


@given(phrase("the global provider of {url:Word} asks for {provider_id:ProviderId}"))
def global_provider_asks_for(world: World, url: str, provider_id: str) -> None:
    world.deployment.service(url)
    world.deployment.set("cas.authn.mfa.triggers.global.global-provider-id", provider_id)


@given(phrase("the application's policy of {url:Word} asks for {provider_id:ProviderId}"))
def application_policy_asks_for(world: World, url: str, provider_id: str) -> None:
    world.deployment.service(url)
    providers = ["java.util.LinkedHashSet", [provider_id]]
    world.deployment.policy(url)["multifactorAuthenticationProviders"] = providers


@given(phrase("the principal attribute trigger of {url:Word} asks for {provider_id:ProviderId}"))
def principal_attribute_trigger_asks_for(world: World, url: str, provider_id: str) -> None:
    deployment = world.deployment
    deployment.service(url)
    deployment.set("cas.authn.mfa.triggers.principal.global-principal-attribute-name-triggers", "mfaProvider")
    deployment.add_user(world.user, world.password(world.user), {"mfaProvider": [provider_id]})


@given(phrase("the adaptive policy for Firefox of {url:Word} asks for {provider_id:ProviderId}"))
def adaptive_policy_asks_for(world: World, url: str, provider_id: str) -> None:
    world.deployment.service(url)
    world.deployment.set(f"cas.authn.adaptive.policy.require-multifactor.{provider_id}", "Firefox")


@given(phrase("the REST trigger of {url:Word} asks for {provider_id:ProviderId}"))
def rest_trigger_asks_for(world: World, url: str, provider_id: str) -> None:
    world.deployment.service(url)
    world.deployment.set("cas.authn.mfa.triggers.rest.url", TRIGGER_URL)
    world.target.answer_rest(TRIGGER_URL, 200, provider_id)


@given(phrase("the timed policy of {url:Word} asks for {provider_id:ProviderId}"))
def timed_policy_asks_for(world: World, url: str, provider_id: str) -> None:
    deployment = world.deployment
    deployment.service(url)
    deployment.set("cas.authn.adaptive.policy.require-timed-multifactor[0].provider-id", provider_id)
    deployment.set("cas.authn.adaptive.policy.require-timed-multifactor[0].on-days", ",".join(DAYS))
    # Every day, at any hour: both hours switched off, as their defaults (20 and 7) would decide instead.
    deployment.set("cas.authn.adaptive.policy.require-timed-multifactor[0].on-or-after-hour", "-1")
    deployment.set("cas.authn.adaptive.policy.require-timed-multifactor[0].on-or-before-hour", "-1")


@given(phrase("the opt-in parameter of {url:Word} asks for {provider_id:ProviderId}"))
def opt_in_parameter_asks_for(world: World, url: str, provider_id: str) -> None:
    world.deployment.service(url)
    world.request_params["authn_method"] = [provider_id]


@given(phrase("the {name} provider trusts devices"))
def provider_trusts_devices(world: World, name: str) -> None:
    provider = module(name)
    key = "core.trusted-device-enabled" if provider.key == "gauth" else "trusted-device-enabled"
    world.deployment.set(f"{provider.prefix}.{key}", "true")


@given(phrase("the deployment follows CAS {version:CasVersion}"))
def cas_version(world: World, version: str) -> None:
    world.deployment.set("reference.cas-version", version)


# -- scripts: the Groovy a real CAS runs, and the Python the reference runs in its place ----------------

POLICY_SCRIPT = "mfa-policy"


def _groovy_script(world: World, stem: str, name: str, docstring: str) -> None:
    """The Groovy script a real CAS runs, written into the profile and named by its property."""
    world.deployment.files[f"{stem}.groovy"] = docstring + "\n"
    world.deployment.set(name, f"file:{stem}.groovy")
    world.script = stem


@given("the Groovy trigger is:")
@given("the Groovy trigger is")
def groovy_trigger(world: World, docstring: str) -> None:
    _groovy_script(world, "trigger", "cas.authn.mfa.groovy-script.location", docstring)


@given("the Groovy provider selector is:")
@given("the Groovy provider selector is")
def groovy_provider_selector(world: World, docstring: str) -> None:
    name = "cas.authn.mfa.core.provider-selection.provider-selector-groovy-script.location"
    _groovy_script(world, "selector", name, docstring)


@given("the Groovy principal attribute predicate is:")
@given("the Groovy principal attribute predicate is")
def groovy_principal_attribute_predicate(world: World, docstring: str) -> None:
    name = "cas.authn.mfa.triggers.principal.global-principal-attribute-predicate.location"
    _groovy_script(world, "predicate", name, docstring)


@given(phrase("the multifactor policy script of {url:Word} is:"))
@given(phrase("the multifactor policy script of {url:Word} is"))
def policy_script(world: World, url: str, docstring: str) -> None:
    """The Groovy file a service's ``multifactorPolicy.script`` names
    (ScriptedRegisteredServiceMultifactorAuthenticationTrigger)."""
    world.deployment.files[f"{POLICY_SCRIPT}.groovy"] = docstring + "\n"
    world.deployment.policy(url)["script"] = f"file:{POLICY_SCRIPT}.groovy"
    world.script = POLICY_SCRIPT


@given("the reference runs it as this Python:")
@given("the reference runs it as this Python")
def python_counterpart(world: World, docstring: str) -> None:
    """The Python file the reference runs in place of the Groovy script just given (same name, ``.py``)."""
    if world.script is None:
        raise ValueError("give the Groovy script first: the Python counterpart stands for it")
    world.deployment.files[f"{world.script}.py"] = docstring + "\n"


@given("the reference locates logins with this Python:")
@given("the reference locates logins with this Python")
def geolocation_hook(world: World, docstring: str) -> None:
    """The reference's geolocation service as a Python hook: ``run(client_ip, location)`` -> address."""
    world.deployment.files["geolocation.py"] = docstring + "\n"
    world.deployment.set("reference.geolocation.script", "file:geolocation.py")


@given(phrase("the browser's HTTP session holds {name:SessionKey}={value:Word}"))
def session_attribute(world: World, name: str, value: str) -> None:
    """An attribute of the servlet session CAS's HTTP trigger reads (only a target that can set one)."""
    world.target.set_session_attribute(name, value)


# -- roles: the deployment as it is (portable scenarios) ------------------------------------------------


def _plays(world: World, user: MapUser) -> None:
    world.user = user.name
    if world.deployment.users.get(user.name) != user.password:
        world.deployment.users[user.name] = user.password  # the login's password, as the map gives it


@given("a user of the deployment")
def a_user_of_the_deployment(world: World) -> None:
    _plays(world, pick_user(world.roles(), world.target.name, enrolled=False))


@given("a user enrolled in a second factor")
def a_user_enrolled_in_a_second_factor(world: World) -> None:
    _plays(world, pick_user(world.roles(), world.target.name, enrolled=True))


@given("an application without MFA")
def an_application_without_mfa(world: World) -> None:
    pick_application(world.roles(), world.target.name, PLAIN_APP)


@given("another application without MFA")
def another_application_without_mfa(world: World) -> None:
    pick_application(world.roles(), world.target.name, OTHER_PLAIN_APP)


@given("an application that requires that factor")
def an_application_that_requires_that_factor(world: World) -> None:
    pick_application(world.roles(), world.target.name, MFA_APP)


@given("another application that requires that factor at the same level")
def another_application_that_requires_that_factor(world: World) -> None:
    pick_application(world.roles(), world.target.name, OTHER_MFA_APP)
