"""`RealtimeConnection`: typed events both ways over one open aiohttp WebSocket.

One reader task per connection takes messages off the socket as they come (so pings are
answered and heartbeats noticed even while the program is busy), reads each into an event
and puts it on a bounded queue that `recv` takes from.

Queue policy: when the program falls behind and ``max_queued_events`` events wait unread,
the reader stops reading the socket until `recv` makes room. Nothing is dropped or
reordered; TCP flow control slows the server down instead. A program that stops reading
for long enough may therefore see its heartbeat fail, which is the honest outcome.

How a connection ends (each a `ConnectionClosedError`, raised by `recv`, `send` and the
iteration, after every event that arrived before it was delivered):

- the server closed it: ``close_code`` and ``reason`` are the server's;
- it dropped without a closing handshake: ``close_code`` is None;
- a ping got no pong in time: `HeartbeatTimeoutError`;
- a message was over ``max_message_size``: `MessageTooLargeError` (closed with 1009);
- the program closed it: ``close_code`` 1000.

``async for`` ends quietly on a normal close (1000) and raises for every other ending.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from typing import Any, Final

import aiohttp

from realtime_sdk._realtime import _codec
from realtime_sdk._realtime._codec import ClientEvent, ServerEvent
from realtime_sdk._realtime._inbox import Inbox
from realtime_sdk._realtime._reopen import Reopener, worth_reopening
from realtime_sdk.errors import (
    NORMAL_CLOSURE,
    APITimeoutError,
    ConnectionClosedError,
    FieldError,
    HeartbeatTimeoutError,
    MessageTooLargeError,
    RequestValidationError,
)

_log: Final = logging.getLogger("realtime_sdk.realtime")

_END: Final = object()  # put on the queue after the last event
_MESSAGE_TOO_BIG: Final = 1009
_UNSUPPORTED_DATA: Final = 1003
_GOING_AWAY: Final = 1001
_CLOSE_LIMIT: Final = 5.0  # seconds to wait for the server's close frame when closing
_ABORT_LIMIT: Final = 0.1  # seconds to hand a close frame to a stuck peer before dropping


class RealtimeConnection:
    """An open Realtime WebSocket: `send` client events, `recv` server events.

    Made by `RealtimeClient.connect`; use it inside that ``async with`` block. Safe to
    use from several tasks of the client's loop: sends never interleave, and each event
    goes to exactly one `recv`.
    """

    __slots__ = (
        "_closing",
        "_ending",
        "_max_message_size",
        "_queue",
        "_reader",
        "_reopener",
        "_reopening",
        "_send_timeout",
        "_target",
        "_ws",
    )

    def __init__(
        self,
        ws: aiohttp.ClientWebSocketResponse,
        *,
        target: str,
        max_queued_events: int,
        send_timeout: float,
        max_message_size: int,
        reopener: Reopener | None = None,
    ) -> None:
        self._ws = ws
        self._target = target
        self._queue: Inbox[object] = Inbox(max_queued_events)
        self._send_timeout = send_timeout
        self._max_message_size = max_message_size
        self._reopener = reopener
        # Set while a dropped socket is being reopened (only connections that reconnect).
        self._reopening: asyncio.Event | None = None
        self._closing = False
        self._ending: ConnectionClosedError | None = None
        self._reader = asyncio.get_running_loop().create_task(self._read())

    def __repr__(self) -> str:
        state = "closed" if self._ending is not None else "open"
        return f"<RealtimeConnection {self._target} {state}>"

    @property
    def closed(self) -> bool:
        """Whether the connection has ended (events received before may still be queued)."""
        return self._ending is not None

    # -- receiving -----------------------------------------------------------------------

    async def recv(self) -> ServerEvent:
        """The next event from the server, waiting for one if none is queued.

        Server ``error`` events arrive here as events, not exceptions. Cancelling a task
        that waits here leaves the connection open and usable.

        Returns:
            The event.

        Raises:
            ConnectionClosedError: the connection has ended (see the module docstring for
                each ending) and every event before the end has been received.
        """
        queue = self._queue
        if queue:  # the common case while events stream in: no waiting, no coroutine
            item = queue.take()
        elif self._ending is not None:
            raise self._ending
        else:
            item = await queue.get()
        if item is _END:
            assert self._ending is not None
            raise self._ending
        return item  # type: ignore[return-value]

    def __aiter__(self) -> AsyncIterator[ServerEvent]:
        return self

    async def __anext__(self) -> ServerEvent:
        try:
            return await self.recv()
        except ConnectionClosedError as exc:
            if exc.normal:
                raise StopAsyncIteration from None
            raise

    async def _read(self) -> None:
        """Take messages off the socket until it ends (reopening it if asked), then record how."""
        queue = self._queue
        try:
            while True:
                ending = await self._pump(self._ws)
                reopener = self._reopener
                if reopener is None or self._closing or not worth_reopening(ending):
                    self._end(ending)
                    break
                reopening = self._reopening = asyncio.Event()
                if _log.isEnabledFor(logging.DEBUG):
                    _log.debug("realtime connection dropped, reconnecting: %s", ending)
                reopened = await reopener.reopen(ending)
                if isinstance(reopened, ConnectionClosedError):
                    self._end(reopened)
                    break
                self._ws = reopened
                self._reopening = None
                reopening.set()
        except asyncio.CancelledError:
            self._end(self._closed_by_us())
            queue.offer(_END)
            raise
        finally:
            if self._reopening is not None:
                self._reopening.set()  # wakes senders waiting for a socket: they see the end
        # A full queue needs no marker: `recv` sees the ending once it has drained it.
        queue.offer(_END)

    async def _pump(self, ws: aiohttp.ClientWebSocketResponse) -> ConnectionClosedError:
        """Read one socket's events onto the queue until it ends; return how it ended."""
        queue = self._queue
        parse = _codec.parse_server_event
        while True:
            message = await ws.receive()
            kind = message.type
            if kind is aiohttp.WSMsgType.TEXT:
                try:
                    event = parse(message.data)
                except _codec.EventDecodeError as exc:
                    await ws.close(code=_UNSUPPORTED_DATA, message=b"not a JSON object")
                    return ConnectionClosedError(
                        f"{self._target}: the server sent {exc}; connection closed",
                        close_code=_UNSUPPORTED_DATA,
                        reason=str(exc),
                    )
                if not queue.offer(event):  # full: wait for the program to catch up
                    await queue.put(event)
            elif kind is not aiohttp.WSMsgType.BINARY:  # the API speaks text; binary is skipped
                return self._ending_for(ws, message)

    def _ending_for(
        self, ws: aiohttp.ClientWebSocketResponse, message: aiohttp.WSMessage
    ) -> ConnectionClosedError:
        """The error for the message that ended the socket (close, closed or error)."""
        kind = message.type
        target = self._target
        if kind is aiohttp.WSMsgType.ERROR:
            exc = message.data
            if isinstance(exc, aiohttp.ServerTimeoutError):
                return HeartbeatTimeoutError(
                    f"{target}: no pong arrived within the heartbeat limit; connection given up",
                    reason="heartbeat timed out",
                )
            code = getattr(exc, "code", None)
            if code == _MESSAGE_TOO_BIG:
                return MessageTooLargeError(
                    f"{target}: the server sent a message larger than max_message_size "
                    f"({self._max_message_size} bytes); connection closed with 1009",
                    close_code=_MESSAGE_TOO_BIG,
                    reason="message too big",
                )
            return ConnectionClosedError(
                f"{target}: the connection failed ({type(exc).__name__})",
                close_code=code if isinstance(code, int) else None,
                reason=type(exc).__name__,
            )
        if kind is aiohttp.WSMsgType.CLOSE:
            code = message.data if isinstance(message.data, int) else ws.close_code
            reason = message.extra if isinstance(message.extra, str) else ""
            text = f"{target}: the server closed the connection with code {code}"
            return ConnectionClosedError(
                text + (f" ({reason})" if reason else ""), close_code=code, reason=reason
            )
        if self._ending is not None:  # pragma: no cover - closed by us while reading
            return self._ending
        return ConnectionClosedError(
            f"{target}: the connection dropped without a closing handshake",
            reason="connection lost",
        )

    def _end(self, error: ConnectionClosedError) -> ConnectionClosedError:
        """Record how the connection ended (the first ending wins) and return that ending."""
        if self._ending is None:
            self._ending = error
            if _log.isEnabledFor(logging.DEBUG):
                _log.debug("realtime connection ended: %s", error)
        return self._ending

    def _closed_by_us(self) -> ConnectionClosedError:
        return ConnectionClosedError(
            f"{self._target}: the connection was closed by this program",
            close_code=NORMAL_CLOSURE,
            reason="closed by the client",
        )

    # -- sending -------------------------------------------------------------------------

    async def send(self, event: ClientEvent) -> None:
        """Check a client event and send it.

        Args:
            event: an event model or its JSON object as a dict (``{"type":
                "response.create"}``); checked before anything is sent.

        Raises:
            RequestValidationError: the event does not fit (nothing was sent).
            ConnectionClosedError: the connection has ended.
            APITimeoutError: the event could not be handed to the network within
                ``send_timeout``; the connection is closed, since the server is not reading.
        """
        text = _codec.encode_client_event(event)
        await self._send_text(text)

    async def _send_text(self, text: str) -> None:
        if self._ending is not None:
            raise self._ending
        try:
            async with asyncio.timeout(self._send_timeout):
                reopening = self._reopening
                if reopening is not None:  # a dropped socket is being reopened
                    await reopening.wait()
                    if self._ending is not None:
                        raise self._ending
                await self._ws.send_str(text)
        except TimeoutError:
            error = APITimeoutError(
                f"{self._target}: an event could not be sent within {self._send_timeout:g}s "
                "(the server is not reading); connection closed"
            )
            self._end(ConnectionClosedError(str(error), reason="send timed out"))
            await self._abort()
            raise error from None
        except (aiohttp.ClientError, ConnectionError, RuntimeError):
            # aiohttp refuses a send on a socket that is closing: report how it ended.
            dropped = ConnectionClosedError(
                f"{self._target}: the connection dropped while sending", reason="connection lost"
            )
            raise self._end(dropped) from None

    # -- helpers for what every program sends ----------------------------------------------

    async def update_session(self, session: Mapping[str, Any] | Any) -> None:  # noqa: ANN401 - a session model or dict
        """Send ``session.update`` with new session settings (instructions, tools, voice...).

        Args:
            session: the settings, as a session model or a dict (``{"type": "realtime",
                "instructions": "..."}``).
        """
        await self.send({"type": "session.update", "session": _as_json(session)})

    async def create_response(self, response: Mapping[str, Any] | Any | None = None) -> None:  # noqa: ANN401 - a response model or dict
        """Send ``response.create``: ask the model to respond now.

        Args:
            response: settings for this one response (instructions, modalities...), or None
                for the session's.
        """
        event: dict[str, Any] = {"type": "response.create"}
        if response is not None:
            event["response"] = _as_json(response)
        await self.send(event)

    async def send_function_call_output(
        self, call_id: str, output: str, *, respond: bool = True
    ) -> None:
        """Answer a function call: a ``function_call_output`` item, then (by default) a response.

        Args:
            call_id: the ``call_id`` of the model's function call.
            output: the result, as text (JSON text, usually).
            respond: also send ``response.create`` so the model goes on with the result.
        """
        await self.send(
            {
                "type": "conversation.item.create",
                "item": {"type": "function_call_output", "call_id": call_id, "output": output},
            }
        )
        if respond:
            await self.create_response()

    async def append_audio(self, audio: bytes) -> None:
        """Append audio to the input buffer (``input_audio_buffer.append``); never logged.

        Args:
            audio: raw audio bytes in the session's input format; sent as base64.
        """
        import base64  # noqa: PLC0415 - only audio senders pay for it

        given: object = audio  # untyped callers pass anything
        if not isinstance(given, bytes | bytearray | memoryview):
            error = FieldError("audio", "bytes", type(given).__name__)
            raise RequestValidationError([error], model="input_audio_buffer.append")
        encoded = base64.b64encode(audio).decode("ascii")
        await self._send_text('{"type":"input_audio_buffer.append","audio":"' + encoded + '"}')

    async def commit_audio(self) -> None:
        """Commit the input buffer as a user message (``input_audio_buffer.commit``)."""
        await self._send_text('{"type":"input_audio_buffer.commit"}')

    async def clear_audio(self) -> None:
        """Drop the audio in the input buffer (``input_audio_buffer.clear``)."""
        await self._send_text('{"type":"input_audio_buffer.clear"}')

    async def cancel_response(self, response_id: str | None = None) -> None:
        """Cancel the response in progress (``response.cancel``).

        Args:
            response_id: the response to cancel; None for the one in progress.
        """
        event: dict[str, Any] = {"type": "response.cancel"}
        if response_id is not None:
            event["response_id"] = response_id
        await self.send(event)

    # -- closing -------------------------------------------------------------------------

    async def close(self, *, code: int = NORMAL_CLOSURE, reason: str = "") -> None:
        """Close the connection (a closing handshake, bounded in time); calling it again does nothing.

        Events already queued stay readable; `recv` then raises `ConnectionClosedError`.

        Args:
            code: the close code to send (1000 for a normal close).
            reason: a short reason to send (no secrets: the server may log it).
        """
        self._closing = True
        self._end(
            self._closed_by_us()
            if code == NORMAL_CLOSURE
            else ConnectionClosedError(
                f"{self._target}: closed by this program with code {code}",
                close_code=code,
                reason=reason,
            )
        )
        # The closing handshake first: aiohttp wakes a reader waiting in receive() itself.
        await self._close_socket(code, reason, _CLOSE_LIMIT)
        reader = self._reader
        if not reader.done():
            reader.cancel()  # it may wait for room in a full queue
        with contextlib.suppress(asyncio.CancelledError):
            await reader

    async def _abort(self) -> None:
        """Give up on a stuck peer: no waiting for its close frame."""
        self._closing = True
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        await self._close_socket(_GOING_AWAY, "", _ABORT_LIMIT)

    async def _close_socket(self, code: int, reason: str, limit: float) -> None:
        """The closing handshake within ``limit`` seconds; aiohttp drops the socket if cut short."""
        ws = self._ws
        if ws.closed:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(limit):
                await ws.close(code=code, message=reason.encode("utf-8"))


def _as_json(value: Mapping[str, Any] | Any) -> Any:  # noqa: ANN401 - any model or dict
    return dict(_codec.event_payload(value)) if not isinstance(value, Mapping) else value


__all__ = ["RealtimeConnection"]
