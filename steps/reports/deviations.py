"""Known deviations: scenarios the deployment under test is known to fail, run as strict expected failures.

The file is TOML, one ``[[deviation]]`` table per entry::

    [[deviation]]
    scenario = "closed when down"   # a substring of the node id or of the scenario's name
    reason = "our CAS shows its generic error page"

    [[deviation]]
    requirement = "FM-08"           # every scenario that checks the requirement
    reason = "PHANTOM is not supported"
"""

from __future__ import annotations

import tomllib
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from steps.plugin import requirement_ids
from steps.reports.scenario import scenario_of
from steps.requirements import requirements

DEVIATIONS_KEY = pytest.StashKey[tuple[Path, list["Deviation"]]]()
DEVIATION_KEY = pytest.StashKey["Deviation"]()
_FIELDS = {"scenario", "requirement", "reason"}


class DeviationFileError(ValueError):
    """A known-deviations file that cannot be used; the message is one line naming file and entry."""


@dataclass(frozen=True)
class Deviation:
    entry: int  # 1-based, in file order
    reason: str
    scenario: str | None = None
    requirement: str | None = None

    def matches(self, nodeid: str, scenario_name: str | None, requirement_ids: list[str]) -> bool:
        if self.requirement is not None:
            return self.requirement in requirement_ids
        assert self.scenario is not None
        return self.scenario in nodeid or (scenario_name is not None and self.scenario in scenario_name)


def _entry(path: Path, number: int, raw: Any) -> Deviation:
    where = f"{path}: deviation {number}"
    if not isinstance(raw, dict):
        raise DeviationFileError(f"{where}: expected a table with 'scenario' or 'requirement', and 'reason'")
    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise DeviationFileError(f"{where}: unknown key {unknown[0]!r} (keys: requirement, scenario, reason)")
    for key in _FIELDS & set(raw):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise DeviationFileError(f"{where}: {key!r} must be a non-empty string")
    if ("scenario" in raw) == ("requirement" in raw):
        raise DeviationFileError(f"{where}: give exactly one of 'scenario' or 'requirement'")
    if "reason" not in raw:
        raise DeviationFileError(f"{where}: 'reason' is missing (say why the deployment deviates)")
    requirement = raw.get("requirement")
    if requirement is not None and requirement not in requirements():
        raise DeviationFileError(
            f"{where}: unknown requirement {requirement!r} (see features/requirements.md)"
        )
    return Deviation(number, raw["reason"].strip(), raw.get("scenario"), requirement)


def load(path: Path) -> list[Deviation]:
    """The entries of a known-deviations file."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DeviationFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DeviationFileError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(document) - {"deviation"})
    if unknown:
        raise DeviationFileError(f"{path}: unknown key {unknown[0]!r} (write each entry as [[deviation]])")
    entries = document.get("deviation", [])
    if not isinstance(entries, list):
        raise DeviationFileError(f"{path}: 'deviation' must be an array of tables ([[deviation]])")
    return [_entry(path, number, raw) for number, raw in enumerate(entries, start=1)]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("cas-mfa-conformance").addoption(
        "--known-deviations",
        metavar="FILE",
        default=None,
        help="TOML file of known deviations ([[deviation]] with scenario or requirement, and reason): "
        "those scenarios are expected to fail, and fail the run once they pass",
    )


def pytest_configure(config: pytest.Config) -> None:
    option = config.getoption("--known-deviations")
    if option:
        path = Path(option)
        try:
            config.stash[DEVIATIONS_KEY] = (path, load(path))
        except DeviationFileError as exc:
            raise pytest.UsageError(f"known deviations: {exc}") from None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if DEVIATIONS_KEY not in config.stash:
        return
    deviations = config.stash[DEVIATIONS_KEY][1]
    for item in items:
        info = scenario_of(item)
        ids = requirement_ids(item)
        name = info.name if info is not None else None
        deviation = next((entry for entry in deviations if entry.matches(item.nodeid, name, ids)), None)
        if deviation is not None:
            item.stash[DEVIATION_KEY] = deviation
            item.add_marker(pytest.mark.xfail(strict=True, reason=f"known deviation: {deviation.reason}"))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    deviation = item.stash.get(DEVIATION_KEY, None)
    if deviation is not None and report.failed and str(report.longrepr).startswith("[XPASS(strict)]"):
        path, _ = item.config.stash[DEVIATIONS_KEY]
        report.longrepr = (
            f"known deviation no longer reproduces: remove it from {path} "
            f"(deviation {deviation.entry}: {deviation.reason})"
        )
    return report
