"""Lifecycle: many clients opened and closed, and calls cancelled at random points.

Afterwards no ResourceWarning was issued, no session was left open, no thread was left
behind, the pool holds no connection and the process holds as many descriptors as before.
"""

import asyncio
import gc
import random
import warnings
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from realtime_sdk import RealtimeClient, SyncRealtimeClient
from realtime_sdk.testing import FakeRealtimeAPI
from realtime_sdk.testing._background import serve_in_thread
from tests.conftest import allows_legacy_calls
from tests.reliability._support import (
    acquired_connections,
    is_documented,
    open_fds,
    thread_names,
)

pytestmark = pytest.mark.reliability

API_KEY = "sk-lifecycle-0123456789abcdef"
SESSION = {"session": {"type": "realtime"}}
CANCEL_WAVE = 64


@pytest.fixture
def recorded_warnings() -> Iterator[list[warnings.WarningMessage]]:
    """Every warning issued during the test (garbage-collected objects included)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught
        gc.collect()


def _resource_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [
        str(item.message)
        for item in caught
        if issubclass(item.category, ResourceWarning) or "nclosed" in str(item.message)
    ]


async def test_opening_and_closing_many_async_clients_leaks_nothing(
    size: Any, figures: Any, recorded_warnings: list[warnings.WarningMessage]
) -> None:
    """Clients opened, used and closed one after another leave no session, socket or warning."""
    count = size.lifecycle_clients
    async with asyncio.timeout(60 + count * 0.5), FakeRealtimeAPI(max_records=0) as fake:
        threads_before = thread_names()
        gc.collect()
        fds_before = open_fds()
        left_open = 0
        for index in range(count):
            client = RealtimeClient(API_KEY, base_url=fake.base_url)
            if index % 4 == 3:
                await client.aclose()  # never used: nothing to open, nothing to leak
                continue
            async with client:
                result = await client.create_realtime_client_secret(SESSION)
                assert result.value.reveal().startswith("ek_")
                session = client._pool.session
            assert session is not None
            left_open += (not session.closed) + (client._pool.session is not None)
            if index % 4 == 2:
                await client.aclose()  # a second close does nothing
        gc.collect()
        fds_after = open_fds()
        threads_after = thread_names()
        connections = fake.connections
    figures.record(
        "lifecycle_async_clients",
        clients=count,
        server_connections=connections,
        fds_before=fds_before,
        fds_after=fds_after,
        threads_before=len(threads_before),
        threads_after=len(threads_after),
        resource_warnings=len(_resource_warnings(recorded_warnings)),
    )
    assert left_open == 0
    assert abs(fds_after - fds_before) <= 2
    assert threads_after == threads_before
    assert _resource_warnings(recorded_warnings) == []


def test_opening_and_closing_many_sync_clients_leaks_nothing(
    size: Any, figures: Any, recorded_warnings: list[warnings.WarningMessage]
) -> None:
    """Sync clients opened, used and closed leave no loop thread, socket or warning behind."""
    count = size.lifecycle_sync_clients
    with serve_in_thread(max_records=0) as fake:
        threads_before = thread_names()
        gc.collect()
        fds_before = open_fds()
        for index in range(count):
            client = SyncRealtimeClient(API_KEY, base_url=fake.base_url)
            if index % 4 == 3:
                client.close()
                continue
            with client:
                result = client.create_realtime_client_secret(SESSION)
                assert result.value.reveal().startswith("ek_")
            if index % 4 == 2:
                client.close()  # a second close does nothing
        gc.collect()
        fds_after = open_fds()
        threads_after = thread_names()
    figures.record(
        "lifecycle_sync_clients",
        clients=count,
        fds_before=fds_before,
        fds_after=fds_after,
        threads_before=len(threads_before),
        threads_after=len(threads_after),
        resource_warnings=len(_resource_warnings(recorded_warnings)),
    )
    assert abs(fds_after - fds_before) <= 2
    assert threads_after == threads_before
    assert _resource_warnings(recorded_warnings) == []


async def _cancel_at_random(
    client: RealtimeClient, rng: random.Random, index: int
) -> tuple[str, bool]:
    """Start one call, cancel it after a random number of event-loop turns; how did it end?"""
    method = (
        client.create_realtime_client_secret,
        client.create_realtime_session,
        client.create_realtime_transcription_session,
    )[index % 3]
    body = SESSION if index % 3 == 0 else {}
    task = asyncio.create_task(method(body))
    for _ in range(rng.randrange(0, 60)):
        await asyncio.sleep(0)
    asked = not task.done()
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        return "cancelled", asked
    except Exception as exc:
        return (type(exc).__name__ if is_documented(exc) else f"RAW {exc!r}"), asked
    return "ok", asked


@allows_legacy_calls
async def test_calls_cancelled_at_random_points_leave_the_client_clean(
    size: Any, figures: Any, recorded_warnings: list[warnings.WarningMessage]
) -> None:
    """Cancelling calls anywhere in their life leaves the pool empty and the client usable."""
    count = size.cancel_requests
    rng = random.Random(6)  # noqa: S311 - reproducible cancellation points, not a secret
    outcomes: Counter[str] = Counter()
    late = 0
    finished_first = 0
    async with asyncio.timeout(60 + count * 0.1), FakeRealtimeAPI(max_records=0) as fake:
        # Some answers are held back or trickle out, so cancels also land mid-wait and mid-body.
        rates = {"delay": 0.1, "slow_body": 0.1, "drop": 0.02, "server_error": 0.03}
        fake.set_chaos(7, rates, delay_seconds=0.02, slow_body_seconds=0.02)
        threads_before = thread_names()
        gc.collect()
        fds_before = open_fds()
        client = RealtimeClient(API_KEY, base_url=fake.base_url, timeout=5.0, max_connections=16)
        async with client:
            for start in range(0, count, CANCEL_WAVE):
                wave = range(start, min(start + CANCEL_WAVE, count))
                ends = await asyncio.gather(*(_cancel_at_random(client, rng, i) for i in wave))
                for outcome, asked in ends:
                    outcomes[outcome] += 1
                    late += outcome != "cancelled" and asked
                    finished_first += not asked
            for _ in range(10):  # let closed transports finish their callbacks
                await asyncio.sleep(0)
            acquired = acquired_connections(client)
            fake.set_chaos(None)
            after = await client.create_realtime_client_secret(SESSION)
        gc.collect()
        fds_after = open_fds()
        threads_after = thread_names()
        faults = dict(fake.fault_counts)
    figures.record(
        "lifecycle_cancellation",
        calls=count,
        outcomes=dict(outcomes),
        ended_before_cancel=finished_first,
        faults_by_kind=faults,
        acquired_connections_after=acquired,
        fds_before=fds_before,
        fds_after=fds_after,
        threads_before=len(threads_before),
        threads_after=len(threads_after),
    )
    assert not [name for name in outcomes if name.startswith("RAW")], outcomes
    assert outcomes["cancelled"] > 0
    # A call still running when cancel() came ends cancelled: no error swallows it.
    assert late == 0
    assert acquired == 0
    assert after.value.reveal().startswith("ek_")
    assert abs(fds_after - fds_before) <= 2
    assert threads_after == threads_before
    assert _resource_warnings(recorded_warnings) == []
