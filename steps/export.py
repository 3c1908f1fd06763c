"""``cas-mfa-ref profile export DIR``: the scenarios' deployments as directories a real CAS loads.

The scenarios run on the export target (:mod:`steps.targets.export`), which writes each scenario's
deployment, pointed at the running mocks, into ``DIR/<digest>/`` and ends the scenario there. This
plugin gathers which scenarios landed in which directory and writes ``DIR/index.json``; then each
directory is made loadable by a CAS that runs elsewhere: its ``file:`` references become absolute and
the JSON service registry is pointed at its ``services/`` folder.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from mocks.client import ControlClient
from mocks.provider import ControlError
from steps.plugin import requirement_ids
from steps.targets.export import EXPORTED, ExportTarget

REGISTRY_LOCATION = "cas.service-registry.json.location"
_FILE_VALUE = re.compile(r"^(?P<name>[^=#!\s][^=]*?)=file:(?P<path>[^/\\:][^\s]*)$")


@dataclass
class ExportedScenario:
    nodeid: str
    requirements: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cas-mfa-conformance")
    group.addoption(
        "--export-dir",
        default=None,
        metavar="DIR",
        help="with --target export: where each group of scenarios' profile is written",
    )
    group.addoption(
        "--mocks-url",
        default=None,
        metavar="URL",
        help="the control URL of a running `cas-mfa-mocks serve` (the exported profiles name its providers)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--target", default=None) != "export":
        return
    directory, mocks_url = config.getoption("--export-dir"), config.getoption("--mocks-url")
    if not directory or not mocks_url:
        raise pytest.UsageError("--target export needs --export-dir DIR and --mocks-url URL")
    config.pluginmanager.register(ProfileIndex(Path(directory).resolve(), mocks_url), "profile-index")


class ProfileIndex:
    """Which scenarios were exported to which profile, and which were not (with the reason)."""

    def __init__(self, directory: Path, mocks_url: str) -> None:
        self.directory = directory
        self.mocks_url = mocks_url
        self._tags: dict[str, tuple[list[str], list[str]]] = {}
        self.groups: dict[str, list[ExportedScenario]] = {}
        self.not_exported: list[tuple[str, str]] = []

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            needs = sorted(mark.args[0] for mark in item.iter_markers("capability"))
            self._tags[item.nodeid] = (requirement_ids(item), needs)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Skips carry the outcome: ``exported to profile <digest>``, or why the scenario was not exported."""
        if not report.skipped:
            if report.failed:
                self.not_exported.append((report.nodeid, f"a step failed during {report.when}"))
            return
        reason = _skip_reason(report)
        if reason.startswith(EXPORTED):
            requirements, needs = self._tags.get(report.nodeid, ([], []))
            digest = reason[len(EXPORTED) :].strip()
            self.groups.setdefault(digest, []).append(ExportedScenario(report.nodeid, requirements, needs))
        else:
            self.not_exported.append((report.nodeid, reason))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        for digest in self.groups:
            make_loadable(self.directory / digest)
        index = {
            "mocks": self.mocks_url,
            "groups": {
                digest: {
                    "directory": str(self.directory / digest),
                    "scenarios": [vars(s) for s in sorted(scenarios, key=lambda s: s.nodeid)],
                }
                for digest, scenarios in sorted(self.groups.items())
            },
            "not_exported": [{"nodeid": n, "reason": r} for n, r in sorted(self.not_exported)],
        }
        (self.directory / "index.json").write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def _exported_mocks(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The running mocks' endpoints and credentials, as their control API describes them."""
    url = request.config.getoption("--mocks-url")
    try:
        described: dict[str, Any] = ControlClient(url).call("GET", "/providers")
    except (OSError, ControlError) as error:
        pytest.exit(f"--mocks-url {url}: cannot reach the mocks' control API: {error}", returncode=2)
    return described


@pytest.fixture
def export_target(request: pytest.FixtureRequest, _exported_mocks: dict[str, Any]) -> ExportTarget:
    return ExportTarget(Path(request.config.getoption("--export-dir")).resolve(), _exported_mocks)


def make_loadable(profile: Path) -> None:
    """Absolute ``file:`` references, and the JSON service registry on the profile's ``services/``."""
    properties = profile / "cas.properties"
    lines = properties.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    for line in lines:
        match = _FILE_VALUE.match(line)
        if match and (profile / match["path"]).exists():
            line = f"{match['name']}=file:{(profile / match['path']).resolve()}"
        out.append(line)
    if not any(line.startswith(f"{REGISTRY_LOCATION}=") for line in out):
        out.append(f"{REGISTRY_LOCATION}=file:{(profile / 'services').resolve()}")
    properties.write_text("\n".join(out) + "\n", encoding="utf-8")


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr or "")


def export_command(args: argparse.Namespace) -> int:
    """Run the scenarios on the export target (``cas-mfa-ref profile export``)."""
    root = Path(__file__).resolve().parent.parent
    features = root / "steps" / "features"
    if not features.exists():
        print(f"cas-mfa-ref: error: no scenarios at {features}: run from a checkout", file=sys.stderr)
        return 2
    argv: list[str] = [
        str(features),
        f"--rootdir={root}",
        "--target=export",
        f"--export-dir={args.directory}",
        f"--mocks-url={args.mocks}",
        "-p",
        "no:cacheprovider",
        "-q",
        "--no-header",
        # This module is imported before pytest starts, so pytest cannot rewrite its asserts; no matter.
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",
    ]
    if args.keyword:
        argv += ["-k", args.keyword]
    if args.markers:
        argv += ["-m", args.markers]
    code = pytest.main(argv)
    # Every exported scenario ends as a skip; a non-zero code is a usage error or a broken Given step.
    return 0 if code in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED) else int(code)
