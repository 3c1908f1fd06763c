"""The framing of a RADIUS datagram, checked before pyrad decodes it.

pyrad forgives what a RADIUS server must not: an attribute whose Length runs past the end of the packet
is cut short and kept, so a packet nobody could have signed as sent would be answered. Each check here
names the rule; a packet that fails one is silently discarded and journaled with the reason.

- RFC 2865 §3: a packet shorter than its Length field is discarded; octets past Length are padding and
  ignored; Length is 20 to 4096.
- RFC 2865 §5: an attribute is Type, Length (2 or more, counting Type and Length) and Value, and lies
  within the packet. (§5 asks for an Access-Reject when a Length is invalid for the attribute's type; an
  attribute that breaks the framing leaves no packet to answer or to check a Message-Authenticator over,
  so it is discarded, as FreeRADIUS does (``fr_radius_packet_ok``). Type 0 is defined by no RFC and
  FreeRADIUS discards it too.)
- RFC 2869 §5.14: Message-Authenticator is 18 octets; RFC 3579 §3.3 (its table): at most one in a packet.
"""

from __future__ import annotations

import struct

HEADER_LENGTH = 20
MAX_LENGTH = 4096
MESSAGE_AUTHENTICATOR = 80
MESSAGE_AUTHENTICATOR_LENGTH = 18


def framing_error(datagram: bytes) -> str | None:
    """Why ``datagram`` is no well-framed RADIUS packet, or None when it is one."""
    if len(datagram) < HEADER_LENGTH:
        return f"{len(datagram)} octets, shorter than a RADIUS header (20; RFC 2865 §3)"
    (length,) = struct.unpack_from("!H", datagram, 2)
    if not HEADER_LENGTH <= length <= MAX_LENGTH:
        return f"Length field {length} is outside 20-4096 (RFC 2865 §3)"
    if len(datagram) < length:
        return (
            f"the datagram ({len(datagram)} octets) is shorter than its Length field ({length}; RFC 2865 §3)"
        )
    at = HEADER_LENGTH
    authenticators = 0
    while at < length:
        if length - at < 2:
            return f"an attribute header at octet {at} is cut off by the packet's end (RFC 2865 §5)"
        kind, size = datagram[at], datagram[at + 1]
        if kind == 0:
            return f"attribute type 0 at octet {at}: no such attribute (RFC 2865 §5)"
        if size < 2:
            return f"attribute {kind} at octet {at} has Length {size}, less than 2 (RFC 2865 §5)"
        if at + size > length:
            return (
                f"attribute {kind} at octet {at} (Length {size}) runs past the end of the packet "
                f"({length} octets; RFC 2865 §5)"
            )
        if kind == MESSAGE_AUTHENTICATOR:
            authenticators += 1
            if size != MESSAGE_AUTHENTICATOR_LENGTH:
                return f"Message-Authenticator of Length {size}, not 18 (RFC 2869 §5.14)"
        at += size
    if authenticators > 1:
        return f"{authenticators} Message-Authenticator attributes; at most one is allowed (RFC 3579 §3.3)"
    return None
