"""The connection's bounded inbox: order, room, and cancellation that loses nothing."""

import asyncio

import pytest

from realtime_sdk._realtime._inbox import Inbox


async def test_items_come_out_in_order() -> None:
    """First in, first out."""
    inbox: Inbox[int] = Inbox(10)
    for n in range(5):
        await inbox.put(n)
    assert [await inbox.get() for _ in range(5)] == [0, 1, 2, 3, 4]


async def test_a_full_inbox_makes_put_wait_until_get_makes_room() -> None:
    """The producer waits at the limit and goes on after one get."""
    inbox: Inbox[int] = Inbox(2)
    await inbox.put(1)
    await inbox.put(2)
    assert not inbox.offer(3)
    pending = asyncio.create_task(inbox.put(3))
    await asyncio.sleep(0)
    assert not pending.done()
    assert await inbox.get() == 1
    await asyncio.wait_for(pending, 5)
    assert len(inbox) == 2


async def test_a_cancelled_get_takes_nothing_and_wakes_the_next_getter() -> None:
    """An item a cancelled getter was woken for goes to the next getter."""
    inbox: Inbox[str] = Inbox(5)
    first = asyncio.create_task(inbox.get())
    second = asyncio.create_task(inbox.get())
    await asyncio.sleep(0)
    inbox.offer("only")
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    assert await asyncio.wait_for(second, 5) == "only"
    assert inbox.empty()
