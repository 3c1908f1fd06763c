"""What every mock provider offers the control plane, whatever its protocol."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, Protocol, TypeVar

from mocks.faults import FaultBook
from mocks.httpd import ProviderServer
from mocks.journal import Journal


class ControlError(ValueError):
    """A control request that cannot be carried out; answered with HTTP ``status`` (400) and this message."""

    status = 400


class MethodNotAllowed(ControlError):
    """A control path that exists, asked with a method it does not take: 405 with ``Allow``."""

    status = 405

    def __init__(self, message: str, allowed: frozenset[str]) -> None:
        super().__init__(message)
        self.allowed = allowed


Routes = Mapping[tuple[str, ...], frozenset[str]]
"""Control paths below ``/providers/<name>/`` and the methods each takes; ``*`` is any one segment."""


def route_methods(routes: Routes, path: list[str]) -> frozenset[str] | None:
    """The methods ``path`` takes under ``routes``, or None when no route has that shape."""
    for pattern, methods in routes.items():
        if len(pattern) == len(path) and all(p in ("*", s) for p, s in zip(pattern, path, strict=True)):
            return methods
    return None


class MockProvider(Protocol):
    name: str
    faults: FaultBook
    journal: Journal
    control_routes: Routes  # what ``control`` serves, so a wrong method gets a 405 before it is called

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def reset(self) -> None:
        """State, faults and journal back to how they were at start."""

    def faults_changed(self) -> None:
        """Apply provider-wide faults to the listeners (down closes them)."""

    def describe(self) -> dict[str, Any]:
        """The provider's entry in the ready line: endpoints and credentials."""

    def control(self, method: str, path: list[str], body: Any) -> tuple[int, Any]:
        """Provider-specific control operations below ``/providers/<name>/``; raise ControlError."""


class Resettable(Protocol):
    def reset(self) -> None: ...


S = TypeVar("S", bound=Resettable)


class HttpMock(Generic[S]):
    """The lifecycle the HTTP mocks share: a started mock follows its faults, a stopped one stays stopped."""

    name: str
    state: S
    faults: FaultBook
    journal: Journal
    server: ProviderServer
    _running = False

    def start(self) -> None:
        self._running = True
        self.faults_changed()

    def stop(self) -> None:
        self._running = False
        self.server.stop()

    def reset(self) -> None:
        self.state.reset()
        self.faults.clear()
        self.journal.clear()
        self.faults_changed()

    def faults_changed(self) -> None:
        if self._running:
            self.server.sync_listening()
