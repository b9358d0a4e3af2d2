"""The runtime behind the generated `SyncRealtimeClient`: one private event loop per facade.

Shape: a *blocking portal*. Each facade starts one thread that runs an `asyncio.Runner`
for as long as the facade lives. The async client only ever runs on that loop and binds
to it on first use, so its aiohttp pool and keep-alive connections survive from call to
call. A blocking call hands its coroutine function to the loop with
``call_soon_threadsafe`` and waits on a per-call lock that the loop releases when the
coroutine ends.

Why this shape and not an `asyncio.Runner` on the calling thread:
- A Runner refuses to start inside a running loop (Jupyter, a sync helper called from
  async code), and its loop can be driven by one thread at a time. The portal works the
  same from a script, from many threads at once, and from inside a running loop.
- The price is a thread hand-off each way per call. ``benchmarks/bench_sync.py`` measures
  it: the facade's sequential p50 came out at about 1.2x the async client's, and *below*
  a Runner driven on the calling thread (``Runner.run`` swaps the SIGINT handler and
  starts and stops its loop on every call). So there is no Runner fast path for the
  single-threaded case: it would be a second code path with its own rules, and slower.

Lifecycle:
- The async client is constructed on the caller's thread (its constructor only stores
  settings), so a bad setting (no API key, say) raises from the facade's constructor at
  the caller's line, exactly as it does for the async client.
- Ctrl-C (or any exception) while a caller waits cancels that call's task on the loop,
  waits for the cancellation to finish, and re-raises in the caller. The wait polls with a
  short timeout, so ``_thread.interrupt_main()`` and signals delivered to another thread
  are noticed too.
- `Portal.close` cancels calls still in flight in other threads (they raise
  `ClientClosedError`; waiting could take a full timeout with retries), closes the async
  client inside its loop, lets the Runner close the loop, and joins the thread. It is
  idempotent and thread-safe; calls after it raise `ClientClosedError`.
- The loop thread is a daemon thread with a ``weakref.finalize`` hook, so a facade that
  is dropped or never closed is closed by the garbage collector or at interpreter exit.
  A non-daemon thread would be joined by the interpreter *before* any ``atexit`` hook
  runs, so an unclosed facade would hang the exit; a daemon thread is still alive while
  ``atexit`` hooks run, and ours joins it there. Non-daemon worker threads are joined
  before ``atexit``, so their calls finish before the loop goes.
"""

import _thread
import asyncio
import contextlib
import os
import threading
import weakref
from collections.abc import Callable, Coroutine
from typing import Any, Concatenate, Final, Generic, ParamSpec, Protocol, TypeVar, cast

from realtime_sdk._warn import SYNC_LOOP_THREAD
from realtime_sdk.errors import ClientClosedError

__all__ = ["Portal", "derive_facade"]

# How often a waiting caller wakes to let Python run pending signal handlers. Only matters
# for interrupts that do not wake the waiting thread themselves; a finished call wakes it
# at once.
_POLL_SECONDS: Final = 0.1


def _acquire(lock: _thread.LockType) -> None:
    """Acquire ``lock``, waking now and then so that pending signal handlers can run."""
    while not lock.acquire(timeout=_POLL_SECONDS):
        pass


def _wait(event: threading.Event) -> None:
    """Wait for ``event``, waking now and then so that pending signal handlers can run."""
    while not event.wait(timeout=_POLL_SECONDS):
        pass


class AsyncClosable(Protocol):
    """What the portal needs from the client it drives: an awaitable close."""

    async def aclose(self) -> None:
        """Release the client's resources."""


ClientT = TypeVar("ClientT", bound=AsyncClosable)
P = ParamSpec("P")
T = TypeVar("T")


class _Call:
    """One blocking call: what to run, how it ended, and the lock its caller waits on."""

    __slots__ = (
        "args",
        "client",
        "done",
        "error",
        "finished",
        "fn",
        "kwargs",
        "result",
        "started",
        "task",
    )

    def __init__(
        self,
        client: object,
        fn: Callable[..., Coroutine[Any, Any, Any]],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        self.client = client
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.result: Any = None
        self.error: BaseException | None = None
        self.task: asyncio.Task[None] | None = None
        self.started = False
        # Set just before `done` is released, so a caller interrupted after it acquired the
        # lock can still tell that the call is over.
        self.finished = False
        # Held until the call ends; the caller blocks on a second acquire.
        self.done = threading.Lock()
        self.done.acquire()


class _LoopState:
    """Everything the loop thread owns. Never refers to the facade, so the facade can be collected."""

    def __init__(self, client: AsyncClosable) -> None:
        self.client: Any = client
        self.lock = threading.Lock()
        self.closing = False
        self.ready = threading.Event()
        self.thread_id: int | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stop: asyncio.Future[None] | None = None
        self.inflight: set[_Call] = set()
        self.forked = False
        self.close_error: BaseException | None = None

    async def main(self) -> None:
        loop = asyncio.get_running_loop()
        self.stop = loop.create_future()
        self.loop = loop
        self.ready.set()
        await self.stop
        # Calls queued before the stop request have been started by now (the loop runs
        # callbacks in order). Closing means closing: cancel them rather than wait out their
        # timeouts and retries; their callers get ClientClosedError.
        for call in list(self.inflight):
            self.cancel(call)
        while self.inflight:
            await asyncio.wait([call.task for call in self.inflight if call.task is not None])
        try:
            await self.client.aclose()
        except Exception as exc:  # noqa: BLE001 - handed to the thread that called close()
            self.close_error = exc

    def start(self, call: _Call) -> None:
        """Run on the loop thread: start the call's task."""
        self.inflight.add(call)
        assert self.loop is not None
        call.task = self.loop.create_task(self.drive(call))

    async def drive(self, call: _Call) -> None:
        call.started = True
        try:
            call.result = await call.fn(call.client, *call.args, **call.kwargs)
        except BaseException as exc:  # noqa: BLE001 - every outcome goes back to the waiting caller
            call.error = exc
        finally:
            self.inflight.discard(call)
            call.finished = True
            call.done.release()

    def cancel(self, call: _Call) -> None:
        """Run on the loop thread: cancel a call whose caller stopped waiting.

        Callbacks run in the order they were queued, so if the caller queued `start` at all,
        it has run by now. No task means the interrupt came before that. A task whose first
        step has not run yet never enters `drive` once cancelled. In both cases the caller is
        released here; otherwise `drive` releases it when the cancellation lands.
        """
        task = call.task
        if task is not None:
            task.cancel()
            if call.started:
                return
            self.inflight.discard(call)
        call.error = asyncio.CancelledError()
        call.finished = True
        call.done.release()

    def request_stop(self) -> None:
        """Run on the loop thread: let `main` go on to close the client."""
        if self.stop is not None and not self.stop.done():
            self.stop.set_result(None)


# Every live portal's state, so that a child made by os.fork() can disown them all.
_LIVE: Final[weakref.WeakSet[_LoopState]] = weakref.WeakSet()


def _disown_after_fork() -> None:
    """In a forked child the loop thread does not exist: refuse calls instead of hanging."""
    for state in list(_LIVE):
        # The lock may have been held by a thread that the fork left behind.
        state.lock = threading.Lock()
        state.closing = True
        state.forked = True


if hasattr(os, "register_at_fork"):  # pragma: no branch - absent on Windows only
    os.register_at_fork(after_in_child=_disown_after_fork)


def _serve(state: _LoopState) -> None:
    state.thread_id = threading.get_ident()
    try:
        with asyncio.Runner() as runner:
            runner.run(state.main())
    finally:
        # Also covers a Runner that failed before `main` ran, so the constructor never hangs.
        state.ready.set()


def _shutdown(state: _LoopState, thread: threading.Thread) -> None:
    """Close the client and its loop, then join the loop thread; safe to call more than once."""
    with state.lock:
        first = not state.closing
        state.closing = True
    if first and state.loop is not None:
        # A closed loop means the thread is already on its way out (failed start).
        with contextlib.suppress(RuntimeError):
            state.loop.call_soon_threadsafe(state.request_stop)
    # From the loop thread itself (a finalizer run by the garbage collector there) we can only
    # ask; the thread ends on its own once the client is closed.
    if threading.current_thread() is not thread:
        thread.join()


class Portal(Generic[ClientT]):
    """Drives one async client on a private event loop thread, for blocking callers."""

    def __init__(
        self,
        factory: Callable[P, ClientT],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> None:
        """Build the client with ``factory(*args, **kwargs)``, then start its loop thread.

        The client is built here, on the caller's thread, which suits a client whose
        constructor only stores settings and binds to a loop on first use (as
        `RealtimeClient` does): a bad setting raises straight from the caller's line, and
        warnings point there too.

        Raises:
            Exception: whatever ``factory`` raises (e.g. `ConfigurationError`).
        """
        state = _LoopState(factory(*args, **kwargs))
        thread = threading.Thread(
            target=_serve,
            args=(state,),
            name=SYNC_LOOP_THREAD,
            daemon=True,
        )
        self._state = state
        self._thread = thread
        thread.start()
        try:
            _wait(state.ready)
        except BaseException:
            # Interrupted while the loop starts: let it finish starting, then take it down.
            state.ready.wait()
            _shutdown(state, thread)
            raise
        if state.loop is None:  # pragma: no cover - the Runner itself failed to start
            thread.join()
            msg = "the sync client's event loop failed to start"
            raise RuntimeError(msg)
        self._loop: asyncio.AbstractEventLoop = state.loop
        self._client = cast(ClientT, state.client)
        self._finalizer = weakref.finalize(self, _shutdown, state, thread)
        # A portal from `derive` keeps the one it came from (and so its loop) alive.
        self._parent: Portal[Any] | None = None
        _LIVE.add(state)

    def derive(self, client: ClientT) -> "Portal[ClientT]":
        """A portal for another client on this portal's loop thread (``with_options``).

        Closing it closes only ``client``; closing this portal (the loop's owner) makes the
        derived one's calls raise `ClientClosedError`.

        Args:
            client: an async client bound to the same pool as this portal's.

        Returns:
            The derived portal.
        """
        child: Portal[ClientT] = object.__new__(Portal)
        child._state = self._state
        child._thread = self._thread
        child._loop = self._loop
        child._client = client
        child._parent = self._parent or self
        return child

    @property
    def client(self) -> ClientT:
        """The async client, for reading plain state; its coroutines belong to the loop thread."""
        return self._client

    @property
    def closed(self) -> bool:
        """Whether `close` has been called (or the facade was finalized)."""
        return self._state.closing

    def run(
        self,
        fn: Callable[Concatenate[ClientT, P], Coroutine[Any, Any, T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run ``fn(client, *args, **kwargs)`` on the loop and block until it ends.

        The coroutine is created on the loop thread, so a call that never starts leaves no
        coroutine behind to warn about.

        Returns:
            What the coroutine returned.

        Raises:
            ClientClosedError: the portal was closed before the call, or this process was
                forked from the one that created it.
            RuntimeError: the call was made from the portal's own loop thread, where
                waiting would deadlock.
            BaseException: whatever the coroutine raised; or the exception (such as
                KeyboardInterrupt) that interrupted the wait, after the call was cancelled.
        """
        state = self._state
        if threading.get_ident() == state.thread_id:
            msg = "a sync client method was called from its own event loop thread; await the async client there"
            raise RuntimeError(msg)
        call = _Call(self._client, fn, args, kwargs)
        rejected = False
        try:
            # Scheduling happens under the lock, so `close` cannot slip in between the check
            # and the hand-off, and inside the try, so an interrupt at any point is handled.
            with state.lock:
                rejected = state.closing
                if not rejected:
                    self._loop.call_soon_threadsafe(state.start, call)
            if not rejected:
                _acquire(call.done)
        except BaseException:
            if not rejected:
                self._cancel(call)
            raise
        if rejected:
            if state.forked:
                msg = "this client was created before os.fork(); create a new one in this process"
            else:
                msg = "the client is closed"
            raise ClientClosedError(msg)
        error = call.error
        if error is None:
            return cast(T, call.result)
        call.error = None  # no cycle through the traceback
        if isinstance(error, asyncio.CancelledError):
            msg = "the client was closed while this call was in flight"
            raise ClientClosedError(msg) from error
        raise error

    def _cancel(self, call: _Call) -> None:
        try:
            self._loop.call_soon_threadsafe(self._state.cancel, call)
        except RuntimeError:
            # The loop is closed, which it only does after every call it started has ended.
            return
        # A second interrupt here gives up waiting for the cancellation.
        while not call.finished and not call.done.acquire(timeout=_POLL_SECONDS):
            pass

    def close(self) -> None:
        """Close the client inside its loop, then the loop, and join its thread. Idempotent.

        Calls still in flight in other threads are cancelled and raise `ClientClosedError`.

        Raises:
            Exception: whatever the async client's ``aclose`` raised (first close only).
        """
        if self._parent is not None:
            # A derived portal: the loop and the pool are its parent's.
            if not self._state.closing:
                self.run(_aclose)
            return
        self._finalizer()
        _shutdown(self._state, self._thread)
        error, self._state.close_error = self._state.close_error, None
        if error is not None:
            raise error


async def _aclose(client: AsyncClosable) -> None:
    await client.aclose()


class _Facade(Protocol):
    """A generated sync client: everything it holds is its portal."""

    _portal: Portal[Any]


FacadeT = TypeVar("FacadeT", bound=_Facade)


def derive_facade(facade: FacadeT, client: AsyncClosable) -> FacadeT:
    """A facade of ``facade``'s class over ``client``, sharing its loop thread (``with_options``).

    Args:
        facade: the sync client the new one is derived from.
        client: the async client its ``with_options`` returned.

    Returns:
        The new sync client; closing it leaves ``facade`` and its loop running.
    """
    derived = object.__new__(type(facade))
    derived._portal = facade._portal.derive(client)  # noqa: SLF001 - the facade's own portal
    return derived
