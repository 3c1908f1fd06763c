"""The ``cas-mfa-ref`` command: ``explain`` a login against a deployment profile."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from cas_mfa_ref.config.profile import load_profile
from cas_mfa_ref.engine.request import HttpRequest, LoginRequest
from cas_mfa_ref.errors import ProfileError, RequestError
from cas_mfa_ref.explain import explain, render_text

EXIT_USAGE = 2


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "explain":
            return _explain(args)
    except (ProfileError, RequestError) as error:
        print(f"cas-mfa-ref: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_USAGE


def _explain(args: argparse.Namespace) -> int:
    params = _pairs(args.param, "--param")
    headers = _pairs(args.header, "--header")
    if args.user_agent is not None:
        headers.setdefault("User-Agent", []).append(args.user_agent)
    http = HttpRequest(
        params=params, headers=headers, remote_addr=args.remote_addr, user_agent=args.user_agent
    )
    profile = load_profile(args.profile)
    request = LoginRequest(args.user, args.service, http, tuple(args.sso_context))
    result = explain(profile, request, providers_down=args.provider_down)
    if args.json:
        print(json.dumps(result.as_json(), indent=2))
    else:
        print(render_text(result))
    return 0


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
