"""The mocks' HTTP providers served in process to ``requests``-based clients through ``responses``.

The same routing, state and faults answer; what would be a dropped connection or a hang on the wire
becomes the exception the client would raise after its timeout, at once.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
import responses

from mocks.faults import Action
from mocks.httpd import Headers, ProviderServer, Request


def register(mock: responses.RequestsMock, server: ProviderServer) -> None:
    """Answer every request to the server's URL (by localhost or 127.0.0.1) from its routes."""
    pattern = re.compile(rf"{server.scheme}://(localhost|127\.0\.0\.1):{server.port}/.*")
    for method in ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        mock.add_callback(method, pattern, callback=lambda prepared: _answer(server, prepared))


def _answer(server: ProviderServer, prepared: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(prepared.url or "")
    body: Any = prepared.body or b""
    request = Request(
        prepared.method or "GET",
        parts.path,
        parse_qs(parts.query, keep_blank_values=True),
        Headers(prepared.headers.items()),
        body if isinstance(body, bytes) else body.encode(),
        "127.0.0.1",
    )
    effect, response = server.respond(request)
    delay = effect.delay_ms / 1000
    patience = _read_timeout(prepared)
    if patience is not None and delay >= patience:
        server.wait(patience)
        raise requests.ReadTimeout(f"{server.name} mock: slower than the client's {patience:g} s timeout")
    server.wait(delay)
    if response is None:
        if effect.action is Action.HANG:
            raise requests.ReadTimeout(f"{server.name} mock: no answer (fault {effect.fault})")
        raise requests.ConnectionError(f"{server.name} mock: connection refused (fault {effect.fault})")
    # no body to a HEAD (RFC 9110 §9.3.2); urllib3 refuses one
    return response.status, dict(response.headers), b"" if request.method == "HEAD" else response.body


def _read_timeout(prepared: requests.PreparedRequest) -> float | None:
    """The read timeout the client asked for (``responses`` keeps the call's arguments)."""
    timeout = getattr(prepared, "req_kwargs", {}).get("timeout")
    if isinstance(timeout, tuple):
        timeout = timeout[1]
    return float(timeout) if isinstance(timeout, int | float) else None
