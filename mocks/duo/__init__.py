"""Mock Duo Security: the Universal Prompt (OIDC) endpoints and the Auth API v2, over HTTPS."""

from __future__ import annotations

from mocks.duo.mock import DuoMock
from mocks.duo.state import DuoState, DuoUser

__all__ = ["DuoMock", "DuoState", "DuoUser"]
