"""What the conformance suite costs over pytest's own per-test overhead.

Runs, in one go and alternating, the features on the reference target and a generated module of
the same number of trivial tests, each as a fresh pytest process, and prints the median of the
per-pair ratios (goal: at most 3). Usage: ``python benchmarks/suite_overhead.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]


def count_scenarios() -> int:
    done = subprocess.run(
        [*PYTEST, "--collect-only", "steps"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return sum(1 for line in done.stdout.splitlines() if "::" in line)


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, capture_output=True, timeout=600, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    count = count_scenarios()
    with tempfile.TemporaryDirectory() as scratch:
        bare = Path(scratch)
        (bare / "test_trivial.py").write_text(
            f"import pytest\n\n@pytest.mark.parametrize('n', range({count}))\n"
            "def test_trivial(n):\n    assert n >= 0\n"
        )
        suite_times, bare_times, ratios = [], [], []
        for _ in range(args.rounds):
            suite = timed([*PYTEST, "steps"], ROOT)
            trivial = timed([*PYTEST, str(bare)], bare)
            suite_times.append(suite)
            bare_times.append(trivial)
            ratios.append(suite / trivial)
    print(f"scenarios: {count}")
    print(f"suite on the reference target: median {statistics.median(suite_times):.2f} s")
    print(f"{count} trivial pytest tests:    median {statistics.median(bare_times):.2f} s")
    print(
        f"ratio suite / bare pytest: median {statistics.median(ratios):.2f} "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f}; goal <= 3)"
    )


if __name__ == "__main__":
    main()
