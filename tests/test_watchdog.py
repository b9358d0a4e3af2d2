"""The shared attempt clock: a limit that runs out becomes a timeout, nothing else does."""

import asyncio

import pytest

from realtime_sdk._watchdog import TICK, Watchdog


async def _attempt(watchdog: Watchdog, limit: float, work: asyncio.Future[str]) -> tuple[str, int]:
    """Wait for `work` the way the client waits for an answer; report how it ended."""
    task = asyncio.current_task()
    assert task is not None
    cancelling = task.cancelling()
    tick = watchdog.watch(task, limit)
    try:
        outcome = await work
    except asyncio.CancelledError:
        if not watchdog.expired(task, cancelling):
            raise
        outcome = "timed out"
    finally:
        watchdog.unwatch(task, tick)
    return outcome, task.cancelling()


async def test_an_attempt_past_its_limit_is_told_it_timed_out() -> None:
    """A limit that runs out cancels the attempt, and the task is left uncancelled."""
    loop = asyncio.get_running_loop()
    assert await _attempt(Watchdog(), 0.02, loop.create_future()) == ("timed out", 0)


async def test_an_attempt_within_its_limit_is_left_alone_after_it_ends() -> None:
    """An attempt that ends in time is not cancelled later, when its tick comes."""
    loop = asyncio.get_running_loop()
    work = loop.create_future()
    work.set_result("answered")
    watchdog = Watchdog()

    async def attempt_then_wait() -> tuple[str, int]:
        outcome = await _attempt(watchdog, 0.02, work)
        await asyncio.sleep(0.1)  # well past the tick of the finished attempt
        return outcome

    assert await attempt_then_wait() == ("answered", 0)


async def test_a_cancellation_from_elsewhere_stays_a_cancellation() -> None:
    """Cancelling the task before its limit raises CancelledError, not a timeout."""
    loop = asyncio.get_running_loop()
    task = asyncio.create_task(_attempt(Watchdog(), 10.0, loop.create_future()))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_cancellation_at_the_same_moment_as_the_limit_wins() -> None:
    """When the caller cancels in the very tick the limit runs out, the cancellation stands."""
    loop = asyncio.get_running_loop()
    watchdog = Watchdog()
    task = asyncio.create_task(_attempt(watchdog, 0.02, loop.create_future()))
    await asyncio.sleep(0)  # the attempt is now watched
    # Due at the same moment as the watchdog's timer: both run before the task resumes.
    due = max(handle.when() for handle in watchdog._timers.values())
    loop.call_at(due, task.cancel)
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_attempts_in_one_tick_share_a_timer_and_all_time_out() -> None:
    """Many attempts with the same limit all time out, with far fewer timers than attempts."""
    loop = asyncio.get_running_loop()
    watchdog = Watchdog()
    tasks = [
        asyncio.create_task(_attempt(watchdog, 0.05, loop.create_future())) for _ in range(200)
    ]
    await asyncio.sleep(0)
    assert len(watchdog._timers) <= 0.05 / TICK
    assert await asyncio.gather(*tasks) == [("timed out", 0)] * 200
    assert not watchdog._timers


async def test_close_stops_every_clock() -> None:
    """After close(), a watched attempt is no longer cut short."""
    loop = asyncio.get_running_loop()
    watchdog = Watchdog()
    work = loop.create_future()
    task = asyncio.create_task(_attempt(watchdog, 0.02, work))
    await asyncio.sleep(0)
    watchdog.close()
    await asyncio.sleep(0.1)
    work.set_result("answered late")
    assert await task == ("answered late", 0)


async def test_a_swallowed_cancellation_is_taken_back() -> None:
    """An attempt that ends normally although its limit cancelled it leaves the task unmarked."""
    watchdog = Watchdog()

    async def stubborn() -> int:
        task = asyncio.current_task()
        assert task is not None
        tick = watchdog.watch(task, 0.02)
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            pass  # swallowed, as a careless library might
        finally:
            watchdog.unwatch(task, tick)
        return task.cancelling()

    assert await stubborn() == 0
