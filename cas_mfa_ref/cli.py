"""The ``cas-mfa-ref`` command: ``explain`` a login against a deployment profile, ``profile export``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points

from cas_mfa_ref.config.profile import load_profile
from cas_mfa_ref.engine.request import HttpRequest, LoginRequest
from cas_mfa_ref.errors import ProfileError, RequestError
from cas_mfa_ref.explain import explain, render_text

EXIT_USAGE = 2
COMMANDS_GROUP = "cas_mfa_ref.commands"
PROFILE_EXPORT = "profile-export"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


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
    serve.add_argument("--port", type=int, default=0, metavar="N", help="the port (0 or absent: ephemeral)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "explain":
            return _explain(args)
        if args.command == "profile":
            return _extension(PROFILE_EXPORT)(args)
        if args.command == "serve":
            from cas_mfa_ref.server.serve import run  # the WSGI server is loaded only for this command

            return run(args.profile, args.host, args.port)
    except (ProfileError, RequestError) as error:
        print(f"cas-mfa-ref: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_USAGE


def _explain(args: argparse.Namespace) -> int:
    params = _pairs(args.param, "--param")
    headers = _pairs(args.header, "--header")
    if args.user_agent is not None:
        headers.setdefault("User-Agent", []).append(args.user_agent)
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
    if args.json:
        print(json.dumps(result.as_json(), indent=2))
    else:
        print(render_text(result))
    return 0


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
            raise RequestError(f"{option} '{item}' is not of the form K=V")
        pairs.setdefault(key, []).append(value)
    return pairs


if __name__ == "__main__":
    sys.exit(main())
