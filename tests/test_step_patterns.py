"""Every step line of features/ has one definition, and searching steps/ for its words finds it.

The definitions are written as the lines read (steps.phrases): ``the {name} provider has rank {rank:Rank}``
for ``the YubiKey provider has rank 5``. A reader searches steps/ for a few words of a line that are not a
value the scenario chose, and must land on the definition; and a line two definitions can read would be
run by whichever pytest-bdd happens to list last.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import FeatureParser
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

import steps.given
import steps.provider_steps
import steps.then
import steps.when
from steps.phrases import phrase

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ROOT / "features"
STEP_MODULES = (steps.given, steps.provider_steps, steps.when, steps.then)
SEARCH_WORDS = 4  # how many words of a line a reader searches for


@dataclass(frozen=True)
class Line:
    where: str  # features/x.feature:12
    type: str
    name: str


def feature_lines() -> list[Line]:
    """Each step line of features/, as pytest-bdd runs it: once per Examples row of an Outline."""
    lines: dict[tuple[str, str], Line] = {}
    for path in sorted(FEATURES.rglob("*.feature")):
        feature = FeatureParser(str(FEATURES), path.relative_to(FEATURES).as_posix()).parse()
        for template in feature.scenarios.values():
            rows = [row for examples in template.examples for row in examples.as_contexts()]
            for row in rows or [{}]:
                for step in template.render(row).steps:
                    where = f"{path.relative_to(ROOT).as_posix()}:{step.line_number}"
                    lines.setdefault((step.type, step.name), Line(where, step.type, step.name))
    return list(lines.values())


def definitions() -> list[StepFunctionContext]:
    modules = {module.__name__ for module in STEP_MODULES}
    return [c for c in step_function_context_registry.values() if c.step_func.__module__ in modules]


def matching(line: Line, contexts: list[StepFunctionContext]) -> list[StepFunctionContext]:
    """The definitions that can run the line, as pytest-bdd finds them."""
    return [c for c in contexts if c.type in (None, line.type) and c.parser.is_matching(line.name)]


def describe(context: StepFunctionContext) -> str:
    return f"{context.step_func.__module__}.{context.step_func.__name__} ({context.parser.name!r})"


def argument_spans(context: StepFunctionContext, name: str) -> list[tuple[int, int]]:
    """Where in the line the values the definition reads as arguments stand."""
    parser: Any = context.parser
    if hasattr(parser, "regex"):  # parsers.re
        match = parser.regex.fullmatch(name)
        return [match.span(group) for group in match.groupdict() if match.span(group)[0] >= 0]
    if hasattr(parser, "parser"):  # parsers.parse, parsers.cfparse
        return list(parser.parser.parse(name).spans.values())
    return []  # an exact sentence


def search_words(context: StepFunctionContext, name: str) -> str:
    """What a reader searches for: the first run of two or more words of the line that are the
    definition's own (no argument among them), at most SEARCH_WORDS of them; else its longest run."""
    runs: list[list[str]] = []
    position = 0
    for start, end in [*sorted(argument_spans(context, name)), (len(name), len(name))]:
        literal = name[position:start]
        # A word cut by an argument (``bypass.`` of ``bypass.rest.url``) is searched for as it stands.
        runs.append(literal.split())
        position = max(position, end)
    runs = [run for run in runs if run]
    chosen = next((run for run in runs if len(run) >= 2), max(runs, key=len, default=[]))
    return " ".join(chosen[:SEARCH_WORDS])


def test_each_feature_line_has_exactly_one_definition() -> None:
    contexts = definitions()
    problems = []
    for line in feature_lines():
        found = matching(line, contexts)
        if len(found) != 1:
            listed = "; ".join(describe(c) for c in found) or "none"
            problems.append(f"{line.where}: {line.type.title()} {line.name}\n    definitions: {listed}")
    assert not problems, f"{len(problems)} step line(s) without exactly one definition:\n" + "\n".join(
        problems
    )


def test_searching_steps_for_the_words_of_a_line_finds_its_definition() -> None:
    contexts = definitions()
    problems = []
    for line in feature_lines():
        found = matching(line, contexts)
        if len(found) != 1:
            continue  # the test above names it
        context = found[0]
        words = search_words(context, line.name)
        source = Path(inspect.getfile(context.step_func))
        if len(words.split()) < 2 or words not in source.read_text(encoding="utf-8"):
            problems.append(
                f"{line.where}: {line.type.title()} {line.name}\n"
                f"    searching for {words!r} does not find {describe(context)} in "
                f"{source.relative_to(ROOT).as_posix()}"
            )
    assert not problems, (
        f"{len(problems)} step line(s) whose definition a search for their words misses "
        "(write the pattern's words as the lines have them: parse fields, no escapes or alternations "
        "inside a phrase):\n" + "\n".join(problems)
    )


@pytest.mark.parametrize(
    ("pattern", "line", "words"),
    [
        ("the {name} provider has rank {rank:Rank}", "the YubiKey provider has rank 5", "provider has rank"),
        (
            "the {name} provider's bypass.{rule:BypassRule} is",
            "the A provider's bypass.x is",
            "provider's bypass.",
        ),
        ("{duration:Days} days pass", "8 days pass", "days pass"),
        ("a user of the deployment", "a user of the deployment", "a user of the"),
    ],
)
def test_the_words_searched_for_are_the_definitions_own(pattern: str, line: str, words: str) -> None:
    context = StepFunctionContext(type="given", step_func=print, parser=phrase(pattern))
    assert search_words(context, line) == words


def test_a_definition_missing_or_doubled_is_named() -> None:
    """The check itself: a line nobody defines, and one two definitions read, are reported."""
    contexts = definitions()
    assert matching(Line("x", "given", "the YubiKey provider dances"), contexts) == []
    doubled = [*contexts, *[c for c in contexts if c.step_func is steps.given.provider_rank]]
    assert len(matching(Line("x", "given", "the YubiKey provider has rank 5"), doubled)) == 2
