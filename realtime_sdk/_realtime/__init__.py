"""Realtime connections: WebSockets attached to a call (``call_id``) or to a new session (``model``).

Imported only when `RealtimeClient.connect` is first called, so ``import realtime_sdk``
does not pay for it.
"""

from realtime_sdk._realtime._codec import ClientEvent, ServerEvent
from realtime_sdk._realtime._connection import RealtimeConnection
from realtime_sdk._realtime._manager import RealtimeConnectionManager, make_manager
from realtime_sdk._realtime._settings import ConnectOptions

__all__ = [
    "ClientEvent",
    "ConnectOptions",
    "RealtimeConnection",
    "RealtimeConnectionManager",
    "ServerEvent",
    "make_manager",
]
