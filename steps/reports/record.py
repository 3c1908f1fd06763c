"""The JSON conformance record: run metadata, a verdict per scenario and per requirement."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from steps.reports import not_applicable
from steps.reports.catalogue import section_of
from steps.reports.scenario import ScenarioInfo
from steps.reports.verdicts import VERDICTS, Outcome, rollup
from steps.requirements import requirements

FORMAT = "cas-mfa-conformance-record/1"


@dataclass(frozen=True)
class ScenarioResult:
    nodeid: str
    info: ScenarioInfo
    requirements: list[str]
    outcome: Outcome
    observations: list[dict[str, Any]] = field(default_factory=list)
    failed_step: str | None = None  # the step that failed, as the feature file reads
    exchanges: list[dict[str, Any]] = field(default_factory=list)  # a failed scenario's HTTP exchanges


def _counts(verdicts: Sequence[str | None]) -> dict[str, int]:
    seen = Counter(verdicts)
    return {verdict: seen[verdict] for verdict in VERDICTS} | {"total": len(verdicts)}


def _scenario(result: ScenarioResult) -> dict[str, Any]:
    return {
        "id": result.nodeid,
        "feature": result.info.feature,
        "scenario": result.info.name,
        "example": result.info.example or None,
        "requirements": result.requirements,
        "verdict": result.outcome.verdict,
        "reason": result.outcome.reason,
        "capability": result.outcome.capability,
        "observations": result.observations,
        "failed_step": result.failed_step,
        "exchanges": result.exchanges,
    }


def build_record(run: Mapping[str, Any], results: Sequence[ScenarioResult]) -> dict[str, Any]:
    """The record. Every requirement of the catalogue is listed, in catalogue order, with its section; one
    that no scenario of the run checks has the verdict null and is named in ``unchecked``. The not-applicable
    scenarios are counted by reason in ``not_applicable``."""
    sections = section_of()
    by_requirement: dict[str, list[ScenarioResult]] = {rid: [] for rid in requirements()}
    for result in results:
        for rid in result.requirements:
            by_requirement.setdefault(rid, []).append(result)
    rows: dict[str, Any] = {}
    for rid, checked in by_requirement.items():
        verdicts = [result.outcome.verdict for result in checked]
        rows[rid] = {
            "section": sections.get(rid),
            "statement": requirements().get(rid),
            "verdict": rollup(verdicts),
            "counts": _counts(verdicts),
            "scenarios": [result.nodeid for result in checked],
        }
    checked_verdicts = [row["verdict"] for row in rows.values() if row["verdict"] is not None]
    scenarios = [_scenario(result) for result in results]
    return {
        "format": FORMAT,
        "run": dict(run)
        | {
            "counts": {
                "scenarios": _counts([result.outcome.verdict for result in results]),
                "requirements": _counts(checked_verdicts) | {"unchecked": len(rows) - len(checked_verdicts)},
            }
        },
        "scenarios": scenarios,
        "requirements": rows,
        "unchecked": [rid for rid, row in rows.items() if row["verdict"] is None],
        "not_applicable": not_applicable.summary(scenarios),
    }
