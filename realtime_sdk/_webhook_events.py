"""The webhook events realtime_sdk knows, and how a verified body becomes one.

`WebhookRealtimeCallIncoming` is written by hand in the generated models' style (frozen,
keyword-only, checked fields, unknown keys kept in ``extra_fields``) until the model
generator emits it into `realtime_sdk.models`; then this module imports that one instead.
An event of any other type is returned whole as an `UnknownVariant`, so a handler keeps
working when OpenAI adds event types.
"""

from collections.abc import Callable, Mapping
from typing import Any, Final, Literal, TypeAlias

import attrs
from cattrs.gen import make_dict_unstructure_fn, override

from realtime_sdk import _json
from realtime_sdk import _validators as v
from realtime_sdk._converter import converter, from_dict
from realtime_sdk._empty import EMPTY
from realtime_sdk._kinds import kind_of
from realtime_sdk._repr import model_repr
from realtime_sdk._unknown import UnknownVariant
from realtime_sdk._unset import UNSET, Unset
from realtime_sdk.errors import FieldError, ResponseDecodeError, WebhookPayloadError

_EXTRA: Final = "extra_fields"


# Every field admits None, as in the generated models of answers: the server's word is
# read as it is.


@attrs.frozen(kw_only=True, repr=False, field_transformer=v.typed)
class SipHeader:
    """One header of the SIP INVITE that started the call."""

    name: str | None
    """A string. Required. None when an answer carries null."""

    value: str | None
    """A string. Required. None when an answer carries null."""

    extra_fields: Mapping[str, Any] = attrs.field(default=EMPTY, validator=v.extra_keys, hash=False)
    """Keys of the JSON object this SDK does not know, kept as received (compared, but not hashed)."""

    __repr__ = model_repr
    __attrs_post_init__ = v.check_fields


@attrs.frozen(kw_only=True, repr=False, field_transformer=v.typed)
class RealtimeCallIncomingData:
    """The call waiting to be accepted, referred or rejected, and its SIP INVITE headers."""

    call_id: str | None
    """A string (``rtc_...``), the id the call endpoints take. Required. None when an answer carries null."""

    sip_headers: list[SipHeader] | None
    """A list of `SipHeader`. Required. None when an answer carries null."""

    extra_fields: Mapping[str, Any] = attrs.field(default=EMPTY, validator=v.extra_keys, hash=False)
    """Keys of the JSON object this SDK does not know, kept as received (compared, but not hashed)."""

    __repr__ = model_repr
    __attrs_post_init__ = v.check_fields


@attrs.frozen(kw_only=True, repr=False, field_transformer=v.typed)
class WebhookRealtimeCallIncoming:
    """The ``realtime.call.incoming`` webhook event: a SIP call waits for a Realtime session."""

    created_at: int | None
    """An integer. Required. Unix time in seconds. None when an answer carries null."""

    id: str | None
    """A string, the event's id. Required. None when an answer carries null."""

    data: RealtimeCallIncomingData | None
    """A `RealtimeCallIncomingData`. Required. None when an answer carries null."""

    object: Literal["event"] | Unset | None = UNSET
    """The constant "event". Optional. None when an answer carries null."""

    type: Literal["realtime.call.incoming"] | None = "realtime.call.incoming"
    """The constant "realtime.call.incoming". Always sent. None when an answer carries null."""

    extra_fields: Mapping[str, Any] = attrs.field(default=EMPTY, validator=v.extra_keys, hash=False)
    """Keys of the JSON object this SDK does not know, kept as received (compared, but not hashed)."""

    __repr__ = model_repr
    __attrs_post_init__ = v.check_fields


WebhookEvent: TypeAlias = WebhookRealtimeCallIncoming | UnknownVariant
"""What `realtime_sdk.webhooks.unwrap` returns: a known event, or any other one kept whole."""

EVENT_TYPES: Final[Mapping[str, type[Any]]] = {
    "realtime.call.incoming": WebhookRealtimeCallIncoming,
}
"""The model for each event ``type`` this SDK knows."""


# Where the hand-written models hold one another: as an object, or as a list of them.
_OBJECTS: Final[Mapping[type[Any], Mapping[str, type[Any]]]] = {
    WebhookRealtimeCallIncoming: {"data": RealtimeCallIncomingData},
}
_LISTS: Final[Mapping[type[Any], Mapping[str, type[Any]]]] = {
    RealtimeCallIncomingData: {"sip_headers": SipHeader},
}
_HAND_WRITTEN: Final = frozenset({WebhookRealtimeCallIncoming, RealtimeCallIncomingData, SipHeader})


def _gather_unknown_keys(value: object, model: type[Any], path: str = "") -> object:
    """`value` with the keys `model` does not know moved under ``extra_fields``, all the way down.

    The converter keeps unknown keys for the generated models only; this gives the
    hand-written ones the same shape before they are read, so nothing the server sent is
    lost.

    Raises:
        ResponseDecodeError: a value that must be an object is not one (null is let by).
    """
    if value is None:
        return None  # an answer may carry null for any property
    if type(value) is not dict:
        error = FieldError(path, "an object", kind_of(value))
        raise ResponseDecodeError([error], model=model.__name__)
    known = {field.name for field in attrs.fields(model)} - {_EXTRA}
    out = {key: item for key, item in value.items() if key in known}
    for name, nested in _OBJECTS.get(model, {}).items():
        if name in out:
            out[name] = _gather_unknown_keys(out[name], nested, f"{path}.{name}".lstrip("."))
    for name, nested in _LISTS.get(model, {}).items():
        items = out.get(name)
        if type(items) is list:  # anything else is reported by the converter
            where = f"{path}.{name}".lstrip(".")
            out[name] = [
                _gather_unknown_keys(item, nested, f"{where}[{index}]")
                for index, item in enumerate(items)
            ]
    extra = {key: item for key, item in value.items() if key not in known}
    if extra:
        out[_EXTRA] = extra
    return out


def _unstructure_hook(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
    """cattrs' own hook for `cls`: UNSET fields left out, unknown keys written back."""
    unset: dict[str, Any] = {
        a.name: override(omit_if_default=True) for a in attrs.fields(cls) if a.default is UNSET
    }
    base = make_dict_unstructure_fn(cls, converter, extra_fields=override(omit=True), **unset)

    def unstructure(obj: Any) -> dict[str, Any]:  # noqa: ANN401 - one of the models above
        out = base(obj)
        out.update(obj.extra_fields)
        return out

    return unstructure


# `to_dict` and `to_json` write the generated models by the rules of the public converter;
# it learns the hand-written ones here, so they write their JSON back the same way.
converter.register_unstructure_hook_factory(lambda t: t in _HAND_WRITTEN, _unstructure_hook)


def parse_event(body: bytes) -> WebhookEvent:
    """Read a verified webhook body as its event model, leniently.

    Raises:
        WebhookPayloadError: the body is not JSON, not an object, has no string ``type``,
            or is a known event that does not fit its schema.
    """
    try:
        payload = _json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        msg = "the webhook's signature is valid but its body is not JSON"
        raise WebhookPayloadError(msg) from exc
    if type(payload) is not dict:
        msg = "the webhook's signature is valid but its body is not a JSON object"
        raise WebhookPayloadError(msg)
    kind = payload.get("type")
    if type(kind) is not str:
        msg = 'the webhook\'s signature is valid but its body has no string "type": not an event'
        raise WebhookPayloadError(msg)
    model = EVENT_TYPES.get(kind)
    if model is None:
        return UnknownVariant(data=payload)
    try:
        event: WebhookEvent = from_dict(_gather_unknown_keys(payload, model), model)
    except ResponseDecodeError as exc:
        msg = f"the webhook's signature is valid but its body does not fit the {kind} event"
        raise WebhookPayloadError(msg, errors=exc.errors) from exc
    return event


__all__ = [
    "EVENT_TYPES",
    "RealtimeCallIncomingData",
    "SipHeader",
    "WebhookEvent",
    "WebhookRealtimeCallIncoming",
    "parse_event",
]
