"""Yubico OTPs: modhex, the 16-byte token, its CRC and its AES-128 encryption.

Layout of the token (little-endian fields, as libyubikey's ``yubikey_token_st``): private uid (6 bytes),
session counter (2), timestamp low (2) and high (1) of an 8 Hz clock, session use (1), random (2), CRC (2).
The CRC is the ones' complement of a CRC-16/X-25 over the first 14 bytes, so that the same CRC over all
16 bytes leaves the residue 0xf0b8.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

MODHEX = "cbdefghijklnrtuv"
TOKEN_CHARS = 32  # the encrypted token, modhex: everything before it is the public id
PUBLIC_ID_MAX_CHARS = 16
CRC_RESIDUE = 0xF0B8
_TO_HEX = str.maketrans(MODHEX, "0123456789abcdef")
_TO_MODHEX = str.maketrans("0123456789abcdef", MODHEX)
_MODHEX_RE = re.compile(f"[{MODHEX}]*")


class BadToken(ValueError):
    """A token that does not decrypt to a well-formed Yubico OTP under the given key."""


def is_modhex(text: str) -> bool:
    return _MODHEX_RE.fullmatch(text) is not None


def modhex_encode(data: bytes) -> str:
    return data.hex().translate(_TO_MODHEX)


def modhex_decode(text: str) -> bytes:
    if len(text) % 2 or not is_modhex(text):
        raise ValueError(f"'{text}' is not modhex (an even number of the letters {MODHEX})")
    return bytes.fromhex(text.translate(_TO_HEX))


def crc16(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            carry = crc & 1
            crc >>= 1
            if carry:
                crc ^= 0x8408
    return crc


@dataclass(frozen=True)
class Token:
    uid: bytes
    counter: int  # session counter: bumped at each power-up (bit 15 is the caps-lock trigger flag)
    timestamp: int  # 24-bit 8 Hz clock started at power-up
    use: int  # session use: OTPs generated since power-up
    rnd: int = 0

    def pack(self) -> bytes:
        body = self.uid + struct.pack(
            "<HHBBH",
            self.counter,
            self.timestamp & 0xFFFF,
            (self.timestamp >> 16) & 0xFF,
            self.use,
            self.rnd,
        )
        return body + struct.pack("<H", ~crc16(body) & 0xFFFF)

    @classmethod
    def unpack(cls, block: bytes) -> Token:
        if len(block) != 16 or crc16(block) != CRC_RESIDUE:
            raise BadToken("CRC check failed")
        counter, low, high, use, rnd = struct.unpack("<HHBBH", block[6:14])
        return cls(block[:6], counter, (high << 16) | low, use, rnd)


def _cipher(key: bytes) -> Cipher[modes.ECB]:
    if len(key) != 16:
        raise ValueError("a YubiKey AES key is 16 bytes")
    # ECB is what the YubiKey does: one block, one key.
    return Cipher(algorithms.AES(key), modes.ECB())


def make_otp(public_id: str, token: Token, key: bytes) -> str:
    encryptor = _cipher(key).encryptor()
    return public_id + modhex_encode(encryptor.update(token.pack()) + encryptor.finalize())


def split_otp(otp: str) -> tuple[str, str]:
    """(public id, encrypted token) as the validation server splits them: the token is the last 32."""
    return otp[:-TOKEN_CHARS], otp[-TOKEN_CHARS:]


def read_otp(otp: str, key: bytes) -> Token:
    """The token inside an OTP; BadToken when it was not made with this key."""
    _, encrypted = split_otp(otp)
    try:
        block = modhex_decode(encrypted)
    except ValueError as error:
        raise BadToken(str(error)) from None
    if len(block) != 16:
        raise BadToken("the token is not 32 modhex characters")
    decryptor = _cipher(key).decryptor()
    return Token.unpack(decryptor.update(block) + decryptor.finalize())
