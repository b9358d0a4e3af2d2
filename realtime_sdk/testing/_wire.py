"""Wire-level pieces of the fake's answers: OpenAI-style error bodies and strict JSON parsing."""

import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any


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
