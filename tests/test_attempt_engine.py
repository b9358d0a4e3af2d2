"""Issue 22, first slice: the attempt hook, one pool limit, loop mismatches by identity."""

import asyncio
import io
import logging
from collections.abc import AsyncIterator, Iterator

import aiohttp
import attrs
import pytest

from realtime_sdk import (
    APITimeoutError,
    Attempt,
    AzureRealtimeClient,
    ConfigurationError,
    EventLoopMismatchError,
    InternalServerError,
    RealtimeClient,
    SyncRealtimeClient,
    _cli,
)
from realtime_sdk.testing import FakeRealtimeAPI
from tests.conftest import API_KEY

REQUEST = {"expires_after": {"anchor": "created_at", "seconds": 600}}

pytestmark = pytest.mark.usefixtures("clean_openai_env", "sleeps")


@pytest.fixture
async def fake() -> AsyncIterator[FakeRealtimeAPI]:
    """The spec-checking fake API on 127.0.0.1."""
    async with FakeRealtimeAPI() as api:
        yield api


# -- 1. the attempt hook -------------------------------------------------------------------


async def test_a_retried_call_reports_each_attempt(fake: FakeRealtimeAPI) -> None:
    """Two 503s then a key: three records, the first two with the pause that follows."""
    fake.fail_next(2, 503, retry_after=0.25)
    seen: list[Attempt] = []
    async with RealtimeClient(API_KEY, base_url=fake.base_url, on_attempt=seen.append) as client:
        await client.create_realtime_client_secret(REQUEST)
    assert [(a.number, a.max_retries, a.answered, a.status_code, a.error) for a in seen] == [
        (1, 2, True, 503, "InternalServerError"),
        (2, 2, True, 503, "InternalServerError"),
        (3, 2, True, 200, None),
    ]
    assert [a.retry_in for a in seen] == [0.25, 0.25, None]
    assert {a.operation for a in seen} == {"create_realtime_client_secret"}
    assert [a.request_id for a in seen] == [r.request_id for r in fake.requests]
    assert all(a.elapsed >= 0 for a in seen)


async def test_the_last_failed_attempt_reports_no_retry(fake: FakeRealtimeAPI) -> None:
    """A call that gives up reports its last attempt with retry_in None, then raises."""
    fake.fail_next(5, 500, retry_after=0)
    seen: list[Attempt] = []
    async with RealtimeClient(
        API_KEY, base_url=fake.base_url, max_retries=1, on_attempt=seen.append
    ) as client:
        with pytest.raises(InternalServerError):
            await client.create_realtime_client_secret(REQUEST)
    assert [(a.number, a.retry_in) for a in seen] == [(1, 0.0), (2, None)]


async def test_a_timed_out_attempt_is_reported_unanswered(fake: FakeRealtimeAPI) -> None:
    """A timeout is a record with no answer and the SDK exception's name."""
    fake.delay_next(2, 2.0)
    seen: list[Attempt] = []
    async with RealtimeClient(
        API_KEY, base_url=fake.base_url, timeout=0.2, max_retries=0, on_attempt=seen.append
    ) as client:
        with pytest.raises(APITimeoutError):
            await client.create_realtime_client_secret(REQUEST)
    (only,) = seen
    assert (only.answered, only.status_code, only.error, only.retry_in) == (
        False,
        None,
        "APITimeoutError",
        None,
    )


async def test_the_record_is_frozen_and_never_holds_the_key(fake: FakeRealtimeAPI) -> None:
    """A record cannot be changed, and neither its repr nor its fields carry the API key."""
    seen: list[Attempt] = []
    async with RealtimeClient(API_KEY, base_url=fake.base_url, on_attempt=seen.append) as client:
        await client.create_realtime_client_secret(REQUEST)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        seen[0].number = 2  # type: ignore[misc]
    assert API_KEY not in repr(seen[0])
    assert all(API_KEY not in str(value) for value in attrs.astuple(seen[0]))


async def test_with_options_sets_and_clears_the_hook(fake: FakeRealtimeAPI) -> None:
    """A derived client reports to its own hook; None turns reporting off; the parent keeps its own."""
    parent_seen: list[Attempt] = []
    child_seen: list[Attempt] = []
    async with RealtimeClient(
        API_KEY, base_url=fake.base_url, on_attempt=parent_seen.append
    ) as client:
        await client.with_options(on_attempt=child_seen.append).create_realtime_client_secret(
            REQUEST
        )
        await client.with_options(on_attempt=None).create_realtime_client_secret(REQUEST)
        await client.with_options(timeout=5.0).create_realtime_client_secret(REQUEST)
    assert (len(parent_seen), len(child_seen)) == (1, 1)


async def test_a_hook_that_raises_ends_the_call_with_its_exception(fake: FakeRealtimeAPI) -> None:
    """The hook's exception propagates (documented); the attempt was still made."""

    def broken(_: Attempt) -> None:
        msg = "hook failed"
        raise LookupError(msg)

    async with RealtimeClient(API_KEY, base_url=fake.base_url, on_attempt=broken) as client:
        with pytest.raises(LookupError, match="hook failed"):
            await client.create_realtime_client_secret(REQUEST)
    assert len(fake.requests) == 1


def test_a_hook_that_is_not_callable_is_refused() -> None:
    """on_attempt must be callable or None, for both clients and with_options."""
    with pytest.raises(ConfigurationError, match="on_attempt"):
        RealtimeClient(API_KEY, on_attempt="print")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="on_attempt"):
        RealtimeClient(API_KEY).with_options(on_attempt=3)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="on_attempt"):
        AzureRealtimeClient(
            api_key=API_KEY,
            azure_endpoint="https://r.openai.azure.com",
            on_attempt=object(),  # type: ignore[arg-type]
        )


def test_the_sync_facade_reports_attempts(fake_in_thread: FakeRealtimeAPI) -> None:
    """The generated sync client takes on_attempt and reports through it."""
    fake_in_thread.fail_next(1, 503, retry_after=0)
    seen: list[Attempt] = []
    with SyncRealtimeClient(
        API_KEY, base_url=fake_in_thread.base_url, on_attempt=seen.append
    ) as client:
        client.create_realtime_client_secret(REQUEST)
    assert [(a.number, a.status_code) for a in seen] == [(1, 503), (2, 200)]


@pytest.fixture
def fake_in_thread() -> Iterator[FakeRealtimeAPI]:
    """The fake served from a thread of its own, for the blocking client."""
    from realtime_sdk.testing._background import serve_in_thread  # noqa: PLC0415

    with serve_in_thread() as api:
        yield api


# -- 2. one pool limit ---------------------------------------------------------------------


async def test_max_connections_bounds_the_connections_the_fake_sees(
    fake: FakeRealtimeAPI,
) -> None:
    """64 calls at once through a pool of 3 open at most 3 connections."""
    fake.delay_next(64, 0.02)
    async with RealtimeClient(API_KEY, base_url=fake.base_url, max_connections=3) as client:
        await asyncio.gather(*(client.create_realtime_client_secret(REQUEST) for _ in range(64)))
    assert len(fake.requests) == 64
    assert fake.connections <= 3


async def test_the_pool_limit_holds_on_a_session_with_an_unbounded_connector(
    fake: FakeRealtimeAPI,
) -> None:
    """A caller's session without a connection limit still gets max_connections at most."""
    fake.delay_next(32, 0.02)
    connector = aiohttp.TCPConnector(limit=0)
    async with (
        aiohttp.ClientSession(connector=connector) as session,
        RealtimeClient(
            API_KEY, base_url=fake.base_url, max_connections=2, session=session
        ) as client,
    ):
        await asyncio.gather(*(client.create_realtime_client_secret(REQUEST) for _ in range(32)))
    assert fake.connections <= 2


# -- 3. loop mismatches by identity --------------------------------------------------------


def test_a_callers_session_from_another_loop_is_named() -> None:
    """A session and client made in one loop, called from another: EventLoopMismatchError, nothing sent."""
    with asyncio.Runner() as first, asyncio.Runner() as second:
        fake = FakeRealtimeAPI()
        first.run(fake.start())

        async def made_in_first() -> tuple[aiohttp.ClientSession, RealtimeClient]:
            session = aiohttp.ClientSession()
            return session, RealtimeClient(API_KEY, base_url=fake.base_url, session=session)

        session, client = first.run(made_in_first())
        with pytest.raises(EventLoopMismatchError, match="belongs to another event loop"):
            second.run(client.create_realtime_client_secret(REQUEST))
        first.run(client.create_realtime_client_secret(REQUEST))  # its own loop still works
        second.run(client.aclose())
        first.run(session.close())
        first.run(fake.close())
        assert len(fake.requests) == 1


def test_a_client_opened_in_one_loop_refuses_a_second() -> None:
    """The client's own session is bound to its first loop; a second asyncio.run is refused."""
    with asyncio.Runner() as first, asyncio.Runner() as second:
        fake = FakeRealtimeAPI()
        first.run(fake.start())
        client = RealtimeClient(API_KEY, base_url=fake.base_url)
        first.run(client.create_realtime_client_secret(REQUEST))
        with pytest.raises(EventLoopMismatchError, match="bound to the event loop"):
            second.run(client.create_realtime_client_secret(REQUEST))
        first.run(client.aclose())
        first.run(fake.close())
        assert len(fake.requests) == 1


def test_cli_retry_lines_come_from_the_hook_not_the_logger(
    fake_in_thread: FakeRealtimeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the library's logger switched off, the command still prints each retry and leaves the logger be."""
    logger = logging.getLogger("realtime_sdk")
    monkeypatch.setattr(logger, "disabled", True)
    monkeypatch.setattr(logger, "level", logging.WARNING)
    fake_in_thread.fail_next(1, 503, retry_after=0)
    err = io.StringIO()
    code = _cli.run(
        ["client-secret", "--base-url", fake_in_thread.base_url, "--value"],
        environ={"OPENAI_API_KEY": API_KEY},
        stdin=io.StringIO(""),
        stdout=io.StringIO(),
        stderr=err,
    )
    assert code == 0
    request_id = fake_in_thread.requests[0].request_id
    assert err.getvalue() == (
        f"retrying in 0.0 s (retry 1 of 2): attempt 1 was answered 503 (request id {request_id})\n"
    )
    assert (logger.level, logger.handlers) == (logging.WARNING, [])
