"""When: a user logs in, answers the provider's challenge, and the application validates the ticket."""

from __future__ import annotations

from pytest_bdd import parsers, when

from steps.deployment import module
from steps.phrases import phrase
from steps.roles import ROLE_PATTERN, not_applicable, totp_code
from steps.targets.base import VIEW_TICKET, LoginAttempt
from steps.world import World

# A service as a step names it: a URL, or an application by its role (steps.roles).
SERVICE = rf"(?:{ROLE_PATTERN}|\S+)"
SECOND_FACTOR = "second factor"

# A login, with any of its optional clauses, in this order (a regular expression: parse has no optional
# parts, and the clauses combine freely):
#   casuser logs in to https://app.example.org
#       with the request parameter authn_method=mfa-gauth   (or: with the request header X-Internal=1)
#       from 10.0.0.5
#       using the browser "Firefox"
_LOGIN = (
    rf"(?P<user>the user|\w+) logs in to (?P<url>{SERVICE})"
    r"(?: with the request (?P<kind>parameter|header) (?P<name>[\w-]+)=(?P<value>\S*))?"
    r"(?: from (?P<address>[\d.:a-fA-F]+))?"
    r'(?: using the browser "(?P<agent>[^"]+)")?'
)


@when(parsers.re(_LOGIN))
def logs_in(
    world: World,
    user: str,
    url: str,
    kind: str | None,
    name: str | None,
    value: str | None,
    address: str | None,
    agent: str | None,
) -> None:
    world.ensure_deployed()
    url = world.service_url(url)
    username = world.user if user == "the user" else user
    params = {k: list(v) for k, v in world.request_params.items()}
    if kind == "parameter" and name:
        params[name] = [value or ""]
    headers = {name: [value or ""]} if kind == "header" and name else {}
    attempt = LoginAttempt(username, world.password(username), url, params, headers, address, agent)
    world.user, world.service, world.validation = username, url, None
    world.login = world.target.login(attempt)


@when(phrase("{user:User} logs in to {url:Service} with a wrong password"))
def logs_in_wrong_password(world: World, user: str, url: str) -> None:
    world.ensure_deployed()
    url = world.service_url(url)
    username = world.user if user == "the user" else user
    world.service = url
    world.login = world.target.login(LoginAttempt(username, world.password(username) + "-wrong", url))


@when(phrase("the user completes the {name} challenge"))
def completes_challenge(world: World, name: str) -> None:
    if name == SECOND_FACTOR:
        types(world, second_factor_code(world))
        return
    types(world, world.target.provision_token(module(name).provider_id, world.user))


def second_factor_code(world: World) -> str:
    """What the user of a portable scenario types for the factor the map enrols them in: a code from
    their TOTP secret (pyotp), or a token the target obtains (a mock provider, an imported account)."""
    cast = world.roles()
    enrolment, factor = cast.enrolment, cast.factor
    if enrolment is None or factor is None:
        raise AssertionError("no user enrolled in a second factor was named in a Given step")
    if enrolment.kind == "totp":
        return totp_code(enrolment, factor.codes_once)
    if enrolment.kind == "provider" and enrolment.provider:
        return world.target.provision_token(enrolment.provider, world.user)
    not_applicable(
        world.target.name,
        "a second factor the suite can pass",
        f"the map says {world.user}'s {enrolment.factor} code cannot be produced; only its prompt is checked",
    )


@when("the user types the Google Authenticator code of now")
def types_current_code(world: World) -> None:
    types(world, world.target.authenticator_code(world.user, 0))


@when(phrase("the user types the Google Authenticator code of {steps:Number} steps {direction:Direction}"))
@when(phrase("the user types the Google Authenticator code of {steps:Number} step {direction:Direction}"))
def types_other_code(world: World, steps: int, direction: str) -> None:
    """The code of a time step before (``ago``) or after (``ahead``) the current one."""
    types(world, world.target.authenticator_code(world.user, steps * (-1 if direction == "ago" else 1)))


@when("the user types a Google Authenticator scratch code")
def types_scratch_code(world: World) -> None:
    types(world, world.target.authenticator_code(world.user, scratch=True))


@when("the user types the same code again")
def types_again(world: World) -> None:
    if world.last_token is None:
        raise AssertionError("no code was typed before in this scenario")
    types(world, world.last_token)


@when(phrase('the user types "{token:Text}" as the {name} token'))
def types_token(world: World, token: str, name: str) -> None:
    module(name)  # an unknown provider name is a mistake in the scenario
    types(world, token)


def types(world: World, token: str) -> None:
    """The user types a token into the provider's form and submits it."""
    world.last_token = token
    world.login = world.target.submit_token(token)


@when(phrase("the user enters a wrong {name} token"))
def wrong_token(world: World, name: str) -> None:
    if name == SECOND_FACTOR:
        right = second_factor_code(world)
        # A plausible code as long as the right one, never the right one, and the same in every run.
        wrong = "0" * len(right) if right != "0" * len(right) else "1" * len(right)
        world.login = world.target.submit_token(wrong)
        return
    world.target.provision_token(module(name).provider_id, world.user)
    world.login = world.target.submit_token("000000-wrong")


# A validation, with any of its optional clauses, in this order (a regular expression, as for a login):
#   the application validates the ticket
#       again
#       for the other MFA application
#       asking for mfa-gauth   (or: asking for the context of the second factor)
#       with renew=true
@when(
    parsers.re(
        rf"the application validates the ticket(?P<again> again)?(?: for (?P<other>{SERVICE}))?"
        r"(?: asking for (?P<provider_id>mfa-[\w-]+|the context of the second factor))?"
        r"(?P<renew> with renew=true)?"
    )
)
def validates(
    world: World, again: str | None, other: str | None, provider_id: str | None, renew: str | None
) -> None:
    login = world.login
    assert login is not None and login.view == VIEW_TICKET and login.ticket, f"no ticket to validate: {login}"
    service = world.service_url(other) if other else world.service
    assert service is not None
    params = _context_request(world, provider_id) if provider_id else {}
    if renew:
        params["renew"] = "true"
    world.validation = world.target.validate(login.ticket, service, params or None)


def _context_request(world: World, asked: str) -> dict[str, str]:
    """CAS's ``authn_method`` for a provider id; for the portable wording, the map's parameter and the
    value that names the user's factor."""
    if asked.startswith("mfa-"):
        return {"authn_method": asked}
    cast = world.roles()
    factor = cast.factor
    if factor is None:
        raise AssertionError("no user enrolled in a second factor was named in a Given step")
    if cast.map.validation_parameter is None:
        not_applicable(
            world.target.name,
            "a validation parameter that asks for an authentication context",
            f"{cast.source} names none (context.validation-parameter)",
        )
    value = factor.context[0] if factor.context else factor.provider or factor.name
    return {cast.map.validation_parameter: value}


@when(phrase("the application asks CAS to validate without a ticket for {service:Service}"))
@when(phrase("the application asks CAS to validate the ticket {ticket:Word} without a service"))
@when(phrase("the application asks CAS to validate the ticket {ticket:Word} for {service:Service}"))
def validates_request(world: World, ticket: str = "", service: str | None = None) -> None:
    """A validation request as the application words it; a missing ticket or service is left out."""
    world.ensure_deployed()
    world.validation = world.target.validate(ticket, world.service_url(service) if service else "")


@when(phrase("{user:User} opens {url:Service} in the same browser"))
@when(phrase("{user:User} opens {url:Service} in the same browser with {flag:Flag}=true"))
def opens_in_same_browser(world: World, user: str, url: str, flag: str | None = None) -> None:
    world.ensure_deployed()
    url = world.service_url(url)
    world.service, world.validation = url, None
    world.login = world.target.visit(url, renew=flag == "renew", gateway=flag == "gateway")


@when("the user logs out")
def logs_out(world: World) -> None:
    world.ensure_deployed()
    world.validation = None
    world.login = world.target.logout()


@when(phrase("the user chooses {name} on the menu"))
def chooses_provider(world: World, name: str) -> None:
    world.login = world.target.choose_provider(module(name).provider_id)


@when(phrase('the user trusts this browser as "{name:Text}"'))
@when(phrase('the user trusts this browser as "{name:Text}" for {count:Number} {unit:TrustUnit}'))
def trusts_browser(world: World, name: str, count: int = 0, unit: str = "forever") -> None:
    world.login = world.target.register_device(name, count, unit.upper())


@when("the user declines to trust this browser")
def declines_trust(world: World) -> None:
    world.login = world.target.register_device("")


@when("the user closes the browser")
def closes_browser(world: World) -> None:
    world.target.close_browser()


@when("the user switches to another browser")
def another_browser(world: World) -> None:
    world.target.new_browser()


@when(phrase("{duration:Seconds} seconds pass"))
@when(phrase("{duration:Minutes} minutes pass"))
@when(phrase("{duration:Hours} hours pass"))
@when(phrase("{duration:Days} days pass"))
def time_passes(world: World, duration: int) -> None:
    """``duration``: in seconds, whatever the unit the line counts in."""
    world.target.advance_clock(duration)


@when(phrase("the administrator revokes the trusted devices of {user:User}"))
def revokes_devices(world: World, user: str) -> None:
    world.target.revoke_trusted_devices(world.user if user == "the user" else user)
