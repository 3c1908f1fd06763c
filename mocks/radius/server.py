"""The mock RADIUS server on UDP 127.0.0.1: pyrad's packet codec, the fault layer, a bounded loop.

pyrad's ``Server.Run`` never returns, so the server runs its own ``select`` loop (woken by a socket
pair on stop) in a daemon thread. Two endpoints share the authentication port: ``auth``
(Access-Request, PAP or CHAP) and ``status`` (Status-Server, RFC 5997, answered with Access-Accept).

What each fault means on UDP, where there is no connection to refuse and no status code to send:

- ``down``, ``timeout``: silence (the client times out).
- ``slow``: the normal answer, sent ``delay_ms`` later without holding up other requests.
- ``malformed``: bytes that are no RADIUS packet (``truncated``: a real reply cut after its header;
  ``empty``: an empty datagram; ``garbage`` and ``non-json``: junk).
- ``bad-signature``: the normal answer, its Response Authenticator and Message-Authenticator computed
  with a wrong secret, so clients discard it.
- ``flapping``: each step of the sequence as the fault of that name; a step that is an HTTP status or
  ``rate-limit``, and the failing call of ``every``, is silence: a RADIUS server has no error status,
  and silence is the outage a RADIUS client can observe.

A packet is answered only if it is well framed (``framing``: RFC 2865 §3 and §5), carries at most one
Message-Authenticator and a right one (RFC 3579 §3.2), and one at all when it is a Status-Server
(RFC 5997) or carries an EAP-Message (RFC 3579 §3.2). Anything else is silently discarded, as RADIUS
requires, and journaled with ``outcome: dropped`` and ``params.reason`` so an operator can see why.
"""

from __future__ import annotations

import contextlib
import functools
import hmac
import io
import logging
import select
import socket
import threading
from importlib import resources
from typing import Any

from pyrad import packet
from pyrad.dictionary import Dictionary
from pyrad.server import RemoteHost, Server, ServerPacketError

from mocks.faults import Action, Effect, FaultBook
from mocks.journal import Journal
from mocks.radius.framing import framing_error
from mocks.radius.state import PROBE_USER, PasswordCheck, RadiusState, Verdict

HOST = "127.0.0.1"
POLL_SECONDS = 0.5  # the longest a loop iteration waits; stop() wakes it at once anyway
JOIN_SECONDS = 5.0
STATUS_MESSAGE = "RADIUS mock up"
WRONG_SECRET = b"not-the-shared-secret"
# A length field of 7 (< 20) makes every RADIUS decoder refuse it.
GARBAGE = b"\x02\x00\x00\x07\xde\xad\xbe\xef garbage, not a RADIUS packet"

ENDPOINTS = {packet.AccessRequest: "auth", packet.StatusServer: "status"}
CODE_NAMES = {
    packet.AccessRequest: "Access-Request",
    packet.AccessAccept: "Access-Accept",
    packet.AccessReject: "Access-Reject",
    packet.AccessChallenge: "Access-Challenge",
    packet.StatusServer: "Status-Server",
}
REPLY_CODES = {
    Verdict.ACCEPT: packet.AccessAccept,
    Verdict.REJECT: packet.AccessReject,
    Verdict.CHALLENGE: packet.AccessChallenge,
}
SILENT = (Action.DROP, Action.HANG, Action.RESPOND)

log = logging.getLogger(__name__)


@functools.cache
def load_dictionary() -> Any:
    """The packaged RADIUS dictionary as a pyrad ``Dictionary`` (pyrad ships none)."""
    text = resources.files("mocks.radius").joinpath("dictionary").read_text(encoding="utf-8")
    return Dictionary(io.StringIO(text))


def malformed(reply: bytes, variant: str) -> bytes:
    if variant == "empty":
        return b""
    if variant == "truncated":
        return reply[:20]  # the header still claims the full length
    return GARBAGE


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class RadiusServer(Server):  # type: ignore[misc]
    """One UDP socket on 127.0.0.1 answering Access-Request and Status-Server from 127.0.0.1 only."""

    def __init__(self, state: RadiusState, faults: FaultBook, journal: Journal, port: int = 0) -> None:
        # Only loopback is a known client; packets from anywhere else are dropped unanswered.
        hosts = {HOST: RemoteHost(HOST, state.secret.encode(), "loopback")}
        super().__init__(
            addresses=[],
            authport=port,
            hosts=hosts,
            dict=load_dictionary(),
            auth_enabled=True,
            acct_enabled=False,
            coa_enabled=False,
        )
        self.state = state
        self.faults = faults
        self.journal = journal
        self._port = port
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        self._wake: tuple[socket.socket, socket.socket] | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._timers: set[threading.Timer] = set()

    @property
    def port(self) -> int:
        return self._port

    def start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                sock.bind((HOST, self._port))  # a restart reuses the port it had
            except OSError:
                sock.close()
                raise
            self._port = sock.getsockname()[1]
            self.authport = self._port
            self._socket = sock
            self._wake = socket.socketpair()
            self._stopping.clear()
            self._thread = threading.Thread(
                target=self._serve, args=(sock, self._wake[0]), name=f"radius-mock:{self._port}", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        with self._lock:
            thread, sock, wake = self._thread, self._socket, self._wake
            self._thread = self._socket = self._wake = None
        if thread is None:
            return
        self._stopping.set()
        self.cancel_pending()
        assert wake is not None and sock is not None
        with contextlib.suppress(OSError):  # the loop may be gone already
            wake[1].send(b"x")
        thread.join(JOIN_SECONDS)
        for each in (sock, *wake):
            each.close()

    def cancel_pending(self) -> None:
        """Forget replies that a ``slow`` fault is still holding back."""
        with self._lock:
            timers, self._timers = self._timers, set()
        for timer in timers:
            timer.cancel()

    # the loop

    def _serve(self, sock: socket.socket, wake: socket.socket) -> None:
        while not self._stopping.is_set():
            try:
                ready, _, _ = select.select([sock, wake], [], [], POLL_SECONDS)
            except (OSError, ValueError):
                return  # the sockets were closed under us
            if sock in ready and not self._stopping.is_set():
                self._receive(sock)

    def _receive(self, sock: socket.socket) -> None:
        try:
            data, source = sock.recvfrom(self.MaxPacketSize)
        except OSError:
            return
        # Framing first: pyrad would decode some malformed packets (framing.py says which) and answer them.
        reason = framing_error(data)
        pkt = None
        if reason is None:
            try:
                pkt = self.CreateAuthPacket(packet=data)
            except Exception as error:  # an unauthenticated packet must never stop the loop
                reason = f"pyrad cannot decode it: {error}"
        if pkt is None:
            params: dict[str, Any] = {"client": _client(source), "reason": reason}
            if len(data) >= 2:
                params.update(code=CODE_NAMES.get(data[0], f"code {data[0]}"), id=data[1])
            endpoint = ENDPOINTS.get(data[0], "auth") if data else "auth"
            self._record(endpoint, "undecodable", params, "n/a", None, "dropped")
            return
        pkt.source = source
        pkt.fd = sock
        try:
            self._HandleAuthPacket(pkt)
        except Exception:
            log.exception("RADIUS mock: error handling a packet from %s", _client(source))

    # routing and protocol

    def _HandleAuthPacket(self, pkt: Any) -> None:
        """Every packet on the authentication port (pyrad's own would drop Status-Server)."""
        endpoint = ENDPOINTS.get(pkt.code, "auth")
        method = CODE_NAMES.get(pkt.code, f"code {pkt.code}")
        params: dict[str, Any] = {"client": _client(pkt.source), "id": pkt.id}
        if pkt.code == packet.AccessRequest:
            params.update(self._request_params(pkt))
        try:
            self._AddSecret(pkt)
        except ServerPacketError:
            params["reason"] = "unknown client"
            self._record(endpoint, method, params, "n/a", None, "dropped")
            return
        signature = self._signature(pkt)
        reason = self._refusal(pkt, signature)
        if reason:
            params["reason"] = reason
            self._record(endpoint, method, params, signature, None, "dropped")
            return
        effect = self.faults.decide(endpoint)
        if effect.action in SILENT:
            self._record(endpoint, method, params, signature, effect.fault, "dropped")
            return
        reply, outcome = self._reply(pkt, params.get("username", ""))
        if effect.action is Action.BAD_SIGNATURE:
            reply.secret = WRONG_SECRET  # both authenticators of the reply come out wrong
        raw = reply.ReplyPacket()
        if effect.action is Action.MALFORMED:
            raw = malformed(raw, effect.variant)
            outcome = "malformed"
        if effect.delay_ms:
            params["delay_ms"] = effect.delay_ms
        self._record(endpoint, method, params, signature, effect.fault, outcome)
        self._send(pkt.fd, raw, pkt.source, effect)

    def _reply(self, pkt: Any, username: str) -> tuple[Any, str]:
        """The answer and its verdict before faults: Status-Server is up, Access-Request asks the state."""
        reply = self.CreateReplyPacket(pkt)  # pyrad adds the Message-Authenticator and Proxy-State
        if pkt.code == packet.StatusServer:
            reply.code = packet.AccessAccept
            reply["Reply-Message"] = STATUS_MESSAGE
            return reply, Verdict.ACCEPT.value
        decision = self.state.authenticate(username, _password_check(pkt), _state_of(pkt))
        reply.code = REPLY_CODES[decision.verdict]
        reply["Reply-Message"] = decision.reply_message
        if decision.state is not None:
            reply["State"] = decision.state
        return reply, decision.verdict.value

    @staticmethod
    def _request_params(pkt: Any) -> dict[str, Any]:
        username = _text(pkt["User-Name"][0]) if "User-Name" in pkt else ""
        if "User-Password" in pkt:
            password = "pap"
        elif "CHAP-Password" in pkt:
            password = "chap"
        else:
            password = "none"
        return {
            "username": username,
            "password": password,
            "state": "State" in pkt,
            "probe": username == PROBE_USER,
        }

    @staticmethod
    def _signature(pkt: Any) -> str:
        if not pkt.message_authenticator:
            return "absent"
        return "valid" if pkt.verify_message_authenticator() else "invalid"

    @staticmethod
    def _refusal(pkt: Any, signature: str) -> str | None:
        """Why a packet from a known client is dropped unanswered, if it is. RFC 3579 §3.2: a wrong
        Message-Authenticator is silently discarded, and so is an EAP-Message that comes without one."""
        if pkt.code not in ENDPOINTS:
            return "not an Access-Request or Status-Server"
        if signature == "invalid":
            return "invalid Message-Authenticator (wrong shared secret?) (RFC 3579 §3.2)"
        if pkt.code == packet.StatusServer and signature == "absent":
            return "Status-Server without Message-Authenticator (RFC 5997)"
        if signature == "absent" and "EAP-Message" in pkt:
            return "EAP-Message without Message-Authenticator (RFC 3579 §3.2)"
        return None

    def _send(self, sock: socket.socket, raw: bytes, address: Any, effect: Effect) -> None:
        if not effect.delay_ms:
            _sendto(sock, raw, address)
            return
        timer: threading.Timer

        def fire() -> None:
            with self._lock:
                self._timers.discard(timer)
            _sendto(sock, raw, address)

        timer = threading.Timer(effect.delay_ms / 1000, fire)
        timer.daemon = True
        with self._lock:
            self._timers.add(timer)
        timer.start()

    def _record(
        self,
        endpoint: str,
        method: str,
        params: dict[str, Any],
        signature: str,
        fault: str | None,
        outcome: str,
    ) -> None:
        self.journal.record(
            endpoint,
            method,
            f"udp://{HOST}:{self._port}",
            params=params,
            signature=signature,
            fault=fault,
            outcome=outcome,
        )


def _client(source: Any) -> str:
    return f"{source[0]}:{source[1]}"


def _state_of(pkt: Any) -> bytes | None:
    if "State" not in pkt:
        return None
    value = pkt["State"][0]
    return value if isinstance(value, bytes) else str(value).encode()


def _password_check(pkt: Any) -> PasswordCheck:
    """How a candidate cleartext is checked against this request: PAP, CHAP, or never."""
    if "User-Password" in pkt:
        try:
            password = pkt.PwDecrypt(pkt["User-Password"][0])
        except packet.PacketError:
            return lambda candidate: False
        return lambda candidate: hmac.compare_digest(candidate.encode(), password.encode())
    if "CHAP-Password" in pkt:
        # bytes, so pyrad does not strip whitespace the client hashed
        return lambda candidate: bool(pkt.VerifyChapPasswd(candidate.encode()))
    return lambda candidate: False


def _sendto(sock: socket.socket, raw: bytes, address: Any) -> None:
    with contextlib.suppress(OSError):  # stopped meanwhile: nobody is owed an answer any more
        sock.sendto(raw, address)
