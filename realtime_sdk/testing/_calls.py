"""The fake's calls: the ones it opened over WebRTC and the incoming SIP calls it was told of,
each with the state the control operations move it through.

A SIP call rings until it is accepted (then it is active) or rejected; an active call can
be referred elsewhere; any call that has not ended can be hung up. An operation that does
not fit the call's state gets a 409, as the service refuses to answer a call twice.
"""

import secrets
from dataclasses import dataclass, field
from typing import Any, Final

from realtime_sdk.testing._webhooks import new_call_id

RINGING: Final = "ringing"
ACTIVE: Final = "active"
ENDED: Final = "ended"

# operation method -> (states it applies to, the state it leaves the call in)
_MOVES: Final = {
    "accept_realtime_call": (frozenset({RINGING}), ACTIVE),
    "reject_realtime_call": (frozenset({RINGING}), ENDED),
    "refer_realtime_call": (frozenset({ACTIVE}), ENDED),
    "hangup_realtime_call": (frozenset({RINGING, ACTIVE}), ENDED),
}


@dataclass(slots=True, kw_only=True)
class FakeCall:
    """One call the fake knows, and what was done to it.

    Attributes:
        call_id: its id (``rtc_...``).
        kind: ``webrtc`` (opened by POST /realtime/calls) or ``sip`` (see
            `FakeRealtimeAPI.add_incoming_call`).
        state: ``ringing``, ``active`` or ``ended``.
        sip_headers: the SIP headers an incoming call arrived with.
        session: the session it was opened or accepted with, as JSON (None if none given).
        ended_by: the operation that ended it (``hangup_realtime_call``, ...), if any.
        referred_to: the ``target_uri`` of a refer, if any.
        reject_status: the SIP status of a reject (603 when the body named none), if any.
    """

    call_id: str
    kind: str
    state: str
    sip_headers: list[dict[str, str]] = field(default_factory=list)
    session: dict[str, Any] | None = None
    ended_by: str | None = None
    referred_to: str | None = None
    reject_status: int | None = None


def conflict(call: FakeCall, method: str) -> str | None:
    """Why an operation does not fit the call's state, or None when it does."""
    allowed, _ = _MOVES[method]
    if call.state in allowed:
        return None
    action = method.partition("_")[0]
    return (
        f"The call is {call.state}; {action} needs a call that is {' or '.join(sorted(allowed))}."
    )


def apply(call: FakeCall, method: str, body: dict[str, Any] | None) -> None:
    """Move a call on by one control operation (checked first with `conflict`)."""
    _, after = _MOVES[method]
    call.state = after
    body = body or {}
    if method == "accept_realtime_call":
        call.session = body
    elif method == "refer_realtime_call":
        call.referred_to = body.get("target_uri")
    elif method == "reject_realtime_call":
        status = body.get("status_code")
        call.reject_status = status if isinstance(status, int) else 603
    if after == ENDED:
        call.ended_by = method


def sdp_answer() -> str:
    """A plausible SDP answer: one audio and one data channel, fresh ICE credentials."""
    fingerprint = ":".join(f"{byte:02X}" for byte in secrets.token_bytes(32))
    lines = [
        "v=0",
        f"o=- {secrets.randbelow(2**31)} 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0 1",
        f"a=fingerprint:sha-256 {fingerprint}",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111",
        "c=IN IP4 0.0.0.0",
        "a=mid:0",
        f"a=ice-ufrag:{secrets.token_hex(4)}",
        f"a=ice-pwd:{secrets.token_hex(12)}",
        "a=setup:active",
        "a=rtcp-mux",
        "a=rtpmap:111 opus/48000/2",
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
        "c=IN IP4 0.0.0.0",
        "a=mid:1",
        "a=sctp-port:5000",
    ]
    return "\r\n".join(lines) + "\r\n"


__all__ = [
    "ACTIVE",
    "ENDED",
    "RINGING",
    "FakeCall",
    "apply",
    "conflict",
    "new_call_id",
    "sdp_answer",
]
