"""Calls CAS makes to REST endpoints (bypass and trigger endpoints), bounded in time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests

from cas_mfa_ref.model import RestEndpoint

DEFAULT_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class RestAnswer:
    status: int
    body: str


class RestCallFailed(Exception):
    """The endpoint could not be reached or did not answer in time."""


class RestCaller:
    """Sends requests through one ``requests`` session (so ``responses`` can serve them in tests)."""

    def __init__(
        self, session: requests.Session | None = None, timeout: float = DEFAULT_TIMEOUT_SECONDS
    ) -> None:
        self._session = session or requests.Session()
        self._timeout = timeout

    def call(
        self,
        endpoint: RestEndpoint,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
    ) -> RestAnswer:
        auth = None
        if endpoint.basic_auth_username:
            auth = (endpoint.basic_auth_username, endpoint.basic_auth_password or "")
        try:
            response = self._session.request(
                endpoint.method,
                endpoint.url,
                params=dict(params or {}),
                json=json_body,
                headers=dict(endpoint.headers),
                auth=auth,
                timeout=self._timeout,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise RestCallFailed(
                f"{endpoint.method} {endpoint.url} failed: {exc.__class__.__name__}"
            ) from exc
        return RestAnswer(response.status_code, response.text)
