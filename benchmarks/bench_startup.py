"""Start-up cost, for CLIs and serverless token endpoints: fresh processes, as ratios.

Two groups of fresh ``python -c`` processes, pinned to the client core where the OS allows,
run interleaved in a shuffled order in every repeat, so each ratio compares processes
started moments apart; the table shows the median of the per-repeat ratios (min-max):

- imports: ``import realtime_sdk`` against ``import aiohttp, attrs, cattrs`` (what it is
  built on), with orjson importable and blocked, and a bare interpreter for reference
  (the "import only" column subtracts it);
- one call: import, build a client, make one client-secret call to the minimal answering
  server (`answering_server.py`) and close, with RealtimeClient (``asyncio.run``) and with
  SyncRealtimeClient, against the same with raw aiohttp; httpx and requests for reference.

Goals are judged on wall time; the CPU columns (user + system time of the child, all its
threads) are steadier on a shared machine. Then one ``python -X importtime -c "import realtime_sdk"`` lists the biggest import costs
that ``import aiohttp, attrs, cattrs`` does not have.

``--callgrind`` counts instructions instead (valgrind's callgrind; stable where wall clock
is not on a shared machine), one fresh process per case with its .pyc files already
compiled: ``from realtime_sdk import RealtimeClient`` against ``import aiohttp, attrs,
cattrs`` (goal <= 1.15), and import + client + one call + close against the same with raw
aiohttp (goal <= 1.30; the answering server runs outside valgrind).

Usage::

    python benchmarks/bench_startup.py              # full run, about two minutes
    python benchmarks/bench_startup.py --quick      # a smoke run, under 20 s
    python benchmarks/bench_startup.py --callgrind  # instruction counts, a few minutes
"""

import argparse
import importlib.util
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import answering_server
import common

# The start-up goals (issue #20) are counted in instructions (`--callgrind`); the wall-clock
# tables show the same bounds for orientation, on a machine where wall clock is noisy.
IMPORT_GOAL = 1.15
CALL_GOAL = 1.30
BLOCK_ORJSON = "import sys; sys.modules['orjson'] = None; "
BASE = "import aiohttp, attrs, cattrs"
SDK = "import realtime_sdk"

_HEADERS = (
    f"{{'Authorization': 'Bearer {common.API_KEY}', "
    "'Content-Type': 'application/json', 'Accept': 'application/json'}"
)
_REQUEST = repr(common.REQUEST)

CALLS = {
    "raw aiohttp (asyncio.run)": f"""
import asyncio, json, sys, aiohttp
async def main():
    async with aiohttp.ClientSession(headers={_HEADERS}) as session:
        body = json.dumps({_REQUEST}, separators=(",", ":")).encode()
        async with session.post(sys.argv[1] + "/realtime/client_secrets", data=body) as r:
            assert r.status == 200, r.status
            json.loads(await r.read())
asyncio.run(main())
""",
    "RealtimeClient (asyncio.run)": f"""
import asyncio, sys
from realtime_sdk import RealtimeClient
async def main():
    async with RealtimeClient(api_key="{common.API_KEY}", base_url=sys.argv[1]) as client:
        await client.create_realtime_client_secret({_REQUEST})
asyncio.run(main())
""",
    "SyncRealtimeClient": f"""
import sys
from realtime_sdk import SyncRealtimeClient
with SyncRealtimeClient(api_key="{common.API_KEY}", base_url=sys.argv[1]) as client:
    client.create_realtime_client_secret({_REQUEST})
""",
    "httpx.Client": f"""
import json, sys, httpx
with httpx.Client(headers={_HEADERS}) as client:
    body = json.dumps({_REQUEST}, separators=(",", ":")).encode()
    r = client.post(sys.argv[1] + "/realtime/client_secrets", content=body)
    assert r.status_code == 200, r.status_code
    json.loads(r.content)
""",
    "requests.Session": f"""
import json, sys, requests
with requests.Session() as session:
    session.headers.update({_HEADERS})
    body = json.dumps({_REQUEST}, separators=(",", ":")).encode()
    r = session.post(sys.argv[1] + "/realtime/client_secrets", data=body)
    assert r.status_code == 200, r.status_code
    json.loads(r.content)
""",
}
# The same three, timed phase by phase inside the process (printed as one JSON line).
PHASES = {
    "raw aiohttp (asyncio.run)": f"""
import time; t0 = time.perf_counter()
import asyncio, json, sys, aiohttp
t1 = time.perf_counter()
async def main():
    session = aiohttp.ClientSession(headers={_HEADERS})
    t2 = time.perf_counter()
    body = json.dumps({_REQUEST}, separators=(",", ":")).encode()
    async with session.post(sys.argv[1] + "/realtime/client_secrets", data=body) as r:
        json.loads(await r.read())
    t3 = time.perf_counter()
    await session.close()
    return t2, t3
t2, t3 = asyncio.run(main())
t4 = time.perf_counter()
print(json.dumps([t1 - t0, t2 - t1, t3 - t2, t4 - t3]))
""",
    "RealtimeClient (asyncio.run)": f"""
import time; t0 = time.perf_counter()
import asyncio, json, sys
from realtime_sdk import RealtimeClient
t1 = time.perf_counter()
async def main():
    client = RealtimeClient(api_key="{common.API_KEY}", base_url=sys.argv[1])
    t2 = time.perf_counter()
    await client.create_realtime_client_secret({_REQUEST})
    t3 = time.perf_counter()
    await client.aclose()
    return t2, t3
t2, t3 = asyncio.run(main())
t4 = time.perf_counter()
print(json.dumps([t1 - t0, t2 - t1, t3 - t2, t4 - t3]))
""",
    "SyncRealtimeClient": f"""
import time; t0 = time.perf_counter()
import json, sys
from realtime_sdk import SyncRealtimeClient
t1 = time.perf_counter()
client = SyncRealtimeClient(api_key="{common.API_KEY}", base_url=sys.argv[1])
t2 = time.perf_counter()
client.create_realtime_client_secret({_REQUEST})
t3 = time.perf_counter()
client.close()
t4 = time.perf_counter()
print(json.dumps([t1 - t0, t2 - t1, t3 - t2, t4 - t3]))
""",
}
CALL_FLOOR = "raw aiohttp (asyncio.run)"
CALL_GOALS = ("RealtimeClient (asyncio.run)", "SyncRealtimeClient")
OPTIONAL = {"httpx.Client": "httpx", "requests.Session": "requests"}


@dataclass
class Case:
    """One kind of fresh process and its wall times, one per repeat."""

    name: str
    code: str
    args: tuple[str, ...] = ()
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def once(self) -> tuple[float, float]:
        """Wall seconds and CPU seconds (user + system, all threads) of one fresh process."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", self.code, *self.args], check=True)  # noqa: S603 - our own snippets
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def import_cases() -> list[Case]:
    cases = [Case("python -c pass", "pass"), Case(BASE, BASE), Case(SDK, SDK)]
    if common.orjson_installed():
        cases[2].name = f"{SDK} (orjson importable)"
        cases.append(Case(f"{SDK} (orjson blocked)", BLOCK_ORJSON + SDK))
    return cases


def call_cases(base_url: str, *, peers: bool) -> list[Case]:
    cases = []
    for name, code in CALLS.items():
        module = OPTIONAL.get(name)
        if module is not None and (not peers or importlib.util.find_spec(module) is None):
            continue
        cases.append(Case(name, code.strip(), (base_url,)))
    return cases


def measure(cases: list[Case], repeats: int, label: str) -> None:
    for case in cases:  # warm the bytecode caches and the page cache
        case.once()
    shuffler = random.Random(20261202)
    for number in range(repeats):
        for case in shuffler.sample(cases, len(cases)):
            wall, cpu = case.once()
            case.seconds.append(wall)
            case.cpu.append(cpu)
        if (number + 1) % 10 == 0 or number + 1 == repeats:
            print(f"{label}: repeat {number + 1}/{repeats} done", flush=True)


def report_imports(cases: list[Case]) -> None:
    bare, base = cases[0], cases[1]
    print()
    header = (
        f"{'fresh process':44} {'ms':>6} {'x base (min-max)':>18} {'import only, x base':>20} "
        f"{'CPU ms':>7} {'x base':>6}"
    )
    print(header)
    print("-" * len(header))
    for case in cases:
        whole = common.paired(case.seconds, base.seconds)
        only = [
            (mine - empty) / (theirs - empty)
            for mine, theirs, empty in zip(case.seconds, base.seconds, bare.seconds, strict=True)
        ]
        only_cell = "-" if case is bare else f"{statistics.median(only):.2f}"
        cpu = statistics.median(common.paired(case.cpu, base.cpu))
        print(
            f"{case.name:44} {statistics.median(case.seconds) * 1e3:6.0f} "
            f"{common.ratio_cell(whole):>18} {only_cell:>20} "
            f"{statistics.median(case.cpu) * 1e3:7.0f} {cpu:6.2f}"
        )
    print()
    for case in cases[2:]:
        ratio = statistics.median(common.paired(case.seconds, base.seconds))
        label = f"{case.name.replace(SDK, 'import')} <= {IMPORT_GOAL}x base"
        print(common.goal_line(label, ratio, met=ratio <= IMPORT_GOAL))


def report_calls(cases: list[Case]) -> None:
    floor = next(case for case in cases if case.name == CALL_FLOOR)
    print()
    header = (
        f"{'fresh process: import, client, one call, close':48} {'ms':>6} "
        f"{'x raw aiohttp (min-max)':>24} {'CPU ms':>7} {'x raw':>6}"
    )
    print(header)
    print("-" * len(header))
    for case in cases:
        ratios = common.paired(case.seconds, floor.seconds)
        cpu = statistics.median(common.paired(case.cpu, floor.cpu))
        print(
            f"{case.name:48} {statistics.median(case.seconds) * 1e3:6.0f} "
            f"{common.ratio_cell(ratios):>24} {statistics.median(case.cpu) * 1e3:7.0f} {cpu:6.2f}"
        )
    print()
    for case in cases:
        if case.name in CALL_GOALS:
            ratio = statistics.median(common.paired(case.seconds, floor.seconds))
            label = f"{case.name} one call <= {CALL_GOAL}x raw aiohttp"
            print(common.goal_line(label, ratio, met=ratio <= CALL_GOAL))


@dataclass
class Node:
    """One module in an ``-X importtime`` tree."""

    name: str
    own: int  # microseconds
    children: list["Node"]
    extra: int = 0  # own microseconds of this subtree's modules that the base does not import


def report_phases(base_url: str, runs: int) -> None:
    """Where a one-call process spends its time: import, build, first call, close."""
    print()
    print(f"phases of a one-call process, measured inside it (ms, median of {runs} runs):")
    print(f"  {'':32} {'import':>7} {'client':>7} {'call':>7} {'close':>7}")
    for name, code in PHASES.items():
        runs_ms = []
        for _ in range(runs):
            done = subprocess.run(  # noqa: S603 - our own snippet
                [sys.executable, "-c", code.strip(), base_url],
                capture_output=True,
                text=True,
                check=True,
            )
            runs_ms.append([part * 1e3 for part in json.loads(done.stdout)])
        phases = [statistics.median(column) for column in zip(*runs_ms, strict=True)]
        print(f"  {name:32} " + " ".join(f"{phase:7.1f}" for phase in phases))


def _import_tree(code: str) -> list[Node]:
    """The import tree of one ``-X importtime`` run (its output lists children first)."""
    result = subprocess.run(  # noqa: S603 - our own snippet
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    pending: dict[int, list[Node]] = {}
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _, field = line.removeprefix("import time:").split("|")
        depth = (len(field) - len(field.lstrip()) - 1) // 2
        node = Node(field.strip(), int(own), pending.pop(depth + 1, []))
        pending.setdefault(depth, []).append(node)
    return pending.get(0, [])


def _walk(nodes: list[Node]) -> list[Node]:
    return [every for node in nodes for every in (node, *_walk(node.children))]


def report_import_costs(top: int) -> None:
    """The import costs that ``import realtime_sdk`` adds to ``import aiohttp, attrs, cattrs``."""
    base = {node.name for node in _walk(_import_tree(BASE))}
    roots = _import_tree(BLOCK_ORJSON + SDK)

    def mark(node: Node) -> int:
        node.extra = (node.own if node.name not in base else 0) + sum(map(mark, node.children))
        return node.extra

    for root in roots:
        mark(root)
    own: list[Node] = []
    brought: list[Node] = []

    def sort(node: Node) -> None:
        if node.name == "realtime_sdk" or node.name.startswith("realtime_sdk."):
            own.append(node)
        elif node.name not in base:
            brought.append(node)  # the whole subtree is charged to the module that pulled it in
            return
        for child in node.children:
            sort(child)

    for root in roots:
        sort(root)
    total = sum(root.extra for root in roots)
    print()
    print(
        f"python -X importtime -c {SDK!r}, once (noisy; orjson blocked): {total / 1e3:.1f} ms "
        f"of import work beyond {BASE!r}"
    )
    print(f"  {'module':44} {'ms':>6}")
    rows = [(f"{node.name} (its own code)", node.own) for node in own]
    rows += [(f"{node.name} (and what it imports)", node.extra) for node in brought]
    for name, micros in sorted(rows, key=lambda row: -row[1])[:top]:
        print(f"  {name:44} {micros / 1e3:6.1f}")


CALLGRIND_IMPORT_GOAL = IMPORT_GOAL
CALLGRIND_CALL_GOAL = CALL_GOAL
CALLGRIND_IMPORT = "from realtime_sdk import RealtimeClient"


def instructions(code: str, *args: str) -> int:
    """Instructions (callgrind's Ir) of one fresh ``python -c code`` process."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
        subprocess.run(  # noqa: S603 - valgrind on our own snippets
            [*command, sys.executable, "-c", code, *args],
            check=True,
            capture_output=True,
        )
        totals = re.search(r"^totals: (\d+)", out.read_text(), re.MULTILINE)
        if totals is None:
            msg = "callgrind wrote no totals"
            raise RuntimeError(msg)
        return int(totals.group(1))


def callgrind(server_core: int | None) -> None:
    """Instruction counts of the import and one-call processes, as ratios."""
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: no instruction counts")
        return
    # Compile the .pyc files first, even where PYTHONDONTWRITEBYTECODE is set (else every
    # counted process compiles the modules it imports, and the counts measure the compiler).
    warm = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for code in (BASE, CALLGRIND_IMPORT):
        subprocess.run([sys.executable, "-c", code], check=True, env=warm)  # noqa: S603 - our own snippets
    base = instructions(BASE)
    sdk = instructions(CALLGRIND_IMPORT)
    print(f"instructions: {BASE}: {base / 1e6:.1f}M; {CALLGRIND_IMPORT}: {sdk / 1e6:.1f}M")
    print(f"  ratio {sdk / base:.3f} (goal <= {CALLGRIND_IMPORT_GOAL})")
    with answering_server.running(server_core) as server:
        counts = {}
        for name in (CALL_FLOOR, *CALL_GOALS):
            code = CALLS[name].strip()
            subprocess.run([sys.executable, "-c", code, server.base_url], check=True, env=warm)  # noqa: S603 - warm .pyc
            counts[name] = instructions(code, server.base_url)
    floor = counts[CALL_FLOOR]
    for name, count in counts.items():
        print(f"  one call, {name}: {count / 1e6:.1f}M, {count / floor:.3f}x raw aiohttp")
    print(f"  goal: RealtimeClient <= {CALLGRIND_CALL_GOAL}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run, under 20 s")
    parser.add_argument("--repeats", type=int, help="repeats of each group (default 30, quick 4)")
    parser.add_argument("--top", type=int, default=12, help="import costs to list (default 12)")
    parser.add_argument(
        "--no-pin", action="store_true", help="do not pin client and server to cores"
    )
    parser.add_argument("--callgrind", action="store_true", help="count instructions only")
    options = parser.parse_args()
    if options.callgrind:
        _, server_core = common.cores() if not options.no_pin else (None, None)
        callgrind(server_core)
        return
    repeats = options.repeats or (4 if options.quick else 30)
    client_core, server_core = common.cores() if not options.no_pin else (None, None)
    common.pin(client_core)
    print(
        f"{repeats} interleaved repeats per group; {common.pinning_note(client_core, server_core)}; "
        f"python {sys.version.split()[0]}"
    )
    imports = import_cases()
    measure(imports, repeats, "imports")
    with answering_server.running(server_core) as server:
        calls = call_cases(server.base_url, peers=not options.quick)
        measure(calls, repeats, "one call")
        report_phases(server.base_url, 3 if options.quick else 9)
    report_imports(imports)
    report_calls(calls)
    report_import_costs(options.top)


if __name__ == "__main__":
    main()
