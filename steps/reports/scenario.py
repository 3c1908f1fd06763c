"""Which Gherkin scenario a pytest item runs: feature file, scenario name, Examples row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry


@dataclass(frozen=True)
class ScenarioInfo:
    feature: str
    name: str
    example: dict[str, str] = field(default_factory=dict)


def scenario_of(item: pytest.Item) -> ScenarioInfo | None:
    """The scenario behind a pytest-bdd test, or None for any other test."""
    function: Any = getattr(item, "obj", None)
    try:
        template: Any = scenario_wrapper_template_registry.get(function)
    except TypeError:  # not weakly referable: not a scenario
        return None
    if template is None:
        return None
    callspec = getattr(item, "callspec", None)
    example = callspec.params.get("_pytest_bdd_example", {}) if callspec is not None else {}
    return ScenarioInfo(template.feature.rel_filename, template.name, dict(example))
