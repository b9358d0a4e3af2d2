"""The seam between a connection and the event models: text in, events out, and back.

A connection only ever calls `parse_server_event` and `encode_client_event`, so the
models behind them can change without touching the connection, the sync facade or the
tests. Until the generated event module (``realtime_sdk.events``) lands, every server
event is read as an `UnknownVariant` (the lenient reading of a tag the SDK does not know:
the whole JSON object, kept), and a client event is checked for the JSON shape every event
shares (an object with a string ``type``, JSON values only) before it is encoded.
"""

from collections.abc import Mapping
from typing import Any, TypeAlias

import attrs

from realtime_sdk import _json
from realtime_sdk._unknown import UnknownVariant
from realtime_sdk._validators import json_misfit
from realtime_sdk.errors import FieldError, RequestValidationError

ServerEvent: TypeAlias = UnknownVariant
"""What `RealtimeConnection.recv` returns: one event from the server."""

ClientEvent: TypeAlias = Mapping[str, Any] | Any
"""What `RealtimeConnection.send` takes: an event model or its JSON object as a dict."""


class EventDecodeError(ValueError):
    """A WebSocket text message that is not a JSON object; the message is never quoted."""


def parse_server_event(text: str | bytes) -> ServerEvent:
    """Read one server message leniently: any JSON object is an event.

    Raises:
        EventDecodeError: the text is not JSON, or not a JSON object.
    """
    raw = text.encode("utf-8") if isinstance(text, str) else text
    try:
        data = _json.loads(raw)
    except ValueError as exc:
        msg = "a server message that is not JSON"
        raise EventDecodeError(msg) from exc
    if type(data) is not dict:
        msg = f"a server message that is JSON but not an object ({type(data).__name__})"
        raise EventDecodeError(msg)
    return UnknownVariant(data=data)


def event_payload(event: object) -> Mapping[str, Any]:
    """The JSON object of an event (server or client), as it travels."""
    if isinstance(event, UnknownVariant):
        return event.data
    if isinstance(event, Mapping):
        return event
    if attrs.has(type(event)):
        from realtime_sdk._converter import to_dict  # noqa: PLC0415 - models load on first use

        payload = to_dict(event)
        if isinstance(payload, Mapping):
            return payload
    error = FieldError("", "an event model or a dict", type(event).__name__)
    raise RequestValidationError([error], model="client event")


def encode_client_event(event: ClientEvent) -> str:
    """Check a client event and return the text to send.

    Raises:
        RequestValidationError: the event is not a JSON object with a string ``type``, or
            holds a value JSON cannot carry (each problem with its path; never the value).
    """
    payload = event_payload(event)
    errors: list[FieldError] = []
    tag = payload.get("type")
    if not isinstance(tag, str) or not tag:
        errors.append(FieldError("type", "the event's type, a non-empty string", _kind(tag)))
    misfit = json_misfit(payload)
    if misfit is not None:
        errors.append(misfit)
    if errors:
        raise RequestValidationError(errors, model="client event")
    return _json.dumps(payload).decode("utf-8")


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__


__all__ = [
    "ClientEvent",
    "EventDecodeError",
    "ServerEvent",
    "encode_client_event",
    "event_payload",
    "parse_server_event",
]
