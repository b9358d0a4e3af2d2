"""Side-by-side speed of RealtimeClient, a raw aiohttp floor and openai-python, as ratios.

The fake API runs in another process (``python -m realtime_sdk.testing --port 0``), so the
server's own work does not share a core with the clients being measured. Every contender
makes the same client-secret call. Each repeat runs every contender in a shuffled order
(interleaved), in short windows, measuring:

- throughput: calls per second with 64 calls in flight, and the client process's CPU
  time per call (steadier than wall time on a shared machine);
- sequential latency: p50 of one call at a time (p99 pooled over all repeats).

Ratios are taken within a repeat (so drift of the machine cancels out) and the table
shows their median with the min-max range over repeats. Many short repeats are used
because the machine is shared: a burst of other work spoils one repeat, not the result.

Usage::

    python benchmarks/bench_client.py            # full run, about a minute
    python benchmarks/bench_client.py --quick    # a smoke run in well under a minute
    python benchmarks/bench_client.py --profile  # cProfile of our client's throughput run
"""

import argparse
import asyncio
import contextlib
import cProfile
import io
import json
import pstats
import random
import statistics
import time
import timeit
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from realtime_sdk import RealtimeClient
from realtime_sdk.testing import serve_in_process

API_KEY = "sk-bench-0123456789abcdef"
IN_FLIGHT = 64
REQUEST: dict[str, Any] = {
    "expires_after": {"anchor": "created_at", "seconds": 600},
    "session": {"type": "realtime", "model": "gpt-realtime"},
}

Call = Callable[[], Awaitable[object]]


@dataclass
class Contender:
    """One client under test: how to make a call, and how to clean up."""

    name: str
    call: Call
    close: Callable[[], Awaitable[None]]
    throughput: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    samples: list[float] = field(default_factory=list)


async def raw_aiohttp(base_url: str) -> Contender:
    """The floor: one shared session, a pre-encoded body, the answer parsed to a dict."""
    session = aiohttp.ClientSession()
    url = base_url.rstrip("/") + "/realtime/client_secrets"
    body = json.dumps(REQUEST, separators=(",", ":")).encode()
    headers = {
        "Authorization": f"Bearer {API_KEY}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }

    async def call() -> object:
        async with session.post(url, data=body, headers=headers) as response:
            data = json.loads(await response.read())
            if response.status != 200:
                msg = f"raw aiohttp got {response.status}: {data}"
                raise RuntimeError(msg)
            return data

    return Contender("raw aiohttp (floor)", call, session.close)


async def ours(base_url: str) -> Contender:
    """RealtimeClient with its defaults, given a plain dict."""
    client = RealtimeClient(api_key=API_KEY, base_url=base_url)

    async def call() -> object:
        return await client.create_realtime_client_secret(REQUEST)

    return Contender("realtime_sdk RealtimeClient", call, client.aclose)


async def openai_default(base_url: str) -> Contender | None:
    """openai-python's AsyncOpenAI with its default (httpx) client."""
    try:
        from openai import AsyncOpenAI  # noqa: PLC0415 - an optional peer
    except ImportError:
        return None
    client = AsyncOpenAI(api_key=API_KEY, base_url=base_url)
    return _openai_contender("openai AsyncOpenAI (default)", client)


async def openai_aiohttp(base_url: str) -> Contender | None:
    """openai-python's AsyncOpenAI on its aiohttp-backed client."""
    try:
        from openai import AsyncOpenAI, DefaultAioHttpClient  # noqa: PLC0415 - an optional peer
    except ImportError:
        return None
    client = AsyncOpenAI(api_key=API_KEY, base_url=base_url, http_client=DefaultAioHttpClient())
    return _openai_contender("openai AsyncOpenAI (aiohttp)", client)


def _openai_contender(name: str, client: Any) -> Contender:
    async def call() -> object:
        return await client.realtime.client_secrets.create(
            expires_after=REQUEST["expires_after"], session=REQUEST["session"]
        )

    return Contender(name, call, client.close)


async def throughput(call: Call, seconds: float) -> tuple[float, float]:
    """Calls per second with IN_FLIGHT calls outstanding for a time window, and CPU s per call.

    The window is fixed in time rather than in calls, so slow peers do not stretch the run.
    """
    done = 0
    started = time.perf_counter()
    end = started + seconds

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < end:
            await call()
            done += 1

    cpu_started = time.process_time()
    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
    cpu = (time.process_time() - cpu_started) / done
    return done / (time.perf_counter() - started), cpu


async def latencies(call: Call, count: int, max_seconds: float) -> list[float]:
    """Seconds per call, one call at a time (at least 20 calls, stopping after max_seconds)."""
    samples: list[float] = []
    deadline = time.perf_counter() + max_seconds
    while len(samples) < count and (len(samples) < 20 or time.perf_counter() < deadline):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return samples


@contextlib.asynccontextmanager
async def contenders(base_url: str) -> AsyncIterator[list[Contender]]:
    """Build every available contender; close them all at the end."""
    made: list[Contender] = []
    for factory in (raw_aiohttp, ours, openai_default, openai_aiohttp):
        contender = await factory(base_url)
        if contender is None:
            print(f"skipped {factory.__name__}: not installed (pip install -e '.[bench]')")
        else:
            made.append(contender)
    try:
        yield made
    finally:
        for contender in made:
            await contender.close()


def _ratio_cell(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f} ({min(values):.2f}-{max(values):.2f})"


def _paired(mine: list[float], base: list[float]) -> list[float]:
    return [a / b for a, b in zip(mine, base, strict=True)]


def report(made: list[Contender]) -> None:
    """Print absolute medians for context and the paired ratios that carry the result."""
    floor, mine = made[0], made[1]
    print()
    header = (
        f"{'contender':30} {'calls/s@64':>10} {'x floor (min-max)':>18} "
        f"{'CPU us/call':>11} {'x floor':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'p50 x floor (min-max)':>21}"
    )
    print(header)
    print("-" * len(header))
    for contender in made:
        print(
            f"{contender.name:30} {statistics.median(contender.throughput):10.0f} "
            f"{_ratio_cell(_paired(contender.throughput, floor.throughput)):>18} "
            f"{statistics.median(contender.cpu) * 1e6:11.0f} "
            f"{statistics.median(_paired(contender.cpu, floor.cpu)):7.2f} "
            f"{statistics.median(contender.p50) * 1e3:7.3f} "
            f"{_p99(contender.samples) * 1e3:7.3f} "
            f"{_ratio_cell(_paired(contender.p50, floor.p50)):>21}"
        )
    print()
    tput = statistics.median(_paired(mine.throughput, floor.throughput))
    p50 = statistics.median(_paired(mine.p50, floor.p50))
    print(f"goal: throughput >= 0.90x floor           {tput:5.2f}x  {_verdict(tput >= 0.9)}")
    print(f"goal: sequential p50 <= 1.15x floor       {p50:5.2f}x  {_verdict(p50 <= 1.15)}")
    for peer in made[2:]:
        ratio = statistics.median(_paired(mine.throughput, peer.throughput))
        label = f"throughput >= 3x {peer.name}"
        print(f"goal: {label:35} {ratio:5.2f}x  {_verdict(ratio >= 3.0)}")


def _p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def _verdict(met: bool) -> str:  # noqa: FBT001 - a tiny formatting helper
    return "met" if met else "MISSED"


async def run(base_url: str, *, repeats: int, window: float, seq: int, profile: bool) -> None:
    """Warm up, then interleave the measurements of every contender."""
    async with contenders(base_url) as made:
        for contender in made:
            for _ in range(50):
                await contender.call()
        if profile:
            await _profile(made[1], made[0], window)
            return
        shuffler = random.Random(20260821)
        for number in range(1, repeats + 1):
            for contender in shuffler.sample(made, len(made)):
                rate, cpu = await throughput(contender.call, window)
                contender.throughput.append(rate)
                contender.cpu.append(cpu)
            for contender in shuffler.sample(made, len(made)):
                samples = await latencies(contender.call, seq, window * 2)
                contender.p50.append(statistics.median(samples))
                contender.samples.extend(samples)
            if number % 5 == 0 or number == repeats:
                print(f"repeat {number}/{repeats} done", flush=True)
        report(made)


async def _profile(contender: Contender, floor: Contender, window: float) -> None:
    """cProfile our throughput run, then split our extra time into converter and the rest."""
    await throughput(contender.call, window)  # open the 64 connections outside the profile
    profiler = cProfile.Profile()
    profiler.enable()
    rate, _ = await throughput(contender.call, 2.0)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
    print(f"{contender.name}: {rate:.0f} calls/s under cProfile (slowed by the profiler)")
    print(out.getvalue())
    # Without the profiler: per-call CPU time of the floor, ours, and ours with the
    # converter replaced by bare json (what the models and validation cost on top),
    # interleaved over many rounds because a shared machine is noisy.
    samples: dict[str, list[float]] = {"floor": [], "ours": [], "bare": []}
    for _ in range(15):
        samples["floor"].append((await throughput(floor.call, window))[1] * 1e6)
        samples["ours"].append((await throughput(contender.call, window))[1] * 1e6)
        with _json_only_converter():
            samples["bare"].append((await throughput(contender.call, window))[1] * 1e6)
    for label, pick in (("median", statistics.median), ("min", min)):
        floor_us, ours_us, bare_us = (pick(samples[k]) for k in ("floor", "ours", "bare"))
        print(
            f"client CPU us/call under load ({label} of 15): floor {floor_us:.0f}, ours "
            f"{ours_us:.0f} (+{ours_us - floor_us:.0f}: converter {ours_us - bare_us:.0f}, "
            f"client {bare_us - floor_us:.0f})"
        )
    _codec_costs(await floor.call())


def _codec_costs(answer: object) -> None:
    """Per-call cost of the converter against bare json, measured in isolation (no I/O)."""
    from realtime_sdk import _converter, models  # noqa: PLC0415 - diagnostics only

    body = json.dumps(answer).encode()
    request_cls = models.RealtimeCreateClientSecretRequest
    response_cls = models.RealtimeCreateClientSecretResponse
    cases = {
        "dumps_request(dict)": lambda: _converter.dumps_request(REQUEST, request_cls),
        "json.dumps": lambda: json.dumps(REQUEST, separators=(",", ":")).encode(),
        "loads_response": lambda: _converter.loads_response(body, response_cls),
        "json.loads": lambda: json.loads(body),
    }
    costs = {
        name: min(timeit.repeat(case, number=2000, repeat=7)) / 2000 * 1e6
        for name, case in cases.items()
    }
    print(
        "codec in isolation (min of 7, us/call): "
        + ", ".join(f"{name} {cost:.1f}" for name, cost in costs.items())
    )
    extra = (
        costs["dumps_request(dict)"]
        - costs["json.dumps"]
        + costs["loads_response"]
        - costs["json.loads"]
    )
    print(f"  typed models and validation add {extra:.0f} us per call over bare json")


@contextlib.contextmanager
def _json_only_converter() -> Any:
    """Swap the client's converter functions for plain json, to measure what they cost."""
    from realtime_sdk import _client  # noqa: PLC0415 - diagnostics only

    saved = _client.dumps_request, _client.loads_response
    _client.dumps_request = lambda request, _cls: json.dumps(
        request, separators=(",", ":")
    ).encode()  # type: ignore[assignment]
    _client.loads_response = lambda data, _cls: json.loads(data)  # type: ignore[assignment]
    try:
        yield
    finally:
        _client.dumps_request, _client.loads_response = saved


def main() -> None:
    """Parse the options and run the benchmark against a fake in a child process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls and repeats")
    parser.add_argument("--repeats", type=int, help="interleaved repeats (default 15, quick 5)")
    parser.add_argument("--profile", action="store_true", help="cProfile our throughput run")
    parser.add_argument(
        "--window",
        type=float,
        help="seconds of each throughput window (default 0.3, quick 0.2); longer is steadier",
    )
    args = parser.parse_args()
    repeats = args.repeats or (5 if args.quick else 15)
    window = args.window or (0.2 if args.quick else 0.3)
    seq = 40 if args.quick else 80
    with serve_in_process() as base_url:
        print(
            f"fake API at {base_url}; {repeats} interleaved repeats of: {IN_FLIGHT} in flight "
            f"for {window:.1f} s, then up to {seq} sequential calls, each"
        )
        asyncio.run(run(base_url, repeats=repeats, window=window, seq=seq, profile=args.profile))


if __name__ == "__main__":
    main()
