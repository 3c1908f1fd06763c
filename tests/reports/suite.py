"""A tiny conformance suite for pytester: one scenario per verdict, and the deviation file that goes with it."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

FEATURE = """
@needs:deployment-profile
Feature: a tiny suite

  Background:
    Given CAS offers the YubiKey provider

  @FM-06 @needs:provider-outage
  Scenario Outline: <mode> when down
    Given the application https://app.example.org requires mfa-yubikey with failure mode <mode>
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    Then the "MFA Provider Unavailable" page is shown

    Examples:
      | mode   |
      | CLOSED |

  @FM-07 @needs:provider-outage
  Scenario: open when down lets the ticket through
    Given the application https://app.example.org requires mfa-yubikey with failure mode OPEN
    And the YubiKey provider is unavailable
    When casuser logs in to https://app.example.org
    Then CAS issues a service ticket

  @BY-02
  Scenario: a deliberately wrong expectation
    Given the YubiKey provider's bypass.principal-attribute-name is "superAdmin"
    And the application https://app.example.org requires mfa-yubikey
    And a user whose superAdmin is "true"
    When the user logs in to https://app.example.org
    Then CAS asks for the YubiKey factor

  @BY-08 @PR-03
  Scenario: a deviation we know about
    Given the YubiKey provider's bypass.principal-attribute-name is "superAdmin"
    And the application https://app.example.org requires mfa-yubikey
    And a user whose superAdmin is "true"
    When the user logs in to https://app.example.org
    Then CAS asks for the YubiKey factor

  @PR-03 @FM-06 @needs:sso
  Scenario: needs an SSO session
    Given the application https://app.example.org requires mfa-yubikey
    When casuser logs in to https://app.example.org
    Then CAS asks for the YubiKey factor
"""

DEVIATIONS = """
[[deviation]]
scenario = "a deviation we know about"
reason = "this CAS asks for the factor anyway"
"""

# The reference lacks "sso" in these runs, so that one scenario is not applicable for want of it.
CONFTEST = """
from steps.targets.reference import ReferenceTarget

ReferenceTarget.capabilities = ReferenceTarget.capabilities - {"sso"}

pytest_plugins = [
    "mocks.pytest_plugin", "steps.plugin", "steps.given", "steps.provider_steps", "steps.when", "steps.then",
    "steps.reports.deviations", "steps.reports.plugin",
]
"""


def make_suite(
    pytester: pytest.Pytester, feature: str = FEATURE, deviations: str = DEVIATIONS, conftest: str = CONFTEST
) -> None:
    pytester.makeconftest(conftest)
    pytester.makeini(
        "[pytest]\naddopts = --strict-markers -p no:cacheprovider\nbdd_features_base_dir = features\n"
        "markers =\n    capability(name): c\n    cas_version(range): v\n"
    )
    pytester.mkdir("features")
    (pytester.path / "features" / "tiny.feature").write_text(textwrap.dedent(feature))
    (pytester.path / "deviations.toml").write_text(deviations)
    pytester.makepyfile(test_tiny="from pytest_bdd import scenarios\nscenarios('.')\n")


def run_with_record(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, dict[str, Any]]:
    result = pytester.runpytest_subprocess(
        "--conformance-json", "record.json", "--conformance-html", "record.html", *args
    )
    record = json.loads(Path(pytester.path / "record.json").read_text(encoding="utf-8"))
    return result, record


def by_name(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {scenario["scenario"]: scenario for scenario in record["scenarios"]}
