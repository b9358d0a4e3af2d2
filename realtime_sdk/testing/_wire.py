"""Wire-level pieces of the fake's answers: OpenAI-style error bodies, the headers and
response an answer is sent as, and strict JSON parsing."""

import json
from collections.abc import Awaitable, Callable, Mapping
from http import HTTPStatus
from typing import Any

from aiohttp import web


class Answer:
    """A status and JSON payload chosen for one request, before it is sent."""

    __slots__ = ("headers", "payload", "status")

    def __init__(
        self,
        status: int,
        payload: Mapping[str, Any] | bytes,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.payload = payload
        self.headers = headers

    def body(self) -> bytes:
        if isinstance(self.payload, bytes):
            return self.payload
        return json.dumps(self.payload, separators=(",", ":")).encode()


def replaced_headers(headers: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """``headers`` with ``extra``'s added, each replacing any of its name in any letter case.

    Header names ignore case: ``Webhook-Signature`` must replace a signed
    ``webhook-signature``, not be sent beside it.
    """
    replaced = {name.lower() for name in extra}
    kept = {name: value for name, value in headers.items() if name.lower() not in replaced}
    return {**kept, **extra}


def answer_headers(answer: Answer, request_id: str) -> dict[str, str]:
    """The headers an answer is sent with: its request id, its content type, its own."""
    headers = {"x-request-id": request_id}
    if answer.payload != b"":  # an empty answer has no content to name a type for
        headers["content-type"] = "application/json"
    return replaced_headers(headers, answer.headers or {})


def response(answer: Answer, request_id: str) -> web.Response:
    """The whole answer, sent at once."""
    return web.Response(
        status=answer.status, body=answer.body(), headers=answer_headers(answer, request_id)
    )


async def trickle(
    request: web.Request,
    answer: Answer,
    request_id: str,
    *,
    chunks: int,
    pause: Callable[[], Awaitable[None]],
) -> web.StreamResponse:
    """The answer's headers at once, then its body in ``chunks`` pieces, ``pause()`` before each."""
    body = answer.body()
    stream = web.StreamResponse(status=answer.status, headers=answer_headers(answer, request_id))
    stream.content_length = len(body)
    step = -(-len(body) // chunks) or 1
    try:
        await stream.prepare(request)
        for start in range(0, len(body), step):
            await pause()
            await stream.write(body[start : start + step])
        await stream.write_eof()
    except ConnectionError:
        # The client gave up on the slow body; nothing is left to send.
        pass
    return stream


def error_payload(
    message: str,
    *,
    kind: str = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
) -> dict[str, Any]:
    """An OpenAI-style error body."""
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def status_payload(status: int) -> dict[str, Any]:
    """The default body for an injected error status, shaped like the real service's."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    message = f"Injected fault: {status} {phrase}."
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        return error_payload(message, kind="requests", code="rate_limit_exceeded")
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return error_payload(message, kind="server_error")
    return error_payload(message)


def _reject_constant(name: str) -> None:
    # Python's json accepts NaN and Infinity, which are not JSON; the real service refuses
    # them, so the fake does too.
    msg = f"{name} is not valid JSON"
    raise ValueError(msg)


def parse_body(raw: bytes) -> tuple[object, bool]:
    """The parsed body and whether parsing failed (an empty body counts as a failure)."""
    try:
        return json.loads(raw, parse_constant=_reject_constant), False
    except (ValueError, RecursionError):
        return None, True
