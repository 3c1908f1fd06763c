"""Trigger settings: ``cas.authn.mfa.triggers.*`` and ``cas.authn.adaptive.policy.*``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cas_mfa_ref.config.hooks import Hook, load_hook
from cas_mfa_ref.config.properties import CasProperties, split_name
from cas_mfa_ref.errors import ProfileError
from cas_mfa_ref.model import RestEndpoint
from cas_mfa_ref.regex import check_patterns

# What TimedMultifactorAuthenticationTrigger compares on-days with: every TextStyle of today's
# DayOfWeek#getDisplayName in the JVM's locale (English here), exactly, case and all. By weekday().
DAY_NAMES = (
    ("Monday", "Mon", "M"),
    ("Tuesday", "Tue", "T"),
    ("Wednesday", "Wed", "W"),
    ("Thursday", "Thu", "T"),
    ("Friday", "Fri", "F"),
    ("Saturday", "Sat", "S"),
    ("Sunday", "Sun", "S"),
)
# TimeBasedAuthenticationProperties: a bound left unset is not "off" but these hours; below 0 is off.
DEFAULT_ON_OR_AFTER_HOUR = 20
DEFAULT_ON_OR_BEFORE_HOUR = 7


@dataclass(frozen=True)
class PrincipalTrigger:
    """``cas.authn.mfa.triggers.principal.*``: the global principal attribute trigger."""

    names: tuple[str, ...] = ()
    value_regex: str | None = None
    deny_if_unmatched: bool = False
    reverse_match: bool = False


@dataclass(frozen=True)
class AuthenticationTrigger:
    """``cas.authn.mfa.triggers.authentication.*``: the global authentication attribute trigger."""

    names: tuple[str, ...] = ()
    value_regex: str | None = None


@dataclass(frozen=True)
class TimedRule:
    """One ``cas.authn.adaptive.policy.require-timed-multifactor[i]`` entry."""

    provider_id: str
    on_or_after_hour: int = DEFAULT_ON_OR_AFTER_HOUR
    on_or_before_hour: int = DEFAULT_ON_OR_BEFORE_HOUR
    on_days: tuple[str, ...] = ()

    def unknown_days(self) -> list[str]:
        """Configured day names that are no English form of any day: they never match."""
        forms = {form for names in DAY_NAMES for form in names}
        return [day for day in self.on_days if day not in forms]


@dataclass(frozen=True)
class TriggerSettings:
    principal: PrincipalTrigger = field(default_factory=PrincipalTrigger)
    authentication: AuthenticationTrigger = field(default_factory=AuthenticationTrigger)
    rest: RestEndpoint | None = None
    adaptive: tuple[tuple[str, str], ...] = ()  # (provider id, regex), in file order
    timed: tuple[TimedRule, ...] = ()
    groovy: Hook | None = None  # cas.authn.mfa.groovy-script.location, as its Python counterpart
    selector: Hook | None = None  # ...provider-selection.provider-selector-groovy-script.location
    predicate: Hook | None = None  # ...triggers.principal.global-principal-attribute-predicate.location


def load_trigger_settings(props: CasProperties, root: Path) -> TriggerSettings:
    principal = "cas.authn.mfa.triggers.principal"
    authentication = "cas.authn.mfa.triggers.authentication"
    principal_regex = props.text(f"{principal}.global-principal-attribute-value-regex")
    authentication_regex = props.text(f"{authentication}.global-authentication-attribute-value-regex")
    for name, value in (
        (f"{principal}.global-principal-attribute-value-regex", principal_regex),
        (f"{authentication}.global-authentication-attribute-value-regex", authentication_regex),
    ):
        entry = props.entry(name)
        if entry is not None:
            check_patterns(value, entry.origin, comma_separated=False)
    return TriggerSettings(
        principal=PrincipalTrigger(
            names=tuple(props.csv(f"{principal}.global-principal-attribute-name-triggers")),
            value_regex=principal_regex or None,
            deny_if_unmatched=props.boolean(f"{principal}.deny-if-unmatched", False),
            reverse_match=props.boolean(f"{principal}.reverse-match", False),
        ),
        authentication=AuthenticationTrigger(
            names=tuple(props.csv(f"{authentication}.global-authentication-attribute-name-triggers")),
            value_regex=authentication_regex or None,
        ),
        rest=_rest(props, "cas.authn.mfa.triggers.rest"),
        adaptive=_adaptive(props),
        timed=_timed(props),
        groovy=load_hook(props, "cas.authn.mfa.groovy-script.location", root),
        selector=load_hook(
            props, "cas.authn.mfa.core.provider-selection.provider-selector-groovy-script.location", root
        ),
        predicate=load_hook(props, f"{principal}.global-principal-attribute-predicate.location", root),
    )


def _rest(props: CasProperties, prefix: str) -> RestEndpoint | None:
    url = props.text(f"{prefix}.url")
    if not url or not url.strip():
        return None
    depth = len(split_name(f"{prefix}.headers"))
    headers = {".".join(e.tail(depth)): props.text_of(e) for e in props.under(f"{prefix}.headers")}
    method = (props.text(f"{prefix}.method") or "GET").strip().upper()
    if method not in {"GET", "POST", "PUT", "PATCH", "DELETE"}:
        entry = props.entry(f"{prefix}.method")
        raise ProfileError(entry.origin if entry else props.path, f"'{method}' is not an HTTP method")
    return RestEndpoint(
        url.strip(),
        method,
        props.text(f"{prefix}.basic-auth-username"),
        props.text(f"{prefix}.basic-auth-password"),
        headers,
    )


def _adaptive(props: CasProperties) -> tuple[tuple[str, str], ...]:
    prefix = "cas.authn.adaptive.policy.require-multifactor"
    depth = len(split_name(prefix))
    rules = []
    for entry in props.under(prefix):
        value = props.text_of(entry)
        check_patterns(value, entry.origin, comma_separated=False)
        rules.append((".".join(entry.tail(depth)), value))
    return tuple(rules)


def _timed(props: CasProperties) -> tuple[TimedRule, ...]:
    prefix = "cas.authn.adaptive.policy.require-timed-multifactor"
    rules = []
    for index in props.indexes(prefix):
        item = f"{prefix}[{index}]"
        provider_id = (props.text(f"{item}.provider-id") or "").strip()
        if not provider_id:
            raise ProfileError(props.origin_under(item), f"{item}.provider-id is required")
        days = tuple(props.csv(f"{item}.on-days"))
        # Any whole number binds, as CAS's long does: below 0 switches the check off, and a bound
        # past 23 simply never (after) or always (before) holds; CAS's own tests use 24.
        after = props.integer(f"{item}.on-or-after-hour", DEFAULT_ON_OR_AFTER_HOUR)
        before = props.integer(f"{item}.on-or-before-hour", DEFAULT_ON_OR_BEFORE_HOUR)
        rules.append(TimedRule(provider_id, after, before, days))
    return tuple(rules)
