"""Mock Duo Security: the Universal Prompt (OIDC) endpoints and the Auth API v2, over HTTPS.

``state`` holds the credentials, users, pushes and codes; ``prompt`` answers ``/oauth/v1`` and ``authapi``
answers ``/auth/v2`` (checks and response bodies, no server), with ``oidc`` and ``signing`` for their
JWTs and request signatures; ``control`` checks the control requests; ``mock`` routes HTTP to them
behind the fault layer.
"""

from __future__ import annotations

from mocks.duo.mock import DuoMock
from mocks.duo.state import DuoState, DuoUser

__all__ = ["DuoMock", "DuoState", "DuoUser"]
