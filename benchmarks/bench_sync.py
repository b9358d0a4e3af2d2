"""Sequential latency of SyncRealtimeClient beside the async client and the usual sync clients.

The fake API runs in another process (``python -m realtime_sdk.testing --port 0``). Every
contender makes the same client-secret call, one at a time:

- SyncRealtimeClient (the facade: a private loop thread per client);
- RealtimeClient awaited in a running loop (what the facade wraps), and raw aiohttp (the
  async floor: one session, a pre-encoded body, the answer parsed to a dict);
- a RealtimeClient driven by an ``asyncio.Runner`` held on the calling thread: the
  alternative runtime shape, which cannot serve threads or running loops;
- openai-python's sync ``OpenAI``, ``requests.Session`` and ``httpx.Client``, each with a
  persistent connection pool;
- the anti-pattern: ``asyncio.run`` per call, with a new RealtimeClient each time (a
  client cannot outlive its loop, so nothing is pooled).

Each repeat measures every contender in a shuffled order; ratios are taken within a repeat,
and the table shows their median with the min-max range over repeats.

Usage::

    python benchmarks/bench_sync.py            # full run, about 1-2 minutes
    python benchmarks/bench_sync.py --quick    # a smoke run in well under a minute
"""

import argparse
import asyncio
import gc
import json
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from realtime_sdk import RealtimeClient, SyncRealtimeClient
from realtime_sdk.testing import serve_in_process

API_KEY = "sk-bench-0123456789abcdef"
REQUEST: dict[str, Any] = {
    "expires_after": {"anchor": "created_at", "seconds": 600},
    "session": {"type": "realtime", "model": "gpt-realtime"},
}
BODY = json.dumps(REQUEST, separators=(",", ":")).encode()
HEADERS = {
    "Authorization": f"Bearer {API_KEY}",
    "Content-Type": "application/json",
    "Accept": "application/json",
}

FACADE = "SyncRealtimeClient (facade)"
ASYNC = "RealtimeClient (async)"
OPENAI = "openai OpenAI (sync)"
SYNC_PEERS = (OPENAI, "requests.Session", "httpx.Client")


@dataclass
class Contender:
    """One client under test: how to take n latency samples, and how to clean up."""

    name: str
    measure: Callable[[int], list[float]]
    close: Callable[[], None]
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)


def _sync_samples(call: Callable[[], object]) -> Callable[[int], list[float]]:
    def measure(count: int) -> list[float]:
        samples = []
        for _ in range(count):
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
        return samples

    return measure


def _async_samples(
    runner: asyncio.Runner, call: Callable[[], Awaitable[object]]
) -> Callable[[int], list[float]]:
    async def sample(count: int) -> list[float]:
        samples = []
        for _ in range(count):
            started = time.perf_counter()
            await call()
            samples.append(time.perf_counter() - started)
        return samples

    return lambda count: runner.run(sample(count))


def facade(base_url: str, _runner: asyncio.Runner) -> Contender:
    """The generated sync facade with its defaults."""
    client = SyncRealtimeClient(API_KEY, base_url=base_url)
    return Contender(
        FACADE, _sync_samples(lambda: client.create_realtime_client_secret(REQUEST)), client.close
    )


def async_client(base_url: str, runner: asyncio.Runner) -> Contender:
    """RealtimeClient awaited inside a loop that stays up for the whole run."""
    client = RealtimeClient(API_KEY, base_url=base_url)
    return Contender(
        ASYNC,
        _async_samples(runner, lambda: client.create_realtime_client_secret(REQUEST)),
        lambda: runner.run(client.aclose()),
    )


def raw_aiohttp(base_url: str, runner: asyncio.Runner) -> Contender:
    """The async floor: one shared session, a pre-encoded body, the answer parsed to a dict."""
    url = base_url.rstrip("/") + "/realtime/client_secrets"
    session = runner.run(_open_session())

    async def call() -> object:
        async with session.post(url, data=BODY, headers=HEADERS) as response:
            return _parsed(response.status, await response.read())

    return Contender(
        "raw aiohttp (async floor)",
        _async_samples(runner, call),
        lambda: runner.run(session.close()),
    )


async def _open_session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession()


def runner_on_caller(base_url: str, _runner: asyncio.Runner) -> Contender:
    """The other runtime shape: a RealtimeClient on an asyncio.Runner of the calling thread."""
    own = asyncio.Runner()
    client = RealtimeClient(API_KEY, base_url=base_url)

    def close() -> None:
        own.run(client.aclose())
        own.close()

    return Contender(
        "Runner on calling thread",
        _sync_samples(lambda: own.run(client.create_realtime_client_secret(REQUEST))),
        close,
    )


def asyncio_run_per_call(base_url: str, _runner: asyncio.Runner) -> Contender:
    """The anti-pattern: asyncio.run per call, so a new client and connection every time."""

    async def once() -> object:
        async with RealtimeClient(API_KEY, base_url=base_url) as client:
            return await client.create_realtime_client_secret(REQUEST)

    return Contender("asyncio.run per call", _sync_samples(lambda: asyncio.run(once())), _noop)


def openai_sync(base_url: str, _runner: asyncio.Runner) -> Contender | None:
    """openai-python's sync OpenAI client with its default httpx pool."""
    try:
        from openai import OpenAI  # noqa: PLC0415 - an optional peer
    except ImportError:
        return None
    client = OpenAI(api_key=API_KEY, base_url=base_url, max_retries=0)

    def call() -> object:
        return client.realtime.client_secrets.create(
            expires_after=REQUEST["expires_after"], session=REQUEST["session"]
        )

    return Contender(OPENAI, _sync_samples(call), client.close)


def requests_session(base_url: str, _runner: asyncio.Runner) -> Contender | None:
    """requests with one Session, a pre-encoded body, the answer parsed to a dict."""
    try:
        import requests  # noqa: PLC0415 - an optional peer
    except ImportError:
        return None
    session = requests.Session()
    url = base_url.rstrip("/") + "/realtime/client_secrets"

    def call() -> object:
        response = session.post(url, data=BODY, headers=HEADERS)
        return _parsed(response.status_code, response.content)

    return Contender("requests.Session", _sync_samples(call), session.close)


def httpx_client(base_url: str, _runner: asyncio.Runner) -> Contender | None:
    """httpx's sync Client, a pre-encoded body, the answer parsed to a dict."""
    try:
        import httpx  # noqa: PLC0415 - an optional peer
    except ImportError:
        return None
    client = httpx.Client()
    url = base_url.rstrip("/") + "/realtime/client_secrets"

    def call() -> object:
        response = client.post(url, content=BODY, headers=HEADERS)
        return _parsed(response.status_code, response.content)

    return Contender("httpx.Client", _sync_samples(call), client.close)


def _parsed(status: int, body: bytes) -> object:
    data = json.loads(body)
    if status != 200:
        msg = f"got {status}: {data}"
        raise RuntimeError(msg)
    return data


def _noop() -> None:
    return None


FACTORIES = (
    facade,
    async_client,
    raw_aiohttp,
    runner_on_caller,
    openai_sync,
    requests_session,
    httpx_client,
    asyncio_run_per_call,
)


def _ratio_cell(values: list[float]) -> str:
    return f"{statistics.median(values):5.2f} ({min(values):.2f}-{max(values):.2f})"


def _paired(mine: list[float], base: list[float]) -> list[float]:
    return [a / b for a, b in zip(mine, base, strict=True)]


def _verdict(met: bool) -> str:  # noqa: FBT001 - a tiny formatting helper
    return "met" if met else "MISSED"


def report(made: list[Contender]) -> None:
    """Print absolute medians for context and the paired ratios that carry the result."""
    by_name = {contender.name: contender for contender in made}
    mine, base = by_name[FACADE], by_name[ASYNC]
    print()
    header = (
        f"{'contender':28} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'p50 / async (min-max)':>22} {'p50 / facade (min-max)':>23}"
    )
    print(header)
    print("-" * len(header))
    for contender in made:
        print(
            f"{contender.name:28} {statistics.median(contender.p50) * 1e3:7.3f} "
            f"{statistics.median(contender.p99) * 1e3:7.3f} "
            f"{_ratio_cell(_paired(contender.p50, base.p50)):>22} "
            f"{_ratio_cell(_paired(contender.p50, mine.p50)):>23}"
        )
    print()
    ratio = statistics.median(_paired(mine.p50, base.p50))
    print(f"goal: facade p50 <= 1.25x async client   {ratio:5.2f}x  {_verdict(ratio <= 1.25)}")
    for name in SYNC_PEERS:
        if name not in by_name:
            continue
        speedup = statistics.median(_paired(by_name[name].p50, mine.p50))
        need = 2.0 if name == OPENAI else 1.0
        label = f"facade faster than {name} (>= {need:.0f}x)"
        print(f"goal: {label:36} {speedup:5.2f}x  {_verdict(speedup > need)}")


def run(base_url: str, *, repeats: int, seq: int) -> None:
    """Warm up, then interleave the measurements of every contender."""
    with asyncio.Runner() as runner:
        made: list[Contender] = []
        try:
            for factory in FACTORIES:
                contender = factory(base_url, runner)
                if contender is None:
                    print(f"skipped {factory.__name__}: not installed (pip install -e '.[bench]')")
                else:
                    made.append(contender)
            for contender in made:
                contender.measure(30)
            shuffler = random.Random(20261123)
            for number in range(1, repeats + 1):
                order = made[:]
                shuffler.shuffle(order)
                for contender in order:
                    gc.collect()
                    samples = contender.measure(seq)
                    cuts = statistics.quantiles(samples, n=100, method="inclusive")
                    contender.p50.append(cuts[49])
                    contender.p99.append(cuts[98])
                print(f"repeat {number}/{repeats} done", flush=True)
            report(made)
        finally:
            for contender in made:
                contender.close()


def main() -> None:
    """Parse the options and run the benchmark against a fake in a child process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls and repeats")
    parser.add_argument("--repeats", type=int, help="interleaved repeats (default 9, quick 2)")
    args = parser.parse_args()
    repeats = args.repeats or (2 if args.quick else 9)
    seq = 100 if args.quick else 500
    with serve_in_process() as base_url:
        print(f"fake API at {base_url}; {seq} sequential calls per contender and repeat")
        run(base_url, repeats=repeats, seq=seq)


if __name__ == "__main__":
    main()
