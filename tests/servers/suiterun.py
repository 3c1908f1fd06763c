"""The conformance suite run against a server nobody here wrote, as a user runs it: a subprocess with a
bounded time, a target file, and the JSON conformance record read back (with the run's output and status).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import FeatureParser

from tests.servers.process import ROOT

FEATURES = ROOT / "features"
SUITE_TIMEOUT = 600.0  # seconds; a run against a loopback server takes seconds
TAIL = 6000

Key = tuple[str, str, tuple[tuple[str, str], ...]]


def feature_of(name: str) -> str:
    """A feature file as the record names it. pytest-bdd names it by its folder and file name
    (``features/protocol.feature``, ``triggers/adaptive.feature``); the last two parts compare either way."""
    return "/".join(name.replace("\\", "/").split("/")[-2:])


def key_of(feature: str, scenario: str, example: dict[str, str] | None) -> Key:
    return feature_of(feature), scenario, tuple(sorted((example or {}).items()))


def expected_scenarios() -> Iterator[Key]:
    """Every (feature file, scenario, Examples row) of features/, as pytest-bdd expands them."""
    for path in sorted(FEATURES.rglob("*.feature")):
        feature = FeatureParser(str(FEATURES), path.relative_to(FEATURES).as_posix()).parse()
        for name, template in feature.scenarios.items():
            rows: list[dict[str, str] | None] = [
                row for examples in template.examples for row in examples.as_contexts()
            ]
            for row in rows or [None]:
                yield key_of(path.relative_to(ROOT).as_posix(), name, row)


def tail(text: str) -> str:
    """The end of a pytest run's output: its short summary and the conformance counts, when it has them."""
    lines = text.splitlines()
    counts = [line for line in lines if line.startswith("conformance ")]
    start = next((i for i, line in enumerate(lines) if "short test summary info" in line), None)
    if start is not None:
        text = "\n".join([*counts, *lines[start:]])
    return text if len(text) <= TAIL else "...\n" + text[-TAIL:]


def run_pytest(
    args: Sequence[str], env: Mapping[str, str] | None = None, timeout: float = SUITE_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """``python -m pytest ARGS -q`` from the repository root, as a user runs it (no cache, no inherited
    PYTEST_ variables, no standard input), bounded by ``timeout``."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "pytest", *args, "-p", "no:cacheprovider", "-q"],
        cwd=ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_suite(
    name: str,
    cas_url: str,
    target_file: Path,
    record_path: Path,
    *,
    extra: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """``pytest steps --target http`` against ``cas_url``; the record, with ``_output`` and ``_returncode``."""
    command = [
        "steps",
        "--target",
        "http",
        "--cas-url",
        cas_url,
        "--target-config",
        str(target_file),
        "--conformance-json",
        str(record_path),
        *extra,
    ]
    try:
        completed = run_pytest(command, env)
    except subprocess.TimeoutExpired as error:
        output = (
            error.stdout if isinstance(error.stdout, str) else (error.stdout or b"").decode(errors="replace")
        )
        pytest.fail(
            f"the suite did not finish within {SUITE_TIMEOUT:g} s against {name} at {cas_url}:\n{tail(output)}",
            pytrace=False,
        )
    output = f"$ pytest {' '.join(command)}\n{completed.stdout}\n{completed.stderr}"
    if not record_path.is_file():
        pytest.fail(
            f"the suite (exit status {completed.returncode}) wrote no conformance record:\n{tail(output)}",
            pytrace=False,
        )
    record: dict[str, Any] = json.loads(record_path.read_text(encoding="utf-8"))
    record["_output"] = output
    record["_returncode"] = completed.returncode
    return record
