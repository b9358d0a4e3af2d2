"""Opt-in pytest plugin: fixtures serving `FakeRealtimeAPI` on 127.0.0.1.

Enable it in your own suite with ``pytest_plugins = ["realtime_sdk.pytest_plugin"]`` (in
the top-level conftest.py or a test module), or with ``pytest -p realtime_sdk.pytest_plugin``;
this module's own name, ``realtime_sdk.testing.pytest_plugin``, works as well. It is not
registered as an automatic entry point, so installing realtime_sdk never changes anyone's
test run. ``pip install 'realtime-control-sdk[testing]'`` brings what it needs.

- ``fake_realtime_api_thread`` serves the fake from a background thread, for plain
  ``def`` tests (`SyncRealtimeClient`, Django views, scripts); it needs pytest alone.
- ``fake_realtime_api`` is async, for ``async def`` tests, and needs pytest-asyncio
  (any mode; in its default strict mode mark the tests with ``@pytest.mark.asyncio``).
  The plugin looks for pytest-asyncio only once pytest is configured, so a run without
  it loads this plugin fine and only a test asking for this fixture fails, saying why.
"""

from collections.abc import Iterator
from types import ModuleType

import pytest

from realtime_sdk.testing._background import serve_in_thread
from realtime_sdk.testing._server import FakeRealtimeAPI

__all__ = ["fake_realtime_api_thread", "pytest_configure"]

_ASYNC_FIXTURES = "realtime_sdk-async-fixtures"


@pytest.fixture
def fake_realtime_api_thread() -> Iterator[FakeRealtimeAPI]:
    """A fake Realtime API served from a background thread, for synchronous tests.

    The same object as `fake_realtime_api`, running on its own event loop, so plain
    ``def`` tests can call it with `SyncRealtimeClient` or any blocking HTTP client.
    """
    with serve_in_thread() as fake:
        yield fake


def _asyncio_plugin_active(config: pytest.Config) -> bool:
    manager = config.pluginmanager
    if manager.has_plugin("asyncio"):  # pytest-asyncio's entry-point name
        return True
    # Loaded by module name instead (``-p pytest_asyncio.plugin``, autoload disabled).
    return any(
        isinstance(plugin, ModuleType) and plugin.__name__ == "pytest_asyncio.plugin"
        for plugin in manager.get_plugins()
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register ``fake_realtime_api``: the real one with pytest-asyncio, else one that says why not."""
    if config.pluginmanager.has_plugin(_ASYNC_FIXTURES):
        return
    if _asyncio_plugin_active(config):
        from realtime_sdk.testing import _async_fixture as async_fixture  # noqa: PLC0415 - imports pytest_asyncio

        config.pluginmanager.register(async_fixture, _ASYNC_FIXTURES)
    else:
        from realtime_sdk.testing import _no_async_fixture as no_async_fixture  # noqa: PLC0415 - the fallback

        config.pluginmanager.register(no_async_fixture, _ASYNC_FIXTURES)
