"""Client-side rate limiting (rate_limit="wait"/"raise") against a local server that enforces a limit.

The server and the client read one injected clock, and the client's pauses move it
forward instead of sleeping, so a 3-second reset costs no real time.
"""

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from realtime_sdk import RealtimeClient, SyncRealtimeClient
from realtime_sdk._client import _engine
from realtime_sdk._client._ratelimit import parse_reset
from realtime_sdk.errors import ClientRateLimitError, ConfigurationError, RateLimitError
from realtime_sdk.testing import serve_in_thread

KEY = "sk-test-0123456789abcdef"
REQUEST = {"session": {"type": "realtime"}}
ANSWER = {
    "value": "ek_abcdef123456",
    "expires_at": 1,
    "session": {"type": "realtime", "id": "sess_1", "object": "realtime.session"},
}


class Clock:
    """A monotonic clock that only moves when the client pauses."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


class LimitedServer:
    """Allows `limit` requests per window of `window` seconds, and says so in its headers."""

    def __init__(self, clock: Clock, limit: int, window: float, reset_text: str) -> None:
        self.clock = clock
        self.limit = limit
        self.window = window
        self.reset_text = reset_text
        self.window_start = clock.now
        self.used = 0
        self.statuses: list[int] = []

    async def handle(self, request: web.Request) -> web.Response:
        await request.read()
        if self.clock.now >= self.window_start + self.window:
            self.window_start, self.used = self.clock.now, 0
        self.used += 1
        remaining = max(self.limit - self.used, 0)
        headers = {
            "x-ratelimit-limit-requests": str(self.limit),
            "x-ratelimit-remaining-requests": str(remaining),
            "x-ratelimit-reset-requests": self.reset_text,
        }
        if self.used > self.limit:
            self.statuses.append(429)
            body = {"error": {"message": "Rate limit reached", "type": "requests", "code": None}}
            return web.json_response(body, status=429, headers=headers)
        self.statuses.append(200)
        return web.json_response(ANSWER, headers=headers)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Both the client's pauses and its rate-limit clock run on one fake clock."""
    made = Clock()
    monkeypatch.setattr(_engine, "_sleep", made.sleep)
    monkeypatch.setattr(_engine, "_now", lambda: made.now)
    return made


@pytest.fixture
async def limited(clock) -> AsyncIterator[tuple[LimitedServer, str]]:
    """Two requests per 3-second window, announced as a reset of "3s"."""
    server = LimitedServer(clock, limit=2, window=3.0, reset_text="3s")
    app = web.Application()
    app.router.add_post("/v1/realtime/client_secrets", server.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield server, f"http://127.0.0.1:{runner.addresses[0][1]}/v1"
    await runner.cleanup()


async def test_wait_holds_the_next_call_until_the_reset(limited, clock) -> None:
    """With rate_limit="wait" the third call waits out the 3 s reset and never earns a 429."""
    server, base_url = limited
    async with RealtimeClient(api_key=KEY, base_url=base_url, rate_limit="wait") as client:
        for _ in range(5):
            await client.create_realtime_client_secret(REQUEST)
    assert server.statuses == [200] * 5
    assert clock.slept == [3.0, 3.0]


async def test_raise_refuses_at_once_and_sends_nothing(limited, clock) -> None:
    """With rate_limit="raise" the call after the budget ran out raises ClientRateLimitError, unsent."""
    server, base_url = limited
    async with RealtimeClient(api_key=KEY, base_url=base_url, rate_limit="raise") as client:
        await client.create_realtime_client_secret(REQUEST)
        await client.create_realtime_client_secret(REQUEST)
        with pytest.raises(ClientRateLimitError, match="nothing was sent") as caught:
            await client.create_realtime_client_secret(REQUEST)
        assert caught.value.retry_after == 3.0
        clock.now += 3.0
        await client.create_realtime_client_secret(REQUEST)
    assert server.statuses == [200, 200, 200]
    assert clock.slept == []


async def test_a_wait_past_the_deadline_raises_instead(limited, clock) -> None:
    """A reset later than total_timeout (or the attempt's timeout) is not waited for."""
    server, base_url = limited
    async with RealtimeClient(
        api_key=KEY, base_url=base_url, rate_limit="wait", total_timeout=2
    ) as client:
        await client.create_realtime_client_secret(REQUEST)
        await client.create_realtime_client_secret(REQUEST)
        with pytest.raises(ClientRateLimitError, match="time limit"):
            await client.create_realtime_client_secret(REQUEST)
        with pytest.raises(ClientRateLimitError, match="time limit"):
            await client.with_options(total_timeout=None).create_realtime_client_secret(
                REQUEST, timeout=1
            )
    assert server.statuses == [200, 200]
    assert clock.slept == []


async def test_children_share_the_limit(limited, clock) -> None:
    """Clients from with_options see the budget the parent used up, and wait with it."""
    server, base_url = limited
    async with RealtimeClient(api_key=KEY, base_url=base_url, rate_limit="wait") as parent:
        child = parent.with_options(default_headers={"X-Tenant": "a"})
        await parent.create_realtime_client_secret(REQUEST)
        await child.create_realtime_client_secret(REQUEST)
        await child.create_realtime_client_secret(REQUEST)
        refusing = parent.with_options(rate_limit="raise")
        await parent.create_realtime_client_secret(REQUEST)  # the window's second request
        with pytest.raises(ClientRateLimitError):
            await refusing.create_realtime_client_secret(REQUEST)
    assert server.statuses == [200, 200, 200, 200]
    assert clock.slept == [3.0]


async def test_off_by_default(limited, clock) -> None:
    """Without rate_limit the headers are ignored and the server's 429 comes back."""
    server, base_url = limited
    async with RealtimeClient(api_key=KEY, base_url=base_url, max_retries=0) as client:
        await client.create_realtime_client_secret(REQUEST)
        await client.create_realtime_client_secret(REQUEST)
        with pytest.raises(RateLimitError):
            await client.create_realtime_client_secret(REQUEST)
    assert server.statuses == [200, 200, 429]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1s", 1.0),
        ("6m0s", 360.0),
        ("20ms", 0.02),
        ("1h2m3.5s", 3723.5),
        ("0.5s", 0.5),
        ("2", 2.0),
        (" 3s ", 3.0),
        ("", None),
        ("soon", None),
        ("3x", None),
        ("1s2", None),
        ("-1s", None),
        ("-2", None),
        (None, None),
    ],
)
def test_reset_formats(text, seconds) -> None:
    """The reset durations the API uses are read; anything else is ignored (None)."""
    result = parse_reset(text)
    if seconds is None:
        assert result is None
    else:
        assert result == pytest.approx(seconds)


def test_bad_mode_is_refused() -> None:
    """rate_limit takes "wait", "raise" or None only."""
    with pytest.raises(ConfigurationError, match="rate_limit"):
        RealtimeClient(api_key=KEY, rate_limit="sometimes")  # type: ignore[arg-type]
    client = RealtimeClient(api_key=KEY)
    with pytest.raises(ConfigurationError, match="rate_limit"):
        client.with_options(rate_limit="later")  # type: ignore[arg-type]


def test_sync_client_takes_the_mode() -> None:
    """The sync twin acts on the headers too: a 429 saying "none left for 1h" stops the next call."""
    headers = {"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1h"}
    with serve_in_thread() as fake:
        fake.fail_next(1, 429, headers=headers, should_retry=False)
        with SyncRealtimeClient(api_key=KEY, base_url=fake.base_url, rate_limit="raise") as client:
            with pytest.raises(RateLimitError):
                client.create_realtime_client_secret(REQUEST)
            with pytest.raises(ClientRateLimitError) as caught:
                client.create_realtime_client_secret(REQUEST)
        assert len(fake.requests) == 1
    assert 3500 < caught.value.retry_after <= 3600
