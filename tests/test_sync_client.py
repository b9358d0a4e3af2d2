"""The sync runtime (Portal) and the generated SyncRealtimeClient, against real loops and servers."""

import _thread
import asyncio
import gc
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator

import pytest

from realtime_sdk import ClientClosedError
from realtime_sdk._sync_support import Portal

LOOP_THREAD = "realtime-sdk-sync-loop"


def loop_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == LOOP_THREAD]


@pytest.fixture(autouse=True)
def no_leaked_loop_threads() -> Iterator[None]:
    """Every test must leave no facade loop thread behind."""
    assert loop_threads() == []
    yield
    gc.collect()
    assert loop_threads() == []


class Dummy:
    """A stand-in async client that records what happened to it on its loop."""

    def __init__(self, name: str = "dummy", *, fail: bool = False) -> None:
        if fail:
            msg = "bad setting: name"
            raise ValueError(msg)
        self.name = name
        self.closed = 0
        self.cancelled = 0
        self.started = threading.Event()
        self.loops: set[int] = set()

    async def echo(self, value: object, *, suffix: str = "") -> str:
        await asyncio.sleep(0)
        self.loops.add(id(asyncio.get_running_loop()))
        return f"{self.name}:{value}{suffix}"

    async def boom(self) -> None:
        await asyncio.sleep(0)
        msg = "boom"
        raise LookupError(msg)

    async def hang(self) -> None:
        self.started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled += 1
            raise

    async def linger(self) -> str:
        self.started.set()
        await asyncio.sleep(0.05)
        return "finished"

    async def reenter(self, portal: "Portal[Dummy]") -> str:
        try:
            portal.run(Dummy.echo, 1)
        except RuntimeError as exc:
            return str(exc)
        return "no error"

    async def aclose(self) -> None:
        self.closed += 1


@pytest.fixture
def portal() -> Iterator[Portal[Dummy]]:
    portal = Portal(Dummy, "d")
    yield portal
    portal.close()


# --- the runtime -------------------------------------------------------------------------


def test_run_returns_result(portal):
    """A blocking call returns what the coroutine returned, with args and kwargs passed on."""
    assert portal.run(Dummy.echo, 7, suffix="!") == "d:7!"


def test_run_reraises_coroutine_error(portal):
    """An exception raised on the loop is raised in the caller, with its own type."""
    with pytest.raises(LookupError, match="boom"):
        portal.run(Dummy.boom)


def test_constructor_error_raises_in_caller():
    """An error building the client raises from Portal() and leaves no thread behind."""
    with pytest.raises(ValueError, match="bad setting: name"):
        Portal(Dummy, fail=True)
    assert loop_threads() == []


def test_calls_share_one_loop(portal):
    """Every call runs on the same event loop, the one the client was built on."""
    for value in range(5):
        portal.run(Dummy.echo, value)
    assert len(portal.client.loops) == 1


def test_call_from_inside_running_loop(portal):
    """A blocking call works from code that already runs an event loop."""

    async def main() -> str:
        return portal.run(Dummy.echo, "inside")

    assert asyncio.run(main()) == "d:inside"


def test_calls_from_eight_threads(portal):
    """Eight threads calling at once each get their own answer."""
    results: dict[int, str] = {}
    barrier = threading.Barrier(8)

    def worker(index: int) -> None:
        barrier.wait()
        results[index] = portal.run(Dummy.echo, index)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {i: f"d:{i}" for i in range(8)}


def test_call_from_loop_thread_is_refused(portal):
    """A blocking call made on the portal's own loop thread raises instead of deadlocking."""
    assert "own event loop thread" in portal.run(Dummy.reenter, portal)


def test_interrupt_main_cancels_call(portal):
    """A simulated Ctrl-C raises KeyboardInterrupt and cancels the call on the loop."""
    client = portal.client

    def interrupt() -> None:
        client.started.wait()
        _thread.interrupt_main()

    threading.Thread(target=interrupt).start()
    with pytest.raises(KeyboardInterrupt):
        portal.run(Dummy.hang)
    assert client.cancelled == 1
    assert portal.run(Dummy.echo, "after") == "d:after"


def test_sigint_signal_cancels_call(portal):
    """A real SIGINT delivered to the main thread raises KeyboardInterrupt and cancels the call."""
    client = portal.client
    main_id = threading.main_thread().ident
    assert main_id == threading.get_ident()

    def interrupt() -> None:
        client.started.wait()
        signal.pthread_kill(main_id, signal.SIGINT)

    threading.Thread(target=interrupt).start()
    with pytest.raises(KeyboardInterrupt):
        portal.run(Dummy.hang)
    assert client.cancelled == 1


def test_close_is_idempotent():
    """close() twice closes the client once and stops the loop thread."""
    portal = Portal(Dummy)
    client = portal.client
    portal.close()
    portal.close()
    assert client.closed == 1
    assert loop_threads() == []


def test_call_after_close_raises():
    """A call on a closed portal raises ClientClosedError."""
    portal = Portal(Dummy)
    portal.close()
    with pytest.raises(ClientClosedError):
        portal.run(Dummy.echo, 1)


def test_close_lets_inflight_call_finish():
    """close() from one thread waits for a call in flight in another, which succeeds."""
    portal = Portal(Dummy)
    client = portal.client
    result: list[str] = []
    worker = threading.Thread(target=lambda: result.append(portal.run(Dummy.linger)))
    worker.start()
    client.started.wait()
    portal.close()
    worker.join()
    assert result == ["finished"]
    assert client.closed == 1


def test_dropped_portal_is_closed_by_gc():
    """A portal that is dropped without close() closes its client and stops its thread."""
    portal = Portal(Dummy)
    client = portal.client
    del portal
    gc.collect()
    assert client.closed == 1
    assert loop_threads() == []


def test_unclosed_portal_is_closed_at_exit():
    """A portal never closed is closed at interpreter exit, silently, with warnings as errors."""
    script = textwrap.dedent(
        """
        import asyncio
        from realtime_sdk._sync_support import Portal

        class Client:
            async def get(self):
                await asyncio.sleep(0)
                return "ok"
            async def aclose(self):
                print("closed", flush=True)

        portal = Portal(Client)
        print(portal.run(Client.get), flush=True)
        """
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-X", "dev", "-W", "error", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "ok\nclosed\n", "")
