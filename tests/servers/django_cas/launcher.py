"""Start django-cas-server on loopback: migrate, provision, serve with waitress, print one ready line.

    python -m tests.servers.django_cas.launcher [--host 127.0.0.1] [--port 0] [--data-dir DIR]

Run from the repository root. The database goes in ``--data-dir`` (default: a temporary directory,
removed at exit). Once the server listens, one JSON line is printed and flushed:
``{"cas_url": "http://127.0.0.1:PORT/cas"}``. SIGTERM or SIGINT stops it.

With ``--house-login`` the login page is the deployment's own (templates/house/login.html, house.py):
other field names, an extra hidden field, two named buttons.

Provisioned: the user ``casuser`` / ``Mellon`` with a few attributes, and one service pattern accepting
https://app.example.org and https://other.example.org (any path) that releases every attribute.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

SETTINGS_MODULE = "tests.servers.django_cas.settings"
DATA_DIR_VARIABLE = "DJANGO_CAS_DATA_DIR"
HOUSE_LOGIN_VARIABLE = "DJANGO_CAS_HOUSE_LOGIN"

# username -> (password, attributes released at validation); a list is a multi-valued attribute.
USERS: Mapping[str, tuple[str, Mapping[str, Any]]] = {
    "casuser": (
        "Mellon",
        {"email": "casuser@example.org", "displayName": "CAS User", "memberOf": ["staff", "faculty"]},
    ),
}
SERVICE_NAME = "example applications"
SERVICE_PATTERN = r"^https://(app|other)\.example\.org(/.*)?$"


def provision() -> None:
    """The users, their attributes and the service pattern (idempotent: a restart keeps one of each)."""
    from cas_server.models import ReplaceAttributName, ServicePattern, UserAttributes
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    for username, (password, attributes) in USERS.items():
        user, _ = user_model.objects.get_or_create(username=username)
        user.set_password(password)
        user.save()
        stored, _ = UserAttributes.objects.get_or_create(username=username)
        stored.attributs = dict(attributes)
        stored.save()
    pattern, _ = ServicePattern.objects.update_or_create(
        name=SERVICE_NAME,
        defaults={
            "pattern": SERVICE_PATTERN,
            "pos": 100,
            "user_field": "",
            "restrict_users": False,
            "proxy": False,
            "proxy_callback": False,
            # Single logout would POST to https://app.example.org: nothing leaves this machine.
            "single_log_out": False,
        },
    )
    # "*": release every attribute of the user under its own name.
    ReplaceAttributName.objects.get_or_create(name="*", replace="", service_pattern=pattern)


def _loopback(host: str) -> str:
    try:
        if ipaddress.ip_address(host).is_loopback:
            return host
    except ValueError:
        if host == "localhost":
            return host
    raise SystemExit(f"django-cas launcher: --host must be a loopback address, not {host!r}")


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.servers.django_cas.launcher")
    parser.add_argument("--host", default="127.0.0.1", type=_loopback)
    parser.add_argument("--port", default=0, type=int, help="0 (the default): an ephemeral port")
    parser.add_argument("--data-dir", type=Path, help="for the SQLite database (default: a temporary one)")
    parser.add_argument("--threads", default=4, type=int)
    parser.add_argument(
        "--house-login",
        action="store_true",
        help="serve the deployment's own login page (other field names, an extra hidden field)",
    )
    args = parser.parse_args(argv)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    own_dir = None
    if args.data_dir is None:
        own_dir = tempfile.mkdtemp(prefix="django-cas-")
        data_dir = Path(own_dir)
    else:
        data_dir = args.data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
    os.environ[DATA_DIR_VARIABLE] = str(data_dir.resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    if args.house_login:
        os.environ[HOUSE_LOGIN_VARIABLE] = "1"

    server: Any = None
    try:
        import django
        from django.core.management import call_command
        from django.core.wsgi import get_wsgi_application
        from waitress import create_server

        django.setup()
        call_command("migrate", interactive=False, verbosity=0)
        provision()
        application: Any = get_wsgi_application()
        if args.house_login:
            from tests.servers.django_cas.house import house_login

            application = house_login(application)
        server = create_server(application, host=args.host, port=args.port, threads=args.threads)
        host = f"[{args.host}]" if ":" in args.host else args.host
        print(json.dumps({"cas_url": f"http://{host}:{server.effective_port}/cas"}), flush=True)
        server.run()
    finally:
        if server is not None:
            server.close()
        if own_dir is not None:
            shutil.rmtree(own_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
