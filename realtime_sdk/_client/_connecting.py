"""`Connecting`: the client's method that opens a Realtime WebSocket connection.

The connection itself lives in `realtime_sdk._realtime`, loaded on the first `connect`.
`RealtimeClient` inherits it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from realtime_sdk._client._options import QueryValue
from realtime_sdk._reconnect import ReconnectHook
from realtime_sdk._secret import Secret
from realtime_sdk._unset import UNSET, Unset

if TYPE_CHECKING:
    from realtime_sdk._realtime import RealtimeConnectionManager

from realtime_sdk._client._binding import BoundClient


class Connecting(BoundClient):
    """The connection method of `RealtimeClient` (see there for the client itself)."""

    def connect(
        self,
        *,
        call_id: str | None = None,
        model: str | None = None,
        client_secret: str | Secret | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        heartbeat: float | None = 20.0,
        max_message_size: int = 16 * 1024 * 1024,
        max_queued_events: int = 1024,
        send_timeout: float = 10.0,
        timeout: float | Unset = UNSET,
        reconnect: bool = False,
        reconnect_deadline: float = 60.0,
        on_reconnect: ReconnectHook | None = None,
    ) -> RealtimeConnectionManager:
        """A Realtime WebSocket connection: attach to a call, or open a new session.

        ``async with client.connect(call_id=call_id) as connection:`` attaches to a SIP
        call you accepted or a WebRTC call you created (``GET /realtime?call_id=``);
        ``connect(model="gpt-realtime")`` opens a session of its own (``?model=``). It
        goes through this client's connection pool, with the same headers, proxy, TLS
        settings, key provider and Azure credentials as the REST calls; an open connection
        does not take one of the REST calls' ``max_connections`` places, so steering many
        calls never starves the REST calls. Nothing happens until the ``async with`` (or
        ``await manager.enter()``).

        Args:
            call_id: the call to attach to; give exactly one of ``call_id`` and ``model``.
            model: the model of a new session.
            client_secret: an ephemeral key to authenticate with instead of the API key.
            extra_headers: headers to add to the handshake.
            extra_query: query parameters to add to the handshake's URL.
            heartbeat: seconds between pings; a ping unanswered within half of it ends the
                connection with `HeartbeatTimeoutError`. None sends no pings.
            max_message_size: the largest message accepted from the server, in bytes; a
                larger one ends the connection with `MessageTooLargeError`.
            max_queued_events: how many received events may wait unread; when full, the
                connection stops reading until `recv` makes room (nothing is dropped).
            send_timeout: seconds a `send` may wait for the network before it raises
                `APITimeoutError` and closes the connection.
            timeout: seconds the handshake may take; defaults to the client's timeout.
            reconnect: with ``call_id``, reopen the connection when it drops or ends
                abnormally (not on a normal close, nor once the call has ended), pausing
                between tries with a growing backoff; events from the new socket follow
                those from the old one, and sends wait for it (within ``send_timeout``).
            reconnect_deadline: seconds after a drop to keep trying before the connection
                ends with `ConnectionClosedError`.
            on_reconnect: called (or awaited) with a `ReconnectAttempt` before each try;
                raising from it stops reconnecting.

        Returns:
            A manager: ``async with`` it to get the `RealtimeConnection`.

        Raises:
            RequestValidationError: not exactly one of ``call_id`` and ``model``, or a bad
                ``call_id`` (nothing was sent).
            ConfigurationError: a limit out of range, or ``reconnect`` with ``model``.
        """
        from realtime_sdk._realtime import ConnectOptions, make_manager  # noqa: PLC0415 - loaded on first use

        options = ConnectOptions(
            client_secret=client_secret,
            extra_headers=extra_headers,
            heartbeat=heartbeat,
            max_message_size=max_message_size,
            max_queued_events=max_queued_events,
            send_timeout=send_timeout,
            timeout=self._config.timeout if timeout is UNSET else timeout,
            reconnect=reconnect,
            reconnect_deadline=reconnect_deadline,
            on_reconnect=on_reconnect,
        )
        return make_manager(
            self, call_id=call_id, model=model, extra_query=extra_query, options=options
        )


__all__ = ["Connecting"]
