"""`RealtimeConnectionManager`: what `RealtimeClient.connect` returns, an ``async with`` that opens and closes."""

from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING

import attrs
from yarl import URL

from realtime_sdk._realtime._connect import handshake, target_url
from realtime_sdk._realtime._connection import RealtimeConnection
from realtime_sdk._secret import Secret
from realtime_sdk.errors import ConfigurationError

if TYPE_CHECKING:
    from realtime_sdk._client import RealtimeClient


@attrs.frozen(kw_only=True)
class ConnectOptions:
    """The settings of one connection, checked when `connect` is called."""

    client_secret: str | Secret | None = attrs.field(repr=False)
    extra_headers: Mapping[str, str] | None = attrs.field(repr=False)
    heartbeat: float | None
    max_message_size: int
    max_queued_events: int
    send_timeout: float
    timeout: float

    def check(self) -> None:
        """Refuse settings out of range, naming the setting.

        Raises:
            ConfigurationError: a limit that is not a positive number.
        """
        for name in ("send_timeout", "timeout"):
            _positive(name, getattr(self, name))
        if self.heartbeat is not None:
            _positive("heartbeat", self.heartbeat)
        for name in ("max_message_size", "max_queued_events"):
            value = getattr(self, name)
            if type(value) is not int or value < 1:
                msg = f"{name}: expected a whole number of at least 1"
                raise ConfigurationError(msg)


def _positive(name: str, value: object) -> None:
    if type(value) not in {int, float} or not value > 0:  # type: ignore[operator]
        msg = f"{name}: expected a number of seconds greater than 0"
        raise ConfigurationError(msg)


class RealtimeConnectionManager:
    """Opens a Realtime connection on ``async with`` and closes it when the block ends.

    ``async with client.connect(call_id=...) as connection: ...``; or ``await
    manager.enter()`` to hold the connection beyond one block (then close it yourself).
    """

    def __init__(self, client: "RealtimeClient", url: URL, options: ConnectOptions) -> None:
        self._client = client
        self._url = url
        self._options = options
        self._connection: RealtimeConnection | None = None

    def __repr__(self) -> str:
        return f"<RealtimeConnectionManager {self._url.path}>"

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
        self._connection = await handshake(
            self._client,
            self._url,
            client_secret=options.client_secret,
            extra_headers=options.extra_headers,
            heartbeat=options.heartbeat,
            max_message_size=options.max_message_size,
            max_queued_events=options.max_queued_events,
            send_timeout=options.send_timeout,
            timeout=options.timeout,
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
    client: "RealtimeClient",
    *,
    call_id: str | None,
    model: str | None,
    options: ConnectOptions,
) -> RealtimeConnectionManager:
    """Check the arguments (before any I/O) and return the manager."""
    url = target_url(client, call_id, model)
    options.check()
    return RealtimeConnectionManager(client, url, options)


__all__ = ["ConnectOptions", "RealtimeConnectionManager", "make_manager"]
