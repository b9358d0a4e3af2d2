"""The async ``fake_realtime_api`` fixture; registered by the plugin when pytest-asyncio runs."""

from collections.abc import AsyncIterator

import pytest_asyncio

from realtime_sdk.testing._server import FakeRealtimeAPI

__all__ = ["fake_realtime_api"]


@pytest_asyncio.fixture
async def fake_realtime_api() -> AsyncIterator[FakeRealtimeAPI]:
    """A started fake Realtime API on 127.0.0.1, closed after the test.

    Point your client at ``fake_realtime_api.base_url`` with any bearer key, script faults
    with ``fail_next``/``delay_next``/..., and assert on ``fake_realtime_api.requests``.
    """
    async with FakeRealtimeAPI() as fake:
        yield fake
