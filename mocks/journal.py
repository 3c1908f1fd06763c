"""The request journal of a provider: every request seen, newest last, with counters."""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

MAX_ENTRIES = 1000


@dataclass(frozen=True)
class Entry:
    seq: int
    time: float
    endpoint: str
    method: str
    path: str
    params: Mapping[str, Any] = field(default_factory=dict)
    signature: str = "n/a"  # valid, invalid, absent or n/a
    fault: str | None = None
    outcome: str = ""  # the status or result the mock answered


class Journal:
    def __init__(self, limit: int = MAX_ENTRIES) -> None:
        self._lock = threading.Lock()
        self._entries: deque[Entry] = deque(maxlen=limit)
        self._counts: Counter[str] = Counter()
        self._seq = 0

    def record(
        self,
        endpoint: str,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        signature: str = "n/a",
        fault: str | None = None,
        outcome: str = "",
    ) -> Entry:
        with self._lock:
            self._seq += 1
            entry = Entry(
                self._seq, time.time(), endpoint, method, path, dict(params or {}), signature, fault, outcome
            )
            self._entries.append(entry)
            self._counts[endpoint] += 1
            return entry

    def entries(self) -> list[Entry]:
        with self._lock:
            return list(self._entries)

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._counts.clear()

    def as_json(self) -> dict[str, Any]:
        return {"counts": self.counts(), "requests": [asdict(e) for e in self.entries()]}
