"""Every benchmark runs in its quick mode and prints its table (no timing is asserted)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
# Benchmark smoke runs are heavy runs: `python -m pytest -m heavy`, not the quick command.
pytestmark = pytest.mark.heavy

RATIO = r"\d+\.\d\d \(\d+\.\d\d-\d+\.\d\d\)"  # a median (min-max) cell

# script -> lines its table must hold (regular expressions, one per row or line)
EXPECTED = {
    "bench_client.py": [
        r"server http://127\.0\.0\.1:\d+/v1 on \w+",
        r"raw aiohttp \(floor\)\s+stdlib\s+\d+\s+1\.00",
        rf"RealtimeClient, stdlib JSON\s+stdlib\s+\d+\s+{RATIO}\s+\d+\s+{RATIO}\s+\d+% \(\d+\)\s+\d+\.\d+\s+{RATIO}",
        r"goal: RealtimeClient, stdlib JSON: calls/s >= 0\.72x floor\s+\d+\.\d\dx  (met|MISSED)",
        r"goal: RealtimeClient, stdlib JSON: seq p50 <= 1\.15x floor",
    ],
    "bench_sync.py": [
        r"SyncRealtimeClient \(facade\)\s+\d+\.\d+\s+\d+\.\d+\s+\d+% \(\d+\)\s+1\.00",
        rf"raw aiohttp \(async floor\)\s+\d+\.\d+\s+\d+\.\d+\s+\d+% \(\d+\)\s+{RATIO}",
        rf"asyncio\.run per call\s+\d+\.\d+\s+\d+\.\d+\s+\d+% \(\d+\)\s+{RATIO}",
        rf"facade, translation secret\s+\d+\.\d+\s+\d+\.\d+\s+\d+% \(\d+\)\s+{RATIO}",
    ],
    "bench_startup.py": [
        r"import aiohttp, attrs, cattrs\s+\d+\s+1\.00 \(1\.00-1\.00\)",
        rf"import realtime_sdk( \(orjson \w+\))?\s+\d+\s+{RATIO}\s+\d+\.\d\d",
        rf"SyncRealtimeClient\s+\d+\s+{RATIO}",
        r"goal: RealtimeClient \(asyncio\.run\) one call <= 1\.3x raw aiohttp\s+\d+\.\d\dx",
        # The import-time table names the package's own modules (the models load later).
        r"realtime_sdk\._client\._\w+ \(its own code\)\s+\d+\.\d",
    ],
    "bench_realtime.py": [
        r"server ws://127\.0\.0\.1:\d+/v1/realtime",
        rf"RealtimeConnection \(realtime_sdk\)\s+\d+\s+{RATIO}\s+\d+%",
        r"goal: realtime_sdk events/s >= 0\.6x raw aiohttp\s+\d+\.\d\dx  (met|MISSED)",
        rf"RealtimeConnection \(realtime_sdk\)\s+\d+\.\d KiB\s+{RATIO}",
        r"import realtime_sdk loads the connection modules: no",
    ],
    "bench_codec.py": [
        r"stdlib: the SDK did not import orjson",
        rf"structure \+ unstructure\s+\| {RATIO}\s+\d+\.\d\s+\d+\.\d",
        rf"bytes round trip\s+\| {RATIO}",
    ],
}


@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_quick_run_prints_its_table(script: str) -> None:
    done = subprocess.run(  # noqa: S603 - our own scripts
        [sys.executable, str(BENCHMARKS / script), "--quick"],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        cwd=BENCHMARKS.parent,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    for pattern in EXPECTED[script]:
        assert re.search(pattern, done.stdout), f"{pattern!r} not in:\n{done.stdout}"


@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_help_names_the_quick_mode(script: str) -> None:
    done = subprocess.run(  # noqa: S603 - our own scripts
        [sys.executable, str(BENCHMARKS / script), "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert "--quick" in done.stdout
