"""Scripted and seeded-random faults for the fake Realtime API.

Queue semantics: every ``*_next(n, ...)`` call appends ``n`` single-use entries to one FIFO
queue. Each incoming request takes the oldest entry whose path filter matches it (no
filter matches every path) and suffers that fault; a request that finds no entry is
answered normally, unless chaos is on, in which case a seeded draw may pick a fault.
So ``fail_next(2); drop_next(1)`` fails the next two calls, drops the third and lets the
fourth through.
"""

import enum
import random
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

# The default mix: 5% 5xx, 2% 429 with retry headers, 2% drops, 1% slower than a timeout,
# 1% malformed JSON.
DEFAULT_CHAOS_RATES: Final[Mapping[str, float]] = {
    "server_error": 0.05,
    "rate_limit": 0.02,
    "drop": 0.02,
    "delay": 0.01,
    "malformed": 0.01,
}


class FaultKind(enum.StrEnum):
    """What a fault does to one request."""

    STATUS = "status"
    """Answer with an error status (and optional retry headers) instead of the real answer."""
    DELAY = "delay"
    """Wait before sending the status line and headers, then answer normally."""
    SLOW_BODY = "slow_body"
    """Send the headers at once, then let the normal body trickle out in pieces."""
    DROP = "drop"
    """Close the connection without answering."""
    MALFORMED = "malformed"
    """Answer 200 with a JSON content type and a body that is not valid JSON."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Fault:
    """One scripted fault, consumed by exactly one request."""

    kind: FaultKind
    status: int = 503
    seconds: float = 0.0
    chunks: int = 8
    body: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    path: str | None = None
    """Only a request to this endpoint path (``/realtime/sessions``) takes the entry."""

    @property
    def label(self) -> str:
        """A short name for counting outcomes: the kind, or ``status_503`` for statuses."""
        if self.kind is FaultKind.STATUS:
            return f"status_{self.status}"
        return self.kind.value


class FaultQueue:
    """The FIFO of scripted faults, with optional per-path filters.

    A lock guards the queue because a fake served from a background thread (for sync code)
    is scripted from the caller's thread while its own thread takes entries.
    """

    def __init__(self) -> None:
        self._entries: deque[Fault] = deque()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, fault: Fault, count: int) -> None:
        """Append ``count`` copies of one fault to the end of the queue."""
        if count < 0:
            msg = f"count must be >= 0, got {count}"
            raise ValueError(msg)
        with self._lock:
            self._entries.extend([fault] * count)

    def take(self, path: str) -> Fault | None:
        """Remove and return the oldest entry that applies to ``path``, if any."""
        if not self._entries:
            return None
        with self._lock:
            for index, fault in enumerate(self._entries):
                if fault.path is None or fault.path == path:
                    del self._entries[index]
                    return fault
        return None

    def clear(self) -> None:
        """Forget every pending entry."""
        with self._lock:
            self._entries.clear()


# Names accepted in ``set_chaos(rates=...)``.
CHAOS_KINDS: Final = ("server_error", "rate_limit", "drop", "delay", "slow_body", "malformed")

_SERVER_ERROR_STATUSES: Final = (500, 502, 503)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChaosSettings:
    """The knobs of a seeded random fault mix."""

    rates: Mapping[str, float]
    delay_seconds: float = 5.0
    slow_body_seconds: float = 5.0
    retry_after: str | None = "1"
    retry_after_ms: str | None = "20"


class Chaos:
    """Draws one fault (or none) per request from a seeded generator.

    The draw depends only on the seed and on the order requests arrive in, so a
    single-connection run is reproducible; concurrent runs see the same mix of faults.
    """

    def __init__(self, seed: int, settings: ChaosSettings) -> None:
        unknown = set(settings.rates) - set(CHAOS_KINDS)
        if unknown:
            msg = f"unknown chaos kinds {sorted(unknown)}; expected some of {list(CHAOS_KINDS)}"
            raise ValueError(msg)
        total = sum(settings.rates.values())
        if any(rate < 0 for rate in settings.rates.values()) or total > 1:
            msg = f"chaos rates must be >= 0 and add up to at most 1, got {total}"
            raise ValueError(msg)
        # Not for security: a reproducible fault mix is the point.
        self._random = random.Random(seed)  # noqa: S311
        self._settings = settings
        self._bands: list[tuple[float, str]] = []
        edge = 0.0
        for kind in CHAOS_KINDS:
            edge += settings.rates.get(kind, 0.0)
            self._bands.append((edge, kind))

    def draw(self) -> Fault | None:
        """Pick the fault for the next request, or None to answer it normally."""
        roll = self._random.random()
        for edge, kind in self._bands:
            if roll < edge:
                return self._make(kind)
        return None

    def _make(self, kind: str) -> Fault:
        settings = self._settings
        if kind == "server_error":
            return Fault(kind=FaultKind.STATUS, status=self._random.choice(_SERVER_ERROR_STATUSES))
        if kind == "rate_limit":
            headers: dict[str, str] = {}
            if settings.retry_after is not None:
                headers["retry-after"] = settings.retry_after
            if settings.retry_after_ms is not None:
                headers["retry-after-ms"] = settings.retry_after_ms
            return Fault(kind=FaultKind.STATUS, status=429, headers=headers)
        if kind == "drop":
            return Fault(kind=FaultKind.DROP)
        if kind == "delay":
            return Fault(kind=FaultKind.DELAY, seconds=settings.delay_seconds)
        if kind == "slow_body":
            return Fault(kind=FaultKind.SLOW_BODY, seconds=settings.slow_body_seconds)
        return Fault(kind=FaultKind.MALFORMED)
