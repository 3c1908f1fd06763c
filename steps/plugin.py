"""The pytest plugin of the suite: target selection, requirement and capability tags, faker seeding."""

from __future__ import annotations

import gc
import importlib
import os
import tempfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from faker import Faker

from mocks.suite import MockSuite
from steps.reports.observations import recording
from steps.requirements import requirements
from steps.targets import TARGETS
from steps.targets.base import CAPABILITIES, Target
from steps.targets.export import ExportTarget
from steps.targets.refhttp import REF_HTTP_CAPABILITIES, LaunchError, RefHttp, start_ref_http
from steps.targets.targetfile import TargetFile, TargetFileError, load_target_file
from steps.world import World

DEFAULT_FAKER_SEED = 4169
CAPABILITY_TAG = "needs:"
SEED_KEY = pytest.StashKey[int]()
WORLD_KEY = pytest.StashKey[World]()
TARGET_FILE_KEY = pytest.StashKey[TargetFile]()
HTTP_TARGETS = ("http", "ref-http")  # the HTTP target, on a target file or on the reference's processes
EXPORT_TARGET = "export"  # writes each scenario's profile instead of running it (cas-mfa-ref profile export)
VERSION_TAG = "cas:"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cas-mfa-conformance")
    group.addoption(
        "--target",
        choices=sorted({*TARGETS, *HTTP_TARGETS, EXPORT_TARGET}),
        default="ref",
        help="where the scenarios run: ref (the in-process reference, default); http (a CAS over HTTP, "
        "with --target-config); ref-http (the reference server and the mocks as processes, over HTTP)",
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


def _cache_step_lookup() -> None:
    """pytest-bdd looks every step up among all fixtures, for every scenario: a large part of its cost.

    Which definitions can parse a step depends only on the step's text and type and on the fixtures
    visible from the test's module, so the answer is kept per (module, type, text). The step
    definitions visible from a module are listed once, in pytest-bdd's order, and each new text is
    matched against them as ``find_fixturedefs_for_step`` does, without asking pytest again which of
    all the fixtures the module sees (hundreds of texts, each a walk over every fixture name).
    """
    # pytest_bdd.scenario the module (the package exports a function of the same name).
    pytest_bdd_scenario: Any = importlib.import_module("pytest_bdd.scenario")
    original = pytest_bdd_scenario.find_fixturedefs_for_step
    if getattr(original, "cached", False):
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
    pytest_bdd_scenario.find_fixturedefs_for_step = find


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
        for mark in item.iter_markers("capability"):
            capability = mark.args[0]
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
    """--cas-url and --target-config belong to --target http; a bad target file is one line naming it."""
    target = config.getoption("--target", default="ref")
    cas_url = config.getoption("--cas-url", default=None)
    target_config = config.getoption("--target-config", default=None)
    if target != "http":
        given = [
            name for name, value in (("--cas-url", cas_url), ("--target-config", target_config)) if value
        ]
        if given:
            why = "the session writes its own target file" if target == "ref-http" else "it runs in process"
            raise pytest.UsageError(
                f"{' and '.join(given)} apply to --target http, not --target {target} ({why})"
            )
        return
    if not target_config:
        raise pytest.UsageError(
            "--target http needs --target-config FILE: the target file describing the deployment "
            "(docs/target-file.md)"
        )
    try:
        config.stash[TARGET_FILE_KEY] = load_target_file(Path(target_config), cas_url)
    except TargetFileError as error:
        raise pytest.UsageError(str(error)) from None


def target_capabilities(config: pytest.Config) -> frozenset[str]:
    """What the chosen target can do: the reference's, ref-http's, or what the target file declares."""
    target = config.getoption("--target")
    if target == "ref-http":
        return REF_HTTP_CAPABILITIES
    if target == "http":
        return config.stash[TARGET_FILE_KEY].capabilities
    if target == EXPORT_TARGET:
        return ExportTarget.capabilities
    capabilities: frozenset[str] = TARGETS[target].capabilities  # type: ignore[attr-defined]
    return capabilities


@pytest.fixture(scope="session")
def _http_target_file(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TargetFile]:
    """The target file of an HTTP run: the user's (--target http), or one written for the reference server
    and the mocks started here as processes (--target ref-http), stopped at the end of the session."""
    if request.config.getoption("--target") == "http":
        yield request.config.stash[TARGET_FILE_KEY]
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


REF_HTTP_KEY = pytest.StashKey[RefHttp]()


def _build_target(request: pytest.FixtureRequest, workdir: Path) -> Target:
    """Each kind of target from what it needs: the reference from the in-process mocks, the HTTP target
    from its target file (its mocks are reached over their control API)."""
    name = request.config.getoption("--target")
    if name in HTTP_TARGETS:
        target_file: TargetFile = request.getfixturevalue("_http_target_file")
        started = request.config.stash.get(REF_HTTP_KEY, None)
        if started is not None:
            try:
                started.check()
            except LaunchError as error:
                pytest.exit(f"--target ref-http: {error}", returncode=pytest.ExitCode.INTERNAL_ERROR)
        from steps.targets.http import HttpTarget  # the HTML parser loads only for HTTP runs

        return HttpTarget(target_file, workdir, name)
    if name == EXPORT_TARGET:
        exporter: ExportTarget = request.getfixturevalue("export_target")
        return exporter
    mocks: MockSuite = request.getfixturevalue("mocks")
    return TARGETS[name](workdir, mocks)


@pytest.fixture
def world(request: pytest.FixtureRequest, _scratch: Path, fake: Faker) -> Iterator[World]:
    # One scratch folder per scenario, under a session folder: cheaper than tmp_path for hundreds of them.
    workdir = Path(tempfile.mkdtemp(dir=_scratch))
    target = _build_target(request, workdir)
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
