"""``--target ref-http``: the reference CAS server and the mock providers as real processes.

The session starts ``cas-mfa-mocks serve`` and ``cas-mfa-ref serve --profile DIR``, reads their ready
lines, writes the target file that describes them (docs/target-file.md) and hands it to the HTTP target,
which then drives the reference exactly as it would drive any CAS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from steps.targets.base import SESSION_ATTRIBUTE
from steps.targets.launch import LaunchError, Process, command
from steps.targets.reference import ReferenceTarget
from steps.targets.targetfile import TargetFile, load_target_file

# The reference server and the mocks, driven over HTTP, can do what the in-process reference can, but
# for what no browser can: put an attribute in CAS's HTTP session.
REF_HTTP_CAPABILITIES = ReferenceTarget.capabilities - {SESSION_ATTRIBUTE}

__all__ = ["LaunchError", "RefHttp", "start_ref_http"]


@dataclass
class RefHttp:
    target_file: TargetFile
    processes: list[Process] = field(default_factory=list)

    def check(self) -> None:
        for process in self.processes:
            process.check()

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()


def start_ref_http(directory: Path) -> RefHttp:
    """Start the mocks and the reference server under ``directory``; raise LaunchError if one fails."""
    profile = directory / "profile"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "cas.properties").write_text("cas.authn.accept.users=casuser::Mellon\n", encoding="utf-8")
    (profile / "services").mkdir(exist_ok=True)
    processes: list[Process] = []
    try:
        mocks = Process("cas-mfa-mocks serve", [*command("cas-mfa-mocks", "mocks.cli"), "serve"])
        processes.append(mocks)
        control = mocks.ready.get("control")
        if not isinstance(control, str):
            raise LaunchError(f"cas-mfa-mocks serve: the ready line has no control URL: {mocks.ready}")
        server = Process(
            "cas-mfa-ref serve",
            [*command("cas-mfa-ref", "cas_mfa_ref.cli"), "serve", "--profile", str(profile), "--port", "0"],
        )
        processes.append(server)
        cas_url = server.ready.get("cas_url")
        if not isinstance(cas_url, str):
            raise LaunchError(f"cas-mfa-ref serve: the ready line has no cas_url: {server.ready}")
    except BaseException:
        for process in reversed(processes):
            process.stop()
        raise
    capabilities = ", ".join(f'"{name}"' for name in sorted(REF_HTTP_CAPABILITIES))
    path = directory / "target.toml"
    path.write_text(
        "# Written by the test session for --target ref-http (docs/target-file.md).\n"
        f'cas-url = "{cas_url}"\n'
        f"capabilities = [{capabilities}]\n\n"
        "[mocks]\n"
        f'control = "{control}"\n\n'
        "[deployment]\n"
        f'profile-dir = "{profile}"\n'
        f'refresh-url = "{cas_url.rstrip("/")}/actuator/refresh"\n',
        encoding="utf-8",
    )
    return RefHttp(load_target_file(path), processes)
