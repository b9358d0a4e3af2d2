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

Signed webhooks for testing a handler (``realtime.call.incoming`` and any other event)::

    from realtime_sdk.testing import make_webhook_secret, realtime_call_incoming_event, send_webhook

    delivery = await send_webhook(url, realtime_call_incoming_event(), secret=secret)

``live_call_incoming_event`` builds the ``live.call.incoming`` twin of that event. Both
builders and ``fake.add_incoming_call`` take SIP headers as a mapping or as
``(name, value)`` pairs (`SipHeaders`).

It also plays calls: ``fake.add_incoming_call()`` makes a SIP call ring (announce it to
your handler with `send_webhook`), the calls it opened or was told of are in
``fake.calls`` (a `FakeCall` each, with its state), and accept, refer, reject and hang up
move them along.

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
from typing import Final, TextIO

from realtime_sdk._fake_server_options import add_server_options
from realtime_sdk.testing._background import serve_in_thread
from realtime_sdk.testing._calls import FakeCall
from realtime_sdk.testing._faults import CHAOS_KINDS, DEFAULT_CHAOS_RATES, FaultKind
from realtime_sdk.testing._process import serve_in_process
from realtime_sdk.testing._records import RecordedRequest
from realtime_sdk.testing._server import RING_PATH, STATS_PATH, FakeRealtimeAPI
from realtime_sdk.testing._site import CannotListenError
from realtime_sdk.testing._webhooks import (
    SipHeaders,
    WebhookDelivery,
    live_call_incoming_event,
    make_webhook_secret,
    new_call_id,
    realtime_call_incoming_event,
    send_webhook,
    send_webhook_sync,
    sign_webhook,
)

# The command line's status for bad settings; a port in use is one.
_EXIT_CANNOT_LISTEN: Final = 2

__all__ = [
    "CHAOS_KINDS",
    "DEFAULT_CHAOS_RATES",
    "RING_PATH",
    "STATS_PATH",
    "CannotListenError",
    "FakeCall",
    "FakeRealtimeAPI",
    "FaultKind",
    "RecordedRequest",
    "SipHeaders",
    "WebhookDelivery",
    "live_call_incoming_event",
    "main",
    "make_webhook_secret",
    "new_call_id",
    "realtime_call_incoming_event",
    "run_server",
    "send_webhook",
    "send_webhook_sync",
    "serve",
    "serve_in_process",
    "serve_in_thread",
    "sign_webhook",
]


async def serve(fake: FakeRealtimeAPI, *, out: TextIO | None = None) -> None:
    """Start ``fake``, write its base URL as one line to ``out``, and serve until stopped.

    SIGINT and SIGTERM stop the server cleanly (where the platform lets asyncio handle
    signals); cancelling the calling task does too.

    Args:
        fake: A fake that has not been started yet.
        out: Where the base URL line goes; standard output by default.

    Raises:
        CannotListenError: the address could not be bound; the message names it.
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
        description="Serve the fake OpenAI Realtime API until interrupted; prints its base URL.",
    )
    add_server_options(parser)
    return parser


def run_server(
    args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Serve the fake described by parsed `add_server_options` options until stopped.

    Args:
        args: The parsed options.
        out: Where the base URL line goes; standard output by default.
        err: Where a start-up failure is reported; standard error by default.

    Returns:
        0 once the server has stopped after SIGINT or SIGTERM; 2 when it could not bind.
    """
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
    try:
        # KeyboardInterrupt only surfaces where asyncio cannot install signal handlers.
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(fake, out=out))
    except CannotListenError as exc:
        hint = "is another server running there? Pick another --port (0 picks a free one)"
        (sys.stderr if err is None else err).write(f"error: {exc}; {hint}\n")
        return _EXIT_CANNOT_LISTEN
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the fake as a server process; returns the exit status.

    Args:
        argv: Command-line arguments without the program name; ``sys.argv[1:]`` by default.

    Returns:
        0 once the server has stopped after SIGINT or SIGTERM; 2 when it could not bind.
    """
    return run_server(_parser().parse_args(argv))
