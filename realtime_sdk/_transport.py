"""The only aiohttp user: the pooled session, one POST, and aiohttp failures mapped to our errors."""

import platform
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from typing import Final, NamedTuple

import aiohttp
from yarl import URL

from realtime_sdk._body import ACCEPT_ENCODING, needs_decoding, read_capped
from realtime_sdk._proxy import Proxy
from realtime_sdk._scrub import KEY_PATTERN
from realtime_sdk.errors import (
    APIConnectionError,
    APITimeoutError,
    ClientClosedError,
    EventLoopMismatchError,
    RealtimeSDKError,
)


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without metadata
        return "0.0.0"


USER_AGENT: Final = (
    f"realtime-sdk/{_package_version('realtime-sdk')} "
    f"Python/{platform.python_version()} aiohttp/{aiohttp.__version__}"
)
REQUEST_ID_HEADER: Final = "x-request-id"

# Re-exported so the client can name the type of a caller-owned session without importing aiohttp.
ClientSession = aiohttp.ClientSession


class RawResponse(NamedTuple):
    """What came back for one attempt, before any interpretation.

    Attributes:
        status: the HTTP status.
        headers: the response headers (case-insensitive lookups).
        body: the body bytes, decoded, at most the configured limit.
        request_id: the ``x-request-id`` header, when present.
        truncated: True when the decoded body was longer than the limit and was cut off.
        undecodable: the ``Content-Encoding`` that could not be decoded (unsupported,
            or the bytes are not what it says), else None; `body` is then empty.
    """

    status: int
    headers: Mapping[str, str]
    body: bytes
    request_id: str | None
    truncated: bool = False
    undecodable: str | None = None


def open_session(
    *, max_connections: int, keepalive_timeout: float, headers: Mapping[str, str]
) -> aiohttp.ClientSession:
    """Create the client's own pooled session; call it inside the running loop.

    No cookie jar (an API client has no use for cookies, and a jar is shared state across
    tasks), a bounded connector, and no decompression by aiohttp: `post` decodes bodies
    itself so that the size limit bounds the decoded bytes (see `_body`). aiohttp's
    ``trust_env`` stays off: proxies come from `_proxy`, and ``.netrc`` is never read. The client's headers become the session's defaults:
    aiohttp copies those in one step, whereas headers passed with each request are merged
    one by one, which costs more than anything else the client adds to a call. A session
    passed in by a caller never gets them: there they travel with each request.

    Args:
        max_connections: the pool size (also the per-host limit: there is one host).
        keepalive_timeout: seconds an idle connection stays in the pool.
        headers: the headers every request carries.

    Returns:
        A new session, owned by the caller of this function.
    """
    connector = aiohttp.TCPConnector(
        limit=max_connections,
        limit_per_host=max_connections,
        keepalive_timeout=keepalive_timeout,
    )
    return aiohttp.ClientSession(
        connector=connector,
        cookie_jar=aiohttp.DummyCookieJar(),
        headers=headers,
        # Per-request timeouts are always passed; this only guards against a forgotten one.
        timeout=aiohttp.ClientTimeout(total=300.0),
        raise_for_status=False,
        auto_decompress=False,
        trust_env=False,
    )


def connect_timeout(connect: float) -> aiohttp.ClientTimeout:
    """The aiohttp timeout of every attempt: it bounds opening a new connection only.

    The attempt as a whole (the wait for a pool place, the request, the body) is bounded
    by the client with ``asyncio.timeout``, which ends it exactly at its limit; aiohttp's
    own ``total`` would round limits above a few seconds up to a whole second.

    Args:
        connect: seconds to open a new connection.

    Returns:
        The timeout object to pass to `post`.
    """
    return aiohttp.ClientTimeout(total=None, sock_connect=connect)


def make_url(base_url: str, path: str) -> URL:
    """The absolute URL of an endpoint, built once and reused for every call.

    Args:
        base_url: the API root, ending in ``/``.
        path: the endpoint path without a leading slash.

    Returns:
        The joined URL; absolute, so a caller-owned session's own ``base_url`` does not
        apply to it.
    """
    return URL(base_url + path, encoded=False)


async def post(
    session: aiohttp.ClientSession,
    url: URL,
    body: bytes,
    headers: Mapping[str, str] | None,
    *,
    timeouts: aiohttp.ClientTimeout,
    max_body: int,
    proxy: Proxy | None = None,
) -> RawResponse:
    """Send one POST and read the whole answer, without following redirects.

    Whatever the session's own settings, the status is not raised by aiohttp and the body
    is not decompressed by it: both are the client's to judge.

    Args:
        session: the pooled session.
        url: the absolute endpoint URL.
        body: the encoded JSON request body.
        headers: the request's headers, beyond the session's own defaults.
        timeouts: aiohttp's limits for the attempt (from `connect_timeout`).
        max_body: the most decoded body bytes to read; beyond it the answer is cut off
            and the connection is closed rather than returned to the pool half-read.
        proxy: the proxy to go through, or None for the session's own choice.

    Returns:
        The status, headers and body.

    Raises:
        APITimeoutError: aiohttp's connect limit ran out.
        APIConnectionError: the connection failed, dropped or carried a malformed answer.
        ClientClosedError: the session was closed before or during the call.
        EventLoopMismatchError: the session belongs to another event loop.
    """
    # A plain try rather than a context manager: this runs on every call, and a generator
    # based one costs more than the POST's own bookkeeping here.
    try:
        async with session.post(
            url,
            data=body,
            headers=headers,
            timeout=timeouts,
            allow_redirects=False,
            raise_for_status=False,
            auto_decompress=False,
            proxy=None if proxy is None else proxy.url,
            proxy_headers=None if proxy is None else proxy.headers,
        ) as response:
            received = response.headers
            encoding = received.get("Content-Encoding")
            length = response.content_length
            if length is not None and length <= max_body and not needs_decoding(encoding):
                data = await response.read()
                truncated = False
                undecodable = None
            else:
                data, truncated, undecodable = await read_capped(
                    response.content, encoding, max_body
                )
                if truncated or undecodable:
                    # The rest of the body is unread: the connection cannot be reused.
                    response.close()
            return RawResponse(
                response.status,
                received,
                data,
                received.get(REQUEST_ID_HEADER),
                truncated,
                undecodable,
            )
    except _FAILURES as exc:
        # Built here, raised below: outside the except block the new error keeps no link
        # (__cause__ or __context__) to aiohttp's, whose request_info holds the API key.
        failure = map_exception(exc, url, session)
    raise failure


# Everything `post` hands to `map_exception`. aiohttp wraps its parser's errors in
# ClientResponseError or ClientPayloadError; OSError covers a socket error that escapes
# unwrapped; RuntimeError is what aiohttp raises for a closed session or a session of
# another event loop. Cancellation is a BaseException and passes through untouched.
_FAILURES: Final = (aiohttp.ClientError, OSError, RuntimeError)


def map_exception(
    exc: BaseException, url: URL, session: aiohttp.ClientSession | None = None
) -> RealtimeSDKError:
    """The SDK error for an aiohttp or socket failure: the one place they are translated.

    The caller raises the result outside its ``except`` block, so that aiohttp's
    exception, whose ``request_info`` holds the request headers (the API key among
    them), is not reachable from ours; the message names its type and what it said,
    with key-shaped text masked.

    Args:
        exc: the failure.
        url: the URL being called; only its host and port appear in the message.
        session: the session used, to tell a closed one from a failed connection.

    Returns:
        `ClientClosedError` when the session was closed before or during the call;
        `EventLoopMismatchError` for aiohttp's complaint about another loop's session;
        `APITimeoutError` for any timeout; `APIConnectionError` for connection, payload
        and protocol failures.

    Raises:
        RuntimeError: ``exc`` is a RuntimeError that is neither of aiohttp's two (a bug
            to surface, not a connection failure).
    """
    if session is not None and session.closed:
        return ClientClosedError("the aiohttp session was closed while the call was under way")
    where = f"{url.host}:{url.port}"
    # Timeouts first: aiohttp's ServerTimeoutError is also a ClientConnectionError.
    if isinstance(exc, TimeoutError):
        return APITimeoutError(f"timed out talking to {where}")
    if isinstance(exc, aiohttp.ClientPayloadError):
        return APIConnectionError(
            f"connection to {where} broke while reading the response: {_describe(exc)}"
        )
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return APIConnectionError(f"{where} closed the connection before answering")
    if isinstance(exc, RuntimeError) and not isinstance(exc, aiohttp.ClientError):
        if session is not None and _is_other_loop_complaint(exc):
            return EventLoopMismatchError(
                "the aiohttp session given to this RealtimeClient belongs to another event "
                "loop; create it inside the loop that makes the calls (SyncRealtimeClient "
                "runs its own loop: let it create its own session)"
            )
        raise exc
    return APIConnectionError(f"connection error talking to {where}: {_describe(exc)}")


def _is_other_loop_complaint(exc: RuntimeError) -> bool:
    # asyncio's "... attached to a different loop" and aiohttp's timer, which finds no task
    # of its own loop running: the client always calls from a task of the running loop.
    text = str(exc)
    return "different loop" in text or "inside a task" in text or "loop is closed" in text


def _describe(exc: BaseException) -> str:
    # aiohttp's text can quote what the server sent (a bad status line, say).
    text = KEY_PATTERN.sub(lambda match: match.group(1) + "****", str(exc).strip())
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


__all__ = [
    "ACCEPT_ENCODING",
    "USER_AGENT",
    "ClientSession",
    "RawResponse",
    "connect_timeout",
    "make_url",
    "map_exception",
    "open_session",
    "post",
]
