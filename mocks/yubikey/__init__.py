"""Mock YubiCloud: the Yubico OTP validation protocol 2.0 on loopback, with real, encrypted OTPs.

``state`` holds clients, devices and replay memory; ``otp`` makes and reads Yubico OTPs; ``protocol``
answers ``/wsapi/2.0/verify`` as the reference server does; ``mock`` puts it on HTTP with the fault layer.
"""

from __future__ import annotations

from mocks.yubikey.mock import YubiKeyMock
from mocks.yubikey.state import STATUSES, YubiKeyState

__all__ = ["STATUSES", "YubiKeyMock", "YubiKeyState"]
