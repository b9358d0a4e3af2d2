"""The blocking Realtime connection of `SyncRealtimeClient.connect`, on the facade's loop thread.

Each call hands one coroutine of the async `RealtimeConnection` to the facade's `Portal`
and waits for it, so the connection, its reader task and its heartbeat all live on the
loop thread that owns the client's pool. Nothing here imports the connection modules:
they load on the first ``connect``.
"""

import asyncio
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from realtime_sdk._sync._portal import Portal
from realtime_sdk.errors import ConnectionClosedError

if TYPE_CHECKING:
    from realtime_sdk._realtime import (
        ClientEvent,
        RealtimeConnection,
        RealtimeConnectionManager,
        ServerEvent,
    )


class SyncRealtimeConnection:
    """Blocking twin of `RealtimeConnection`: `send` and `recv` without ``await``.

    Safe to use from several threads: sends never interleave, and each event goes to
    exactly one `recv`.
    """

    def __init__(self, portal: Portal[Any], connection: "RealtimeConnection") -> None:
        self._portal = portal
        self._connection = connection

    def __repr__(self) -> str:
        return f"<Sync{self._connection!r}"

    @property
    def closed(self) -> bool:
        """Whether the connection has ended (events received before may still be queued)."""
        return self._connection.closed

    def recv(self, timeout: float | None = None) -> "ServerEvent":
        """The next event from the server, waiting up to ``timeout`` seconds for one.

        Args:
            timeout: seconds to wait; None waits as long as the connection is open.

        Returns:
            The event.

        Raises:
            TimeoutError: no event arrived in time; the connection stays open and usable.
            ConnectionClosedError: the connection has ended (see `RealtimeConnection`).
        """
        connection = self._connection
        if timeout is None:
            return self._portal.run(lambda _client: connection.recv())
        return self._portal.run(lambda _client: asyncio.wait_for(connection.recv(), timeout))

    def __iter__(self) -> Iterator["ServerEvent"]:
        return self

    def __next__(self) -> "ServerEvent":
        try:
            return self.recv()
        except ConnectionClosedError as exc:
            if exc.normal:
                raise StopIteration from None
            raise

    def send(self, event: "ClientEvent") -> None:
        """Check a client event and send it (see `RealtimeConnection.send`).

        Args:
            event: an event model or its JSON object as a dict.
        """
        connection = self._connection
        self._portal.run(lambda _client: connection.send(event))

    def update_session(self, session: Mapping[str, Any] | Any) -> None:  # noqa: ANN401 - a session model or dict
        """Send ``session.update`` (see `RealtimeConnection.update_session`)."""
        connection = self._connection
        self._portal.run(lambda _client: connection.update_session(session))

    def create_response(self, response: Mapping[str, Any] | Any | None = None) -> None:  # noqa: ANN401 - a response model or dict
        """Send ``response.create`` (see `RealtimeConnection.create_response`)."""
        connection = self._connection
        self._portal.run(lambda _client: connection.create_response(response))

    def send_function_call_output(self, call_id: str, output: str, *, respond: bool = True) -> None:
        """Answer a function call (see `RealtimeConnection.send_function_call_output`)."""
        connection = self._connection
        self._portal.run(
            lambda _client: connection.send_function_call_output(call_id, output, respond=respond)
        )

    def append_audio(self, audio: bytes) -> None:
        """Append audio to the input buffer, sent as base64 (never logged)."""
        connection = self._connection
        self._portal.run(lambda _client: connection.append_audio(audio))

    def commit_audio(self) -> None:
        """Commit the input buffer (``input_audio_buffer.commit``)."""
        connection = self._connection
        self._portal.run(lambda _client: connection.commit_audio())

    def clear_audio(self) -> None:
        """Drop the audio in the input buffer (``input_audio_buffer.clear``)."""
        connection = self._connection
        self._portal.run(lambda _client: connection.clear_audio())

    def cancel_response(self, response_id: str | None = None) -> None:
        """Cancel the response in progress (``response.cancel``)."""
        connection = self._connection
        self._portal.run(lambda _client: connection.cancel_response(response_id))

    def close(self) -> None:
        """Close the connection; calling it again does nothing."""
        if self._portal.closed:
            return  # the facade's close took the loop and the connection with it
        connection = self._connection
        self._portal.run(lambda _client: connection.close())


class SyncRealtimeConnectionManager:
    """Opens a Realtime connection on ``with`` and closes it when the block ends."""

    def __init__(self, portal: Portal[Any], manager: "RealtimeConnectionManager") -> None:
        self._portal = portal
        self._manager = manager
        self._connection: SyncRealtimeConnection | None = None

    def __repr__(self) -> str:
        return f"<Sync{self._manager!r}"

    def enter(self) -> SyncRealtimeConnection:
        """Open the connection (the handshake) and return it (see `RealtimeConnectionManager.enter`).

        Returns:
            The open connection; close it yourself when not using ``with``.
        """
        manager = self._manager
        connection = self._portal.run(lambda _client: manager.enter())
        self._connection = SyncRealtimeConnection(self._portal, connection)
        return self._connection

    def __enter__(self) -> SyncRealtimeConnection:
        return self.enter()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


__all__ = ["SyncRealtimeConnection", "SyncRealtimeConnectionManager"]
