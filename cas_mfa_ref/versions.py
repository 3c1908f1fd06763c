"""CAS versions as one ordered type, and every rule of the reference that holds only for some of them.

A profile says whose rules to apply with ``reference.cas-version`` (not a CAS property: a real CAS
ignores it). The reference models four rule sets, each named by the oldest release it covers: 6.2
(6.2/6.3), 6.4, 6.5 (6.5/6.6) and 7.0 (7.x). Rules are stated here once, with the range they hold
for, and the engine and the configuration ask ``rule.holds(profile.version)``; nothing else compares
versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import total_ordering

__all__ = [
    "MODELLED",
    "V6_2",
    "V6_4",
    "V6_5",
    "V7",
    "CasVersion",
    "VersionRule",
    "parse_version",
]


@total_ordering
@dataclass(frozen=True)
class CasVersion:
    """One of the rule sets the reference models, named by its first release and spelled as a range."""

    major: int
    minor: int
    label: str  # how a message names it: "6.2/6.3", "7.x"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, CasVersion):
            return NotImplemented
        return (self.major, self.minor) < (other.major, other.minor)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CasVersion):
            return NotImplemented
        return (self.major, self.minor) == (other.major, other.minor)

    def __hash__(self) -> int:
        return hash((self.major, self.minor))

    def __str__(self) -> str:
        return self.label


V6_2 = CasVersion(6, 2, "6.2/6.3")
V6_4 = CasVersion(6, 4, "6.4")
V6_5 = CasVersion(6, 5, "6.5/6.6")
V7 = CasVersion(7, 0, "7.x")
MODELLED = (V6_2, V6_4, V6_5, V7)

# Every written form a profile may use, to the rule set it selects.
_SPELLINGS = {
    **{s: V7 for s in ("7", "7.0", "7.1", "7.2", "7.3")},
    **{s: V6_5 for s in ("6", "6.5", "6.6")},
    "6.4": V6_4,
    **{s: V6_2 for s in ("6.2", "6.3")},
}


def parse_version(text: str) -> CasVersion | None:
    """The rule set a written CAS version selects ("6.6", "7.x", "6.2.x" ...); None if not modelled."""
    return _SPELLINGS.get(text.strip().lower().removesuffix(".x"))


@dataclass(frozen=True)
class VersionRule:
    """A behaviour that holds from ``first`` to ``last`` (inclusive; None: to the newest)."""

    statement: str
    first: CasVersion = V6_2
    last: CasVersion | None = None

    def holds(self, version: CasVersion) -> bool:
        return self.first <= version and (self.last is None or version <= self.last)


# -- the version-dependent rules ----------------------------------------------------------------------

# Property names (config/renames.py says which): MultifactorAuthenticationProperties held the MFA
# settings flat up to 6.3; MultifactorAuthenticationCoreProperties held provider selection flat to 6.6.
FLAT_MFA_PROPERTIES = VersionRule(
    "the MFA settings are flat (cas.authn.mfa.global-provider-id ...)", last=V6_2
)
FLAT_PROVIDER_SELECTION = VersionRule(
    "provider selection is cas.authn.mfa.core.provider-selection-enabled", first=V6_4, last=V6_5
)
# PrincipalAttributeMultifactorAuthenticationProperties (since 6.4): deny-if-unmatched; reverse-match
# came with 7.x (PatternedAttributeValuePredicate).
GLOBAL_DENY_IF_UNMATCHED = VersionRule(
    "cas.authn.mfa.triggers.principal.deny-if-unmatched exists (6.4+)", first=V6_4
)
PRINCIPAL_REVERSE_MATCH = VersionRule("cas.authn.mfa.triggers.principal.reverse-match exists (7.x)", first=V7)

# MultifactorAuthenticationBypassAction / MultifactorAuthenticationFailureAction / ...AvailableAction.
FAILURE_MODE_IN_BYPASS_ACTION = VersionRule(
    "the bypass action consults the failure mode (OPEN/PHANTOM with the provider down ends as a bypass), "
    "NONE skips the availability check, and the failure action bypasses for PHANTOM as well as OPEN",
    first=V6_5,
)
# MultifactorAuthenticationProviderMetadataPopulator.
PHANTOM_CONTEXT_AT_PRIMARY = VersionRule(
    "a PHANTOM provider that is down is recorded in the context at primary authentication", first=V6_5
)
# BaseMultifactorAuthenticationProviderProperties#failureMode.
PROVIDER_FAILURE_MODE_CLOSED = VersionRule(
    "a provider's failure-mode defaults to CLOSED (before 6.4: UNDEFINED, so the global mode applied)",
    first=V6_4,
)
# AbstractMultifactorAuthenticationProvider#matches.
ID_MATCH_EQUALS = VersionRule("a provider id is matched by case-insensitive equality", first=V7)
ID_MATCH_FINDS = VersionRule(
    "a provider id is matched by a case-insensitive regex found inside it (RegexUtils.find)",
    first=V6_5,
    last=V6_5,
)
# BaseMultifactorAuthenticationProviderBypassEvaluator#locateMatchingAttributeValue: 6.2/6.3 used
# String#matches; the 6.x text with resolvePrincipal (6.4+) RegexUtils.find of the one value; 7.x
# RegexUtils.findFirst over the comma-separated values.
BYPASS_MATCH_FINDS = VersionRule(
    "bypass attribute names and values are searched ignoring case (before: matched whole and "
    "case-sensitively)",
    first=V6_4,
)
BYPASS_VALUES_LISTED = VersionRule(
    "a bypass attribute value is a comma-separated list of patterns (before: one pattern)", first=V7
)
# RestMultifactorAuthenticationProviderBypassEvaluator.
REST_BYPASS_UNREACHABLE_BYPASSES = VersionRule(
    "an unreachable REST bypass endpoint (no response) means bypass (6.2/6.3: MFA runs)", first=V6_4
)
REST_BYPASS_ANY_2XX_RUNS = VersionRule(
    "any 2xx answer of the REST bypass endpoint runs MFA (6.x: only 202)", first=V7
)
# RestEndpointMultifactorAuthenticationTrigger#callRestEndpointForMultifactor: 6.4+ read the status of a
# null response outside any catch; DefaultCasDelegatingWebflowEventResolver turns that into the error event.
REST_TRIGGER_UNREACHABLE_FAILS = VersionRule(
    "an unreachable REST trigger endpoint ends the login in an error (6.2/6.3: no MFA)", first=V6_4
)
# RegisteredServicePrincipalAttributeMultifactorAuthenticationProviderBypassEvaluator.
SERVICE_BYPASS_RULE_NEEDS_ENABLED = VersionRule(
    "a service's bypassPrincipalAttributeName/Value are read only when its bypassEnabled is set",
    last=V6_2,
)
# PrincipalAttributeMultifactorAuthenticationTrigger#resolveSingleMultifactorProvider: 6.2/6.3 took the
# value regex with String#matches; 6.5+ with RegexUtils.find. 6.4 is not settled by the source read;
# the reference takes 6.4 with the later form, as its properties already moved to the 6.5 layout.
PRINCIPAL_REGEX_MATCHES_WHOLE = VersionRule(
    "with one provider, the global principal trigger's value regex must match the whole value, "
    "case-sensitively",
    last=V6_2,
)
# RegisteredServicePrincipalAttributeMultifactorAuthenticationTrigger, its
# unmatchedMultifactorAuthenticationTrigger (no deny in the 6.2/6.3 source or tests).
SERVICE_TRIGGER_DENIES_UNMATCHED = VersionRule(
    "the service's principal attribute trigger denies an unmatched login when deny-if-unmatched is set",
    first=V6_4,
)
# TrustedDevicesMultifactorProperties: DeviceFingerprintProperties#clientIp.
CLIENT_IP_IN_FINGERPRINT = VersionRule(
    "the client address is a component of the device fingerprint by default", last=V6_5
)
# RegisteredServiceMultifactorPolicy#bypassIfMissingPrincipalAttribute.
BYPASS_IF_MISSING_ATTRIBUTE = VersionRule(
    "a service's multifactor policy has bypassIfMissingPrincipalAttribute", first=V7
)
