"""Type-checked by mypy --strict in CI, never executed: the webhook API's types as users see them."""

from typing import assert_type

from aiohttp import web
from multidict import CIMultiDictProxy

from realtime_sdk import Secret
from realtime_sdk.testing import WebhookDelivery, send_webhook, send_webhook_sync, sign_webhook
from realtime_sdk.webhooks import (
    UnknownVariant,
    WebhookEvent,
    WebhookRealtimeCallIncoming,
    WebhookTimestampToleranceError,
    unwrap,
    verify,
)


async def handler(request: web.Request) -> str:
    headers: CIMultiDictProxy[str] = request.headers
    event = unwrap(await request.read(), headers, secret=Secret("whsec_AAAA"), tolerance=60)
    assert_type(event, WebhookEvent)
    if isinstance(event, WebhookRealtimeCallIncoming):
        # Required payload fields have their own type, as the spec says.
        assert_type(event.data.call_id, str)
        return event.data.call_id
    assert_type(event, UnknownVariant)
    return str(event.type)


def checks_only(body: str, headers: dict[str, str]) -> None:
    assert_type(verify(body, headers, secret="whsec_AAAA", now=1.5), None)


def tolerance_fields(exc: WebhookTimestampToleranceError) -> tuple[int, float, float]:
    return exc.timestamp, exc.now, exc.tolerance


async def senders() -> None:
    headers = sign_webhook(b"{}", "whsec_AAAA", msg_id="msg_1", timestamp=1)
    assert_type(headers, dict[str, str])
    delivery = await send_webhook("http://127.0.0.1:1/", {"type": "x"}, secret="whsec_AAAA")
    assert_type(delivery, WebhookDelivery)
    assert_type(send_webhook_sync("http://127.0.0.1:1/", b"{}", secret="whsec_AAAA").status, int)
