"""The only aiohttp user: the pooled session, one POST, and aiohttp failures mapped to our errors."""

import platform
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from typing import Final, NamedTuple

import aiohttp
from aiohttp.http_exceptions import HttpProcessingError
from yarl import URL

from realtime_sdk.errors import APIConnectionError, APITimeoutError


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

_READ_CHUNK: Final = 64 * 1024


class RawResponse(NamedTuple):
    """What came back for one attempt, before any interpretation.

    Attributes:
        status: the HTTP status.
        headers: the response headers (case-insensitive lookups).
        body: the body bytes, at most the configured limit.
        request_id: the ``x-request-id`` header, when present.
        truncated: True when the body was longer than the limit and was cut off.
    """

    status: int
    headers: Mapping[str, str]
    body: bytes
    request_id: str | None
    truncated: bool = False


def open_session(
    *, max_connections: int, keepalive_timeout: float, headers: Mapping[str, str]
) -> aiohttp.ClientSession:
    """Create the client's own pooled session; call it inside the running loop.

    No cookie jar (an API client has no use for cookies, and a jar is shared state across
    tasks) and a bounded connector. The client's headers become the session's defaults:
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
        auto_decompress=True,
    )


def make_timeout(total: float, connect: float) -> aiohttp.ClientTimeout:
    """An aiohttp timeout for one attempt.

    ``connect`` bounds opening a new socket only (``sock_connect``), not the wait for a
    free pooled connection: under a burst, queueing for the pool is normal and is bounded
    by ``total`` instead.

    Args:
        total: seconds for the whole attempt, body included.
        connect: seconds to open a new connection.

    Returns:
        The timeout object to pass to `post`.
    """
    return aiohttp.ClientTimeout(total=total, sock_connect=min(connect, total))


def make_connect_timeout(connect: float) -> aiohttp.ClientTimeout:
    """An aiohttp timeout that bounds only opening a new connection.

    For attempts whose overall limit the client enforces itself (see `_watchdog`).

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
) -> RawResponse:
    """Send one POST and read the whole answer, without following redirects.

    Args:
        session: the pooled session.
        url: the absolute endpoint URL.
        body: the encoded JSON request body.
        headers: the request's headers, beyond the session's own defaults.
        timeouts: the attempt's time limits (from `make_timeout`).
        max_body: the most body bytes to read; beyond it the answer is cut off and the
            connection is closed rather than returned to the pool half-read.

    Returns:
        The status, headers and body.

    Raises:
        APITimeoutError: the attempt ran out of time.
        APIConnectionError: the connection failed, dropped or carried a malformed answer.
    """
    # A plain try rather than a context manager: this runs on every call, and a generator
    # based one costs more than the POST's own bookkeeping here.
    try:
        async with session.post(
            url, data=body, headers=headers, timeout=timeouts, allow_redirects=False
        ) as response:
            length = response.content_length
            if length is not None and length <= max_body:
                data = await response.read()
                truncated = len(data) > max_body
            else:
                data, truncated = await _read_bounded(response.content, max_body)
            if truncated:
                # The rest of the body is unread: the connection cannot be reused.
                response.close()
                data = data[:max_body]
            return RawResponse(
                response.status,
                response.headers,
                data,
                response.headers.get(REQUEST_ID_HEADER),
                truncated,
            )
    except _FAILURES as exc:
        raise connection_error(exc, url) from exc


async def _read_bounded(stream: aiohttp.StreamReader, limit: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await stream.read(_READ_CHUNK)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            return b"".join(chunks), True


# What `post` turns into our errors; cancellation is a BaseException and passes through
# untouched, so a cancelled call stays cancelled.
_FAILURES: Final = (aiohttp.ClientError, HttpProcessingError, OSError)


def connection_error(exc: BaseException, url: URL) -> APIConnectionError:
    """The `APIConnectionError` (or `APITimeoutError`) for an aiohttp or socket failure.

    The caller raises it ``from exc``, so the original stays chained.

    Args:
        exc: the failure; any of aiohttp's client errors, its protocol errors or an OSError.
        url: the URL being called; only its host and port appear in the message.

    Returns:
        `APITimeoutError` for any timeout (aiohttp's or asyncio's), `APIConnectionError`
        for connection, payload and protocol failures.
    """
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
    return APIConnectionError(f"connection error talking to {where}: {_describe(exc)}")


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


__all__ = [
    "USER_AGENT",
    "ClientSession",
    "RawResponse",
    "connection_error",
    "make_connect_timeout",
    "make_timeout",
    "make_url",
    "open_session",
    "post",
]
