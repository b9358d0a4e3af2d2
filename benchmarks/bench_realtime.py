"""Realtime connections: events received per second on one connection, and idle-connection memory.

One run, side by side, against `realtime_server.py` in its own process (pre-framed events
written in one go, so it is never the bottleneck; its CPU use is printed beside each row):

- events/s: a raw aiohttp ``ws_connect`` loop with ``json.loads`` per message (the floor),
  `RealtimeConnection` (``async for event in connection``: an event object per message), and
  openai-python's ``client.realtime.connect`` (skipped when not installed). Each repeat runs
  every contender once, in alternating order; ratios are per repeat, median (min-max).
- memory: 1,000 idle open connections in a fresh process per contender, the growth of its
  resident memory divided by the count: raw aiohttp (a connector of the same size, and the
  task per connection that reads it, as any program that uses a connection has) vs
  realtime_sdk (its reader task and bounded queue per connection).
- start-up: whether ``import realtime_sdk`` loaded the connection modules (it must not).

Usage::

    python benchmarks/bench_realtime.py            # full run, about a minute
    python benchmarks/bench_realtime.py --quick    # a smoke run, under 30 s
"""

import argparse
import asyncio
import contextlib
import gc
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import aiohttp
import common

HERE = Path(__file__).resolve().parent
KEY = "sk-bench-0123456789"
RAW = "raw aiohttp ws_connect + json.loads (floor)"
SDK = "RealtimeConnection (realtime_sdk)"
OPENAI = "openai-python realtime connection"


@contextlib.contextmanager
def server(core: int | None) -> Iterator[int]:
    command = [sys.executable, str(HERE / "realtime_server.py")]
    if core is not None:
        command += ["--core", str(core)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603 - our own script
    try:
        assert process.stdout is not None
        yield int(process.stdout.readline())
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


def server_cpu(port: int) -> float:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_bench/cpu", timeout=10) as answer:
        return float(json.load(answer)["cpu"])


def raw_loop(session: aiohttp.ClientSession) -> Callable[[int, int], Awaitable[int]]:
    """The floor: one pooled session, ``ws_connect``, ``json.loads`` of each text message."""

    async def run(port: int, count: int) -> int:
        url = f"http://127.0.0.1:{port}/v1/realtime?model=bench&n={count}"
        received = 0
        async with session.ws_connect(url, headers={"Authorization": f"Bearer {KEY}"}) as ws:
            async for message in ws:
                if message.type is aiohttp.WSMsgType.TEXT:
                    json.loads(message.data)
                    received += 1
        return received

    return run


def sdk_loop(client: object) -> Callable[[int, int], Awaitable[int]]:
    async def run(_port: int, count: int) -> int:
        from realtime_sdk import RealtimeClient  # noqa: PLC0415

        assert isinstance(client, RealtimeClient)
        received = 0
        async with client.connect(model="bench", extra_query={"n": count}) as connection:
            async for event in connection:
                received += event.type is not None
        return received

    return run


def openai_loop(port: int) -> Callable[[int, int], Awaitable[int]] | None:
    if importlib.util.find_spec("openai") is None or importlib.util.find_spec("websockets") is None:
        return None
    from openai import AsyncOpenAI  # noqa: PLC0415 - a peer, from the bench extra

    async def run(_: int, count: int) -> int:
        client = AsyncOpenAI(
            api_key=KEY,
            base_url=f"http://127.0.0.1:{port}/v1",
            websocket_base_url=f"ws://127.0.0.1:{port}/v1",
        )
        received = 0
        async with client.realtime.connect(
            model="bench", extra_query={"n": str(count)}
        ) as connection:
            async for _event in connection:
                received += 1
        await client.close()
        return received

    return run


async def throughput(
    port: int, count: int, repeats: int
) -> dict[str, tuple[list[float], list[float]]]:
    """events/s and the server's CPU share per repeat, for each contender."""
    from realtime_sdk import RealtimeClient  # noqa: PLC0415

    results: dict[str, tuple[list[float], list[float]]] = {}
    async with (
        aiohttp.ClientSession() as session,
        RealtimeClient(KEY, base_url=f"http://127.0.0.1:{port}/v1") as client,
    ):
        contenders: dict[str, Callable[[int, int], Awaitable[int]]] = {
            RAW: raw_loop(session),
            SDK: sdk_loop(client),
        }
        peer = openai_loop(port)
        if peer is not None:
            contenders[OPENAI] = peer
        for run in contenders.values():  # warm-up
            await run(port, min(count, 2000))
        for repeat in range(repeats):
            order = list(contenders.items())
            if repeat % 2:
                order.reverse()
            for name, run in order:
                gc.collect()
                cpu = server_cpu(port)
                started = time.perf_counter()
                got = await run(port, count)
                elapsed = time.perf_counter() - started
                used = server_cpu(port) - cpu
                if got != count:
                    msg = f"{name} received {got} of {count} events"
                    raise RuntimeError(msg)
                rates, shares = results.setdefault(name, ([], []))
                rates.append(count / elapsed)
                shares.append(used / elapsed)
    return results


def resident_kib() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:  # noqa: PTH123 - a procfs read
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


async def drain(ws: aiohttp.ClientWebSocketResponse) -> None:
    async for message in ws:
        if message.type is aiohttp.WSMsgType.TEXT:
            json.loads(message.data)


async def hold_idle(kind: str, port: int, count: int) -> float:
    """KiB of resident memory per idle open connection (run in a fresh process)."""
    url = f"http://127.0.0.1:{port}/v1/realtime?model=bench&idle=1"
    headers = {"Authorization": f"Bearer {KEY}"}
    if kind == "raw":
        # The plain loop a user writes: each connection read by a task of its own (without
        # one, server pings would go unanswered and events would pile up unread).
        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=count + 10))
        readers: list[tuple[aiohttp.ClientWebSocketResponse, asyncio.Task[None]]] = []

        async def open_raw() -> None:
            ws = await session.ws_connect(url, headers=headers, heartbeat=20.0)
            readers.append((ws, asyncio.create_task(drain(ws))))

        await open_raw()
        gc.collect()
        before = resident_kib()
        for _ in range(count):
            await open_raw()
        gc.collect()
        after = resident_kib()
        for ws, task in readers:
            await ws.close()
            await task
        await session.close()
        return (after - before) / count
    from realtime_sdk import RealtimeClient  # noqa: PLC0415

    async with RealtimeClient(
        KEY, base_url=f"http://127.0.0.1:{port}/v1", max_connections=count + 10
    ) as client:
        idle: dict[str, str | int | float] = {"idle": 1}
        connections = [await client.connect(model="bench", extra_query=idle).enter()]
        gc.collect()
        before = resident_kib()
        for _ in range(count):
            connections.append(await client.connect(model="bench", extra_query=idle).enter())  # noqa: PERF401 - one at a time, awaited
        gc.collect()
        after = resident_kib()
        for connection in connections:
            await connection.close()
    return (after - before) / count


def memory(port: int, count: int, repeats: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {"raw": [], "sdk": []}
    for _ in range(repeats):
        for kind, figures in results.items():
            done = subprocess.run(  # noqa: S603 - this script, a fresh process per figure
                [
                    sys.executable,
                    __file__,
                    "--hold",
                    kind,
                    "--port",
                    str(port),
                    "--count",
                    str(count),
                ],
                capture_output=True,
                text=True,
                timeout=300,
                check=True,
            )
            figures.append(float(done.stdout.strip().splitlines()[-1]))
    return results


def import_loads_connections() -> bool:
    code = "import sys, realtime_sdk; print('realtime_sdk._realtime' in sys.modules)"
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip() == "True"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run (fewer events, repeats and connections)"
    )
    parser.add_argument("--hold", choices=["raw", "sdk"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.hold:
        print(asyncio.run(hold_idle(args.hold, args.port, args.count)))
        return
    events, repeats, idle, idle_repeats = (3000, 3, 200, 1) if args.quick else (20000, 7, 1000, 3)
    client_core, server_core = common.cores()
    with server(server_core) as port:
        common.pin(client_core)
        print(
            f"server ws://127.0.0.1:{port}/v1/realtime; {common.pinning_note(client_core, server_core)}"
        )
        rates = asyncio.run(throughput(port, events, repeats))
        print(
            f"\nevents received per second on one connection ({events} events, {repeats} repeats)"
        )
        print(f"{'contender':46} {'events/s':>10}  {'vs floor':18} {'server CPU':>10}")
        floor = rates[RAW][0]
        for name, (per_s, shares) in rates.items():
            ratio = common.ratio_cell(common.paired(per_s, floor))
            print(
                f"{name:46} {statistics.median(per_s):10.0f}  {ratio:18} {statistics.median(shares):9.0%}"
            )
        sdk_vs_raw = statistics.median(common.paired(rates[SDK][0], floor))
        print(
            common.goal_line(
                "realtime_sdk events/s >= 0.6x raw aiohttp", sdk_vs_raw, met=sdk_vs_raw >= 0.6
            )
        )
        if OPENAI in rates:
            sdk_vs_openai = statistics.median(common.paired(rates[SDK][0], rates[OPENAI][0]))
            print(
                common.goal_line(
                    "realtime_sdk events/s >= 3x openai-python",
                    sdk_vs_openai,
                    met=sdk_vs_openai >= 3,
                )
            )
        else:
            print(
                "goal: realtime_sdk events/s >= 3x openai-python: skipped (pip install 'openai[realtime]')"
            )
        kib = memory(port, idle, idle_repeats)
        print(f"\n{idle} idle open connections: resident memory per connection")
        print(f"{'raw aiohttp ws_connect':46} {statistics.median(kib['raw']):8.1f} KiB  1.00")
        mem_ratio = statistics.median(common.paired(kib["sdk"], kib["raw"]))
        print(
            f"{'RealtimeConnection (realtime_sdk)':46} {statistics.median(kib['sdk']):8.1f} KiB  {common.ratio_cell(common.paired(kib['sdk'], kib['raw']))}"
        )
        print(
            common.goal_line(
                "memory per idle connection <= 1.3x raw aiohttp", mem_ratio, met=mem_ratio <= 1.3
            )
        )
    print(
        f"\nimport realtime_sdk loads the connection modules: {'yes' if import_loads_connections() else 'no'}"
    )


if __name__ == "__main__":
    main()
