"""Service tickets with CAS's defaults: single use, bound to their service, 10 seconds to live.

Any validation attempt uses the ticket up, even one for the wrong service (``ServiceTicketImpl``).
"""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from cas_mfa_ref.engine.authentication import Authentication
from cas_mfa_ref.engine.clock import Clock

TIME_TO_KILL_SECONDS = 10


@dataclass
class ServiceTicket:
    id: str
    service: str
    authentication: Authentication
    issued: datetime
    from_new_login: bool
    used: bool = False


class TicketError(Exception):
    def __init__(self, code: str, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


class TicketRegistry:
    def __init__(self, clock: Clock, ttl_seconds: int = TIME_TO_KILL_SECONDS) -> None:
        self._clock = clock
        self._ttl = timedelta(seconds=ttl_seconds)
        self._tickets: dict[str, ServiceTicket] = {}
        self._sequence = itertools.count(1)

    def issue(self, service: str, authentication: Authentication, *, from_new_login: bool) -> ServiceTicket:
        random = secrets.token_urlsafe(15).replace("_", "-")
        ticket = ServiceTicket(
            f"ST-{next(self._sequence)}-{random}", service, authentication, self._clock.now(), from_new_login
        )
        self._tickets[ticket.id] = ticket
        return ticket

    def consume(self, ticket_id: str, service: str) -> ServiceTicket:
        """Validate and use up a ticket; raises :class:`TicketError` with CAS's code."""
        ticket = self._tickets.pop(ticket_id, None)
        if ticket is None or ticket.used or self._clock.now() - ticket.issued > self._ttl:
            raise TicketError("INVALID_TICKET", f"Ticket '{ticket_id}' not recognized")
        ticket.used = True
        if ticket.service != service:
            raise TicketError(
                "INVALID_SERVICE",
                f"Ticket '{ticket_id}' does not match supplied service. The original service was "
                f"'{ticket.service}' and the supplied service was '{service}'.",
            )
        return ticket
