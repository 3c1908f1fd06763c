"""The conformance suite over HTTP against django-cas-server, a real CAS server nobody here wrote.

The suite runs as a user runs it, in a subprocess with a bounded time:
``pytest steps --target http --cas-url URL --target-config tests/servers/django_cas/target.toml
--conformance-json FILE``. Its record must show every scenario of features/protocol.feature passed and
every other scenario not applicable with the missing capability named, and the run must end cleanly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_bdd.parser import FeatureParser

from steps.targets.base import CAPABILITIES
from tests.servers.conftest import DjangoCasServer
from tests.servers.process import ROOT

FEATURES = ROOT / "features"
PROTOCOL = "features/protocol.feature"
SECOND_FACTOR = "features/second_factor.feature"
TARGET_FILE = ROOT / "tests" / "servers" / "django_cas" / "target.toml"
SUITE_TIMEOUT = 600.0  # seconds; the run takes well under a minute
TAIL = 6000

Key = tuple[str, str, tuple[tuple[str, str], ...]]


def _feature(name: str) -> str:
    """A feature file as the record names it. pytest-bdd names it by its folder and file name
    (``features/protocol.feature``, ``triggers/adaptive.feature``); the last two parts compare either way."""
    return "/".join(name.replace("\\", "/").split("/")[-2:])


def _key(feature: str, scenario: str, example: dict[str, str] | None) -> Key:
    return _feature(feature), scenario, tuple(sorted((example or {}).items()))


def expected_scenarios() -> Iterator[Key]:
    """Every (feature file, scenario, Examples row) of features/, as pytest-bdd expands them."""
    for path in sorted(FEATURES.rglob("*.feature")):
        feature = FeatureParser(str(FEATURES), path.relative_to(FEATURES).as_posix()).parse()
        for name, template in feature.scenarios.items():
            rows: list[dict[str, str] | None] = [
                row for examples in template.examples for row in examples.as_contexts()
            ]
            for row in rows or [None]:
                yield _key(path.relative_to(ROOT).as_posix(), name, row)


def _tail(text: str) -> str:
    """The end of a pytest run's output: its short summary and the conformance counts, when it has them."""
    lines = text.splitlines()
    counts = [line for line in lines if line.startswith("conformance ")]
    start = next((i for i, line in enumerate(lines) if "short test summary info" in line), None)
    if start is not None:
        text = "\n".join([*counts, *lines[start:]])
    return text if len(text) <= TAIL else "...\n" + text[-TAIL:]


@pytest.fixture(scope="module")
def suite_run(django_cas_server: DjangoCasServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run the suite once against the server; the record, with the run's output kept for messages."""
    record_path = tmp_path_factory.mktemp("django-cas-suite") / "record.json"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "steps",
        "--target",
        "http",
        "--cas-url",
        django_cas_server.cas_url,
        "--target-config",
        str(TARGET_FILE),
        "--conformance-json",
        str(record_path),
        "-p",
        "no:cacheprovider",
        "-q",
    ]
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")}
    try:
        completed = subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=SUITE_TIMEOUT,
        )
    except subprocess.TimeoutExpired as error:
        output = (
            error.stdout if isinstance(error.stdout, str) else (error.stdout or b"").decode(errors="replace")
        )
        pytest.fail(
            f"the suite did not finish within {SUITE_TIMEOUT:g} s against {django_cas_server.cas_url}:\n"
            f"{_tail(output)}\n{django_cas_server.server.describe()}",
            pytrace=False,
        )
    output = f"$ {' '.join(command)}\n{completed.stdout}\n{completed.stderr}"
    if not django_cas_server.server.alive():
        pytest.fail(
            f"django-cas-server died during the run: {django_cas_server.server.describe()}", pytrace=False
        )
    if not record_path.is_file():
        pytest.fail(
            f"the suite (exit status {completed.returncode}) wrote no conformance record:\n{_tail(output)}",
            pytrace=False,
        )
    record: dict[str, Any] = json.loads(record_path.read_text(encoding="utf-8"))
    record["_output"] = output
    record["_returncode"] = completed.returncode
    return record


def test_the_run_ends_cleanly_with_a_verdict_for_every_scenario(suite_run: dict[str, Any]) -> None:
    assert suite_run["_returncode"] == 0, (
        f"the suite failed against django-cas-server:\n{_tail(suite_run['_output'])}"
    )
    scenarios = suite_run["scenarios"]
    seen = [_key(s["feature"], s["scenario"], s["example"]) for s in scenarios]
    expected = list(expected_scenarios())
    assert sorted(seen) == sorted(expected), (
        f"missing from the record: {sorted(set(expected) - set(seen))[:10]}; "
        f"not in features/: {sorted(set(seen) - set(expected))[:10]}"
    )
    assert not [s for s in scenarios if s["verdict"] == "fail"]
    assert suite_run["run"]["counts"]["scenarios"]["total"] == len(expected)


def test_every_protocol_scenario_passes(suite_run: dict[str, Any]) -> None:
    protocol = [s for s in suite_run["scenarios"] if _feature(s["feature"]) == PROTOCOL]
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
    portable = [s for s in suite_run["scenarios"] if _feature(s["feature"]) == SECOND_FACTOR]
    assert len(portable) >= 10
    wrong = [
        s for s in portable if s["verdict"] != "not-applicable" or "lacks role '" not in (s["reason"] or "")
    ]
    assert not wrong, wrong[:3]


def test_every_other_scenario_is_not_applicable_naming_the_missing_capability(
    suite_run: dict[str, Any],
) -> None:
    others = [s for s in suite_run["scenarios"] if _feature(s["feature"]) not in (PROTOCOL, SECOND_FACTOR)]
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
