"""The pytest plugin under its documented name: ``-p realtime_sdk.pytest_plugin``.

The fixtures live in `realtime_sdk.testing.pytest_plugin`, beside the fake they serve;
either name enables the same plugin (use one of them, not both).
"""

from realtime_sdk.testing.pytest_plugin import (
    fake_realtime_api_thread,
    pytest_configure,
)

__all__ = ["fake_realtime_api_thread", "pytest_configure"]
