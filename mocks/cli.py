"""``cas-mfa-mocks serve``: the three mock providers and the control API, until interrupted."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mocks.control import ControlServer
from mocks.credentials import CredentialsError
from mocks.statedir import PermissionsWarning
from mocks.suite import MockSuite
from mocks.tls import CertificateError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cas-mfa-mocks", description="Controllable mock MFA providers.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve mock Duo, YubiKey and RADIUS on 127.0.0.1")
    for name in ("duo", "yubikey", "radius", "control"):
        serve.add_argument(
            f"--{name}",
            type=_port,
            default=0,
            metavar="PORT",
            help=f"the {name} port (0 or absent: an ephemeral port)",
        )
    serve.add_argument(
        "--state-dir",
        type=Path,
        metavar="DIR",
        help="keep the credentials and the test CA in DIR (made on the first start, reused after), so "
        "that a CAS configured against the mocks stays valid across restarts; pass fixed ports too. "
        "DIR is made readable by its owner only (0700, files 0600); broader permissions found there "
        "are tightened, with a warning",
    )
    serve.add_argument(
        "--yubikey-https",
        action="store_true",
        help="serve YubiKey over HTTPS, with the same CA as Duo (its ca_pem)",
    )
    return parser


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0-65535)")
    return port


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        # Held back until the suite is made: a start that fails says one line, its error.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", PermissionsWarning)
            suite = MockSuite(
                duo_port=args.duo,
                yubikey_port=args.yubikey,
                radius_port=args.radius,
                state_dir=args.state_dir,
                yubikey_https=args.yubikey_https,
            )
        for warning in caught:
            if issubclass(warning.category, PermissionsWarning):
                print(f"cas-mfa-mocks: warning: {warning.message}", file=sys.stderr)
            else:
                warnings.showwarning(warning.message, warning.category, warning.filename, warning.lineno)
    except (CredentialsError, CertificateError) as error:
        print(f"cas-mfa-mocks: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        where = f"--state-dir {args.state_dir}" if args.state_dir else "cannot prepare the mocks"
        print(f"cas-mfa-mocks: error: {where}: {error}", file=sys.stderr)
        return 2
    try:
        suite.start()
    except OSError as error:
        suite.stop()
        print(f"cas-mfa-mocks: error: cannot listen: {error.strerror or error}", file=sys.stderr)
        return 1
    try:
        control = ControlServer(suite, args.control).start()
    except OSError as error:
        suite.stop()
        print(
            f"cas-mfa-mocks: error: cannot listen on the control port: {error.strerror or error}",
            file=sys.stderr,
        )
        return 1
    ready: dict[str, Any] = {**suite.describe(), "control": control.url}
    print(json.dumps(ready), flush=True)
    stop.wait()
    control.stop()
    suite.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
