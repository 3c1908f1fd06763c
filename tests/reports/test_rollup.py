"""A requirement's verdict rolled up from its scenarios'."""

from __future__ import annotations

import pytest

from steps.reports.verdicts import rollup


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        (["pass", "known-deviation", "fail", "not-applicable"], "fail"),
        (["pass", "known-deviation", "not-applicable"], "known-deviation"),
        (["not-applicable", "pass", "not-applicable"], "pass"),
        (["not-applicable", "not-applicable"], "not-applicable"),
        ([], None),
    ],
)
def test_fail_then_known_deviation_then_pass_then_not_applicable(
    verdicts: list[str], expected: str | None
) -> None:
    assert rollup(verdicts) == expected
