"""`RealtimeConnectionManager`: what `RealtimeClient.connect` returns, an ``async with`` that opens and closes."""

from types import TracebackType
from typing import TYPE_CHECKING

from yarl import URL

from realtime_sdk._client._options import _checked_query
from realtime_sdk._realtime._connect import describe, open_socket, target_url
from realtime_sdk._realtime._connection import RealtimeConnection
from realtime_sdk._realtime._reopen import Reopener
from realtime_sdk._realtime._settings import ConnectOptions
from realtime_sdk.errors import ConfigurationError

if TYPE_CHECKING:
    from collections.abc import Mapping

    import aiohttp

    from realtime_sdk._client._binding import BoundClient
    from realtime_sdk._client._options import QueryValue


class RealtimeConnectionManager:
    """Opens a Realtime connection on ``async with`` and closes it when the block ends.

    ``async with client.connect(call_id=...) as connection: ...``; or ``await
    manager.enter()`` to hold the connection beyond one block (then close it yourself).
    """

    def __init__(self, client: "BoundClient", url: URL, options: ConnectOptions) -> None:
        self._client = client
        self._url = url
        self._options = options
        self._connection: RealtimeConnection | None = None

    def __repr__(self) -> str:
        return f"<RealtimeConnectionManager {describe(self._url)}>"

    async def _open_socket(self) -> "aiohttp.ClientWebSocketResponse":
        return await open_socket(self._client, self._url, self._options)

    async def enter(self) -> RealtimeConnection:
        """Open the connection (the handshake) and return it.

        Returns:
            The open connection.

        Raises:
            APIStatusError: the server refused the handshake (401, 403, 404 ...; a
                subclass per status, with the request id).
            APIConnectionError: the connection could not be opened (`APITimeoutError`
                when the handshake ran out of time).
            ClientClosedError: the client was closed.
        """
        options = self._options
        ws = await self._open_socket()
        reopener = None
        if options.reconnect:
            reopener = Reopener(
                self._open_socket, deadline=options.reconnect_deadline, hook=options.on_reconnect
            )
        self._connection = RealtimeConnection(
            ws,
            target=describe(self._url),
            max_queued_events=options.max_queued_events,
            send_timeout=options.send_timeout,
            max_message_size=options.max_message_size,
            reopener=reopener,
        )
        return self._connection

    async def __aenter__(self) -> RealtimeConnection:
        return await self.enter()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection = self._connection
        self._connection = None
        if connection is not None:
            await connection.close()


def make_manager(
    client: "BoundClient",
    *,
    call_id: str | None,
    model: str | None,
    extra_query: "Mapping[str, QueryValue] | None",
    options: ConnectOptions,
) -> RealtimeConnectionManager:
    """Check the arguments (before any I/O) and return the manager."""
    url = target_url(client, call_id, model)
    if extra_query:
        url = url.update_query(_checked_query(extra_query))
    options.check()
    if options.reconnect and call_id is None:
        msg = (
            "reconnect: only a call_id connection can be reopened (a new model= session "
            "would start from scratch)"
        )
        raise ConfigurationError(msg)
    return RealtimeConnectionManager(client, url, options)


__all__ = ["RealtimeConnectionManager", "make_manager"]
