"""api_key as a provider (a plain or async callable), against real loopback servers."""

import asyncio
import itertools
import pickle

import pytest

from realtime_sdk import Secret, SyncRealtimeClient
from realtime_sdk._client import RealtimeClient
from realtime_sdk.errors import (
    APIKeyProviderError,
    AuthenticationError,
    ConfigurationError,
)
from realtime_sdk.testing import FakeRealtimeAPI, serve_in_thread
from tests.conftest import Reply

REQUEST = {"expires_after": {"anchor": "created_at", "seconds": 600}}
# Not key-shaped (no sk-/ek_ prefix), so only the client's own memory of it can mask it.
ROTATED = ["opaque-token-AAAA1111", "opaque-token-BBBB2222", "opaque-token-CCCC3333"]


pytestmark = pytest.mark.usefixtures("clean_openai_env", "sleeps")


def _bearer(seen) -> str:
    return seen.headers["Authorization"].removeprefix("Bearer ")


async def test_provider_is_asked_before_every_attempt() -> None:
    """Each attempt carries the key the provider returned for it (a rotation mid-retry)."""
    keys = iter(ROTATED)
    async with FakeRealtimeAPI() as fake:
        fake.fail_next(1, 500)
        async with RealtimeClient(api_key=lambda: next(keys), base_url=fake.base_url) as client:
            await client.create_realtime_client_secret(REQUEST)
            await client.create_realtime_client_secret(REQUEST)
    assert [_bearer(seen) for seen in fake.requests] == ROTATED


async def test_async_provider_and_secret_results() -> None:
    """An async provider works, and so does a provider returning a Secret."""
    counter = itertools.count()

    async def provider() -> Secret:
        await asyncio.sleep(0)
        return Secret(f"opaque-async-{next(counter)}-key")

    async with (
        FakeRealtimeAPI() as fake,
        RealtimeClient(api_key=provider, base_url=fake.base_url) as client,
    ):
        await client.create_realtime_client_secret(REQUEST)
        await client.create_realtime_client_secret(REQUEST)
    assert [_bearer(seen) for seen in fake.requests] == [
        "opaque-async-0-key",
        "opaque-async-1-key",
    ]


async def test_a_raising_provider_stops_the_call_unretried() -> None:
    """A provider that raises is an APIKeyProviderError caused by its exception; nothing is sent."""
    calls = 0

    def provider() -> str:
        nonlocal calls
        calls += 1
        msg = "vault unreachable"
        raise OSError(msg)

    async with (
        FakeRealtimeAPI() as fake,
        RealtimeClient(api_key=provider, base_url=fake.base_url) as client,
    ):
        with pytest.raises(APIKeyProviderError, match="raised OSError") as caught:
            await client.create_realtime_client_secret(REQUEST)
    assert isinstance(caught.value.__cause__, OSError)
    assert str(caught.value.__cause__) == "vault unreachable"
    assert calls == 1
    assert fake.requests == []


async def test_provider_failing_on_a_retry_is_not_retried(sleeps) -> None:
    """After a failed attempt, a provider that raises ends the call at once."""
    answers = iter([ROTATED[0]])

    def provider() -> str:
        return next(answers)  # StopIteration the second time

    async with FakeRealtimeAPI() as fake:
        fake.fail_next(1, 500)
        async with RealtimeClient(api_key=provider, base_url=fake.base_url) as client:
            with pytest.raises(APIKeyProviderError) as caught:
                await client.create_realtime_client_secret(REQUEST)
    assert isinstance(caught.value.__cause__, StopIteration)
    assert len(fake.requests) == 1
    assert len(sleeps) == 1


@pytest.mark.parametrize(
    ("result", "match"),
    [
        (None, "returned null; expected a non-empty str or Secret"),
        (42, "returned int"),
        ("", "returned an empty key"),
        (Secret(""), "returned an empty key"),
        ("two words", "whitespace or control characters"),
        ("line\nbreak", "whitespace or control characters"),
    ],
)
async def test_a_provider_returning_no_key_is_a_clear_error(result, match) -> None:
    """A non-str, empty or header-breaking result is an APIKeyProviderError; nothing is sent."""
    async with (
        FakeRealtimeAPI() as fake,
        RealtimeClient(api_key=lambda: result, base_url=fake.base_url) as client,
    ):
        with pytest.raises(APIKeyProviderError, match=match) as caught:
            await client.create_realtime_client_secret(REQUEST)
    assert "break" not in str(caught.value)
    assert fake.requests == []


async def test_provider_results_are_masked_in_errors(start_server) -> None:
    """A server echoing the provided key (not key-shaped) finds it masked in the error."""
    token = ROTATED[1]
    server = await start_server(
        Reply(401, {"error": {"message": f"bad token {token}", "type": "invalid_request_error"}})
    )
    async with RealtimeClient(api_key=lambda: token, base_url=server.base_url) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.create_realtime_client_secret(REQUEST)
    error = caught.value
    assert _bearer(server.requests[0]) == token
    for text in (str(error), repr(error), repr(error.body), repr(pickle.dumps(error))):
        assert token not in text
    assert "****" in str(error)


def test_provider_client_repr_shows_no_key() -> None:
    """Neither the client nor its settings show what the provider returns."""
    client = RealtimeClient(api_key=lambda: ROTATED[0], base_url="http://127.0.0.1:9/v1")
    assert ROTATED[0] not in repr(client)
    assert "lambda" not in repr(client._config)


def test_a_non_callable_non_key_is_refused() -> None:
    """api_key of another type is a ConfigurationError naming what is accepted."""
    with pytest.raises(ConfigurationError, match="a str, a Secret or a callable"):
        RealtimeClient(api_key=42, base_url="http://127.0.0.1:9/v1")  # type: ignore[arg-type]


async def test_with_options_can_switch_to_a_provider(start_server) -> None:
    """A derived client may take a provider while the parent keeps its fixed key."""
    server = await start_server(
        Reply(200, {"value": "ek_x1234567", "expires_at": 1, "session": None})
    )
    async with RealtimeClient(api_key="sk-fixed-0123456789", base_url=server.base_url) as parent:
        child = parent.with_options(api_key=lambda: ROTATED[2])
        await child.create_realtime_client_secret(REQUEST)
        await parent.create_realtime_client_secret(REQUEST)
    assert [_bearer(seen) for seen in server.requests] == [ROTATED[2], "sk-fixed-0123456789"]
    assert [name.lower() for name in server.requests[0].names].count("authorization") == 1


def test_sync_client_takes_a_provider() -> None:
    """The sync twin asks the provider (plain or async) on its loop thread, per attempt."""
    keys = iter(ROTATED)

    async def provider() -> str:
        return next(keys)

    with serve_in_thread() as fake:
        fake.fail_next(1, 503)
        with SyncRealtimeClient(api_key=provider, base_url=fake.base_url) as client:
            client.create_realtime_client_secret(REQUEST)
        seen = [_bearer(request) for request in fake.requests]
    assert seen == ROTATED[:2]


async def test_provider_errors_leave_the_client_usable() -> None:
    """After a provider failure the next call asks the provider again and goes through."""
    results = iter([RuntimeError("once"), ROTATED[0]])

    def provider() -> str:
        value = next(results)
        if isinstance(value, Exception):
            raise value
        return value

    async with (
        FakeRealtimeAPI() as fake,
        RealtimeClient(api_key=provider, base_url=fake.base_url) as client,
    ):
        with pytest.raises(APIKeyProviderError):
            await client.create_realtime_client_secret(REQUEST)
        await client.create_realtime_client_secret(REQUEST)
    assert [_bearer(seen) for seen in fake.requests] == [ROTATED[0]]
