"""``fake_realtime_api`` without pytest-asyncio: a fixture that explains what is missing."""

import pytest

from realtime_sdk._version import DISTRIBUTION

__all__ = ["fake_realtime_api"]


@pytest.fixture
def fake_realtime_api() -> None:
    """Fail the test that asked for the async fixture, naming what it needs."""
    pytest.fail(
        "fake_realtime_api is an async fixture and needs pytest-asyncio, which is not "
        f"active in this run: pip install '{DISTRIBUTION}[testing]', or use "
        "fake_realtime_api_thread from a plain def test",
        pytrace=False,
    )
