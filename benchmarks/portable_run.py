"""What a run against a CAS nobody here wrote costs: the preflight, and the portable run against it.

Starts LemonLDAP::NG (tests/servers/lemonldap; falls back to django-cas-server when it is not installed)
on loopback, times the preflight in process, then alternates, each as a fresh pytest process, the whole
suite against the server (portable scenarios run, the rest not applicable) and a module of as many
trivial tests, and prints medians and the median of the per-pair ratios. Goals: preflight under 2 s,
the run under 30 s. Usage: ``python benchmarks/portable_run.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from steps.targets.preflight import preflight  # noqa: E402
from steps.targets.targetfile import load_target_file  # noqa: E402
from tests.servers.lemonldap import launcher as lemonldap  # noqa: E402
from tests.servers.process import start_server  # noqa: E402

PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, capture_output=True, timeout=600, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch)
        env = dict(os.environ)
        if lemonldap.missing() is None:
            name, module = "LemonLDAP::NG", "tests.servers.lemonldap.launcher"
            target = ROOT / "tests" / "servers" / "lemonldap" / "target.toml"
            extra = ["--known-deviations", str(target.parent / "known-deviations.toml")]
        else:
            name, module = "django-cas-server", "tests.servers.django_cas.launcher"
            target, extra = ROOT / "tests" / "servers" / "django_cas" / "target.toml", []
        server = start_server(name, [sys.executable, "-m", module, "--data-dir", str(data)], data / "err.log")
        try:
            cas_url = str(server.ready["cas_url"])
            users = server.ready.get("users", {})
            if isinstance(users, dict) and "dwho" in users:
                env["LLNG_DWHO_TOTP_SECRET"] = users["dwho"]["totp"]["secret"]
            os.environ.update(env)
            target_file = load_target_file(target, cas_url)
            checks = []
            for _ in range(10):
                start = time.perf_counter()
                problems = preflight(target_file)
                checks.append(time.perf_counter() - start)
                assert not problems, problems
            run = [
                *PYTEST,
                "steps",
                "--target",
                "http",
                "--cas-url",
                cas_url,
                "--target-config",
                str(target),
                *extra,
            ]
            count = 0
            (data / "bare").mkdir()
            runs, bares, ratios = [], [], []
            for _ in range(args.rounds):
                suite = timed(run, ROOT, env)
                if not count:
                    listed = subprocess.run(
                        [*PYTEST, "--collect-only", "steps"],
                        cwd=ROOT,
                        capture_output=True,
                        text=True,
                        timeout=300,
                    )
                    count = sum(1 for line in listed.stdout.splitlines() if "::" in line)
                    (data / "bare" / "test_trivial.py").write_text(
                        f"import pytest\n\n@pytest.mark.parametrize('n', range({count}))\n"
                        "def test_trivial(n):\n    assert n >= 0\n"
                    )
                bare = timed([*PYTEST, str(data / "bare")], data / "bare")
                runs.append(suite)
                bares.append(bare)
                ratios.append(suite / bare)
        finally:
            server.stop()
    print(f"server: {name} on loopback; scenarios: {count}")
    median, worst = statistics.median(checks) * 1000, max(checks) * 1000
    print(f"preflight: median {median:.0f} ms (max {worst:.0f} ms; goal < 2 s)")
    print(f"whole run against it: median {statistics.median(runs):.2f} s (goal < 30 s)")
    print(f"{count} trivial pytest tests: median {statistics.median(bares):.2f} s")
    spread = f"min {min(ratios):.2f}, max {max(ratios):.2f}"
    print(f"ratio run / bare pytest: median {statistics.median(ratios):.2f} ({spread})")


if __name__ == "__main__":
    main()
