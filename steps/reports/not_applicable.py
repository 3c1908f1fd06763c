"""Not-applicable scenarios grouped by reason, so a run on a target lacking a capability reads as one line
per missing capability rather than hundreds of identical ones."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from steps.reports.verdicts import NOT_APPLICABLE

NO_REASON = "no reason given"


def reason_key(reason: str | None) -> str:
    """What groups a reason: the part before its first parenthesis, where a target says why in the words of
    one scenario ("... this scenario's profile is group 3fa2b9c1d0e4"); the whole reason when it has none."""
    if not reason:
        return NO_REASON
    return reason.split(" (", 1)[0].strip() or reason


@dataclass(frozen=True)
class NotApplicableGroup:
    key: str
    scenarios: list[Mapping[str, Any]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.scenarios)

    @property
    def reason(self) -> str:
        """The scenarios' reason when they all give the same one, else what they have in common."""
        reasons = {scenario.get("reason") or NO_REASON for scenario in self.scenarios}
        return reasons.pop() if len(reasons) == 1 else self.key

    @property
    def capability(self) -> str | None:
        capabilities = {scenario.get("capability") for scenario in self.scenarios}
        return capabilities.pop() if len(capabilities) == 1 else None

    def detail(self, scenario: Mapping[str, Any]) -> str | None:
        """What one scenario's reason says beyond the group's (None when nothing)."""
        reason = scenario.get("reason") or NO_REASON
        if reason == self.reason:
            return None
        return reason.removeprefix(self.key).strip() or None


def groups(scenarios: Iterable[Mapping[str, Any]]) -> list[NotApplicableGroup]:
    """The not-applicable scenarios by reason, the largest group first (then by reason)."""
    grouped: dict[str, NotApplicableGroup] = {}
    for scenario in scenarios:
        if scenario.get("verdict") == NOT_APPLICABLE:
            key = reason_key(scenario.get("reason"))
            grouped.setdefault(key, NotApplicableGroup(key)).scenarios.append(scenario)
    return sorted(grouped.values(), key=lambda group: (-group.count, group.key))


def summary(scenarios: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The record's ``not_applicable``: ``{"reason", "capability", "count"}`` per group."""
    return [
        {"reason": group.reason, "capability": group.capability, "count": group.count}
        for group in groups(scenarios)
    ]
