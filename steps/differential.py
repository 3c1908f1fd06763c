"""``cas-mfa-diff``: the same scenarios on two targets, and where the two disagree.

    cas-mfa-diff [--left ref] --right http --cas-url URL --target-config FILE [--out DIR] [-- PYTEST ARGS]
    cas-mfa-diff --compare LEFT.json RIGHT.json

The first form runs pytest twice, at once, each with ``--conformance-json`` (and ``--conformance-html``)
into DIR; the second compares two records already made. Exit status: 0 when the two agree, 1 when some
scenario's verdict or observations differ, 2 on bad input or a run that could not complete.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from steps.reports.compare import RecordError, compare, load_record, render, summary

EXIT_AGREE, EXIT_DISAGREE, EXIT_USAGE = 0, 1, 2
PYTEST_COMPLETED = (0, 1)  # all passed; some failed


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cas-mfa-diff",
        description="Run the conformance scenarios on two targets (or compare two conformance records) and "
        "list each scenario where they disagree, with both observations. Arguments after -- go to both "
        "pytest runs (paths, -m, -k ...; the scenarios in steps/ when no path is given).",
    )
    parser.add_argument("--compare", nargs=2, metavar=("LEFT.json", "RIGHT.json"), help="compare two records")
    parser.add_argument("--left", default="ref", metavar="TARGET", help="the left target (default: ref)")
    parser.add_argument("--right", metavar="TARGET", help="the right target (http, ref-http, ...)")
    parser.add_argument("--cas-url", help="the right target's CAS (pytest --cas-url)")
    parser.add_argument(
        "--target-config", metavar="FILE", help="the right target's file (pytest --target-config)"
    )
    parser.add_argument("--left-cas-url", metavar="URL", help="the left target's CAS, when it is remote too")
    parser.add_argument("--left-target-config", metavar="FILE", help="the left target's file")
    parser.add_argument(
        "--left-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="another pytest argument, left only (--left-arg=-x for an option)",
    )
    parser.add_argument(
        "--right-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="another pytest argument, right only (--right-arg=-x)",
    )
    parser.add_argument(
        "--out", metavar="DIR", help="where the records and logs go (default: a new temporary folder)"
    )
    return parser


def _side(target: str, cas_url: str | None, config: str | None, more: list[str]) -> list[str]:
    options = ["--target", target]
    if cas_url:
        options += ["--cas-url", cas_url]
    if config:
        options += ["--target-config", config]
    return options + more


def _paths(extra: Sequence[str]) -> list[str]:
    """``steps`` unless the extra arguments name a path or a node id themselves."""
    named = any(not arg.startswith("-") and ("::" in arg or Path(arg).exists()) for arg in extra)
    return [] if named else ["steps"]


RUN_TIMEOUT_SECONDS = 1800  # a whole suite over HTTP takes about a minute; a hang must still end


def _run(sides: dict[str, list[str]], extra: Sequence[str], out: Path) -> dict[str, Path] | str:
    """Both pytest runs at once; the records, or what went wrong."""
    running = {}
    for side, options in sides.items():
        command = [
            sys.executable, "-m", "pytest", *_paths(extra), *options, "-p", "no:cacheprovider",
            "--conformance-json", str(out / f"{side}.json"), "--conformance-html", str(out / f"{side}.html"),
            *extra,
        ]  # fmt: skip
        log = (out / f"{side}.log").open("w", encoding="utf-8")
        log.write(" ".join(command) + "\n\n")
        log.flush()
        running[side] = (subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT), log)
    problems = []
    for side, (process, log) in running.items():
        try:
            status = process.wait(timeout=RUN_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            status = process.wait(timeout=30)
            problems.append(f"the {side} run took longer than {RUN_TIMEOUT_SECONDS} s and was stopped")
        log.close()
        if status not in PYTEST_COMPLETED or not (out / f"{side}.json").is_file():
            tail = (out / f"{side}.log").read_text(encoding="utf-8").strip().splitlines()[-1:]
            problems.append(f"the {side} run did not complete (pytest exit {status}; {out / f'{side}.log'}: "
                            f"{tail[0] if tail else 'no output'})")  # fmt: skip
    return "; ".join(problems) if problems else {side: out / f"{side}.json" for side in sides}


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    extra = arguments[arguments.index("--") + 1 :] if "--" in arguments else []
    own = arguments[: arguments.index("--")] if "--" in arguments else arguments
    parser = build_parser()
    args = parser.parse_args(own)
    if args.compare:
        if args.right or extra:
            parser.error("--compare takes two records, no targets and no pytest arguments")
        paths = [Path(name) for name in args.compare]
    else:
        if not args.right:
            parser.error("give --right TARGET (and its --cas-url, --target-config), or --compare LEFT RIGHT")
        out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="cas-mfa-diff-"))
        out.mkdir(parents=True, exist_ok=True)
        sides = {
            "left": _side(args.left, args.left_cas_url, args.left_target_config, args.left_arg),
            "right": _side(args.right, args.cas_url, args.target_config, args.right_arg),
        }
        ran = _run(sides, extra, out)
        if isinstance(ran, str):
            print(f"cas-mfa-diff: error: {ran}", file=sys.stderr)
            return EXIT_USAGE
        paths = [ran["left"], ran["right"]]
        print(f"cas-mfa-diff: records, pages and logs in {out}")
    try:
        records = [load_record(str(path)) for path in paths]
    except RecordError as exc:
        print(f"cas-mfa-diff: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for line in summary(records):
        print(f"  {line}")
    comparison = compare(records[0], records[1])
    sys.stdout.write(render(comparison))
    return EXIT_AGREE if comparison.agree else EXIT_DISAGREE


if __name__ == "__main__":
    sys.exit(main())
