"""The webhook events realtime_sdk knows, and how a verified body becomes one.

The event models are generated from the spec into `realtime_sdk.models` (read leniently,
like answers: unknown keys kept in ``extra_fields``, null accepted anywhere). An event of
any other type is returned whole as an `UnknownVariant`, so a handler keeps working when
OpenAI adds event types.
"""

from collections.abc import Mapping
from typing import Any, Final, TypeAlias

from realtime_sdk._unknown import UnknownVariant
from realtime_sdk._wire import _json
from realtime_sdk._wire._answers import from_dict
from realtime_sdk.errors import ResponseDecodeError, WebhookPayloadError
from realtime_sdk.models import (
    WEBHOOK_EVENTS,
    LiveCallIncomingData,
    RealtimeCallIncomingData,
    SipHeader,
    WebhookLiveCallIncoming,
    WebhookRealtimeCallIncoming,
)

# One pending SIP call may be announced twice, as realtime.call.incoming (answer it with
# accept_realtime_call) and as live.call.incoming (for the Live API); the first accept wins.
WebhookEvent: TypeAlias = WebhookRealtimeCallIncoming | WebhookLiveCallIncoming | UnknownVariant
"""What `realtime_sdk.webhooks.unwrap` returns: a known event, or any other one kept whole."""

EVENT_TYPES: Final[Mapping[str, type[Any]]] = WEBHOOK_EVENTS
"""The model for each event ``type`` this SDK knows."""


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
        event: WebhookEvent = from_dict(payload, model)
    except ResponseDecodeError as exc:
        msg = f"the webhook's signature is valid but its body does not fit the {kind} event"
        raise WebhookPayloadError(msg, errors=exc.errors) from exc
    return event


__all__ = [
    "EVENT_TYPES",
    "LiveCallIncomingData",
    "RealtimeCallIncomingData",
    "SipHeader",
    "WebhookEvent",
    "WebhookLiveCallIncoming",
    "WebhookRealtimeCallIncoming",
    "parse_event",
]
