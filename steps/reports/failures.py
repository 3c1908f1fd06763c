"""What a failed scenario leaves in the reports: the step that failed and the target's HTTP exchanges."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from steps.targets.base import Exchange

REDACTED = "••••"
# The target redacts what it sends; the report does it again, so a target that forgot leaks nothing.
SECRET_FIELD = re.compile(r"password|token|code|secret|otp|passcode", re.IGNORECASE)
RESPONSE_LIMIT = 2000  # characters of a response kept: an excerpt to read, not the page to archive


def redacted(sent: Mapping[str, Any]) -> dict[str, str]:
    """The fields sent, each whose name looks like a secret's shown as ``••••``."""
    return {
        str(name): REDACTED if SECRET_FIELD.search(str(name)) else str(value) for name, value in sent.items()
    }


def exchange_entries(exchanges: Iterable[Exchange]) -> list[dict[str, Any]]:
    """The exchanges as JSON: ``{"method", "url", "status", "sent", "response"}`` each, oldest first."""
    entries: list[dict[str, Any]] = []
    for exchange in exchanges:
        response = exchange.response
        if len(response) > RESPONSE_LIMIT:
            response = response[:RESPONSE_LIMIT] + "…"
        entries.append(
            {
                "method": exchange.method,
                "url": exchange.url,
                "status": exchange.status,
                "sent": redacted(exchange.sent),
                "response": response,
            }
        )
    return entries


def step_text(keyword: str, name: str) -> str:
    """A step as the feature file reads, e.g. ``Then CAS issues a service ticket``."""
    return f"{keyword.strip()} {name}".strip()
