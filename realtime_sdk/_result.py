"""APIResponse: a parsed result together with the HTTP facts of the call that produced it."""

from collections.abc import Mapping
from typing import Generic, TypeVar

import attrs

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class APIResponse(Generic[T]):
    """A successful call's parsed model plus its status, headers and request id.

    Returned by the ``*_with_response`` methods of `RealtimeClient`; the plain methods
    return `data` alone. Any ephemeral key inside `data` stays masked in ``repr``.

    Attributes:
        data: the response model.
        status_code: the HTTP status of the final attempt.
        headers: the final attempt's response headers (case-insensitive lookups).
        request_id: the ``x-request-id`` header, when the server sent one.
        attempts: how many attempts were made (1 when nothing was retried).
        elapsed: seconds from the first attempt to the parsed result, pauses included.
    """

    data: T
    status_code: int
    headers: Mapping[str, str] = attrs.field(repr=False)
    request_id: str | None
    attempts: int
    elapsed: float


__all__ = ["APIResponse"]
