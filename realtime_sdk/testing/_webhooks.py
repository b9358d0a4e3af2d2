"""Signed webhooks for testing a handler: sign a body, build an event, POST it to a URL.

The signing here is written on its own from the Standard Webhooks rules and does not use
`realtime_sdk.webhooks`: like the fake API, it is an independent witness, so a mistake in
the verifier cannot hide behind the same mistake in the signer.
"""

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Final, TypeAlias

import aiohttp

from realtime_sdk._secret import Secret
from realtime_sdk.testing._wire import replaced_headers

_PREFIX: Final = "whsec_"
# Headers of a plausible SIP INVITE; example.com and example.net are reserved for examples.
_SIP_HEADERS: Final = (
    ("From", "<sip:+15550100@example.com>;tag=a73kszlfl"),
    ("To", "<sip:+15550199@example.net>"),
    ("Call-ID", "a84b4c76e66710@pc33.example.com"),
    ("CSeq", "1 INVITE"),
    ("Content-Type", "application/sdp"),
)
_DEFAULT_TIMEOUT: Final = 10.0

SipHeaders: TypeAlias = Mapping[str, str] | Iterable[tuple[str, str]]
"""SIP headers as the testing helpers take them: a mapping, or ``(name, value)`` pairs
(pairs can repeat a name, as an INVITE may)."""


def sip_header_pairs(headers: SipHeaders) -> list[tuple[str, str]]:
    """The ``(name, value)`` pairs of SIP headers given as a mapping or as pairs.

    Raises:
        TypeError: `headers` is neither, or a name or value is not a str; the message
            says what was expected and where.
    """
    given: object = headers  # untyped callers pass anything
    if isinstance(given, str | bytes) or not isinstance(given, Mapping | Iterable):
        msg = (
            "sip_headers must be a mapping of header names to values or a sequence of "
            f"(name, value) pairs, got {type(given).__name__}"
        )
        raise TypeError(msg)
    items: Iterable[object] = given.items() if isinstance(given, Mapping) else given
    pairs: list[tuple[str, str]] = []
    for index, item in enumerate(items):
        if not (
            isinstance(item, tuple | list)
            and len(item) == 2  # noqa: PLR2004 - a pair
            and all(isinstance(part, str) for part in item)
        ):
            msg = (
                f"sip_headers[{index}] must be a (name, value) pair of str, got "
                f"{_shape(item)}; pass a mapping or a sequence of such pairs"
            )
            raise TypeError(msg)
        pairs.append((item[0], item[1]))
    return pairs


def _shape(item: object) -> str:
    if isinstance(item, tuple | list):
        return f"a {type(item).__name__} of {len(item)}: ({', '.join(type(part).__name__ for part in item)})"
    return type(item).__name__


def make_webhook_secret() -> str:
    """A fresh random webhook secret in OpenAI's form: ``whsec_`` and 32 bytes in base64."""
    return _PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def sign_webhook(
    payload: bytes | str,
    secret: str | Secret,
    *,
    msg_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, str]:
    """The three headers OpenAI would send with `payload`, signed with `secret`.

    Args:
        payload: the body to be sent (a str is signed as its UTF-8 bytes).
        secret: ``whsec_`` followed by base64, as a str or `Secret`.
        msg_id: the ``webhook-id``; a fresh ``msg_...`` when None.
        timestamp: seconds since 1970 for ``webhook-timestamp``; now when None (pass an
            old one to test that a handler refuses replays).

    Returns:
        ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` (one ``v1,`` entry).

    Raises:
        TypeError: `secret` is neither a str nor a `Secret`, or `payload` neither bytes
            nor str.
        ValueError: `secret` is not ``whsec_`` followed by base64 (the message never shows it).
    """
    given: object = payload  # untyped callers pass anything
    if isinstance(given, str):
        body = given.encode()
    elif isinstance(given, bytes | bytearray | memoryview):
        body = bytes(given)
    else:
        msg = f"payload: expected the body as bytes or str, got {type(given).__name__}"
        raise TypeError(msg)
    ident = f"msg_{secrets.token_hex(12)}" if msg_id is None else msg_id
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signed = f"{ident}.{stamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return {
        "webhook-id": ident,
        "webhook-timestamp": stamp,
        "webhook-signature": "v1," + base64.b64encode(digest).decode("ascii"),
    }


def _key(secret: str | Secret) -> bytes:
    given: object = secret  # untyped callers pass anything
    if isinstance(given, Secret):
        value = given.reveal()
    elif isinstance(given, str):
        value = given
    else:
        # The type alone: whatever it is, it may be a credential.
        msg = f"secret: expected a str or Secret, got {type(given).__name__}"
        raise TypeError(msg)
    if not value.startswith(_PREFIX):
        msg = f'a webhook secret is "{_PREFIX}" followed by base64'
        raise ValueError(msg)
    try:
        return base64.b64decode(value.removeprefix(_PREFIX), validate=True)
    except ValueError:  # binascii.Error is one
        msg = f'a webhook secret is "{_PREFIX}" followed by base64; the rest is not base64'
        raise ValueError(msg) from None


def new_call_id() -> str:
    """A fresh call id of the form the API uses, ``rtc_`` and 32 hex digits."""
    return f"rtc_{secrets.token_hex(16)}"


def realtime_call_incoming_event(
    call_id: str | None = None,
    *,
    sip_headers: SipHeaders = _SIP_HEADERS,
    event_id: str | None = None,
    created_at: int | None = None,
) -> dict[str, Any]:
    """A ``realtime.call.incoming`` event as JSON-ready dicts, for `send_webhook`.

    Args:
        call_id: the call it announces; a fresh ``rtc_...`` when None.
        sip_headers: the SIP INVITE's headers, as a mapping or ``(name, value)`` pairs
            (the shapes `FakeRealtimeAPI.add_incoming_call` takes); a plausible set by default.
        event_id: the event's ``id``; a fresh ``evt_...`` when None.
        created_at: seconds since 1970; now when None.

    Raises:
        TypeError: `sip_headers` is neither a mapping nor pairs of str.
    """
    return _incoming_event(
        "realtime.call.incoming",
        "call_id",
        call_id,
        sip_headers=sip_headers,
        event_id=event_id,
        created_at=created_at,
    )


def live_call_incoming_event(
    session_id: str | None = None,
    *,
    sip_headers: SipHeaders = _SIP_HEADERS,
    event_id: str | None = None,
    created_at: int | None = None,
) -> dict[str, Any]:
    """A ``live.call.incoming`` event as JSON-ready dicts, for `send_webhook`.

    OpenAI may announce one waiting SIP call with both events; this one names the call
    ``session_id`` where ``realtime.call.incoming`` says ``call_id`` (the same ``rtc_...``).

    Args:
        session_id: the call it announces; a fresh ``rtc_...`` when None.
        sip_headers: the SIP INVITE's headers, as a mapping or ``(name, value)`` pairs.
        event_id: the event's ``id``; a fresh ``evt_...`` when None.
        created_at: seconds since 1970; now when None.

    Raises:
        TypeError: `sip_headers` is neither a mapping nor pairs of str.
    """
    return _incoming_event(
        "live.call.incoming",
        "session_id",
        session_id,
        sip_headers=sip_headers,
        event_id=event_id,
        created_at=created_at,
    )


def _incoming_event(
    kind: str,
    id_key: str,
    call_id: str | None,
    *,
    sip_headers: SipHeaders,
    event_id: str | None,
    created_at: int | None,
) -> dict[str, Any]:
    headers = [{"name": name, "value": value} for name, value in sip_header_pairs(sip_headers)]
    return {
        "id": f"evt_{secrets.token_hex(12)}" if event_id is None else event_id,
        "object": "event",
        "type": kind,
        "created_at": int(time.time()) if created_at is None else created_at,
        "data": {
            id_key: new_call_id() if call_id is None else call_id,
            "sip_headers": headers,
        },
    }


@dataclass(frozen=True, slots=True)
class WebhookDelivery:
    """One webhook sent by `send_webhook`: what went out and what the handler answered."""

    status: int
    """The handler's HTTP status."""
    body: bytes
    """The handler's response body."""
    sent_headers: Mapping[str, str]
    """The request headers: the three signature headers, Content-Type and any extras."""
    sent_body: bytes
    """The request body exactly as signed and sent."""


async def send_webhook(
    url: str,
    event: Mapping[str, Any] | bytes | str,
    *,
    secret: str | Secret,
    msg_id: str | None = None,
    timestamp: int | None = None,
    extra_headers: Mapping[str, str] | None = None,
    session: aiohttp.ClientSession | None = None,
    timeout: float = _DEFAULT_TIMEOUT,  # noqa: ASYNC109 - the sync twin takes the same limit
) -> WebhookDelivery:
    """POST a signed webhook to `url`, as OpenAI delivers one, and return the answer.

    Args:
        url: the handler's address, e.g. ``http://127.0.0.1:8080/webhooks``.
        event: a JSON-ready mapping (compact JSON is sent), or the exact body bytes/str.
        secret: ``whsec_`` followed by base64: the secret the handler verifies with.
        msg_id: the ``webhook-id``; fresh when None.
        timestamp: the ``webhook-timestamp``; now when None.
        extra_headers: more request headers; they may replace the signed ones, to test
            how a handler treats a tampered delivery.
        session: an aiohttp session to send with; a short-lived one of its own when None.
        timeout: seconds for the whole exchange.

    Returns:
        The status and body of the answer, with the headers and body that were sent.

    Raises:
        aiohttp.ClientError, TimeoutError: the handler could not be reached in time.
        ValueError: `secret` is not ``whsec_`` followed by base64.
    """
    body = _encode(event)
    signed = sign_webhook(body, secret, msg_id=msg_id, timestamp=timestamp)
    headers = replaced_headers({"Content-Type": "application/json", **signed}, extra_headers or {})
    limit = aiohttp.ClientTimeout(total=timeout)
    if session is None:
        async with aiohttp.ClientSession() as own:
            return await _post(own, url, body, headers, limit)
    return await _post(session, url, body, headers, limit)


def send_webhook_sync(
    url: str,
    event: Mapping[str, Any] | bytes | str,
    *,
    secret: str | Secret,
    msg_id: str | None = None,
    timestamp: int | None = None,
    extra_headers: Mapping[str, str] | None = None,
    timeout: float = _DEFAULT_TIMEOUT,
) -> WebhookDelivery:
    """`send_webhook` for synchronous code (a Django or Flask test, a script).

    It runs on an event loop of its own in a worker thread, so it works whether or not the
    calling thread runs a loop. Arguments and errors are those of `send_webhook`.
    """

    def deliver() -> WebhookDelivery:
        return asyncio.run(
            send_webhook(
                url,
                event,
                secret=secret,
                msg_id=msg_id,
                timestamp=timestamp,
                extra_headers=extra_headers,
                timeout=timeout,
            )
        )

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="realtime-sdk-webhook") as pool:
        return pool.submit(deliver).result()


def _encode(event: Mapping[str, Any] | bytes | str) -> bytes:
    if isinstance(event, bytes):
        return event
    if isinstance(event, str):
        return event.encode()
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()


async def _post(
    session: aiohttp.ClientSession,
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    limit: aiohttp.ClientTimeout,
) -> WebhookDelivery:
    # A handler that redirects is answering, not receiving: its 3xx is returned as is.
    async with session.post(
        url,
        data=body,
        headers=headers,
        allow_redirects=False,
        timeout=limit,
    ) as response:
        answer = await response.read()
        return WebhookDelivery(
            status=response.status, body=answer, sent_headers=dict(headers), sent_body=body
        )


__all__ = [
    "WebhookDelivery",
    "make_webhook_secret",
    "new_call_id",
    "realtime_call_incoming_event",
    "send_webhook",
    "send_webhook_sync",
    "sign_webhook",
]
