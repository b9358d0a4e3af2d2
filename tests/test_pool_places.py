"""The pool's places: first come, first served, and a place handed to a wait that ends is passed on."""

import asyncio

import pytest

from realtime_sdk._client._pool import Places


async def test_a_free_place_is_taken_at_once_and_a_full_pool_says_so() -> None:
    """`take` hands out the free places without suspending, then refuses."""
    places = Places(2)
    assert places.take()
    assert places.take()
    assert not places.take()
    places.give_back()
    assert places.take()


async def test_waiters_are_served_in_order_and_no_newcomer_overtakes_them() -> None:
    """A place given back goes to the longest waiter; a newcomer finds none free meanwhile."""
    places = Places(1)
    assert places.take()
    served: list[str] = []

    async def queue(name: str) -> None:
        await places.wait()
        served.append(name)

    first = asyncio.create_task(queue("first"))
    second = asyncio.create_task(queue("second"))
    await asyncio.sleep(0)
    places.give_back()
    assert not places.take()  # handed to "first", not free for a newcomer
    await first
    places.give_back()
    await second
    assert served == ["first", "second"]
    places.give_back()
    assert places.take()


async def test_a_wait_that_times_out_leaves_the_queue() -> None:
    """A wait bounded by a time limit that runs out takes no place and leaves none behind."""
    places = Places(1)
    assert places.take()
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.01):
            await places.wait()
    places.give_back()
    assert places.take()
    assert not places.take()


async def test_a_place_handed_to_a_cancelled_wait_is_passed_on() -> None:
    """A waiter cancelled just as it was handed a place passes that place to the next one."""
    places = Places(1)
    assert places.take()
    first = asyncio.create_task(places.wait())
    second = asyncio.create_task(places.wait())
    await asyncio.sleep(0)
    places.give_back()  # the place goes to `first`...
    first.cancel()  # ...which is cancelled before it runs again
    with pytest.raises(asyncio.CancelledError):
        await first
    await asyncio.wait_for(second, 1)  # `second` got the place instead
    assert not places.take()
