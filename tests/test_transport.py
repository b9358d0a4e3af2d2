"""The aiohttp transport: one POST against real loopback servers, and the failure mapping."""

import asyncio
import platform
import re
from collections.abc import AsyncIterator

import aiohttp
import pytest

from realtime_sdk._http import _transport
from realtime_sdk._http._headers import HiddenHeaders
from realtime_sdk.errors import APIConnectionError, APITimeoutError
from tests.conftest import Reply, read_http_request

TIMEOUTS = _transport.attempt_timeout(5.0, 5.0)
HEADERS = HiddenHeaders({"Content-Type": "application/json", "X-Probe": "1"})


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A session built the way the client builds its own."""
    session = _transport.open_session(keepalive_timeout=15.0, headers={})
    yield session
    await session.close()


async def _post(
    session: aiohttp.ClientSession,
    base_url: str,
    *,
    timeouts: aiohttp.ClientTimeout = TIMEOUTS,
    max_body: int = 1 << 20,
) -> _transport.RawResponse:
    url = _transport.make_url(base_url, "realtime/client_secrets")
    return await _transport.post(
        session, url, b'{"a":1}', HEADERS, timeouts=timeouts, max_body=max_body
    )


async def test_post_returns_status_body_and_request_id(start_server, session) -> None:
    """The raw answer carries the status, the body bytes and the x-request-id."""
    server = await start_server(Reply(201, {"v": 1}, {"x-request-id": "req_42"}))
    raw = await _post(session, server.base_url)
    assert (raw.status, raw.body, raw.request_id, raw.truncated) == (
        201,
        b'{"v": 1}',
        "req_42",
        False,
    )
    assert raw.headers["X-Request-Id"] == "req_42"


async def test_post_sends_body_and_headers_to_the_joined_path(start_server, session) -> None:
    """The body bytes and headers arrive unchanged at base path + endpoint path."""
    server = await start_server()
    await _post(session, server.base_url)
    seen = server.requests[0]
    assert seen.path == "/v1/realtime/client_secrets"
    assert seen.body == b'{"a":1}'
    assert seen.headers["X-Probe"] == "1"
    assert seen.headers["Content-Type"] == "application/json"
    assert "Cookie" not in seen.headers


async def test_sequential_posts_share_one_connection(start_server, session) -> None:
    """Ten calls in a row are served over a single kept-alive TCP connection."""
    server = await start_server()
    for _ in range(10):
        await _post(session, server.base_url)
    assert len(server.requests) == 10
    assert server.connections == 1


async def test_redirect_is_returned_not_followed(start_server, session) -> None:
    """A 302 comes back as is; the other host never sees the request or its headers."""
    elsewhere = await start_server()
    target = elsewhere.base_url + "realtime/client_secrets"
    server = await start_server(Reply(302, b"", {"Location": target}))
    raw = await _post(session, server.base_url)
    assert raw.status == 302
    assert elsewhere.requests == []


async def test_refused_connection_is_a_connection_error(session) -> None:
    """Nobody listening gives APIConnectionError naming aiohttp's error, not chained to it."""
    probe = await asyncio.start_server(lambda _r, _w: None, "127.0.0.1", 0)
    port = probe.sockets[0].getsockname()[1]
    probe.close()
    await probe.wait_closed()
    with pytest.raises(APIConnectionError) as info:
        await _post(session, f"http://127.0.0.1:{port}/v1/")
    assert not isinstance(info.value, APITimeoutError)
    assert "ClientConnectorError" in str(info.value)
    assert (info.value.__cause__, info.value.__context__) == (None, None)
    assert f"127.0.0.1:{port}" in str(info.value)


async def test_reset_mid_body_is_a_connection_error(raw_server, session) -> None:
    """A connection dropped halfway through the body is APIConnectionError."""

    async def half_body(reader, writer) -> None:
        await read_http_request(reader)
        writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"value":')
        await writer.drain()
        writer.transport.abort()

    base_url = await raw_server(half_body)
    with pytest.raises(APIConnectionError, match="while reading the response") as info:
        await _post(session, base_url)
    assert "ClientPayloadError" in str(info.value)
    assert (info.value.__cause__, info.value.__context__) == (None, None)


async def test_close_without_answer_is_a_connection_error(raw_server, session) -> None:
    """A server that reads the request and hangs up gives APIConnectionError."""

    async def hang_up(reader, writer) -> None:
        await read_http_request(reader)
        writer.close()

    base_url = await raw_server(hang_up)
    with pytest.raises(APIConnectionError, match="closed the connection") as info:
        await _post(session, base_url)
    assert (info.value.__cause__, info.value.__context__) == (None, None)


async def test_garbage_answer_is_a_connection_error(raw_server, session) -> None:
    """Bytes that are not HTTP give APIConnectionError, not aiohttp's parser error."""

    async def garbage(reader, writer) -> None:
        await read_http_request(reader)
        writer.write(b"SMTP ready\r\n\r\n")
        await writer.drain()

    base_url = await raw_server(garbage)
    with pytest.raises(APIConnectionError) as info:
        await _post(session, base_url)
    assert "SMTP" in str(info.value)  # what the server said, for the reader
    assert (info.value.__cause__, info.value.__context__) == (None, None)


async def test_slow_server_is_a_timeout(start_server, session) -> None:
    """No answer within the attempt's limit gives APITimeoutError (a connection error)."""
    server = await start_server(Reply(delay=2.0))
    with pytest.raises(APITimeoutError, match="timed out") as info:
        await _post(session, server.base_url, timeouts=_transport.attempt_timeout(0.05, 0.05))
    assert isinstance(info.value, APIConnectionError)
    assert (info.value.__cause__, info.value.__context__) == (None, None)


async def test_oversized_body_with_length_is_cut_off(start_server, session) -> None:
    """A declared body over the limit is cut to the limit and flagged; the pool stays usable."""
    server = await start_server(Reply(body=b"x" * 500_000))
    server.script(Reply(body=b"x" * 500_000))
    raw = await _post(session, server.base_url, max_body=1000)
    assert raw.truncated
    assert raw.body == b"x" * 1000
    assert (await _post(session, server.base_url, max_body=1000)).truncated
    assert (await _post(session, server.base_url)).body == b"x" * 500_000


async def test_oversized_chunked_body_is_cut_off(raw_server, session) -> None:
    """A chunked body that grows past the limit is cut off and flagged."""

    async def chunked(reader, writer) -> None:
        await read_http_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        for _ in range(20):
            writer.write(b"400\r\n" + b"y" * 0x400 + b"\r\n")
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        await reader.read()

    base_url = await raw_server(chunked)
    raw = await _post(session, base_url, max_body=3000)
    assert raw.truncated
    assert raw.body == b"y" * 3000


async def test_small_chunked_body_is_read_whole(raw_server, session) -> None:
    """A chunked body under the limit is read completely."""

    async def chunked(reader, writer) -> None:
        await read_http_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        writer.write(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
        await writer.drain()
        await reader.read()

    base_url = await raw_server(chunked)
    raw = await _post(session, base_url, max_body=3000)
    assert (raw.body, raw.truncated) == (b"abcde", False)


def test_user_agent_names_sdk_python_and_aiohttp() -> None:
    """The User-Agent names realtime-sdk, Python and aiohttp with their versions."""
    pattern = rf"^realtime-sdk/\S+ Python/{re.escape(platform.python_version())} aiohttp/{re.escape(aiohttp.__version__)}$"
    assert re.match(pattern, _transport.USER_AGENT)


def test_make_url_keeps_the_base_path() -> None:
    """The endpoint path is joined under the base path, not in place of its last segment."""
    url = _transport.make_url("https://example.test/v1/", "realtime/sessions")
    assert str(url) == "https://example.test/v1/realtime/sessions"


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (aiohttp.ServerTimeoutError("slow"), APITimeoutError),
        (aiohttp.ConnectionTimeoutError("slow"), APITimeoutError),
        (TimeoutError(), APITimeoutError),
        (aiohttp.ClientOSError(104, "reset"), APIConnectionError),
        (aiohttp.ServerDisconnectedError(), APIConnectionError),
        (aiohttp.ClientPayloadError("cut"), APIConnectionError),
        (ConnectionResetError(), APIConnectionError),
    ],
)
def test_map_exception_classifies_each_failure(raised: Exception, expected: type) -> None:
    """Each aiohttp or socket failure maps to the matching API error, naming only host and port."""
    url = _transport.make_url("http://127.0.0.1:9/v1/", "x")
    error = _transport.map_exception(raised, url)
    assert type(error) is expected
    assert "127.0.0.1:9" in str(error)
