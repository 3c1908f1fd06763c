"""The target file: what the suite needs to know about a CAS deployment it drives over HTTP.

A TOML file (docs/target-file.md): the CAS URL, the capabilities the deployment declares, its users, the
mocks it reaches, and how a scenario's deployment is put in place. Every mistake is one line naming the
file and the field.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from steps.targets.base import CAPABILITIES, CLIENT_ADDRESS, DEPLOYMENT_PROFILE, REST_ENDPOINT
from steps.targets.deploymap import DeploymentMap, MapError, parse_map
from steps.targets.driversettings import DriverSettings, parse_driver

DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_TGC = "TGC"
# Capabilities that only make sense when the suite writes the deployment's profile itself.
NEED_PROFILE_DIR = (DEPLOYMENT_PROFILE, CLIENT_ADDRESS, REST_ENDPOINT)
_TOP = {
    "cas-url",
    "capabilities",
    "users",
    "mocks",
    "deployment",
    "http",
    "known-deviations",
    # The deployment map (steps.targets.deploymap) and the login driver's settings (steps.targets.driver).
    "applications",
    "factors",
    "context",
    "driver",
}
_DEPLOYMENT = {"profile-dir", "refresh-url", "profile-group"}
_HTTP = {"timeout", "verify", "tgc-cookie"}
_MOCKS = {"control"}


class TargetFileError(Exception):
    """A target file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class TargetFile:
    path: Path
    cas_url: str  # without a trailing slash, e.g. http://127.0.0.1:8443/cas
    capabilities: frozenset[str]
    deployment_map: DeploymentMap = field(default_factory=DeploymentMap)
    mocks_control: str | None = None
    profile_dir: Path | None = None
    refresh_url: str | None = None
    profile_group: str | None = None
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    verify: bool | str = True  # TLS verification of the CAS server: on, off, or a CA bundle's path
    tgc_cookie: str = DEFAULT_TGC
    sha256: str = ""  # of the file's bytes, so a report says which description of the deployment it ran

    driver: DriverSettings = field(default_factory=DriverSettings)

    @property
    def users(self) -> dict[str, str]:
        """Each mapped user's password."""
        return self.deployment_map.passwords()

    @property
    def mode(self) -> str:
        if self.profile_dir is not None:
            return "profile-dir"
        if self.profile_group is not None:
            return "profile-group"
        return "plain"


def load_target_file(path: Path, cas_url: str | None = None) -> TargetFile:
    """Read and check a target file; ``cas_url`` (``--cas-url``) overrides the file's ``cas-url``."""
    where = str(path)
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise TargetFileError(f"{where}: no such target file") from None
    except OSError as error:
        raise TargetFileError(f"{where}: cannot read the target file: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise TargetFileError(f"{where}: not valid TOML: {error}") from None
    _unknown(where, "", data, _TOP)

    url = cas_url if cas_url is not None else data.get("cas-url")
    if url is None:
        raise TargetFileError(f"{where}: cas-url: missing (or give --cas-url)")
    url = _url(where, "cas-url" if cas_url is None else "--cas-url", url)

    raw_capabilities = data.get("capabilities", [])
    if not isinstance(raw_capabilities, list) or not all(isinstance(c, str) for c in raw_capabilities):
        raise TargetFileError(f"{where}: capabilities: expected a list of capability names")
    for name in raw_capabilities:
        if name not in CAPABILITIES:
            raise TargetFileError(
                f"{where}: capabilities: unknown capability '{name}' (known: {', '.join(CAPABILITIES)})"
            )
    capabilities = frozenset(raw_capabilities)

    try:
        deployment_map = parse_map(data)
        driver = parse_driver(data.get("driver", {}))
    except MapError as error:
        raise TargetFileError(f"{where}: {error}") from None

    mocks = _table(where, "mocks", data.get("mocks", {}))
    _unknown(where, "mocks.", mocks, _MOCKS)
    control = mocks.get("control")
    if control is not None:
        control = _url(where, "mocks.control", control)

    deployment = _table(where, "deployment", data.get("deployment", {}))
    _unknown(where, "deployment.", deployment, _DEPLOYMENT)
    profile_dir: Path | None = None
    refresh_url: str | None = None
    group: str | None = None
    if "profile-dir" in deployment and "profile-group" in deployment:
        raise TargetFileError(
            f"{where}: deployment: give profile-dir (the suite writes each scenario's profile) or "
            "profile-group (the operator loaded one exported group), not both"
        )
    if "profile-dir" in deployment:
        raw_dir = deployment["profile-dir"]
        if not isinstance(raw_dir, str) or not raw_dir:
            raise TargetFileError(f"{where}: deployment.profile-dir: expected a directory path")
        profile_dir = (path.parent / raw_dir).resolve()
        if not profile_dir.is_dir():
            raise TargetFileError(f"{where}: deployment.profile-dir: {profile_dir} is not a directory")
        refresh_url = _url(
            where, "deployment.refresh-url", deployment.get("refresh-url", f"{url}/actuator/refresh")
        )
    elif "refresh-url" in deployment:
        raise TargetFileError(f"{where}: deployment.refresh-url: only meaningful with deployment.profile-dir")
    if "profile-group" in deployment:
        group = deployment["profile-group"]
        if not isinstance(group, str) or not group.strip():
            raise TargetFileError(f"{where}: deployment.profile-group: expected the group id as a string")
        group = group.strip()

    if group is not None:
        # The operator loaded one exported group: the suite's profiles are what the deployment runs, and
        # each scenario is matched to the loaded group by digest (other groups: not applicable).
        capabilities = capabilities | {DEPLOYMENT_PROFILE}
    if profile_dir is None:
        for name in NEED_PROFILE_DIR:
            if name in capabilities and not (name == DEPLOYMENT_PROFILE and group is not None):
                raise TargetFileError(
                    f"{where}: capabilities: '{name}' needs deployment.profile-dir "
                    "(the suite must write the scenario's profile)"
                )
    needs_mocks = {"provider-outage", "provider-faults", "mfa-token", "duo-universal-up"} & capabilities
    if needs_mocks and control is None:
        raise TargetFileError(
            f"{where}: mocks.control: missing, but the capabilities {', '.join(sorted(needs_mocks))} "
            "need the mock providers' control URL"
        )
    if profile_dir is not None and control is None:
        raise TargetFileError(
            f"{where}: mocks.control: missing; a deployment profile is pointed at the mock providers"
        )

    http = _table(where, "http", data.get("http", {}))
    _unknown(where, "http.", http, _HTTP)
    timeout = http.get("timeout", DEFAULT_TIMEOUT_SECONDS)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 600:
        raise TargetFileError(f"{where}: http.timeout: expected seconds, more than 0 and at most 600")
    verify = http.get("verify", True)
    if isinstance(verify, str):
        verify = str((path.parent / verify).resolve())
    elif not isinstance(verify, bool):
        raise TargetFileError(f"{where}: http.verify: expected true, false or a CA bundle's path")
    tgc = http.get("tgc-cookie", DEFAULT_TGC)
    if not isinstance(tgc, str) or not tgc:
        raise TargetFileError(f"{where}: http.tgc-cookie: expected the SSO cookie's name")

    return TargetFile(
        path=path,
        cas_url=url,
        capabilities=capabilities,
        deployment_map=deployment_map,
        driver=driver,
        mocks_control=control,
        profile_dir=profile_dir,
        refresh_url=refresh_url,
        profile_group=group,
        timeout=float(timeout),
        verify=verify,
        tgc_cookie=tgc,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _table(where: str, name: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TargetFileError(f"{where}: {name}: expected a table")
    return value


def _unknown(where: str, prefix: str, table: dict[str, Any], known: set[str]) -> None:
    for key in table:
        if key not in known:
            raise TargetFileError(
                f"{where}: {prefix}{key}: unknown field (known: {', '.join(sorted(known))})"
            )


def _url(where: str, name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TargetFileError(f"{where}: {name}: expected a URL string")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise TargetFileError(f"{where}: {name}: '{value}' is not an http(s) URL")
    return value.rstrip("/")
