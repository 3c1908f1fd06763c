"""``cas-mfa-ref serve``: the reference CAS under waitress, ready when it prints one JSON line."""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Iterable
from pathlib import Path
from types import FrameType
from typing import Any

from waitress.server import create_server

from cas_mfa_ref.server.app import CasServer, StartResponse

THREADS = 8


class _Late:
    """The WSGI callable waitress is built with; the CAS behind it needs the port waitress bound."""

    target: CasServer | None = None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        assert self.target is not None
        return self.target(environ, start_response)


def base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/cas"


def run(profile: str | Path, host: str = "127.0.0.1", port: int = 0) -> int:
    """Serve until SIGTERM or SIGINT; a bad profile raises ProfileError before anything is printed."""
    late = _Late()
    server = create_server(
        late,
        host=host,
        port=port,
        threads=THREADS,
        ident="cas-mfa-ref",
        # waitress drops X-Forwarded-* headers from untrusted peers by default; CAS reads the header the
        # profile names (cas.audit.engine.alternate-client-addr-header-name) as sent, so they must arrive.
        clear_untrusted_proxy_headers=False,
    )
    try:
        late.target = CasServer(profile, base_url(host, int(server.effective_port)))
    except BaseException:
        server.close()
        raise
    ready = {"cas_url": late.target.base_url, "profile": str(late.target.root)}
    print(json.dumps(ready), flush=True)

    def stop(signum: int, frame: FrameType | None) -> None:
        # waitress's run() ends its loop and shuts its task threads down on SystemExit.
        raise SystemExit(0)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        server.run()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        server.close()
    sys.stdout.flush()
    return 0
