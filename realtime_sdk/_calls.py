"""The pieces of a call that are not plain JSON: the SDP offer's body, the call id in a
path, and the created call's answer."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, NamedTuple
from urllib.parse import quote, unquote, urlsplit

import attrs

from realtime_sdk._secret import Secret
from realtime_sdk._wire import _multipart
from realtime_sdk._wire._requests import encode_payload, request_payload
from realtime_sdk.errors import FieldError, RequestValidationError

if TYPE_CHECKING:
    from realtime_sdk.models import RealtimeCallCreateRequest

# The answer is SDP text; an error answer is JSON.
_ACCEPT: Final = "application/sdp, application/json"
_SDP: Final = "application/sdp"

# Characters that would end or split a path segment (or that some servers read as `/`).
PATH_BREAKERS: Final = frozenset("/\\?#")
_DOT_SEGMENTS: Final = frozenset({".", ".."})
_CALL_ID_EXPECTED: Final = (
    "a non-empty call id string without '/', '\\', '?', '#', control characters or lone "
    "surrogates, and not '.' or '..'"
)


@attrs.frozen(kw_only=True)
class RealtimeCallAnswer:
    """The answer to `RealtimeClient.create_realtime_call`: OpenAI's SDP and the new call's id.

    Attributes:
        sdp: the SDP answer, to hand to the browser's ``RTCPeerConnection``.
        call_id: the call's id (from the ``Location`` header), for hanging it up later.
    """

    sdp: str
    call_id: str


class Offer(NamedTuple):
    """A checked SDP offer as it goes out: the body and the headers that say what it is."""

    body: bytes
    headers: Mapping[str, str]


def encode_offer(
    request: RealtimeCallCreateRequest | Mapping[str, Any], client_secret: str | Secret | None
) -> Offer:
    """Check a call's offer and encode it for the credential that sends it.

    Under the API key (no ``client_secret``) the offer is a ``multipart/form-data`` form:
    an ``sdp`` part (``application/sdp``) and, when given, a ``session`` part
    (``application/json``), the encodings the spec names. Under an ephemeral key it is the
    SDP text alone: the key already carries its session.

    Args:
        request: ``sdp`` and the optional ``session``, as a model or a plain dict.
        client_secret: the ephemeral key to send instead of the API key, or None.

    Returns:
        The body and its ``Content-Type``, ``Accept`` (and, for a key, ``Authorization``)
        headers.

    Raises:
        RequestValidationError: the request does not fit the schema, ``session`` came with
            ``client_secret``, or the key is not a usable header value.
    """
    # Imported here, not at the top: importing the client creates no model class.
    from realtime_sdk import models  # noqa: PLC0415 - see the comment above

    payload = request_payload(request, models.RealtimeCallCreateRequest)
    sdp = str(payload["sdp"]).encode("utf-8", "surrogatepass")
    session = payload.get("session")
    if client_secret is not None:
        key = _checked_key(client_secret)
        if session is not None:
            expected = "no session with client_secret (the key was minted with its session)"
            raise RequestValidationError([FieldError("session", expected, "an object")])
        headers = {"Content-Type": _SDP, "Accept": _ACCEPT, "Authorization": f"Bearer {key}"}
        return Offer(sdp, headers)
    parts = [_multipart.Part("sdp", _SDP, sdp)]
    if session is not None:
        data = encode_payload(session, models.RealtimeSessionCreateRequestGA)
        parts.append(_multipart.Part("session", "application/json", data))
    content_type, body = _multipart.encode(parts)
    return Offer(body, {"Content-Type": content_type, "Accept": _ACCEPT})


def _checked_key(client_secret: object) -> str:
    expected = "an ephemeral key (a str or Secret) without whitespace or control characters"
    if isinstance(client_secret, Secret):
        value = client_secret.reveal()
    elif isinstance(client_secret, str):
        value = client_secret
    else:
        raise RequestValidationError(
            [FieldError("client_secret", expected, type(client_secret).__name__)]
        )
    if not value or any(char.isspace() or unicodedata.category(char) == "Cc" for char in value):
        # Never the value itself: it is a credential.
        raise RequestValidationError([FieldError("client_secret", expected, "an unusable str")])
    return value


def call_id_segment(call_id: object) -> str:
    """Check a call id and percent-encode it as exactly one path segment.

    Args:
        call_id: what the caller passed.

    Returns:
        The encoded segment (every character outside ``A-Z a-z 0-9 _ . - ~`` is escaped,
        ``%`` included, so no escape of the caller's can reach the server decoded).

    Raises:
        RequestValidationError: not a string, empty, a dot segment, or holding a character
            that could change the path; the message names ``call_id``, not its value.
    """
    if not isinstance(call_id, str):
        got = "null" if call_id is None else type(call_id).__name__
        raise RequestValidationError([FieldError("call_id", _CALL_ID_EXPECTED, got)])
    problem = segment_problem(call_id)
    if problem is not None:
        raise RequestValidationError([FieldError("call_id", _CALL_ID_EXPECTED, problem)])
    return quote(call_id, safe="")


def segment_problem(text: str, *, breakers: frozenset[str] = PATH_BREAKERS) -> str | None:
    """Why ``text`` cannot stand as exactly one path segment, or None when it can.

    Args:
        text: the would-be segment, before percent-encoding.
        breakers: the characters refused anywhere in it.

    Returns:
        A description of the problem that never quotes the text itself.
    """
    if not text:
        return "an empty string"
    if text in _DOT_SEGMENTS:
        return "a dot segment"
    for char in text:
        if char in breakers:
            return f"a string with {char!r}"
        category = unicodedata.category(char)
        if category == "Cc":
            return "a string with a control character"
        if category == "Cs":
            # A lone surrogate: no UTF-8 form, so no percent-encoding either.
            return "a string with a lone surrogate"
    return None


def call_id_from_location(location: str | None) -> str | None:
    """The call id at the end of a created call's ``Location`` (``/v1/realtime/calls/ID``).

    Args:
        location: the header's value, absolute or relative, or None when absent.

    Returns:
        The decoded last path segment, or None when the header is missing or ends in none.
    """
    if not location:
        return None
    path = urlsplit(location.strip()).path.rstrip("/")
    segment = path.rpartition("/")[2]
    return unquote(segment) or None


__all__ = [
    "PATH_BREAKERS",
    "Offer",
    "RealtimeCallAnswer",
    "call_id_from_location",
    "call_id_segment",
    "encode_offer",
    "segment_problem",
]
