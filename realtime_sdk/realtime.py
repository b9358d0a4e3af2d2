"""The types of Realtime connections, for annotations: ``from realtime_sdk.realtime import RealtimeConnection``.

Importing this module loads the connection code, which ``import realtime_sdk`` leaves out
until the first `RealtimeClient.connect`.
"""

from realtime_sdk._realtime import (
    ClientEvent,
    RealtimeConnection,
    RealtimeConnectionManager,
    ServerEvent,
)
from realtime_sdk._reconnect import ReconnectAttempt, ReconnectHook
from realtime_sdk._sync._connection import SyncRealtimeConnection, SyncRealtimeConnectionManager

__all__ = [
    "ClientEvent",
    "RealtimeConnection",
    "RealtimeConnectionManager",
    "ReconnectAttempt",
    "ReconnectHook",
    "ServerEvent",
    "SyncRealtimeConnection",
    "SyncRealtimeConnectionManager",
]
