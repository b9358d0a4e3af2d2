"""Reopening a ``call_id`` connection that ended abnormally: backoff, a hook, a deadline.

Opt-in (``connect(call_id=..., reconnect=True)``). A try is made after each pause, which
doubles from a quarter second up to eight (with jitter, so many clients dropped together
do not come back in step), until the socket is open again or ``reconnect_deadline``
seconds have passed since the connection ended. A refusal that will not change (401, 403,
404: the call has ended) stops at once. The hook sees each try before it is made.
"""

import asyncio
import inspect
import random
import time
from collections.abc import Awaitable, Callable
from typing import Final

import aiohttp

from realtime_sdk._reconnect import ReconnectAttempt, ReconnectHook
from realtime_sdk.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    ConnectionClosedError,
    MessageTooLargeError,
)

_FIRST_DELAY: Final = 0.25
_MAX_DELAY: Final = 8.0
# Refusals another try cannot change: bad credentials, no permission, the call is gone.
_FINAL_STATUSES: Final = frozenset({400, 401, 403, 404, 410})

OpenSocket = Callable[[], Awaitable[aiohttp.ClientWebSocketResponse]]

# The one pause between tries; a module attribute so tests can record the delays.
_sleep = asyncio.sleep


def worth_reopening(ending: ConnectionClosedError) -> bool:
    """Whether an ending is one a new socket may cure (not a normal close, not our own limit)."""
    return not ending.normal and not isinstance(ending, MessageTooLargeError)


def backoff(attempt: int) -> float:
    """The pause before try ``attempt`` (1-based): doubling, capped, with up to 50% jitter."""
    ceiling: float = min(_FIRST_DELAY * 2.0 ** (attempt - 1), _MAX_DELAY)
    return ceiling * (0.5 + random.random() / 2)  # noqa: S311 - jitter, not a secret


class Reopener:
    """Reopens one connection's socket after an abnormal end, within a deadline."""

    def __init__(
        self, open_socket: OpenSocket, *, deadline: float, hook: ReconnectHook | None
    ) -> None:
        self._open = open_socket
        self._deadline = deadline
        self._hook = hook

    async def reopen(
        self, ending: ConnectionClosedError
    ) -> aiohttp.ClientWebSocketResponse | ConnectionClosedError:
        """A new open socket, or the error the connection ends with after all."""
        give_up_at = time.monotonic() + self._deadline
        error: APIError = ending
        attempt = 0
        while True:
            attempt += 1
            delay = backoff(attempt)
            left = give_up_at - time.monotonic()
            if delay >= left:
                note = (
                    f"gave up reconnecting after {attempt - 1} tries in "
                    f"{self._deadline:g}s (last: {type(error).__name__})"
                )
                return _ended(ending, note, error if error is not ending else None)
            if self._hook is not None:
                stopped = await self._ask_hook(
                    ReconnectAttempt(attempt=attempt, delay=delay, error=error, deadline_in=left)
                )
                if stopped is not None:
                    note = (
                        f"the on_reconnect hook raised {type(stopped).__name__}, so no more tries"
                    )
                    return _ended(ending, note, stopped)
            await _sleep(delay)
            try:
                return await self._open()
            except APIStatusError as exc:
                if exc.status_code in _FINAL_STATUSES:
                    note = f"reconnecting was refused on try {attempt} with {exc.status_code}" + (
                        " (the call has ended)" if exc.status_code == 404 else ""  # noqa: PLR2004 - Not Found
                    )
                    return _ended(ending, note, exc)
                error = exc
            except APIConnectionError as exc:
                error = exc

    async def _ask_hook(self, attempt: ReconnectAttempt) -> Exception | None:
        """Call the hook; what it raised (which stops reconnecting), or None."""
        assert self._hook is not None
        try:
            outcome = self._hook(attempt)
            if inspect.isawaitable(outcome):
                await outcome
        except Exception as exc:  # noqa: BLE001 - any failure of the hook stops the tries
            return exc
        return None


def _ended(
    ending: ConnectionClosedError, note: str, cause: BaseException | None
) -> ConnectionClosedError:
    """The error a connection ends with when reconnecting stops: the ending, and why."""
    failed = ConnectionClosedError(
        f"{ending}; {note}", close_code=ending.close_code, reason=ending.reason
    )
    failed.__cause__ = cause
    return failed


__all__ = ["Reopener", "backoff", "worth_reopening"]
