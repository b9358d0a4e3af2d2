"""Run one command: parse, dispatch to its module, and turn a failure into its exit status."""

import os
import sys
import time
from collections.abc import Mapping, Sequence
from typing import TextIO

from realtime_sdk import errors
from realtime_sdk._cli._calls import change_call
from realtime_sdk._cli._exits import EXIT_INTERRUPTED, exit_code
from realtime_sdk._cli._keys import mint
from realtime_sdk._cli._parser import build_parser
from realtime_sdk._cli._retries import RetryReporter, gave_up
from realtime_sdk._cli._watch import watch_call


def run(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line and return its exit status (the streams default to sys's)."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    inp, out, err = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    args = build_parser().parse_args(argv)
    if args.command == "fake-server":
        from realtime_sdk import testing  # noqa: PLC0415 - aiohttp.web only when asked

        return testing.run_server(args, out=out, err=err)
    started = time.monotonic()
    reporter = RetryReporter(err)
    try:
        if args.command == "call" and args.action == "watch":
            watch_call(args, env, out, err, reporter)
        elif args.command == "call":
            change_call(args, env, inp, out, reporter)
        else:
            mint(args, env, inp, out, reporter)
    except KeyboardInterrupt:
        err.write("interrupted\n")
        return EXIT_INTERRUPTED
    except errors.RealtimeSDKError as exc:
        err.write(f"error: {type(exc).__name__}: {exc}\n")
        summary = gave_up(exc, reporter.attempts, time.monotonic() - started, args)
        if summary is not None:
            err.write(summary + "\n")
        return exit_code(exc)
    return 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
