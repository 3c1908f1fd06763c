"""The record of a decision: one entry per pipeline stage, with its verdict and the reason."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TraceEntry:
    stage: str
    verdict: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return {"stage": self.stage, "verdict": self.verdict, "reason": self.reason}


@dataclass
class Trace:
    entries: list[TraceEntry] = field(default_factory=list)

    def add(self, stage: str, verdict: str, reason: str) -> None:
        self.entries.append(TraceEntry(stage, verdict, reason))

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.entries)
