"""Sequential latency of SyncRealtimeClient beside httpx, requests and the async paths.

Every contender makes the same client-secret call, one at a time, to the minimal answering
server in its own process (`answering_server.py`, pinned to the other core where the OS
allows; its CPU use is printed beside each row):

- SyncRealtimeClient (the facade: a private loop thread per client), the reference;
- httpx's sync ``Client`` and ``requests.Session``, each with its headers set once, a
  pre-encoded body and ``json.loads`` of the answer (skipped when not installed);
- openai-python's sync ``OpenAI`` (skipped when not installed);
- RealtimeClient awaited in a running loop (what the facade wraps), and raw aiohttp (the
  async floor: headers on the session, a pre-encoded body, ``json.loads``);
- a RealtimeClient driven by an ``asyncio.Runner`` on the calling thread, and the
  anti-pattern ``asyncio.run`` per call with a new RealtimeClient each time.

Each repeat measures the facade and every other contender in adjacent batches (which goes
first alternates), so a ratio compares two batches taken moments apart; the table shows the
median of those per-pair ratios with their min-max.

Usage::

    python benchmarks/bench_sync.py            # full run, under a minute
    python benchmarks/bench_sync.py --quick    # a smoke run, under 20 s
"""

import argparse
import asyncio
import gc
import importlib.util
import json
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import answering_server
import common

BODY = json.dumps(common.REQUEST, separators=(",", ":")).encode()
HEADERS = {
    "Authorization": f"Bearer {common.API_KEY}",
    "Content-Type": "application/json",
    "Accept": "application/json",
}
FACADE = "SyncRealtimeClient (facade)"
HTTPX = "httpx.Client"
REQUESTS = "requests.Session"
TRANSLATION = "facade, translation secret"


@dataclass
class Contender:
    """One client under test: how to take n latency samples, and how to clean up."""

    name: str
    measure: Callable[[int], list[float]]
    close: Callable[[], None]
    p50: list[float] = field(default_factory=list)
    facade_p50: list[float] = field(default_factory=list)
    samples: list[float] = field(default_factory=list)
    server: list[float] = field(default_factory=list)


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


def _parsed(status: int, body: bytes) -> object:
    data = json.loads(body)
    if status != 200:
        msg = f"got {status}: {data}"
        raise RuntimeError(msg)
    return data


def facade(base_url: str, _runner: asyncio.Runner) -> Contender:
    """The generated sync facade with its defaults."""
    from realtime_sdk import SyncRealtimeClient  # noqa: PLC0415 - imported where measured

    client = SyncRealtimeClient(api_key=common.API_KEY, base_url=base_url)
    return Contender(
        FACADE,
        _sync_samples(lambda: client.create_realtime_client_secret(common.REQUEST)),
        client.close,
    )


def httpx_client(base_url: str, _runner: asyncio.Runner) -> Contender | None:
    """httpx's sync Client: headers set once, a pre-encoded body, json.loads."""
    if importlib.util.find_spec("httpx") is None:
        return None
    import httpx  # noqa: PLC0415 - an optional peer

    client = httpx.Client(headers=HEADERS)
    url = base_url + "/realtime/client_secrets"

    def call() -> object:
        response = client.post(url, content=BODY)
        return _parsed(response.status_code, response.content)

    return Contender(HTTPX, _sync_samples(call), client.close)


def requests_session(base_url: str, _runner: asyncio.Runner) -> Contender | None:
    """requests with one Session: headers set once, a pre-encoded body, json.loads."""
    if importlib.util.find_spec("requests") is None:
        return None
    import requests  # noqa: PLC0415 - an optional peer

    session = requests.Session()
    session.headers.update(HEADERS)
    url = base_url + "/realtime/client_secrets"

    def call() -> object:
        response = session.post(url, data=BODY)
        return _parsed(response.status_code, response.content)

    return Contender(REQUESTS, _sync_samples(call), session.close)


def openai_sync(base_url: str, _runner: asyncio.Runner) -> Contender | None:
    """openai-python's sync OpenAI client with its default httpx pool."""
    if importlib.util.find_spec("openai") is None:
        return None
    from openai import OpenAI  # noqa: PLC0415 - an optional peer

    client = OpenAI(api_key=common.API_KEY, base_url=base_url, max_retries=0)

    def call() -> object:
        return client.realtime.client_secrets.create(
            expires_after=common.REQUEST["expires_after"], session=common.REQUEST["session"]
        )

    return Contender("openai OpenAI (sync)", _sync_samples(call), client.close)


def async_client(base_url: str, runner: asyncio.Runner) -> Contender:
    """RealtimeClient awaited inside a loop that stays up for the whole run."""
    from realtime_sdk import RealtimeClient  # noqa: PLC0415 - imported where measured

    client = RealtimeClient(api_key=common.API_KEY, base_url=base_url)
    return Contender(
        "RealtimeClient (async)",
        _async_samples(runner, lambda: client.create_realtime_client_secret(common.REQUEST)),
        lambda: runner.run(client.aclose()),
    )


def raw_aiohttp(base_url: str, runner: asyncio.Runner) -> Contender:
    """The async floor: headers on the session, a pre-encoded body, json.loads."""
    import aiohttp  # noqa: PLC0415 - imported where measured

    async def open_session() -> aiohttp.ClientSession:
        return aiohttp.ClientSession(headers=HEADERS)

    session = runner.run(open_session())
    url = base_url + "/realtime/client_secrets"

    async def call() -> object:
        async with session.post(url, data=BODY) as response:
            return _parsed(response.status, await response.read())

    return Contender(
        "raw aiohttp (async floor)",
        _async_samples(runner, call),
        lambda: runner.run(session.close()),
    )


def runner_on_caller(base_url: str, _runner: asyncio.Runner) -> Contender:
    """The other runtime shape: a RealtimeClient on an asyncio.Runner of the calling thread."""
    from realtime_sdk import RealtimeClient  # noqa: PLC0415 - imported where measured

    own = asyncio.Runner()
    client = RealtimeClient(api_key=common.API_KEY, base_url=base_url)

    def close() -> None:
        own.run(client.aclose())
        own.close()

    return Contender(
        "Runner on calling thread",
        _sync_samples(lambda: own.run(client.create_realtime_client_secret(common.REQUEST))),
        close,
    )


def asyncio_run_per_call(base_url: str, _runner: asyncio.Runner) -> Contender:
    """The anti-pattern: asyncio.run per call, so a new client and connection every time."""
    from realtime_sdk import RealtimeClient  # noqa: PLC0415 - imported where measured

    async def once() -> object:
        async with RealtimeClient(api_key=common.API_KEY, base_url=base_url) as client:
            return await client.create_realtime_client_secret(common.REQUEST)

    return Contender("asyncio.run per call", _sync_samples(lambda: asyncio.run(once())), _noop)


def translation_secret(base_url: str, _runner: asyncio.Runner) -> Contender:
    """The facade minting a translation key: how its cost compares to a realtime key's."""
    from realtime_sdk import SyncRealtimeClient  # noqa: PLC0415 - imported where measured

    client = SyncRealtimeClient(api_key=common.API_KEY, base_url=base_url)
    return Contender(
        TRANSLATION,
        _sync_samples(
            lambda: client.create_realtime_translation_client_secret(common.TRANSLATION_REQUEST)
        ),
        client.close,
    )


def _noop() -> None:
    return None


FACTORIES = (
    httpx_client,
    requests_session,
    openai_sync,
    async_client,
    raw_aiohttp,
    runner_on_caller,
    asyncio_run_per_call,
    translation_secret,
)


def _batch(contender: Contender, count: int, server: answering_server.Server) -> float:
    """One batch: the p50 of `count` calls; the samples and the server's CPU use are kept."""
    gc.collect()
    meter = answering_server.CpuMeter(server)
    samples = contender.measure(count)
    contender.server.append(meter.share())
    contender.samples.extend(samples)
    return statistics.median(samples)


def run(server: answering_server.Server, *, repeats: int, seq: int, skip: set[str]) -> None:
    """Build every contender, warm them up, then pair the facade with each in turn."""
    with asyncio.Runner() as runner:
        mine = facade(server.base_url, runner)
        made: list[Contender] = []
        try:
            for factory in FACTORIES:
                if factory.__name__ in skip:
                    continue
                contender = factory(server.base_url, runner)
                if contender is None:
                    print(f"skipped {factory.__name__}: not installed (pip install -e '.[bench]')")
                else:
                    made.append(contender)
            for contender in (mine, *made):
                contender.measure(30)
            shuffler = random.Random(20261202)
            for number in range(repeats):
                for contender in shuffler.sample(made, len(made)):
                    pair = (mine, contender) if number % 2 == 0 else (contender, mine)
                    p50s = {who.name: _batch(who, seq, server) for who in pair}
                    contender.p50.append(p50s[contender.name])
                    contender.facade_p50.append(p50s[FACADE])
                print(f"repeat {number + 1}/{repeats} done", flush=True)
        finally:
            for contender in (mine, *made):
                contender.close()
    report(mine, made)


def report(mine: Contender, made: list[Contender]) -> None:
    """Absolute medians for context; the paired ratios carry the result."""
    print()
    json_note = "orjson" if common.orjson_loaded() else "stdlib"
    print(f"the SDK's JSON in this process: {json_note}")
    header = (
        f"{'contender':28} {'p50 ms':>7} {'p99 ms':>7} {'server CPU':>10} "
        f"{'facade / this (min-max)':>24}"
    )
    print(header)
    print("-" * len(header))
    for contender in (mine, *made):
        ratios = common.paired(contender.facade_p50, contender.p50) if contender.p50 else []
        p50 = statistics.median(contender.p50 or [statistics.median(contender.samples)])
        share = (
            f"{statistics.median(contender.server) * 100:.0f}% ({max(contender.server) * 100:.0f})"
        )
        cell = common.ratio_cell(ratios) if ratios else "1.00"
        print(
            f"{contender.name:28} {p50 * 1e3:7.3f} {_p99(contender.samples) * 1e3:7.3f} "
            f"{share:>10} {cell:>24}"
        )
    print(
        "(server CPU: the server process's CPU seconds / wall seconds in those batches, median (max))"
    )
    print()
    by_name = {contender.name: contender for contender in made}
    for name in (HTTPX, REQUESTS):
        if name in by_name:
            ratio = statistics.median(common.paired(by_name[name].facade_p50, by_name[name].p50))
            print(common.goal_line(f"facade p50 below {name}'s (< 1.00x)", ratio, met=ratio < 1.0))


def _p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run, under 20 s")
    parser.add_argument("--repeats", type=int, help="repeats of every pair (default 9, quick 3)")
    parser.add_argument("--seq", type=int, help="calls per batch (default 300, quick 100)")
    parser.add_argument(
        "--no-pin", action="store_true", help="do not pin client and server to cores"
    )
    options = parser.parse_args()
    repeats = options.repeats or (3 if options.quick else 9)
    seq = options.seq or (100 if options.quick else 300)
    # The quick run leaves out openai-python: importing it alone takes seconds.
    skip = {"openai_sync"} if options.quick else set()
    client_core, server_core = common.cores() if not options.no_pin else (None, None)
    common.pin(client_core)
    with answering_server.running(server_core) as server:
        print(
            f"server {server.base_url} on {server.loop}; {common.pinning_note(client_core, server_core)}; "
            f"{seq} sequential calls per batch; python {sys.version.split()[0]}"
        )
        run(server, repeats=repeats, seq=seq, skip=skip)


if __name__ == "__main__":
    main()
