"""The targets a run can choose with ``--target``: one entry each, with everything the session asks of it.

An entry says what the target can do, which command-line options it takes (checked at configure time, a
mistake is one line), how a scenario's target is built, and, for a CAS reached over HTTP, its target
file. The plugin asks the entry; nothing else branches on a target's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from steps.targets.base import Target
from steps.targets.export import ExportTarget
from steps.targets.launch import LaunchError
from steps.targets.reference import ReferenceTarget
from steps.targets.refhttp import REF_HTTP_CAPABILITIES, RefHttp
from steps.targets.targetfile import TargetFile, TargetFileError, load_target_file

TARGET_FILE_KEY = pytest.StashKey[TargetFile]()
REF_HTTP_KEY = pytest.StashKey[RefHttp]()


@dataclass(frozen=True)
class TargetKind:
    name: str
    help: str
    capabilities: Callable[[pytest.Config], frozenset[str]]
    check_options: Callable[[pytest.Config], None]
    build: Callable[[pytest.FixtureRequest, Path], Target]


def _no_target_file_options(why: str) -> Callable[[pytest.Config], None]:
    def check(config: pytest.Config) -> None:
        given = [
            name
            for name in ("--cas-url", "--target-config")
            if config.getoption(name, default=None) is not None
        ]
        if given:
            raise pytest.UsageError(
                f"{' and '.join(given)} apply to --target http, not --target "
                f"{config.getoption('--target')} ({why})"
            )

    return check


def _check_http(config: pytest.Config) -> None:
    target_config = config.getoption("--target-config", default=None)
    if not target_config:
        raise pytest.UsageError(
            "--target http needs --target-config FILE: the target file describing the deployment "
            "(docs/target-file.md)"
        )
    try:
        config.stash[TARGET_FILE_KEY] = load_target_file(
            Path(target_config), config.getoption("--cas-url", default=None)
        )
    except TargetFileError as error:
        raise pytest.UsageError(str(error)) from None


def _build_reference(request: pytest.FixtureRequest, workdir: Path) -> Target:
    return ReferenceTarget(workdir, request.getfixturevalue("mocks"))


def _build_export(request: pytest.FixtureRequest, workdir: Path) -> Target:
    exporter: ExportTarget = request.getfixturevalue("export_target")
    return exporter


def _build_http(request: pytest.FixtureRequest, workdir: Path) -> Target:
    target_file: TargetFile = request.getfixturevalue("_http_target_file")
    started = request.config.stash.get(REF_HTTP_KEY, None)
    if started is not None:
        try:
            started.check()
        except LaunchError as error:
            pytest.exit(f"--target ref-http: {error}", returncode=pytest.ExitCode.INTERNAL_ERROR)
    from steps.targets.http import HttpTarget  # the HTML parser loads only for HTTP runs

    return HttpTarget(target_file, workdir, str(request.config.getoption("--target")))


TARGET_KINDS: dict[str, TargetKind] = {
    kind.name: kind
    for kind in (
        TargetKind(
            "ref",
            "the in-process reference (default)",
            lambda config: ReferenceTarget.capabilities,
            _no_target_file_options("it runs in process"),
            _build_reference,
        ),
        TargetKind(
            "ref-http",
            "the reference server and the mocks as processes, over HTTP",
            lambda config: REF_HTTP_CAPABILITIES,
            _no_target_file_options("the session writes its own target file"),
            _build_http,
        ),
        TargetKind(
            "http",
            "a CAS over HTTP, described by --target-config",
            lambda config: config.stash[TARGET_FILE_KEY].capabilities,
            _check_http,
            _build_http,
        ),
        TargetKind(
            "export",
            "write each scenario's profile instead of running it (cas-mfa-ref profile export)",
            lambda config: ExportTarget.capabilities,
            _no_target_file_options("it writes profiles"),
            _build_export,
        ),
    )
}


def kind_of(config: pytest.Config) -> TargetKind:
    return TARGET_KINDS[str(config.getoption("--target"))]


def session_target_file(config: pytest.Config) -> TargetFile | None:
    """The target file the run drives: the user's, or the one written for the processes started here."""
    started = config.stash.get(REF_HTTP_KEY, None)
    if started is not None:
        return started.target_file
    return config.stash.get(TARGET_FILE_KEY, None)
