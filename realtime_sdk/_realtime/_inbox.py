"""`Inbox`: the bounded, ordered buffer between a connection's reader task and `recv`.

It does what ``asyncio.Queue`` does here with one deque instead of four (a Queue keeps
deques for its items, its getters, its putters and its ``join`` event), which is most of
the memory an idle connection costs beyond aiohttp's own. Waiters are futures kept in a
list made only while someone waits.
"""

import asyncio
from collections import deque
from typing import Generic, TypeVar

T = TypeVar("T")


class Inbox(Generic[T]):
    """A FIFO of at most ``limit`` items: `put` waits for room, `get` waits for an item."""

    __slots__ = ("_getters", "_items", "_limit", "_putter")

    def __init__(self, limit: int) -> None:
        self._items: deque[T] = deque()
        self._limit = limit
        self._getters: list[asyncio.Future[None]] | None = None
        self._putter: asyncio.Future[None] | None = None  # one producer: the reader task

    def empty(self) -> bool:
        return not self._items

    def __len__(self) -> int:
        return len(self._items)

    async def put(self, item: T) -> None:
        """Append ``item``, first waiting (as the only producer) while the inbox is full."""
        while len(self._items) >= self._limit:
            room = self._putter = asyncio.get_running_loop().create_future()
            try:
                await room
            finally:
                self._putter = None
        self._items.append(item)
        self._wake_getter()

    def offer(self, item: T) -> bool:
        """Append ``item`` if there is room; whether it was appended."""
        if len(self._items) >= self._limit:
            return False
        self._items.append(item)
        self._wake_getter()
        return True

    def take(self) -> T:
        """Take the oldest item at once (the caller has checked that there is one)."""
        item = self._items.popleft()
        putter = self._putter
        if putter is not None and not putter.done():
            putter.set_result(None)
        return item

    async def get(self) -> T:
        """Take the oldest item, waiting for one; a cancelled wait takes nothing."""
        while not self._items:
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            if self._getters is None:
                self._getters = []
            self._getters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                self._forget(waiter)
                if waiter.done() and not waiter.cancelled() and self._items:
                    self._wake_getter()  # it was woken for an item it will not take
                raise
            self._forget(waiter)
        return self.take()

    def _forget(self, waiter: asyncio.Future[None]) -> None:
        getters = self._getters
        if getters is not None and waiter in getters:
            getters.remove(waiter)
            if not getters:
                self._getters = None

    def _wake_getter(self) -> None:
        for waiter in self._getters or ():
            if not waiter.done():
                waiter.set_result(None)
                return


__all__ = ["Inbox"]
