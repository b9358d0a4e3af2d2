"""Verify and read the webhooks OpenAI sends, such as ``realtime.call.incoming``.

OpenAI signs webhooks the Standard Webhooks way: three headers, ``webhook-id``,
``webhook-timestamp`` and ``webhook-signature``, the last holding one or more
space-separated ``v1,<base64>`` entries, each an HMAC-SHA256 of ``{id}.{timestamp}.{body}``
keyed with the bytes the ``whsec_`` secret encodes in base64. In a handler::

    from realtime_sdk.webhooks import WebhookVerificationError, unwrap

    try:
        event = unwrap(await request.read(), request.headers, secret=SECRET)
    except WebhookVerificationError:
        return web.Response(status=400)

Leave ``secret`` out to read the ``OPENAI_WEBHOOK_SECRET`` environment variable instead.
Checks run in this order: the secret's form, the headers, the timestamp's form, the
signature, then the timestamp's distance from now, so a tolerance error is only ever
raised for a delivery that OpenAI did sign.
"""

import base64
import binascii
import hashlib
import hmac
import math
import os
import time
from collections.abc import Mapping
from typing import Any, Final

from realtime_sdk._secret import Secret
from realtime_sdk._unknown import UnknownVariant
from realtime_sdk._webhook_events import (
    LiveCallIncomingData,
    RealtimeCallIncomingData,
    SipHeader,
    WebhookEvent,
    WebhookLiveCallIncoming,
    WebhookRealtimeCallIncoming,
    parse_event,
)
from realtime_sdk.errors import (
    WebhookHeaderError,
    WebhookPayloadError,
    WebhookSecretError,
    WebhookSignatureError,
    WebhookTimestampError,
    WebhookTimestampToleranceError,
    WebhookVerificationError,
)

DEFAULT_TOLERANCE: Final = 300
"""Seconds a delivery's timestamp may be from the receiver's clock, either way."""

SECRET_ENV: Final = "OPENAI_WEBHOOK_SECRET"  # noqa: S105 - a variable's name, not a secret
"""The environment variable `unwrap` and `verify` read when no secret is passed."""
_SECRET_PREFIX: Final = "whsec_"  # noqa: S105 - the prefix every secret has, no secret
_SECRET_FORM: Final = f'the webhook secret must be "{_SECRET_PREFIX}" followed by base64'
_ID_HEADER: Final = "webhook-id"
_TIMESTAMP_HEADER: Final = "webhook-timestamp"
_SIGNATURE_HEADER: Final = "webhook-signature"

_SIGNATURE_VERSION: Final = "v1"
# Twelve digits reach the year 33658: longer is no timestamp, and int() of it costs time.
_MAX_TIMESTAMP_DIGITS: Final = 12
_SHOWN_TIMESTAMP_CHARS: Final = 24


def unwrap(
    payload: bytes | str,
    headers: Mapping[str, str],
    *,
    secret: str | Secret | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> WebhookEvent:
    """Verify a webhook delivery and return its event.

    Args:
        payload: the request body exactly as received (bytes; a str is taken as its UTF-8
            encoding). Never a body parsed and serialized again: that changes the bytes.
        headers: the request headers, any mapping (names are matched ignoring case, so
            aiohttp's, Starlette's, Django's and a plain dict all work).
        secret: the endpoint's signing secret, ``whsec_...``, as a str or `Secret`; when
            None, the ``OPENAI_WEBHOOK_SECRET`` environment variable, read on each call.
        tolerance: seconds the delivery's timestamp may be from ``now``, either way.
        now: the current time in seconds since 1970; ``time.time()`` when None.

    Returns:
        A `WebhookRealtimeCallIncoming` for a ``realtime.call.incoming`` event, a
        `WebhookLiveCallIncoming` for ``live.call.incoming`` (the same waiting call, offered
        to the Live API); any other event type as an `UnknownVariant` holding the whole
        JSON object.

    Raises:
        WebhookSecretError: `secret` is not ``whsec_`` followed by base64, or it is None
            and ``OPENAI_WEBHOOK_SECRET`` is unset or empty.
        WebhookHeaderError: a ``webhook-*`` header is missing, empty or ambiguous.
        WebhookTimestampError: ``webhook-timestamp`` is not whole seconds in digits.
        WebhookSignatureError: no ``v1`` signature matches.
        WebhookTimestampToleranceError: signed, but the timestamp is outside the tolerance.
        WebhookPayloadError: signed, but the body is not JSON or not a fitting event.
    """
    body = _body_bytes(payload)
    verify(body, headers, secret=secret, tolerance=tolerance, now=now)
    return parse_event(body)


def verify(
    payload: bytes | str,
    headers: Mapping[str, str],
    *,
    secret: str | Secret | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> None:
    """Check a webhook delivery's signature and timestamp, without reading its body.

    For a handler that parses the body itself. Arguments are those of `unwrap`.

    Raises:
        WebhookVerificationError: one of the subclasses `unwrap` lists, except
            `WebhookPayloadError`.
    """
    limit = _checked_tolerance(tolerance)
    key = _signing_key(_secret_or_env(secret))
    msg_id = _header(headers, _ID_HEADER)
    stamp = _header(headers, _TIMESTAMP_HEADER)
    signatures = _header(headers, _SIGNATURE_HEADER)
    timestamp = _parse_timestamp(stamp)
    expected = _sign(key, msg_id, stamp, _body_bytes(payload))
    _check_signatures(signatures, expected)
    _check_freshness(timestamp, time.time() if now is None else now, limit)


def _secret_or_env(secret: str | Secret | None) -> str | Secret:
    """The secret passed, else the one in ``OPENAI_WEBHOOK_SECRET`` (as openai-python does)."""
    if secret is not None:
        return secret
    value = os.environ.get(SECRET_ENV, "")
    if not value.strip():
        state = "empty" if SECRET_ENV in os.environ else "not set"
        msg = (
            f"no webhook secret: pass secret=... or set {SECRET_ENV} to the endpoint's "
            f"signing secret (whsec_...); {SECRET_ENV} is {state}"
        )
        raise WebhookSecretError(msg)
    return Secret(value)


def _signing_key(secret: str | Secret) -> bytes:
    """The HMAC key a ``whsec_`` secret stands for: the bytes its base64 part encodes.

    Surrounding whitespace (a newline from a file or an environment variable) is ignored,
    and so is missing base64 padding.

    Raises:
        WebhookSecretError: not ``whsec_`` followed by base64 of at least one byte; the
            message never shows the secret.
        TypeError: `secret` is neither a str nor a `Secret`.
    """
    value = _revealed(secret).strip()
    if not value.startswith(_SECRET_PREFIX):
        # The masked form names only a known key kind ("sk-****"): a pasted API key shows as one.
        msg = f"{_SECRET_FORM}; got {Secret(value).masked!r}"
        raise WebhookSecretError(msg)
    encoded = value.removeprefix(_SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError):
        msg = f"{_SECRET_FORM}; what follows the prefix is not base64"
        raise WebhookSecretError(msg) from None  # the decoder's own message is about the secret
    if not key:
        msg = f"{_SECRET_FORM}; nothing follows the prefix"
        raise WebhookSecretError(msg)
    return key


def _sign(key: bytes, msg_id: str, timestamp: str, body: bytes) -> str:
    """The base64 ``v1`` signature of one delivery (without the ``v1,`` prefix).

    Args:
        key: from `_signing_key`.
        msg_id: the ``webhook-id`` value.
        timestamp: the ``webhook-timestamp`` value, exactly as sent.
        body: the body's bytes.
    """
    # surrogatepass never raises: a header that is not valid text just fails to match.
    signed = b".".join((_utf8(msg_id), _utf8(timestamp), body))
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _revealed(secret: object) -> str:
    # Typed callers pass a str or a Secret; others get a TypeError naming the type only.
    if isinstance(secret, Secret):
        return secret.reveal()
    if isinstance(secret, str):
        return secret
    msg = f"secret must be a str or a Secret, got {type(secret).__name__}"
    raise TypeError(msg)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _body_bytes(payload: object) -> bytes:
    if isinstance(payload, bytes | bytearray | memoryview):
        return bytes(payload)
    if isinstance(payload, str):
        return _utf8(payload)
    msg = f"payload must be the body's bytes (or str), got {type(payload).__name__}"
    raise TypeError(msg)


def _checked_tolerance(tolerance: object) -> float:
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float):
        msg = f"tolerance must be a number of seconds, got {type(tolerance).__name__}"
        raise TypeError(msg)
    if math.isnan(tolerance) or tolerance < 0:
        msg = "tolerance must be a number of seconds, zero or more"
        raise ValueError(msg)
    return tolerance


def _header(headers: Mapping[Any, Any], name: str) -> str:
    """The one value of header `name`, its letter case ignored.

    Every pair is looked at, so a multidict's repeated headers count too; repeats of the
    signature header are joined, as each holds signatures of the same delivery.
    """
    values = [
        value
        for key, value in headers.items()
        if isinstance(key, str) and key.lower() == name and isinstance(value, str)
    ]
    present = [value.strip() for value in values if value.strip()]
    if not present:
        state = "empty" if values else "missing"
        msg = f"the {name} header is {state}: not a webhook delivery, or a proxy dropped it"
        raise WebhookHeaderError(msg, header=name)
    if name == _SIGNATURE_HEADER:
        return " ".join(present)
    if len(set(present)) > 1:
        msg = f"the {name} header is given {len(present)} times with different values"
        raise WebhookHeaderError(msg, header=name)
    return present[0]


def _parse_timestamp(value: str) -> int:
    if value.isascii() and value.isdigit() and len(value) <= _MAX_TIMESTAMP_DIGITS:
        return int(value)
    shown = value[:_SHOWN_TIMESTAMP_CHARS] + ("..." if len(value) > _SHOWN_TIMESTAMP_CHARS else "")
    msg = (
        f"the {_TIMESTAMP_HEADER} header must be whole seconds since 1970 in digits, got {shown!r}"
    )
    raise WebhookTimestampError(msg)


def _check_signatures(header: str, expected: str) -> None:
    candidates = _v1_signatures(header)
    if not candidates:
        msg = f'the {_SIGNATURE_HEADER} header holds no "{_SIGNATURE_VERSION},<signature>" entry'
        raise WebhookSignatureError(msg)
    wanted = expected.encode("ascii")
    # Each comparison takes the same time wherever the bytes differ; all are made.
    matches = [hmac.compare_digest(wanted, _utf8(c)) for c in candidates]
    if not any(matches):
        count = len(candidates)
        which = "the v1 signature" if count == 1 else f"any of the {count} v1 signatures"
        msg = (
            f"the body does not match {which} in {_SIGNATURE_HEADER}: the wrong secret, or the "
            "body, id or timestamp changed on the way (verify the raw body, not parsed JSON)"
        )
        raise WebhookSignatureError(msg)


def _v1_signatures(header: str) -> list[str]:
    """The ``v1`` entries of a signature header; other versions are for other verifiers."""
    found = []
    for entry in header.split():
        version, comma, signature = entry.partition(",")
        if comma and version == _SIGNATURE_VERSION and signature:
            found.append(signature)
    return found


def _check_freshness(timestamp: int, now: float, tolerance: float) -> None:
    offset = timestamp - now
    if abs(offset) <= tolerance:
        return
    when = "in the past" if offset < 0 else "in the future"
    msg = (
        f"the webhook was signed {_seconds(abs(offset))} s {when}, beyond the "
        f"{_seconds(tolerance)} s tolerance: a replayed or long-delayed delivery, or a clock "
        "that is off"
    )
    raise WebhookTimestampToleranceError(msg, timestamp=timestamp, now=now, tolerance=tolerance)


def _seconds(value: float) -> str:
    # Milliseconds at most, so 300.4 s is not shown as the 300 s it exceeds.
    return f"{value:.3f}".rstrip("0").removesuffix(".")


__all__ = [
    "DEFAULT_TOLERANCE",
    "SECRET_ENV",
    "LiveCallIncomingData",
    "RealtimeCallIncomingData",
    "SipHeader",
    "UnknownVariant",
    "WebhookEvent",
    "WebhookHeaderError",
    "WebhookLiveCallIncoming",
    "WebhookPayloadError",
    "WebhookRealtimeCallIncoming",
    "WebhookSecretError",
    "WebhookSignatureError",
    "WebhookTimestampError",
    "WebhookTimestampToleranceError",
    "WebhookVerificationError",
    "unwrap",
    "verify",
]
