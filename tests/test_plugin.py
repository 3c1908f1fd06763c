"""The suite's pytest plugin, exercised through pytester as a user's run would."""

from __future__ import annotations

import importlib
import textwrap
from importlib.metadata import version

import pytest

from steps.plugin import step_lookup_problem

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
        'pytest_plugins = ["mocks.pytest_plugin", "steps.plugin", "steps.given", "steps.provider_steps", "steps.when", "steps.then"]'
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


# -- the step lookup cache (steps.plugin._cache_step_lookup) and pytest-bdd's private lookup it replaces --


def test_the_step_lookup_cache_fits_the_installed_pytest_bdd() -> None:
    problem = step_lookup_problem()
    assert problem is None, (
        f"pytest-bdd {version('pytest-bdd')} changed the private step lookup steps/plugin.py caches: "
        f"{problem}. The suite runs, uncached and slower; adapt _cache_step_lookup to this version and "
        "widen the pin of pytest-bdd in pyproject.toml, or install a version the pin allows"
    )


def test_a_changed_step_lookup_is_noticed(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = importlib.import_module("pytest_bdd.scenario")  # the module (the package exports a function)
    monkeypatch.setattr(scenario, "find_fixturedefs_for_step", lambda step, fixturemanager: [])
    assert "takes ['step', 'fixturemanager']" in (step_lookup_problem() or "")
    monkeypatch.delattr(scenario, "find_fixturedefs_for_step")
    assert step_lookup_problem() == "pytest_bdd.scenario has no find_fixturedefs_for_step"


# The tiny suite, with every expectation right: a run in which each step's lookup is compared.
LOOKUP_FEATURE = FEATURE.replace(
    "Scenario: a deliberately wrong expectation", "Scenario: bypassed for an attribute"
).replace(
    "    Then CAS asks for the YubiKey factor\n",
    "    Then CAS issues a service ticket\n    And ticket validation succeeds for the user\n",
)

# Before each step, the cached lookup and pytest-bdd's own must find the same definitions.
COMPARE_LOOKUPS = """
import importlib

def pytest_bdd_before_step(request, step):
    lookup = importlib.import_module("pytest_bdd.scenario").find_fixturedefs_for_step
    assert getattr(lookup, "cached", False), "the step lookup cache is not installed"
    found = list(lookup(step, request._fixturemanager, request.node))
    expected = list(lookup.original(step, request._fixturemanager, request.node))
    assert found == expected, f"{step.name}: the cache finds {found}, pytest-bdd {expected}"
"""


def test_the_cached_step_lookup_finds_what_pytest_bdd_finds(pytester: pytest.Pytester) -> None:
    make_suite(pytester, LOOKUP_FEATURE)
    conftest = (pytester.path / "conftest.py").read_text()
    (pytester.path / "conftest.py").write_text(conftest + "\n" + COMPARE_LOOKUPS)
    result = pytester.runpytest_subprocess("-q")
    result.assert_outcomes(passed=2)
