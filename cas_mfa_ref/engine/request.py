"""What the browser sends with a login: the service, parameters, headers, its address."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class HttpRequest:
    """The parts of a servlet request CAS's triggers and bypass rules read."""

    params: Mapping[str, Sequence[str]] = field(default_factory=dict)
    headers: Mapping[str, Sequence[str]] = field(default_factory=dict)
    remote_addr: str = "127.0.0.1"
    remote_host: str | None = None
    user_agent: str | None = None
    session: Mapping[str, str] = field(default_factory=dict)
    cookies: Mapping[str, str] = field(default_factory=dict)

    def header_values(self, name: str) -> list[str]:
        """Header values by name, ignoring case as servlet containers do."""
        wanted = name.lower()
        return [v for k, values in self.headers.items() if k.lower() == wanted for v in values]

    def header_names(self) -> list[str]:
        names = list(self.headers)
        if self.user_agent is not None and not any(n.lower() == "user-agent" for n in names):
            names.append("User-Agent")
        return names

    def param_values(self, name: str) -> list[str]:
        return list(self.params.get(name, ()))

    @property
    def host(self) -> str:
        """``getRemoteHost()``: the address itself when no reverse lookup is done (Tomcat's default)."""
        return self.remote_host or self.remote_addr


@dataclass(frozen=True)
class LoginRequest:
    """One login attempt at ``/cas/login``: who, for which service, and the HTTP request around it."""

    username: str
    service: str | None
    http: HttpRequest = field(default_factory=HttpRequest)
    sso_context: tuple[str, ...] = ()  # providers an existing SSO session already satisfied
