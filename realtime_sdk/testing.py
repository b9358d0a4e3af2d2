"""A faithful local fake of the OpenAI Realtime REST API, for tests, demos and benchmarks.

In a test::

    from realtime_sdk.testing import FakeRealtimeAPI

    async with FakeRealtimeAPI() as fake:
        ...  # point a client at fake.base_url, then look at fake.requests

From synchronous code (a script, a Django test, `SyncRealtimeClient`), serve it from a
background thread::

    from realtime_sdk.testing import serve_in_thread

    with serve_in_thread() as fake:
        ...

From a child process, for benchmarks and blocking code (yields the base URL)::

    from realtime_sdk.testing import serve_in_process

    with serve_in_process() as base_url:
        ...

As a separate process (prints its base URL on the first line of stdout, serves until
Ctrl-C or SIGTERM; counters at ``GET /_fake/stats``)::

    python -m realtime_sdk.testing --host 127.0.0.1 --port 8787

The fake validates request bodies against the vendored spec with its own checker and
never imports the SDK's models or converter: it is an independent witness of what the
SDK puts on the wire. Fault injection is described in `FakeRealtimeAPI.fail_next` and
its siblings; pending faults form one FIFO queue consumed one entry per request.
"""

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Sequence
from typing import TextIO

from realtime_sdk._fake.background import serve_in_thread
from realtime_sdk._fake.faults import CHAOS_KINDS, FaultKind
from realtime_sdk._fake.process import serve_in_process
from realtime_sdk._fake.server import (
    DEFAULT_CHAOS_RATES,
    STATS_PATH,
    FakeRealtimeAPI,
    RecordedRequest,
)

__all__ = [
    "CHAOS_KINDS",
    "DEFAULT_CHAOS_RATES",
    "STATS_PATH",
    "FakeRealtimeAPI",
    "FaultKind",
    "RecordedRequest",
    "main",
    "serve",
    "serve_in_process",
    "serve_in_thread",
]


async def serve(fake: FakeRealtimeAPI, *, out: TextIO | None = None) -> None:
    """Start ``fake``, write its base URL as one line to ``out``, and serve until stopped.

    SIGINT and SIGTERM stop the server cleanly (where the platform lets asyncio handle
    signals); cancelling the calling task does too.

    Args:
        fake: A fake that has not been started yet.
        out: Where the base URL line goes; standard output by default.
    """
    stream = sys.stdout if out is None else out
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    handled: list[signal.Signals] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # pragma: no cover - Windows, threads
            continue
        handled.append(sig)
    try:
        async with fake:
            stream.write(f"{fake.base_url}\n")
            stream.flush()
            await stop.wait()
    finally:
        for sig in handled:
            loop.remove_signal_handler(sig)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m realtime_sdk.testing",
        description="Serve the fake OpenAI Realtime API until interrupted.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8787,
        help="port to bind; 0 picks a free one (default: %(default)s)",
    )
    parser.add_argument(
        "--api-key",
        default=None,
        help="accept only this bearer key (default: any non-empty key)",
    )
    parser.add_argument(
        "--allow-unknown-fields",
        action="store_true",
        help="accept body keys the spec does not list instead of answering 400",
    )
    parser.add_argument(
        "--retired-beta-endpoints",
        action="store_true",
        help="answer the two beta session endpoints with an error, as retired ones do",
    )
    parser.add_argument(
        "--retired-status",
        type=int,
        default=400,
        help="status for retired endpoints (default: %(default)s)",
    )
    parser.add_argument(
        "--max-records",
        type=int,
        default=1000,
        help="request records and keys kept in memory; counters at GET /_fake/stats (default: %(default)s)",
    )
    parser.add_argument(
        "--chaos-seed",
        type=int,
        default=None,
        help="inject issue 6's seeded random fault mix (5%% 5xx, 2%% 429, 2%% drops, 1%% delays, 1%% malformed)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the fake as a server process; returns the exit status.

    Args:
        argv: Command-line arguments without the program name; ``sys.argv[1:]`` by default.

    Returns:
        0 once the server has stopped after SIGINT or SIGTERM.
    """
    args = _parser().parse_args(argv)
    fake = FakeRealtimeAPI(
        host=args.host,
        port=args.port,
        api_key=args.api_key,
        reject_unknown_fields=not args.allow_unknown_fields,
        retired_beta_endpoints=args.retired_beta_endpoints,
        retired_status=args.retired_status,
        max_records=args.max_records,
    )
    if args.chaos_seed is not None:
        fake.set_chaos(args.chaos_seed)
    # KeyboardInterrupt only surfaces where asyncio cannot install signal handlers.
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(fake))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
