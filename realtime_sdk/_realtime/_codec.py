"""The seam between a connection and the event models: text in, events out, and back.

A connection only ever calls `parse_server_event` and `encode_client_event`, so the
models behind them (the generated ``realtime_sdk.events``) can change without touching
the connection, the sync facade or the tests. Importing this module loads the event
classes: it happens on the first `RealtimeClient.connect`, not on ``import realtime_sdk``.

Reading is lenient: an event type newer than the SDK is an `UnknownVariant` with its whole
payload, and so is a known type whose payload does not fit its class (a server that has
moved on must not end the connection); only a message that is not a JSON object is an
error. Sending is strict: the event is checked against the spec's rules first.
"""

from collections.abc import Mapping
from typing import Any, TypeAlias

from realtime_sdk import events
from realtime_sdk._event_codec import _converters as _event_converters

# Sending is strict: checked against the spec's rules (every bad field named, never its
# value) before the text is returned.
from realtime_sdk._event_codec import encode_client_event
from realtime_sdk._unknown import UnknownVariant
from realtime_sdk._wire import _json
from realtime_sdk._wire._converter import structure_with
from realtime_sdk._wire._requests import to_dict_with

ServerEvent: TypeAlias = events.ServerEvent
"""What `RealtimeConnection.recv` returns: one event from the server."""

# The union the events' converter dispatches on (by `type`); read once, not per event.
_SERVER_EVENT: Any = events.ServerEvent

ClientEvent: TypeAlias = events.ClientEvent | Mapping[str, Any]
"""What `RealtimeConnection.send` takes: an event class of ``realtime_sdk.events`` or its dict."""


class EventDecodeError(ValueError):
    """A WebSocket text message that is not a JSON object; the message is never quoted."""


def parse_server_event(text: str | bytes) -> ServerEvent:
    """Read one server message into its event class, leniently.

    Raises:
        EventDecodeError: the text is not JSON, or not a JSON object.
    """
    try:
        data = _json.loads(text.encode("utf-8") if isinstance(text, str) else text)
    except (ValueError, UnicodeError, RecursionError) as exc:
        msg = "a server message that is not JSON"
        raise EventDecodeError(msg) from exc
    if type(data) is not dict:
        msg = f"a server message that is JSON but not an object ({type(data).__name__})"
        raise EventDecodeError(msg)
    fast, detailed = _event_converters()
    try:
        event: ServerEvent = structure_with(fast, detailed, data, _SERVER_EVENT)
    except Exception:  # noqa: BLE001 - any misfit of a known type: kept whole, as an unknown one
        return UnknownVariant(data=data)
    return event


def event_payload(event: object) -> Mapping[str, Any]:
    """The JSON object of an event (server or client), as it travels."""
    if isinstance(event, UnknownVariant):
        return event.data
    if isinstance(event, Mapping):
        return event
    # The events' own converter: it writes `extra_fields` back as keys, as the wire had them.
    payload = to_dict_with(_event_converters()[1], event)
    if not isinstance(payload, Mapping):
        msg = f"expected an event, got {type(event).__name__}"
        raise TypeError(msg)
    return payload


__all__ = [
    "ClientEvent",
    "EventDecodeError",
    "ServerEvent",
    "encode_client_event",
    "event_payload",
    "parse_server_event",
]
