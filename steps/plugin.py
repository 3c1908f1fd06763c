"""The pytest plugin of the suite: target selection, requirement and capability tags, faker seeding."""

from __future__ import annotations

import dataclasses
import gc
import importlib
import inspect
import os
import tempfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from faker import Faker

from steps.reports.observations import recording
from steps.requirements import requirements
from steps.targets.base import CAPABILITIES
from steps.targets.preflight import preflight
from steps.targets.refhttp import LaunchError, start_ref_http
from steps.targets.registry import (
    REF_HTTP_KEY,
    TARGET_FILE_KEY,
    TARGET_KINDS,
    kind_of,
    session_target_file,
)
from steps.targets.targetfile import TargetFile
from steps.world import World

DEFAULT_FAKER_SEED = 4169
CAPABILITY_TAG = "needs:"
SEED_KEY = pytest.StashKey[int]()
WORLD_KEY = pytest.StashKey[World]()
VERSION_TAG = "cas:"
PREFLIGHT_FAILED = 4  # the exit status of a run whose target is not what its target file says
NONE_APPLICABLE = 5  # pytest's "no tests ran": no scenario was applicable to the target


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cas-mfa-conformance")
    group.addoption(
        "--target",
        choices=sorted(TARGET_KINDS),
        default="ref",
        help="where the scenarios run: "
        + "; ".join(f"{name} ({kind.help})" for name, kind in TARGET_KINDS.items()),
    )
    group.addoption(
        "--allow-none-applicable",
        action="store_true",
        default=False,
        help="let a run in which no scenario was applicable to the target exit 0 (it exits 5 otherwise)",
    )
    group.addoption(
        "--cas-url",
        default=None,
        metavar="URL",
        help="with --target http: the CAS base URL (https://cas.example.org/cas), over the file's",
    )
    group.addoption(
        "--target-config",
        default=None,
        metavar="FILE",
        help="with --target http: the target file (TOML, docs/target-file.md)",
    )
    group.addoption(
        "--faker-seed",
        type=int,
        default=DEFAULT_FAKER_SEED,
        help="the seed faker's principals derive from (each test mixes in its own id)",
    )


# The private parts of pytest-bdd the step lookup cache replaces or calls (pyproject.toml pins the versions
# it was measured with; tests/test_plugin.py fails, naming the version, when they change).
_LOOKUP = "find_fixturedefs_for_step"
_LOOKUP_PARAMETERS = ["step", "fixturemanager", "node"]
_LOOKUP_USES = ("get_fixture_names", "getfixturedefs", "step_function_context_registry")


def step_lookup_problem() -> str | None:
    """Why the installed pytest-bdd's step lookup cannot be cached as :func:`_cache_step_lookup` does
    (a private function missing, or with other parameters, or no longer what pytest-bdd calls), or None."""
    scenario: Any = importlib.import_module("pytest_bdd.scenario")
    original = getattr(scenario, _LOOKUP, None)
    if original is None:
        return f"pytest_bdd.scenario has no {_LOOKUP}"
    original = getattr(original, "original", original)  # the installed cache's own
    parameters = list(inspect.signature(original).parameters)
    if parameters != _LOOKUP_PARAMETERS:
        return f"pytest_bdd.scenario.{_LOOKUP} takes {parameters}, not {_LOOKUP_PARAMETERS}"
    missing = [name for name in _LOOKUP_USES if not hasattr(scenario, name)]
    if missing:
        return f"pytest_bdd.scenario has no {', '.join(missing)}"
    caller = getattr(scenario, "inject_fixturedefs_for_step", None)  # where pytest-bdd looks steps up
    if caller is None or _LOOKUP not in inspect.unwrap(caller).__code__.co_names:
        return f"pytest_bdd.scenario.inject_fixturedefs_for_step no longer calls {_LOOKUP}"
    fields = {field.name for field in dataclasses.fields(scenario.StepFunctionContext)}
    if not {"type", "parser"} <= fields:
        return f"pytest-bdd's StepFunctionContext has no type or no parser (fields: {sorted(fields)})"
    return None


def _cache_step_lookup() -> None:
    """pytest-bdd looks every step up among all fixtures, for every scenario: a large part of its cost.

    Which definitions can parse a step depends only on the step's text and type and on the fixtures
    visible from the test's module, so the answer is kept per (module, type, text). The step
    definitions visible from a module are listed once, in pytest-bdd's order, and each new text is
    matched against them as ``find_fixturedefs_for_step`` does, without asking pytest again which of
    all the fixtures the module sees (hundreds of texts, each a walk over every fixture name).

    ``find_fixturedefs_for_step`` is private to pytest-bdd: with a version whose lookup differs
    (:func:`step_lookup_problem`), pytest-bdd's own is left in place, slower but the same.
    """
    # pytest_bdd.scenario the module (the package exports a function of the same name).
    pytest_bdd_scenario: Any = importlib.import_module("pytest_bdd.scenario")
    original = getattr(pytest_bdd_scenario, _LOOKUP, None)
    if getattr(original, "cached", False) or step_lookup_problem() is not None:
        return
    registry = pytest_bdd_scenario.step_function_context_registry
    definitions: dict[tuple[int, str], list[tuple[Any, Any]]] = {}
    cache: dict[tuple[int, str, str, str], list[Any]] = {}

    def visible(fixturemanager: Any, node: pytest.Item, module: str) -> list[tuple[Any, Any]]:
        """The step definitions ``node``'s module sees, with their contexts, as pytest-bdd walks them."""
        key = (id(fixturemanager), module)
        if key not in definitions:
            definitions[key] = [
                (fixturedef, context)
                for name in pytest_bdd_scenario.get_fixture_names(fixturemanager=fixturemanager)
                for fixturedef in pytest_bdd_scenario.getfixturedefs(fixturemanager, name, node) or []
                if (context := registry.get(fixturedef.func)) is not None
            ]
        return definitions[key]

    def find(step: Any, fixturemanager: Any, node: pytest.Item) -> list[Any]:
        module = node.nodeid.split("::", 1)[0]
        key = (id(fixturemanager), module, str(step.type), step.name)
        if key not in cache:
            cache[key] = [
                fixturedef
                for fixturedef, context in visible(fixturemanager, node, module)
                if context.type in (None, step.type) and context.parser.is_matching(step.name)
            ]
        return cache[key]

    find.cached = True  # type: ignore[attr-defined]
    find.original = original  # type: ignore[attr-defined]
    setattr(pytest_bdd_scenario, _LOOKUP, find)


def pytest_configure(config: pytest.Config) -> None:
    _cache_step_lookup()
    _check_target_options(config)
    for requirement, statement in requirements().items():
        config.addinivalue_line("markers", f"{requirement}: {statement}")


def pytest_collection_finish(session: pytest.Session) -> None:
    # What exists by now (modules, step definitions, the collected scenarios) lives the whole session;
    # frozen, it is no longer walked again by each full garbage collection the scenarios set off.
    gc.freeze()


def pytest_report_header(config: pytest.Config) -> str:
    return (
        f"cas-mfa-conformance: target {config.getoption('--target')}, "
        f"faker seed {config.getoption('--faker-seed')}"
    )


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function: Callable[..., Any]) -> bool:
    """Feature tags: a requirement id, ``needs:<capability>`` or ``cas:<versions>``; nothing else."""
    if tag in requirements():
        getattr(pytest.mark, tag)(function)
        return True
    if tag.startswith(CAPABILITY_TAG):
        capability = tag[len(CAPABILITY_TAG) :]
        if capability not in CAPABILITIES:
            raise pytest.UsageError(f"unknown capability tag @{tag} (known: {', '.join(CAPABILITIES)})")
        pytest.mark.capability(capability)(function)
        return True
    if tag.startswith(VERSION_TAG):
        pytest.mark.cas_version(tag[len(VERSION_TAG) :])(function)
        return True
    raise pytest.UsageError(
        f"unknown tag @{tag}: tag scenarios with a requirement id of features/requirements.md, "
        f"@{CAPABILITY_TAG}<capability> or @{VERSION_TAG}<versions>"
    )


def requirement_ids(item: pytest.Item) -> list[str]:
    """The requirement ids an item checks: its tags (feature, rule, scenario or examples) that name one."""
    known = requirements()
    return sorted({mark.name for mark in item.iter_markers() if mark.name in known})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    target = config.getoption("--target")
    capabilities = target_capabilities(config)
    for item in items:
        # Sorted: pytest-bdd keeps tags in a set, and the first skip names the capability in every report.
        for capability in sorted({mark.args[0] for mark in item.iter_markers("capability")}):
            if capability not in capabilities:
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"not applicable: target '{target}' lacks capability '{capability}' "
                        f"({CAPABILITIES[capability]})"
                    )
                )


@pytest.fixture(scope="session")
def _faker() -> Faker:
    return Faker("en_US")


@pytest.fixture
def faker_seed(request: pytest.FixtureRequest) -> int:
    base = request.config.getoption("--faker-seed")
    seed = zlib.crc32(f"{base}:{request.node.nodeid}".encode())
    request.node.stash[SEED_KEY] = seed
    return seed


@pytest.fixture
def fake(_faker: Faker, faker_seed: int) -> Faker:
    _faker.seed_instance(faker_seed)
    return _faker


@pytest.fixture(scope="session")
def _scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where each scenario writes its profile: memory-backed when the machine has it (hundreds of small
    files), else pytest's temporary directory."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        with tempfile.TemporaryDirectory(prefix="cas-mfa-deployments-", dir=shm) as directory:
            yield Path(directory)
    else:
        yield tmp_path_factory.mktemp("deployments")


def _check_target_options(config: pytest.Config) -> None:
    """Each target checks its own options; a bad target file is one line naming it."""
    kind_of(config).check_options(config)


def target_capabilities(config: pytest.Config) -> frozenset[str]:
    """What the chosen target can do: the reference's, ref-http's, or what the target file declares."""
    return kind_of(config).capabilities(config)


@pytest.fixture(scope="session")
def _http_target_file(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TargetFile]:
    """The target file of an HTTP run: the user's (--target http), or one written for the reference server
    and the mocks started here as processes (--target ref-http), stopped at the end of the session."""
    declared = request.config.stash.get(TARGET_FILE_KEY, None)
    if declared is not None:
        yield declared
        return
    try:
        started = start_ref_http(tmp_path_factory.mktemp("ref-http"))
    except LaunchError as error:
        pytest.exit(f"--target ref-http: {error}", returncode=pytest.ExitCode.INTERNAL_ERROR)
    request.config.stash[REF_HTTP_KEY] = started
    try:
        yield started.target_file
    finally:
        started.stop()


def run_description(config: pytest.Config) -> dict[str, str | None]:
    """What the run was pointed at, for every report: the target, the CAS URL wherever it came from (the
    command line, the target file, or the reference server started here) and the target file's digest."""
    described: dict[str, str | None] = {
        "target": config.getoption("--target", None),
        "cas_url": None,
        "target_file": None,
        "target_file_sha256": None,
    }
    target_file = session_target_file(config)
    if target_file is not None:
        described["cas_url"] = target_file.cas_url
        described["target_file"] = str(target_file.path)
        described["target_file_sha256"] = target_file.sha256
    return described


@pytest.fixture
def world(request: pytest.FixtureRequest, _scratch: Path, fake: Faker) -> Iterator[World]:
    # One scratch folder per scenario, under a session folder: cheaper than tmp_path for hundreds of them.
    workdir = Path(tempfile.mkdtemp(dir=_scratch))
    target = kind_of(request.config).build(request, workdir)
    try:
        # Each target call and what it returned, for the conformance record (steps.reports).
        request.node.stash[WORLD_KEY] = World(recording(request.node, target), fake)
        yield request.node.stash[WORLD_KEY]
    finally:
        target.close()
        # Only the call's report reads it (made before teardown). Left on the item, every scenario's
        # target (profile, engine, HTTP sessions) would live to the end of the session, and each full
        # garbage collection, the interpreter's last included, would walk them all.
        if WORLD_KEY in request.node.stash:
            del request.node.stash[WORLD_KEY]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome: Any = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        if SEED_KEY in item.stash:
            base = item.config.getoption("--faker-seed")
            seed = item.stash[SEED_KEY]
            report.sections.append(("faker", f"faker seed {seed} (run with --faker-seed={base})"))
        world = item.stash.get(WORLD_KEY, None)
        if world is not None and world.login is not None:
            report.sections.append((f"what the {world.target.name} target decided", world.explain_failure()))


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    """Before the first scenario of a run against a target file: the preflight (exit 4 on a problem)."""
    config = session.config
    if config.option.collectonly or not session.items:
        return
    target_file = config.stash.get(TARGET_FILE_KEY, None)
    if target_file is None:
        return
    problems = preflight(target_file)
    if problems:
        lines = "\n".join(f"  {target_file.path}: {problem}" for problem in problems)
        pytest.exit(f"preflight failed, no scenario was run:\n{lines}", returncode=PREFLIGHT_FAILED)


class _Applicability:
    """Counts what the scenarios came to, so that a run in which none applied does not pass as green."""

    def __init__(self) -> None:
        self.ran = 0  # passed, failed or a known deviation
        self.not_applicable: dict[str, int] = {}

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" and not report.skipped:
            self.ran += 1
        elif report.skipped and report.when in ("setup", "call"):
            reason = str(report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr)
            reason = reason.removeprefix("Skipped: ")
            if reason.startswith("not applicable"):
                self.not_applicable[reason] = self.not_applicable.get(reason, 0) + 1
            else:
                self.ran += 1  # skipped for another reason: not the target's doing

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if exitstatus != 0 or self.ran or not self.not_applicable:
            return
        if session.config.getoption("--allow-none-applicable"):
            return
        total = sum(self.not_applicable.values())
        reason, count = max(self.not_applicable.items(), key=lambda item: item[1])
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        line = (
            f"no scenario was applicable to target '{session.config.getoption('--target')}': {total} not "
            f"applicable, {count} of them {reason.removeprefix('not applicable: ')}; describe the deployment "
            "in the target file "
            "(docs/target-file.md), or pass --allow-none-applicable"
        )
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(line, red=True)
        session.exitstatus = NONE_APPLICABLE


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.pluginmanager.register(_Applicability(), "cas-mfa-applicability")
