"""The ``cas-mfa-ref`` command: ``explain`` a login against a deployment profile, ``profile export``.

Exit statuses: 0 done; 2 bad input (a bad profile, request or option), with one line on standard error
naming the file and line or field, or the option; 141 (128 + SIGPIPE, as a tool killed by the signal
reports) when the reader of standard output goes away (``explain ... | head``), silently.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import math
import os
import re
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, TextIO

from cas_mfa_ref.config.files import check_name
from cas_mfa_ref.config.profile import PROPERTIES_FILE, load_profile
from cas_mfa_ref.engine.request import HttpRequest, LoginRequest
from cas_mfa_ref.errors import Origin, ProfileError, RequestError, one_line, shown
from cas_mfa_ref.explain import explain, render_text

EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 128 + 13  # SIGPIPE
COMMANDS_GROUP = "cas_mfa_ref.commands"
PROFILE_EXPORT = "profile-export"
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # an RFC 9110 token
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # what no header or cookie value can hold (tab can)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, one_line(f"{self.prog}: error: {message} (see {self.prog} --help)") + "\n")


def _port(text: str) -> int:
    if not text.strip().isascii() or not text.strip().isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{shown(text)} is not a port number (0 to 65535)")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cas-mfa-ref", description="Apereo CAS MFA semantics, as a reference implementation."
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ex = commands.add_parser("explain", help="what CAS would do for one login, and why")
    ex.add_argument("--profile", required=True, metavar="DIR", help="the deployment profile directory")
    ex.add_argument("--user", required=True, metavar="U", help="the username that logs in")
    ex.add_argument("--service", required=True, metavar="URL", help="the service URL of the login")
    ex.add_argument(
        "--param", action="append", default=[], metavar="K=V", help="a request parameter of /cas/login"
    )
    ex.add_argument("--header", action="append", default=[], metavar="K=V", help="a request header")
    ex.add_argument("--remote-addr", default="127.0.0.1", metavar="IP", help="the client address")
    ex.add_argument("--user-agent", default=None, metavar="UA", help="the client's User-Agent")
    ex.add_argument(
        "--provider-down",
        action="append",
        default=[],
        metavar="ID",
        help="treat this provider as unavailable",
    )
    ex.add_argument(
        "--sso-context",
        action="append",
        default=[],
        metavar="ID",
        help="an existing SSO session already satisfied this provider",
    )
    ex.add_argument("--json", action="store_true", help="print one JSON object")
    ex.add_argument(
        "--device-cookie",
        default=None,
        metavar="VALUE",
        help="the browser's trusted-device cookie (MFATRUSTED, or the configured name); the profile's "
        "trusted-device records (cas.authn.mfa.trusted.jpa.url=jdbc:sqlite:FILE) are looked up",
    )
    profile = commands.add_parser("profile", help="deployment profiles for a real CAS")
    profile_commands = profile.add_subparsers(dest="profile_command", required=True, parser_class=_Parser)
    export = profile_commands.add_parser(
        "export", help="write the scenarios' deployments as profiles a real CAS loads, one per group"
    )
    export.add_argument("directory", metavar="DIR", help="where the profiles and index.json are written")
    export.add_argument(
        "--mocks",
        required=True,
        metavar="CONTROL_URL",
        help="the control URL of the running `cas-mfa-mocks serve` the profiles point at",
    )
    export.add_argument("-k", dest="keyword", default=None, metavar="EXPR", help="only scenarios matching")
    export.add_argument("-m", dest="markers", default=None, metavar="EXPR", help="only these tags")
    serve = commands.add_parser("serve", help="the reference CAS as a CAS-protocol HTTP server")
    serve.add_argument("--profile", required=True, metavar="DIR", help="the deployment profile directory")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=0, metavar="N", help="the port (0 or absent: ephemeral)")
    serve.add_argument(
        "--actuator-token",
        default=None,
        metavar="TOKEN",
        help="let callers off loopback use the actuator with 'Authorization: Bearer TOKEN' "
        "(default: $CAS_MFA_REF_ACTUATOR_TOKEN; without one the actuator answers loopback callers only)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(build_parser().parse_args(argv))
    except BrokenPipeError:
        # the reader went away (explain ... | head): nothing more to say, and nothing to flush at exit
        _silence_stdout()
        return EXIT_BROKEN_PIPE


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command == "explain":
            return _explain(args)
        if args.command == "profile":
            return _extension(PROFILE_EXPORT)(args)
        if args.command == "serve":
            from cas_mfa_ref.server.serve import run  # the WSGI server is loaded only for this command

            try:
                return run(args.profile, args.host, args.port, args.actuator_token)
            except (BrokenPipeError, RequestError):
                raise
            except (OSError, ValueError) as error:  # the address cannot be bound: a start-up error
                reason = error.strerror if isinstance(error, OSError) and error.strerror else error
                raise RequestError(
                    f"--host/--port: cannot serve on {shown(args.host)} port {args.port}: {reason}"
                ) from None
    except (ProfileError, RequestError) as error:
        _emit(f"cas-mfa-ref: error: {one_line(str(error))}", sys.stderr)
        return EXIT_USAGE
    return EXIT_USAGE


def _explain(args: argparse.Namespace) -> int:
    try:
        check_name(Path(args.profile) / PROPERTIES_FILE, Origin(Path(args.profile)))
    except ProfileError as error:
        raise RequestError(f"--profile: {error.message}") from None
    params = _pairs(args.param, "--param")
    headers = _pairs(args.header, "--header")
    for name, values in headers.items():
        if not _HEADER_NAME.fullmatch(name):
            raise RequestError(f"--header {shown(name)}: not an HTTP header name")
        for value in values:
            _header_value(value, f"--header {name}")
    _address(args.remote_addr)
    if args.user_agent is not None:
        _header_value(args.user_agent, "--user-agent")
        headers.setdefault("User-Agent", []).append(args.user_agent)
    if args.device_cookie is not None:
        _header_value(args.device_cookie, "--device-cookie")
    profile = load_profile(args.profile)
    cookies = {profile.trusted.cookie_name: args.device_cookie} if args.device_cookie else {}
    http = HttpRequest(
        params=params,
        headers=headers,
        remote_addr=args.remote_addr,
        user_agent=args.user_agent,
        cookies=cookies,
    )
    request = LoginRequest(args.user, args.service, http, tuple(args.sso_context))
    result = explain(profile, request, providers_down=args.provider_down)
    _emit(json.dumps(_finite(result.as_json()), indent=2) if args.json else render_text(result))
    return 0


def _emit(text: str, stream: TextIO | None = None) -> None:
    """Print ``text`` whatever its characters (a lone surrogate from a non-UTF-8 argument prints as
    ``\\udcff``), flushed now, so a closed pipe is met here rather than at exit."""
    stream = stream or sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    stream.write(text.encode(encoding, "backslashreplace").decode(encoding) + "\n")
    stream.flush()


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's flush at exit finds no broken pipe
    (the Python documentation's advice on SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (captured in process): nothing to flush at exit
        pass


def _address(text: str) -> None:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        raise RequestError(f"--remote-addr {shown(text)}: not an IPv4 or IPv6 address") from None


def _header_value(value: str, option: str) -> None:
    if _CONTROL.search(value):
        raise RequestError(f"{option} {shown(value)}: a header value cannot hold control characters")


def _extension(name: str) -> Callable[[argparse.Namespace], int]:
    """A command the conformance suite contributes (entry point group ``cas_mfa_ref.commands``): the
    reference knows nothing of the suite, the suite registers what it adds."""
    for entry in entry_points(group=COMMANDS_GROUP, name=name):
        command: Callable[[argparse.Namespace], int] = entry.load()
        return command
    raise RequestError(f"'{name}' needs the conformance suite installed (pip install -e '.[test]')")


def _pairs(items: Sequence[str], option: str) -> dict[str, list[str]]:
    pairs: dict[str, list[str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise RequestError(f"{option} {shown(item)} is not of the form K=V")
        pairs.setdefault(key, []).append(value)
    return pairs


def _finite(value: Any) -> Any:
    """JSON has no NaN or infinities (a profile's 1e999 reads as one): such numbers are written as text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


if __name__ == "__main__":
    sys.exit(main())
