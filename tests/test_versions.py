"""CAS versions: one ordered type, parsed from the profile's setting, and rules with their ranges."""

from __future__ import annotations

import pytest

from cas_mfa_ref import versions
from cas_mfa_ref.versions import MODELLED, V6_2, V6_4, V6_5, V7, VersionRule, parse_version


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("7", V7),
        ("7.x", V7),
        ("7.2", V7),
        (" 7.0.x ", V7),
        ("6.6", V6_5),
        ("6.5", V6_5),
        ("6.x", V6_5),
        ("6", V6_5),
        ("6.6.x", V6_5),
        ("6.4", V6_4),
        ("6.3", V6_2),
        ("6.2", V6_2),
    ],
)
def test_a_written_version_selects_its_rule_set(written: str, expected: versions.CasVersion) -> None:
    assert parse_version(written) == expected


@pytest.mark.parametrize("written", ["", "5.3", "6.1", "6.7", "8", "seven", "6..4"])
def test_a_version_the_reference_does_not_model_is_none(written: str) -> None:
    assert parse_version(written) is None


def test_rule_sets_are_ordered_oldest_first() -> None:
    assert list(MODELLED) == sorted(MODELLED)
    assert V6_2 < V6_4 < V6_5 < V7
    assert V7 >= V6_5 and not V6_4 >= V6_5
    assert str(V6_2) == "6.2/6.3" and str(V7) == "7.x"


def test_a_rule_holds_over_its_range_inclusive() -> None:
    rule = VersionRule("from 6.4 to 6.6", first=V6_4, last=V6_5)
    assert [rule.holds(v) for v in MODELLED] == [False, True, True, False]
    assert [VersionRule("to the newest", first=V6_5).holds(v) for v in MODELLED] == [False, False, True, True]
    assert [VersionRule("up to 6.3", last=V6_2).holds(v) for v in MODELLED] == [True, False, False, False]


@pytest.mark.parametrize(
    ("rule", "holds_for"),
    [
        (versions.FAILURE_MODE_IN_BYPASS_ACTION, (V6_5, V7)),
        (versions.PHANTOM_CONTEXT_AT_PRIMARY, (V6_5, V7)),
        (versions.PROVIDER_FAILURE_MODE_CLOSED, (V6_4, V6_5, V7)),
        (versions.ID_MATCH_EQUALS, (V7,)),
        (versions.ID_MATCH_FINDS, (V6_5,)),
        (versions.BYPASS_MATCH_FINDS, (V6_4, V6_5, V7)),
        (versions.BYPASS_VALUES_LISTED, (V7,)),
        (versions.REST_BYPASS_UNREACHABLE_BYPASSES, (V6_4, V6_5, V7)),
        (versions.REST_BYPASS_ANY_2XX_RUNS, (V7,)),
        (versions.REST_TRIGGER_UNREACHABLE_FAILS, (V6_4, V6_5, V7)),
        (versions.SERVICE_TRIGGER_DENIES_UNMATCHED, (V6_4, V6_5, V7)),
        (versions.PRINCIPAL_REGEX_MATCHES_WHOLE, (V6_2,)),
        (versions.CLIENT_IP_IN_FINGERPRINT, (V6_2, V6_4, V6_5)),
        (versions.SERVICE_BYPASS_RULE_NEEDS_ENABLED, (V6_2,)),
        (versions.BYPASS_IF_MISSING_ATTRIBUTE, (V7,)),
    ],
)
def test_each_version_rule_holds_for_the_releases_cas_source_shows(
    rule: VersionRule, holds_for: tuple[versions.CasVersion, ...]
) -> None:
    """The ranges, written from the CAS classes each rule names (see docs/fidelity.md)."""
    assert tuple(v for v in MODELLED if rule.holds(v)) == holds_for, rule.statement
