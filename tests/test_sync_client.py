"""The sync runtime (Portal) and the generated SyncRealtimeClient, against real loops and servers."""

import _thread
import asyncio
import gc
import inspect
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator

import pytest

import realtime_sdk._realtime
import realtime_sdk._sync._client
import realtime_sdk.models
from realtime_sdk import (
    APIResponse,
    APITimeoutError,
    AuthenticationError,
    ClientClosedError,
    ConfigurationError,
    NotFoundError,
    RealtimeCallAnswer,
    RealtimeClient,
    Secret,
    SyncRealtimeClient,
)
from realtime_sdk._codegen import render_sync
from realtime_sdk._sync._portal import Portal, _Call
from realtime_sdk.models import (
    RealtimeCreateClientSecretResponse,
    RealtimeTranslationClientSecretCreateResponse,
)
from realtime_sdk.testing import FakeRealtimeAPI, serve_in_process, serve_in_thread
from tests._signals import interrupter, needs_python_sigint_handler

LOOP_THREAD = "realtime-sdk-sync-loop"
# How long a test waits for a cancellation or an interrupt before it fails (never hangs).
SIGNAL_LIMIT = 30.0


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
        self.seen: list[object] = []

    async def echo(self, value: object, *, suffix: str = "") -> str:
        await asyncio.sleep(0)
        self.loops.add(id(asyncio.get_running_loop()))
        self.seen.append(value)
        return f"{self.name}:{value}{suffix}"

    async def boom(self) -> None:
        await asyncio.sleep(0)
        msg = "boom"
        raise LookupError(msg)

    async def hang(self) -> str:
        """Wait until cancelled, or give up after SIGNAL_LIMIT seconds so no test hangs."""
        self.started.set()
        try:
            await asyncio.sleep(SIGNAL_LIMIT)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        return "never cancelled"

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


@needs_python_sigint_handler
def test_interrupt_main_cancels_call(portal):
    """A simulated Ctrl-C raises KeyboardInterrupt and cancels the call on the loop."""
    client = portal.client
    with (
        interrupter(lambda: client.started.wait(SIGNAL_LIMIT), _thread.interrupt_main),
        pytest.raises(KeyboardInterrupt),
    ):
        portal.run(Dummy.hang)
    assert client.cancelled == 1
    assert portal.run(Dummy.echo, "after") == "d:after"


@needs_python_sigint_handler
def test_sigint_signal_cancels_call(portal):
    """A real SIGINT delivered to the main thread raises KeyboardInterrupt and cancels the call."""
    client = portal.client
    main_id = threading.main_thread().ident
    assert main_id == threading.get_ident()

    def deliver() -> None:
        signal.pthread_kill(main_id, signal.SIGINT)

    with (
        interrupter(lambda: client.started.wait(SIGNAL_LIMIT), deliver),
        pytest.raises(KeyboardInterrupt),
    ):
        portal.run(Dummy.hang)
    assert client.cancelled == 1


def test_cancel_before_task_ran_releases_caller(portal):
    """A call cancelled after its task was made but before it ran releases its caller cleanly."""
    call = _Call(portal.client, Dummy.echo, (1,), {})
    state = portal._state

    def start_then_cancel() -> None:
        state.start(call)
        state.cancel(call)

    portal._loop.call_soon_threadsafe(start_then_cancel)
    assert call.done.acquire(timeout=30)
    portal.run(Dummy.echo, 2)  # the loop has now stepped the cancelled task
    assert call.finished
    assert call.task is not None
    assert call.task.cancelled()
    assert state.inflight == set()
    assert portal.client.seen == [2]


def test_cancel_before_start_was_queued_releases_caller(portal):
    """An interrupt that came before the hand-off leaves nothing to cancel and still frees the caller."""
    call = _Call(portal.client, Dummy.echo, (1,), {})
    portal._loop.call_soon_threadsafe(portal._state.cancel, call)
    assert call.done.acquire(timeout=30)
    assert call.finished
    assert call.task is None


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


def test_close_cancels_inflight_call():
    """close() from one thread cancels a call in flight in another, which raises ClientClosedError."""
    portal = Portal(Dummy)
    client = portal.client
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            portal.run(Dummy.hang)
        except ClientClosedError as exc:
            errors.append(exc)

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    assert client.started.wait(SIGNAL_LIMIT)
    portal.close()
    thread.join(SIGNAL_LIMIT)
    assert not thread.is_alive()
    assert [str(error) for error in errors] == [
        "the client was closed while this call was in flight"
    ]
    assert (client.cancelled, client.closed) == (1, 1)


def test_close_raises_what_aclose_raised():
    """An error from the async client's aclose() surfaces from close(), once."""

    class Failing(Dummy):
        async def aclose(self) -> None:
            msg = "pool would not close"
            raise OSError(msg)

    portal = Portal(Failing)
    with pytest.raises(OSError, match="pool would not close"):
        portal.close()
    portal.close()
    assert loop_threads() == []


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
        from realtime_sdk._sync._portal import Portal, _Call

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


# --- SyncRealtimeClient against a real loopback server ---------------------------------------

API_KEY = "sk-test-sync-0123456789SECRET"
REQUEST = {"expires_after": {"anchor": "created_at", "seconds": 600}}
RENAMED = {"aclose": "close", "__aenter__": "__enter__", "__aexit__": "__exit__"}


@pytest.fixture
def fake() -> Iterator[FakeRealtimeAPI]:
    """A FakeRealtimeAPI serving from its own loop thread, so blocking calls cannot starve it."""
    with serve_in_thread() as server:
        yield server


@pytest.fixture
def client(fake) -> Iterator[SyncRealtimeClient]:
    client = SyncRealtimeClient(API_KEY, base_url=fake.base_url, max_retries=0)
    yield client
    client.close()


def wait_until(condition, seconds: float = 30.0) -> None:
    """Poll a condition a bounded number of times (a guard against hangs, not a timing check)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("condition not reached")
        time.sleep(0.005)


def test_result_is_the_response_model(client):
    """A blocking call returns the parsed response model with the key as a Secret."""
    result = client.create_realtime_client_secret(REQUEST)
    assert isinstance(result, RealtimeCreateClientSecretResponse)
    assert isinstance(result.value, Secret)
    assert result.value.reveal().startswith("ek_")


def test_with_response_variant(client):
    """The raw-response twin returns an APIResponse with the status and request id."""
    response = client.create_realtime_client_secret_with_response(REQUEST)
    assert isinstance(response, APIResponse)
    assert response.status_code == 200
    assert response.request_id is not None


def test_translation_secret_through_the_facade(client, fake):
    """A JSON operation added with the calls: the key comes back as a Secret."""
    result = client.create_realtime_translation_client_secret(
        {"session": {"model": "gpt-realtime-translate"}}
    )
    assert isinstance(result, RealtimeTranslationClientSecretCreateResponse)
    assert result.value.reveal() == fake.minted_keys[-1]  # type: ignore[union-attr]


def test_create_realtime_call_through_the_facade(client, fake):
    """The offer goes out as a form; the answer is the SDP text and the new call's id."""
    answer = client.create_realtime_call({"sdp": "v=0\r\n", "session": {"type": "realtime"}})
    assert isinstance(answer, RealtimeCallAnswer)
    assert answer.sdp.startswith("v=0")
    assert fake.requests[-1].form == {"sdp": "v=0\r\n", "session": '{"type":"realtime"}'}
    assert fake.calls[answer.call_id].state == "active"
    response = client.create_realtime_call_with_response({"sdp": "v=0\r\n"})
    assert response.status_code == 201
    assert response.data.call_id in fake.calls


def test_call_changes_through_the_facade(client, fake):
    """Accept and hang up return None and move the fake's call along; an unknown id is a 404."""
    call_id = fake.add_incoming_call()
    assert client.accept_realtime_call(call_id, {"type": "realtime"}) is None
    assert fake.calls[call_id].state == "active"
    assert client.hangup_realtime_call(call_id) is None
    assert fake.calls[call_id].state == "ended"
    assert fake.requests[-1].path == f"/v1/realtime/calls/{call_id}/hangup"
    with pytest.raises(NotFoundError):
        client.reject_realtime_call("rtc_unknown")


def test_sequential_calls_share_one_connection(client, fake):
    """Twenty sequential calls are served over one TCP connection."""
    for _ in range(20):
        client.create_realtime_client_secret(REQUEST)
    assert len(fake.requests) == 20
    assert fake.connections == 1


def test_call_from_inside_asyncio_run(fake):
    """A facade made and used inside asyncio.run(...) works and closes cleanly."""

    async def main() -> RealtimeCreateClientSecretResponse:
        with SyncRealtimeClient(API_KEY, base_url=fake.base_url) as client:
            return client.create_realtime_client_secret(REQUEST)

    assert isinstance(asyncio.run(main()), RealtimeCreateClientSecretResponse)
    assert len(fake.requests) == 1


def test_eight_threads_at_once(client, fake):
    """Eight threads calling one facade at once each get their own key."""
    barrier = threading.Barrier(8)
    keys: list[str] = []

    def worker() -> None:
        barrier.wait()
        keys.append(client.create_realtime_client_secret(REQUEST).value.reveal())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 8
    assert len(fake.requests) == 8
    assert fake.connections <= 8


@needs_python_sigint_handler
def test_ctrl_c_cancels_the_call_in_flight(client, fake):
    """Ctrl-C during a call raises KeyboardInterrupt, drops its connection, and the client goes on."""
    fake.delay_next(1, seconds=SIGNAL_LIMIT)

    def server_has_it() -> bool:
        deadline = time.monotonic() + SIGNAL_LIMIT
        while fake.stats()["requests"] < 1:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    with interrupter(server_has_it, _thread.interrupt_main), pytest.raises(KeyboardInterrupt):
        # The attempt's own limit ends the call should the interrupt never come.
        client.create_realtime_client_secret(REQUEST, timeout=SIGNAL_LIMIT, max_retries=0)
    assert client._portal._state.inflight == set()
    client.create_realtime_client_secret(REQUEST)
    # The cancelled request's connection was closed, so the next call needed a new one.
    assert fake.connections == 2


def test_a_limit_kept_by_the_shared_clock_times_out(fake):
    """A 1 s attempt limit ends a silent call with APITimeoutError."""
    fake.delay_next(1, seconds=60)
    with SyncRealtimeClient(API_KEY, base_url=fake.base_url, timeout=1.0, max_retries=0) as client:
        with pytest.raises(APITimeoutError):
            client.create_realtime_client_secret(REQUEST)
        assert client.create_realtime_client_secret(REQUEST).value.reveal().startswith("ek_")


def test_api_errors_keep_their_class(client, fake):
    """An error status raises the same exception class as the async client would."""
    fake.fail_next(1, status=401)
    with pytest.raises(AuthenticationError):
        client.create_realtime_client_secret(REQUEST)


def test_missing_key_fails_at_construction(monkeypatch):
    """No API key raises ConfigurationError from the constructor, naming the variable."""
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        SyncRealtimeClient()


def test_close_is_idempotent_and_visible(fake):
    """close() twice is fine, is_closed turns true, and later calls raise ClientClosedError."""
    client = SyncRealtimeClient(API_KEY, base_url=fake.base_url)
    client.create_realtime_client_secret(REQUEST)
    client.close()
    client.close()
    assert client.is_closed
    with pytest.raises(ClientClosedError):
        client.create_realtime_client_secret(REQUEST)


def test_with_block_closes(fake):
    """Leaving a with block closes the facade and stops its loop thread."""
    with SyncRealtimeClient(API_KEY, base_url=fake.base_url) as client:
        client.create_realtime_client_secret(REQUEST)
    assert client.is_closed
    assert loop_threads() == []


def test_base_url_property_mirrors_async_client(fake):
    """The base_url property reads the async client's normalised value."""
    with SyncRealtimeClient(API_KEY, base_url=fake.base_url) as client:
        assert client.base_url == RealtimeClient(API_KEY, base_url=fake.base_url).base_url


def async_public_members() -> dict[str, object]:
    return {
        name: member
        # Inherited too: the methods are grouped into base classes by what they do.
        for name, member in inspect.getmembers(RealtimeClient)
        if inspect.iscoroutinefunction(member) and (not name.startswith("_") or name in RENAMED)
    }


def test_every_public_coroutine_has_a_twin():
    """Each public coroutine of RealtimeClient has a plain-function twin on the facade."""
    for name in async_public_members():
        twin = getattr(SyncRealtimeClient, RENAMED.get(name, name), None)
        assert inspect.isfunction(twin), name
        assert not inspect.iscoroutinefunction(twin), name


@pytest.mark.parametrize("name", sorted(async_public_members()))
def test_signature_parity(name):
    """A twin has the async method's parameters and return type, with annotations evaluated."""
    # The model classes are imported for type checkers only (start-up): evaluate with them.
    method = getattr(RealtimeClient, name)
    source = _evaluated(method, sys.modules[method.__module__])
    twin = _evaluated(
        getattr(SyncRealtimeClient, RENAMED.get(name, name)), realtime_sdk._sync._client
    )
    assert twin == source


def _evaluated(function, module):
    models = {name: getattr(realtime_sdk.models, name) for name in realtime_sdk.models.__all__}
    names = {**models, **vars(realtime_sdk._realtime), **vars(module)}
    return inspect.signature(function, globals=names, eval_str=True)


def test_constructor_parity():
    """The facade's constructor takes the async client's parameters, but an aiohttp session."""
    async_parameters = dict(inspect.signature(RealtimeClient).parameters)
    del async_parameters["session"]  # bound to an event loop; the facade runs its own
    assert dict(inspect.signature(SyncRealtimeClient).parameters) == async_parameters


def test_a_session_is_not_a_parameter_of_the_facade():
    """An aiohttp session belongs to its creator's loop: the facade refuses it at the call."""
    with pytest.raises(TypeError, match="session"):
        SyncRealtimeClient(API_KEY, session=object())  # type: ignore[call-arg]


def test_docstrings_are_carried_over_without_async_only_entries():
    """A twin's docstring is the async method's, less what only the async side raises."""
    async_doc = RealtimeClient.create_realtime_session.__doc__
    assert async_doc is not None
    expected = "\n".join(
        line for line in async_doc.split("\n") if "EventLoopMismatchError" not in line
    )
    assert SyncRealtimeClient.create_realtime_session.__doc__ == expected


def test_no_facade_docstring_mentions_event_loops_or_a_session_parameter():
    """The sync docs say nothing about the caller's event loop, or a session= it cannot take."""
    for name, member in inspect.getmembers(SyncRealtimeClient):
        doc = getattr(member, "__doc__", None) or ""
        if name.startswith("__") and name not in {"__init__", "__enter__", "__exit__"}:
            continue
        assert "EventLoopMismatchError" not in doc, name
        assert "running loop" not in doc, name
        assert "session:" not in doc, name


def test_generated_file_matches_a_fresh_rendering():
    """The committed _sync/_client.py is byte for byte what render_sync renders from _client.py."""
    assert render_sync.OUTPUT.read_text(encoding="utf-8") == render_sync.render()


@pytest.fixture
def fake_process() -> Iterator[str]:
    """python -m realtime_sdk.testing in a process of its own; yields its base URL."""
    with serve_in_process() as base_url:
        yield base_url


# `-X dev` turns on asyncio's debug mode, which reports every callback slower than 0.1 s:
# on a busy machine that is a timing report, not a warning from the code under test.
_SLOW_CALLBACK = re.compile(r"^Executing <.*> took \d+\.\d+ seconds\n", flags=re.MULTILINE)


def without_slow_callbacks(stderr: str) -> str:
    """Stderr without asyncio debug mode's slow-callback lines (load, not a defect)."""
    return _SLOW_CALLBACK.sub("", stderr)


def test_script_exits_cleanly_with_warnings_as_errors(fake_process):
    """A script using two facades, one never closed, exits 0 with nothing on stderr under -X dev."""
    script = textwrap.dedent(
        """
        import sys
        from realtime_sdk import SyncRealtimeClient

        request = {"expires_after": {"anchor": "created_at", "seconds": 600}}
        closed = SyncRealtimeClient("sk-test-key-123456", base_url=sys.argv[1])
        for _ in range(3):
            closed.create_realtime_client_secret(request)
        closed.close()
        left_open = SyncRealtimeClient("sk-test-key-123456", base_url=sys.argv[1])
        left_open.create_realtime_client_secret(request)
        print("ok")
        """
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-X", "dev", "-W", "error", "-c", script, fake_process],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, without_slow_callbacks(done.stderr)) == (0, "ok\n", "")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_gets_a_clear_error(fake_process):
    """In a child made by os.fork() the facade refuses calls clearly; the parent's goes on working."""
    script = textwrap.dedent(
        """
        import os, sys
        from realtime_sdk import ClientClosedError, SyncRealtimeClient

        request = {"expires_after": {"anchor": "created_at", "seconds": 600}}
        client = SyncRealtimeClient("sk-test-key-123456", base_url=sys.argv[1])
        client.create_realtime_client_secret(request)
        pid = os.fork()
        if pid == 0:
            try:
                client.create_realtime_client_secret(request)
            except ClientClosedError as exc:
                print("child:", exc, flush=True)
            os._exit(0)
        os.waitpid(pid, 0)
        client.create_realtime_client_secret(request)
        client.close()
        print("parent: ok")
        """
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-X", "dev", "-c", script, fake_process],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "child: this client was created before os.fork(); create a new one in this process",
        "parent: ok",
    ]
    assert without_slow_callbacks(done.stderr) == ""
