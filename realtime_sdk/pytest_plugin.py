"""Opt-in pytest plugin: a ``fake_realtime_api`` fixture serving `FakeRealtimeAPI`.

Enable it in your own suite with ``pytest_plugins = ["realtime_sdk.pytest_plugin"]`` in the
top-level conftest.py, or with ``pytest -p realtime_sdk.pytest_plugin``. It is not
registered as an automatic entry point, so installing realtime_sdk never changes anyone's
test run. The fixture is async and needs pytest-asyncio (any mode).
"""

from collections.abc import AsyncIterator

import pytest_asyncio

from realtime_sdk.testing import FakeRealtimeAPI

__all__ = ["fake_realtime_api"]


@pytest_asyncio.fixture
async def fake_realtime_api() -> AsyncIterator[FakeRealtimeAPI]:
    """A started fake Realtime API on 127.0.0.1, closed after the test.

    Point your client at ``fake_realtime_api.base_url`` with any bearer key, script faults
    with ``fail_next``/``delay_next``/..., and assert on ``fake_realtime_api.requests``.
    """
    async with FakeRealtimeAPI() as fake:
        yield fake
