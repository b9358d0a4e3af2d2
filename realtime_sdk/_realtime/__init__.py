"""Realtime connections: WebSockets attached to a call (``call_id``) or to a new session (``model``).

Imported only when `RealtimeClient.connect` is first called, so ``import realtime_sdk``
does not pay for it.
"""

from realtime_sdk._realtime._codec import ClientEvent, ServerEvent
from realtime_sdk._realtime._connection import RealtimeConnection
from realtime_sdk._realtime._manager import (
    ConnectOptions,
    RealtimeConnectionManager,
    make_manager,
)

__all__ = [
    "ClientEvent",
    "ConnectOptions",
    "RealtimeConnection",
    "RealtimeConnectionManager",
    "ServerEvent",
    "make_manager",
]
