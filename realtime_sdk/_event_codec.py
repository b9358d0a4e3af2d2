"""Reading and writing Realtime events: the entry points ``realtime_sdk.events`` re-exports.

Server events are read as answers are (`realtime_sdk._wire._converter`): leniently and
losslessly, an event type newer than this SDK giving an `UnknownVariant` with its whole
payload. Client events are checked as requests are, by the one validator over the JSON
they are sent as, against the generated event rules (``_event_rules.py``).

The event classes are imported on first use, not when this module is: ``events.py``
imports this module for its entry points.
"""

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from cattrs.preconf.json import JsonConverter

from realtime_sdk._models import MODULES as MODEL_MODULES
from realtime_sdk._wire import _json, _validators
from realtime_sdk._wire._converter import build, structure_with
from realtime_sdk._wire._errors import errors_of
from realtime_sdk._wire._kinds import kind_of
from realtime_sdk._wire._requests import to_dict_with
from realtime_sdk._wire._tables import loaded_tables
from realtime_sdk.errors import FieldError, RequestValidationError, ResponseDecodeError

if TYPE_CHECKING:
    from realtime_sdk.events import ClientEvent, ServerEvent


@cache
def _converters() -> tuple[JsonConverter, JsonConverter]:
    """The fast and the detailed converter of the event classes (and the models they share)."""
    # The events module imports the model modules whose classes it shares.
    from realtime_sdk import events  # noqa: PLC0415 - see the module docstring

    modules = (*MODEL_MODULES, events.__name__)
    return build(lambda: loaded_tables(modules), detailed=False), build(
        lambda: loaded_tables(modules)
    )


def _decode(data: bytes | str | Mapping[str, Any], what: str) -> Any:  # noqa: ANN401 - any JSON
    if isinstance(data, Mapping):
        return data if type(data) is dict else dict(data)
    try:
        return _json.loads(data.encode() if isinstance(data, str) else data)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        error = FieldError("", "a JSON document", "text that is not JSON")
        raise ResponseDecodeError([error], model=what) from exc


def _read(data: bytes | str | Mapping[str, Any], union: Any, what: str) -> Any:  # noqa: ANN401 - an event union
    payload = _decode(data, what)
    fast, detailed = _converters()
    try:
        return structure_with(fast, detailed, payload, union)
    except Exception as exc:
        raise ResponseDecodeError(errors_of(exc), model=what) from exc


def parse_server_event(data: "bytes | str | Mapping[str, Any]") -> "ServerEvent":
    """Read one server event (a WebSocket text frame, or its decoded JSON object).

    Leniently, as answers are read: unknown keys are kept in ``extra_fields``, nulls and
    new enum values are kept, and an event type newer than this SDK gives an
    `UnknownVariant` holding the whole payload. Writing the result back with
    ``realtime_sdk.to_dict``-style unstructuring gives the same JSON.

    Args:
        data: the frame's text or bytes, or the decoded JSON object.

    Returns:
        The typed event, or an `UnknownVariant` for an event type this SDK does not know.

    Raises:
        ResponseDecodeError: the data is not JSON, or a known event does not fit its class.
    """
    from realtime_sdk.events import ServerEvent  # noqa: PLC0415 - see the module docstring

    event: ServerEvent = _read(data, ServerEvent, "ServerEvent")
    return event


def parse_client_event(data: "bytes | str | Mapping[str, Any]") -> "ClientEvent":
    """Read one client event leniently, as `parse_server_event` reads server events.

    For the server side of a connection (a fake server, a relay).

    Raises:
        ResponseDecodeError: the data is not JSON, or a known event does not fit its class.
    """
    from realtime_sdk.events import ClientEvent  # noqa: PLC0415 - see the module docstring

    event: ClientEvent = _read(data, ClientEvent, "ClientEvent")
    return event


def client_event_payload(event: "ClientEvent | Mapping[str, Any]") -> Any:  # noqa: ANN401 - a JSON object
    """Check a client event against the spec's rules and return it as a JSON-ready dict.

    Raises:
        RequestValidationError: naming every field that does not fit, with its path.
    """
    from realtime_sdk._wire import _event_rules  # noqa: PLC0415 - see the module docstring

    if isinstance(event, Mapping):
        payload: Any = event if type(event) is dict else dict(event)
    elif hasattr(type(event), "__attrs_attrs__"):
        payload = to_dict_with(_converters()[1], event)
    else:
        error = FieldError("", "a client event or a dict", kind_of(event))
        raise RequestValidationError([error], model="ClientEvent")
    errors = _validators.check(payload, _event_rules.RULES["RealtimeClientEvent"])
    if errors:
        raise RequestValidationError(errors, model="ClientEvent")
    return payload


def encode_client_event(event: "ClientEvent | Mapping[str, Any]") -> str:
    """Check a client event against the spec's rules and encode it as one JSON text frame.

    Every bad field is reported at once, with its path and what was expected, before
    anything is sent; an event type the spec does not list is refused.

    Args:
        event: an event class of ``realtime_sdk.events`` or a dict in the wire shape.

    Returns:
        The compact JSON text to send.

    Raises:
        RequestValidationError: naming every field that does not fit, with its path.
    """
    payload = client_event_payload(event)
    try:
        return _json.dumps(payload).decode()
    except (TypeError, ValueError, RecursionError) as exc:
        error = FieldError("", "text UTF-8 can encode", "a value JSON cannot encode")
        raise RequestValidationError([error], model="ClientEvent") from exc


__all__ = [
    "client_event_payload",
    "encode_client_event",
    "parse_client_event",
    "parse_server_event",
]
