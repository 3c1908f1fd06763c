"""The conformance suite over HTTP against django-cas-server, a real CAS server nobody here wrote.

The suite runs as a user runs it, in a subprocess with a bounded time:
``pytest steps --target http --cas-url URL --target-config tests/servers/django_cas/target.toml
--conformance-json FILE``. Its record must show every scenario of features/protocol.feature passed and
every other scenario not applicable with the missing capability named, and the run must end cleanly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests

from steps.targets.base import CAPABILITIES
from tests.servers.conftest import DjangoCasServer
from tests.servers.forms import form_with
from tests.servers.process import ROOT
from tests.servers.suiterun import expected_scenarios, feature_of, key_of, run_suite, tail

PROTOCOL = "features/protocol.feature"
SECOND_FACTOR = "features/second_factor.feature"
TARGET_FILE = ROOT / "tests" / "servers" / "django_cas" / "target.toml"


@pytest.fixture(scope="module")
def suite_run(django_cas_server: DjangoCasServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run the suite once against the server; the record, with the run's output kept for messages."""
    record_path = tmp_path_factory.mktemp("django-cas-suite") / "record.json"
    record = run_suite("django-cas-server", django_cas_server.cas_url, TARGET_FILE, record_path)
    if not django_cas_server.server.alive():
        pytest.fail(
            f"django-cas-server died during the run: {django_cas_server.server.describe()}", pytrace=False
        )
    return record


def test_the_run_ends_cleanly_with_a_verdict_for_every_scenario(suite_run: dict[str, Any]) -> None:
    assert suite_run["_returncode"] == 0, (
        f"the suite failed against django-cas-server:\n{tail(suite_run['_output'])}"
    )
    scenarios = suite_run["scenarios"]
    seen = [key_of(s["feature"], s["scenario"], s["example"]) for s in scenarios]
    expected = list(expected_scenarios())
    assert sorted(seen) == sorted(expected), (
        f"missing from the record: {sorted(set(expected) - set(seen))[:10]}; "
        f"not in features/: {sorted(set(seen) - set(expected))[:10]}"
    )
    assert not [s for s in scenarios if s["verdict"] == "fail"]
    assert suite_run["run"]["counts"]["scenarios"]["total"] == len(expected)


def test_every_protocol_scenario_passes(suite_run: dict[str, Any]) -> None:
    protocol = [s for s in suite_run["scenarios"] if feature_of(s["feature"]) == PROTOCOL]
    expected = [key for key in expected_scenarios() if key[0] == PROTOCOL]
    assert len(protocol) == len(expected) >= 14
    not_passed = [
        f"{s['scenario']} {s['example'] or ''}: {s['verdict']}: {s['reason']}"
        for s in protocol
        if s["verdict"] != "pass"
    ]
    assert not not_passed, "\n".join(not_passed)


def test_the_second_factor_scenarios_are_not_applicable_naming_the_role_no_application_fills(
    suite_run: dict[str, Any],
) -> None:
    portable = [s for s in suite_run["scenarios"] if feature_of(s["feature"]) == SECOND_FACTOR]
    assert len(portable) >= 10
    wrong = [
        s for s in portable if s["verdict"] != "not-applicable" or "lacks role '" not in (s["reason"] or "")
    ]
    assert not wrong, wrong[:3]


def test_every_other_scenario_is_not_applicable_naming_the_missing_capability(
    suite_run: dict[str, Any],
) -> None:
    others = [s for s in suite_run["scenarios"] if feature_of(s["feature"]) not in (PROTOCOL, SECOND_FACTOR)]
    assert others
    wrong = []
    for s in others:
        capability = s["capability"]
        if (
            s["verdict"] != "not-applicable"
            or not capability
            or f"lacks capability '{capability}'" not in (s["reason"] or "")
        ):
            wrong.append(
                f"{s['feature']}: {s['scenario']} {s['example'] or ''}: {s['verdict']}: {s['reason']}"
            )
    assert not wrong, f"{len(wrong)} of {len(others)}:\n" + "\n".join(wrong[:30])
    # django-cas-server has SSO and nothing else: what is missing is a profile or an MFA capability.
    assert {s["capability"] for s in others} <= set(CAPABILITIES) - {"sso"}


# -- the same deployment with its own login page ------------------------------------------------------


def test_the_house_login_page_has_none_of_the_usual_field_names(
    django_cas_house_server: DjangoCasServer,
) -> None:
    """Not a vacuous run: the page the driver must cope with names no field ``username``, and a post
    that drops the hidden field is refused."""
    page = requests.get(f"{django_cas_house_server.cas_url}/login", timeout=15)
    attrs, values = form_with(page.text, "account", "passphrase", "house_nonce")
    assert "username" not in values and "password" not in values
    refused = requests.post(
        urljoin(page.url, attrs.get("action") or ""),
        data={"account": "casuser", "passphrase": "Mellon", "go": "sign-in"},
        cookies=page.cookies,
        timeout=15,
    )
    assert refused.status_code == 400 and "house_nonce" in refused.text


def test_the_protocol_scenarios_pass_on_the_house_login_page_without_an_override(
    django_cas_house_server: DjangoCasServer, tmp_path: Path
) -> None:
    """The same target file, no [driver] table: the login form is found by its structure, its hidden
    field travels back and the first button's name and value are sent."""
    record = run_suite(
        "django-cas-server (house login page)",
        django_cas_house_server.cas_url,
        TARGET_FILE,
        tmp_path / "record.json",
        extra=["-k", "protocol"],
    )
    assert record["_returncode"] == 0, tail(record["_output"])
    protocol = [s for s in record["scenarios"] if feature_of(s["feature"]) == PROTOCOL]
    assert len(protocol) >= 14 and all(s["verdict"] == "pass" for s in protocol), [
        (s["scenario"], s["verdict"], s["reason"]) for s in protocol if s["verdict"] != "pass"
    ]
