"""Reading an answer: pure functions of one raw answer and the client's `Scrubber`.

Decoding a 2xx into the operation's model (or a created call's SDP answer), the status
error for anything else, and the masked excerpts every error keeps. Nothing here does I/O
or keeps state, so each is tested without a server (``tests/test_answers.py``). Every
error is built inside its ``except`` and raised outside it, so that the decoder's own
exception (a JSONDecodeError keeps the whole body, ``ek_`` value included) is not
reachable from ours.
"""

import contextlib
import json
import re
from typing import Any, Final, TypeVar

from yarl import URL

from realtime_sdk._calls import RealtimeCallAnswer, call_id_from_location
from realtime_sdk._client._retired import MIGRATION, RETIRED_CODES, RETIRED_STATUSES
from realtime_sdk._http._scrub import Scrubber
from realtime_sdk._http._transport import RawResponse, make_url
from realtime_sdk._spec.operations import CLIENT_SECRETS, Operation
from realtime_sdk._wire._answers import loads_response
from realtime_sdk.errors import (
    BODY_EXCERPT_LIMIT,
    APIResponseValidationError,
    APIStatusError,
    FieldError,
    ResponseDecodeError,
    status_error_class,
)

T = TypeVar("T")

_MESSAGE_EXCERPT: Final = 200
# An API version in a base URL path ("/v1", "/openai/v1beta"): without one, a 404 most
# likely means the base URL is wrong rather than the endpoint gone.
_VERSION_SEGMENT: Final = re.compile(r"v\d+[a-z0-9]*")


def decode(raw: RawResponse, model: type[T], url: URL, scrubber: Scrubber, max_body: int) -> T:
    """The model a 2xx answer's JSON body holds.

    Args:
        raw: the answer.
        model: the operation's answer class.
        url: the URL called (its path names the call in messages).
        scrubber: masks the client's keys in what the error keeps.
        max_body: the size limit the body was read under, for the message.

    Returns:
        The model, read leniently.

    Raises:
        APIResponseValidationError: the body was cut off or undecodable, is not JSON, or
            does not fit ``model``; the message names each misfit.
    """
    if raw.undecodable is not None or raw.truncated:
        raise unread_body(raw, url, scrubber, max_body)
    try:
        return loads_response(raw.body, model)
    except ResponseDecodeError as exc:
        fields = "; ".join(str(error) for error in exc.errors) or "not valid JSON"
        message = f"{_head(raw, url)} with a body that does not fit {model.__name__}: {fields}"
        error = validation_error(raw, message, scrubber, exc.errors)
    raise error


def read_call_answer(
    raw: RawResponse, url: URL, scrubber: Scrubber, max_body: int
) -> RealtimeCallAnswer:
    """The SDP text of a created call's answer and the call id from its ``Location``.

    Raises:
        APIResponseValidationError: a body cut off, undecodable, empty or not UTF-8, or
            no ``Location`` naming the call.
    """
    if raw.undecodable is not None or raw.truncated:
        raise unread_body(raw, url, scrubber, max_body)
    try:
        sdp = raw.body.decode("utf-8")
    except UnicodeDecodeError:
        sdp = ""
    if not sdp.strip():
        message = f"{_head(raw, url)} without SDP text (an empty or non-UTF-8 body)"
        raise validation_error(raw, message, scrubber)
    call_id = call_id_from_location(raw.headers.get("Location"))
    if call_id is None:
        message = f"{_head(raw, url)} without a Location header naming the new call"
        raise validation_error(raw, message, scrubber)
    return RealtimeCallAnswer(sdp=sdp, call_id=call_id)


def unread_body(
    raw: RawResponse, url: URL, scrubber: Scrubber, max_body: int
) -> APIResponseValidationError:
    """The error for a 2xx body that could not be read whole (undecodable or over the limit)."""
    if raw.undecodable is not None:
        message = (
            f"{_head(raw, url)} with a body in Content-Encoding {raw.undecodable!r}, which "
            "could not be decoded (the client asks for gzip or deflate)"
        )
    else:
        message = f"{_head(raw, url)} with a body larger than {max_body} bytes"
    return validation_error(raw, message, scrubber)


def validation_error(
    raw: RawResponse,
    message: str,
    scrubber: Scrubber,
    errors: tuple[FieldError, ...] = (),
) -> APIResponseValidationError:
    """An `APIResponseValidationError` for ``raw``, everything it keeps masked."""
    return APIResponseValidationError(
        scrubber.text(message),
        status_code=raw.status,
        request_id=scrubber.optional(raw.request_id),
        body_excerpt=excerpt(raw.body, scrubber),
        errors=errors,
    )


def status_error(
    raw: RawResponse,
    endpoint: Operation[Any, Any],
    url: URL,
    scrubber: Scrubber,
    *,
    base_url: str,
    version_in_query: bool,
) -> APIStatusError:
    """The `APIStatusError` subclass for a non-2xx answer, with a message that helps.

    The body is parsed when it is a JSON object (the OpenAI error shape), and every text
    it holds (headers, body, message, request id) is masked.

    Args:
        raw: the answer.
        endpoint: the operation called (a retired one adds the way out).
        url: the URL called.
        scrubber: masks the client's keys.
        base_url: the client's API root (a 404 without a version segment in its path
            most likely means a wrong base URL, and the message says so).
        version_in_query: the version travels in the query (Azure's ``api-version``).

    Returns:
        The error, not raised.
    """
    text = raw.body.decode("utf-8", "replace")
    body: object = scrubber.text(text[: BODY_EXCERPT_LIMIT * 4])[:BODY_EXCERPT_LIMIT]
    if text.lstrip().startswith("{"):
        # Masked after parsing too: a "\u0073k-..." escape hides the key from the text.
        # RecursionError: a hostile body nested deeper than the decoder's stack.
        with contextlib.suppress(ValueError, RecursionError):
            body = scrubber.json(json.loads(text))
    cls = status_error_class(raw.status)
    error = cls(
        "",
        status_code=raw.status,
        request_id=scrubber.optional(raw.request_id),
        body=body,
        headers=scrubber.headers(raw.headers),
    )
    message = _status_message(
        raw, error, endpoint, url, text, base_url=base_url, version_in_query=version_in_query
    )
    error.message = scrubber.text(message)
    error.args = (error.message,)
    return error


def _status_message(
    raw: RawResponse,
    error: APIStatusError,
    endpoint: Operation[Any, Any],
    url: URL,
    text: str,
    *,
    base_url: str,
    version_in_query: bool,
) -> str:
    status = raw.status
    head = _head(raw, url)
    if error.code:
        head += f" ({error.code})"
    if 300 <= status < 400:  # noqa: PLR2004 - the redirect range
        return (
            f"{head}: a redirect, which is not followed so the API key never goes to "
            "another host; check base_url"
        )
    if raw.undecodable is not None:
        detail = f"(a body in Content-Encoding {raw.undecodable!r}, not decoded)"
    elif error.error_message:
        detail = error.error_message
    else:
        detail = " ".join(text.split())[:_MESSAGE_EXCERPT] or "(empty body)"
    message = f"{head}: {detail}"
    base_path = make_url(base_url, "").path
    if status in RETIRED_STATUSES and not (version_in_query or _has_version(base_path)):
        # The likelier story than a retired endpoint: the base URL lost its /v1.
        message = _sentence(message) + (
            f" The base_url path {base_path!r} has no version segment; the "
            "API lives under /v1 (e.g. https://api.openai.com/v1): check base_url"
        )
    elif endpoint.retired and (status in RETIRED_STATUSES or error.code in RETIRED_CODES):
        message = _sentence(message) + (
            f" The service has retired this endpoint shape; use {CLIENT_SECRETS.method}() "
            "instead, " + MIGRATION[endpoint.method]
        )
    return message


def excerpt(body: bytes, scrubber: Scrubber) -> str:
    """The start of a body as text, masked, at most `BODY_EXCERPT_LIMIT` characters."""
    text = body[: BODY_EXCERPT_LIMIT * 4].decode("utf-8", "replace")
    return scrubber.text(text)[:BODY_EXCERPT_LIMIT]


def _head(raw: RawResponse, url: URL) -> str:
    return f"POST {url.path} returned {raw.status}"


def _has_version(base_path: str) -> bool:
    segments = [segment for segment in base_path.split("/") if segment]
    return any(_VERSION_SEGMENT.fullmatch(segment) for segment in segments)


def _sentence(text: str) -> str:
    """``text`` ending with one full stop, so a hint can follow (API messages may bring their own)."""
    return text if text.endswith((".", "!", "?")) else text + "."


__all__ = [
    "decode",
    "excerpt",
    "read_call_answer",
    "status_error",
    "unread_body",
    "validation_error",
]
