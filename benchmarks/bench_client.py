"""Async client speed beside the fastest plain aiohttp loop, in adjacent windows, as ratios.

Every contender makes the same client-secret call to a minimal answering server in its
own process (`answering_server.py`: one pre-encoded answer, uvloop when installed, pinned
to the other core where the OS allows; its CPU use is printed beside each row, so you can
see it is never the bottleneck). Each contender runs in a child process of its own, pinned
to the client core, and only one runs at a time:

- raw aiohttp (the floor): one ``ClientSession`` with the headers set once on it, a
  pre-encoded body passed as ``data=``, ``json.loads(await resp.read())``;
- ``RealtimeClient``, stdlib JSON: a child where ``import orjson`` fails;
- ``RealtimeClient``, speedups: a child where orjson is importable (skipped when it is not
  installed; the JSON column says whether the SDK imported it);
- ``RealtimeClient``, free codec (``--instructions`` only): the request is sent as the
  floor's pre-encoded bytes and the answer read with ``json.loads`` alone, so what is
  left beyond the floor is the client's machinery (retry loop, deadline, pool place,
  error mapping, size cap);
- optionally openai-python's ``AsyncOpenAI`` on its default and its aiohttp client.

The floor and each contender run in adjacent windows (which goes first alternates), and
the table shows the median of the per-pair ratios with their min-max: single windows
swing by 15% on a shared 2-core machine, pairs much less. Throughput is calls per second
with 64 calls in flight (plus the client's CPU time per call); sequential is the p50 of
one call at a time, paired the same way.

Usage::

    python benchmarks/bench_client.py            # full run, two to three minutes
    python benchmarks/bench_client.py --quick    # a smoke run, under 20 s
    python benchmarks/bench_client.py --profile  # where a call's CPU time goes, against the floor
    python benchmarks/bench_client.py --instructions  # instructions per call (callgrind), ratios

Wall-clock ratios swing with whatever else the machine runs; instruction counts do not.
``--instructions`` runs each contender twice under ``valgrind --tool=callgrind`` (the server
runs natively beside it), once making N1 calls and once N2 at 64 in flight after the same
warm-up, and reports ``(Ir(N2) - Ir(N1)) / (N2 - N1)``: the cost of one call, with start-up,
imports and warm-up cancelled out.
"""

import argparse
import asyncio
import cProfile
import functools
import json
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import answering_server
import common

IN_FLIGHT = 64
FLOOR = "floor"
# Issue #22: calls/s at 64 in flight at least 0.72x the floor, sequential p50 at most 1.15x.
GOALS = {"sdk-stdlib": 0.72, "sdk-speedups": 0.72}
# Issue #22, instructions per call: the whole call (stdlib JSON) at most 1.30x the floor's,
# the client's machinery alone (the codec swapped for a free one) at most 1.08x.
INSTRUCTION_GOALS = {"sdk-stdlib": 1.30, "sdk-free-codec": 1.08}
SEQ_GOAL = 1.15
LABELS = {
    FLOOR: "raw aiohttp (floor)",
    "sdk-stdlib": "RealtimeClient, stdlib JSON",
    "sdk-speedups": "RealtimeClient, speedups",
    "sdk-free-codec": "RealtimeClient, free codec",
    "openai-aiohttp": "openai AsyncOpenAI (aiohttp)",
    "openai-default": "openai AsyncOpenAI (default)",
}
JSON_OF = {"sdk-stdlib": "stdlib", "sdk-speedups": "speedups", "sdk-free-codec": "stdlib"}

Call = Callable[[], Awaitable[object]]


# --- the contenders (built inside a worker's event loop) -------------------------------


async def build(kind: str, base_url: str) -> tuple[Call, Callable[[], Awaitable[None]]]:
    """A call and a close for one kind of contender."""
    if kind == FLOOR:
        return await _floor(base_url)
    if kind.startswith("sdk-"):
        from realtime_sdk import RealtimeClient  # noqa: PLC0415 - after the JSON mode is set

        if kind == "sdk-free-codec":
            _free_codec()
        client = RealtimeClient(api_key=common.API_KEY, base_url=base_url)
        # The method's own coroutine, as the floor's `call` is: a wrapper coroutine around
        # it would charge the client for a frame the benchmark adds.
        return functools.partial(
            client.create_realtime_client_secret, common.REQUEST
        ), client.aclose
    return _openai(kind, base_url)


def _free_codec() -> None:
    """Swap the client's codec for the floor's own work: the machinery alone is then measured.

    The request is not checked or encoded (the floor's pre-encoded bytes are sent) and the
    answer is read with ``json.loads`` only, exactly as the floor does; everything else
    (retry loop, deadline, pool place, error mapping, size cap, request id masking) runs.
    """
    from realtime_sdk._client import _answers, _binding  # noqa: PLC0415 - the codec's seams

    body = json.dumps(common.REQUEST, separators=(",", ":")).encode()
    _binding.dumps_request = lambda _request, _model: body  # type: ignore[assignment]
    _answers.loads_response = lambda raw, _model: json.loads(raw)  # type: ignore[assignment]


async def _floor(base_url: str) -> tuple[Call, Callable[[], Awaitable[None]]]:
    """The fastest plain aiohttp loop: headers on the session, pre-encoded body, json.loads."""
    import aiohttp  # noqa: PLC0415 - imported in the worker only

    session = aiohttp.ClientSession(
        headers={
            "Authorization": f"Bearer {common.API_KEY}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
    )
    url = base_url + "/realtime/client_secrets"
    body = json.dumps(common.REQUEST, separators=(",", ":")).encode()

    async def call() -> object:
        async with session.post(url, data=body) as response:
            data = json.loads(await response.read())
            if response.status != 200:
                msg = f"raw aiohttp got {response.status}: {data}"
                raise RuntimeError(msg)
            return data

    return call, session.close


def _openai(kind: str, base_url: str) -> tuple[Call, Callable[[], Awaitable[None]]]:
    from openai import AsyncOpenAI, DefaultAioHttpClient  # noqa: PLC0415 - an optional peer

    http: Any = DefaultAioHttpClient() if kind == "openai-aiohttp" else None
    client = AsyncOpenAI(api_key=common.API_KEY, base_url=base_url, http_client=http)

    async def call() -> object:
        return await client.realtime.client_secrets.create(
            expires_after=common.REQUEST["expires_after"], session=common.REQUEST["session"]
        )

    return call, client.close


# --- measurements -----------------------------------------------------------------------


async def warm(call: Call) -> None:
    """Open (or reopen) the pool: two rounds of IN_FLIGHT calls at once."""
    for _ in range(2):
        await asyncio.gather(*(call() for _ in range(IN_FLIGHT)))


async def throughput(call: Call, seconds: float) -> dict[str, float]:
    """IN_FLIGHT calls outstanding for a fixed window: calls, wall and client CPU seconds."""
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
    return {
        "calls": done,
        "wall": time.perf_counter() - started,
        "cpu": time.process_time() - cpu_started,
    }


async def sequential(call: Call, count: int) -> dict[str, float]:
    """The p50 of `count` calls made one at a time."""
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return {"p50": statistics.median(samples)}


def worker_main(kind: str, base_url: str, core: int | None) -> None:
    """A child process for one contender: build it, then answer the driver's commands."""
    common.pin(core)
    if kind in JSON_OF:
        common.choose_json(JSON_OF[kind])
    with asyncio.Runner() as runner:
        call, close = runner.run(build(kind, base_url))
        runner.run(warm(call))

        def handle(command: dict[str, Any]) -> dict[str, Any]:
            op = command["op"]
            if op == "warm":
                runner.run(warm(call))
                return {"ok": True}
            if op == "throughput":
                return runner.run(throughput(call, command["seconds"]))
            if op == "seq":
                return runner.run(sequential(call, command["count"]))
            if op == "info":
                return {"orjson_loaded": common.orjson_loaded()}
            msg = f"unknown op {op!r}"
            raise ValueError(msg)

        try:
            common.serve_commands(handle)
        finally:
            runner.run(close())


async def fixed_calls(call: Call, count: int) -> None:
    """Exactly `count` calls, IN_FLIGHT of them outstanding at a time."""
    left = count

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            await call()

    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))


def count_worker_main(kind: str, base_url: str, calls: int) -> None:
    """A child run under callgrind: build, warm up, make `calls` calls, close, exit."""
    if kind in JSON_OF:
        common.choose_json(JSON_OF[kind])

    async def body() -> None:
        call, close = await build(kind, base_url)
        try:
            await warm(call)
            await fixed_calls(call, calls)
        finally:
            await close()

    asyncio.run(body())


# --- the driver -------------------------------------------------------------------------


@dataclass
class Row:
    """What one contender's windows gave, with the floor windows adjacent to them."""

    kind: str
    json: str = ""
    rate: list[float] = field(default_factory=list)
    floor_rate: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    floor_cpu: list[float] = field(default_factory=list)
    server: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    floor_p50: list[float] = field(default_factory=list)


def _available(kinds: list[str]) -> list[str]:
    import importlib.util  # noqa: PLC0415 - the driver only looks, never imports

    kept = []
    for kind in kinds:
        if kind == "sdk-speedups" and not common.orjson_installed():
            print(
                "skipped RealtimeClient, speedups: orjson is not installed (pip install -e '.[bench]')"
            )
        elif kind.startswith("openai") and importlib.util.find_spec("openai") is None:
            print(f"skipped {LABELS[kind]}: openai is not installed (pip install -e '.[bench]')")
        else:
            kept.append(kind)
    return kept


def run(options: argparse.Namespace) -> None:
    client_core, server_core = common.cores() if not options.no_pin else (None, None)
    common.pin(client_core)
    kinds = ["sdk-stdlib", "sdk-speedups"]
    if options.peers:
        kinds += ["openai-aiohttp", "openai-default"]
    kinds = _available(kinds)
    with answering_server.running(server_core) as server:
        print(
            f"server {server.base_url} on {server.loop}; {common.pinning_note(client_core, server_core)}"
        )
        print(
            f"{options.pairs} pairs of {options.window:.1f} s windows at {IN_FLIGHT} in flight, "
            f"and of {options.seq} sequential calls, per contender; python {sys.version.split()[0]}"
        )
        script = str(Path(__file__).resolve())
        workers: dict[str, common.Worker] = {}
        try:
            for kind in [FLOOR, *kinds]:
                command = [sys.executable, script, "--worker", kind, "--url", server.base_url]
                if client_core is not None:
                    command += ["--core", str(client_core)]
                workers[kind] = common.Worker(command)
            rows = {kind: Row(kind) for kind in kinds}
            floor_server: list[float] = []
            _measure(options, server, workers, rows, floor_server)
            for kind, row in rows.items():  # asked after the calls: the SDK may import lazily
                row.json = _json_label(kind, loaded=workers[kind].ask(op="info")["orjson_loaded"])
        finally:
            for worker in workers.values():
                worker.close()
    report(list(rows.values()), floor_server)


def _json_label(kind: str, *, loaded: bool) -> str:
    if kind not in JSON_OF:
        return "-"
    if JSON_OF[kind] == "stdlib":
        return "stdlib"  # orjson cannot be imported in that child
    return "orjson" if loaded else "orjson unused"


def _measure(
    options: argparse.Namespace,
    server: answering_server.Server,
    workers: dict[str, common.Worker],
    rows: dict[str, Row],
    floor_server: list[float],
) -> None:
    shuffler = random.Random(20261202)
    for number in range(options.pairs):
        for kind in shuffler.sample(list(rows), len(rows)):
            row = rows[kind]
            order = [FLOOR, kind] if number % 2 == 0 else [kind, FLOOR]
            got: dict[str, dict[str, float]] = {}
            for who in order:
                workers[who].ask(op="warm")
                meter = answering_server.CpuMeter(server)
                got[who] = workers[who].ask(op="throughput", seconds=options.window)
                (floor_server if who == FLOOR else row.server).append(meter.share())
            for who, rates, cpus in (
                (FLOOR, row.floor_rate, row.floor_cpu),
                (kind, row.rate, row.cpu),
            ):
                rates.append(got[who]["calls"] / got[who]["wall"])
                cpus.append(got[who]["cpu"] / got[who]["calls"])
            for who in order:
                p50 = workers[who].ask(op="seq", count=options.seq)["p50"]
                (row.floor_p50 if who == FLOOR else row.p50).append(p50)
        print(f"pair {number + 1}/{options.pairs} done", flush=True)


def report(rows: list[Row], floor_server: list[float]) -> None:
    """The table of paired ratios, then the goals."""
    print()
    header = (
        f"{'contender':29} {'JSON':13} {'calls/s':>7} {'x floor (min-max)':>18} "
        f"{'CPU us/call':>11} {'x floor (min-max)':>18} {'server CPU':>10} "
        f"{'seq p50 ms':>10} {'x floor (min-max)':>18}"
    )
    print(header)
    print("-" * len(header))
    floor_rate = [r for row in rows for r in row.floor_rate]
    floor_cpu = [c for row in rows for c in row.floor_cpu]
    floor_p50 = [p for row in rows for p in row.floor_p50]
    print(
        f"{LABELS[FLOOR]:29} {'stdlib':13} {statistics.median(floor_rate):7.0f} {'1.00':>18} "
        f"{statistics.median(floor_cpu) * 1e6:11.0f} {'1.00':>18} {_share(floor_server):>10} "
        f"{statistics.median(floor_p50) * 1e3:10.3f} {'1.00':>18}"
    )
    for row in rows:
        print(
            f"{LABELS[row.kind]:29} {row.json:13} {statistics.median(row.rate):7.0f} "
            f"{common.ratio_cell(common.paired(row.rate, row.floor_rate)):>18} "
            f"{statistics.median(row.cpu) * 1e6:11.0f} "
            f"{common.ratio_cell(common.paired(row.cpu, row.floor_cpu)):>18} "
            f"{_share(row.server):>10} {statistics.median(row.p50) * 1e3:10.3f} "
            f"{common.ratio_cell(common.paired(row.p50, row.floor_p50)):>18}"
        )
    print(
        "(server CPU: the server process's CPU seconds / wall seconds in those windows, median (max))"
    )
    print()
    for row in rows:
        if row.kind not in GOALS:
            continue
        tput = statistics.median(common.paired(row.rate, row.floor_rate))
        seq = statistics.median(common.paired(row.p50, row.floor_p50))
        need = GOALS[row.kind]
        name = LABELS[row.kind]
        print(common.goal_line(f"{name}: calls/s >= {need:.2f}x floor", tput, met=tput >= need))
        print(
            common.goal_line(f"{name}: seq p50 <= {SEQ_GOAL:.2f}x floor", seq, met=seq <= SEQ_GOAL)
        )


def _share(values: list[float]) -> str:
    return f"{statistics.median(values) * 100:.0f}% ({max(values) * 100:.0f})"


# --- instruction counts -----------------------------------------------------------------


def _callgrind_total(out_file: Path) -> int:
    """The instructions callgrind counted for the whole process ("summary:" or "totals:")."""
    for line in out_file.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    msg = f"no instruction total in {out_file}"
    raise RuntimeError(msg)


def _counted(kind: str, base_url: str, calls: int, workdir: Path) -> int:
    out_file = workdir / f"{kind}-{calls}.out"
    command = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={out_file}",
        sys.executable,
        str(Path(__file__).resolve()),
        "--count-worker",
        kind,
        "--url",
        base_url,
        "--count",
        str(calls),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=1800)  # noqa: S603 - our own script
    return _callgrind_total(out_file)


def instructions(options: argparse.Namespace) -> None:
    """Instructions per call of each contender and their ratio to the floor's."""
    if shutil.which("valgrind") is None:
        print("--instructions needs valgrind on PATH (Debian: apt-get install valgrind)")
        sys.exit(2)
    kinds = _available(["sdk-stdlib", "sdk-speedups", "sdk-free-codec"])
    if options.peers:
        kinds += _available(["openai-aiohttp"])
    low, high = options.calls
    _, server_core = common.cores() if not options.no_pin else (None, None)
    per_call: dict[str, float] = {}
    with answering_server.running(server_core) as server, tempfile.TemporaryDirectory() as tmp:
        print(
            f"server {server.base_url} on {server.loop}; callgrind runs of {low} and {high} "
            f"calls at {IN_FLIGHT} in flight per contender; python {sys.version.split()[0]}"
        )
        for kind in [FLOOR, *kinds]:
            meter = answering_server.CpuMeter(server)
            counts = [_counted(kind, server.base_url, n, Path(tmp)) for n in (low, high)]
            per_call[kind] = (counts[1] - counts[0]) / (high - low)
            print(
                f"  {LABELS[kind]:29} {per_call[kind]:12,.0f} instructions/call "
                f"(server CPU {meter.share() * 100:.0f}%)",
                flush=True,
            )
    print()
    floor = per_call[FLOOR]
    print(f"{'contender':29} {'Ir/call':>12} {'x floor':>8}")
    for kind, value in per_call.items():
        print(f"{LABELS[kind]:29} {value:12,.0f} {value / floor:8.2f}")
    print()
    for kind, need in INSTRUCTION_GOALS.items():
        if kind in per_call:
            ratio = per_call[kind] / floor
            line = f"{LABELS[kind]}: instructions/call <= {need:.2f}x floor"
            print(common.goal_line(line, ratio, met=ratio <= need))


# --- profile ----------------------------------------------------------------------------

_BUCKETS = (
    ("realtime_sdk", "realtime_sdk"),  # its modules and the code its converter generates
    ("cattrs/attrs", "cattrs"),
    ("cattrs/attrs", "/attr/"),
    ("cattrs/attrs", "/attrs/"),
    ("cattrs/attrs", "attrs generated"),
    ("aiohttp", "/aiohttp/"),
    ("multidict/yarl", "/multidict/"),
    ("multidict/yarl", "/yarl/"),
    ("asyncio", "/asyncio/"),
    ("json", "/json/"),
    ("stdlib (other)", "/lib/python"),
)


def _bucket(filename: str) -> str:
    for name, marker in _BUCKETS:
        if marker in filename:
            return name
    if filename == "~":
        return "builtins (C)"
    if filename.endswith("bench_client.py"):
        return "benchmark loop"
    return "other"


def _sdk_part(filename: str) -> str:
    if "/realtime_sdk/" in filename:
        return filename.rsplit("/realtime_sdk/", 1)[1]
    return "generated converter code"


def profile(options: argparse.Namespace) -> None:
    """cProfile a throughput window of the floor and of the SDK, per call, by package."""
    client_core, server_core = common.cores() if not options.no_pin else (None, None)
    common.pin(client_core)
    common.choose_json(options.json)
    with answering_server.running(server_core) as server:
        asyncio.run(_profile(server.base_url, options.window, f"sdk-{options.json}"))


async def _profile(base_url: str, window: float, sdk_kind: str) -> None:
    made = {kind: await build(kind, base_url) for kind in (FLOOR, sdk_kind)}
    plain_cpu: dict[str, list[float]] = {kind: [] for kind in made}
    profiled: dict[str, tuple[pstats.Stats, int]] = {}
    try:
        for _ in range(5):
            for kind, (call, _) in made.items():
                await warm(call)
                got = await throughput(call, window)
                plain_cpu[kind].append(got["cpu"] / got["calls"] * 1e6)
        for kind, (call, _) in made.items():
            await warm(call)
            # CPU time as the profiler's clock: time spent descheduled is charged to no one.
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            got = await throughput(call, window)
            profiler.disable()
            profiled[kind] = (pstats.Stats(profiler), int(got["calls"]))
    finally:
        for _, close in made.values():
            await close()
    print("client CPU us per call without the profiler (median of 5 windows):")
    for kind, values in plain_cpu.items():
        print(f"  {LABELS[kind]:29} {statistics.median(values):6.0f}")
    print()
    floor, _ = _own_time(*profiled[FLOOR])
    sdk, sdk_parts = _own_time(*profiled[sdk_kind])
    print(
        "under cProfile, CPU clock (inflated by the profiler; compare the columns): own time, us per call"
    )
    print(f"  {'package':16} {'floor':>8} {'SDK':>8} {'SDK - floor':>12}")
    for name in sorted(set(floor) | set(sdk), key=lambda b: -sdk.get(b, 0)):
        floor_us, sdk_us = floor.get(name, 0.0), sdk.get(name, 0.0)
        print(f"  {name:16} {floor_us:8.1f} {sdk_us:8.1f} {sdk_us - floor_us:12.1f}")
    total_floor, total_sdk = sum(floor.values()), sum(sdk.values())
    print(f"  {'total':16} {total_floor:8.1f} {total_sdk:8.1f} {total_sdk - total_floor:12.1f}")
    print()
    print("realtime_sdk's own time by module (us per call, under cProfile):")
    for name, us in sorted(sdk_parts.items(), key=lambda item: -item[1]):
        print(f"  {name:28} {us:6.1f}")
    print()
    print(_top(*profiled[sdk_kind]))


def _own_time(stats: pstats.Stats, calls: int) -> tuple[dict[str, float], dict[str, float]]:
    """Own time per call in us by package, and realtime_sdk's by module."""
    buckets: dict[str, float] = {}
    parts: dict[str, float] = {}
    for (filename, _, _), row in stats.stats.items():  # type: ignore[attr-defined] - pstats' documented table
        bucket = _bucket(filename)
        us = row[2] / calls * 1e6
        buckets[bucket] = buckets.get(bucket, 0.0) + us
        if bucket == "realtime_sdk":
            parts[_sdk_part(filename)] = parts.get(_sdk_part(filename), 0.0) + us
    return buckets, parts


def _top(stats: pstats.Stats, calls: int) -> str:
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:20]  # type: ignore[attr-defined] - pstats' table
    lines = ["SDK run, top functions by own time (us per call, calls per call):"]
    for (filename, line, name), row in rows:
        where = filename.rsplit("site-packages/", 1)[-1].rsplit("/realtime_sdk/", 1)[-1]
        lines.append(f"  {row[2] / calls * 1e6:6.1f} {row[1] / calls:6.1f}  {where}:{line} {name}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run, under 20 s")
    parser.add_argument(
        "--pairs", type=int, help="adjacent floor/contender pairs (default 15, quick 3)"
    )
    parser.add_argument(
        "--window", type=float, help="seconds per throughput window (default 0.5, quick 0.3)"
    )
    parser.add_argument(
        "--seq", type=int, help="sequential calls per batch (default 300, quick 40)"
    )
    peers = parser.add_mutually_exclusive_group()
    peers.add_argument(
        "--peers",
        dest="peers",
        action="store_true",
        default=None,
        help="include openai-python (default in full runs)",
    )
    peers.add_argument(
        "--no-peers", dest="peers", action="store_false", help="leave openai-python out"
    )
    parser.add_argument(
        "--no-pin", action="store_true", help="do not pin client and server to cores"
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the floor and the SDK, per call"
    )
    parser.add_argument(
        "--json", choices=common.JSON_MODES, default="stdlib", help="JSON mode for --profile"
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="instructions per call under callgrind (needs valgrind), as ratios to the floor",
    )
    parser.add_argument(
        "--calls",
        type=int,
        nargs=2,
        metavar=("N1", "N2"),
        help="calls in the two callgrind runs (default 256 1280, quick 64 320)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--count-worker", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--core", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        worker_main(options.worker, options.url, options.core)
        return
    if options.count_worker:
        count_worker_main(options.count_worker, options.url, options.count)
        return
    options.pairs = options.pairs or (3 if options.quick else 15)
    options.window = options.window or (0.3 if options.quick else 0.5)
    options.seq = options.seq or (40 if options.quick else 300)
    if options.peers is None:
        options.peers = not options.quick
    if options.instructions:
        options.calls = options.calls or ((64, 320) if options.quick else (256, 1280))
        instructions(options)
    elif options.profile:
        profile(options)
    else:
        run(options)


if __name__ == "__main__":
    main()
