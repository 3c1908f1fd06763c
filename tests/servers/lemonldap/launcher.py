"""Start LemonLDAP::NG's portal on loopback as a CAS server with TOTP step-up, print one ready line.

    python -m tests.servers.lemonldap.launcher [--host 127.0.0.1] [--port 0] [--data-dir DIR]

Run from the repository root. Everything the portal writes (its ``lemonldap-ng.ini``, the File-backend
configuration ``conf/lmConf-1.json``, sessions, persistent sessions, caches, its log) goes in ``--data-dir``
(default: a temporary directory, removed at exit); nothing under /etc or /var. The portal is Debian's
LemonLDAP::NG 2.16 PSGI application served by ``plackup``, configured as an operator would, through the
configuration file only. Once ``/cas/login`` answers and the TOTP of ``dwho`` is enrolled (through the
portal's own registration API, as its registration page does), one JSON line is printed and flushed::

    {"cas_url": "http://127.0.0.1:PORT/cas", "portal": "http://127.0.0.1:PORT/",
     "users": {"dwho": {"password": "dwho", "totp": {"secret": "BASE32", "digits": 6, "period": 30,
               "algorithm": "SHA1", "name": "conformance"}}, "rtyler": {"password": "rtyler"}, ...},
     "applications": {"wiki": {"service": "https://wiki.badwolf.org/", "level": 0}, ...},
     "levels": {"password": 1, "totp": 5}}

SIGTERM or SIGINT stops the portal's process group, then the launcher. See docs/lemonldap.md.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from types import FrameType
from typing import Any

import pyotp
import requests

PORTAL_PSGI = Path("/usr/share/lemonldap-ng/portal/htdocs/index.psgi")
PORTAL_STATIC = Path("/usr/share/lemonldap-ng/portal/htdocs/static")
PORTAL_TEMPLATES = Path("/usr/share/lemonldap-ng/portal/templates")
PLACKUP = "plackup"
# Perl modules the portal loads that liblemonldap-ng-portal-perl only recommends or suggests -> Debian package.
PERL_PACKAGES: Mapping[str, str] = {
    "GD/SecurityImage": "libgd-securityimage-perl",  # the captcha plugin, loaded even when unused
    "Image/Magick": "libimage-magick-perl",  # GD::SecurityImage's backend as LemonLDAP::NG asks for it
    "IO/String": "libio-string-perl",  # Lemonldap::NG::Portal::Main::Issuer
    "XML/Simple": "libxml-simple-perl",  # Lemonldap::NG::Portal::Lib::CAS
    "Convert/Base32": "libconvert-base32-perl",  # TOTP
    "Digest/HMAC_SHA1": "libdigest-hmac-perl",  # TOTP
}

# The Demo backend's accounts: the password is the login (Lemonldap::NG::Portal::Auth::Demo).
USERS: Mapping[str, str] = {"dwho": "dwho", "rtyler": "rtyler", "msmith": "msmith"}
TOTP_USER = "dwho"
TOTP_NAME = "conformance"
TOTP_DIGITS = 6
TOTP_PERIOD = 30

# A password (web form) login over http:// is level 1 (2 over https://, Auth::_WebForm); TOTP sets 5.
PASSWORD_LEVEL = 1
TOTP_LEVEL = 5
# portalForceAuthnInterval (LemonLDAP::NG's default, stated): how recent a login renew=true accepts, in s.
FORCE_AUTHN_INTERVAL = 5


@dataclass(frozen=True)
class Application:
    """A CAS application: the service URL prefix it owns and the authentication level it requires."""

    service: str
    level: int = 0  # 0: none (LemonLDAP::NG reads a missing casAppMetaDataOptionsAuthnLevel as 0)


APPLICATIONS: Mapping[str, Application] = {
    "wiki": Application("https://wiki.badwolf.org/"),
    "intranet": Application("https://intranet.badwolf.org/"),
    "payroll": Application("https://payroll.badwolf.org/", TOTP_LEVEL),
    "vault": Application("https://vault.badwolf.org/", TOTP_LEVEL),
}

# CAS attribute -> session key, released by /cas/serviceValidate and /cas/p3/serviceValidate.
EXPORTED_ATTRIBUTES: Mapping[str, str] = {
    "cn": "cn",
    "mail": "mail",
    "uid": "uid",
    "groups": "groups",
    "authenticationLevel": "authenticationLevel",
    "secondFactor": "_2f",  # the second factor used by the session ("totp"), absent without one
}

START_TIMEOUT = 60.0
REQUEST_TIMEOUT = 10.0
STOP_GRACE = 10.0
PORT_ATTEMPTS = 3


class LauncherError(RuntimeError):
    """The portal could not be configured, started or provisioned; the message says why."""


def configuration(portal: str, host: str, data_dir: Path, key: str) -> dict[str, Any]:
    """``lmConf-1.json``: the Demo backend, the CAS issuer, four CAS applications and TOTP step-up."""
    sessions, psessions = data_dir / "sessions", data_dir / "psessions"
    return {
        "cfgNum": 1,
        "cfgVersion": "2.16.1",
        "cfgAuthor": "tests/servers/lemonldap/launcher.py",
        "cfgDate": str(int(time.time())),
        "cfgLog": "CAS on loopback with TOTP step-up, for the conformance suite",
        # The portal's symmetric key (it encrypts the interstitials' confirmation stamps); one per start.
        "key": key,
        "portal": portal,
        # The SSO cookie's Domain: the portal's own host (the portal refuses an empty domain).
        "domain": host,
        "cookieName": "lemonldap",
        "securedCookie": 0,
        "https": 0,
        "authentication": "Demo",
        "userDB": "Same",
        "passwordDB": "Demo",
        "registerDB": "Null",
        "demoExportedVars": {"cn": "cn", "mail": "mail", "uid": "uid"},
        "whatToTrace": "uid",
        "macros": {},
        "groups": {},
        "exportedVars": {},
        "locationRules": {},
        "exportedHeaders": {},
        "globalStorage": "Apache::Session::File",
        "globalStorageOptions": {
            "Directory": str(sessions),
            "LockDirectory": str(sessions / "lock"),
            "generateModule": "Lemonldap::NG::Common::Apache::Session::Generate::SHA256",
        },
        # TOTP devices live in the persistent session of each user.
        "persistentStorage": "Apache::Session::File",
        "persistentStorageOptions": {"Directory": str(psessions), "LockDirectory": str(psessions / "lock")},
        "localSessionStorage": "Cache::FileCache",
        "localSessionStorageOptions": {
            "cache_root": str(data_dir / "cache"),
            "cache_depth": 3,
            "default_expires_in": 600,
            "directory_umask": "007",
            "namespace": "lemonldap-ng-sessions",
        },
        "notification": 0,
        "portalSkin": "bootstrap",
        "portalDisplayRegister": 0,
        "timeout": 72000,
        # CAS issuer at /cas/: /cas/login, /cas/logout, /cas/serviceValidate, /cas/p3/serviceValidate.
        "issuerDBCASActivation": 1,
        "issuerDBCASPath": "^/cas/",
        "issuerDBCASRule": 1,
        # "error", not the default "none": only then does /cas/login compare the SSO session's level
        # with the application's and ask for an upgrade (Issuer::CAS::run); unknown services are refused.
        "casAccessControlPolicy": "error",
        "casTicketExpiration": 0,
        # The default, stated because renew depends on it: renew=true within 5 s of a login is honoured
        # without asking again, and only tickets issued within 5 s of a login validate with renew=true.
        "portalForceAuthnInterval": FORCE_AUTHN_INTERVAL,
        "casAppMetaDataOptions": {
            name: {
                "casAppMetaDataOptionsService": app.service,
                **({"casAppMetaDataOptionsAuthnLevel": app.level} if app.level else {}),
            }
            for name, app in APPLICATIONS.items()
        },
        "casAppMetaDataExportedVars": {name: dict(EXPORTED_ATTRIBUTES) for name in APPLICATIONS},
        # TOTP: users register their own (the launcher does it for dwho through the portal's API); "1"
        # means "for users who registered one" (has2f("TOTP")). Passing it sets the session's level to 5.
        "totp2fActivation": 1,
        "totp2fSelfRegistration": 1,
        "totp2fAuthnLevel": TOTP_LEVEL,
        "totp2fDigits": TOTP_DIGITS,
        "totp2fInterval": TOTP_PERIOD,
        "totp2fRange": 1,
        "totp2fIssuer": "LemonLDAP::NG conformance",
        # Ask for the second factor only when the target application requires a higher level than the
        # session has: a password-only session stays level 1 until a level-5 application is opened. Then
        # the "upgrade session" interstitial (upgradeSession, on by default) runs only the TOTP step.
        "sfOnlyUpgrade": 1,
        "upgradeSession": 1,
        "skipUpgradeConfirmation": 0,
    }


def ini(data_dir: Path, log_level: str) -> str:
    """``lemonldap-ng.ini``: the configuration backend (File in ``data_dir/conf``) and portal settings."""
    cache_options = (
        "{ 'namespace' => 'lemonldap-ng-config', 'default_expires_in' => 600, "
        f"'directory_umask' => '007', 'cache_root' => '{data_dir / 'cache'}', 'cache_depth' => 3 }}"
    )
    return (
        "; Written by tests/servers/lemonldap/launcher.py\n"
        "[all]\n"
        f"logLevel = {log_level}\n"
        # Std: the log goes to the portal's standard error, which the launcher keeps in a file.
        "logger = Lemonldap::NG::Common::Logger::Std\n"
        "\n[configuration]\n"
        "type = File\n"
        f"dirName = {data_dir / 'conf'}\n"
        "prettyPrint = 1\n"
        "localStorage = Cache::FileCache\n"
        f"localStorageOptions = {cache_options}\n"
        "\n[portal]\n"
        "staticPrefix = /static\n"
        f"templateDir = {PORTAL_TEMPLATES}\n"
        "languages = en\n"
        "\n[handler]\n"
        "status = 0\n"
    )


def psgi(static: Path, portal_psgi: Path) -> str:
    """A PSGI wrapper: Debian's portal application, plus its static files, which Apache would serve."""
    return (
        "use strict;\n"
        "use Plack::Builder;\n"
        "use Plack::App::File;\n"
        "use Plack::Util;\n"
        f"my $portal = Plack::Util::load_psgi('{portal_psgi}');\n"
        "builder {\n"
        f"    mount '/static' => Plack::App::File->new( root => '{static}' )->to_app;\n"
        "    mount '/' => $portal;\n"
        "};\n"
    )


def write_files(data_dir: Path, host: str, port: int, log_level: str) -> tuple[Path, Path, str]:
    """The ini, the configuration, the PSGI wrapper and the storage directories; the portal's URL too."""
    portal = f"http://{host}:{port}/"
    for directory in ("conf", "sessions/lock", "psessions/lock", "cache"):
        (data_dir / directory).mkdir(parents=True, exist_ok=True)
    conf = configuration(portal, host, data_dir.resolve(), secrets.token_urlsafe(24))
    (data_dir / "conf" / "lmConf-1.json").write_text(json.dumps(conf, indent=3, sort_keys=True) + "\n")
    ini_path = data_dir / "lemonldap-ng.ini"
    ini_path.write_text(ini(data_dir.resolve(), log_level))
    psgi_path = data_dir / "portal.psgi"
    psgi_path.write_text(psgi(PORTAL_STATIC, PORTAL_PSGI))
    return ini_path, psgi_path, portal


def missing() -> str | None:
    """What of LemonLDAP::NG's portal is not installed here, or None when it all is."""
    if not PORTAL_PSGI.is_file():
        return f"{PORTAL_PSGI} (Debian package liblemonldap-ng-portal-perl)"
    if shutil.which(PLACKUP) is None:
        return "plackup (Debian package libplack-perl)"
    return None


def free_port(host: str) -> int:
    """A port free on ``host`` now; the portal's URL must name it before the portal starts."""
    with socket.socket(socket.AF_INET) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class Portal:
    """plackup serving the portal, in its own process group, standard error in a file."""

    def __init__(self, data_dir: Path, host: str, port: int, log_level: str) -> None:
        self.ini, self.psgi, self.url = write_files(data_dir, host, port, log_level)
        self.log = data_dir / "portal.log"
        self.host, self.port = host, port
        env = dict(os.environ, LLNG_DEFAULTCONFFILE=str(self.ini.resolve()))
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [PLACKUP, "--host", host, "--port", str(port), "--no-default-middleware", str(self.psgi)],
                cwd=data_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,  # its own group: stopping it stops whatever it forks
            )

    def log_tail(self, size: int = 4000) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return text if len(text) <= size else "...\n" + text[-size:]

    def diagnosis(self) -> str:
        """The log's tail, after the Debian packages of any Perl module the portal could not load."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        modules = sorted(set(re.findall(r"Can't locate (\S+)\.pm in ", text)))
        hints = [
            f"{m.replace('/', '::')} ({PERL_PACKAGES.get(m, 'see apt-file search ' + m + '.pm')})"
            for m in modules
        ]
        missing_modules = f"missing Perl modules: {', '.join(hints)}\n" if hints else ""
        # A failed initialisation repeats one line per request: keep the first occurrence of each line.
        lines = list(dict.fromkeys(re.sub(r"^\[[^]]*\] ", "", line) for line in text.splitlines()))
        tail = "\n".join(lines)
        return missing_modules + "its log:\n" + (tail if len(tail) <= 4000 else "...\n" + tail[-4000:])

    def wait_ready(self, deadline: float) -> None:
        """Until ``/cas/login`` answers 200; LauncherError if the portal dies, fails or the deadline passes."""
        url = f"{self.url}cas/login"
        while True:
            if self.process.poll() is not None:
                raise LauncherError(
                    f"the portal exited with status {self.process.returncode}; {self.diagnosis()}"
                )
            status = None
            with contextlib.suppress(requests.RequestException):
                status = requests.get(url, timeout=2, allow_redirects=False).status_code
            if status == 200:
                return
            # The portal reads its configuration once, at the first request: a 500 then will not heal.
            if status is not None and status >= 500:
                raise LauncherError(f"{url} answered HTTP {status}; {self.diagnosis()}")
            if time.monotonic() >= deadline:
                raise LauncherError(f"{url} did not answer within the start timeout; {self.diagnosis()}")
            time.sleep(0.2)

    def stop(self, grace: float = STOP_GRACE) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(grace)
        else:
            # plackup is gone; a forked worker it left would still hold the group.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)


class _HiddenInputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "input" and named.get("type") == "hidden" and named.get("name"):
            self.values[str(named["name"])] = named.get("value") or ""


def enroll_totp(portal: str, user: str, password: str) -> str:
    """Register a TOTP for ``user`` as the portal's registration page (totpregistration.js) does; its secret.

    Log in at the portal, POST ``2fregisters/totp/getkey`` (a new secret and a one-time token), then POST
    ``2fregisters/totp/verify`` with the token, a code computed by pyotp and the device's ``TOTPName``. Both
    calls need the ``X-CSRF-Check`` header (Lemonldap::NG::Portal::2F::Register::TOTP).
    """
    headers = {"X-CSRF-Check": "1", "Accept": "application/json"}
    try:
        with requests.Session() as browser:
            page = browser.get(portal, timeout=REQUEST_TIMEOUT)
            page.raise_for_status()
            hidden = _HiddenInputs()
            hidden.feed(page.text)
            form = dict(hidden.values, user=user, password=password)
            login = browser.post(portal, data=form, timeout=REQUEST_TIMEOUT, allow_redirects=False)
            if "lemonldap" not in browser.cookies:
                raise LauncherError(f"could not log in as {user} to enroll a TOTP: HTTP {login.status_code}")
            key = browser.post(f"{portal}2fregisters/totp/getkey", headers=headers, timeout=REQUEST_TIMEOUT)
            offer = key.json()
            if not isinstance(offer, dict) or "secret" not in offer or "token" not in offer:
                raise LauncherError(
                    f"2fregisters/totp/getkey answered HTTP {key.status_code}: {key.text[:300]}"
                )
            # The portal hands out lower-case base32; authenticator apps and pyotp take upper case.
            secret = str(offer["secret"]).upper()
            code = pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_PERIOD).now()
            verify = browser.post(
                f"{portal}2fregisters/totp/verify",
                headers=headers,
                data={"token": offer["token"], "code": code, "TOTPName": TOTP_NAME},
                timeout=REQUEST_TIMEOUT,
            )
            if verify.status_code != 200 or verify.json() != {"result": 1}:
                raise LauncherError(
                    f"2fregisters/totp/verify answered HTTP {verify.status_code}: {verify.text[:300]}"
                )
            # Leave no SSO session behind: the tests start from none.
            browser.get(portal, params={"logout": "1"}, timeout=REQUEST_TIMEOUT)
    except (requests.RequestException, ValueError) as error:
        raise LauncherError(f"could not enroll a TOTP for {user}: {error!r}") from None
    return secret


def ready_line(portal: str, secret: str) -> dict[str, Any]:
    users: dict[str, Any] = {name: {"password": password} for name, password in USERS.items()}
    users[TOTP_USER]["totp"] = {
        "secret": secret,
        "digits": TOTP_DIGITS,
        "period": TOTP_PERIOD,
        "algorithm": "SHA1",
        "name": TOTP_NAME,
    }
    return {
        "cas_url": f"{portal}cas",
        "portal": portal,
        "users": users,
        "applications": {
            name: {"service": app.service, "level": app.level} for name, app in APPLICATIONS.items()
        },
        "levels": {"password": PASSWORD_LEVEL, "totp": TOTP_LEVEL},
    }


def _loopback(host: str) -> str:
    # IPv4 only: the portal's URL and its cookie domain are built from the bare address.
    try:
        if (
            isinstance(ipaddress.ip_address(host), ipaddress.IPv4Address)
            and ipaddress.ip_address(host).is_loopback
        ):
            return host
    except ValueError:
        pass
    raise SystemExit(f"lemonldap launcher: --host must be an IPv4 loopback address, not {host!r}")


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def start(data_dir: Path, host: str, port: int, log_level: str, timeout: float) -> Portal:
    """The portal, listening and answering; a taken ephemeral port is retried on another."""
    deadline = time.monotonic() + timeout
    for attempt in range(1, PORT_ATTEMPTS + 1):
        portal = Portal(data_dir, host, port or free_port(host), log_level)
        try:
            portal.wait_ready(deadline)
            return portal
        except BaseException as error:
            # A failure, or SIGTERM while starting: never leave plackup behind.
            portal.stop()
            # Another process may have taken the port between the probe and plackup's bind.
            taken = "Address already in use" in portal.log_tail()
            if not (isinstance(error, LauncherError) and taken and not port and attempt < PORT_ATTEMPTS):
                raise
    raise AssertionError("unreachable")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.servers.lemonldap.launcher")
    parser.add_argument("--host", default="127.0.0.1", type=_loopback)
    parser.add_argument("--port", default=0, type=int, help="0 (the default): a free port")
    parser.add_argument(
        "--data-dir", type=Path, help="for configuration, sessions and log (default: temporary)"
    )
    parser.add_argument("--log-level", default="notice", choices=["error", "warn", "notice", "info", "debug"])
    parser.add_argument("--start-timeout", default=START_TIMEOUT, type=float)
    args = parser.parse_args(argv)

    absent = missing()
    if absent is not None:
        print(f"lemonldap launcher: LemonLDAP::NG is not installed: no {absent}", file=sys.stderr)
        return 3

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    own_dir = None
    if args.data_dir is None:
        own_dir = tempfile.mkdtemp(prefix="lemonldap-")
        data_dir = Path(own_dir)
    else:
        data_dir = args.data_dir
        data_dir.mkdir(parents=True, exist_ok=True)

    portal: Portal | None = None
    try:
        portal = start(data_dir, args.host, args.port, args.log_level, args.start_timeout)
        secret = enroll_totp(portal.url, TOTP_USER, USERS[TOTP_USER])
        print(json.dumps(ready_line(portal.url, secret)), flush=True)
        status = portal.process.wait()
        print(
            f"lemonldap launcher: the portal exited with status {status}; {portal.diagnosis()}",
            file=sys.stderr,
        )
        return 1
    except LauncherError as error:
        print(f"lemonldap launcher: {error}", file=sys.stderr)
        return 1
    finally:
        if portal is not None:
            portal.stop()
        if own_dir is not None:
            shutil.rmtree(own_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
