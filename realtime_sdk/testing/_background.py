"""Run the fake API on a private event loop thread, for synchronous code and its tests."""

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

from realtime_sdk.testing._server import FakeRealtimeAPI

# Bounds the wait for the thread to bind its socket or to shut down; both are instant on loopback.
_THREAD_TIMEOUT: Final = 30.0


@contextmanager
def serve_in_thread(**options: Any) -> Iterator[FakeRealtimeAPI]:  # noqa: ANN401 - FakeRealtimeAPI's keyword options
    """Serve a `FakeRealtimeAPI` from a background thread for the duration of a ``with`` block.

    For synchronous code (a script, a Django test, the sync client): the fake gets its own
    event loop, so the caller needs none. Fault-injection methods may be called from the
    caller's thread between requests.

    Args:
        **options: keyword arguments for `FakeRealtimeAPI`.

    Yields:
        The started fake; read ``fake.base_url``, ``fake.requests`` and friends from it.

    Raises:
        RuntimeError: the server did not start within 30 seconds.
    """
    fake = FakeRealtimeAPI(**options)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    failure: list[BaseException] = []
    stop: asyncio.Event | None = None

    async def run() -> None:
        nonlocal stop
        stop = asyncio.Event()
        try:
            await fake.start()
        except BaseException as exc:
            failure.append(exc)
            started.set()
            raise
        started.set()
        try:
            await stop.wait()
        finally:
            await fake.close()

    def target() -> None:
        try:
            loop.run_until_complete(run())
        except BaseException:  # noqa: BLE001, S110 - already handed to the caller through `failure`
            pass
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    thread = threading.Thread(target=target, name="realtime-sdk-fake-api", daemon=True)
    thread.start()
    if not started.wait(_THREAD_TIMEOUT):
        msg = "the fake API thread did not start in time"
        raise RuntimeError(msg)
    if failure:
        thread.join(_THREAD_TIMEOUT)
        raise failure[0]
    try:
        yield fake
    finally:
        assert stop is not None  # set before `started`
        loop.call_soon_threadsafe(stop.set)
        thread.join(_THREAD_TIMEOUT)
