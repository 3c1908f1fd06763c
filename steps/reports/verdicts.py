"""Verdicts: one scenario's from its pytest reports, and a requirement's rolled up from its scenarios."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pytest

PASS = "pass"
FAIL = "fail"
NOT_APPLICABLE = "not-applicable"
KNOWN_DEVIATION = "known-deviation"
VERDICTS = (PASS, FAIL, KNOWN_DEVIATION, NOT_APPLICABLE)

_MISSING_CAPABILITY = re.compile(r"lacks capability '([^']+)'")


@dataclass(frozen=True)
class Outcome:
    verdict: str
    reason: str | None = None
    capability: str | None = None  # the missing capability, when not applicable for want of one


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def failure_message(report: pytest.TestReport) -> str:
    """The first line of what went wrong: the exception's message when pytest has it."""
    crash = getattr(report.longrepr, "reprcrash", None)
    message = _first_line(crash.message if crash is not None else report.longreprtext)
    return message if report.when == "call" else f"error in {report.when}: {message}"


def skip_message(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    text = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr or "")
    return _first_line(text.removeprefix("Skipped: "))


def outcome(reports: Sequence[pytest.TestReport], deviation: str | None = None) -> Outcome:
    """The verdict of one test from its setup, call and teardown reports.

    A failure anywhere fails; an expected failure is the known deviation; a skip is not applicable (with
    the capability named when the skip says which one is missing); otherwise the test passed.
    """
    failed = next((report for report in reports if report.failed), None)
    if failed is not None:
        return Outcome(FAIL, failure_message(failed))
    xfailed = next((report for report in reports if hasattr(report, "wasxfail")), None)
    if xfailed is not None:
        return Outcome(KNOWN_DEVIATION, deviation or str(getattr(xfailed, "wasxfail", "")) or None)
    skipped = next((report for report in reports if report.skipped), None)
    if skipped is not None:
        message = skip_message(skipped).removeprefix("not applicable: ")
        missing = _MISSING_CAPABILITY.search(message)
        return Outcome(NOT_APPLICABLE, message, missing.group(1) if missing else None)
    return Outcome(PASS)


def rollup(verdicts: Iterable[str]) -> str | None:
    """A requirement's verdict: fail if any fails, else a known deviation, else pass if any passes, else
    not applicable; None when no scenario checks it."""
    seen = set(verdicts)
    for verdict in (FAIL, KNOWN_DEVIATION, PASS, NOT_APPLICABLE):
        if verdict in seen:
            return verdict
    return None
