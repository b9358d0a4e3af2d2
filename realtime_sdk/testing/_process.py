"""Run the fake API as a child process, for benchmarks and tests that need it off their loop."""

import select
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

_STOP_TIMEOUT: Final = 10.0


@contextmanager
def serve_in_process(*options: str, startup_timeout: float = 30.0) -> Iterator[str]:
    """Serve the fake from ``python -m realtime_sdk.testing`` in a child process.

    The fake then has a core of its own: a benchmark measures the client, not a server
    sharing its event loop, and a blocking caller can never starve it.

    Args:
        *options: extra command-line options for the fake (``--chaos-seed``, ``--api-key``...).
        startup_timeout: seconds to wait for the child to print its base URL.

    Yields:
        The fake's base URL, such as ``http://127.0.0.1:PORT/v1``.

    Raises:
        RuntimeError: the child did not start serving in time.
    """
    command = [sys.executable, "-m", "realtime_sdk.testing", "--host", "127.0.0.1", "--port", "0"]
    process = subprocess.Popen([*command, *options], stdout=subprocess.PIPE, text=True)  # noqa: S603 - our own module, no shell
    try:
        assert process.stdout is not None  # stdout=PIPE
        ready, _, _ = select.select([process.stdout], [], [], startup_timeout)
        line = process.stdout.readline().strip() if ready else ""
        if not line.startswith("http://"):
            msg = f"the fake API process did not print its base URL within {startup_timeout} s"
            raise RuntimeError(msg)
        yield line
    finally:
        process.terminate()
        try:
            process.wait(timeout=_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
