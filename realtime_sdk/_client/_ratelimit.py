"""Client-side rate limiting from the ``x-ratelimit-*`` answer headers (opt-in).

The API tells how many requests are left in the current window
(``x-ratelimit-remaining-requests``) and when the window resets
(``x-ratelimit-reset-requests``, a duration such as ``1s``, ``6m0s``, ``20ms`` or
``1h2m3.5s``). After an answer says none are left, a client with ``rate_limit="wait"``
holds its next attempts back until the reset, and one with ``rate_limit="raise"`` fails
them at once with `ClientRateLimitError`, instead of earning a 429. Nothing here sleeps or
reads a clock: the client passes the time in.
"""

import math
import re
from collections.abc import Mapping
from typing import Final, Literal, TypeAlias

RateLimitMode: TypeAlias = Literal["wait", "raise"]
"""What a client does when the API said no requests are left: wait for the reset, or raise."""

RATE_LIMIT_MODES: Final = ("wait", "raise")
REMAINING_HEADER: Final = "x-ratelimit-remaining-requests"
RESET_HEADER: Final = "x-ratelimit-reset-requests"
# The longest reset honoured, in seconds: a day, the longest window the API limits
# requests over (requests per day). A real reset is never longer; a hostile one is cut.
MAX_RESET: Final = 86_400.0

_PART: Final = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ms|h|m|s)")
_UNIT_SECONDS: Final = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def parse_reset(text: str | None) -> float | None:
    """Seconds in a reset duration (``1s``, ``6m0s``, ``20ms``, ``1h2m3.5s``, or a bare number).

    Args:
        text: the header value, or None.

    Returns:
        The duration in seconds, or None when the value cannot be read.
    """
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    total = 0.0
    position = 0
    # One anchored match per part: a search (finditer) would retry every later start of a
    # long run of digits, quadratic in the length of a hostile header.
    while position < len(text):
        match = _PART.match(text, position)
        if match is None:
            return None
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        position = match.end()
    return total if math.isfinite(total) else None


class RateLimiter:
    """When the requests of the current window ran out, shared by every call of a pool.

    Attributes:
        blocked_until: the monotonic time at which requests are allowed again (0 for now).
    """

    __slots__ = ("blocked_until",)

    def __init__(self) -> None:
        self.blocked_until = 0.0

    def note(self, headers: Mapping[str, str], now: float) -> None:
        """Read an answer's headers: none left means blocked until its reset.

        A reset further away than `MAX_RESET` is cut down to it, as a long
        ``retry-after`` is cut down: one answer cannot block the client (and every client
        sharing its pool) for years.

        Args:
            headers: the answer's headers (case-insensitive, or lower-case names).
            now: the monotonic time the answer arrived.
        """
        remaining = headers.get(REMAINING_HEADER)
        if remaining is None or remaining.strip() != "0":
            return
        reset = parse_reset(headers.get(RESET_HEADER))
        if reset is not None:
            self.blocked_until = max(self.blocked_until, now + min(reset, MAX_RESET))

    def wait(self, now: float) -> float:
        """Seconds until requests are allowed again; 0 when they are now."""
        return max(self.blocked_until - now, 0.0)


__all__ = [
    "MAX_RESET",
    "RATE_LIMIT_MODES",
    "REMAINING_HEADER",
    "RESET_HEADER",
    "RateLimitMode",
    "RateLimiter",
    "parse_reset",
]
