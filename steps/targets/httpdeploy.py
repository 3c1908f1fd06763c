"""Putting a scenario's deployment in place over HTTP, in the target file's mode (docs/target-file.md).

``profile-dir``: the suite writes the scenario's profile where the CAS reads it and POSTs the refresh URL;
``profile-group``: the operator loaded one exported group, and a scenario runs only if its profile is that
group; ``plain``: the deployment is what it is, and only scenarios that ask nothing more of it run.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import pytest
import requests

from steps.deployment import Deployment
from steps.digest import profile_digest
from steps.targets.base import DEPLOYMENT_PROFILE
from steps.targets.httpmanagement import actuator_headers
from steps.targets.httpmocks import MockProviders
from steps.targets.reststub import RestStub
from steps.targets.targetfile import TargetFile

CLIENT_ADDRESS_PROPERTY = "cas.audit.engine.alternate-client-addr-header-name"
CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
_URL = re.compile(r"https?://\S+")


class DeploymentPlacer:
    def __init__(
        self,
        target_file: TargetFile,
        workdir: Path,
        mocks: MockProviders,
        not_applicable: Callable[[str, str], NoReturn],
    ) -> None:
        self._file = target_file
        self._workdir = workdir
        self._mocks = mocks
        self._not_applicable = not_applicable
        self._rest: RestStub | None = None

    def place(self, deployment: Deployment) -> None:
        mode = self._file.mode
        if mode == "plain":
            reason = not_plain(deployment, self._file.users)
            if reason:
                self._not_applicable(DEPLOYMENT_PROFILE, f"the deployment under test is fixed and {reason}")
            return
        pointed = deployment.pointed_at(self._mocks.description())
        if mode == "profile-group":
            digest = profile_digest(pointed.write(self._workdir / "profile"))
            if digest != self._file.profile_group:
                self._not_applicable(
                    DEPLOYMENT_PROFILE,
                    f"the deployment under test loaded profile group {self._file.profile_group}; "
                    f"this scenario's profile is group {digest}",
                )
            return
        self._write_profile(pointed)

    def stub(self) -> RestStub:
        """The loopback server that plays the scenario's REST endpoints."""
        if self._rest is None:
            self._rest = RestStub()
        return self._rest

    def rest_calls(self, url: str) -> list[Mapping[str, str]]:
        return self._rest.calls(url) if self._rest is not None else []

    def close(self) -> None:
        if self._rest is not None:
            self._rest.close()

    def _write_profile(self, pointed: Deployment) -> None:
        directory = self._file.profile_dir
        assert directory is not None and self._file.refresh_url is not None
        folded = {_folded(name) for name in pointed.properties}
        if _folded(CLIENT_ADDRESS_PROPERTY) not in folded:
            pointed.properties[CLIENT_ADDRESS_PROPERTY] = CLIENT_ADDRESS_HEADER
        for name, value in list(pointed.properties.items()):
            if _URL.fullmatch(value.strip()) and urlsplit(value.strip()).hostname not in _LOOPBACK:
                pointed.properties[name] = self.stub().local_url(value.strip())
        for child in directory.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        pointed.write(directory)
        url = self._file.refresh_url
        try:
            answer = requests.post(
                url, timeout=self._file.timeout, verify=self._file.verify, headers=actuator_headers()
            )
        except requests.RequestException as error:
            pytest.fail(f"the deployment was not reloaded: POST {url} failed: {error}")
        if answer.status_code == 400:
            pytest.fail(f"CAS refused the scenario's profile (POST {url}: 400): {answer.text}")
        if answer.status_code >= 300:
            pytest.fail(
                f"the deployment was not reloaded: POST {url} answered HTTP {answer.status_code}: "
                f"{answer.text[:300]}"
            )


def not_plain(deployment: Deployment, users: Mapping[str, str]) -> str | None:
    """Why a scenario's deployment is more than users and plain services (None when it is plain)."""
    if deployment.properties:
        return f"the scenario sets CAS properties ({next(iter(deployment.properties))} ...)"
    if deployment.files:
        return f"the scenario adds files to the profile ({', '.join(sorted(deployment.files))})"
    for service in deployment.services:
        if service.get("multifactorPolicy"):
            return f"the scenario gives {service.get('serviceId')} a multifactor policy"
    for user in deployment.users:
        if user not in users:
            return f"the scenario's user {user} is not among the target file's users"
    if any(deployment.attributes.values()):
        return "the scenario gives its users attributes"
    return None


def _folded(name: str) -> str:
    return name.lower().replace("-", "").replace("_", "")
