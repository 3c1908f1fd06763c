"""The reports plugin: verdicts into JUnit properties, ``--conformance-json`` and ``--conformance-html``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from steps.plugin import WORLD_KEY, requirement_ids, run_description
from steps.reports.deviations import DEVIATION_KEY
from steps.reports.failures import exchange_entries, step_text
from steps.reports.html_page import render
from steps.reports.observations import CALLS_KEY, observations
from steps.reports.record import ScenarioResult, build_record
from steps.reports.scenario import scenario_of
from steps.reports.verdicts import FAIL, KNOWN_DEVIATION, NOT_APPLICABLE, VERDICTS, Outcome, outcome

COLLECTOR_KEY = pytest.StashKey["ReportCollector"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cas-mfa-conformance")
    group.addoption(
        "--conformance-json",
        metavar="FILE",
        default=None,
        help="write the JSON conformance record: verdict per scenario and per requirement, observations",
    )
    group.addoption(
        "--conformance-html",
        metavar="FILE",
        default=None,
        help="write the conformance matrix as one self-contained HTML page",
    )


class ReportCollector:
    """Gathers each test's reports; at its teardown, its verdict (JUnit properties) and scenario result."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.json_path = config.getoption("--conformance-json")
        self.html_path = config.getoption("--conformance-html")
        self.started = datetime.now(UTC)
        self.items: dict[str, pytest.Item] = {}
        self.reports: dict[str, list[pytest.TestReport]] = {}
        self.results: list[ScenarioResult] = []
        self.summary: dict[str, dict[str, int]] | None = None
        self.failed_steps: dict[str, str] = {}  # node id: the step that failed, until the test's teardown
        self.exchanges: dict[str, list[dict[str, Any]]] = {}  # node id: a failed call's HTTP exchanges

    @property
    def wanted(self) -> bool:
        return bool(self.json_path or self.html_path)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self.items.update((item.nodeid, item) for item in items)

    def pytest_bdd_step_error(self, request: pytest.FixtureRequest, step: Any) -> None:
        if self.wanted:
            self.failed_steps[request.node.nodeid] = step_text(step.keyword, step.name)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.reports.setdefault(report.nodeid, []).append(report)
        item = self.items.get(report.nodeid)
        if item is None:
            return
        if report.when == "call" and report.failed and self.wanted:
            self._keep_exchanges(item)
        if report.when != "teardown":
            return
        deviation = item.stash.get(DEVIATION_KEY, None)
        result = outcome(self.reports.pop(report.nodeid), deviation.reason if deviation else None)
        ids = requirement_ids(item)
        report.user_properties.extend(self._properties(ids, result))
        # This is the log's one reader: let go of it here, or every scenario's results (engine traces
        # and all) would live to the end of the session, walked by each full garbage collection.
        log = item.stash.get(CALLS_KEY, [])
        if CALLS_KEY in item.stash:
            del item.stash[CALLS_KEY]
        info = scenario_of(item)
        failed_step = self.failed_steps.pop(report.nodeid, None)
        exchanges = self.exchanges.pop(report.nodeid, [])
        if result.verdict != FAIL:  # a known deviation's step fails too, as expected: not a failure to show
            failed_step = None
        if info is not None and self.wanted:
            calls = observations(log)
            self.results.append(
                ScenarioResult(report.nodeid, info, ids, result, calls, failed_step, exchanges)
            )

    def _keep_exchanges(self, item: pytest.Item) -> None:
        """The target's HTTP exchanges, read as the call's report is logged: teardown drops the world."""
        world = item.stash.get(WORLD_KEY, None)
        # getattr: a target from before the protocol had ``exchanges`` must not break the report.
        exchanges = getattr(world.target, "exchanges", None) if world is not None else None
        if exchanges is not None:
            self.exchanges[item.nodeid] = exchange_entries(exchanges())

    @staticmethod
    def _properties(ids: list[str], result: Outcome) -> list[tuple[str, object]]:
        properties: list[tuple[str, object]] = [("requirement", rid) for rid in ids]
        properties.append(("verdict", result.verdict))
        if result.verdict == NOT_APPLICABLE:
            properties.append(("not_applicable", result.capability or result.reason or ""))
        if result.verdict == KNOWN_DEVIATION:
            properties.append(("known_deviation", result.reason or ""))
        return properties

    def record(self) -> dict[str, Any]:
        option = self.config.getoption
        # At the end of the session: ref-http's target file exists only once a scenario started the server.
        run = run_description(self.config) | {
            "faker_seed": option("--faker-seed", None),
            "started": self.started.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "args": list(self.config.invocation_params.args),
        }
        return build_record(run, self.results)

    # tryfirst: before the JUnit writer's own session finish, which writes the file.
    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self) -> None:
        self._junit_properties()
        if not self.wanted:
            return
        record = self.record()
        if self.json_path:
            _write(self.json_path, json.dumps(record, indent=1, ensure_ascii=False) + "\n")
        if self.html_path:
            _write(self.html_path, render(record))
        self.summary = record["run"]["counts"]

    def _junit_properties(self) -> None:
        """What the run was pointed at, as properties of the JUnit XML's test suite."""
        # pytest's public way, the record_testsuite_property fixture, needs a test that sets fixtures up: a
        # run where every scenario is not applicable has none, and ref-http's URL is known only at the end.
        # So the JUnit writer is reached through its stash key, which pytest does not export.
        try:
            from _pytest.junitxml import xml_key
        except ImportError:  # a pytest that moved it: the JSON and HTML reports still say it
            return
        xml = self.config.stash.get(xml_key, None)
        if xml is None:
            return
        for name, value in run_description(self.config).items():
            if value is not None:
                xml.add_global_property(name, value)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        run = run_description(self.config)
        if run["cas_url"]:  # a CAS reached over HTTP
            digest = (run["target_file_sha256"] or "")[:12]
            terminalreporter.write_line(
                f"conformance run: target {run['target']}, CAS {run['cas_url']}, "
                f"target file {run['target_file']} (sha256 {digest})"
            )
        counts = self.summary
        if counts is None:
            return
        for what in ("scenarios", "requirements"):
            figures = ", ".join(f"{counts[what][verdict]} {verdict}" for verdict in VERDICTS)
            terminalreporter.write_line(f"conformance {what}: {figures}")
        for path in (self.json_path, self.html_path):
            if path:
                terminalreporter.write_line(f"conformance report: {path}")


def _write(path: str, text: str) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def pytest_configure(config: pytest.Config) -> None:
    collector = ReportCollector(config)
    config.stash[COLLECTOR_KEY] = collector
    config.pluginmanager.register(collector, "cas-mfa-reports")
