"""``cas-mfa-ref serve``: the reference CAS under waitress, ready when it prints one JSON line.

The transport (:mod:`cas_mfa_ref.server.transport`) says why waitress, and which limits it enforces.
SIGTERM or SIGINT stops it within about a second, whatever connections are open.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from types import FrameType
from typing import Any

from waitress import wasyncore

from cas_mfa_ref.server.access import TOKEN_ENV, exposure_warning
from cas_mfa_ref.server.app import CasServer, StartResponse
from cas_mfa_ref.server.transport import make_server

STOP_SECONDS = 1.0  # the longest a stop waits for a request in progress


class _Late:
    """The WSGI callable the server is built with; the CAS behind it needs the port the server bound."""

    target: CasServer | None = None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        assert self.target is not None
        return self.target(environ, start_response)


def base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/cas"


def run(
    profile: str | Path, host: str = "127.0.0.1", port: int = 0, actuator_token: str | None = None
) -> int:
    """Serve until SIGTERM or SIGINT; a bad profile raises ProfileError before anything is printed.
    ``actuator_token`` (else the environment's :data:`~cas_mfa_ref.server.access.TOKEN_ENV`) lets callers
    off loopback use the actuator."""
    token = actuator_token or os.environ.get(TOKEN_ENV) or None
    late = _Late()
    server = make_server(late, host, port)  # binds, so the ephemeral port is known
    exposed = exposure_warning(host, token)
    if exposed:
        print(f"cas-mfa-ref: {exposed}", file=sys.stderr, flush=True)
    try:
        late.target = CasServer(profile, base_url(host, int(server.effective_port)), actuator_token=token)
    except BaseException:
        server.close()
        raise
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    # Before the ready line: a caller may stop the server the moment it reads that line.
    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    serving = threading.Thread(target=server.run, name="cas-mfa-ref-serve", daemon=True)
    try:
        ready = {"cas_url": late.target.base_url, "profile": str(late.target.root)}
        print(json.dumps(ready), flush=True)
        serving.start()
        while not stopping.wait(0.2) and serving.is_alive():
            pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        # Stop accepting, let a request in progress finish for a moment, and leave: the loop thread and
        # the workers are daemons, and every open connection closes with the process. The loop's wake-up
        # pipe stays open until then: a worker finishing its request still writes to it.
        wasyncore.dispatcher.close(server)
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=STOP_SECONDS)
    sys.stdout.flush()
    if not stopping.is_set():
        print("cas-mfa-ref: error: the server's loop ended unexpectedly", file=sys.stderr, flush=True)
        return 1
    return 0
