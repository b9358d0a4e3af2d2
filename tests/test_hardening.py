"""Issue 11: the failures an adversarial sweep found, each against a real server on 127.0.0.1.

Sections follow the issue's numbering. Servers are raw asyncio sockets (for bytes aiohttp's
own server would not send) or the scripted aiohttp server from conftest; the proxy is a
small forwarding proxy written here.
"""

import asyncio
import base64
import contextlib
import io
import json
import logging
import pickle
import traceback
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from realtime_sdk import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    ClientClosedError,
    ConfigurationError,
    InternalServerError,
    NotFoundError,
    RealtimeClient,
    RealtimeSDKError,
    _cli,
)
from realtime_sdk._client import _engine
from realtime_sdk.models import RealtimeCreateClientSecretResponse, RealtimeSessionCreateResponse
from tests.conftest import Reply, read_http_request, warns_if_legacy
from tests.reliability._support import leaked

API_KEY = "sk-proj-HARDEN-0123456789abcdefghijklmnop"
MINTED = "ek_68af0d2b1c3e4f5a6b7c8d9e0f1a2b3c"
REQUEST = {"session": {"type": "realtime"}}
SECRET_BODY = {
    "value": MINTED,
    "expires_at": 1_800_000_000,
    "session": {"type": "realtime", "id": "sess_1", "object": "realtime.session"},
}
MB = 1024 * 1024

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch) -> None:
    """No proxy or OPENAI_* variable of the developer's shell reaches these tests."""
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "no_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
        "REQUEST_METHOD",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _no_pauses(monkeypatch) -> None:
    async def no_sleep(_: float) -> None:
        await asyncio.sleep(0)

    monkeypatch.setattr(_engine, "_sleep", no_sleep)


@dataclass
class Raw:
    """A raw server on 127.0.0.1 that answers every request with the same handler."""

    base_url: str
    requests: list[bytes] = field(default_factory=list)


@pytest.fixture
async def raw() -> AsyncIterator[Callable[[Callable[[], bytes] | Handler], Awaitable[Raw]]]:
    """Start raw servers: each request is read whole, then answered with fixed bytes (the
    server hangs up after) or handed to a handler."""
    servers: list[asyncio.Server] = []

    async def start(answer: Callable[[], bytes] | Handler) -> Raw:
        state = Raw("")

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                head, _ = await read_http_request(reader)
                state.requests.append(head)
                if asyncio.iscoroutinefunction(answer):
                    await answer(reader, writer)
                else:
                    writer.write(answer())  # type: ignore[call-arg]
                    await writer.drain()
            except (ConnectionError, asyncio.IncompleteReadError):
                pass
            finally:
                writer.close()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        servers.append(server)
        state.base_url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1/"
        return state

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


def _head(status: int | str, *headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status} X", "Content-Type: application/json", "Connection: close"]
    return ("\r\n".join([*lines, *headers]) + "\r\n\r\n").encode()


def _answer(status: int | str, body: bytes, *headers: str) -> Callable[[], bytes]:
    return lambda: _head(status, f"Content-Length: {len(body)}", *headers) + body


def _chunked(status: int, body: bytes, *headers: str) -> Callable[[], bytes]:
    def build() -> bytes:
        parts = [_head(status, "Transfer-Encoding: chunked", *headers)]
        for start in range(0, len(body), 16 * 1024):
            piece = body[start : start + 16 * 1024]
            parts.append(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        parts.append(b"0\r\n\r\n")
        return b"".join(parts)

    return build


def _client_for(base_url: str, **options: object) -> RealtimeClient:
    options.setdefault("max_retries", 2)
    options.setdefault("timeout", 5.0)
    return RealtimeClient(API_KEY, base_url=base_url, **options)  # type: ignore[arg-type]


async def _fail(client: RealtimeClient, expected: type[BaseException]) -> BaseException:
    async with asyncio.timeout(30):  # a bound against a hang, not a speed check
        with pytest.raises(expected) as caught:
            await client.create_realtime_client_secret(REQUEST)
    return caught.value


# -- 1. the size cap bounds the decoded bytes ------------------------------------------------

INFLATED = 128 * MB


@cache
def _bomb(encoding: str) -> bytes:
    """128 MB of zeros, compressed (about 130 KB), built without holding the 128 MB."""
    wbits = {"gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS, "raw-deflate": -15}
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits[encoding])
    block = b"\0" * MB
    packed = [packer.compress(block) for _ in range(INFLATED // MB)]
    packed.append(packer.flush())
    return b"".join(packed)


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
async def test_a_compression_bomb_stops_at_the_cap_on_decoded_bytes(
    raw, encoding: str, framing: str
) -> None:
    """A correct Content-Length of ~130 KB that inflates to 128 MB: the size error, having
    held little more than the 4 MB cap, for gzip, zlib and raw deflate, chunked or not."""
    bomb = _bomb(encoding)
    header = "Content-Encoding: " + ("deflate" if "deflate" in encoding else "gzip")
    build = _answer if framing == "content-length" else _chunked
    server = await raw(build(200, bomb, header))
    tracemalloc.start()
    try:
        async with _client_for(server.base_url, max_retries=0) as client:
            error = await _fail(client, APIResponseValidationError)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "larger than 4194304 bytes" in str(error)
    assert peak < 32 * MB, f"peak {peak / MB:.0f} MB while reading a capped body"


async def test_a_compressed_answer_under_the_cap_is_decoded(raw) -> None:
    """The decoding is real: a gzip answer (and the next, on the same pool) reads back."""
    body = zlib.compress(json.dumps(SECRET_BODY).encode(), wbits=zlib.MAX_WBITS | 16)
    server = await raw(_answer(200, body, "Content-Encoding: gzip"))
    async with _client_for(server.base_url) as client:
        result = await client.create_realtime_client_secret(REQUEST)
    assert result.value.reveal() == MINTED
    assert b"accept-encoding: gzip, deflate" in server.requests[0].lower()


# -- 2. no object reachable from an SDK error holds the key ----------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        _answer("2x0", b"{}"),  # a bad status line
        lambda: b"HTTP/1.1 200 OK\r\nX Bad Name: 1\r\nContent-Length: 2\r\n\r\n{}",
        lambda: b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        _answer(200, b"{}", "Content-Encoding: br"),
        _answer(200, b"{}", "Content-Encoding: zstd"),
        _answer(200, b"not gzip", "Content-Encoding: gzip"),
    ],
    ids=["status-line", "header-name", "two-lengths", "br", "zstd", "lying-gzip"],
)
async def test_a_malformed_answer_leaves_no_key_reachable(raw, answer) -> None:
    """Whatever aiohttp raised on the way, nothing the SDK error reaches holds the key."""
    server = await raw(answer)
    async with _client_for(server.base_url, max_retries=0) as client:
        error = await _fail(client, RealtimeSDKError)
    assert isinstance(error, APIConnectionError | APIResponseValidationError)
    assert leaked(error, [API_KEY]) == []


async def test_an_injected_aiohttp_error_with_request_info_leaves_no_key_reachable() -> None:
    """aiohttp's ClientResponseError carries the request headers; the SDK error does not."""
    from aioresponses import aioresponses  # noqa: PLC0415 - only this section mocks

    url = "http://127.0.0.1:9/v1/realtime/client_secrets"
    info = aiohttp.RequestInfo(
        url=URL(url),
        method="POST",
        headers=CIMultiDictProxy(CIMultiDict({"Authorization": f"Bearer {API_KEY}"})),
        real_url=URL(url),
    )
    injected = aiohttp.ClientResponseError(info, (), status=400, message="Bad status line")
    with aioresponses() as mocked:
        mocked.post(url, exception=injected, repeat=True)
        async with _client_for("http://127.0.0.1:9/v1", max_retries=1) as client:
            error = await _fail(client, APIConnectionError)
    assert "ClientResponseError" in str(error)
    assert leaked(error, [API_KEY]) == []
    assert leaked(injected, [API_KEY])  # the scan would have seen it


# -- 3. calls caught by a close end in a RealtimeSDKError ------------------------------------


async def _first_request(server) -> None:
    for _ in range(3000):  # bounded: 30 s at most
        if server.requests:
            return
        await asyncio.sleep(0.01)
    pytest.fail("the server never got the first request")


async def test_calls_waiting_for_the_pool_when_aclose_runs_get_client_closed(
    start_server,
) -> None:
    """A pool of one, three calls: aclose() while two wait ends all three in SDK errors."""
    server = await start_server(Reply(200, SECRET_BODY, delay=0.5))
    client = _client_for(server.base_url, max_connections=1)
    async with client:
        calls = [asyncio.create_task(client.create_realtime_client_secret(REQUEST))]
        await _first_request(server)
        calls += [asyncio.create_task(client.create_realtime_client_secret(REQUEST))]
        calls += [asyncio.create_task(client.create_realtime_client_secret(REQUEST))]
        await asyncio.sleep(0.05)
        await client.aclose()
        async with asyncio.timeout(30):
            outcomes = await asyncio.gather(*calls, return_exceptions=True)
    assert [type(outcome) for outcome in outcomes[1:]] == [ClientClosedError] * 2
    assert isinstance(outcomes[0], RealtimeSDKError)


async def test_calls_waiting_when_the_owner_closes_its_session_get_client_closed(
    start_server,
) -> None:
    """The caller's own session, closed under waiting calls: ClientClosedError, not aiohttp's."""
    server = await start_server(Reply(200, SECRET_BODY, delay=0.5))
    session = aiohttp.ClientSession()
    client = _client_for(server.base_url, max_connections=1, session=session)
    calls = [asyncio.create_task(client.create_realtime_client_secret(REQUEST)) for _ in range(3)]
    await _first_request(server)
    await session.close()
    async with asyncio.timeout(30):
        outcomes = await asyncio.gather(*calls, return_exceptions=True)
    await client.aclose()
    assert all(isinstance(outcome, RealtimeSDKError) for outcome in outcomes), outcomes
    assert sum(isinstance(outcome, ClientClosedError) for outcome in outcomes) >= 2
    assert "closed by its owner" in str(outcomes[-1])


# -- 4. the client's status handling wins over the caller's session ------------------------


async def test_a_session_with_raise_for_status_still_gets_the_status_error(start_server) -> None:
    """raise_for_status=True on the caller's session: a 401 is AuthenticationError, once."""
    server = await start_server(Reply(401, {"error": {"message": "bad key", "code": "k"}}))
    async with (
        aiohttp.ClientSession(raise_for_status=True) as session,
        _client_for(server.base_url, session=session) as client,
    ):
        error = await _fail(client, AuthenticationError)
    assert error.status_code == 401
    assert len(server.requests) == 1


async def test_a_session_with_auto_decompress_off_still_gets_decoded_answers(raw) -> None:
    """The body is decoded by the client whatever the caller's session says."""
    body = zlib.compress(json.dumps(SECRET_BODY).encode(), wbits=zlib.MAX_WBITS | 16)
    server = await raw(_answer(200, body, "Content-Encoding: gzip"))
    async with (
        aiohttp.ClientSession(auto_decompress=False) as session,
        _client_for(server.base_url, session=session) as client,
    ):
        result = await client.create_realtime_client_secret(REQUEST)
    assert result.value.reveal() == MINTED


# -- 5. proxies from the environment, or named, or none --------------------------------------


@dataclass
class ProxySeen:
    """One request as the proxy received it."""

    method: str
    target: str
    headers: dict[str, str]


class ForwardingProxy:
    """An HTTP proxy on 127.0.0.1: forwards absolute-URI requests, tunnels CONNECT."""

    def __init__(self) -> None:
        self.seen: list[ProxySeen] = []
        self.url = ""
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def close(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream: asyncio.StreamWriter | None = None
        try:
            head, body = await read_http_request(reader)
            request_line, *lines = head.decode("latin-1").split("\r\n")
            method, target, _ = request_line.split(" ")
            headers = {
                name.strip().lower(): value.strip()
                for name, _, value in (line.partition(":") for line in lines if line)
            }
            self.seen.append(ProxySeen(method, target, headers))
            if method == "CONNECT":
                host, _, port = target.rpartition(":")
                up_reader, upstream = await asyncio.open_connection(host, int(port))
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                await asyncio.gather(_pipe(reader, upstream), _pipe(up_reader, writer))
                return
            parts = urlsplit(target)
            up_reader, upstream = await asyncio.open_connection(parts.hostname, parts.port)
            # A WebSocket upgrade keeps its Connection header and talks both ways after it.
            upgrade = "upgrade" in headers
            dropped = ("proxy-",) if upgrade else ("proxy-", "connection:")
            kept = [line for line in lines if line and not line.lower().startswith(dropped)]
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            closing = [] if upgrade else ["Connection: close"]
            forwarded = [f"{method} {path} HTTP/1.1", *kept, *closing, "", ""]
            upstream.write("\r\n".join(forwarded).encode("latin-1") + body)
            if upgrade:
                await asyncio.gather(_pipe(reader, upstream), _pipe(up_reader, writer))
            else:
                await _pipe(up_reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            for stream in (writer, upstream):
                if stream is not None:
                    stream.close()
                    with contextlib.suppress(ConnectionError):
                        await stream.wait_closed()


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
    sink.close()


@pytest.fixture
async def proxy() -> AsyncIterator[ForwardingProxy]:
    """A forwarding proxy on 127.0.0.1."""
    forwarding = ForwardingProxy()
    await forwarding.start()
    yield forwarding
    await forwarding.close()


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"])
async def test_a_proxy_from_the_environment_is_used(
    start_server, proxy, monkeypatch, variable: str
) -> None:
    """HTTP_PROXY (or ALL_PROXY) set: the call goes through the proxy and arrives."""
    server = await start_server(Reply(200, SECRET_BODY))
    monkeypatch.setenv(variable, proxy.url)
    async with _client_for(server.base_url) as client:
        result = await client.create_realtime_client_secret(REQUEST)
    assert result.value.reveal() == MINTED
    assert [(seen.method, seen.target) for seen in proxy.seen] == [
        ("POST", server.base_url + "realtime/client_secrets")
    ]
    assert server.requests[0].headers["Authorization"] == f"Bearer {API_KEY}"


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "*", "localhost,127.0.0.0/8", ".0.0.1"])
async def test_no_proxy_sends_the_call_direct(
    start_server, proxy, monkeypatch, no_proxy: str
) -> None:
    """A host listed in NO_PROXY is reached directly."""
    server = await start_server(Reply(200, SECRET_BODY))
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", no_proxy)
    async with _client_for(server.base_url) as client:
        await client.create_realtime_client_secret(REQUEST)
    assert proxy.seen == []
    assert len(server.requests) == 1


async def test_env_proxies_false_ignores_the_environment(start_server, proxy, monkeypatch) -> None:
    """env_proxies=False: HTTP_PROXY is set, the call goes direct."""
    server = await start_server(Reply(200, SECRET_BODY))
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    async with _client_for(server.base_url, env_proxies=False) as client:
        await client.create_realtime_client_secret(REQUEST)
    assert proxy.seen == []
    assert len(server.requests) == 1


async def test_a_named_proxy_with_credentials_sends_them_to_the_proxy_only(
    start_server, proxy, monkeypatch
) -> None:
    """proxy="http://user:pass@..." wins over the environment; the credentials go to the
    proxy as Proxy-Authorization, never to the server, and never into a repr."""
    server = await start_server(Reply(200, SECRET_BODY))
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # would fail if used
    named = proxy.url.replace("http://", "http://alice:s%3Acret@")
    async with _client_for(server.base_url, proxy=named) as client:
        await client.create_realtime_client_secret(REQUEST)
        assert "s%3Acret" not in repr(client._config)
        assert "s:cret" not in repr(client._config)
    expected = "Basic " + base64.b64encode(b"alice:s:cret").decode()
    assert proxy.seen[0].headers["proxy-authorization"] == expected
    assert not any(name.lower().startswith("proxy-") for name in server.requests[0].headers)


async def test_netrc_credentials_are_never_picked_up(
    start_server, proxy, monkeypatch, tmp_path: Path
) -> None:
    """A .netrc naming the proxy and the API host: neither gets those credentials."""
    server = await start_server(Reply(200, SECRET_BODY))
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login mallory password netrc-secret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    async with _client_for(server.base_url) as client:
        await client.create_realtime_client_secret(REQUEST)
    assert len(proxy.seen) == 1
    assert "proxy-authorization" not in proxy.seen[0].headers
    assert server.requests[0].headers["Authorization"] == f"Bearer {API_KEY}"


@pytest.mark.parametrize("credentials", ["", "alice:pw@"])
async def test_an_https_base_url_is_tunnelled_through_connect(
    raw, proxy, monkeypatch, credentials: str
) -> None:
    """HTTPS_PROXY and an https base URL: the proxy sees CONNECT host:port, its own
    credentials when there are any, and neither the API key nor the client's headers."""
    server = await raw(lambda: b"not a TLS server hello")
    port = urlsplit(server.base_url).port
    monkeypatch.setenv("HTTPS_PROXY", proxy.url.replace("http://", "http://" + credentials))
    async with _client_for(f"https://127.0.0.1:{port}/v1", max_retries=0) as client:
        await _fail(client, APIConnectionError)
    assert [(seen.method, seen.target) for seen in proxy.seen] == [("CONNECT", f"127.0.0.1:{port}")]
    seen = proxy.seen[0].headers
    assert API_KEY not in json.dumps(seen)
    assert "authorization" not in seen
    assert "user-agent" not in seen or "realtime-sdk" not in seen["user-agent"]
    if credentials:
        assert seen["proxy-authorization"] == "Basic " + base64.b64encode(b"alice:pw").decode()
    else:
        assert "proxy-authorization" not in seen


@pytest.mark.parametrize(
    ("option", "value"),
    [("proxy", "socks5://127.0.0.1:1080"), ("proxy", "http://"), ("env_proxies", "no")],
)
def test_a_bad_proxy_setting_is_a_configuration_error(option: str, value: str) -> None:
    """A proxy the transport cannot use is refused by name, without echoing the URL."""
    with pytest.raises(ConfigurationError, match=option) as caught:
        RealtimeClient(API_KEY, **{option: value})  # type: ignore[arg-type]
    assert "127.0.0.1:1080" not in str(caught.value)


def test_a_bad_proxy_variable_names_the_variable(monkeypatch) -> None:
    """A socks proxy in ALL_PROXY is named in the error, which says how to ignore it."""
    monkeypatch.setenv("ALL_PROXY", "socks5://user:hunter2@127.0.0.1:1080")
    with pytest.raises(ConfigurationError, match=r"ALL_PROXY.*env_proxies=False") as caught:
        RealtimeClient(API_KEY)
    assert "hunter2" not in str(caught.value)
    RealtimeClient(API_KEY, env_proxies=False)  # the way out works


# -- 6. secrets the server echoes are masked everywhere the error keeps them -----------------


async def test_a_key_echoed_in_a_header_is_masked_in_headers_vars_and_pickle(start_server) -> None:
    """exc.headers, vars(exc) and the pickle hold no key a proxy echoed in a header."""
    echo = {"X-Echo": f"Bearer {API_KEY}", "X-Minted": MINTED}
    server = await start_server(Reply(400, {"error": {"message": "no"}}, echo))
    async with _client_for(server.base_url) as client:
        error = await _fail(client, APIStatusError)
    assert error.headers["X-Echo"] == "Bearer sk-proj-****"
    assert error.headers["X-Minted"] == "ek_****"
    assert API_KEY not in repr(vars(error))
    assert MINTED not in pickle.dumps(error).decode("latin-1")
    assert leaked(error, [API_KEY, MINTED]) == []


async def test_an_ephemeral_key_in_the_request_id_is_masked(start_server, caplog) -> None:
    """An ek_ value in x-request-id reaches neither str(exc) nor the debug log."""
    caplog.set_level(logging.DEBUG, logger="realtime_sdk")
    server = await start_server(Reply(500, {"error": {"message": "x"}}, {"x-request-id": MINTED}))
    async with _client_for(server.base_url, max_retries=0) as client:
        error = await _fail(client, InternalServerError)
        server.default = Reply(200, SECRET_BODY, {"x-request-id": MINTED})
        await client.create_realtime_client_secret(REQUEST)
    assert MINTED not in str(error)
    assert error.request_id == "ek_****"
    assert leaked(error, [MINTED]) == []
    assert caplog.records
    assert not any(MINTED in record.getMessage() for record in caplog.records)


async def test_a_unicode_escaped_key_in_a_json_error_body_is_masked(raw) -> None:
    """ "\\u0073k-..." decodes to the key: it is masked in the message and the parsed body."""
    escaped = "\\u0073" + API_KEY[1:]
    body = ('{"error": {"message": "bad key ' + escaped + '", "code": "x"}}').encode()
    server = await raw(_answer(401, body))
    async with _client_for(server.base_url) as client:
        error = await _fail(client, AuthenticationError)
    assert "sk-proj-****" in str(error)
    assert leaked(error, [API_KEY]) == []


async def test_a_success_that_fails_to_parse_keeps_no_ephemeral_key(raw) -> None:
    """A 200 cut off after its ek_ value: no JSONDecodeError.doc (or anything) holds it."""
    body = json.dumps(SECRET_BODY).encode()[:-10]
    server = await raw(_answer(200, body))
    async with _client_for(server.base_url) as client:
        error = await _fail(client, APIResponseValidationError)
    assert "not JSON" in str(error)
    assert leaked(error, [MINTED, API_KEY]) == []


# -- 7. framing and hop-by-hop headers are refused -------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Content-Length",
        "transfer-encoding",
        "Connection",
        "Host",
        "Upgrade",
        "TE",
        "Trailer",
        "Keep-Alive",
        "Proxy-Authorization",
        "Proxy-Connection",
    ],
)
async def test_framing_headers_are_refused_before_sending(start_server, name: str) -> None:
    """extra_headers or default_headers naming a framing header: a clear error, nothing sent."""
    server = await start_server(Reply(200, SECRET_BODY))
    async with _client_for(server.base_url) as client:
        with pytest.raises(ConfigurationError, match=f"extra_headers: '{name}' cannot be set"):
            await client.create_realtime_client_secret(REQUEST, extra_headers={name: "2"})
    with pytest.raises(ConfigurationError, match="default_headers"):
        _client_for(server.base_url, default_headers={name: "2"})
    assert server.requests == []


# -- 8. base_url ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:99999/v1",
        "http://127.0.0.1:port/v1",
        "http://[::1/v1",
        "http://[not-an-address]/v1",
        "https://api.openai.com/v1?",
        "https://api.openai.com/v1#",
        "https://api.openai.com/v1?x=1",
        "https://api.openai.com/v1#top",
    ],
)
def test_a_bad_base_url_is_a_configuration_error(url: str) -> None:
    """A bad port, a broken IPv6 literal, any query or fragment: ConfigurationError."""
    with pytest.raises(ConfigurationError, match="base_url"):
        RealtimeClient(API_KEY, base_url=url)


@pytest.mark.parametrize(
    "url",
    ["ftp://user:hunter2@example.com/v1", "http://user:hunter2@127.0.0.1:99999/v1"],
)
def test_a_message_about_a_bad_base_url_never_repeats_credentials(url: str) -> None:
    """user:password@ is dropped from the URL the message quotes."""
    with pytest.raises(ConfigurationError, match="base_url") as caught:
        RealtimeClient(API_KEY, base_url=url)
    assert "hunter2" not in str(caught.value)
    assert "user" not in str(caught.value)


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999/v1", "http://[::1/v1"])
def test_the_command_line_reports_a_bad_base_url_without_a_traceback(url: str) -> None:
    """OPENAI_BASE_URL with a bad port or IPv6 literal: exit status 2 and one clear line."""
    err = io.StringIO()
    environ = {"OPENAI_API_KEY": API_KEY, "OPENAI_BASE_URL": url}
    code = _cli.run(
        ["client-secret"], environ=environ, stdin=io.StringIO(), stdout=io.StringIO(), stderr=err
    )
    assert code == 2
    assert "base_url" in err.getvalue()
    assert "Traceback" not in err.getvalue()


async def test_a_404_under_a_base_url_without_v1_says_the_path_looks_wrong(start_server) -> None:
    """base_url without /v1 and a 404: the message points at base_url, not a retirement."""
    server = await start_server(Reply(404, {"error": {"message": "Not found"}}))
    root = server.base_url.removesuffix("v1/")
    async with _client_for(root) as client:
        for call in (client.create_realtime_session, client.create_realtime_client_secret):
            async with asyncio.timeout(30):
                with warns_if_legacy(call.__name__), pytest.raises(NotFoundError) as caught:
                    await call({})  # type: ignore[operator]
            assert "has no version segment" in str(caught.value)
            assert "retired" not in str(caught.value)


# -- 9. a model's repr never raises ----------------------------------------------------------


def _fail_while_building() -> None:
    half_built = object.__new__(RealtimeSessionCreateResponse)  # as a converter holds one
    msg = f"while building {type(half_built).__name__}"
    raise APIResponseValidationError(msg, status_code=200)


def test_a_half_built_model_has_a_repr_and_a_traceback_with_locals_works() -> None:
    """No slot written yet: repr shows the fields as missing; capture_locals does not crash."""
    half_built = object.__new__(RealtimeCreateClientSecretResponse)
    assert repr(half_built) == (
        "RealtimeCreateClientSecretResponse(value=<missing>, expires_at=<missing>, "
        "session=<missing>, extra_fields=<missing>)"
    )
    with pytest.raises(APIResponseValidationError) as caught:
        _fail_while_building()
    report = traceback.TracebackException.from_exception(caught.value, capture_locals=True)
    assert "half_built = RealtimeSessionCreateResponse(" in "".join(report.format())


# -- 10. retry only what is safe to retry -----------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [("Content-Encoding: gzip",), ("Content-Encoding: br",), ("Content-Encoding: zstd",)],
    ids=["lying-gzip", "br", "zstd"],
)
async def test_a_200_with_an_undecodable_body_is_not_retried(raw, headers) -> None:
    """The answer arrived (a key may be minted): APIResponseValidationError, one attempt."""
    server = await raw(_answer(200, b'{"value": "x"}', *headers))
    async with _client_for(server.base_url, max_retries=2) as client:
        error = await _fail(client, APIResponseValidationError)
    assert error.status_code == 200
    assert "could not be decoded" in str(error)
    assert len(server.requests) == 1


@pytest.mark.parametrize("status", [600, 999])
async def test_a_status_beyond_599_is_an_api_status_error_not_retried(raw, status: int) -> None:
    """600 and up is no server error: APIStatusError (not InternalServerError), one attempt."""
    server = await raw(_answer(status, b'{"error": {"message": "odd"}}'))
    async with _client_for(server.base_url, max_retries=2) as client:
        error = await _fail(client, APIStatusError)
    assert type(error) is APIStatusError
    assert error.status_code == status
    assert len(server.requests) == 1
