"""Opt-in pytest plugin: a ``fake_realtime_api`` fixture serving `FakeRealtimeAPI`.

Enable it in your own suite with ``pytest_plugins = ["realtime_sdk.pytest_plugin"]`` in the
top-level conftest.py, or with ``pytest -p realtime_sdk.pytest_plugin``. It is not
registered as an automatic entry point, so installing realtime_sdk never changes anyone's
test run. ``fake_realtime_api`` is async and needs pytest-asyncio (any mode);
``fake_realtime_api_thread`` serves the fake from a background thread for synchronous
tests (`SyncRealtimeClient`, Django views, scripts) and needs nothing more.
"""

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from realtime_sdk.testing import FakeRealtimeAPI, serve_in_thread

__all__ = ["fake_realtime_api", "fake_realtime_api_thread"]


@pytest_asyncio.fixture
async def fake_realtime_api() -> AsyncIterator[FakeRealtimeAPI]:
    """A started fake Realtime API on 127.0.0.1, closed after the test.

    Point your client at ``fake_realtime_api.base_url`` with any bearer key, script faults
    with ``fail_next``/``delay_next``/..., and assert on ``fake_realtime_api.requests``.
    """
    async with FakeRealtimeAPI() as fake:
        yield fake


@pytest.fixture
def fake_realtime_api_thread() -> Iterator[FakeRealtimeAPI]:
    """A fake Realtime API served from a background thread, for synchronous tests.

    The same object as `fake_realtime_api`, running on its own event loop, so plain
    ``def`` tests can call it with `SyncRealtimeClient` or any blocking HTTP client.
    """
    with serve_in_thread() as fake:
        yield fake
