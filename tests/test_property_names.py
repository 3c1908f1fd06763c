"""The suite's table of older CAS property names (steps/property_names.py) against the reference's own
(cas_mfa_ref/config/renames.py). The two are written independently, from CAS's configuration classes;
each disagreement is named, so that a wrong entry on either side is found rather than passing on both.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cas_mfa_ref.config.renames import RENAMES, name_in
from cas_mfa_ref.versions import CasVersion, parse_version
from steps.deployment import Deployment
from steps.property_names import (
    CAS_6_2_TO_6_3,
    CAS_6_4_TO_6_6,
    CAS_7,
    FAMILIES,
    OLD_NAMES,
    VERSION_PROPERTY,
    name_for,
    version_family,
)

# Every way a deployment might write its version, accepted or not by either side.
SPELLINGS = (
    *("7", "7.x", "7.X", " 7.0 ", "7.1", "7.2", "7.3", "7.0.x", "7.3.x"),
    *("6", "6.x", "6.2", "6.3", "6.4", "6.5", "6.6", "6.2.x", "6.4.x", "6.6.x"),
    *("7.4", "8", "6.1", "6.7", "5.3", "6.0", "7.x.x", "", "seven", "6.6.1", "v7"),
)


def _fold(name: str) -> str:
    return name.lower().replace("-", "").replace("_", "")


def _reference_table(version: CasVersion) -> dict[str, str]:
    """The reference's renames for one of its rule sets, as 7.x name -> the name that version reads."""
    return {_fold(r.modern): r.old for r in RENAMES if r.versions.holds(version)}


def _suite_table(family: str) -> dict[str, str]:
    return {_fold(modern): old for modern, old in OLD_NAMES[family].items()}


def _modern_spelling(folded: str) -> str:
    names = [*(r.modern for r in RENAMES), *(m for table in OLD_NAMES.values() for m in table)]
    return next((n for n in names if _fold(n) == folded), folded)


def test_both_sides_accept_the_same_version_spellings() -> None:
    problems = [
        f"reference.cas-version={spelling!r}: the suite reads family {version_family(spelling)}, "
        f"the reference rule set {parse_version(spelling)}"
        for spelling in SPELLINGS
        if (version_family(spelling) is None) != (parse_version(spelling) is None)
    ]
    assert not problems, "\n".join(problems)


def test_each_version_reads_the_same_old_names_on_both_sides() -> None:
    # each pairing of the suite's family with the reference's rule set, and the spellings that make it
    pairs: dict[tuple[str, CasVersion], list[str]] = {}
    for spelling in SPELLINGS:
        family, version = version_family(spelling), parse_version(spelling)
        if family is not None and version is not None:
            pairs.setdefault((family, version), []).append(spelling.strip())
    problems: list[str] = []
    for (family, version), spellings in pairs.items():
        suite, reference = _suite_table(family), _reference_table(version)
        where = f"CAS {', '.join(spellings)} (suite: {family}; reference: {version})"
        for folded in sorted(suite.keys() | reference.keys()):
            ours, theirs = suite.get(folded), reference.get(folded)
            if ours is None or theirs is None or _fold(ours) != _fold(theirs):
                problems.append(
                    f"{where}: {_modern_spelling(folded)} is read as {ours or 'its 7.x name'} by the suite, "
                    f"as {theirs or 'its 7.x name'} by the reference"
                )
    assert not problems, "\n".join(problems)


def test_every_family_is_covered_by_some_reference_rule_set() -> None:
    covered = {version_family(s) for s in SPELLINGS if parse_version(s) is not None}
    assert covered == set(FAMILIES)


# Names as the steps write them, with the tails and spellings relaxed binding allows.
SAMPLE_NAMES = (
    *(modern for table in OLD_NAMES.values() for modern in table),
    *(r.modern for r in RENAMES),
    "cas.authn.mfa.triggers.rest.url",
    "cas.authn.mfa.triggers.rest.method",
    "cas.authn.adaptive.policy.require-multifactor.mfa-yubikey",
    "cas.authn.adaptive.policy.require-timed-multifactor[0].provider-id",
    "cas.authn.adaptive.policy.require-timed-multifactor[0].on-days",
    "cas.authn.mfa.core.globalFailureMode",
    "cas.authn.mfa.triggers.global.global_provider_id",
    "cas.authn.mfa.core.provider-selection.provider-selection-optional",
    "cas.authn.mfa.yubikey.failure-mode",
    "cas.authn.mfa.duo[0].duo-api-host",
    "cas.authn.mfa.core.content-type",
)


def test_every_name_is_written_as_the_reference_would_read_it() -> None:
    problems = []
    for spelling in ("7.x", "6.6", "6.5", "6.4", "6.3", "6.2"):
        family, version = version_family(spelling), parse_version(spelling)
        assert family is not None and version is not None
        for name in dict.fromkeys(SAMPLE_NAMES):
            ours, theirs = name_for(name, family), name_in(name, version)
            if ours != theirs:
                problems.append(f"CAS {spelling}: {name} -> suite {ours}, reference {theirs}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("name", "family", "expected"),
    [
        ("cas.authn.mfa.core.global-failure-mode", CAS_7, "cas.authn.mfa.core.global-failure-mode"),
        ("cas.authn.mfa.core.global-failure-mode", CAS_6_4_TO_6_6, "cas.authn.mfa.core.global-failure-mode"),
        ("cas.authn.mfa.core.global-failure-mode", CAS_6_2_TO_6_3, "cas.authn.mfa.global-failure-mode"),
        ("cas.authn.mfa.core.globalFailureMode", CAS_6_2_TO_6_3, "cas.authn.mfa.global-failure-mode"),
        ("cas.authn.mfa.triggers.rest.url", CAS_6_2_TO_6_3, "cas.authn.mfa.rest.url"),
        (
            "cas.authn.adaptive.policy.require-timed-multifactor[0].provider-id",
            CAS_6_2_TO_6_3,
            "cas.authn.adaptive.require-timed-multifactor[0].provider-id",
        ),
        (
            "cas.authn.adaptive.policy.require-multifactor.mfa-yubikey",
            CAS_6_2_TO_6_3,
            "cas.authn.adaptive.require-multifactor.mfa-yubikey",
        ),
        ("cas.authn.mfa.groovy-script.location", CAS_6_2_TO_6_3, "cas.authn.mfa.groovy-script"),
        (
            "cas.authn.mfa.core.provider-selection.provider-selection-enabled",
            CAS_6_4_TO_6_6,
            "cas.authn.mfa.core.provider-selection-enabled",
        ),
        (
            "cas.authn.mfa.core.provider-selection.provider-selection-enabled",
            CAS_6_2_TO_6_3,
            "cas.authn.mfa.provider-selection-enabled",
        ),
        # a name that merely begins like a listed one is not under it
        ("cas.authn.mfa.triggers.restful", CAS_6_2_TO_6_3, "cas.authn.mfa.triggers.restful"),
        ("cas.authn.mfa.duo[0].rank", CAS_6_2_TO_6_3, "cas.authn.mfa.duo[0].rank"),
    ],
)
def test_name_for(name: str, family: str, expected: str) -> None:
    assert name_for(name, family) == expected


@pytest.mark.parametrize(
    ("written", "family"),
    [
        ("7.x", CAS_7),
        ("7.3", CAS_7),
        ("6.x", CAS_6_4_TO_6_6),
        ("6.4", CAS_6_4_TO_6_6),
        ("6.2.x", CAS_6_2_TO_6_3),
    ],
)
def test_version_family(written: str, family: str) -> None:
    assert version_family(written) == family


def test_a_deployment_under_an_older_version_is_written_with_its_names(tmp_path: Path) -> None:
    deployment = Deployment()
    deployment.set(VERSION_PROPERTY, "6.3")
    deployment.set("cas.authn.mfa.core.global-failure-mode", "OPEN")
    deployment.set("cas.authn.mfa.triggers.global.global-provider-id", "mfa-yubikey", as_written=True)
    deployment.set("cas.authn.mfa.yubikey.rank", "1")
    lines = (deployment.write(tmp_path) / "cas.properties").read_text().splitlines()
    assert lines == [
        "reference.cas-version=6.3",
        "cas.authn.mfa.global-failure-mode=OPEN",
        "cas.authn.mfa.triggers.global.global-provider-id=mfa-yubikey",  # as the scenario wrote it
        "cas.authn.mfa.yubikey.rank=1",
    ]


def test_an_unknown_version_leaves_the_names_alone(tmp_path: Path) -> None:
    deployment = Deployment()
    deployment.set(VERSION_PROPERTY, "5.3")
    deployment.set("cas.authn.mfa.core.global-failure-mode", "OPEN")
    text = (deployment.write(tmp_path) / "cas.properties").read_text()
    assert "cas.authn.mfa.core.global-failure-mode=OPEN" in text
