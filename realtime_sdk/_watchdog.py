"""Attempt time limits for many calls at once, on a handful of shared event-loop timers.

aiohttp enforces a request's total time limit with one loop timer per request: an object
made, pushed on the loop's timer heap, cancelled and later swept out, for every call. At
thousands of calls per second that is a sizeable share of the client's own work. Here
attempts whose limits run out in the same short tick share one timer, so a busy client
schedules about one timer per tick instead of one per call.

The price is precision: an attempt ends up to one tick (`TICK`) after its limit, which is
why limits shorter than `MIN_LIMIT` are left to aiohttp's exact per-request timer. A tick
keeps its timer (and its emptied set) until it comes, so a busy client holds at most one
per tick of its longest limit: 6,000 small objects for the default 60 s.
"""

import asyncio
import math
from typing import Any, Final

TICK: Final = 0.01
"""Seconds; a watched attempt ends at most this long after its limit."""

MIN_LIMIT: Final = 1.0
"""Shorter limits are not watched here: one tick would be a noticeable part of them."""

Task = asyncio.Task[Any]


class Watchdog:
    """Cancels the tasks whose attempt outlives its limit; one per client (one event loop).

    Usage per attempt: ``tick = watch(task, limit)``; on ``CancelledError``, `expired`
    tells whether the cancellation was this limit running out; always `unwatch` after.
    """

    __slots__ = ("_due", "_fired", "_timers")

    def __init__(self) -> None:
        """Start with nothing watched; timers go on the loop of the first task watched."""
        self._due: dict[int, set[Task]] = {}  # tick -> tasks whose limit ends in it
        self._timers: dict[int, asyncio.TimerHandle] = {}
        self._fired: set[Task] = set()  # cancelled by us, not yet told so

    def watch(self, task: Task, limit: float) -> int:
        """Start the clock of one attempt of `task`.

        Args:
            task: the task making the attempt (cancelled if the limit runs out).
            limit: seconds the attempt may take.

        Returns:
            The tick to hand back to `expired` and `unwatch`.
        """
        loop = task.get_loop()
        tick = math.ceil((loop.time() + limit) / TICK)
        tasks = self._due.get(tick)
        if tasks is None:
            tasks = self._due[tick] = set()
            self._timers[tick] = loop.call_at(tick * TICK, self._expire, tick)
        tasks.add(task)
        return tick

    def unwatch(self, task: Task, tick: int) -> None:
        """Stop the clock of an attempt that ended, however it ended.

        Args:
            task: the task given to `watch`.
            tick: what `watch` returned.
        """
        tasks = self._due.get(tick)
        if tasks is not None:
            # An emptied tick keeps its timer: letting it fire costs less than cancelling it.
            tasks.discard(task)
        if task in self._fired:
            # Cancelled for its limit, yet it ended some other way (the cancellation was
            # swallowed on the way): take the request back so the task is not left marked.
            self._fired.discard(task)
            task.uncancel()

    def expired(self, task: Task, cancelling: int) -> bool:
        """Whether a `CancelledError` in `task` is its attempt's limit running out.

        Takes back the watchdog's own cancellation request, as `asyncio.timeout` does, so
        the task can carry on (to report a timeout, or retry). When something else also
        cancelled the task, that cancellation stands and this returns False.

        Args:
            task: the task that got the `CancelledError`.
            cancelling: ``task.cancelling()`` read before the attempt began.

        Returns:
            True when the error should become a timeout.
        """
        if task not in self._fired:
            return False
        self._fired.discard(task)
        return task.uncancel() <= cancelling

    def close(self) -> None:
        """Cancel every pending timer; attempts still running are no longer limited.

        Attempts already cancelled for their limit are still told so by `expired`.
        """
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self._due.clear()

    def _expire(self, tick: int) -> None:
        self._timers.pop(tick, None)
        for task in self._due.pop(tick, ()):
            if not task.done():
                self._fired.add(task)
                task.cancel()


__all__ = ["MIN_LIMIT", "TICK", "Watchdog"]
