"""The retry policy as pure functions: which answers are worth another attempt, and how long to wait.

Nothing here sleeps or does I/O; the attempt engine owns the only ``asyncio.sleep``. Header
lookups go through ``Mapping.get`` with lower-case names, which suits aiohttp's
case-insensitive header proxy and plain dicts written in lower case.
"""

import datetime as dt
import email.utils
import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

# 408 and 409 are transient on the service's side (a timed-out or racing request); 429 is
# a rate limit that clears with time. Every 5xx is retried as well.
RETRYABLE_STATUSES: Final = frozenset({408, 409, 429})
# A 429 with this code means the account is out of credit: waiting cannot help.
NON_RETRYABLE_CODES: Final = frozenset({"insufficient_quota"})
# The answers to a change of a live call (accept, refer, reject, hang up) that say the
# service did not act on it: 408 (it never read the whole request) and 429 (turned away
# before any work). A 409 or 5xx may come after the change took effect, so a repeat could
# act twice (transfer a call twice, say): those are left to the caller.
UNACTED_STATUSES: Final = frozenset({408, 429})

DEFAULT_MAX_RETRIES: Final = 2
DEFAULT_INITIAL_DELAY: Final = 0.5
DEFAULT_MAX_DELAY: Final = 8.0
# A server asking for a longer pause than this is capped, so one call cannot hang for hours.
DEFAULT_MAX_RETRY_AFTER: Final = 60.0


@dataclass(frozen=True, slots=True, kw_only=True)
class RetryPolicy:
    """How often to retry and how long to wait between attempts.

    Attributes:
        max_retries: attempts after the first one; 0 turns retrying off.
        initial_delay: the backoff before the first retry, in seconds.
        max_delay: the ceiling of the exponential backoff, in seconds.
        max_retry_after: the longest server-requested pause that is honoured as is; longer
            requests are cut down to this.
    """

    max_retries: int = DEFAULT_MAX_RETRIES
    initial_delay: float = DEFAULT_INITIAL_DELAY
    max_delay: float = DEFAULT_MAX_DELAY
    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER

    def __post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            msg = f"max_retries: expected an int >= 0, got {type(self.max_retries).__name__}"
            raise TypeError(msg)
        if self.max_retries < 0:
            msg = "max_retries: expected an int >= 0, got a negative number"
            raise ValueError(msg)
        for name in ("initial_delay", "max_delay", "max_retry_after"):
            value = getattr(self, name)
            if not _is_finite_non_negative(value):
                msg = f"{name}: expected a finite number of seconds >= 0"
                raise ValueError(msg)

    def delay(
        self,
        retries_taken: int,
        headers: Mapping[str, str] | None = None,
        *,
        now: float | None = None,
        rand: Callable[[], float] = random.random,
    ) -> float:
        """Seconds to wait before the next attempt.

        A server-given ``retry-after-ms`` or ``retry-after`` wins (capped at
        `max_retry_after`); otherwise exponential backoff with jitter.

        Args:
            retries_taken: how many retries were already made (0 before the first retry).
            headers: the failed response's headers, if there was a response.
            now: the current Unix time, for HTTP-date values (tests pin it).
            rand: a source of floats in [0, 1), for the jitter (tests pin it).

        Returns:
            A delay in seconds, >= 0.
        """
        if headers is not None:
            asked = retry_after_seconds(headers, now=now)
            if asked is not None:
                return min(asked, self.max_retry_after)
        return backoff_delay(
            retries_taken, initial=self.initial_delay, maximum=self.max_delay, rand=rand
        )


def should_retry_status(
    status: int, headers: Mapping[str, str] | None = None, error_code: str | None = None
) -> bool:
    """Whether an HTTP answer is worth another attempt.

    Args:
        status: the HTTP status of the answer.
        headers: its headers; ``x-should-retry: true/false`` overrides everything else.
        error_code: the ``error.code`` of an OpenAI-style body, if any.

    Returns:
        True to retry, False to give up.
    """
    verdict = _server_verdict(headers)
    if verdict is not None:
        return verdict
    if status == 429 and error_code in NON_RETRYABLE_CODES:  # noqa: PLR2004 - the rate-limit status
        return False
    # Only the 5xx range HTTP defines: a status of 600 or more is no server error.
    return status in RETRYABLE_STATUSES or 500 <= status <= 599  # noqa: PLR2004 - the 5xx range


def should_retry_call_change(
    status: int, headers: Mapping[str, str] | None = None, error_code: str | None = None
) -> bool:
    """Whether an answer to a change of a live call is safe to try again.

    Only answers that say the change was not made: `UNACTED_STATUSES` (a 429 for an
    exhausted quota aside), or the server's own ``x-should-retry: true``.

    Args:
        status: the HTTP status of the answer.
        headers: its headers; ``x-should-retry: true/false`` overrides everything else.
        error_code: the ``error.code`` of an OpenAI-style body, if any.

    Returns:
        True to retry, False to give up.
    """
    verdict = _server_verdict(headers)
    if verdict is not None:
        return verdict
    if status == 429 and error_code in NON_RETRYABLE_CODES:  # noqa: PLR2004 - the rate-limit status
        return False
    return status in UNACTED_STATUSES


def _server_verdict(headers: Mapping[str, str] | None) -> bool | None:
    """The server's ``x-should-retry`` answer, or None when it gave none we can read."""
    if headers is None:
        return None
    verdict = headers.get("x-should-retry")
    if verdict is None:
        return None
    verdict = verdict.strip().lower()
    if verdict == "true":
        return True
    if verdict == "false":
        return False
    return None


def retry_after_seconds(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """The pause a server asked for, in seconds, or None when it asked for none we can read.

    ``retry-after-ms`` (milliseconds) is preferred for its precision; ``retry-after``
    may be a number of seconds or an HTTP date. Negative values and dates in the past
    mean "now" (0).

    Args:
        headers: the response headers.
        now: the current Unix time, for HTTP-date values; defaults to the clock.

    Returns:
        Seconds to wait, or None.
    """
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        millis = _parse_number(raw_ms)
        if millis is not None:
            return max(millis / 1000.0, 0.0)
    raw = headers.get("retry-after")
    if raw is None:
        return None
    seconds = _parse_number(raw)
    if seconds is not None:
        return max(seconds, 0.0)
    try:
        when = email.utils.parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        # RFC 9110 dates are always GMT; a "-0000" zone parses as naive, so pin it to UTC.
        when = when.replace(tzinfo=dt.UTC)
    current = time.time() if now is None else now
    return max(when.timestamp() - current, 0.0)


def backoff_delay(
    retries_taken: int,
    *,
    initial: float = DEFAULT_INITIAL_DELAY,
    maximum: float = DEFAULT_MAX_DELAY,
    rand: Callable[[], float] = random.random,
) -> float:
    """Exponential backoff with jitter: ``initial * 2**retries_taken``, capped, minus up to 25 %.

    The jitter spreads out clients that failed together, so they do not retry in lockstep.

    Args:
        retries_taken: how many retries were already made (0 before the first retry).
        initial: the delay before the first retry, in seconds.
        maximum: the cap before jitter, in seconds.
        rand: a source of floats in [0, 1).

    Returns:
        A delay in seconds, between 75 % and 100 % of the capped exponential value.
    """
    # min() on the exponent first keeps 2**n from overflowing after many retries.
    exponent = min(max(retries_taken, 0), 62)
    base = min(initial * (2.0**exponent), maximum)
    return base * (1.0 - 0.25 * rand())


def _parse_number(raw: str) -> float | None:
    try:
        value = float(raw.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _is_finite_non_negative(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and value >= 0


__all__ = [
    "DEFAULT_MAX_RETRIES",
    "NON_RETRYABLE_CODES",
    "RETRYABLE_STATUSES",
    "UNACTED_STATUSES",
    "RetryPolicy",
    "backoff_delay",
    "retry_after_seconds",
    "should_retry_call_change",
    "should_retry_status",
]
