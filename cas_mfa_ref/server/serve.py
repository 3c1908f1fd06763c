"""``cas-mfa-ref serve``: the reference CAS under cheroot, ready when it prints one JSON line.

cheroot (CherryPy's production WSGI server) rather than waitress: waitress drops every request header
whose name holds an underscore, and CAS's opt-in trigger reads the header ``authn_method``, which Tomcat
passes through.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from types import FrameType
from typing import Any

from cheroot.wsgi import Server

from cas_mfa_ref.server.app import CasServer, StartResponse

THREADS = 8


class _Late:
    """The WSGI callable the server is built with; the CAS behind it needs the port the server bound."""

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
    server = Server((host, port), late, numthreads=THREADS, server_name="cas-mfa-ref")
    server.prepare()  # binds, so the ephemeral port is known
    try:
        late.target = CasServer(profile, base_url(host, int(server.bind_addr[1])))
    except BaseException:
        server.stop()
        raise
    ready = {"cas_url": late.target.base_url, "profile": str(late.target.root)}
    print(json.dumps(ready), flush=True)
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    serving = threading.Thread(target=server.serve, name="cas-mfa-ref-serve", daemon=True)
    serving.start()
    try:
        while not stopping.wait(0.2) and serving.is_alive():
            pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        server.stop()
        serving.join(timeout=5)
    sys.stdout.flush()
    return 0
