"""Hostile servers: raw asyncio sockets on 127.0.0.1 that answer the first request badly.

Each server plays one hostile answer to the first request it gets, then answers every
later request properly, so each test checks three things: the call ends, with a
documented error, well inside a generous multiple of the configured timeout; and the same
client then makes a good call.
"""

import asyncio
import contextlib
import json
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from realtime_sdk import RealtimeClient
from realtime_sdk.errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    BadRequestError,
    InternalServerError,
)
from realtime_sdk.models import RealtimeCreateClientSecretResponse
from realtime_sdk.testing import _answers as answers
from tests.conftest import read_http_request
from tests.reliability._support import acquired_connections, is_documented

pytestmark = pytest.mark.reliability

API_KEY = "sk-hostile-0123456789abcdefSECRET"
TIMEOUT = 1.0
# The guard every call runs under: far above TIMEOUT, so only a call that never ends trips it.
GUARD = 15 * TIMEOUT
# No hostile handler outlives this, whatever the client does.
HANDLER_BOUND = 30.0
MB = 1024 * 1024
REQUEST = {"session": {"type": "realtime"}}
# Hostile answers that are complete HTTP messages say so before the server hangs up.
CLOSE = "Connection: close"

Hostile = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def _response(
    status: int, body: bytes, content_type: str = "application/json", *extra: str
) -> bytes:
    head = [f"HTTP/1.1 {status} X", f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
    return ("\r\n".join([*head, *extra]) + "\r\n\r\n").encode() + body


def _good_body() -> bytes:
    answer = answers.client_secret(
        REQUEST, key=answers.new_key(), now=int(time.time()), default_ttl=600
    )
    return json.dumps(answer).encode()


class HostileServer:
    """Answers the first request with `hostile`, later ones properly; counts what arrives."""

    def __init__(self, hostile: Hostile | None) -> None:
        self.hostile = hostile
        self.connections = 0
        self.heads: list[bytes] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._server: asyncio.Server | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            async with asyncio.timeout(HANDLER_BOUND):
                await self._serve(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, TimeoutError):
            pass
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            head, _ = await read_http_request(reader)
            self.heads.append(head)
            if len(self.heads) == 1 and self.hostile is not None:
                await self.hostile(reader, writer)
                return
            writer.write(_response(200, _good_body()))
            await writer.drain()


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Hostile | None], Awaitable[HostileServer]]]:
    """Start hostile servers on 127.0.0.1; all are closed at teardown."""
    servers: list[HostileServer] = []

    async def start(hostile: Hostile | None) -> HostileServer:
        server = HostileServer(hostile)
        await server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.close()


async def _first_then_good(
    server: HostileServer, expected: type[Exception]
) -> tuple[Exception, RealtimeClient]:
    """Make the hostile call and a good one with the same client; return the first error."""
    async with RealtimeClient(
        API_KEY, base_url=server.base_url, timeout=TIMEOUT, max_retries=0
    ) as client:
        async with asyncio.timeout(GUARD):
            with pytest.raises(expected) as caught:
                await client.create_realtime_client_secret(REQUEST)
        assert is_documented(caught.value), type(caught.value)
        async with asyncio.timeout(GUARD):
            result = await client.create_realtime_client_secret(REQUEST)
        assert isinstance(result, RealtimeCreateClientSecretResponse)
        assert result.value.reveal().startswith("ek_")
        assert acquired_connections(client) == 0
    return caught.value, client


async def _huge_with_length(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {50 * MB}\r\n\r\n".encode()
        + b'{"value": "'
    )
    chunk = b"a" * MB
    for _ in range(50):
        writer.write(chunk)
        await writer.drain()


async def _huge_chunked(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"%x\r\n" % MB + b"[" * MB + b"\r\n"
    for _ in range(50):
        writer.write(chunk)
        await writer.drain()
    writer.write(b"0\r\n\r\n")
    await writer.drain()


@pytest.mark.parametrize("hostile", [_huge_with_length, _huge_chunked], ids=["length", "chunked"])
async def test_a_50_mb_body_is_cut_off_at_the_response_size_limit(serve, hostile) -> None:
    """A 50 MB answer stops at the size limit with an error that says so."""
    server = await serve(hostile)
    error, client = await _first_then_good(server, APIResponseValidationError)
    limit = client._config.max_response_bytes
    assert limit < 50 * MB
    assert f"larger than {limit} bytes" in str(error)
    assert len(error.body_excerpt) <= 500


async def _endless_body(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"1\r\n{\r\n"
    )
    while True:  # bounded by HANDLER_BOUND and by the client hanging up
        writer.write(b"1\r\n \r\n")
        await writer.drain()
        await asyncio.sleep(0.05)


async def test_a_body_that_never_ends_times_out(serve) -> None:
    """A body that keeps trickling and never finishes ends the call with APITimeoutError."""
    server = await serve(_endless_body)
    await _first_then_good(server, APITimeoutError)


async def _nested_200(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(_response(200, b"[" * 100_000 + b"]" * 100_000, "application/json", CLOSE))
    await writer.drain()


async def test_deeply_nested_json_in_a_success_is_a_response_validation_error(serve) -> None:
    """A 200 whose JSON nests 100,000 deep is reported as a bad answer, not a RecursionError."""
    server = await serve(_nested_200)
    await _first_then_good(server, APIResponseValidationError)


async def _nested_400(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    body = b'{"error": ' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_001
    writer.write(_response(400, body, "application/json", CLOSE))
    await writer.drain()


async def test_deeply_nested_json_in_an_error_is_still_the_status_error(serve) -> None:
    """A 400 whose JSON body nests 100,000 deep still raises BadRequestError."""
    server = await serve(_nested_400)
    error, _ = await _first_then_good(server, BadRequestError)
    assert error.status_code == 400


async def _octet_stream(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(_response(200, bytes(range(256)) * 4, "application/octet-stream", CLOSE))
    await writer.drain()


async def test_a_binary_body_with_the_wrong_content_type_is_a_response_validation_error(
    serve,
) -> None:
    """A 200 carrying binary under application/octet-stream ends in APIResponseValidationError."""
    server = await serve(_octet_stream)
    error, _ = await _first_then_good(server, APIResponseValidationError)
    assert "expected a JSON document" in str(error)


async def _json_as_text(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(_response(200, _good_body(), "text/plain; charset=latin-1", CLOSE))
    await writer.drain()


async def test_a_valid_answer_under_a_wrong_content_type_is_judged_by_its_body(serve) -> None:
    """A 200 whose body is the expected JSON is parsed even when labelled text/plain."""
    server = await serve(_json_as_text)
    async with (
        RealtimeClient(API_KEY, base_url=server.base_url, timeout=TIMEOUT, max_retries=0) as client,
        asyncio.timeout(GUARD),
    ):
        result = await client.create_realtime_client_secret(REQUEST)
        again = await client.create_realtime_client_secret(REQUEST)
    assert result.value.reveal().startswith("ek_")
    assert again.value.reveal().startswith("ek_")


HTML = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>" + b"<p>x</p>" * 200


async def _html_200(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(_response(200, HTML, "text/html; charset=utf-8", CLOSE))
    await writer.drain()


async def test_a_200_html_page_is_a_response_validation_error_with_an_excerpt(serve) -> None:
    """A captive portal's 200 HTML page is reported with the start of the page, bounded."""
    server = await serve(_html_200)
    error, _ = await _first_then_good(server, APIResponseValidationError)
    assert error.status_code == 200
    assert error.body_excerpt.startswith("<!DOCTYPE html>")
    assert len(error.body_excerpt) <= 500


async def _html_502(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(_response(502, HTML, "text/html", CLOSE))
    await writer.drain()


async def test_a_proxy_error_page_is_an_internal_server_error(serve) -> None:
    """A 502 HTML page from a proxy becomes InternalServerError with a bounded text body."""
    server = await serve(_html_502)
    error, _ = await _first_then_good(server, InternalServerError)
    assert isinstance(error.body, str)
    assert len(error.body) <= 500


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_a_redirect_to_another_host_is_not_followed(serve, status) -> None:
    """A 3xx pointing elsewhere is an APIStatusError, and nothing reaches the other host."""
    elsewhere = await serve(None)

    async def redirect(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        location = f"Location: {elsewhere.base_url}/realtime/client_secrets"
        writer.write(_response(status, b"", "text/plain", location, CLOSE))
        await writer.drain()

    server = await serve(redirect)
    error, _ = await _first_then_good(server, APIStatusError)
    assert error.status_code == status
    assert "redirect" in str(error)
    assert elsewhere.connections == 0
    assert elsewhere.heads == []
    assert API_KEY.encode() in server.heads[0]  # the key went to the configured host only


async def _silent(reader: asyncio.StreamReader, _: asyncio.StreamWriter) -> None:
    await reader.read()  # waits for the client to hang up; no byte is ever sent


async def test_headers_that_never_arrive_time_out(serve) -> None:
    """A server that accepts the request and never answers ends the call with APITimeoutError."""
    server = await serve(_silent)
    await _first_then_good(server, APITimeoutError)


async def _garbage(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    noise = random.Random(6).randbytes(4096)  # noqa: S311 - reproducible noise, not a secret
    writer.write(noise)
    await writer.drain()


async def test_garbage_instead_of_http_is_a_connection_error(serve) -> None:
    """Random bytes instead of an HTTP answer end the call with APIConnectionError."""
    server = await serve(_garbage)
    error, _ = await _first_then_good(server, APIConnectionError)
    assert not isinstance(error, APITimeoutError)


async def _short_body(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
    )
    await writer.drain()


async def test_a_body_cut_short_by_a_hang_up_is_a_connection_error(serve) -> None:
    """A connection closed before the announced body length arrived ends in APIConnectionError."""
    server = await serve(_short_body)
    await _first_then_good(server, APIConnectionError)


async def test_a_hostile_first_answer_is_recovered_by_a_retry(serve) -> None:
    """With retries on, a garbage first answer is retried and the call succeeds."""
    server = await serve(_garbage)
    async with (
        RealtimeClient(API_KEY, base_url=server.base_url, timeout=TIMEOUT, max_retries=1) as client,
        asyncio.timeout(GUARD),
    ):
        result = await client.create_realtime_client_secret_with_response(REQUEST)
    assert result.attempts == 2
    assert len(server.heads) == 2
