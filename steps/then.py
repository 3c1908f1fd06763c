"""Then: what the browser was shown, and what ticket validation released."""

from __future__ import annotations

from typing import Any

from pytest_bdd import then

from steps.deployment import module
from steps.given import _values
from steps.phrases import phrase
from steps.roles import not_applicable
from steps.targets.base import (
    VIEW_GATEWAY,
    VIEW_LOGIN_FORM,
    VIEW_MFA_DENIED,
    VIEW_MFA_UNAVAILABLE,
    VIEW_PROVIDER_FORM,
    VIEW_PROVIDER_MENU,
    VIEW_REGISTER_DEVICE,
    VIEW_SERVICE_REFUSED,
    VIEW_TICKET,
    LoginObservation,
    ValidationObservation,
)
from steps.world import World

UNAVAILABLE_PAGE = "MFA Provider Unavailable"


def _login(world: World) -> LoginObservation:
    assert world.login is not None, "nobody logged in"
    return world.login


def _validation(world: World) -> ValidationObservation:
    if world.validation is None:
        login = _login(world)
        assert login.view == VIEW_TICKET and login.ticket, f"CAS issued no ticket: {login}"
        assert world.service is not None
        world.validation = world.target.validate(login.ticket, world.service)
    return world.validation


def _released(world: World) -> dict[str, list[Any]]:
    validation = _validation(world)
    assert validation.success, f"ticket validation failed with {validation.code}"
    return dict(validation.attributes)


def _context_attribute(world: World) -> str:
    configured = world.deployment.properties.get("cas.authn.mfa.core.authentication-context-attribute")
    return (configured or "authnContextClass").split(",")[0].strip()


@then("CAS issues a service ticket")
def ticket_issued(world: World) -> None:
    login = _login(world)
    assert login.view == VIEW_TICKET and login.ticket, f"expected a redirect with a ticket, saw {login}"


@then("no service ticket is issued")
def no_ticket(world: World) -> None:
    login = _login(world)
    assert login.view != VIEW_TICKET and not login.ticket, f"expected no ticket, saw {login}"


@then("CAS shows the login form")
def shows_login_form(world: World) -> None:
    login = _login(world)
    assert login.view == VIEW_LOGIN_FORM, f"expected the login form, saw {login}"


@then("CAS sends the browser back to the service without a ticket")
def back_without_ticket(world: World) -> None:
    login = _login(world)
    assert login.view == VIEW_GATEWAY and not login.ticket, (
        f"expected a redirect without a ticket, saw {login}"
    )


@then(phrase("CAS asks for the {name} factor"))
def asks_for_factor(world: World, name: str) -> None:
    login = _login(world)
    if name == "second":  # a portable scenario: the prompt of whatever factor the map names
        assert login.view == VIEW_PROVIDER_FORM, f"expected a second-factor prompt, saw {login}"
        return
    expected = module(name).provider_id
    assert login.view == VIEW_PROVIDER_FORM, f"expected the {name} form, saw {login}"
    assert login.provider == expected, f"expected the {expected} form, saw the {login.provider} form"


@then('the "MFA Provider Unavailable" page is shown')
def unavailable_page(world: World) -> None:
    login = _login(world)
    assert login.view == VIEW_MFA_UNAVAILABLE, f"expected the {UNAVAILABLE_PAGE} page, saw {login}"


@then(phrase('the login fails with "{message:Message}"'))
def login_fails(world: World, message: str) -> None:
    login = _login(world)
    assert login.view in (VIEW_LOGIN_FORM, VIEW_PROVIDER_FORM), f"expected the form again, saw {login}"
    assert login.status == 401, f"expected HTTP 401, saw {login.status}"
    assert login.message == message, f"expected the message {message!r}, saw {login.message!r}"


@then("the login fails without a message")
def login_fails_without_message(world: World) -> None:
    """The webflow's ``error`` event: the login form again, HTTP 401, and no authenticationFailure text."""
    login = _login(world)
    assert login.view == VIEW_LOGIN_FORM, f"expected the login form again, saw {login}"
    assert login.status == 401, f"expected HTTP 401, saw {login.status}"
    assert not login.message, f"expected no message, saw {login.message!r}"


@then("CAS refuses the application")
def refuses_application(world: World) -> None:
    login = _login(world)
    assert login.view == VIEW_SERVICE_REFUSED, (
        f"expected 'Application Not Authorized to Use CAS', saw {login}"
    )


@then("ticket validation succeeds")
@then(phrase("ticket validation succeeds for {user:User}"))
def validation_succeeds(world: World, user: str | None = None) -> None:
    validation = _validation(world)
    assert validation.success, f"ticket validation failed with {validation.code}"
    expected = world.user if user in (None, "the user") else user
    assert validation.user == expected, f"validation names {validation.user}, expected {expected}"


@then(phrase("ticket validation fails with {code:ErrorCode}"))
def validation_fails(world: World, code: str) -> None:
    validation = _validation(world)
    assert not validation.success, f"ticket validation succeeded; expected {code}"
    assert validation.code == code, f"expected {code}, saw {validation.code}"


@then(phrase("the ticket releases {name:AttributeName} = {value}"))
def releases_value(world: World, name: str, value: str) -> None:
    released = _released(world)
    assert name in released, f"{name} is not released; released: {sorted(released)}"
    expected = _values(value)
    assert released[name] == expected, f"{name} is {released[name]!r}, expected {expected!r}"


@then(phrase("the ticket releases {name:AttributeName}"))
def releases_name(world: World, name: str) -> None:
    released = _released(world)
    assert name in released, f"{name} is not released; released: {sorted(released)}"


@then(phrase("the ticket does not release {name:AttributeName}"))
def does_not_release(world: World, name: str) -> None:
    released = _released(world)
    assert name not in released, f"{name} is released with {released[name]!r}"


@then(phrase("the ticket releases the authentication context {provider_id:ProviderId}"))
def releases_context(world: World, provider_id: str) -> None:
    released = _released(world)
    name = _context_attribute(world)
    assert released.get(name) == [provider_id], (
        f"{name} is {released.get(name)!r}, expected [{provider_id!r}]"
    )


@then("the ticket releases no authentication context")
def releases_no_context(world: World) -> None:
    released = _released(world)
    name = _context_attribute(world)
    assert name not in released, f"{name} is released with {released[name]!r}"


@then(phrase("the ticket says MFA was bypassed for {provider_id:ProviderId}"))
def says_bypassed(world: World, provider_id: str) -> None:
    released = _released(world)
    assert released.get("bypassMultifactorAuthentication") == [True], (
        f"bypassMultifactorAuthentication is {released.get('bypassMultifactorAuthentication')!r}"
    )
    assert released.get("bypassedMultifactorAuthenticationProviderId") == [provider_id], (
        f"bypassedMultifactorAuthenticationProviderId is "
        f"{released.get('bypassedMultifactorAuthenticationProviderId')!r}"
    )


@then("the ticket says MFA was not bypassed")
def says_not_bypassed(world: World) -> None:
    released = _released(world)
    assert released.get("bypassMultifactorAuthentication") == [False], (
        f"bypassMultifactorAuthentication is {released.get('bypassMultifactorAuthentication')!r}"
    )
    assert "bypassedMultifactorAuthenticationProviderId" not in released


@then("the ticket carries no bypass attributes")
def no_bypass_attributes(world: World) -> None:
    released = _released(world)
    for name in ("bypassMultifactorAuthentication", "bypassedMultifactorAuthenticationProviderId"):
        assert name not in released, f"{name} is released with {released[name]!r}"


@then(phrase("the REST endpoint {url:Word} was asked with {query}"))
def rest_asked(world: World, url: str, query: str) -> None:
    calls = world.target.rest_requests(url)
    assert calls, f"{url} was never called"
    expected = dict(item.strip().split("=", 1) for item in query.split(" and "))
    assert calls[0] == expected, f"{url} was called with {calls[0]}, expected {expected}"


@then(phrase("the REST endpoint {url:Word} was not asked"))
def rest_not_asked(world: World, url: str) -> None:
    calls = world.target.rest_requests(url)
    assert not calls, f"{url} was called {len(calls)} time(s): {calls}"


# -- how a login ended, as an Outline's Examples column words it (the login ends with <result>) -------------


@then("the login ends with a service ticket")
def login_ends_with_ticket(world: World) -> None:
    login = _login(world)
    assert login.view == VIEW_TICKET and login.ticket, f"expected a ticket, saw {login}"


@then('the login ends with the "MFA Provider Unavailable" page')
def login_ends_with_unavailable_page(world: World) -> None:
    unavailable_page(world)


@then("the login ends with the provider selection menu")
def login_ends_with_menu(world: World) -> None:
    login = _login(world)
    assert login.view == VIEW_PROVIDER_MENU, f"expected the provider selection menu, saw {login}"


@then(phrase("the login ends with the {name} form"))
def login_ends_with_form(world: World, name: str) -> None:
    asks_for_factor(world, name)


@then(
    phrase("CAS applied the failure mode {mode:FailureMode} set {source:Level} to {provider_id:ProviderId}")
)
def failure_mode_applied(world: World, mode: str, source: str, provider_id: str) -> None:
    """The mode's visible consequences with the provider down; the level, where the target can tell it."""
    login = _login(world)
    if mode in ("OPEN", "PHANTOM"):
        says_bypassed(world, provider_id)
        released = _released(world)
        context = released.get(_context_attribute(world))
        expected_context = [provider_id] if mode == "PHANTOM" else None
        assert context == expected_context, f"the context attribute is {context!r} under {mode}"
    elif mode == "NONE":
        assert login.view == VIEW_PROVIDER_FORM and login.provider == provider_id, (
            f"expected the form: {login}"
        )
    else:
        assert login.view == VIEW_MFA_UNAVAILABLE, (
            f"expected the {UNAVAILABLE_PAGE} page under {mode}: {login}"
        )
    applied = world.target.failure_mode_applied()
    if applied is not None:
        level = {"on the service": "service", "on the provider": "provider", "globally": "global"}[source]
        assert applied == (mode, level), f"CAS applied {applied}, expected ({mode}, {level})"


@then('the "MFA Denied" page is shown')
def denied_page(world: World) -> None:
    login = _login(world)
    assert login.view == VIEW_MFA_DENIED, f"expected the MFA Denied page, saw {login}"


@then(phrase("CAS lets the user choose between {names:ProviderNames}"))
def offers_menu(world: World, names: list[str]) -> None:
    login = _login(world)
    expected = sorted(module(name).provider_id for name in names)
    assert login.view == VIEW_PROVIDER_MENU, f"expected the provider selection menu, saw {login}"
    assert sorted(login.choices) == expected, f"the menu offers {login.choices}, expected {expected}"


@then("CAS offers to trust this browser")
def offers_trust(world: World) -> None:
    login = _login(world)
    assert login.view == VIEW_REGISTER_DEVICE, f"expected the trusted-device registration form, saw {login}"


@then(phrase('CAS lists the trusted devices of {user:User} as "{names:Text}"'))
def lists_devices(world: World, user: str, names: str) -> None:
    listed = sorted(world.target.trusted_devices(world.user if user == "the user" else user))
    expected = sorted(n.strip() for n in names.split(",") if n.strip())
    assert listed == expected, f"trusted devices are {listed}, expected {expected}"


def _second_factor_context(world: World) -> tuple[list[str], set[str]]:
    """The map's context attributes and the values that say the user's second factor was passed."""
    cast = world.roles()
    if cast.factor is None:
        raise AssertionError("no user enrolled in a second factor was named in a Given step")
    if not cast.map.context_attributes or not cast.factor.context:
        not_applicable(
            world.target.name,
            "the attribute that carries the MFA context",
            f"{cast.source} names no context attribute or no context value for {cast.factor.name}",
        )
    return list(cast.map.context_attributes), set(cast.factor.context)


@then("the ticket releases the context of the second factor")
def releases_second_factor_context(world: World) -> None:
    released = _released(world)
    names, values = _second_factor_context(world)
    shown = {name: released.get(name) for name in names}
    assert any(values & {str(v) for v in released.get(name, [])} for name in names), (
        f"expected {' or '.join(names)} to say {sorted(values)}; released {shown}"
    )


@then("the ticket releases no context of the second factor")
def releases_no_second_factor_context(world: World) -> None:
    released = _released(world)
    names, values = _second_factor_context(world)
    said = {name: released[name] for name in names if values & {str(v) for v in released.get(name, [])}}
    assert not said, f"the ticket says the second factor was passed: {said}"
