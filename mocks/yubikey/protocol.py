"""The Yubico OTP validation protocol 2.0 (``/wsapi/2.0/verify``), as the reference server
(Yubico/yubikey-val ``ykval-verify.php``) answers it: the same checks in the same order, the same
statuses, the same response lines and signatures. No HTTP here: parameters in, a reply out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from mocks.yubikey.otp import PUBLIC_ID_MAX_CHARS, TOKEN_CHARS, Token, is_modhex
from mocks.yubikey.state import YubiKeyState

VERIFY_PATH = "/wsapi/2.0/verify"
SYNC_LEVEL = "100"  # every (i.e. no) sync peer answered
_DVORAK = str.maketrans("jxe.uidchtnbpygk", "cbdefghijklnrtuv")
_DVORAK_RE = re.compile(r"[jxe.uidchtnbpygk]+")
_NONCE_RE = re.compile(r"[A-Za-z0-9]{16,40}")
_DIGITS_RE = re.compile(r"[0-9]+")
_INTVAL_RE = re.compile(r"\s*([+-]?[0-9]+)")
# Statuses whose answer echoes otp and nonce: the replay kinds as the reference sends them, and the other
# "non-error" statuses the Java client (what CAS uses) refuses to accept without the echo.
_ECHOED = {"OK", "REPLAYED_OTP", "REPLAYED_REQUEST", "NOT_ENOUGH_ANSWERS", "OPERATION_NOT_ALLOWED"}


@dataclass(frozen=True)
class Reply:
    status: str
    body: str
    signature: str  # the request's ``h``: valid, invalid, absent, or n/a when the client is unknown
    params: Mapping[str, str] = field(default_factory=dict)


def sign(pairs: Mapping[str, str], key: bytes) -> str:
    """HMAC-SHA1 over ``k=v`` pairs sorted by key and joined with ``&``, base64 (section 3.4)."""
    message = "&".join(f"{name}={pairs[name]}" for name in sorted(pairs))
    return base64.b64encode(hmac.new(key, message.encode("utf-8"), hashlib.sha1).digest()).decode("ascii")


def server_time(now: float) -> str:
    """``t`` as the reference prints it: UTC, ``Z0`` and three digits of milliseconds."""
    millis = int(now * 1000) % 1000
    return time.strftime("%Y-%m-%dT%H:%M:%SZ0", time.gmtime(now)) + f"{millis:03d}"


def render(status: str, extras: Mapping[str, str], key: bytes, now: float) -> str:
    """The response body: ``h``, ``t``, the extras, ``status``, each line CRLF-ended, then an empty line."""
    stamp = server_time(now)
    signed = sign({"status": status, "t": stamp, **extras}, key)
    lines = [f"h={signed}", f"t={stamp}", *(f"{k}={v}" for k, v in extras.items()), f"status={status}"]
    return "".join(f"{line}\r\n" for line in lines) + "\r\n"


def verify(
    state: YubiKeyState, params: Mapping[str, str], *, wrong_key: bool = False, now: float | None = None
) -> Reply:
    """Answer one verify request; ``wrong_key`` signs the answer with a key the client does not hold."""
    now = time.time() if now is None else now
    client = _value(params, "id", "0")
    otp = _value(params, "otp", "").lower()
    if _DVORAK_RE.fullmatch(otp):
        otp = otp.translate(_DVORAK)
    nonce = _value(params, "nonce", "")
    key = state.client_key(client)
    verdict = _request_signature(params, key)
    logged = {name: params[name] for name in ("id", "otp", "nonce") if name in params}

    def reply(status: str, signing_key: bytes, extras: Mapping[str, str] | None = None) -> Reply:
        if wrong_key:
            signing_key = bytes(b ^ 0xFF for b in signing_key) or b"\xff"
        return Reply(status, render(status, extras or {}, signing_key, now), verdict, logged)

    early = _parameter_error(params, otp, client, nonce)
    if early is not None:
        # The reference answers these before it has looked the client up: signed with an empty key.
        return reply(early, b"")
    if key is None:
        return reply("NO_SUCH_CLIENT", b"")
    if verdict == "invalid":
        return reply("BAD_SIGNATURE", key)
    echo = {"otp": otp, "nonce": nonce}
    forced = state.forced_status
    if forced is not None:
        return reply(forced, key, _extras(forced, echo, state.read(otp), params))
    result = state.verify_otp(otp, nonce)
    return reply(result.status, key, _extras(result.status, echo, result.token, params))


def _extras(
    status: str, echo: Mapping[str, str], token: Token | None, params: Mapping[str, str]
) -> dict[str, str]:
    if status not in _ECHOED:
        return {}
    extras = dict(echo)
    if status == "NOT_ENOUGH_ANSWERS":
        extras["sl"] = "0"
    if status == "OK":
        extras["sl"] = SYNC_LEVEL
        if token is not None and _is_one(_value(params, "timestamp", "0")):
            extras["timestamp"] = str(token.timestamp)
            extras["sessioncounter"] = str(token.counter)
            extras["sessionuse"] = str(token.use)
    return extras


def _parameter_error(params: Mapping[str, str], otp: str, client: str, nonce: str) -> str | None:
    """The reference's sanity checks, in its order; the status of the first that fails."""
    if not nonce:
        return "MISSING_PARAMETER"
    sl = _value(params, "sl", "")
    if sl and sl.lower() not in ("fast", "secure") and _intval(sl) < 1:
        return "MISSING_PARAMETER"
    timeout = _value(params, "timeout", "")
    if timeout and not _DIGITS_RE.fullmatch(timeout):
        return "MISSING_PARAMETER"
    if not TOKEN_CHARS <= len(otp) <= TOKEN_CHARS + PUBLIC_ID_MAX_CHARS or not is_modhex(otp):
        return "BAD_OTP"
    if client == "0" or len(client) > 10 or not _DIGITS_RE.fullmatch(client):
        return "MISSING_PARAMETER"
    if not _NONCE_RE.fullmatch(nonce):
        return "MISSING_PARAMETER"
    return None


def _request_signature(params: Mapping[str, str], key: bytes | None) -> str:
    given = _value(params, "h", "")
    if not given:
        return "absent"
    if key is None:
        return "n/a"
    # The reference signs every parameter it received except h, decoded, whatever their names.
    expected = sign({k: v for k, v in params.items() if k != "h"}, key)
    return "valid" if hmac.compare_digest(expected.encode(), given.encode("utf-8")) else "invalid"


def _value(params: Mapping[str, str], name: str, default: str) -> str:
    """A parameter as the reference's getHttpVal reads it: trimmed, backslashes removed."""
    return params.get(name, default).strip(" \t\n\r\0\x0b").replace("\\", "")


def _intval(text: str) -> int:
    match = _INTVAL_RE.match(text)
    return int(match.group(1)) if match else 0


def _is_one(text: str) -> bool:
    try:
        return float(text) == 1
    except ValueError:
        return False
