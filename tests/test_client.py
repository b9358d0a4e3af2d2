"""RealtimeClient against real loopback servers: wire format, lifecycle, retries, errors, secrets."""

import asyncio
import contextlib
import gc
import itertools
import json
import logging
import warnings
from collections.abc import AsyncIterator, Callable

import aiohttp
import attrs
import pytest

from realtime_sdk import Secret, models
from realtime_sdk._client import RealtimeClient, _engine
from realtime_sdk.errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    EventLoopMismatchError,
    InsecureTransportWarning,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    RequestValidationError,
)
from realtime_sdk.testing import FakeRealtimeAPI
from tests.conftest import API_KEY, Reply, read_http_request, warns_if_legacy

EPHEMERAL = "ek_68af2f5d0f3c8190a5c1e2b3d4f5a6b7"
SECRET_BODY = {
    "value": EPHEMERAL,
    "expires_at": 1_800_000_000,
    "session": {"type": "realtime", "id": "sess_123", "object": "realtime.session"},
}
OK = Reply(200, SECRET_BODY, {"x-request-id": "req_ok"})
REQUEST = {"expires_after": {"anchor": "created_at", "seconds": 600}}


def _error_body(message: str, type_: str, code: str | None, param: str | None = None) -> dict:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


pytestmark = pytest.mark.usefixtures("clean_openai_env", "sleeps")


@pytest.fixture
async def clients() -> AsyncIterator[Callable[..., RealtimeClient]]:
    """Build clients for a server's base URL; each is closed at teardown."""
    made: list[RealtimeClient] = []

    def make(base_url: str, **options: object) -> RealtimeClient:
        options.setdefault("api_key", API_KEY)
        client = RealtimeClient(base_url=base_url, **options)  # type: ignore[arg-type]
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()


# -- construction ---------------------------------------------------------------------------


def test_missing_key_names_the_variable() -> None:
    """No argument and no environment variable: a ConfigurationError naming OPENAI_API_KEY."""
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        RealtimeClient()


def test_empty_key_is_rejected() -> None:
    """An empty key is a configuration error, found before any call."""
    with pytest.raises(ConfigurationError, match="api_key"):
        RealtimeClient(api_key="  ")


def test_default_base_url_is_the_public_api() -> None:
    """Without argument or variable the client talks to api.openai.com/v1/."""
    assert RealtimeClient(api_key=API_KEY).base_url == "https://api.openai.com/v1/"


def test_base_url_comes_from_the_environment(monkeypatch) -> None:
    """OPENAI_BASE_URL is used when no base_url is passed, normalised to end in '/'."""
    monkeypatch.setenv("OPENAI_BASE_URL", "https://proxy.example/openai/v1")
    assert RealtimeClient(api_key=API_KEY).base_url == "https://proxy.example/openai/v1/"


@pytest.mark.parametrize(
    "url", ["ftp://x/v1", "api.openai.com/v1", "https:///v1", "https://h/v1?x=1"]
)
def test_bad_base_url_is_rejected(url: str) -> None:
    """A base URL that is not absolute http(s) without query is a ConfigurationError."""
    with pytest.raises(ConfigurationError, match="base_url"):
        RealtimeClient(api_key=API_KEY, base_url=url)


def test_plain_http_to_a_remote_host_warns() -> None:
    """An http:// base URL off loopback draws InsecureTransportWarning."""
    with pytest.warns(InsecureTransportWarning, match="unencrypted"):
        RealtimeClient(api_key=API_KEY, base_url="http://api.example.com/v1")


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9/v1", "http://localhost:9/v1", "http://[::1]:9/v1", "https://x.example/v1"],
)
def test_loopback_or_https_does_not_warn(url: str) -> None:
    """Loopback http and any https base URL are accepted silently."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        RealtimeClient(api_key=API_KEY, base_url=url)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("timeout", 0),
        ("timeout", -1.0),
        ("timeout", float("nan")),
        ("connect_timeout", "5"),
        ("total_timeout", 0),
        ("max_retries", -1),
        ("max_retries", 1.5),
        ("max_connections", 0),
        ("keepalive_timeout", -1),
    ],
)
def test_bad_settings_are_rejected_by_name(option: str, value: object) -> None:
    """An out-of-range setting raises ConfigurationError naming it."""
    with pytest.raises(ConfigurationError, match=option):
        RealtimeClient(api_key=API_KEY, **{option: value})  # type: ignore[arg-type]


def test_bad_default_header_is_rejected() -> None:
    """A header value with a newline is refused, and the value is not echoed."""
    with pytest.raises(ConfigurationError, match="X-Token") as info:
        RealtimeClient(api_key=API_KEY, default_headers={"X-Token": "abc\r\nEvil: 1"})
    assert "Evil" not in str(info.value)


def test_key_with_newline_is_rejected_without_echo() -> None:
    """A key with a control character is refused; the message does not show the key."""
    with pytest.raises(ConfigurationError) as info:
        RealtimeClient(api_key=API_KEY + "\n")
    assert API_KEY not in str(info.value)


def test_client_and_config_reprs_hide_the_key() -> None:
    """Neither the client's nor its config's repr shows the API key."""
    client = RealtimeClient(api_key=API_KEY)
    assert API_KEY not in repr(client)
    assert API_KEY not in repr(client._config)
    assert API_KEY not in str(client._config)


# -- the wire ---------------------------------------------------------------------------------


async def test_headers_and_body_on_the_wire(start_server, clients) -> None:
    """Bearer key, JSON content type and accept, our User-Agent, no beta header, compact body."""
    server = await start_server(OK)
    client = clients(server.base_url)
    await client.create_realtime_client_secret(REQUEST)
    seen = server.requests[0]
    assert seen.path == "/v1/realtime/client_secrets"
    assert seen.headers["Authorization"] == f"Bearer {API_KEY}"
    assert seen.headers["Content-Type"] == "application/json"
    assert seen.headers["Accept"] == "application/json"
    assert seen.headers["User-Agent"].startswith("realtime-sdk/")
    assert " aiohttp/" in seen.headers["User-Agent"]
    assert not any(name.lower() == "openai-beta" for name in seen.headers)
    assert "Cookie" not in seen.headers
    assert seen.body == b'{"expires_after":{"anchor":"created_at","seconds":600}}'


async def test_key_organization_and_project_come_from_the_environment(
    start_server, monkeypatch
) -> None:
    """OPENAI_API_KEY, OPENAI_ORG_ID and OPENAI_PROJECT_ID end up in the headers."""
    server = await start_server(OK)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env-123456")
    monkeypatch.setenv("OPENAI_ORG_ID", "org_1")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj_1")
    async with RealtimeClient(base_url=server.base_url) as client:
        await client.create_realtime_client_secret(REQUEST)
    headers = server.requests[0].headers
    assert headers["Authorization"] == "Bearer sk-from-env-123456"
    assert headers["OpenAI-Organization"] == "org_1"
    assert headers["OpenAI-Project"] == "proj_1"


async def test_key_may_be_given_as_a_secret(start_server) -> None:
    """A Secret works as the API key and is revealed only into the header."""
    server = await start_server(OK)
    async with RealtimeClient(Secret(API_KEY), base_url=server.base_url) as client:
        await client.create_realtime_client_secret(REQUEST)
        assert API_KEY not in repr(client)
    assert server.requests[0].headers["Authorization"] == f"Bearer {API_KEY}"


async def test_no_organization_or_project_headers_by_default(start_server, clients) -> None:
    """Unset organization and project send no header at all."""
    server = await start_server(OK)
    await clients(server.base_url).create_realtime_client_secret(REQUEST)
    assert "OpenAI-Organization" not in server.requests[0].headers
    assert "OpenAI-Project" not in server.requests[0].headers


async def test_default_and_extra_headers_are_sent(start_server, clients) -> None:
    """Client-wide default headers and per-call extra headers both reach the server."""
    server = await start_server(OK)
    client = clients(server.base_url, default_headers={"X-App": "demo"})
    await client.create_realtime_client_secret(REQUEST, extra_headers={"X-Trace": "t1"})
    await client.create_realtime_client_secret(REQUEST)
    first, second = server.requests
    assert (first.headers["X-App"], first.headers["X-Trace"]) == ("demo", "t1")
    assert second.headers["X-App"] == "demo"
    assert "X-Trace" not in second.headers


@pytest.mark.parametrize("own_session", [True, False], ids=["own session", "caller's session"])
async def test_extra_header_replaces_a_default_in_any_letter_case(
    start_server, own_session
) -> None:
    """An extra header named like a client header, in other letters, is sent once, with its value."""
    server = await start_server(OK)
    async with contextlib.AsyncExitStack() as stack:
        session = None if own_session else await stack.enter_async_context(aiohttp.ClientSession())
        client = RealtimeClient(
            api_key=API_KEY,
            base_url=server.base_url,
            default_headers={"X-App": "demo"},
            session=session,
        )
        stack.push_async_callback(client.aclose)
        await client.create_realtime_client_secret(
            REQUEST, extra_headers={"x-app": "override", "user-agent": "mine/1"}
        )
    seen = server.requests[0]
    names = [name.lower() for name in seen.names]
    assert sorted(names) == sorted(set(names))
    sent = {name.lower(): value for name, value in seen.headers.items()}
    assert (sent["x-app"], sent["user-agent"]) == ("override", "mine/1")
    assert sent["authorization"] == f"Bearer {API_KEY}"


async def test_error_headers_are_looked_up_in_any_letter_case(start_server, clients) -> None:
    """An APIStatusError's headers answer to any spelling of a name, as HTTP headers do."""
    server = await start_server(
        Reply(429, {"error": {"message": "slow down"}}, {"Retry-After": "7"})
    )
    with pytest.raises(RateLimitError) as info:
        await clients(server.base_url, max_retries=0).create_realtime_client_secret(REQUEST)
    headers = info.value.headers
    assert headers["retry-after"] == headers["RETRY-AFTER"] == "7"


async def test_base_url_without_trailing_slash_keeps_its_path(start_server, clients) -> None:
    """'.../v1' (no slash) still posts to /v1/realtime/..., not /realtime/..."""
    server = await start_server(OK)
    await clients(server.base_url.rstrip("/")).create_realtime_client_secret(REQUEST)
    assert server.requests[0].path == "/v1/realtime/client_secrets"


async def test_each_method_posts_to_its_path(start_server, clients) -> None:
    """The three methods post to their three endpoints."""
    server = await start_server(OK)
    client = clients(server.base_url)
    await client.create_realtime_client_secret(REQUEST)
    server.script(Reply(200, {"id": "sess_1", "object": "realtime.session"}))
    with warns_if_legacy("create_realtime_session"):
        await client.create_realtime_session({"model": "gpt-realtime"})
    server.script(Reply(200, {"client_secret": {"value": EPHEMERAL, "expires_at": 1}}))
    with warns_if_legacy("create_realtime_transcription_session"):
        await client.create_realtime_transcription_session({})
    assert [seen.path for seen in server.requests] == [
        "/v1/realtime/client_secrets",
        "/v1/realtime/sessions",
        "/v1/realtime/transcription_sessions",
    ]


async def test_bad_input_fails_before_sending(start_server, clients) -> None:
    """A request that does not fit raises RequestValidationError and nothing is sent."""
    server = await start_server(OK)
    client = clients(server.base_url)
    with pytest.raises(RequestValidationError, match="expires_after"):
        await client.create_realtime_client_secret({"expires_after": 5})
    assert server.requests == []


async def test_bad_per_call_timeout_fails_before_sending(start_server, clients) -> None:
    """A non-positive per-call timeout is rejected by name before any I/O."""
    server = await start_server(OK)
    with pytest.raises(ConfigurationError, match="timeout"):
        await clients(server.base_url).create_realtime_client_secret(REQUEST, timeout=0)
    assert server.requests == []


async def test_result_hides_the_ephemeral_key(start_server, clients) -> None:
    """The minted key reads back with reveal() but never shows in repr or str."""
    server = await start_server(OK)
    result = await clients(server.base_url).create_realtime_client_secret(REQUEST)
    assert result.value.reveal() == EPHEMERAL
    assert EPHEMERAL not in repr(result)
    assert EPHEMERAL not in str(result)


async def test_with_response_gives_status_headers_and_request_id(start_server, clients) -> None:
    """The *_with_response variant returns the model plus the call's HTTP facts."""
    server = await start_server(Reply(200, SECRET_BODY, {"x-request-id": "req_7", "X-Extra": "1"}))
    response = await clients(server.base_url).create_realtime_client_secret_with_response(REQUEST)
    assert (response.status_code, response.request_id, response.attempts) == (200, "req_7", 1)
    assert response.headers["x-extra"] == "1"
    assert response.data.value.reveal() == EPHEMERAL
    assert EPHEMERAL not in repr(response)


# -- lifecycle --------------------------------------------------------------------------------


async def test_sequential_calls_share_one_connection(start_server, clients) -> None:
    """Twenty calls in a row travel over a single kept-alive TCP connection."""
    server = await start_server(OK)
    client = clients(server.base_url)
    for _ in range(20):
        await client.create_realtime_client_secret(REQUEST)
    assert len(server.requests) == 20
    assert server.connections == 1


async def test_calls_after_close_raise_client_closed(start_server) -> None:
    """Every method on a closed client raises ClientClosedError without sending."""
    server = await start_server(OK)
    async with RealtimeClient(api_key=API_KEY, base_url=server.base_url) as client:
        await client.create_realtime_client_secret(REQUEST)
    assert client.is_closed
    with pytest.raises(ClientClosedError):
        await client.create_realtime_client_secret(REQUEST)
    with warns_if_legacy("create_realtime_session"), pytest.raises(ClientClosedError):
        await client.create_realtime_session({})
    with (
        warns_if_legacy("create_realtime_transcription_session"),
        pytest.raises(ClientClosedError),
    ):
        await client.create_realtime_transcription_session({})
    with pytest.raises(ClientClosedError):
        await client.__aenter__()
    assert len(server.requests) == 1


async def test_aclose_is_idempotent() -> None:
    """aclose() twice, or on a never-used client, is fine."""
    client = RealtimeClient(api_key=API_KEY, base_url="http://127.0.0.1:9/v1/")
    await client.aclose()
    await client.aclose()
    assert client.is_closed


async def test_aclose_closes_the_own_session(start_server) -> None:
    """The client's own aiohttp session is closed by aclose()."""
    server = await start_server(OK)
    client = RealtimeClient(api_key=API_KEY, base_url=server.base_url)
    await client.create_realtime_client_secret(REQUEST)
    session = client._pool.session
    assert session is not None
    await client.aclose()
    assert session.closed


async def test_caller_owned_session_is_used_and_left_open(start_server) -> None:
    """A session passed in carries the calls and is still open after aclose()."""
    server = await start_server(OK)
    async with aiohttp.ClientSession() as session:
        client = RealtimeClient(api_key=API_KEY, base_url=server.base_url, session=session)
        await client.create_realtime_client_secret(REQUEST)
        await client.aclose()
        assert not session.closed
        assert server.requests[0].headers["Authorization"] == f"Bearer {API_KEY}"


async def test_closed_caller_session_is_a_clear_error(start_server) -> None:
    """A caller-owned session closed by its owner gives ClientClosedError, not aiohttp's error."""
    server = await start_server(OK)
    session = aiohttp.ClientSession()
    client = RealtimeClient(api_key=API_KEY, base_url=server.base_url, session=session)
    await client.create_realtime_client_secret(REQUEST)
    await session.close()
    with pytest.raises(ClientClosedError, match="session"):
        await client.create_realtime_client_secret(REQUEST)
    await client.aclose()


async def test_close_during_a_retry_pause_ends_the_call(start_server, monkeypatch) -> None:
    """aclose() while a call waits to retry ends that call with ClientClosedError."""
    server = await start_server(Reply(503, headers={"retry-after": "1"}))
    client = RealtimeClient(api_key=API_KEY, base_url=server.base_url)

    async def close_instead_of_waiting(_delay: float) -> None:
        await client.aclose()

    monkeypatch.setattr(_engine, "_sleep", close_instead_of_waiting)
    with pytest.raises(ClientClosedError, match="closed while") as info:
        await client.create_realtime_client_secret(REQUEST)
    assert isinstance(info.value.__cause__, InternalServerError)
    assert len(server.requests) == 1


def test_use_from_another_event_loop_is_a_clear_error(start_server) -> None:
    """A client opened in one loop raises EventLoopMismatchError in another."""
    with asyncio.Runner() as first, asyncio.Runner() as second:
        server = first.run(start_server(OK))
        client = RealtimeClient(api_key=API_KEY, base_url=server.base_url)
        first.run(client.create_realtime_client_secret(REQUEST))
        with pytest.raises(EventLoopMismatchError, match="event loop"):
            second.run(client.create_realtime_client_secret(REQUEST))
        with pytest.raises(EventLoopMismatchError):
            second.run(client.aclose())
        first.run(client.aclose())
        assert len(server.requests) == 1


async def test_concurrent_calls_through_a_small_pool(start_server, clients) -> None:
    """500 calls at once through a pool of 20 connections all succeed."""
    server = await start_server(OK)
    client = clients(server.base_url, max_connections=20)
    results = await asyncio.gather(
        *(client.create_realtime_client_secret(REQUEST) for _ in range(500))
    )
    assert len(results) == 500
    assert all(result.value.reveal() == EPHEMERAL for result in results)
    assert len(server.requests) == 500
    assert server.connections <= 20


async def test_pool_waiters_are_served_first_come_first_served(start_server, clients) -> None:
    """A call queued for the only connection gets it before a busy caller's next call."""
    server = await start_server(OK)
    client = clients(server.base_url, max_connections=1)
    hog_done = 0
    started = asyncio.Event()

    async def hog() -> None:
        nonlocal hog_done
        for _ in range(30):
            await client.create_realtime_client_secret(REQUEST)
            hog_done += 1
            if hog_done == 2:
                started.set()

    hog_task = asyncio.create_task(hog())
    await started.wait()
    before = hog_done
    await client.create_realtime_client_secret(REQUEST)
    overtaken = hog_done - before
    await hog_task
    # Only the hog's call already holding the connection may finish first.
    assert overtaken <= 1


async def test_waiting_for_a_free_connection_is_bounded(start_server, clients) -> None:
    """With every connection busy, the wait counts against the attempt's timeout."""
    server = await start_server(OK)
    server.script(Reply(200, SECRET_BODY, delay=30.0))
    client = clients(server.base_url, max_connections=1, max_retries=0)
    busy = asyncio.create_task(client.create_realtime_client_secret(REQUEST))
    while not server.requests:  # noqa: ASYNC110 - polling the server's record is the simplest witness
        await asyncio.sleep(0.01)
    with pytest.raises(APITimeoutError, match="waiting for a free connection"):
        await client.create_realtime_client_secret(REQUEST, timeout=0.05)
    busy.cancel()
    with pytest.raises(asyncio.CancelledError):
        await busy
    assert len(server.requests) == 1


async def test_cancelled_call_releases_its_connection(start_server, clients) -> None:
    """Cancelling a call in flight frees its pooled connection for the next call."""
    server = await start_server(OK)
    server.script(Reply(200, SECRET_BODY, delay=30.0))
    client = clients(server.base_url, max_connections=1)
    task = asyncio.create_task(client.create_realtime_client_secret(REQUEST))
    while not server.requests:  # noqa: ASYNC110 - polling the server's record is the simplest witness
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # With one connection in the pool, this call can only proceed if the slot was released.
    async with asyncio.timeout(10):
        result = await client.create_realtime_client_secret(REQUEST)
    assert result.value.reveal() == EPHEMERAL
    assert len(server.requests) == 2


async def test_cancelled_during_a_retry_pause_stays_cancelled(
    start_server, clients, monkeypatch
) -> None:
    """Cancelling a call while it waits to retry raises CancelledError and sends nothing more."""
    monkeypatch.setattr(_engine, "_sleep", asyncio.sleep)
    server = await start_server(Reply(503, headers={"retry-after": "30"}))
    task = asyncio.create_task(clients(server.base_url).create_realtime_client_secret(REQUEST))
    while not server.requests:  # noqa: ASYNC110 - polling the server's record is the simplest witness
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(server.requests) == 1


# -- retries ----------------------------------------------------------------------------------


async def test_5xx_is_retried_until_success(start_server, clients) -> None:
    """Two 503s then a 200: the call succeeds on the third attempt."""
    server = await start_server(OK)
    server.script(Reply(503), Reply(503))
    response = await clients(server.base_url).create_realtime_client_secret_with_response(REQUEST)
    assert response.attempts == 3
    assert len(server.requests) == 3


async def test_retries_stop_at_max_retries(start_server, clients, sleeps) -> None:
    """Persistent 500s: max_retries=2 means three attempts, then InternalServerError."""
    server = await start_server(Reply(500, _error_body("boom", "server_error", None)))
    with pytest.raises(InternalServerError, match="boom"):
        await clients(server.base_url).create_realtime_client_secret(REQUEST)
    assert len(server.requests) == 3
    assert len(sleeps) == 2


async def test_max_retries_zero_makes_one_attempt(start_server, clients) -> None:
    """max_retries=0 turns retrying off."""
    server = await start_server(Reply(503))
    with pytest.raises(InternalServerError):
        await clients(server.base_url, max_retries=0).create_realtime_client_secret(REQUEST)
    assert len(server.requests) == 1


@pytest.mark.parametrize("status", [408, 409, 429])
async def test_transient_4xx_is_retried(start_server, clients, status: int) -> None:
    """408, 409 and 429 are retried."""
    server = await start_server(OK)
    server.script(Reply(status))
    await clients(server.base_url).create_realtime_client_secret(REQUEST)
    assert len(server.requests) == 2


async def test_bad_request_is_not_retried(start_server, clients) -> None:
    """A 400 is final: one attempt, BadRequestError with the API's fields."""
    body = _error_body(
        "Unknown parameter: 'foo'.", "invalid_request_error", "unknown_parameter", "foo"
    )
    server = await start_server(Reply(400, body, {"x-request-id": "req_bad"}))
    with pytest.raises(BadRequestError) as info:
        await clients(server.base_url).create_realtime_client_secret(REQUEST)
    error = info.value
    assert len(server.requests) == 1
    assert (error.status_code, error.request_id) == (400, "req_bad")
    assert (error.error_type, error.code, error.param) == (
        "invalid_request_error",
        "unknown_parameter",
        "foo",
    )
    assert error.error_message == "Unknown parameter: 'foo'."
    assert error.body == body
    assert "400" in str(error)
    assert "Unknown parameter" in str(error)
    assert "req_bad" in str(error)


async def test_quota_exhausted_is_not_retried(start_server, clients) -> None:
    """A 429 with insufficient_quota is raised at once: waiting cannot help."""
    body = _error_body(
        "You exceeded your current quota.", "insufficient_quota", "insufficient_quota"
    )
    server = await start_server(Reply(429, body))
    with pytest.raises(RateLimitError) as info:
        await clients(server.base_url).create_realtime_client_secret(REQUEST)
    assert info.value.code == "insufficient_quota"
    assert len(server.requests) == 1


async def test_retry_after_is_honoured(start_server, clients, sleeps) -> None:
    """The pause before a retry is the server's retry-after, not the backoff."""
    server = await start_server(OK)
    server.script(
        Reply(429, headers={"retry-after": "0.02"}), Reply(503, headers={"retry-after-ms": "30"})
    )
    await clients(server.base_url).create_realtime_client_secret(REQUEST)
    assert len(server.requests) == 3
    assert sleeps == [0.02, 0.03]


async def test_real_pause_between_attempts(start_server, clients, monkeypatch) -> None:
    """With the real sleep, a tiny retry-after-ms still leads to a successful retry."""
    monkeypatch.setattr(_engine, "_sleep", asyncio.sleep)
    server = await start_server(OK)
    server.script(Reply(503, headers={"retry-after-ms": "1"}))
    await clients(server.base_url).create_realtime_client_secret(REQUEST)
    assert len(server.requests) == 2


async def test_x_should_retry_false_stops_retries(start_server, clients) -> None:
    """x-should-retry: false on a 500 is final."""
    server = await start_server(Reply(500, headers={"x-should-retry": "false"}))
    with pytest.raises(InternalServerError):
        await clients(server.base_url).create_realtime_client_secret(REQUEST)
    assert len(server.requests) == 1


async def test_x_should_retry_true_retries_a_400(start_server, clients) -> None:
    """x-should-retry: true makes the client retry even a 400."""
    server = await start_server(OK)
    server.script(Reply(400, headers={"x-should-retry": "true"}))
    await clients(server.base_url).create_realtime_client_secret(REQUEST)
    assert len(server.requests) == 2


async def test_total_timeout_skips_a_pause_that_would_overrun(
    start_server, clients, sleeps
) -> None:
    """A retry-after longer than the overall limit ends the call with the last error at once."""
    server = await start_server(Reply(503, headers={"retry-after": "30"}))
    client = clients(server.base_url, total_timeout=5.0)
    with pytest.raises(InternalServerError):
        await client.create_realtime_client_secret(REQUEST)
    assert len(server.requests) == 1
    assert sleeps == []


async def test_timeout_is_retried_then_raised(start_server, clients, sleeps) -> None:
    """A server slower than the attempt timeout: the attempt is retried, then APITimeoutError."""
    server = await start_server(Reply(200, SECRET_BODY, delay=5.0))
    client = clients(server.base_url, timeout=0.05, max_retries=1)
    with pytest.raises(APITimeoutError) as info:
        await client.create_realtime_client_secret(REQUEST)
    assert isinstance(info.value, APIConnectionError)
    # One pause means one retry; the server's count would depend on how fast it reads.
    assert len(sleeps) == 1


async def test_per_call_timeout_overrides_the_client_default(start_server, clients) -> None:
    """timeout= on a call bounds that call's attempts."""
    server = await start_server(Reply(200, SECRET_BODY, delay=5.0))
    client = clients(server.base_url, max_retries=0)
    with pytest.raises(APITimeoutError):
        await client.create_realtime_client_secret(REQUEST, timeout=0.05)


async def test_total_timeout_bounds_the_attempt(start_server, clients, sleeps) -> None:
    """The overall limit cuts an attempt short even when the per-attempt limit is long."""
    server = await start_server(Reply(200, SECRET_BODY, delay=5.0))
    client = clients(server.base_url, timeout=30.0, total_timeout=0.1, max_retries=3)
    with pytest.raises(APITimeoutError):
        await client.create_realtime_client_secret(REQUEST)
    # Any backoff (>= 0.375 s) would overrun what is left of the 0.1 s, so no retry is made.
    assert sleeps == []


# Attempt limits are kept by asyncio.timeout around the whole attempt; these use limits of a
# second or more (aiohttp would round those up to whole seconds) and take about a second each.


async def test_a_long_limit_ends_a_silent_attempt_and_the_pool_recovers(
    start_server, clients
) -> None:
    """A 1 s limit on a server that never answers raises APITimeoutError; the next call works."""
    server = await start_server(Reply(200, SECRET_BODY, delay=30.0))
    client = clients(server.base_url, timeout=1.0, max_retries=0)
    with pytest.raises(APITimeoutError, match="timed out"):
        await client.create_realtime_client_secret(REQUEST)
    server.script(Reply(200, SECRET_BODY))
    result = await client.create_realtime_client_secret(REQUEST)
    assert result.value.reveal() == EPHEMERAL
    # The timed-out connection was closed, not handed back to the pool half-read.
    assert server.connections == 2


async def test_cancelling_a_call_under_a_long_limit_stays_a_cancellation(
    start_server, clients
) -> None:
    """Cancelling a call under a long attempt limit raises CancelledError, not a timeout."""
    server = await start_server(Reply(200, SECRET_BODY, delay=30.0))
    client = clients(server.base_url, timeout=1.0, max_retries=0)
    call = asyncio.create_task(client.create_realtime_client_secret(REQUEST))
    await asyncio.sleep(0.1)
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call


async def test_an_outer_deadline_shorter_than_a_long_limit_is_the_callers(
    start_server, clients
) -> None:
    """asyncio.timeout around a call with a longer limit raises the caller's TimeoutError."""
    server = await start_server(Reply(200, SECRET_BODY, delay=30.0))
    client = clients(server.base_url, timeout=5.0, max_retries=0)
    with pytest.raises(TimeoutError) as info:
        async with asyncio.timeout(0.2):
            await client.create_realtime_client_secret(REQUEST)
    assert not isinstance(info.value, APITimeoutError)
    task = asyncio.current_task()
    assert task is not None
    assert task.cancelling() == 0


def _http_ok(body: bytes) -> bytes:
    head = (
        f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def test_reset_mid_response_is_retried(raw_server, clients) -> None:
    """An error answer cut off halfway is retried on a new connection and then succeeds."""
    payload = json.dumps(SECRET_BODY).encode()
    error = json.dumps({"error": {"message": "overloaded " * 20}}).encode()
    counter = itertools.count()
    seen: list[int] = []

    async def cut_first(reader, writer) -> None:
        index = next(counter)
        while True:
            await read_http_request(reader)
            seen.append(index)
            if index == 0:
                # (A 2xx cut off is never retried: see test_hardening_third.py.)
                writer.write(_http_ok(error).replace(b"200 OK", b"503 Busy", 1)[:-20])
                await writer.drain()
                writer.transport.abort()
                return
            writer.write(_http_ok(payload))
            await writer.drain()

    client = clients(await raw_server(cut_first))
    result = await client.create_realtime_client_secret(REQUEST)
    assert result.value.reveal() == EPHEMERAL
    assert seen == [0, 1]


async def test_reset_without_retries_is_a_connection_error(raw_server, clients) -> None:
    """With retries off, a cut-off response raises APIConnectionError (not a timeout)."""
    payload = json.dumps(SECRET_BODY).encode()

    async def cut(reader, writer) -> None:
        await read_http_request(reader)
        writer.write(_http_ok(payload)[:-20])
        await writer.drain()
        writer.transport.abort()

    client = clients(await raw_server(cut), max_retries=0)
    with pytest.raises(APIConnectionError) as info:
        await client.create_realtime_client_secret(REQUEST)
    assert not isinstance(info.value, APITimeoutError)


async def test_stale_keep_alive_connection_is_retried(raw_server, clients) -> None:
    """A pooled connection the server drops as the next request arrives is retried on a new one."""
    payload = json.dumps(SECRET_BODY).encode()
    counter = itertools.count()
    seen: list[int] = []

    async def drop_second_use(reader, writer) -> None:
        index = next(counter)
        served = 0
        while True:
            await read_http_request(reader)
            seen.append(index)
            if index == 0 and served == 1:
                writer.close()
                return
            writer.write(_http_ok(payload))
            await writer.drain()
            served += 1

    client = clients(await raw_server(drop_second_use), max_retries=1)
    await client.create_realtime_client_secret(REQUEST)
    await client.create_realtime_client_secret(REQUEST)
    assert seen == [0, 0, 1]


async def test_stale_connection_without_retries_is_a_connection_error(raw_server, clients) -> None:
    """With retries off, the dropped pooled connection surfaces as APIConnectionError."""
    payload = json.dumps(SECRET_BODY).encode()

    async def drop_second_use(reader, writer) -> None:
        await read_http_request(reader)
        writer.write(_http_ok(payload))
        await writer.drain()
        await read_http_request(reader)
        writer.close()

    client = clients(await raw_server(drop_second_use), max_retries=0)
    await client.create_realtime_client_secret(REQUEST)
    with pytest.raises(APIConnectionError, match="closed the connection"):
        await client.create_realtime_client_secret(REQUEST)


async def test_server_closing_idle_connections_is_harmless(start_server, clients) -> None:
    """When the server closes idle keep-alive connections, the next call opens a new one."""
    server = await start_server(OK, keepalive_timeout=0.05)
    client = clients(server.base_url, max_retries=0)
    await client.create_realtime_client_secret(REQUEST)
    await asyncio.sleep(0.3)
    await client.create_realtime_client_secret(REQUEST)
    assert server.connections == 2


async def test_refused_connection_is_retried_then_raised(clients) -> None:
    """Nobody listening: every attempt is refused and APIConnectionError is raised."""
    probe = await asyncio.start_server(lambda _r, _w: None, "127.0.0.1", 0)
    port = probe.sockets[0].getsockname()[1]
    probe.close()
    await probe.wait_closed()
    client = clients(f"http://127.0.0.1:{port}/v1/")
    with pytest.raises(APIConnectionError, match=f"127.0.0.1:{port}"):
        await client.create_realtime_client_secret(REQUEST)


# -- error mapping ----------------------------------------------------------------------------


async def test_html_error_page_keeps_its_text(start_server, clients) -> None:
    """A proxy's HTML 502 becomes InternalServerError with the page text as body."""
    page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    server = await start_server(Reply(502, page, {"Content-Type": "text/html"}))
    with pytest.raises(InternalServerError) as info:
        await clients(server.base_url, max_retries=0).create_realtime_client_secret(REQUEST)
    assert info.value.body == page.decode()
    assert info.value.error_message is None
    assert "502 Bad Gateway" in str(info.value)


async def test_redirect_is_an_error_and_not_followed(start_server, clients) -> None:
    """A 307 to another host is an APIStatusError; the other host never sees the key."""
    elsewhere = await start_server(OK)
    target = elsewhere.base_url + "realtime/client_secrets"
    server = await start_server(Reply(307, b"", {"Location": target}))
    with pytest.raises(APIStatusError, match="redirect") as info:
        await clients(server.base_url).create_realtime_client_secret(REQUEST)
    assert info.value.status_code == 307
    assert elsewhere.requests == []
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    "method", ["create_realtime_session", "create_realtime_transcription_session"]
)
async def test_retired_beta_endpoint_points_to_client_secrets(
    start_server, clients, method: str
) -> None:
    """A 404 from a retired beta endpoint says so and names create_realtime_client_secret."""
    body = _error_body("Not found", "invalid_request_error", None)
    server = await start_server(Reply(404, body))
    with (
        warns_if_legacy(method),
        pytest.raises(NotFoundError, match="create_realtime_client_secret"),
    ):
        await getattr(clients(server.base_url), method)({})


async def test_retired_code_points_to_client_secrets(start_server, clients) -> None:
    """The beta_api_shape_disabled code on a 400 gets the same hint."""
    body = _error_body(
        "This API shape is disabled.", "invalid_request_error", "beta_api_shape_disabled"
    )
    server = await start_server(Reply(400, body))
    with (
        warns_if_legacy("create_realtime_session"),
        pytest.raises(BadRequestError, match="retired") as info,
    ):
        await clients(server.base_url).create_realtime_session({})
    assert info.value.code == "beta_api_shape_disabled"


async def test_404_on_client_secrets_has_no_retirement_hint(start_server, clients) -> None:
    """The GA endpoint's 404 is a plain NotFoundError."""
    server = await start_server(Reply(404, _error_body("nope", "invalid_request_error", None)))
    with pytest.raises(NotFoundError) as info:
        await clients(server.base_url).create_realtime_client_secret(REQUEST)
    assert "retired" not in str(info.value)


async def test_non_json_success_is_a_validation_error(start_server, clients) -> None:
    """A 200 with a non-JSON body raises APIResponseValidationError, not retried."""
    server = await start_server(Reply(200, b"<html>hi</html>", {"x-request-id": "req_h"}))
    with pytest.raises(APIResponseValidationError) as info:
        await clients(server.base_url).create_realtime_client_secret(REQUEST)
    error = info.value
    assert (error.status_code, error.request_id, error.body_excerpt) == (
        200,
        "req_h",
        "<html>hi</html>",
    )
    assert len(server.requests) == 1


async def test_misfitting_success_lists_the_fields(start_server, clients) -> None:
    """A 200 JSON body missing required fields names them, and masks any key in the excerpt."""
    server = await start_server(Reply(200, {"value": EPHEMERAL}))
    with pytest.raises(APIResponseValidationError) as info:
        await clients(server.base_url).create_realtime_client_secret(REQUEST)
    error = info.value
    assert error.errors
    assert any("expires_at" in str(field) or "session" in str(field) for field in error.errors)
    assert EPHEMERAL not in error.body_excerpt
    assert EPHEMERAL not in str(error)


async def test_oversized_success_is_a_validation_error(start_server, clients) -> None:
    """A 2xx body over the size limit is refused with a clear message."""
    server = await start_server(Reply(200, b"x" * 5000))
    client = clients(server.base_url)
    client._config = attrs.evolve(client._config, max_response_bytes=1000)
    with pytest.raises(APIResponseValidationError, match="larger than 1000 bytes"):
        await client.create_realtime_client_secret(REQUEST)


# -- secrets and logging ---------------------------------------------------------------------


async def test_echoed_key_is_masked_in_errors(start_server, clients) -> None:
    """A server echoing the API key in a 401 does not put the key into the exception."""
    body = _error_body(
        f"Incorrect API key provided: {API_KEY}.", "invalid_request_error", "invalid_api_key"
    )
    server = await start_server(Reply(401, body))
    with pytest.raises(AuthenticationError) as info:
        await clients(server.base_url).create_realtime_client_secret(REQUEST)
    error = info.value
    for text in (str(error), repr(error), json.dumps(error.body), error.error_message or ""):
        assert API_KEY not in text
    assert "invalid_api_key" in str(error)


async def test_debug_log_has_the_facts_and_no_secret(start_server, clients, caplog) -> None:
    """Debug lines name method, path, status, request id and attempt; never a key."""
    server = await start_server(OK)
    server.script(Reply(503, headers={"x-request-id": "req_503"}))
    with caplog.at_level(logging.DEBUG, logger="realtime_sdk"):
        await clients(server.base_url).create_realtime_client_secret(REQUEST)
    lines = [record.getMessage() for record in caplog.records if record.name == "realtime_sdk"]
    assert any(
        "POST /v1/realtime/client_secrets -> 503 request_id=req_503 attempt=1" in line
        for line in lines
    )
    assert any("-> 200 request_id=req_ok attempt=2 elapsed_ms=" in line for line in lines)
    assert any("retrying" in line for line in lines)
    for line in caplog.text.splitlines():
        assert API_KEY not in line
        assert EPHEMERAL not in line


# -- against the independent fake (issue 5) --------------------------------------------------


@pytest.fixture
async def fake() -> AsyncIterator[FakeRealtimeAPI]:
    """The spec-checking fake API on 127.0.0.1."""
    async with FakeRealtimeAPI() as api:
        yield api


async def test_model_request_bytes_seen_by_the_fake(fake, clients) -> None:
    """A model request arrives as the expected JSON and the minted key comes back intact."""
    request = models.RealtimeCreateClientSecretRequest(
        expires_after=models.ClientSecretExpiration(anchor="created_at", seconds=120),
        session=models.RealtimeSessionCreateRequestGA(model="gpt-realtime", instructions="Hi"),
    )
    result = await clients(fake.base_url).create_realtime_client_secret(request)
    assert fake.requests[0].json == {
        "expires_after": {"anchor": "created_at", "seconds": 120},
        "session": {"type": "realtime", "model": "gpt-realtime", "instructions": "Hi"},
    }
    assert fake.requests[0].status == 200
    assert result.value.reveal() == fake.minted_keys[0]


async def test_all_three_endpoints_against_the_fake(fake, clients) -> None:
    """Each method's body passes the fake's spec check and its answer parses."""
    client = clients(fake.base_url)
    await client.create_realtime_client_secret({"session": {"type": "transcription"}})
    with warns_if_legacy("create_realtime_session"):
        session = await client.create_realtime_session({"model": "gpt-realtime"})
    with warns_if_legacy("create_realtime_transcription_session"):
        transcription = await client.create_realtime_transcription_session({})
    assert [record.status for record in fake.requests] == [200, 200, 200]
    assert session.client_secret
    assert transcription.client_secret
    assert fake.connections == 1


async def test_fake_retired_beta_endpoint_points_to_client_secrets(clients) -> None:
    """The fake's retired beta shape gives an error naming create_realtime_client_secret."""
    async with FakeRealtimeAPI(retired_beta_endpoints=True) as api:
        client = clients(api.base_url)
        with (
            warns_if_legacy("create_realtime_transcription_session"),
            pytest.raises(APIStatusError, match="create_realtime_client_secret") as info,
        ):
            await client.create_realtime_transcription_session({})
        assert info.value.code == "beta_api_shape_disabled"
        await client.aclose()


async def test_fake_faults_are_retried(fake, clients, sleeps) -> None:
    """A 503 with retry-after, then a dropped connection: the third attempt succeeds."""
    fake.fail_next(1, 503, retry_after=0.01)
    fake.drop_next(1)
    response = await clients(fake.base_url).create_realtime_client_secret_with_response({})
    assert response.attempts == 3
    assert [record.fault for record in fake.requests][:2] == ["status_503", "drop"]
    assert sleeps[0] == 0.01


async def test_fake_malformed_json_is_a_validation_error(fake, clients) -> None:
    """Broken JSON in a 200 from the fake is APIResponseValidationError, not retried."""
    fake.malformed_json_next(1)
    with pytest.raises(APIResponseValidationError):
        await clients(fake.base_url).create_realtime_client_secret({})
    assert len(fake.requests) == 1


async def test_fake_slow_answer_times_out(fake, clients) -> None:
    """An answer held past the attempt timeout raises APITimeoutError."""
    fake.delay_next(1, 5.0)
    client = clients(fake.base_url, timeout=0.05, max_retries=0)
    with pytest.raises(APITimeoutError):
        await client.create_realtime_client_secret({})


# -- resource hygiene -------------------------------------------------------------------------


async def test_closed_client_leaves_no_resource_warning(start_server) -> None:
    """Used then closed, the client leaves no unclosed session, connector or socket behind."""
    server = await start_server(OK)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with RealtimeClient(api_key=API_KEY, base_url=server.base_url) as client:
            await client.create_realtime_client_secret(REQUEST)
        del client
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
