"""The fake's Realtime WebSocket: ``GET /v1/realtime?call_id=`` (sideband) or ``?model=`` (direct).

It plays the service's side of a connection closely enough for an SDK and its examples to
be tested end to end: the same authentication as the REST routes, ``call_id`` only for a
call the fake holds as active, ``session.created`` first, ``session.updated`` for each
``session.update``, and a scripted response for each ``response.create`` (text or
transcript deltas, then ``response.done``; with tools in the session, a function call
first, which waits for its output and the next ``response.create``). Hanging up a call
closes its connections (1000). Every event it sends is checked against the spec's event
schemas first; every client event it receives is checked too, and a misfit is answered
with an ``error`` event, as the service does.

Faults, for tests of every way a connection can end: `drop` (no closing handshake),
`close` (a close code of your choice), `stall` (stop reading, so pings go unanswered),
`send_event` (anything, an ``error`` event or an unknown type), `send_text` (raw text,
oversized or not JSON).
"""

import asyncio
import contextlib
import functools
import json
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Final

from aiohttp import WSMsgType, web

from realtime_sdk.testing import _calls as calls
from realtime_sdk.testing._calls import FakeCall
from realtime_sdk.testing._schema import SchemaViolation, validate_event
from realtime_sdk.testing._wire import Answer, error_payload, response

# An auth gate: None to let the request in, or the error answer.
AuthCheck = Callable[[web.Request], Answer | None]

_DEFAULT_MODEL: Final = "gpt-realtime"
_MAX_CLIENT_MESSAGE: Final = 16 * 1024 * 1024


@dataclass(slots=True, kw_only=True)
class ResponseScript:
    """What the fake's model says.

    Attributes:
        text: the reply, sent in a few deltas (as text, or as an audio transcript when the
            session's output is audio).
        function_arguments: the JSON text of a function call's arguments, made when the
            session has tools.
        goodbye_after_output: after a function call's output, the reply ends with this.
    """

    text: str = "Hello! How can I help you today?"
    function_arguments: str = '{"order_id": "A-1001"}'
    goodbye_after_output: str = " Thank you for calling, goodbye!"


@dataclass(slots=True, kw_only=True)
class FakeConnection:
    """One open WebSocket the fake serves.

    Attributes:
        call_id: the call it is attached to, or None for a direct session.
        model: the model of a direct session.
        session: the session settings as JSON (``session.update`` merges into it).
        received: every client event received, parsed, oldest first.
        sent: every event sent, oldest first.
    """

    call_id: str | None
    model: str | None
    session: dict[str, Any]
    ws: web.WebSocketResponse
    request: web.Request
    received: list[dict[str, Any]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    pending_call: str | None = None  # a function call's call_id awaiting its output
    output_given: bool = False


def _resume(transport: asyncio.BaseTransport) -> None:
    if not transport.is_closing() and isinstance(transport, asyncio.ReadTransport):
        transport.resume_reading()


def _id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


class FakeRealtimeConnections:
    """The WebSocket side of `FakeRealtimeAPI` (its ``realtime`` attribute).

    Attributes:
        script: what the fake's model says (change it before a response).
        connections: every connection opened, oldest first (open or not).
    """

    def __init__(self, *, calls_by_id: Mapping[str, FakeCall], check_auth: AuthCheck) -> None:
        self._calls = calls_by_id
        self._check_auth = check_auth
        self.script = ResponseScript()
        self.connections: list[FakeConnection] = []
        self._opened = asyncio.Condition()
        self._closing: set[asyncio.Task[bool]] = set()

    # -- wiring --------------------------------------------------------------------------

    def install(self, app: web.Application, paths: tuple[str, ...]) -> None:
        """Route ``GET`` on each path to the WebSocket handler; close sockets on shutdown."""
        for path in paths:
            app.router.add_get(path, self.handle)
        app.on_shutdown.append(self._shutdown)

    async def _shutdown(self, _app: web.Application) -> None:
        for conn in self.open_connections():
            with contextlib.suppress(Exception):
                await conn.ws.close(code=1001, message=b"server shutting down")

    def open_connections(self, call_id: str | None = None) -> list[FakeConnection]:
        """The connections still open (attached to ``call_id``, when given)."""
        return [
            conn
            for conn in self.connections
            if not conn.ws.closed and (call_id is None or conn.call_id == call_id)
        ]

    async def wait_for_connections(self, count: int) -> None:
        """Wait until ``count`` connections have been opened; bound it with ``asyncio.timeout``."""
        async with self._opened:
            await self._opened.wait_for(lambda: len(self.connections) >= count)

    def call_ended(self, call_id: str) -> None:
        """Close the connections of a call that was hung up (or otherwise ended), with 1000."""
        for conn in self.open_connections(call_id):
            task = asyncio.get_running_loop().create_task(
                conn.ws.close(code=1000, message=b"call ended")
            )
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    # -- faults --------------------------------------------------------------------------

    def drop(self, call_id: str | None = None) -> None:
        """Cut the open connections without a closing handshake, as a failed network does."""
        for conn in self.open_connections(call_id):
            transport = conn.request.transport
            if transport is not None:
                transport.abort()

    async def close(self, code: int, reason: str = "", call_id: str | None = None) -> None:
        """Close the open connections with a close code of the test's choice."""
        for conn in self.open_connections(call_id):
            await conn.ws.close(code=code, message=reason.encode("utf-8"))

    def stall(self, seconds: float, call_id: str | None = None) -> None:
        """Stop reading the open connections for ``seconds``: pings go unanswered meanwhile.

        The socket itself stops being read, so what the client sends piles up in the
        network buffers, as with a server that has hung.
        """
        loop = asyncio.get_running_loop()
        for conn in self.open_connections(call_id):
            transport = conn.request.transport
            if transport is not None:
                transport.pause_reading()
                loop.call_later(seconds, _resume, transport)

    async def send_event(
        self, event: Mapping[str, Any], call_id: str | None = None, *, check: bool = True
    ) -> None:
        """Send an event to the open connections (checked against the spec unless ``check=False``)."""
        for conn in self.open_connections(call_id):
            await self._send(conn, dict(event), check=check)

    async def say_as_caller(self, transcript: str, call_id: str | None = None) -> None:
        """Send the input transcription of something the caller said (to open connections)."""
        event = {
            "type": "conversation.item.input_audio_transcription.completed",
            "item_id": _id("item"),
            "content_index": 0,
            "transcript": transcript,
            "usage": {"type": "duration", "seconds": 1.5},
        }
        await self.send_event(event, call_id)

    async def say_as_assistant(self, text: str, call_id: str | None = None) -> None:
        """Play a response the client did not ask for (as server VAD would start one)."""
        for conn in self.open_connections(call_id):
            await self._play(conn, functools.partial(self._spoken, conn, text=text))

    async def send_text(self, text: str, call_id: str | None = None) -> None:
        """Send raw text (not JSON, or oversized) to the open connections."""
        for conn in self.open_connections(call_id):
            await conn.ws.send_str(text)

    # -- the handshake -------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """``GET /v1/realtime``: check, upgrade, then serve events until either side closes."""
        request_id = f"req_{secrets.token_hex(16)}"
        refused = self._refusal(request)
        if refused is not None:
            return response(refused, request_id)
        call_id = request.query.get("call_id")
        model = request.query.get("model")
        session: dict[str, Any] = {"type": "realtime", "model": model or _DEFAULT_MODEL}
        if call_id is not None:
            held = self._calls[call_id].session
            session.update(held or {})
        ws = web.WebSocketResponse(autoping=True, max_msg_size=_MAX_CLIENT_MESSAGE)
        await ws.prepare(request)
        conn = FakeConnection(call_id=call_id, model=model, session=session, ws=ws, request=request)
        async with self._opened:
            self.connections.append(conn)
            self._opened.notify_all()
        session["id"] = _id("sess")
        await self._send(conn, {"type": "session.created", "session": self._session_view(conn)})
        await self._serve(conn)
        return ws

    def _refusal(self, request: web.Request) -> Answer | None:
        denied = self._check_auth(request)
        if denied is not None:
            return denied
        call_id = request.query.get("call_id")
        model = request.query.get("model")
        if (call_id is None) == (model is None):
            message = "Pass exactly one of the query parameters 'call_id' and 'model'."
            return Answer(HTTPStatus.BAD_REQUEST, error_payload(message, code="invalid_request"))
        if call_id is not None:
            call = self._calls.get(call_id)
            if call is None or call.state != calls.ACTIVE:
                message = f"No active call with id '{call_id}'."
                return Answer(
                    HTTPStatus.NOT_FOUND,
                    error_payload(message, param="call_id", code="call_not_found"),
                )
        return None

    # -- serving -------------------------------------------------------------------------

    async def _serve(self, conn: FakeConnection) -> None:
        ws = conn.ws
        while not ws.closed:
            message = await ws.receive()
            if message.type is not WSMsgType.TEXT:
                if message.type in {
                    WSMsgType.CLOSE,
                    WSMsgType.CLOSING,
                    WSMsgType.CLOSED,
                    WSMsgType.ERROR,
                }:
                    break
                continue
            await self._on_text(conn, message.data)

    async def _on_text(self, conn: FakeConnection, text: str) -> None:
        try:
            event = json.loads(text)
        except ValueError:
            await self._error(conn, "The message is not valid JSON.", code="invalid_json")
            return
        if not isinstance(event, dict):
            await self._error(conn, "An event is a JSON object.", code="invalid_event")
            return
        conn.received.append(event)
        try:
            validate_event(event, union="RealtimeClientEvent")
        except SchemaViolation as exc:
            await self._error(conn, exc.message, code=exc.code, event_id=event.get("event_id"))
            return
        await self._dispatch(conn, event)

    async def _dispatch(self, conn: FakeConnection, event: dict[str, Any]) -> None:
        kind = event["type"]
        if kind == "session.update":
            conn.session.update(event["session"])
            await self._send(conn, {"type": "session.updated", "session": self._session_view(conn)})
        elif kind == "response.create":
            await self._respond(conn)
        elif kind == "conversation.item.create":
            item = dict(event["item"])
            item.setdefault("id", _id("item"))
            item["object"] = "realtime.item"
            if (
                item.get("type") == "function_call_output"
                and item.get("call_id") == conn.pending_call
            ):
                conn.pending_call = None
                conn.output_given = True
            await self._send(
                conn, {"type": "conversation.item.created", "previous_item_id": None, "item": item}
            )
        elif kind == "input_audio_buffer.commit":
            await self._send(
                conn,
                {
                    "type": "input_audio_buffer.committed",
                    "previous_item_id": None,
                    "item_id": _id("item"),
                },
            )
        elif kind == "input_audio_buffer.clear":
            await self._send(conn, {"type": "input_audio_buffer.cleared"})
        elif kind == "response.cancel":
            # Responses play out at once, so none is ever in progress to cancel.
            message = "Cancellation failed: no active response found."
            await self._error(conn, message, code="response_cancel_not_active")

    async def _play(
        self,
        conn: FakeConnection,
        output: Callable[[str], Awaitable[list[dict[str, Any]]]],
    ) -> None:
        """One response's frame: ``response.created``, the events ``output`` sends for the
        response id, then ``response.done`` carrying the items it returns."""
        response_id = _id("resp")
        base = {"id": response_id, "object": "realtime.response"}
        created = {**base, "status": "in_progress", "output": []}
        await self._send(conn, {"type": "response.created", "response": created})
        items = await output(response_id)
        done = {**base, "status": "completed", "output": items}
        await self._send(conn, {"type": "response.done", "response": done})

    async def _respond(self, conn: FakeConnection) -> None:
        """Play one scripted response: a function call when tools wait for one, else text."""
        await self._play(conn, functools.partial(self._scripted, conn))

    async def _spoken(
        self, conn: FakeConnection, response_id: str, text: str
    ) -> list[dict[str, Any]]:
        return [await self._say(conn, response_id, text)]

    async def _scripted(self, conn: FakeConnection, response_id: str) -> list[dict[str, Any]]:
        """The scripted response's output: a function call when tools wait for one, else text."""
        tools = conn.session.get("tools") or []
        function = next(
            (t for t in tools if isinstance(t, dict) and t.get("type") == "function"), None
        )
        if function is not None and not conn.output_given and conn.pending_call is None:
            item = {
                "id": _id("item"),
                "object": "realtime.item",
                "type": "function_call",
                "status": "completed",
                "call_id": _id("call"),
                "name": function.get("name", "function"),
                "arguments": self.script.function_arguments,
            }
            conn.pending_call = item["call_id"]
            await self._send(
                conn,
                {
                    "type": "response.output_item.added",
                    "response_id": response_id,
                    "output_index": 0,
                    "item": {**item, "status": "in_progress", "arguments": ""},
                },
            )
            await self._send(
                conn,
                {
                    "type": "response.function_call_arguments.done",
                    "response_id": response_id,
                    "item_id": item["id"],
                    "output_index": 0,
                    "call_id": item["call_id"],
                    "name": item["name"],
                    "arguments": item["arguments"],
                },
            )
            await self._send(
                conn,
                {
                    "type": "response.output_item.done",
                    "response_id": response_id,
                    "output_index": 0,
                    "item": item,
                },
            )
            output = [item]
        else:
            text = self.script.text + (
                self.script.goodbye_after_output if conn.output_given else ""
            )
            conn.output_given = False
            output = [await self._say(conn, response_id, text)]
        return output

    async def _say(self, conn: FakeConnection, response_id: str, text: str) -> dict[str, Any]:
        audio = "audio" in (conn.session.get("output_modalities") or ["audio"])
        item_id = _id("item")
        delta_type = (
            "response.output_audio_transcript.delta" if audio else "response.output_text.delta"
        )
        words = text.split(" ")
        for index, word in enumerate(words):
            piece = word if index == 0 else " " + word
            await self._send(
                conn,
                {
                    "type": delta_type,
                    "response_id": response_id,
                    "item_id": item_id,
                    "output_index": 0,
                    "content_index": 0,
                    "delta": piece,
                },
            )
        part = (
            {"type": "output_audio", "transcript": text}
            if audio
            else {"type": "output_text", "text": text}
        )
        return {
            "id": item_id,
            "object": "realtime.item",
            "type": "message",
            "role": "assistant",
            "status": "completed",
            "content": [part],
        }

    async def _error(
        self, conn: FakeConnection, message: str, *, code: str, event_id: object = None
    ) -> None:
        error = {
            "type": "invalid_request_error",
            "code": code,
            "message": message,
            "param": None,
            "event_id": event_id if isinstance(event_id, str) else None,
        }
        await self._send(conn, {"type": "error", "error": error})

    def _session_view(self, conn: FakeConnection) -> dict[str, Any]:
        session = dict(conn.session)
        session.setdefault("object", "realtime.session")
        return session

    async def _send(
        self, conn: FakeConnection, event: dict[str, Any], *, check: bool = True
    ) -> None:
        event.setdefault("event_id", _id("event"))
        if check:
            validate_event(event)  # the fake's own events are held to the spec too
        conn.sent.append(event)
        if not conn.ws.closed:
            with contextlib.suppress(ConnectionError):
                await conn.ws.send_str(json.dumps(event))


__all__ = ["FakeConnection", "FakeRealtimeConnections", "ResponseScript"]
