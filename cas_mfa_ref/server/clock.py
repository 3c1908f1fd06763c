"""The reference's own clock for tests: the system's time until a test sets it, then a FixedClock."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from cas_mfa_ref.engine.clock import FixedClock, SystemClock


class ConformanceClock:
    """A :class:`~cas_mfa_ref.engine.clock.Clock` that a test can set and advance over HTTP.

    Not a CAS feature: CAS always runs on the system clock. It lives in the server, not in the
    engine, so it survives a refresh of the profile.
    """

    def __init__(self) -> None:
        self._fixed: FixedClock | None = None
        self._system = SystemClock()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._fixed.now() if self._fixed else self._system.now()

    @property
    def fixed(self) -> bool:
        return self._fixed is not None

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        with self._lock:
            self._fixed = FixedClock(when)

    def advance(self, seconds: float) -> None:
        """Move the time on; a clock still on system time is fixed at the current time first."""
        with self._lock:
            if self._fixed is None:
                self._fixed = FixedClock(self._system.now())
            self._fixed.advance(seconds)

    def release(self) -> None:
        """Back to the system's time."""
        with self._lock:
            self._fixed = None
