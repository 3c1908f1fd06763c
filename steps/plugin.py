"""The pytest plugin of the suite: target selection, requirement and capability tags, faker seeding."""

from __future__ import annotations

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
from steps.requirements import requirements
from steps.targets import TARGETS
from steps.targets.base import CAPABILITIES
from steps.world import World

DEFAULT_FAKER_SEED = 4169
CAPABILITY_TAG = "needs:"
SEED_KEY = pytest.StashKey[int]()
WORLD_KEY = pytest.StashKey[World]()
VERSION_TAG = "cas:"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cas-mfa-conformance")
    group.addoption(
        "--target",
        choices=sorted(TARGETS),
        default="ref",
        help="where the scenarios run: ref (the in-process reference, default)",
    )
    group.addoption(
        "--faker-seed",
        type=int,
        default=DEFAULT_FAKER_SEED,
        help="the seed faker's principals derive from (each test mixes in its own id)",
    )


def _cache_step_lookup() -> None:
    """pytest-bdd looks every step up among all fixtures, for every scenario: most of the suite's cost.

    Which definitions can parse a step depends only on the step's text and type and on the fixtures
    visible from the test's module, so the answer is kept per (module, type, text).
    """
    # pytest_bdd.scenario the module (the package exports a function of the same name).
    pytest_bdd_scenario: Any = importlib.import_module("pytest_bdd.scenario")
    original = pytest_bdd_scenario.find_fixturedefs_for_step
    if getattr(original, "cached", False):
        return
    cache: dict[tuple[int, str, str, str], list[Any]] = {}

    def find(step: Any, fixturemanager: Any, node: pytest.Item) -> list[Any]:
        key = (id(fixturemanager), node.nodeid.split("::", 1)[0], str(step.type), step.name)
        if key not in cache:
            cache[key] = list(original(step=step, fixturemanager=fixturemanager, node=node))
        return cache[key]

    find.cached = True  # type: ignore[attr-defined]
    pytest_bdd_scenario.find_fixturedefs_for_step = find


def pytest_configure(config: pytest.Config) -> None:
    _cache_step_lookup()
    for requirement, statement in requirements().items():
        config.addinivalue_line("markers", f"{requirement}: {statement}")


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
    capabilities = TARGETS[target].capabilities  # type: ignore[attr-defined]
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


@pytest.fixture
def world(request: pytest.FixtureRequest, _scratch: Path, fake: Faker, mocks: MockSuite) -> Iterator[World]:
    # One scratch folder per scenario, under a session folder: cheaper than tmp_path for hundreds of them.
    workdir = Path(tempfile.mkdtemp(dir=_scratch))
    target = TARGETS[request.config.getoption("--target")](workdir, mocks)
    try:
        request.node.stash[WORLD_KEY] = World(target, fake)
        yield request.node.stash[WORLD_KEY]
    finally:
        target.close()


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
