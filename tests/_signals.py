"""Helpers for tests that interrupt the main thread: skip where SIGINT cannot reach Python,
and never wait for an interrupt without a limit.

A process started with SIGINT ignored (``nohup``, ``cmd &`` from a script, some runners)
keeps it ignored: Python then installs no handler, ``_thread.interrupt_main()`` does nothing
and a real SIGINT is dropped, so a test waiting for KeyboardInterrupt would wait forever.
"""

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

# How long the interrupting thread waits for the moment to interrupt, and is waited for.
LIMIT = 30.0


def python_handles_sigint() -> bool:
    """True when SIGINT raises KeyboardInterrupt in this process (Python's default handler)."""
    return signal.getsignal(signal.SIGINT) is signal.default_int_handler


needs_python_sigint_handler = pytest.mark.skipif(
    not python_handles_sigint(),
    reason="SIGINT is not Python's default handler here (ignored by the parent process), "
    "so Ctrl-C cannot be delivered to this test",
)


@contextmanager
def interrupter(ready: Callable[[], bool], interrupt: Callable[[], None]) -> Iterator[None]:
    """Run ``interrupt()`` from another thread once ``ready()`` returns true.

    ``ready`` must give up by itself (return false) after a bounded wait; the thread is a
    daemon and is joined with a limit, so a test never waits on it forever.
    """

    def run() -> None:
        if ready():
            interrupt()

    thread = threading.Thread(target=run, name="test-interrupter", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join(LIMIT)
