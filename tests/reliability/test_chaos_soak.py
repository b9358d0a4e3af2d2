"""Chaos soak: many concurrent calls through a bounded pool against a fake that misbehaves at random.

The fake injects issue 6's seeded mix (5xx, 429 with retry headers, dropped connections,
answers slower than the timeout, malformed JSON). Every call must end in a parsed result or
a documented error, transient faults must be retried within the budget, and afterwards the
pool, the descriptors and the traced memory must be back where they started.
"""

import asyncio
import contextvars
import gc
import sys
import tracemalloc
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from realtime_sdk import APIResponse, RealtimeClient
from realtime_sdk._http import _transport
from realtime_sdk.errors import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
)
from realtime_sdk.testing import DEFAULT_CHAOS_RATES, STATS_PATH, FakeRealtimeAPI
from tests.conftest import allows_legacy_calls
from tests.reliability._support import acquired_connections, is_documented, open_fds

# The soak is one of the heavy runs: `python -m pytest -m heavy`, not the quick command.
pytestmark = [pytest.mark.reliability, pytest.mark.heavy]

SEED = 6
API_KEY = "sk-soak-0123456789abcdef"
# Far above the wait a fair pool queue of 256 callers behind 64 connections adds, so only
# the injected slow answers time out.
ATTEMPT_TIMEOUT = 10.0
# Twice the attempt timeout: a "slow" answer is one the client must give up on.
SLOW_ANSWER = 2 * ATTEMPT_TIMEOUT
MAX_RETRIES = 2
# Errors a transient fault may still end in once the retry budget is spent, and the one a
# malformed 200 ends in (it is an answer, so it is not retried).
TRANSIENT = (InternalServerError, RateLimitError, APIConnectionError, APITimeoutError)
ALLOWED_OUTCOMES = frozenset(
    {"ok", APIResponseValidationError.__name__} | {cls.__name__ for cls in TRANSIENT}
)
# Traced bytes the second half may add over the first, at any size: a leak of even 100
# bytes per call shows up beyond this at the full size.
MEMORY_GROWTH_BOUND = 512 * 1024
_IGNORED_FRAMES = (
    tracemalloc.Filter(inclusive=False, filename_pattern="<frozen importlib._bootstrap>"),
    tracemalloc.Filter(inclusive=False, filename_pattern="<frozen importlib._bootstrap_external>"),
    tracemalloc.Filter(inclusive=False, filename_pattern="<unknown>"),
    tracemalloc.Filter(inclusive=False, filename_pattern=tracemalloc.__file__),
)

_current_call: contextvars.ContextVar[int] = contextvars.ContextVar("soak_call")

# One small valid body per endpoint; calls rotate through them.
_REQUESTS: tuple[tuple[str, dict[str, Any]], ...] = (
    (
        "create_realtime_client_secret_with_response",
        {"session": {"type": "realtime", "model": "gpt-realtime"}},
    ),
    ("create_realtime_session_with_response", {"model": "gpt-realtime", "voice": "alloy"}),
    ("create_realtime_transcription_session_with_response", {"input_audio_format": "pcm16"}),
)


class Soak:
    """Bookkeeping of one soak, preallocated so it adds nothing to traced memory as it runs."""

    def __init__(self, calls: int) -> None:
        self.calls = calls
        self.attempts = [0] * calls
        self.reported_attempts = [0] * calls
        self.outcomes: list[str] = ["pending"] * calls
        self.raw: list[BaseException] = []

    def counting_post(self, real_post: Any) -> Any:
        """Wrap the transport's POST so each attempt is counted against the call making it."""
        attempts = self.attempts

        async def post(*args: Any, **kwargs: Any) -> Any:
            attempts[_current_call.get()] += 1
            return await real_post(*args, **kwargs)

        return post

    async def run(self, client: RealtimeClient, start: int, stop: int, in_flight: int) -> None:
        """Make calls ``start..stop-1`` with ``in_flight`` workers pulling from one counter."""
        next_call = iter(range(start, stop))

        async def worker() -> None:
            for index in next_call:
                _current_call.set(index)
                method, body = _REQUESTS[index % len(_REQUESTS)]
                try:
                    result = await getattr(client, method)(body)
                except Exception as exc:
                    self.outcomes[index] = type(exc).__name__
                    if not is_documented(exc):
                        self.raw.append(exc)
                else:
                    assert isinstance(result, APIResponse)
                    self.outcomes[index] = "ok"
                    self.reported_attempts[index] = result.attempts

        async with asyncio.TaskGroup() as group:
            for _ in range(in_flight):
                group.create_task(worker())


def _traced(snapshot: tracemalloc.Snapshot) -> int:
    return sum(stat.size for stat in snapshot.filter_traces(_IGNORED_FRAMES).statistics("filename"))


def _growth_report(first: tracemalloc.Snapshot, second: tracemalloc.Snapshot) -> str:
    diffs = second.filter_traces(_IGNORED_FRAMES).compare_to(
        first.filter_traces(_IGNORED_FRAMES), "lineno"
    )
    return "\n".join(str(diff) for diff in diffs[:10])


@pytest.fixture
def soak(size: Any, monkeypatch: pytest.MonkeyPatch) -> Soak:
    """A soak of the configured size whose attempts are counted per call."""
    state = Soak(size.soak_calls)
    monkeypatch.setattr(_transport, "post", state.counting_post(_transport.post))
    return state


# The fake runs in its own process: it gets the second core, and its allocations stay out
# of this process's traced memory.
_FAKE_SCRIPT = f"""
import asyncio
from realtime_sdk.testing import FakeRealtimeAPI, serve
fake = FakeRealtimeAPI(max_records=0)
fake.set_chaos({SEED}, delay_seconds={SLOW_ANSWER})
asyncio.run(serve(fake))
"""


@pytest.fixture
async def chaos_fake() -> AsyncIterator[str]:
    """A chaos-mode fake in a child process; yields its base URL and stops it afterwards."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _FAKE_SCRIPT, stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    try:
        async with asyncio.timeout(60):
            line = await process.stdout.readline()
        assert line.startswith(b"http://127.0.0.1:"), line
        yield line.decode().strip()
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                async with asyncio.timeout(30):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()


async def _stats(base_url: str) -> dict[str, Any]:
    root = base_url.removesuffix("/v1")
    async with aiohttp.ClientSession() as session, session.get(root + STATS_PATH) as response:
        stats: dict[str, Any] = await response.json()
        return stats


@allows_legacy_calls
async def test_chaos_soak_ends_every_call_cleanly_and_leaks_nothing(
    soak: Soak,
    chaos_fake: str,
    size: Any,
    figures: Any,
) -> None:
    """Every call ends in a result or a documented error; pool, descriptors and memory recover."""
    calls = soak.calls
    half = calls // 2
    gc.collect()
    fds_before = open_fds()
    tracemalloc.start()
    try:
        # A bound on the whole run, far above what it needs; not a speed assertion.
        async with asyncio.timeout(120 + calls * 0.05):
            client = RealtimeClient(
                API_KEY,
                base_url=chaos_fake,
                timeout=ATTEMPT_TIMEOUT,
                max_retries=MAX_RETRIES,
                max_connections=size.soak_connections,
            )
            async with client:
                await soak.run(client, 0, half, size.soak_in_flight)
                gc.collect()
                first = tracemalloc.take_snapshot()
                await soak.run(client, half, calls, size.soak_in_flight)
                gc.collect()
                second = tracemalloc.take_snapshot()
                acquired_after = acquired_connections(client)
        gc.collect()
        fds_after = open_fds()
    finally:
        tracemalloc.stop()
    stats = await _stats(chaos_fake)

    outcomes = Counter(soak.outcomes)
    faults: dict[str, int] = stats["fault_counts"]
    memory_first, memory_second = _traced(first), _traced(second)
    figures.record(
        "chaos_soak",
        calls=calls,
        in_flight=size.soak_in_flight,
        max_connections=size.soak_connections,
        seed=SEED,
        fault_rates=dict(DEFAULT_CHAOS_RATES),
        server_requests=stats["requests"],
        server_connections=stats["connections"],
        attempts=sum(soak.attempts),
        attempts_not_reaching_server=sum(soak.attempts) - stats["requests"],
        faults_by_kind=faults,
        faults_total=sum(faults.values()),
        outcomes_by_class=dict(outcomes),
        raw_escapes=len(soak.raw),
        acquired_connections_after=acquired_after,
        fds_before=fds_before,
        fds_after=fds_after,
        traced_bytes_first_half=memory_first,
        traced_bytes_second_half=memory_second,
        traced_growth_bytes=memory_second - memory_first,
    )

    assert soak.raw == [], f"raw exceptions escaped: {soak.raw[:5]!r}"
    assert set(outcomes) <= ALLOWED_OUTCOMES, outcomes
    assert acquired_after == 0
    assert abs(fds_after - fds_before) <= 2, (fds_before, fds_after)
    assert memory_second - memory_first <= MEMORY_GROWTH_BOUND, _growth_report(first, second)
    # Every attempt reached the fake (none timed out queued for the pool, none was resent
    # behind the SDK's back), and every attempt that did not succeed met a fault.
    assert sum(soak.attempts) == stats["requests"]
    assert sum(soak.attempts) - outcomes["ok"] == sum(faults.values())
    # A malformed 200 is not retried: each one ends exactly one call.
    assert outcomes["APIResponseValidationError"] == faults.get("malformed", 0)
    for index, outcome in enumerate(soak.outcomes):
        if outcome == "ok":
            assert soak.reported_attempts[index] == soak.attempts[index], index
        elif outcome != "APIResponseValidationError":
            # A transient fault ends a call only once the whole retry budget is spent.
            assert soak.attempts[index] == MAX_RETRIES + 1, (index, outcome)


async def test_a_call_queued_for_the_pool_is_not_starved_by_later_calls() -> None:
    """A call waiting for a pooled connection gets one before callers that arrived after it."""
    hog_calls = 200
    body = {"session": {"type": "realtime"}}
    async with (
        asyncio.timeout(120),
        FakeRealtimeAPI(max_records=0) as fake,
        RealtimeClient(API_KEY, base_url=fake.base_url, max_connections=2) as client,
    ):
        finished = 0
        # Set once both connections are busy and being handed back and forth.
        cycling = asyncio.Event()

        async def hog() -> None:
            nonlocal finished
            for _ in range(hog_calls):
                await client.create_realtime_client_secret(body)
                finished += 1
                if finished >= 4:
                    cycling.set()

        hogs = [asyncio.create_task(hog()) for _ in range(2)]
        await cycling.wait()
        before = finished
        await client.create_realtime_client_secret(body)
        overtaken = finished - before
        await asyncio.gather(*hogs)
    # FIFO would let at most the two calls holding the connections (and their immediate
    # successors) finish first.
    assert overtaken <= 8, f"{overtaken} later calls finished while this one waited"
