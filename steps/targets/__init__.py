"""Where the scenarios run: the reference in process, or a CAS deployment over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mocks.suite import MockSuite
from steps.targets.base import Target
from steps.targets.reference import ReferenceTarget

TargetFactory = Callable[[Path, MockSuite], Target]

TARGETS: dict[str, TargetFactory] = {
    "ref": ReferenceTarget,
}

__all__ = ["TARGETS", "Target", "TargetFactory"]
