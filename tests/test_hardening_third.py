"""Issue 19, items 1-7, 10 and 11: the attempt path, auth and scrubbing, each against 127.0.0.1.

Sections follow the issue's numbering. Servers are the scripted aiohttp server and the raw
socket server from conftest, or a small aiohttp app written here where a test needs the
server to read the test's clock. Every wait is bounded: a call that would hang on the
old code fails its test at an outer deadline instead.
"""

import asyncio
import json
import subprocess
import sys
import threading
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from aiohttp import web
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import realtime_sdk
from realtime_sdk import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AzureRealtimeClient,
    ClientRateLimitError,
    RealtimeClient,
    SyncRealtimeClient,
)
from realtime_sdk._client import _engine, _otel
from realtime_sdk._client._ratelimit import MAX_RESET, parse_reset
from realtime_sdk._http._scrub import KEY_PATTERN
from realtime_sdk.testing import serve_in_thread
from tests.conftest import Reply, read_http_request

API_KEY = "sk-proj-THIRD-0123456789abcdefghijklmn"
# Keys of no recognisable shape: only the client's own scrubber knows them.
AZURE_KEY = "azTHIRDkey0123456789abcdefghij"
ROTATED_KEY = "rotatedTHIRD0123456789abcdef"
CLIENT_SECRET = "callTHIRDsecret0123456789abcd"
MINTED = "ek_third0123456789abcdefabcdef"
REQUEST = {"session": {"type": "realtime"}}
SECRET_BODY = {
    "value": MINTED,
    "expires_at": 1_800_000_000,
    "session": {"type": "realtime", "id": "sess_1", "object": "realtime.session"},
}
OFFER = "v=0\r\no=- 4227147428 1719357865 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
NONE_LEFT = {"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "2s"}
PLENTY_LEFT = {"x-ratelimit-remaining-requests": "50", "x-ratelimit-reset-requests": "1s"}
# The outer bound on a call that would hang on the old code.
HANG = 5.0

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Clock:
    """A monotonic clock that only moves when the client pauses (its pauses cost no time)."""

    def __init__(self) -> None:
        self.now = 1000.0

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The client's pauses and its rate-limit clock both run on one fake clock."""
    made = Clock()
    monkeypatch.setattr(_engine, "_sleep", made.sleep)
    monkeypatch.setattr(_engine, "_now", lambda: made.now)
    return made


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Handler], Awaitable[str]]]:
    """Serve one handler on 127.0.0.1 (port 0); returns the base URL; stopped at teardown."""
    runners: list[web.AppRunner] = []

    async def start(handler: Handler) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handler)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        return f"http://127.0.0.1:{runner.addresses[0][1]}/v1/"

    yield start
    for runner in runners:
        await runner.cleanup()


def _escaped(key: str) -> str:
    """The key as a JSON text may carry it: its first letter as a \\u escape."""
    return f"\\u{ord(key[0]):04x}{key[1:]}"


def _sdk_frame_texts(error: BaseException) -> list[str]:
    """Everything the SDK's own frames of a traceback hold, as renderers would show it."""
    package = str(Path(realtime_sdk.__file__).parent)
    texts: list[str] = []
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        pending += [current.__cause__, current.__context__]
        for frame, _ in traceback.walk_tb(current.__traceback__):
            if not frame.f_code.co_filename.startswith(package):
                continue
            for value in frame.f_locals.values():
                texts.append(repr(value))
                if isinstance(value, str):
                    texts.append(value)
                elif isinstance(value, dict):
                    texts.extend(str(item) for pair in value.items() for item in pair)
    return texts


# -- 1 rate limit checked again once a pool place is taken -------------------------------


async def test_calls_queued_for_the_pool_raise_once_an_answer_says_none_left(start_server) -> None:
    """rate_limit='raise': nine calls queued behind the one connection raise, and none is sent."""
    server = await start_server(Reply(200, SECRET_BODY, PLENTY_LEFT))
    server.script(Reply(200, SECRET_BODY, NONE_LEFT))
    async with RealtimeClient(
        api_key=API_KEY, base_url=server.base_url, max_connections=1, rate_limit="raise"
    ) as client:
        calls = [client.create_realtime_client_secret(REQUEST) for _ in range(10)]
        async with asyncio.timeout(HANG):
            results = await asyncio.gather(*calls, return_exceptions=True)
    assert len(server.requests) == 1
    assert [type(result) for result in results[1:]] == [ClientRateLimitError] * 9


async def test_calls_queued_for_the_pool_wait_for_the_reset(serve, clock) -> None:
    """rate_limit='wait': calls queued while the first was answered go out only after its reset."""
    sent_at: list[float] = []

    async def handle(request: web.Request) -> web.Response:
        await request.read()
        sent_at.append(clock.now)
        headers = NONE_LEFT if len(sent_at) == 1 else PLENTY_LEFT
        return web.json_response(SECRET_BODY, headers=headers)

    base_url = await serve(handle)
    async with RealtimeClient(
        api_key=API_KEY, base_url=base_url, max_connections=1, rate_limit="wait"
    ) as client:
        calls = [client.create_realtime_client_secret(REQUEST) for _ in range(10)]
        async with asyncio.timeout(HANG):
            await asyncio.gather(*calls)
    assert len(sent_at) == 10
    assert min(sent_at[1:]) >= sent_at[0] + 2.0


# -- 2 key providers within timeout and total_timeout ------------------------------------


async def _never() -> str:
    await asyncio.Event().wait()
    return API_KEY  # pragma: no cover - never reached


@pytest.mark.parametrize(
    "limits",
    [{"timeout": 0.2, "max_retries": 0}, {"timeout": 30.0, "total_timeout": 0.3}],
    ids=["timeout", "total_timeout"],
)
async def test_a_key_provider_that_never_returns_ends_the_call_on_time(
    start_server, limits
) -> None:
    """A provider stuck forever ends the call with APITimeoutError within the call's limits."""
    server = await start_server(Reply(200, SECRET_BODY))
    async with RealtimeClient(api_key=_never, base_url=server.base_url, **limits) as client:
        with pytest.raises(APITimeoutError, match="key provider did not return"):
            async with asyncio.timeout(HANG):
                await client.create_realtime_client_secret(REQUEST)
    assert server.requests == []


async def test_an_azure_token_provider_that_never_returns_ends_the_call_on_time(
    start_server,
) -> None:
    """An Entra ID token provider stuck forever ends the call with APITimeoutError on time."""
    server = await start_server(Reply(200, SECRET_BODY))
    async with AzureRealtimeClient(
        azure_ad_token_provider=_never, base_url=server.base_url, timeout=0.2, max_retries=0
    ) as client:
        with pytest.raises(APITimeoutError, match="azure_ad_token_provider"):
            async with asyncio.timeout(HANG):
                await client.create_realtime_client_secret(REQUEST)
    assert server.requests == []


def test_the_sync_client_ends_a_stuck_provider_on_time() -> None:
    """SyncRealtimeClient: a provider stuck forever raises APITimeoutError within the timeout."""
    outcome: list[BaseException] = []
    with serve_in_thread() as fake:
        client = SyncRealtimeClient(
            api_key=_never, base_url=fake.base_url, timeout=0.2, max_retries=0
        )

        def call() -> None:
            try:
                client.create_realtime_client_secret(REQUEST)
            except BaseException as exc:
                outcome.append(exc)

        worker = threading.Thread(target=call, daemon=True)
        worker.start()
        worker.join(HANG)
        client.close()  # cancels the call still in flight on the old code
        worker.join(HANG)
        assert fake.requests == []
    assert [type(error) for error in outcome] == [APITimeoutError]


# -- 3 connection-error messages masked with the client's own keys -----------------------


def _echo_in_status_line(header: bytes) -> Callable[..., Awaitable[None]]:
    """A broken server that quotes the request's credential in a malformed status line."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head, _ = await read_http_request(reader)
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == header:
                credential = value.strip().removeprefix(b"Bearer ")
                writer.write(b"HTTP/1.1 2x0 " + credential + b"\r\n\r\n")
        await writer.drain()

    return handle


async def test_an_azure_key_echoed_in_a_bad_status_line_is_masked(raw_server) -> None:
    """aiohttp's parser error quoting an Azure api-key shows it masked in APIConnectionError."""
    base_url = await raw_server(_echo_in_status_line(b"api-key"))
    async with AzureRealtimeClient(api_key=AZURE_KEY, base_url=base_url, max_retries=0) as client:
        with pytest.raises(APIConnectionError, match="Bad status line") as caught:
            await client.create_realtime_client_secret(REQUEST)
    assert AZURE_KEY not in str(caught.value)
    assert AZURE_KEY not in repr(caught.value)


async def test_a_provided_key_echoed_in_a_bad_status_line_is_masked(raw_server) -> None:
    """A key from a provider, echoed by a broken server, is masked in APIConnectionError."""
    base_url = await raw_server(_echo_in_status_line(b"authorization"))
    async with RealtimeClient(
        api_key=lambda: ROTATED_KEY, base_url=base_url, max_retries=0
    ) as client:
        with pytest.raises(APIConnectionError, match="Bad status line") as caught:
            await client.create_realtime_client_secret(REQUEST)
    assert ROTATED_KEY not in str(caught.value)


async def test_a_call_secret_echoed_in_a_bad_status_line_is_masked(raw_server) -> None:
    """create_realtime_call's own client_secret, echoed by a broken server, is masked."""
    base_url = await raw_server(_echo_in_status_line(b"authorization"))
    async with RealtimeClient(api_key=API_KEY, base_url=base_url, max_retries=0) as client:
        with pytest.raises(APIConnectionError, match="Bad status line") as caught:
            await client.create_realtime_call({"sdp": OFFER}, client_secret=CLIENT_SECRET)
    assert CLIENT_SECRET not in str(caught.value)


# -- 4 no key in the frame locals of any attempt path ------------------------------------


async def _failure(client: RealtimeClient) -> BaseException:
    with pytest.raises((APIStatusError, APIConnectionError)) as caught:
        async with asyncio.timeout(HANG):
            await client.create_realtime_client_secret(REQUEST)
    return caught.value


def _assert_no_key_in_locals(error: BaseException, key: str) -> None:
    rendered = traceback.TracebackException.from_exception(error, capture_locals=True)
    assert key not in "".join(rendered.format())
    assert not [text for text in _sdk_frame_texts(error) if key in text]


@pytest.mark.parametrize("reply", [Reply(500, {"error": {"message": "x"}}), None])
async def test_a_provided_key_is_in_no_frame_local(start_server, raw_server, reply) -> None:
    """With a key provider, neither an error answer nor a dropped connection leaves the key in a local."""
    base_url = await _failing_server(start_server, raw_server, reply)
    async with RealtimeClient(api_key=lambda: API_KEY, base_url=base_url, max_retries=0) as client:
        _assert_no_key_in_locals(await _failure(client), API_KEY)


@pytest.mark.parametrize("reply", [Reply(500, {"error": {"message": "x"}}), None])
async def test_an_azure_key_is_in_no_frame_local(start_server, raw_server, reply) -> None:
    """An Azure api-key travels with each request, and stays out of every frame local."""
    base_url = await _failing_server(start_server, raw_server, reply)
    async with AzureRealtimeClient(api_key=AZURE_KEY, base_url=base_url, max_retries=0) as client:
        _assert_no_key_in_locals(await _failure(client), AZURE_KEY)


@pytest.mark.parametrize("reply", [Reply(500, {"error": {"message": "x"}}), None])
async def test_a_with_options_key_is_in_no_frame_local(start_server, raw_server, reply) -> None:
    """A with_options child's own key travels with each request, and stays out of every frame local."""
    base_url = await _failing_server(start_server, raw_server, reply)
    async with RealtimeClient(api_key=API_KEY, base_url=base_url, max_retries=0) as client:
        child = client.with_options(api_key=ROTATED_KEY)
        _assert_no_key_in_locals(await _failure(child), ROTATED_KEY)


async def _failing_server(start_server, raw_server, reply: Reply | None) -> str:
    if reply is not None:
        return (await start_server(reply)).base_url

    async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_http_request(reader)
        writer.transport.abort()

    return await raw_server(drop)


# -- 5 scrubbing gaps ---------------------------------------------------------------------


@pytest.mark.parametrize("key", [API_KEY, "plainTHIRDkey0123456789abcdef"])
@pytest.mark.parametrize(
    "shape",
    [
        '[{{"error": {{"message": "bad key {0}"}}}}]',
        '"bad key {0}"',
        '\ufeff{{"error": {{"message": "bad key {0}"}}}}',
        '{{"error": {{"message": "bad key {0}',
    ],
    ids=["array", "string", "bom", "truncated"],
)
async def test_an_escaped_key_in_any_error_body_is_masked(start_server, key, shape) -> None:
    """A \\u-escaped key is masked in an error body that is not a plain JSON object too."""
    body = shape.format(_escaped(key)).encode()
    server = await start_server(Reply(401, body))
    async with RealtimeClient(api_key=key, base_url=server.base_url) as client:
        with pytest.raises(APIStatusError) as caught:
            await client.create_realtime_client_secret(REQUEST)
    error = caught.value
    for text in (str(error), repr(error), repr(error.body), error.message):
        assert key not in text
        assert key[1:] not in text  # not even behind its escaped first letter


async def test_an_escaped_key_in_a_2xx_excerpt_is_masked(start_server) -> None:
    """The body excerpt of an APIResponseValidationError masks a \\u-escaped key."""
    body = ('{"value": "' + _escaped(API_KEY)).encode()
    server = await start_server(Reply(200, body))
    async with RealtimeClient(api_key=API_KEY, base_url=server.base_url) as client:
        with pytest.raises(APIResponseValidationError) as caught:
            await client.create_realtime_client_secret(REQUEST)
    assert API_KEY[1:] not in caught.value.body_excerpt
    assert API_KEY[1:] not in str(caught.value)


async def test_a_call_secret_of_any_shape_is_masked_in_an_error(start_server) -> None:
    """A client_secret that is not ek_-shaped is masked where a server echoes it."""
    echo = {"error": {"message": f"key {CLIENT_SECRET} expired"}}
    server = await start_server(Reply(401, echo, {"x-request-id": f"req_{CLIENT_SECRET}"}))
    async with RealtimeClient(api_key=API_KEY, base_url=server.base_url) as client:
        with pytest.raises(APIStatusError) as caught:
            await client.create_realtime_call({"sdp": OFFER}, client_secret=CLIENT_SECRET)
    error = caught.value
    for text in (str(error), repr(error), repr(error.body), str(error.request_id)):
        assert CLIENT_SECRET not in text


@pytest.mark.parametrize(
    "text", [f"req_{MINTED}", f"Bearer%20{MINTED}", f"key%3D{MINTED}", f"x9{MINTED}"]
)
def test_the_key_pattern_finds_keys_after_word_characters(text) -> None:
    """An ek_ key right after a word character or a percent escape is still key-shaped."""
    assert MINTED not in KEY_PATTERN.sub("****", text)


@pytest.mark.parametrize("word", ["task-manager-7", "week_report_2024", "ask-question"])
def test_the_key_pattern_leaves_words_alone(word) -> None:
    """sk- or ek_ inside a word is no key: the text stays as it is."""
    assert KEY_PATTERN.sub("****", word) == word


async def test_an_ephemeral_key_in_a_request_id_is_masked_in_the_error(start_server) -> None:
    """An ek_ value glued to a request id prefix is masked in error.request_id and the body."""
    body = {"error": {"message": f"Authorization: Bearer%20{MINTED}"}}
    server = await start_server(Reply(400, body, {"x-request-id": f"req_{MINTED}"}))
    async with RealtimeClient(api_key=API_KEY, base_url=server.base_url) as client:
        with pytest.raises(APIStatusError) as caught:
            await client.create_realtime_client_secret(REQUEST)
    assert caught.value.request_id == "req_ek_****"
    assert MINTED not in str(caught.value)
    assert MINTED not in repr(caught.value.body)


async def test_the_request_id_of_an_api_response_is_masked(start_server) -> None:
    """APIResponse.request_id masks the client's key and ek_ values a server put there."""
    request_id = f"req_{MINTED}_{AZURE_KEY}"
    server = await start_server(Reply(200, SECRET_BODY, {"x-request-id": request_id}))
    async with AzureRealtimeClient(api_key=AZURE_KEY, base_url=server.base_url) as client:
        response = await client.create_realtime_client_secret_with_response(REQUEST)
    assert MINTED not in repr(response)
    assert response.request_id is not None
    assert MINTED not in response.request_id
    assert AZURE_KEY not in response.request_id


@pytest.fixture
def exporter(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    """Spans of this test only, through a provider of its own."""
    memory = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    monkeypatch.setattr(_otel, "get_tracer", lambda: provider.get_tracer("realtime_sdk"))
    yield memory
    provider.shutdown()


async def test_the_span_request_id_is_masked(start_server, exporter) -> None:
    """The span's request id attribute masks an ek_ value after a word character."""
    server = await start_server(Reply(200, SECRET_BODY, {"x-request-id": f"req_{MINTED}"}))
    async with RealtimeClient(
        api_key=API_KEY, base_url=server.base_url, otel_tracing=True
    ) as client:
        await client.create_realtime_client_secret(REQUEST)
    (span,) = exporter.get_finished_spans()
    assert span.attributes is not None
    assert span.attributes["realtime_sdk.request_id"] == "req_ek_****"


# -- 6 x-ratelimit-reset-requests: linear and capped --------------------------------------


def test_a_long_reset_value_is_parsed_in_linear_time() -> None:
    """200,000 digits and a bad unit are refused well within a deadline (not in quadratic time).

    In a child process: the regex engine holds the GIL, so a quadratic parse would freeze
    this process past any deadline of its own.
    """
    code = "from realtime_sdk._client._ratelimit import parse_reset; print(parse_reset('1' * 200_000 + 'x'))"
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=True
    )
    assert done.stdout.strip() == "None"


def test_parse_reset_still_reads_every_form() -> None:
    """The anchored parser reads the forms the API sends, and refuses gaps between parts."""
    assert parse_reset("1h2m3.5s") == 3723.5
    assert parse_reset("20ms") == pytest.approx(0.02)
    assert parse_reset("6m0s") == 360.0
    assert parse_reset("1s x") is None
    assert parse_reset("1x1s") is None


async def test_a_reset_years_away_is_capped(start_server, clock) -> None:
    """A reset of 1e12 seconds holds calls back for at most MAX_RESET (a day), not for ages."""
    del clock  # on the fake clock, so the held-back time is exact
    headers = {"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1e12"}
    server = await start_server(Reply(200, SECRET_BODY, headers))
    async with RealtimeClient(
        api_key=API_KEY, base_url=server.base_url, rate_limit="raise"
    ) as client:
        await client.create_realtime_client_secret(REQUEST)
        with pytest.raises(ClientRateLimitError) as caught:
            await client.create_realtime_client_secret(REQUEST)
    assert caught.value.retry_after == MAX_RESET


# -- 7 default_headers merged by name in any letter case ----------------------------------


@pytest.mark.parametrize("derived", [False, True], ids=["client", "with_options"])
async def test_default_headers_replace_the_clients_own_in_any_case(start_server, derived) -> None:
    """default_headers in lower case replace Authorization, Accept-Encoding and User-Agent."""
    server = await start_server(Reply(200, SECRET_BODY))
    mine = {
        "authorization": f"Bearer {ROTATED_KEY}",
        "accept-encoding": "identity",
        "user-agent": "my-app/1.0",
    }
    if derived:
        parent = RealtimeClient(api_key=API_KEY, base_url=server.base_url)
        client = parent.with_options(default_headers=mine)
    else:
        parent = client = RealtimeClient(
            api_key=API_KEY, base_url=server.base_url, default_headers=mine
        )
    async with parent:
        await client.create_realtime_client_secret(REQUEST)
    (seen,) = server.requests
    names = [name.lower() for name in seen.names]
    for name, value in mine.items():
        assert names.count(name) == 1
        assert seen.headers[next(key for key in seen.headers if key.lower() == name)] == value


# -- 10 an unreadable 2xx body is never retried --------------------------------------------


def _cut_2xx(status: bytes, body: bytes, *, stall: bool) -> Callable[..., Awaitable[None]]:
    """A server whose 2xx answer sends half its body, then hangs up (or stalls)."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_http_request(reader)
        head = (
            f"HTTP/1.1 {status.decode()}\r\nContent-Type: application/json\r\n"
            f"Location: /v1/realtime/calls/rtc_1\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        writer.write(head.encode() + body[: len(body) // 2])
        await writer.drain()
        if stall:
            await reader.read()  # until the client gives up and closes
        else:
            writer.transport.abort()

    return handle


@pytest.mark.parametrize("stall", [False, True], ids=["cut", "stalled"])
async def test_a_key_answer_whose_body_breaks_off_is_not_retried(raw_server, stall) -> None:
    """A 200 whose body is cut short or stalls raises at once: the key was minted, no second one."""
    requests: list[int] = []
    handle = _cut_2xx(b"200 OK", json.dumps(SECRET_BODY).encode(), stall=stall)

    async def counted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        requests.append(1)
        await handle(reader, writer)

    base_url = await raw_server(counted)
    async with RealtimeClient(
        api_key=API_KEY, base_url=base_url, timeout=0.5, max_retries=2
    ) as client:
        with pytest.raises(APIConnectionError) as caught:
            async with asyncio.timeout(HANG):
                await client.create_realtime_client_secret(REQUEST)
    assert len(requests) == 1
    assert caught.value.status_code == 200
    assert isinstance(caught.value, APITimeoutError) is stall


@pytest.mark.parametrize("stall", [False, True], ids=["cut", "stalled"])
async def test_a_created_call_whose_body_breaks_off_is_not_retried(raw_server, stall) -> None:
    """A 201 SDP answer cut short or stalled raises at once: the call exists, no second one."""
    requests: list[int] = []
    handle = _cut_2xx(b"201 Created", ("v=0\r\n" * 40).encode(), stall=stall)

    async def counted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        requests.append(1)
        await handle(reader, writer)

    base_url = await raw_server(counted)
    async with RealtimeClient(
        api_key=API_KEY, base_url=base_url, timeout=0.5, max_retries=2
    ) as client:
        with pytest.raises(APIConnectionError) as caught:
            async with asyncio.timeout(HANG):
                await client.create_realtime_call({"sdp": OFFER})
    assert len(requests) == 1
    assert caught.value.status_code == 201


# -- 11 the rate-limit wait counts against the attempt's own limit ------------------------


async def test_the_rate_limit_wait_counts_against_the_attempt_timeout(serve, clock) -> None:
    """timeout=2.5 after a 2 s rate-limit wait leaves 0.5 s: a 1 s answer times out."""
    answered: list[float] = []

    async def handle(request: web.Request) -> web.Response:
        await request.read()
        answered.append(clock.now)
        if len(answered) > 1:
            await asyncio.sleep(1.0)  # longer than what the wait left of the attempt
        return web.json_response(SECRET_BODY, headers=NONE_LEFT)

    base_url = await serve(handle)
    async with RealtimeClient(
        api_key=API_KEY, base_url=base_url, timeout=2.5, max_retries=0, rate_limit="wait"
    ) as client:
        await client.create_realtime_client_secret(REQUEST)
        with pytest.raises(APITimeoutError):
            async with asyncio.timeout(HANG):
                await client.create_realtime_client_secret(REQUEST)
    assert answered == [1000.0, 1002.0]
