"""The only aiohttp user: the pooled session, one POST, and aiohttp failures mapped to our errors.

`map_exceptions` is the one place an aiohttp (or socket) failure becomes an SDK error.
"""

import math
import platform
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Final, NamedTuple, Self

import aiohttp
from yarl import URL

from realtime_sdk._http._body import ACCEPT_ENCODING, needs_decoding, read_capped
from realtime_sdk._http._headers import HiddenHeaders
from realtime_sdk._http._proxy import Proxy
from realtime_sdk._http._scrub import KEY_PATTERN
from realtime_sdk._version import __version__
from realtime_sdk.errors import (
    APIConnectionError,
    APITimeoutError,
    ClientClosedError,
    RealtimeSDKError,
)

USER_AGENT: Final = (
    f"realtime-sdk/{__version__} Python/{platform.python_version()} aiohttp/{aiohttp.__version__}"
)
REQUEST_ID_HEADER: Final = "x-request-id"

# Re-exported so the client can name the type of a caller-owned session without importing aiohttp.
ClientSession = aiohttp.ClientSession
ClientTimeout = aiohttp.ClientTimeout
TraceConfig = aiohttp.TraceConfig

Scrub = Callable[[str], str]
"""Masks the keys in a text (a client's `Scrubber.text`)."""


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
    *,
    keepalive_timeout: float,
    headers: Mapping[str, str],
    trace_configs: Sequence[aiohttp.TraceConfig] | None = None,
) -> aiohttp.ClientSession:
    """Create the client's own pooled session; call it inside the running loop.

    No cookie jar (an API client has no use for cookies, and a jar is shared state across
    tasks), a connector without a limit of its own, and no decompression by aiohttp: `post` decodes bodies
    itself so that the size limit bounds the decoded bytes (see `_body`). aiohttp's
    ``trust_env`` stays off: proxies come from `_proxy`, and ``.netrc`` is never read. The client's headers become the session's defaults:
    aiohttp copies those in one step, whereas headers passed with each request are merged
    one by one, which costs more than anything else the client adds to a call. A session
    passed in by a caller never gets them: there they travel with each request.

    The connector is unbounded on purpose: the client's pool places (`_pool.Pool.places`)
    are the one limit on connections, so there is no second number to keep in step. A
    connection is only taken while a place is held and goes back to aiohttp's pool before
    the place is given up, so at most ``max_connections`` connections are ever open.

    Args:
        keepalive_timeout: seconds an idle connection stays in the pool.
        headers: the headers every request carries.
        trace_configs: aiohttp's request tracing hooks, or None.

    Returns:
        A new session, owned by the caller of this function.
    """
    # limit=0: no limit of aiohttp's own (see above); per-host limits default to none.
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=keepalive_timeout)
    return aiohttp.ClientSession(
        connector=connector,
        cookie_jar=aiohttp.DummyCookieJar(),
        headers=headers,
        # Per-request timeouts are always passed; this only guards against a forgotten one.
        timeout=aiohttp.ClientTimeout(total=300.0),
        raise_for_status=False,
        auto_decompress=False,
        trust_env=False,
        trace_configs=None if trace_configs is None else list(trace_configs),
    )


def attempt_timeout(total: float, connect: float) -> aiohttp.ClientTimeout:
    """aiohttp's limits for one attempt, kept exactly.

    ``total`` bounds the request and the whole body; ``connect`` bounds opening a new
    socket only (``sock_connect``), not the wait for a pool place, which the client bounds
    itself. aiohttp rounds a limit at or above ``ceil_threshold`` up to a whole second of
    the loop's clock; an infinite threshold keeps every limit as given.

    Args:
        total: seconds for the attempt, more than 0 (aiohttp reads 0 as "no limit").
        connect: seconds to open a new connection.

    Returns:
        The timeout object to pass to `post`.
    """
    return aiohttp.ClientTimeout(
        total=total, sock_connect=min(connect, total), ceil_threshold=math.inf
    )


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
    headers: HiddenHeaders | None,
    *,
    timeouts: aiohttp.ClientTimeout,
    max_body: int,
    proxy: Proxy | None = None,
    scrub: Scrub | None = None,
) -> RawResponse:
    """Send one POST and read the whole answer, without following redirects.

    Whatever the session's own settings, the status is not raised by aiohttp and the body
    is not decompressed by it: both are the client's to judge.

    Args:
        session: the pooled session.
        url: the absolute endpoint URL.
        body: the encoded JSON request body.
        headers: the request's headers, beyond the session's own defaults; opened only
            inside the call to aiohttp, so that no frame of ours holds them in the open.
        timeouts: aiohttp's limits for the attempt (from `attempt_timeout`).
        max_body: the most decoded body bytes to read; beyond it the answer is cut off
            and the connection is closed rather than returned to the pool half-read.
        proxy: the proxy to go through, or None for the session's own choice.
        scrub: masks the client's keys in the text of a failure (aiohttp's parser errors
            quote what the server sent); None masks key-shaped tokens only.

    Returns:
        The status, headers and body.

    Raises:
        APITimeoutError: the attempt ran out of time.
        APIConnectionError: the connection failed, dropped or carried a malformed answer;
            its ``status_code`` is set when the status line had arrived.
        ClientClosedError: the session was closed before or during the call.
    """
    # The failure is mapped inside `except` and raised after it (see `map_exceptions`); the
    # status line, once it arrived, is named in a failure of the body.
    status: int | None = None
    request_id: str | None = None
    try:
        async with session.post(
            url,
            data=body,
            headers=None if headers is None else headers.reveal(),
            timeout=timeouts,
            allow_redirects=False,
            raise_for_status=False,
            auto_decompress=False,
            proxy=None if proxy is None else proxy.url,
            proxy_headers=None if proxy is None else proxy.headers,
        ) as response:
            received = response.headers
            request_id = received.get(REQUEST_ID_HEADER)
            status = response.status
            encoding = received.get("Content-Encoding")
            length = response.content_length
            if length is not None and length <= max_body and not needs_decoding(encoding):
                return RawResponse(status, received, await response.read(), request_id)
            data, truncated, undecodable = await read_capped(response.content, encoding, max_body)
            if truncated or undecodable:
                # The rest of the body is unread: the connection cannot be reused.
                response.close()
            return RawResponse(status, received, data, request_id, truncated, undecodable)
    except _FAILURES as exc:
        # Cancellation is a BaseException and passes through untouched.
        error = map_exception(exc, url, session, scrub)
        if error is None:
            raise  # a RuntimeError that is not a closed session: a bug to surface as it is
        if isinstance(error, APIConnectionError) and status is not None:
            error = _in_body(error, status, request_id, scrub)
    # Raised here, outside any except block, so it keeps no link to aiohttp's exception.
    raise error


# Everything `post` hands to `map_exception`. aiohttp wraps its parser's errors in
# ClientResponseError or ClientPayloadError; OSError covers a socket error that escapes
# unwrapped; RuntimeError is what aiohttp raises for a closed session. Cancellation is a BaseException and passes through untouched.
_FAILURES: Final = (aiohttp.ClientError, OSError, RuntimeError)


class _Failures:
    """What `map_exceptions` returns: a context manager that keeps the mapped error."""

    __slots__ = ("_error", "_request_id", "_scrub", "_session", "_status", "_url")

    def __init__(
        self, url: URL, session: aiohttp.ClientSession | None, scrub: Scrub | None
    ) -> None:
        self._url = url
        self._session = session
        self._scrub = scrub
        self._error: RealtimeSDKError | None = None
        self._status: int | None = None
        self._request_id: str | None = None

    def answered(self, status: int, request_id: str | None) -> None:
        """Note that the status line and headers arrived: a failure now is in the body."""
        self._status = status
        self._request_id = request_id

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        if exc is None or not isinstance(exc, _FAILURES):
            return False  # success, cancellation, or a bug of ours: it goes on as it is
        error = map_exception(exc, self._url, self._session, self._scrub)
        if isinstance(error, APIConnectionError) and self._status is not None:
            error = _in_body(error, self._status, self._request_id, self._scrub)
        self._error = error
        return error is not None

    def error(self) -> RealtimeSDKError:
        """The SDK error for the failure the block swallowed.

        Raises:
            RuntimeError: the block ended without a failure (a misuse).
        """
        if self._error is None:
            msg = "map_exceptions: the block did not fail"
            raise RuntimeError(msg)
        return self._error


def map_exceptions(
    url: URL, session: aiohttp.ClientSession | None = None, scrub: Scrub | None = None
) -> _Failures:
    """A context manager that turns an aiohttp failure inside it into an SDK error.

    The failure is swallowed and its SDK error kept; raise ``failures.error()`` after the
    block. Raised there, outside any ``except``, the SDK error keeps no link
    (``__cause__`` or ``__context__``) to aiohttp's exception, whose ``request_info``
    holds the request headers, the API key among them; ``raise`` inside ``__exit__``
    would chain it as the context.

    Args:
        url: the URL being called; only its host and port appear in messages.
        session: the session used, to tell a closed one from a failed connection.
        scrub: masks the client's keys in messages (see `post`).

    Returns:
        The context manager.
    """
    return _Failures(url, session, scrub)


def map_exception(  # noqa: PLR0911 - one return per kind of failure
    exc: BaseException,
    url: URL,
    session: aiohttp.ClientSession | None = None,
    scrub: Scrub | None = None,
) -> RealtimeSDKError | None:
    """The SDK error for an aiohttp or socket failure (see `map_exceptions`).

    The message names aiohttp's exception type and what it said, with the client's keys
    (``scrub``) and key-shaped text masked.

    Args:
        exc: the failure.
        url: the URL being called; only its host and port appear in the message.
        session: the session used, to tell a closed one from a failed connection.
        scrub: masks the client's keys; None masks key-shaped tokens only.

    Returns:
        `ClientClosedError` when the session was closed before or during the call;
        `APITimeoutError` for any timeout; `APIConnectionError` for connection, payload
        and protocol failures; None for any other RuntimeError (a bug to surface as it
        is, not a connection failure). A session of another event loop is the client's
        to refuse before it calls, by comparing loops (see `RealtimeClient`), never
        recognised here from the wording of aiohttp's complaint.
    """
    if session is not None and session.closed:
        return ClientClosedError("the aiohttp session was closed while the call was under way")
    where = f"{url.host}:{url.port}"
    # Timeouts first: aiohttp's ServerTimeoutError is also a ClientConnectionError.
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return APITimeoutError(f"timed out connecting to {where}", maybe_sent=False)
    if isinstance(exc, TimeoutError):
        return APITimeoutError(f"timed out talking to {where}")
    if isinstance(exc, aiohttp.ClientPayloadError):
        return APIConnectionError(
            f"connection to {where} broke while reading the response: {_describe(exc, scrub)}"
        )
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return APIConnectionError(f"{where} closed the connection before answering")
    if isinstance(exc, RuntimeError) and not isinstance(exc, aiohttp.ClientError):
        return None
    if isinstance(exc, aiohttp.ClientConnectorError):
        # Refused, unresolvable, a failed proxy or TLS handshake: nothing was sent yet.
        return APIConnectionError(
            f"connection error talking to {where}: {_describe(exc, scrub)}", maybe_sent=False
        )
    return APIConnectionError(f"connection error talking to {where}: {_describe(exc, scrub)}")


def _in_body(
    error: APIConnectionError, status: int, request_id: str | None, scrub: Scrub | None
) -> APIConnectionError:
    """``error`` for a failure after the status line: it names the status and request id."""
    cls = type(error)
    message = f"{error.message} (after the status line: {status})"
    return cls(
        message,
        request_id=_masked(request_id, scrub) if request_id is not None else None,
        maybe_sent=error.maybe_sent,
        status_code=status,
    )


def _masked(text: str, scrub: Scrub | None) -> str:
    if scrub is not None:
        return scrub(text)
    return KEY_PATTERN.sub(lambda match: match.group(1) + "****", text)


def _describe(exc: BaseException, scrub: Scrub | None) -> str:
    # aiohttp's text can quote what the server sent (a bad status line, a header, a chunk
    # size): whatever key a broken server or proxy echoed there is masked.
    text = _masked(str(exc).strip(), scrub)
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


__all__ = [
    "ACCEPT_ENCODING",
    "USER_AGENT",
    "ClientSession",
    "ClientTimeout",
    "RawResponse",
    "Scrub",
    "TraceConfig",
    "attempt_timeout",
    "make_url",
    "map_exception",
    "map_exceptions",
    "open_session",
    "post",
]
