"""The suite's pytest plugin, exercised through pytester as a user's run would."""

from __future__ import annotations

import textwrap

import pytest

FEATURE = """
@needs:deployment-profile
Feature: a tiny suite

  Background:
    Given CAS offers the YubiKey provider

  @FM-06 @needs:provider-outage
  Scenario: closed when down
    Given the application https://app.example.org requires mfa-yubikey with failure mode CLOSED
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    Then the "MFA Provider Unavailable" page is shown

  @BY-02
  Scenario: a deliberately wrong expectation
    Given the YubiKey provider's bypass.principal-attribute-name is "superAdmin"
    And the application https://app.example.org requires mfa-yubikey
    And a user whose superAdmin is "true"
    When the user logs in to https://app.example.org
    Then CAS asks for the YubiKey factor
"""


def make_suite(pytester: pytest.Pytester, feature: str = FEATURE) -> None:
    pytester.makeconftest(
        'pytest_plugins = ["mocks.pytest_plugin", "steps.plugin", "steps.given", "steps.when", "steps.then"]'
    )
    pytester.makeini(
        "[pytest]\naddopts = --strict-markers\nbdd_features_base_dir = features\n"
        "markers =\n    capability(name): c\n    cas_version(range): v\n"
    )
    pytester.mkdir("features")
    (pytester.path / "features" / "tiny.feature").write_text(textwrap.dedent(feature))
    pytester.makepyfile(test_tiny="from pytest_bdd import scenarios\nscenarios('.')\n")


def test_requirement_tags_select_scenarios(pytester: pytest.Pytester) -> None:
    make_suite(pytester)
    result = pytester.runpytest_subprocess("-m", "FM-06", "-q")
    result.assert_outcomes(passed=1, deselected=1)


def test_a_failure_names_the_faker_seed_and_shows_the_decision(pytester: pytest.Pytester) -> None:
    make_suite(pytester)
    result = pytester.runpytest_subprocess("-m", "BY-02", "--faker-seed", "7")
    result.assert_outcomes(failed=1, deselected=1)
    result.stdout.fnmatch_lines(
        [
            "*faker seed * (run with --faker-seed=7)*",
            "*what the ref target decided*",
            "*bypass: principal attribute rule: principal attribute superAdmin matches 'superAdmin'*",
        ]
    )


def test_an_unknown_tag_is_refused(pytester: pytest.Pytester) -> None:
    make_suite(pytester, FEATURE.replace("@FM-06", "@FM-99"))
    result = pytester.runpytest_subprocess()
    assert result.ret != 0
    result.stderr.fnmatch_lines(
        ["*unknown tag @FM-99*"]
    ) if result.stderr.lines else result.stdout.fnmatch_lines(["*unknown tag @FM-99*"])


def test_a_missing_capability_is_reported_not_applicable(pytester: pytest.Pytester) -> None:
    make_suite(pytester, FEATURE.replace("@needs:provider-outage", "@needs:provider-outage @needs:bogus"))
    result = pytester.runpytest_subprocess()
    assert result.ret != 0
    ((result.stderr.lines and result.stderr) or result.stdout).fnmatch_lines(
        ["*unknown capability tag @needs:bogus*"]
    )
