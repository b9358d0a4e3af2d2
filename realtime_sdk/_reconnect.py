"""What a reconnecting Realtime connection tells its hook before each try (`ReconnectAttempt`).

Kept apart from the connection modules so the client's signature can name it without
loading them on ``import realtime_sdk``.
"""

from collections.abc import Awaitable, Callable
from typing import TypeAlias

import attrs

from realtime_sdk.errors import APIError


@attrs.frozen(kw_only=True)
class ReconnectAttempt:
    """One try at reopening a ``call_id`` connection that ended abnormally.

    Attributes:
        attempt: 1 for the first try after the connection ended, then 2, 3, ...
        delay: seconds waited before this try (the backoff).
        error: what ended the connection, or why the previous try failed.
        deadline_in: seconds left before reconnecting gives up.
    """

    attempt: int
    delay: float
    error: APIError
    deadline_in: float


ReconnectHook: TypeAlias = Callable[[ReconnectAttempt], Awaitable[None] | None]
"""Called (or awaited) before each try; raising from it stops reconnecting."""

__all__ = ["ReconnectAttempt", "ReconnectHook"]
