"""One loaded profile at work: its InProcessCas, its network providers and the open login executions."""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from werkzeug.wrappers import Request

from cas_mfa_ref.assembly import Reference, assemble
from cas_mfa_ref.config.profile import Profile
from cas_mfa_ref.config.properties import CasProperties
from cas_mfa_ref.engine.clock import Clock
from cas_mfa_ref.engine.request import HttpRequest
from cas_mfa_ref.protocol.cas import InProcessCas
from cas_mfa_ref.server.transport import UNDERSCORED_HEADERS

# AuditEngineProperties#alternateClientAddrHeaderName: ClientInfo takes the client address from this
# header, whole, when the request carries it (inspektr's ClientInfo.from), else from the socket.
CLIENT_ADDRESS_HEADER = "cas.audit.engine.alternate-client-addr-header-name"
# Form fields that are credentials, not request parameters a trigger may read.
SECRET_FIELDS = frozenset({"password", "token"})
V = TypeVar("V")
MAX_OPEN_STEPS = 10_000  # open forms kept at once; the oldest go first (CAS's flow executions expire too)
MAX_OPEN_BYTES = 16 * 1024 * 1024  # and the bytes they hold (the parameters of the visits that began them)


@dataclass
class Step:
    """What an ``execution`` stands for: which form the browser holds and the login it belongs to."""

    kind: str  # login | provider | menu | register
    service: str | None
    params: Mapping[str, Sequence[str]] = field(default_factory=dict)  # of the visit that began the login

    @property
    def size(self) -> int:
        """Roughly the bytes this step keeps: what its visit sent, and a fixed part for the rest."""
        held = sum(len(k) + sum(len(v) for v in values) for k, values in self.params.items())
        return 256 + len(self.service or "") + held


class Executions:
    """Open forms by their ``execution`` value, and Duo's ``state`` values by transaction (bounded)."""

    def __init__(self) -> None:
        self._steps: OrderedDict[str, Step] = OrderedDict()
        self._duo: OrderedDict[str, str] = OrderedDict()
        self.held_bytes = 0

    def new_login(self, service: str | None, params: Mapping[str, Sequence[str]]) -> str:
        # Not one of InProcessCas's transaction ids ("e<n>s1"): a login form has no transaction yet.
        execution = f"login-{secrets.token_urlsafe(18)}"
        self.put(execution, Step("login", service, params))
        return execution

    def put(self, execution: str, step: Step) -> None:
        old = self._steps.pop(execution, None)
        self.held_bytes += step.size - (old.size if old else 0)
        self._steps[execution] = step
        while self._steps and (len(self._steps) > MAX_OPEN_STEPS or self.held_bytes > MAX_OPEN_BYTES):
            _, dropped = self._steps.popitem(last=False)
            self.held_bytes -= dropped.size

    def pop(self, execution: str) -> Step | None:
        step = self._steps.pop(execution, None)
        if step is not None:
            self.held_bytes -= step.size
        return step

    def __len__(self) -> int:
        return len(self._steps)

    def duo_state(self, transaction: str) -> str:
        """A state for Duo's authorization request, standing for the transaction (CAS: a
        TransientSessionTicket, ``DuoSecurityUniversalPromptPrepareLoginAction``)."""
        state = f"TST-{secrets.token_urlsafe(30)}"
        self._duo[state] = transaction
        _bound(self._duo)
        return state

    def duo_transaction(self, state: str) -> str | None:
        return self._duo.pop(state, None)


def _bound(items: OrderedDict[str, V]) -> None:
    while len(items) > MAX_OPEN_STEPS:
        items.popitem(last=False)


@dataclass
class Runtime:
    """A profile loaded and running; a refresh replaces the whole object."""

    reference: Reference
    client_header: str | None
    executions: Executions = field(default_factory=Executions)

    @classmethod
    def start(cls, root: Path, clock: Clock, login_url: str) -> Runtime:
        """Load the profile; raises ProfileError (naming file and line or field) as ``explain`` does."""
        # The profile's own timeouts apply: no cap, as a deployment would run. The trusted-device store
        # follows the profile: SQLite records survive a refresh, memory does not.
        reference = assemble(root, clock=clock, duo_callback=login_url)
        header = CasProperties.load(root / "cas.properties").text(CLIENT_ADDRESS_HEADER)
        return cls(reference, (header or "").strip() or None)

    @property
    def profile(self) -> Profile:
        return self.reference.profile

    @property
    def cas(self) -> InProcessCas:
        return self.reference.cas

    def http_request(self, request: Request, base: Mapping[str, Sequence[str]] | None = None) -> HttpRequest:
        """What CAS's triggers and bypass rules read of a request: every parameter (those of the visit
        that began the login first, this request's over them) and header, the client address and agent."""
        params: dict[str, list[str]] = {k: list(v) for k, v in (base or {}).items()}
        sources = [request.args] + ([request.form] if request.method == "POST" else [])
        for source in sources:
            for name in source:
                if name not in SECRET_FIELDS:
                    params[name] = source.getlist(name)
        headers: dict[str, list[str]] = {}
        for name, value in request.headers.items():
            headers.setdefault(name, []).append(value)
        # Headers whose names hold an underscore, by the names they were sent with, as a servlet
        # container gives them to CAS (the transport keeps them out of WSGI's HTTP_* keys).
        for name, value in request.environ.get(UNDERSCORED_HEADERS, ()):
            headers.setdefault(name, []).append(value)
        address = request.remote_addr or "127.0.0.1"
        if self.client_header:
            alternate = request.headers.get(self.client_header)
            if alternate is not None and alternate.strip():
                address = alternate.strip()
        return HttpRequest(
            params=params,
            headers=headers,
            remote_addr=address,
            user_agent=request.headers.get("User-Agent"),
            cookies=dict(request.cookies),
        )

    def login_params(self, request: Request) -> dict[str, list[str]]:
        """The parameters of the visit that shows the login form, kept for the POST that follows."""
        return {name: request.args.getlist(name) for name in request.args if name not in SECRET_FIELDS}
