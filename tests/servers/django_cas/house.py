"""The WSGI shim behind the "house" login page (launcher ``--house-login``).

A deployment that themes its login page may rename its fields; here the page posts ``account`` and
``passphrase`` with a hidden ``house_nonce`` and the pressed button ``go=sign-in``, and this shim maps them
back to django-cas-server's ``username`` and ``password``. A post that lacks the hidden field or the
button's value is refused with 400, so a client that drops hidden inputs or presses no button is caught.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from io import BytesIO
from typing import Any
from urllib.parse import parse_qsl, urlencode

HOUSE_NONCE = "eu-2026"
RENAMED = {"account": "username", "passphrase": "password"}
MAX_BODY = 64 * 1024

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
App = Callable[[Environ, StartResponse], Iterable[bytes]]


def house_login(app: App) -> App:
    def shim(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or not str(environ.get("PATH_INFO", "")).endswith(
            "/login"
        ):
            return app(environ, start_response)
        try:
            length = min(int(environ.get("CONTENT_LENGTH") or 0), MAX_BODY)
        except ValueError:
            length = 0
        fields = parse_qsl(
            environ["wsgi.input"].read(length).decode("utf-8", "replace"), keep_blank_values=True
        )
        given = dict(fields)
        if "account" in given:
            if given.get("house_nonce") != HOUSE_NONCE or given.get("go") != "sign-in":
                body = b"house login: the hidden house_nonce and the Sign in button's go=sign-in must be sent"
                start_response(
                    "400 Bad Request", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))]
                )
                return [body]
            fields = [(RENAMED.get(k, k), v) for k, v in fields if k not in ("house_nonce", "go")]
        encoded = urlencode(fields).encode()
        environ["wsgi.input"] = BytesIO(encoded)
        environ["CONTENT_LENGTH"] = str(len(encoded))
        return app(environ, start_response)

    return shim
