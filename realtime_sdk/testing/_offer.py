"""Reading a call's SDP offer the way the service takes it: a multipart form or bare SDP.

The form is parsed with aiohttp's own multipart reader over the bytes the fake already
read (and recorded), so the fake checks the parts independently of how the SDK built them.
"""

import asyncio
import json
from collections.abc import Mapping
from typing import Final, NamedTuple

from aiohttp import MultipartReader, StreamReader, web

from realtime_sdk.testing._schema import SchemaViolation, validate

SESSION_SCHEMA: Final = "RealtimeSessionCreateRequestGA"
_FIELDS: Final = frozenset({"sdp", "session"})


class OfferError(Exception):
    """An offer the service would refuse: a message for the caller and an error code."""

    def __init__(self, message: str, code: str, param: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.param = param


class Offer(NamedTuple):
    """A checked offer: the SDP text and the session given with it (None when absent)."""

    sdp: str
    session: dict[str, object] | None


async def read_form(request: web.Request, raw: bytes) -> dict[str, str]:
    """The fields of a ``multipart/form-data`` body (name to text), read from its bytes.

    Raises:
        OfferError: not a well-formed form, a repeated or non-UTF-8 field.
    """
    stream = StreamReader(request.protocol, max(len(raw), 2**16), loop=asyncio.get_running_loop())
    stream.feed_data(raw)
    stream.feed_eof()
    fields: dict[str, str] = {}
    try:
        # Inside the try: a Content-Type without a boundary fails here, as a ValueError.
        reader = MultipartReader(request.headers, stream)
        while (part := await reader.next()) is not None:
            name = getattr(part, "name", None)
            if not isinstance(name, str) or name in fields:
                msg = "Each form field needs a name of its own."
                raise OfferError(msg, "invalid_multipart")
            data = await part.read()  # type: ignore[union-attr]
            fields[name] = bytes(data).decode("utf-8")
    except (ValueError, AssertionError, RuntimeError) as exc:
        msg = f"The multipart body could not be parsed: {type(exc).__name__}."
        raise OfferError(msg, "invalid_multipart") from None
    return fields


def check_form(fields: Mapping[str, str], *, reject_unknown_fields: bool) -> Offer:
    """Check a form's fields against RealtimeCallCreateRequest: ``sdp``, optional ``session``.

    Raises:
        OfferError: a missing or unusable ``sdp``, a ``session`` that is not a valid
            session object, or a field the schema does not list.
    """
    unknown = sorted(set(fields) - _FIELDS)
    if unknown:
        # additionalProperties: false in the schema, whatever the fake's own setting.
        msg = f"Unknown form field: '{unknown[0]}'."
        raise OfferError(msg, "unknown_parameter", unknown[0])
    if "sdp" not in fields:
        msg = "Missing required form field: 'sdp'."
        raise OfferError(msg, "missing_required_parameter", "sdp")
    session = None
    if "session" in fields:
        try:
            parsed = json.loads(fields["session"])
        except (ValueError, RecursionError):  # RecursionError: nested past the parser's stack
            msg = "The 'session' form field is not JSON."
            raise OfferError(msg, "invalid_json", "session") from None
        try:
            validate(SESSION_SCHEMA, parsed, reject_unknown_fields=reject_unknown_fields)
        except SchemaViolation as exc:
            param = f"session.{exc.param}" if exc.param else "session"
            raise OfferError(exc.message, exc.code, param) from None
        except RecursionError:
            msg = "The 'session' form field is nested too deeply."
            raise OfferError(msg, "invalid_json", "session") from None
        session = parsed
    return Offer(check_sdp(fields["sdp"]), session)


def check_sdp(text: str) -> str:
    """An SDP offer starts with its version line, ``v=0``.

    Raises:
        OfferError: it does not.
    """
    if not text.lstrip().startswith("v=0"):
        msg = "The SDP offer is not SDP (it must start with 'v=0')."
        raise OfferError(msg, "invalid_offer", "sdp")
    return text


__all__ = ["Offer", "OfferError", "check_form", "check_sdp", "read_form"]
