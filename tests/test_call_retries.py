"""Which failures the call operations retry, against local servers that fail in each way.

Accept, refer, reject and hang up change a live call, so they are retried only when the
service cannot have acted: nothing was sent (the connection was refused), or it answered
408, 429 or ``x-should-retry: true``. Creating a call and minting a translation key retry
every transient failure, as the key-minting calls do.
"""

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from yarl import URL

from realtime_sdk import RealtimeClient
from realtime_sdk._client import _engine
from realtime_sdk._http._transport import map_exception
from realtime_sdk.errors import (
    APIConnectionError,
    APITimeoutError,
    ConflictError,
    InternalServerError,
    RateLimitError,
)
from realtime_sdk.testing import FakeRealtimeAPI
from tests.conftest import API_KEY

OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
SESSION = {"type": "realtime"}

Change = Callable[[RealtimeClient, str], Awaitable[None]]
CHANGES: dict[str, Change] = {
    "accept": lambda client, call_id: client.accept_realtime_call(call_id, SESSION),
    "reject": lambda client, call_id: client.reject_realtime_call(call_id),
    "refer": lambda client, call_id: client.refer_realtime_call(call_id, {"target_uri": "tel:+1"}),
    "hangup": lambda client, call_id: client.hangup_realtime_call(call_id),
}


@pytest.fixture(autouse=True)
def pauses(sleeps: list[float]) -> list[float]:
    """Every pause between attempts, recorded instead of waited out (`conftest.sleeps`)."""
    return sleeps


@pytest.fixture
async def fake() -> AsyncIterator[FakeRealtimeAPI]:
    """A fake API on a free port."""
    async with FakeRealtimeAPI() as server:
        yield server


def _ready(fake: FakeRealtimeAPI, change: str, call_id: str | None = None) -> str:
    """A call in the state the change needs (refer needs an answered call)."""
    call_id = fake.add_incoming_call(call_id=call_id)
    if change == "refer":
        fake.calls[call_id].state = "active"
    return call_id


def _client_of(fake: FakeRealtimeAPI, **options: Any) -> RealtimeClient:
    return RealtimeClient(API_KEY, base_url=fake.base_url, **options)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("change", CHANGES)
async def test_a_refused_connection_is_retried_as_nothing_was_sent(monkeypatch, change) -> None:
    """Nothing listens on the first attempt; the server comes up during the pause, and the
    retry reaches it: one request arrives, and the change is made."""
    port = _free_port()
    fake = FakeRealtimeAPI(port=port)
    call_id = "rtc_later"

    async def start_during_pause(_: float) -> None:
        await fake.start()
        _ready(fake, change, call_id)

    monkeypatch.setattr(_engine, "_sleep", start_during_pause)
    try:
        async with RealtimeClient(API_KEY, base_url=f"http://127.0.0.1:{port}/v1") as client:
            await CHANGES[change](client, call_id)
        assert len(fake.requests) == 1
        assert fake.calls[call_id].state in {"active", "ended"}
    finally:
        await fake.close()


async def test_a_refused_connection_says_nothing_was_sent() -> None:
    """The error of a refused connection has maybe_sent False, so a caller can retry too."""
    port = _free_port()
    async with RealtimeClient(API_KEY, base_url=f"http://127.0.0.1:{port}/v1", max_retries=0) as c:
        with pytest.raises(APIConnectionError) as caught:
            await c.hangup_realtime_call("rtc_1")
    assert caught.value.maybe_sent is False


def test_a_connect_timeout_says_nothing_was_sent() -> None:
    """aiohttp's connect timeout maps to an APITimeoutError with maybe_sent False; a read
    timeout keeps True."""
    url = URL("http://127.0.0.1:9/v1/realtime/calls")
    connect = map_exception(aiohttp.ConnectionTimeoutError("connect"), url)
    read = map_exception(aiohttp.SocketTimeoutError("read"), url)
    assert isinstance(connect, APITimeoutError)
    assert connect.maybe_sent is False
    assert isinstance(read, APITimeoutError)
    assert read.maybe_sent is True


@pytest.mark.parametrize("change", CHANGES)
async def test_a_dropped_connection_after_sending_is_not_retried(fake, pauses, change) -> None:
    """The request arrived and the connection broke: the change may have been made, so it
    is raised at once, with maybe_sent True."""
    call_id = _ready(fake, change)
    fake.drop_next(1)
    async with _client_of(fake) as client:
        with pytest.raises(APIConnectionError) as caught:
            await CHANGES[change](client, call_id)
    assert caught.value.maybe_sent is True
    assert len(fake.requests) == 1
    assert pauses == []


async def test_a_timeout_after_sending_is_not_retried(fake, monkeypatch) -> None:
    """An answer that does not come in time may still have accepted the call: raised once."""
    monkeypatch.setattr(_engine, "_sleep", asyncio.sleep)
    call_id = _ready(fake, "accept")
    fake.delay_next(1, 5.0)
    async with _client_of(fake, timeout=0.2) as client:
        with pytest.raises(APITimeoutError) as caught:
            await client.accept_realtime_call(call_id, SESSION)
    assert caught.value.maybe_sent is True
    assert len(fake.requests) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_a_server_error_is_not_retried(fake, pauses, status) -> None:
    """A 5xx may come after the change took effect: raised at once."""
    call_id = _ready(fake, "accept")
    fake.fail_next(1, status)
    async with _client_of(fake) as client:
        with pytest.raises(InternalServerError):
            await client.accept_realtime_call(call_id, SESSION)
    assert len(fake.requests) == 1
    assert pauses == []


async def test_a_conflict_is_not_retried(fake, pauses) -> None:
    """409 is the call's state speaking (already answered, say): raised at once."""
    call_id = _ready(fake, "accept")
    fake.fail_next(1, 409)
    async with _client_of(fake) as client:
        with pytest.raises(ConflictError):
            await client.accept_realtime_call(call_id, SESSION)
    assert len(fake.requests) == 1


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("status", [408, 429])
async def test_answers_that_say_nothing_was_done_are_retried(fake, pauses, change, status) -> None:
    """408 and 429 mean the service did not act: the change is tried again and made."""
    call_id = _ready(fake, change)
    fake.fail_next(1, status, retry_after_ms=5)
    async with _client_of(fake) as client:
        await CHANGES[change](client, call_id)
    assert [r.status for r in fake.requests] == [status, 200]
    assert pauses == [0.005]


async def test_the_server_may_ask_for_a_retry_of_a_server_error(fake, pauses) -> None:
    """x-should-retry: true is the service saying a repeat is safe: honoured."""
    call_id = _ready(fake, "hangup")
    fake.fail_next(1, 503, should_retry=True)
    async with _client_of(fake) as client:
        await client.hangup_realtime_call(call_id)
    assert [r.status for r in fake.requests] == [503, 200]


async def test_the_server_may_forbid_a_retry_of_a_rate_limit(fake, pauses) -> None:
    """x-should-retry: false wins over a 429; so does an exhausted quota."""
    call_id = _ready(fake, "hangup")
    fake.fail_next(1, 429, should_retry=False)
    quota = {
        "error": {"message": "out", "type": "insufficient_quota", "code": "insufficient_quota"}
    }
    fake.fail_next(1, 429, body=quota)
    async with _client_of(fake) as client:
        for _ in range(2):
            with pytest.raises(RateLimitError):
                await client.hangup_realtime_call(call_id)
    assert len(fake.requests) == 2
    assert pauses == []


async def test_creating_a_call_retries_a_drop_and_a_server_error(fake, pauses) -> None:
    """A create retries every transient failure: a lost answer leaves at most an unused call."""
    fake.drop_next(1)
    fake.fail_next(1, 500)
    async with _client_of(fake) as client:
        answer = await client.create_realtime_call({"sdp": OFFER})
    assert [r.status for r in fake.requests] == [None, 500, 201]
    assert answer.call_id in fake.calls


async def test_a_translation_secret_retries_a_server_error(fake, pauses) -> None:
    """Minting a translation key retries like minting any key."""
    fake.fail_next(2, 503)
    async with _client_of(fake) as client:
        await client.create_realtime_translation_client_secret({"session": {"model": "m"}})
    assert [r.status for r in fake.requests] == [503, 503, 200]
    assert len(pauses) == 2


async def test_waiting_in_vain_for_a_pooled_connection_is_retried(fake, monkeypatch) -> None:
    """With the only connection held by a slow call, a change that could not get one sent
    nothing: each attempt's wait is retried, and no request for the change arrives."""
    waits: list[float] = []

    async def record(delay: float) -> None:
        waits.append(delay)

    monkeypatch.setattr(_engine, "_sleep", record)
    call_id = _ready(fake, "hangup")
    fake.delay_next(1, 30.0)
    async with _client_of(fake, max_connections=1, max_retries=2) as client:
        slow = asyncio.create_task(client.create_realtime_call({"sdp": OFFER}))
        await fake.wait_for_requests(1)
        with pytest.raises(APITimeoutError) as caught:
            await client.hangup_realtime_call(call_id, timeout=0.05)
        assert caught.value.maybe_sent is False
        assert len(waits) == 2
        assert [r.path for r in fake.requests] == ["/v1/realtime/calls"]
        slow.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await slow
