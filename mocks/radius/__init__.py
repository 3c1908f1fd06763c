"""Mock RADIUS provider: a pyrad server on UDP 127.0.0.1 with users, challenges and faults.

``state`` holds the secret, users and challenges; ``server`` speaks the protocol and applies faults;
``mock`` wires them into a :class:`mocks.provider.MockProvider` with its control operations.
"""

from __future__ import annotations

from mocks.radius.mock import ENDPOINTS, RadiusMock
from mocks.radius.server import load_dictionary
from mocks.radius.state import PROBE_USER, Challenge, RadiusState, RadiusUser, Verdict

__all__ = [
    "ENDPOINTS",
    "PROBE_USER",
    "Challenge",
    "RadiusMock",
    "RadiusState",
    "RadiusUser",
    "Verdict",
    "load_dictionary",
]
