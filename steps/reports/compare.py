"""Comparing two conformance records scenario by scenario: verdicts and observations."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any

from steps.reports.record import FORMAT
from steps.reports.verdicts import NOT_APPLICABLE

Scenario = Mapping[str, Any]
# None from these calls, and in these fields of a result, means "this target cannot tell" (an HTTP target
# does not see the failure mode applied, nor which provider a page that does not name it is about).
UNKNOWABLE = frozenset({"failure_mode_applied"})
UNKNOWABLE_FIELDS = frozenset({"provider"})


class RecordError(ValueError):
    """A file that is not a usable conformance record; the message names the file."""


def load_record(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            record = json.load(handle)
    except OSError as exc:
        raise RecordError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise RecordError(f"{path}: not JSON: {exc}") from None
    family = FORMAT.rsplit("/", 1)[0]
    if not isinstance(record, dict) or not str(record.get("format", "")).startswith(family):
        raise RecordError(f'{path}: not a conformance record (no "format": "{FORMAT}")')
    scenarios = record.get("scenarios")
    if not isinstance(scenarios, list) or not all(
        isinstance(s, dict) and isinstance(s.get("id"), str) and "verdict" in s for s in scenarios
    ):
        raise RecordError(f'{path}: "scenarios" must be a list of objects with "id" and "verdict"')
    return record


@dataclass(frozen=True)
class Pair:
    """One scenario on both sides (None: absent from that record)."""

    id: str
    left: Scenario | None
    right: Scenario | None

    @property
    def verdicts_differ(self) -> bool:
        return _verdict(self.left) != _verdict(self.right)


@dataclass
class Comparison:
    left_name: str
    right_name: str
    agreeing: int = 0
    disagreeing: list[Pair] = field(default_factory=list)  # verdict or observations differ
    one_sided: list[Pair] = field(default_factory=list)  # applicable on one side only
    missing: list[Pair] = field(default_factory=list)  # in one record only

    @property
    def agree(self) -> bool:
        return not self.disagreeing and not self.missing


def _verdict(scenario: Scenario | None) -> str | None:
    return None if scenario is None else str(scenario["verdict"])


def _comparable(left: Mapping[str, Any], right: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both observations without what one of the two targets cannot tell."""
    ours, theirs = dict(left), dict(right)
    unknown = ours.get("result", 0) is None or theirs.get("result", 0) is None
    if unknown and ours.get("call") in UNKNOWABLE and ours.get("call") == theirs.get("call"):
        ours.pop("result", None)
        theirs.pop("result", None)
    a, b = ours.get("result"), theirs.get("result")
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        blind = {key for key in UNKNOWABLE_FIELDS if a.get(key) is None or b.get(key) is None}
        ours["result"] = {key: value for key, value in a.items() if key not in blind}
        theirs["result"] = {key: value for key, value in b.items() if key not in blind}
    return ours, theirs


def same_entry(left: Mapping[str, Any] | None, right: Mapping[str, Any] | None) -> bool:
    """Two observations agree when equal, but for what one target cannot tell and the other reports."""
    if left is None or right is None:
        return left is right
    ours, theirs = _comparable(left, right)
    return ours == theirs


def observations_agree(left: Scenario, right: Scenario) -> bool:
    pairs = zip_longest(left.get("observations") or [], right.get("observations") or [])
    return all(same_entry(a, b) for a, b in pairs)


def _names(left: Mapping[str, Any], right: Mapping[str, Any]) -> tuple[str, str]:
    names = (
        str(left.get("run", {}).get("target") or "left"),
        str(right.get("run", {}).get("target") or "right"),
    )
    return names if names[0] != names[1] else ("left", "right")


def compare(left: Mapping[str, Any], right: Mapping[str, Any]) -> Comparison:
    """Every scenario of either record, classed as agreeing, disagreeing, one-sided or missing."""
    ours = {scenario["id"]: scenario for scenario in left["scenarios"]}
    theirs = {scenario["id"]: scenario for scenario in right["scenarios"]}
    result = Comparison(*_names(left, right))
    for nodeid in [*ours, *(nodeid for nodeid in theirs if nodeid not in ours)]:
        pair = Pair(nodeid, ours.get(nodeid), theirs.get(nodeid))
        if pair.left is None or pair.right is None:
            result.missing.append(pair)
        elif (_verdict(pair.left) == NOT_APPLICABLE) != (_verdict(pair.right) == NOT_APPLICABLE):
            result.one_sided.append(pair)
        elif pair.verdicts_differ or not observations_agree(pair.left, pair.right):
            result.disagreeing.append(pair)
        else:
            result.agreeing += 1
    return result


def _short(value: Any, width: int = 150) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= width else text[: width - 1] + "…"


def differences(left: Any, right: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """Where two JSON values differ: the dotted path of each differing leaf (mappings are descended)."""
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        found: list[tuple[str, Any, Any]] = []
        for key in {**left, **right}:
            found += differences(left.get(key), right.get(key), f"{path}.{key}" if path else str(key))
        return found
    return [] if left == right else [(path or "result", left, right)]


def _entry_lines(names: tuple[str, str], left: Scenario, right: Scenario) -> list[str]:
    lines: list[str] = []
    width = max(len(name) for name in names)
    pairs = zip_longest(left.get("observations") or [], right.get("observations") or [])
    for number, (a, b) in enumerate(pairs, start=1):
        call = (a or b or {}).get("call", "?")
        args = _short((a or b or {}).get("args", []), 90)
        if same_entry(a, b):
            lines.append(f"    = {number:>2} {call}{args}")
            continue
        lines.append(f"    ! {number:>2} {call}{args}")
        for name, entry in zip(names, (a, b), strict=True):
            shown = "(no such call)" if entry is None else _short(entry.get("result", entry.get("raised")))
            if entry is not None and "raised" in entry:
                shown = f"raised {shown}"
            lines.append(f"         {name:<{width}} : {shown}")
        if a is not None and b is not None:
            ours, theirs = _comparable(a, b)
            for path, here, there in differences(ours.get("result"), theirs.get("result")):
                lines.append(f"         {'':<{width}}   {path}: {_short(here, 60)} | {_short(there, 60)}")
    return lines


def _verdict_line(names: tuple[str, str], pair: Pair) -> str:
    def side(scenario: Scenario | None) -> str:
        if scenario is None:
            return "absent"
        reason = scenario.get("reason")
        return f"{scenario['verdict']}" + (f" ({reason})" if reason else "")

    return f"    verdict: {names[0]}: {side(pair.left)} | {names[1]}: {side(pair.right)}"


def render(comparison: Comparison) -> str:
    """The comparison for a person: disagreements with both observations, then the lists."""
    names = (comparison.left_name, comparison.right_name)
    total = comparison.agreeing + len(comparison.disagreeing) + len(comparison.one_sided)
    lines = [
        f"{names[0]} vs {names[1]}: {total + len(comparison.missing)} scenarios; "
        f"{comparison.agreeing} agree, {len(comparison.disagreeing)} disagree, "
        f"{len(comparison.one_sided)} applicable on one side only, "
        f"{len(comparison.missing)} in one record only"
    ]
    for pair in comparison.disagreeing:
        assert pair.left is not None and pair.right is not None
        what = "verdict" if pair.verdicts_differ else "observations"
        lines += ["", f"DISAGREE ({what}) {pair.id}", _verdict_line(names, pair)]
        lines += _entry_lines(names, pair.left, pair.right)
    if comparison.one_sided:
        lines += ["", "APPLICABLE ON ONE SIDE ONLY"]
        lines += [f"  {pair.id}\n{_verdict_line(names, pair)}" for pair in comparison.one_sided]
    if comparison.missing:
        lines += ["", "IN ONE RECORD ONLY"]
        lines += [f"  {pair.id}\n{_verdict_line(names, pair)}" for pair in comparison.missing]
    return "\n".join(lines) + "\n"


def summary(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """One line per record: its target and scenario counts."""
    lines = []
    for record in records:
        counts = record.get("run", {}).get("counts", {}).get("scenarios", {})
        figures = ", ".join(f"{count} {verdict}" for verdict, count in counts.items() if verdict != "total")
        lines.append(f"{record.get('run', {}).get('target')}: {figures}")
    return lines
