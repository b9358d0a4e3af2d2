"""RealtimeClient: the async client for the Realtime REST API: ephemeral keys, WebRTC and SIP calls."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Self, TypeVar

from yarl import URL

from realtime_sdk import _otel, _transport
from realtime_sdk._attempts import Attempt, AttemptHook
from realtime_sdk._auth import APIKey, APIKeyProvider, provide_key
from realtime_sdk._calls import (
    Offer,
    RealtimeCallAnswer,
    call_id_from_location,
    call_id_segment,
    encode_offer,
)
from realtime_sdk._config import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_KEEPALIVE_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    ClientConfig,
    check_session,
    checked_trace_configs,
    derive_config,
    resolve_config,
)
from realtime_sdk._endpoints import (
    ACCEPT_CALL,
    CLIENT_SECRETS,
    CREATE_CALL,
    ENDPOINTS,
    HANGUP_CALL,
    REFER_CALL,
    REJECT_CALL,
    SESSIONS,
    TRANSCRIPTION_SESSIONS,
    TRANSLATION_CLIENT_SECRETS,
    Endpoint,
)
from realtime_sdk._headers import HiddenHeaders, merge_headers
from realtime_sdk._operations import Body, Retries
from realtime_sdk._options import CallOptions, QueryValue, call_options
from realtime_sdk._pool import Pool, Shared
from realtime_sdk._ratelimit import RateLimitMode
from realtime_sdk._reconnect import ReconnectHook
from realtime_sdk._result import APIResponse
from realtime_sdk._retry import should_retry_call_change, should_retry_status
from realtime_sdk._scrub import Scrubber
from realtime_sdk._secret import Secret
from realtime_sdk._transport import ClientSession, TraceConfig
from realtime_sdk._unset import UNSET, Unset
from realtime_sdk._warn import warn_caller
from realtime_sdk._wire._answers import loads_response
from realtime_sdk._wire._requests import dumps_request
from realtime_sdk.errors import (
    BODY_EXCERPT_LIMIT,
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    ClientRateLimitError,
    ConfigurationError,
    EventLoopMismatchError,
    FieldError,
    ResponseDecodeError,
    status_error_class,
)

if TYPE_CHECKING:
    from realtime_sdk._realtime import RealtimeConnectionManager
    from realtime_sdk.models import (
        RealtimeCallCreateRequest,
        RealtimeCallReferRequest,
        RealtimeCallRejectRequest,
        RealtimeCreateClientSecretRequest,
        RealtimeCreateClientSecretResponse,
        RealtimeSessionCreateRequest,
        RealtimeSessionCreateRequestGA,
        RealtimeSessionCreateResponse,
        RealtimeTranscriptionSessionCreateRequest,
        RealtimeTranscriptionSessionCreateResponse,
        RealtimeTranslationClientSecretCreateRequest,
        RealtimeTranslationClientSecretCreateResponse,
    )

_log: Final = logging.getLogger("realtime_sdk")

# The beta endpoint shapes the service switched off (`Endpoint.retired`): a 404/410 or
# one of these codes from them means "use client_secrets", and the error says so.
_RETIRED_STATUSES: Final = frozenset({404, 410})
_RETIRED_CODES: Final = frozenset({"beta_api_shape_disabled", "beta_api_disabled"})
# How a retired endpoint's request moves to client_secrets, for its error and its
# deprecation warning. The new endpoint takes the GA session shape, not the old one: several
# keys moved.
_MIGRATION: Final = {
    SESSIONS.method: (
        'with the settings nested under "session" and "type": "realtime" in the GA shape, where some keys moved ("voice" '
        'to session.audio.output.voice, "turn_detection" to session.audio.input.turn_detection, '
        '"modalities" to session.output_modalities); the key comes back in "value"'
    ),
    TRANSCRIPTION_SESSIONS.method: (
        'with the settings nested under "session" and "type": "transcription" in the GA shape, where some keys moved '
        '("input_audio_transcription" to session.audio.input.transcription, '
        '"turn_detection" to session.audio.input.turn_detection); the key comes back in "value"'
    ),
}


def _deprecation(method: str, endpoint: Endpoint[Any, Any]) -> str:
    suffix = "_with_response" if method.endswith("_with_response") else ""
    return (
        f"{method}() is deprecated: it calls POST /{endpoint.path}, a beta shape the "
        f"service has retired; use {CLIENT_SECRETS.method}{suffix}() instead, "
        + _MIGRATION[endpoint.method]
    )


# The warning each legacy method gives (DeprecationWarning, at the caller's line). The
# generated sync twins give the same one from their first line, on the caller's thread.
DEPRECATED: Final = {
    method: _deprecation(method, endpoint)
    for method, endpoint in (
        ("create_realtime_session", SESSIONS),
        ("create_realtime_session_with_response", SESSIONS),
        ("create_realtime_transcription_session", TRANSCRIPTION_SESSIONS),
        ("create_realtime_transcription_session_with_response", TRANSCRIPTION_SESSIONS),
    )
}

_MESSAGE_EXCERPT: Final = 200
# An API version in a base URL path ("/v1", "/openai/v1beta"): without one, a 404 most
# likely means the base URL is wrong rather than the endpoint gone.
_VERSION_SEGMENT: Final = re.compile(r"v\d+[a-z0-9]*")
# The least time limit handed to aiohttp, which reads 0 as "no limit".
_MIN_LIMIT: Final = 0.001
# The success range of HTTP statuses.
_OK_FROM: Final = 200
_OK_TO: Final = 300

# The one pause between attempts; a module attribute so tests can record the delays asked
# for instead of waiting them out.
_sleep = asyncio.sleep
# The clock the rate limiter reads, beside `_sleep` so tests can move both together.
_now = time.monotonic

Req = TypeVar("Req")
Resp = TypeVar("Resp")
T = TypeVar("T")


def _with_response(outcome: tuple[Resp, _transport.RawResponse, int, float]) -> APIResponse[Resp]:
    data, raw, attempts, started = outcome
    return APIResponse(
        data=data,
        status_code=raw.status,
        headers=raw.headers,
        request_id=raw.request_id,
        attempts=attempts,
        elapsed=time.monotonic() - started,
    )


def _sentence(text: str) -> str:
    """``text`` ending with one full stop, so a hint can follow (API messages may bring their own)."""
    return text if text.endswith((".", "!", "?")) else text + "."


def _may_retry_failure(endpoint: Endpoint[Any, Any], failure: APIConnectionError) -> bool:
    """Whether a failed attempt without an answer may be repeated under the endpoint's rule.

    A body that broke off or stalled after a 2xx status line never is: the service acted
    (minted a key, opened a call), and a repeat would do it twice.
    """
    status = failure.status_code
    if status is not None and _OK_FROM <= status < _OK_TO:
        return False
    return endpoint.operation.retries is Retries.TRANSIENT or not failure.maybe_sent


def _may_retry_status(
    endpoint: Endpoint[Any, Any], raw: _transport.RawResponse, code: str | None
) -> bool:
    """Whether an error answer may be repeated under the endpoint's rule."""
    if endpoint.operation.retries is Retries.TRANSIENT:
        return should_retry_status(raw.status, raw.headers, code)
    return should_retry_call_change(raw.status, raw.headers, code)


def _no_json_body(endpoint: Endpoint[Any, Any], options: CallOptions | None) -> None:
    """Refuse extra_body for an operation whose body is not a JSON object, before any I/O."""
    if options is not None and options.body:
        msg = (
            f"extra_body: {endpoint.method} sends no JSON body to merge it into "
            "(use extra_headers or extra_query)"
        )
        raise ConfigurationError(msg)


class RealtimeClient:
    """Async client for the OpenAI Realtime REST API: ephemeral keys, WebRTC and SIP calls.

    One client holds one pooled aiohttp session, created on first use inside the running
    event loop and reused by every call; it is safe to share between many concurrent
    tasks of that loop. Use it as ``async with RealtimeClient() as client: ...`` or call
    `aclose` when done.

    Failed attempts are retried (connection errors, timeouts, 408, 409, 429 and 5xx; see
    ``max_retries``). A retried POST can, rarely, mint a second key when the first
    attempt reached the server but its answer was lost; the unused key simply expires,
    so this is harmless. The four changes to a live call (accept, refer, reject, hang up)
    are retried only where the service cannot have acted: nothing was sent, or it
    answered 408, 429 or ``x-should-retry: true``.
    """

    # Set by `_set_up`, the one place a client's state is made.
    _config: ClientConfig
    _key_provider: APIKeyProvider | None
    _rate_limit: RateLimitMode | None
    _on_attempt: AttemptHook | None
    _request_headers: HiddenHeaders | None
    _scrubber: Scrubber
    _urls: dict[str, URL]
    _default_timeouts: _transport.ClientTimeout

    def __init__(
        self,
        api_key: APIKey | None = None,
        *,
        base_url: str | None = None,
        organization: str | None = None,
        project: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        total_timeout: float | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        keepalive_timeout: float = DEFAULT_KEEPALIVE_TIMEOUT,
        default_headers: Mapping[str, str] | None = None,
        proxy: str | None = None,
        env_proxies: bool = True,
        session: ClientSession | None = None,
        rate_limit: RateLimitMode | None = None,
        trace_configs: Sequence[TraceConfig] | None = None,
        otel_tracing: bool = False,
        on_attempt: AttemptHook | None = None,
    ) -> None:
        """Store the settings; no connection is made until the first call.

        Args:
            api_key: the OpenAI API key (a str or `Secret`), or a callable (plain or async)
                that returns one and is asked before every attempt, for keys that rotate;
                defaults to the ``OPENAI_API_KEY`` environment variable.
            base_url: the API root; defaults to ``OPENAI_BASE_URL``, then
                ``https://api.openai.com/v1``. A plain ``http://`` URL to a host other
                than loopback draws an `InsecureTransportWarning`.
            organization: sent as ``OpenAI-Organization``; defaults to ``OPENAI_ORG_ID``.
            project: sent as ``OpenAI-Project``; defaults to ``OPENAI_PROJECT_ID``.
            timeout: seconds one attempt may take, from waiting for a pooled connection
                to the last body byte.
            connect_timeout: seconds to open a new connection.
            total_timeout: seconds all attempts and the pauses between them may take
                together; None for no overall limit.
            max_retries: how many times a failed attempt is retried (0 for never).
            max_connections: the size of the connection pool: at most this many calls
                are in flight at once (the rest wait their turn, first come, first
                served, within their ``timeout``), with a session passed in too.
            keepalive_timeout: seconds an idle pooled connection is kept open.
            default_headers: extra headers sent with every request; framing and
                hop-by-hop headers (``Content-Length``, ``Host``, ``Proxy-*``, ...) are
                refused.
            proxy: a proxy URL (``http://[user:password@]host:port``) every request
                goes through; wins over the environment.
            env_proxies: whether ``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY`` (and
                ``NO_PROXY``) choose a proxy for the client's own session, read when the
                client is built; ``.netrc`` is never read.
            session: an aiohttp session to use instead of the client's own; the client
                never closes it. Its cookie jar, base URL and default headers are
                bypassed or added to, not relied on; its proxy settings apply unless
                ``proxy`` is given, and the client's own status and body handling wins
                over its ``raise_for_status`` and ``auto_decompress``. Build the client
                inside the event loop that made the session: it is then bound to that loop,
                and a call from another raises `EventLoopMismatchError`.
            rate_limit: once an answer says ``x-ratelimit-remaining-requests: 0``, hold
                the next attempts (of every call of this client and of the clients
                `with_options` makes from it) until ``x-ratelimit-reset-requests`` has
                passed: ``"wait"`` waits (within ``total_timeout`` when set, else within
                the attempt's ``timeout``; beyond that it raises), ``"raise"`` raises
                `ClientRateLimitError` at once; None (the default) ignores the headers.
            trace_configs: aiohttp ``TraceConfig`` hooks for the client's own session
                (every attempt, connection and header step); with ``session=`` set them
                on that session instead.
            otel_tracing: make one OpenTelemetry span per call (method, path, status,
                request id, attempts, duration; never the key), with an event per
                attempt, through the global tracer provider; needs the ``otel`` extra.
            on_attempt: a plain callable given an `Attempt` (operation, number, outcome,
                time taken, the pause before the next one; never the key) once each
                attempt is over, for retry reports and metrics. It runs on the client's
                event loop and should return quickly; an exception it raises ends the call.

        Raises:
            ConfigurationError: no API key was found, or a setting is out of range; the
                message names the setting (never the key).
        """
        config = resolve_config(
            api_key=api_key,
            base_url=base_url,
            organization=organization,
            project=project,
            proxy=proxy,
            env_proxies=env_proxies,
            timeout=timeout,
            connect_timeout=connect_timeout,
            total_timeout=total_timeout,
            max_retries=max_retries,
            max_connections=max_connections,
            keepalive_timeout=keepalive_timeout,
            default_headers=default_headers,
            rate_limit=rate_limit,
            on_attempt=on_attempt,
            otel_tracing=otel_tracing,
        )
        self._set_up(config, self._shared_state(config, session, trace_configs, proxy), owner=True)

    def _shared_state(
        self,
        config: ClientConfig,
        session: ClientSession | None,
        trace_configs: Sequence[TraceConfig] | None,
        proxy: str | None,
    ) -> Shared:
        """What this client and every client `with_options` derives from it share."""
        check_session(session)
        checked_traces = checked_trace_configs(trace_configs)
        if trace_configs is not None and session is not None:
            msg = "trace_configs: set them on the aiohttp session you pass as session="
            raise ConfigurationError(msg)
        pool = Pool(session, config.max_connections)
        if session is not None:
            # aiohttp makes a session inside a running loop and binds it there: a client
            # built beside it is bound to that loop too, and refuses any other by identity.
            # (Built outside any loop, it binds to the loop of its first call.)
            with contextlib.suppress(RuntimeError):  # no running loop
                pool.loop = asyncio.get_running_loop()
        # A caller's session keeps its own proxy settings unless a proxy is named here.
        chosen_proxy = config.proxy if session is None or proxy is not None else None
        # The client's own session carries the headers as its defaults (see
        # `_transport.open_session`), except through a proxy: aiohttp copies a session's
        # default headers into what it sends the proxy (the CONNECT request included),
        # which would hand the proxy the API key. Then, as through a caller's session,
        # they travel with each request.
        shared = session is None and chosen_proxy is None
        session_headers = self._build_headers(config) if shared else {}
        if not config.auth.in_authorization_header:
            # A default header cannot be left out of one request, and a call that brings
            # its own credential (an ephemeral key) must not carry an Azure `api-key`
            # beside it: that key travels with each request instead.
            session_headers.pop(config.auth.header, None)
        return Shared(
            pool=pool,
            proxy=chosen_proxy,
            session_headers=tuple(session_headers.items()),
            trace_configs=checked_traces,
            tracer=_otel.get_tracer() if config.otel_tracing else None,
        )

    def _set_up(
        self,
        config: ClientConfig,
        shared: Shared,
        *,
        owner: bool,
        urls: dict[str, URL] | None = None,
        timeouts: _transport.ClientTimeout | None = None,
    ) -> None:
        """Set every attribute a call reads: the one place a client's state is made.

        The constructor calls it with a new `Shared` (``owner``); `with_options` with its
        parent's, and the parent's ``urls`` and ``timeouts`` when the settings they come
        from did not change. Nothing else is carried over: a new attribute belongs here,
        fresh or from ``shared``, so that a parent and its child never share it by accident.
        """
        self._config = config
        self._shared = shared
        self._pool = shared.pool
        self._proxy = shared.proxy
        self._session_headers = dict(shared.session_headers)
        self._trace_configs = shared.trace_configs
        self._tracer = shared.tracer
        self._owns_pool = owner
        self._closed = False
        self._auth = config.auth
        self._key_provider = config.auth.provider
        self._rate_limit = config.rate_limit
        self._on_attempt = config.on_attempt
        headers = self._build_headers(config)
        # Only what differs from the session's defaults travels with each request: nothing
        # at all for the client that made the session (or a copy with the same headers).
        request_headers = None if headers == self._session_headers else headers
        if (
            self._proxy is not None
            and self._proxy.headers
            and not config.base_url.startswith("https:")
        ):
            # aiohttp puts proxy_headers on a CONNECT only; a plain-http request goes to the
            # proxy itself, so its credentials ride on the request.
            request_headers = merge_headers(headers, self._proxy.headers)
        # Held out of sight: the key must not show in the locals of the attempt path.
        self._request_headers = None if request_headers is None else HiddenHeaders(request_headers)
        # A proxy's credentials are masked too, should a broken proxy echo them.
        proxy_headers = {} if self._proxy is None else self._proxy.headers or {}
        proxy_secrets = [
            part for value in proxy_headers.values() for part in (value, value.partition(" ")[2])
        ]
        self._scrubber = Scrubber(config.auth.key, *proxy_secrets)
        # Read only once made (the URLs) and frozen (aiohttp's limits for an attempt with
        # the default time limit): a child may hold its parent's.
        self._urls = urls or {
            endpoint.path: self._make_url(config.base_url, endpoint.path)
            for endpoint in ENDPOINTS
            if not endpoint.operation.call_scoped
        }
        self._default_timeouts = timeouts or _transport.attempt_timeout(
            config.timeout, config.connect_timeout
        )
        # The converter makes each model's hooks on its first use: a process pays only for
        # the endpoints it calls, on their first call (a few ms), not when a client is built.

    def _make_url(self, base_url: str, path: str) -> URL:
        url = _transport.make_url(base_url, path)
        query = self._config.auth.query  # Azure's api-version
        return url.update_query(query) if query else url

    def __repr__(self) -> str:
        state = "closed" if self.is_closed else "open"
        return f"<{type(self).__name__} base_url={self._config.base_url!r} {state}>"

    @property
    def base_url(self) -> str:
        """The API root every endpoint path is joined to (ends in ``/``)."""
        return self._config.base_url

    @property
    def is_closed(self) -> bool:
        """Whether `aclose` was called (on this client, or on the one it was derived from)."""
        return self._closed or self._pool.closed

    async def __aenter__(self) -> Self:
        """Open the client in the running loop and return it.

        Returns:
            This client.

        Raises:
            ClientClosedError: the client was already closed.
            EventLoopMismatchError: the client was opened in another event loop.
        """
        self._ensure_session()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the client (see `aclose`).

        Args:
            exc_type: the exception type leaving the block, if any.
            exc: the exception leaving the block, if any.
            tb: its traceback, if any.
        """
        await self.aclose()

    async def aclose(self) -> None:
        """Close the client and its own connection pool; calling it again does nothing.

        A session passed in by the caller is left open: its owner closes it.

        Raises:
            EventLoopMismatchError: called from another event loop than the one the client
                was used in, while that loop is still alive.
        """
        if self._closed:
            return
        pool = self._pool
        if not self._owns_pool:
            # A client from `with_options`: the pool is its parent's to close.
            self._closed = True
            return
        session = pool.session
        if session is not None and pool.owns_session and pool.loop is not None:
            running = asyncio.get_running_loop()
            if running is not pool.loop and not pool.loop.is_closed():
                msg = (
                    "this RealtimeClient was opened in another event loop; close it from that loop"
                )
                raise EventLoopMismatchError(msg)
        self._closed = True
        pool.closed = True
        pool.session = None
        if session is not None and pool.owns_session:
            await session.close()

    def with_options(
        self,
        *,
        api_key: APIKey | Unset = UNSET,
        base_url: str | Unset = UNSET,
        organization: str | Unset = UNSET,
        project: str | Unset = UNSET,
        timeout: float | Unset = UNSET,
        connect_timeout: float | Unset = UNSET,
        total_timeout: float | Unset | None = UNSET,
        max_retries: int | Unset = UNSET,
        default_headers: Mapping[str, str] | Unset = UNSET,
        rate_limit: RateLimitMode | Unset | None = UNSET,
        on_attempt: AttemptHook | Unset | None = UNSET,
    ) -> Self:
        """A client with some settings changed that sends through this client's pool.

        Cheap enough to make per request: no new session, no connection, nothing read
        from the environment. The new client shares this one's connection pool, event
        loop and rate-limit state; closing it never closes the pool, and once this client
        is closed the new one's calls raise `ClientClosedError`.

        Args:
            api_key: the key, or a provider of it, for the new client.
            base_url: another API root (the pool's proxy settings stay as they are).
            organization: sent as ``OpenAI-Organization``.
            project: sent as ``OpenAI-Project``.
            timeout: seconds one attempt may take.
            connect_timeout: seconds to open a new connection.
            total_timeout: seconds all attempts and pauses may take; None for no limit.
            max_retries: how many times a failed attempt is retried.
            default_headers: headers added to (or replacing, by name) this client's own.
            rate_limit: ``"wait"``, ``"raise"`` or None; the rate-limit state itself is
                shared with this client either way.
            on_attempt: the attempt hook for the new client's calls, or None for none.

        Returns:
            The new client; leave a setting out to keep this client's.

        Raises:
            ConfigurationError: a setting is out of range; the message names it.
        """
        config = derive_config(
            self._config,
            api_key=api_key,
            base_url=base_url,
            organization=organization,
            project=project,
            timeout=timeout,
            connect_timeout=connect_timeout,
            total_timeout=total_timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            rate_limit=rate_limit,
            on_attempt=on_attempt,
        )
        before = self._config
        same_times = (before.timeout, before.connect_timeout) == (
            config.timeout,
            config.connect_timeout,
        )
        urls = self._urls if before.base_url == config.base_url else None
        timeouts = self._default_timeouts if same_times else None
        return self._derived(config, self._shared, urls=urls, timeouts=timeouts)

    @classmethod
    def _derived(
        cls,
        config: ClientConfig,
        shared: Shared,
        *,
        urls: dict[str, URL] | None,
        timeouts: _transport.ClientTimeout | None,
    ) -> Self:
        """A new client of this class from settings and what the family shares.

        Never a copy of another client's attributes: `_set_up` makes every one of them.
        """
        self = object.__new__(cls)  # the instance being made, set up as __init__ would
        self._set_up(config, shared, owner=False, urls=urls, timeouts=timeouts)
        return self

    async def create_realtime_client_secret(
        self,
        request: RealtimeCreateClientSecretRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RealtimeCreateClientSecretResponse:
        """Mint an ephemeral key (``ek_...``) for a browser or app to open a Realtime session.

        ``POST /realtime/client_secrets``. The key is in the result's ``value`` and is
        masked in ``repr``/``str``; call ``.reveal()`` to hand it over.

        Args:
            request: the session settings and expiry, as a model or a plain dict (checked
                and converted before anything is sent).
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            The parsed response, holding the ephemeral key and the effective session.

        Raises:
            RequestValidationError: the request does not fit the schema (nothing was sent).
            APIStatusError: the API answered with an error status (a subclass per status).
            APIConnectionError: no answer arrived after all retries (`APITimeoutError`
                when the attempts ran out of time).
            APIResponseValidationError: a 2xx answer that is not the expected JSON.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        data, _, _, _ = await self._call(CLIENT_SECRETS, request, options)
        return data

    async def create_realtime_client_secret_with_response(
        self,
        request: RealtimeCreateClientSecretRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[RealtimeCreateClientSecretResponse]:
        """Like `create_realtime_client_secret`, with the call's status, headers and request id.

        Args:
            request: the session settings and expiry, as a model or a plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            An `APIResponse` whose ``data`` is the parsed response.

        Raises:
            RequestValidationError: the request does not fit the schema (nothing was sent).
            APIStatusError: the API answered with an error status (a subclass per status).
            APIConnectionError: no answer arrived after all retries.
            APIResponseValidationError: a 2xx answer that is not the expected JSON.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return _with_response(await self._call(CLIENT_SECRETS, request, options))

    async def create_realtime_session(
        self,
        request: RealtimeSessionCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RealtimeSessionCreateResponse:
        """Create a Realtime session and its ephemeral key (``POST /realtime/sessions``).

        Deprecated: warns with `DeprecationWarning` on every call. The service has retired
        the beta shape of this endpoint (an answer saying so raises `NotFoundError` with
        the way out). Use `create_realtime_client_secret` with the settings under
        ``session`` in the GA shape: ``{"session": {"type": "realtime", ...}}``, where
        ``voice`` becomes ``session.audio.output.voice`` and ``turn_detection``
        ``session.audio.input.turn_detection``.

        Args:
            request: the session settings, as a model or a plain dict (checked and
                converted before anything is sent).
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            The parsed session, including its ephemeral key (masked in ``repr``).

        Raises:
            RequestValidationError: the request does not fit the schema (nothing was sent).
            NotFoundError: the endpoint shape is retired or unknown (the message says which).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived after all retries.
            APIResponseValidationError: a 2xx answer that is not the expected JSON.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        warn_caller(DEPRECATED["create_realtime_session"], DeprecationWarning)
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        data, _, _, _ = await self._call(SESSIONS, request, options)
        return data

    async def create_realtime_session_with_response(
        self,
        request: RealtimeSessionCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[RealtimeSessionCreateResponse]:
        """Like `create_realtime_session`, with the call's status, headers and request id.

        Deprecated, as `create_realtime_session` is (it warns with `DeprecationWarning`);
        use `create_realtime_client_secret_with_response`.

        Args:
            request: the session settings, as a model or a plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            An `APIResponse` whose ``data`` is the parsed session.

        Raises:
            RequestValidationError: the request does not fit the schema (nothing was sent).
            APIStatusError: the API answered with an error status (a subclass per status).
            APIConnectionError: no answer arrived after all retries.
            APIResponseValidationError: a 2xx answer that is not the expected JSON.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        warn_caller(DEPRECATED["create_realtime_session_with_response"], DeprecationWarning)
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return _with_response(await self._call(SESSIONS, request, options))

    async def create_realtime_transcription_session(
        self,
        request: RealtimeTranscriptionSessionCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RealtimeTranscriptionSessionCreateResponse:
        """Create a transcription session and its ephemeral key.

        ``POST /realtime/transcription_sessions``. Deprecated: warns with
        `DeprecationWarning` on every call. The service has retired the beta shape of this
        endpoint (an answer saying so raises `NotFoundError` with the way out). Use
        `create_realtime_client_secret` with ``{"session": {"type": "transcription", ...}}``
        in the GA shape, where ``input_audio_transcription`` becomes
        ``session.audio.input.transcription``.

        Args:
            request: the transcription settings, as a model or a plain dict (checked and
                converted before anything is sent).
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            The parsed transcription session, including its ephemeral key (masked in
            ``repr``).

        Raises:
            RequestValidationError: the request does not fit the schema (nothing was sent).
            NotFoundError: the endpoint shape is retired or unknown (the message says which).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived after all retries.
            APIResponseValidationError: a 2xx answer that is not the expected JSON.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        warn_caller(DEPRECATED["create_realtime_transcription_session"], DeprecationWarning)
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        data, _, _, _ = await self._call(TRANSCRIPTION_SESSIONS, request, options)
        return data

    async def create_realtime_transcription_session_with_response(
        self,
        request: RealtimeTranscriptionSessionCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[RealtimeTranscriptionSessionCreateResponse]:
        """Like `create_realtime_transcription_session`, with status, headers and request id.

        Deprecated, as `create_realtime_transcription_session` is (it warns with
        `DeprecationWarning`); use `create_realtime_client_secret_with_response`.

        Args:
            request: the transcription settings, as a model or a plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            An `APIResponse` whose ``data`` is the parsed transcription session.

        Raises:
            RequestValidationError: the request does not fit the schema (nothing was sent).
            APIStatusError: the API answered with an error status (a subclass per status).
            APIConnectionError: no answer arrived after all retries.
            APIResponseValidationError: a 2xx answer that is not the expected JSON.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        warn_caller(
            DEPRECATED["create_realtime_transcription_session_with_response"], DeprecationWarning
        )
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return _with_response(await self._call(TRANSCRIPTION_SESSIONS, request, options))

    async def create_realtime_translation_client_secret(
        self,
        request: RealtimeTranslationClientSecretCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RealtimeTranslationClientSecretCreateResponse:
        """Mint an ephemeral key (``ek_...``) for a Realtime translation session.

        ``POST /realtime/translations/client_secrets``. The key is in the result's
        ``value``, masked in ``repr``/``str``; call ``.reveal()`` to hand it over. Retried
        like `create_realtime_client_secret`.

        Args:
            request: the translation session (model, languages) and the key's expiry, as a
                model or a plain dict (checked and converted before anything is sent).
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            The parsed response, holding the ephemeral key and the effective session.

        Raises:
            RequestValidationError: the request does not fit the schema (nothing was sent).
            APIStatusError: the API answered with an error status (a subclass per status).
            APIConnectionError: no answer arrived after all retries (`APITimeoutError`
                when the attempts ran out of time).
            APIResponseValidationError: a 2xx answer that is not the expected JSON.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        data, _, _, _ = await self._call(TRANSLATION_CLIENT_SECRETS, request, options)
        return data

    async def create_realtime_translation_client_secret_with_response(
        self,
        request: RealtimeTranslationClientSecretCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[RealtimeTranslationClientSecretCreateResponse]:
        """Like `create_realtime_translation_client_secret`, with status, headers and request id.

        Args:
            request: the translation session and the key's expiry, as a model or a dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            An `APIResponse` whose ``data`` is the parsed response.

        Raises:
            RequestValidationError: the request does not fit the schema (nothing was sent).
            APIStatusError: the API answered with an error status (a subclass per status).
            APIConnectionError: no answer arrived after all retries.
            APIResponseValidationError: a 2xx answer that is not the expected JSON.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return _with_response(await self._call(TRANSLATION_CLIENT_SECRETS, request, options))

    async def create_realtime_call(
        self,
        request: RealtimeCallCreateRequest | Mapping[str, Any],
        *,
        client_secret: str | Secret | None = None,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RealtimeCallAnswer:
        """Open a WebRTC call: send a browser's SDP offer, get OpenAI's SDP answer and the call id.

        ``POST /realtime/calls``. By default the offer and the optional ``session`` go out
        as a ``multipart/form-data`` form under the client's API key, so a backend can
        answer a browser's offer without any key reaching the browser. With
        ``client_secret`` (an ``ek_...`` key minted earlier) the bare SDP text is sent
        under that key instead, and the session is the one the key was minted with.

        Retried like the key-minting calls: a retry after a lost answer can, rarely, open
        a second call that nobody connects to; it never connects and ends by itself.

        Args:
            request: ``sdp`` (the offer text) and, with the API key only, ``session`` (a
                `RealtimeSessionCreateRequestGA`), as a model or a plain dict.
            client_secret: an ephemeral key to authenticate this call with instead of the
                API key; masked in every message.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: refused with a `ConfigurationError`: this operation sends no JSON
                body to merge it into.

        Returns:
            The SDP answer (``sdp``) and the new call's id (``call_id``, from ``Location``).

        Raises:
            RequestValidationError: the request does not fit the schema, or ``session`` was
                given with ``client_secret`` (nothing was sent).
            APIStatusError: the API answered with an error status (a subclass per status).
            APIConnectionError: no answer arrived after all retries.
            APIResponseValidationError: a 2xx answer without SDP text or without a
                ``Location`` naming the call.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        data, _, _, _ = await self._create_call(request, client_secret, options)
        return data

    async def create_realtime_call_with_response(
        self,
        request: RealtimeCallCreateRequest | Mapping[str, Any],
        *,
        client_secret: str | Secret | None = None,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[RealtimeCallAnswer]:
        """Like `create_realtime_call`, with the call's status, headers and request id.

        Args:
            request: ``sdp`` and, with the API key only, ``session``; a model or a dict.
            client_secret: an ephemeral key to authenticate this call with instead.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: refused with a `ConfigurationError`: this operation sends no JSON
                body to merge it into.

        Returns:
            An `APIResponse` whose ``data`` is the `RealtimeCallAnswer`.

        Raises:
            RequestValidationError: the request does not fit (nothing was sent).
            APIStatusError: the API answered with an error status (a subclass per status).
            APIConnectionError: no answer arrived after all retries.
            APIResponseValidationError: a 2xx answer without SDP text or ``Location``.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return _with_response(await self._create_call(request, client_secret, options))

    async def accept_realtime_call(
        self,
        call_id: str,
        request: RealtimeSessionCreateRequestGA | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> None:
        """Accept an incoming SIP call with the session that will answer it.

        ``POST /realtime/calls/{call_id}/accept``. A change to a live call, so only
        failures the service cannot have acted on are retried: a connection that could
        not be opened, 408, 429 and ``x-should-retry: true``. A timeout or a dropped
        connection after the request was sent, a 409 or a 5xx is raised at once: the call
        may have been accepted. `APIConnectionError.maybe_sent` tells the two apart.

        Args:
            call_id: the call's id (from the ``realtime.call.incoming`` webhook); checked
                and percent-encoded as one path segment.
            request: the session configuration, as a model or a plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Raises:
            RequestValidationError: a bad ``call_id`` or a request that does not fit the
                schema (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see above for what was retried).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        await self._change_call(ACCEPT_CALL, call_id, request, options)

    async def accept_realtime_call_with_response(
        self,
        call_id: str,
        request: RealtimeSessionCreateRequestGA | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[None]:
        """Like `accept_realtime_call`, with the call's status, headers and request id.

        Retried the same way (see `accept_realtime_call`); ``data`` is always None, as the
        answer carries no body to read.

        Args:
            call_id: the call's id; checked and percent-encoded as one path segment.
            request: the session configuration, as a model or a plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            An `APIResponse` with the answer's status, headers and request id.

        Raises:
            RequestValidationError: a bad ``call_id`` or request (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see `accept_realtime_call`).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return _with_response(await self._change_call(ACCEPT_CALL, call_id, request, options))

    async def refer_realtime_call(
        self,
        call_id: str,
        request: RealtimeCallReferRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> None:
        """Transfer a SIP call elsewhere (a SIP REFER to ``target_uri``).

        ``POST /realtime/calls/{call_id}/refer``. Retried only where the service cannot
        have acted (see `accept_realtime_call`): a repeated transfer could ring twice.

        Args:
            call_id: the call's id; checked and percent-encoded as one path segment.
            request: ``target_uri`` (``tel:+14155550123``, ``sip:...``), as a model or a
                plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Raises:
            RequestValidationError: a bad ``call_id`` or request (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see `accept_realtime_call`).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        await self._change_call(REFER_CALL, call_id, request, options)

    async def refer_realtime_call_with_response(
        self,
        call_id: str,
        request: RealtimeCallReferRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[None]:
        """Like `refer_realtime_call`, with the call's status, headers and request id.

        Retried the same way (see `accept_realtime_call`); ``data`` is always None, as the
        answer carries no body to read.

        Args:
            call_id: the call's id; checked and percent-encoded as one path segment.
            request: ``target_uri``, as a model or a plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            An `APIResponse` with the answer's status, headers and request id.

        Raises:
            RequestValidationError: a bad ``call_id`` or request (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see `accept_realtime_call`).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return _with_response(await self._change_call(REFER_CALL, call_id, request, options))

    async def reject_realtime_call(
        self,
        call_id: str,
        request: RealtimeCallRejectRequest | Mapping[str, Any] | None = None,
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> None:
        """Decline an incoming SIP call with a SIP status (the server's default is 603).

        ``POST /realtime/calls/{call_id}/reject``. Retried only where the service cannot
        have acted (see `accept_realtime_call`).

        Args:
            call_id: the call's id; checked and percent-encoded as one path segment.
            request: ``status_code`` (486 for busy, say), as a model or a plain dict; None
                sends ``{}``, leaving the status to the server.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Raises:
            RequestValidationError: a bad ``call_id`` or request (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see `accept_realtime_call`).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        body = {} if request is None else request
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        await self._change_call(REJECT_CALL, call_id, body, options)

    async def reject_realtime_call_with_response(
        self,
        call_id: str,
        request: RealtimeCallRejectRequest | Mapping[str, Any] | None = None,
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[None]:
        """Like `reject_realtime_call`, with the call's status, headers and request id.

        Retried the same way (see `accept_realtime_call`); ``data`` is always None, as the
        answer carries no body to read.

        Args:
            call_id: the call's id; checked and percent-encoded as one path segment.
            request: ``status_code``, as a model or a plain dict; None sends ``{}``.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            An `APIResponse` with the answer's status, headers and request id.

        Raises:
            RequestValidationError: a bad ``call_id`` or request (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see `accept_realtime_call`).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        body = {} if request is None else request
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return _with_response(await self._change_call(REJECT_CALL, call_id, body, options))

    async def hangup_realtime_call(
        self,
        call_id: str,
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> None:
        """End a call, SIP or WebRTC (``POST /realtime/calls/{call_id}/hangup``, no body).

        Retried only where the service cannot have acted (see `accept_realtime_call`).

        Args:
            call_id: the call's id (a webhook's, or `RealtimeCallAnswer.call_id`); checked
                and percent-encoded as one path segment.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: refused with a `ConfigurationError`: this operation sends no JSON
                body to merge it into.

        Raises:
            RequestValidationError: a bad ``call_id`` (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see `accept_realtime_call`).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        await self._change_call(HANGUP_CALL, call_id, None, options)

    async def hangup_realtime_call_with_response(
        self,
        call_id: str,
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[None]:
        """Like `hangup_realtime_call`, with the call's status, headers and request id.

        Retried the same way (see `accept_realtime_call`); ``data`` is always None, as the
        answer carries no body to read.

        Args:
            call_id: the call's id; checked and percent-encoded as one path segment.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: refused with a `ConfigurationError`: this operation sends no JSON
                body to merge it into.

        Returns:
            An `APIResponse` with the answer's status, headers and request id.

        Raises:
            RequestValidationError: a bad ``call_id`` or request (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see `accept_realtime_call`).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return _with_response(await self._change_call(HANGUP_CALL, call_id, None, options))

    def connect(
        self,
        *,
        call_id: str | None = None,
        model: str | None = None,
        client_secret: str | Secret | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        heartbeat: float | None = 20.0,
        max_message_size: int = 16 * 1024 * 1024,
        max_queued_events: int = 1024,
        send_timeout: float = 10.0,
        timeout: float | Unset = UNSET,
        reconnect: bool = False,
        reconnect_deadline: float = 60.0,
        on_reconnect: ReconnectHook | None = None,
    ) -> RealtimeConnectionManager:
        """A Realtime WebSocket connection: attach to a call, or open a new session.

        ``async with client.connect(call_id=call_id) as connection:`` attaches to a SIP
        call you accepted or a WebRTC call you created (``GET /realtime?call_id=``);
        ``connect(model="gpt-realtime")`` opens a session of its own (``?model=``). It
        goes through this client's connection pool, with the same headers, proxy, TLS
        settings, key provider and Azure credentials as the REST calls; an open connection
        does not take one of the REST calls' ``max_connections`` places, so steering many
        calls never starves the REST calls. Nothing happens until the ``async with`` (or
        ``await manager.enter()``).

        Args:
            call_id: the call to attach to; give exactly one of ``call_id`` and ``model``.
            model: the model of a new session.
            client_secret: an ephemeral key to authenticate with instead of the API key.
            extra_headers: headers to add to the handshake.
            extra_query: query parameters to add to the handshake's URL.
            heartbeat: seconds between pings; a ping unanswered within half of it ends the
                connection with `HeartbeatTimeoutError`. None sends no pings.
            max_message_size: the largest message accepted from the server, in bytes; a
                larger one ends the connection with `MessageTooLargeError`.
            max_queued_events: how many received events may wait unread; when full, the
                connection stops reading until `recv` makes room (nothing is dropped).
            send_timeout: seconds a `send` may wait for the network before it raises
                `APITimeoutError` and closes the connection.
            timeout: seconds the handshake may take; defaults to the client's timeout.
            reconnect: with ``call_id``, reopen the connection when it drops or ends
                abnormally (not on a normal close, nor once the call has ended), pausing
                between tries with a growing backoff; events from the new socket follow
                those from the old one, and sends wait for it (within ``send_timeout``).
            reconnect_deadline: seconds after a drop to keep trying before the connection
                ends with `ConnectionClosedError`.
            on_reconnect: called (or awaited) with a `ReconnectAttempt` before each try;
                raising from it stops reconnecting.

        Returns:
            A manager: ``async with`` it to get the `RealtimeConnection`.

        Raises:
            RequestValidationError: not exactly one of ``call_id`` and ``model``, or a bad
                ``call_id`` (nothing was sent).
            ConfigurationError: a limit out of range, or ``reconnect`` with ``model``.
        """
        from realtime_sdk._realtime import ConnectOptions, make_manager  # noqa: PLC0415 - loaded on first use

        options = ConnectOptions(
            client_secret=client_secret,
            extra_headers=extra_headers,
            heartbeat=heartbeat,
            max_message_size=max_message_size,
            max_queued_events=max_queued_events,
            send_timeout=send_timeout,
            timeout=self._config.timeout if timeout is UNSET else timeout,
            reconnect=reconnect,
            reconnect_deadline=reconnect_deadline,
            on_reconnect=on_reconnect,
        )
        return make_manager(
            self, call_id=call_id, model=model, extra_query=extra_query, options=options
        )

    # -- internals -------------------------------------------------------------------------

    def _build_headers(self, config: ClientConfig) -> dict[str, str]:
        headers: dict[str, str] = {}
        if config.auth.key is not None:
            headers |= config.auth.credential_header(config.auth.key)
        headers |= {
            "Content-Type": "application/json",
            "Accept": "application/json",
            # Only what `_body` decodes: the size limit must bound the decoded bytes.
            "Accept-Encoding": _transport.ACCEPT_ENCODING,
            "User-Agent": _transport.USER_AGENT,
        }
        if config.organization:
            headers["OpenAI-Organization"] = config.organization
        if config.project:
            headers["OpenAI-Project"] = config.project
        # By name in any letter case: `authorization` must replace `Authorization`, not
        # travel beside it.
        return merge_headers(headers, config.default_headers)

    def _ensure_session(self) -> ClientSession:
        pool = self._pool
        session = pool.session
        if (
            session is not None
            and pool.owns_session
            and pool.loop is asyncio.get_running_loop()
            and not self._closed
        ):
            return session  # every call after the first, on the client's own pool
        return self._open_session()

    def _open_session(self) -> ClientSession:
        pool = self._pool
        if self._closed:
            msg = "this RealtimeClient is closed; create a new one"
            raise ClientClosedError(msg)
        if pool.closed:
            msg = (
                "the RealtimeClient this one was made from (with with_options) is closed, "
                "and its connection pool with it"
            )
            raise ClientClosedError(msg)
        loop = asyncio.get_running_loop()
        if pool.loop is None:
            pool.loop = loop
        elif loop is not pool.loop:
            raise EventLoopMismatchError(self._loop_mismatch(pool))
        session = pool.session
        if session is None:
            # Created here, inside the running loop, never in __init__.
            session = pool.session = _transport.open_session(
                keepalive_timeout=self._config.keepalive_timeout,
                headers=self._session_headers,
                trace_configs=self._trace_configs,
            )
        elif session.closed:
            msg = "the aiohttp session given to this RealtimeClient has been closed by its owner"
            raise ClientClosedError(msg)
        return session

    async def _call(
        self,
        endpoint: Endpoint[Req, Resp],
        request: Req | Mapping[str, Any],
        options: CallOptions | None,
        observer: list[_otel.Attempt] | None = None,
    ) -> tuple[Resp, _transport.RawResponse, int, float]:
        """One call to an endpoint that takes and answers JSON.

        ``options`` is what the call set beyond the client's settings (None for nothing);
        ``observer``, when tracing, collects each attempt. Returns the parsed result, the
        last answer, the number of attempts and the start time; an APIResponse is built
        only for the methods that return one.
        """
        if self._tracer is not None and observer is None:
            return await self._traced(
                endpoint, lambda attempts: self._call(endpoint, request, options, attempts)
            )
        session = self._ensure_session()
        # Everything that can reject the input runs before any I/O.
        body = dumps_request(request, endpoint.request)
        url = self._urls[endpoint.path]
        raw, attempts, started = await self._send(
            session,
            endpoint,
            url,
            body,
            headers=self._request_headers,
            options=options,
            observer=observer,
        )
        return self._decode(raw, endpoint.response, url.path), raw, attempts, started

    async def _create_call(
        self,
        request: RealtimeCallCreateRequest | Mapping[str, Any],
        client_secret: str | Secret | None,
        options: CallOptions | None,
        observer: list[_otel.Attempt] | None = None,
    ) -> tuple[RealtimeCallAnswer, _transport.RawResponse, int, float]:
        """``POST /realtime/calls``: an SDP offer out, an SDP answer and a call id back."""
        if self._tracer is not None and observer is None:
            return await self._traced(
                CREATE_CALL,
                lambda attempts: self._create_call(request, client_secret, options, attempts),
            )
        session = self._ensure_session()
        _no_json_body(CREATE_CALL, options)
        # Unpacked at once: the offer's headers hold the call's key, and no local may.
        body, headers = self._offer(encode_offer(request, client_secret))
        if client_secret is not None:
            # Checked by `encode_offer`; masked like the client's own keys, whatever its shape.
            self._scrubber.remember(
                client_secret if isinstance(client_secret, Secret) else Secret(client_secret)
            )
        url = self._urls[CREATE_CALL.path]
        raw, attempts, started = await self._send(
            session,
            CREATE_CALL,
            url,
            body,
            headers=headers,
            options=options,
            observer=observer,
            own_credential=client_secret is not None,
        )
        return self._read_call_answer(raw, url.path), raw, attempts, started

    async def _change_call(
        self,
        endpoint: Endpoint[Req, None],
        call_id: str,
        request: Req | Mapping[str, Any] | None,
        options: CallOptions | None,
        observer: list[_otel.Attempt] | None = None,
    ) -> tuple[None, _transport.RawResponse, int, float]:
        """Accept, refer, reject or hang up a call: a JSON body (or none), an empty answer.

        Returns no data, the last answer, the number of attempts and the start time.
        """
        if self._tracer is not None and observer is None:
            return await self._traced(
                endpoint,
                lambda attempts: self._change_call(endpoint, call_id, request, options, attempts),
            )
        session = self._ensure_session()
        url = self._make_url(
            self._config.base_url, endpoint.operation.path_for(call_id_segment(call_id))
        )
        # Only hang up has no body; None for any other is refused as a request that is
        # not one. (An answer with a body is still a success: what it says is not read.)
        no_body = endpoint.operation.body is Body.NONE
        if no_body:
            _no_json_body(endpoint, options)
        body = b"" if no_body else dumps_request(request, endpoint.request)
        raw, attempts, started = await self._send(
            session,
            endpoint,
            url,
            body,
            headers=self._request_headers,
            options=options,
            observer=observer,
        )
        return None, raw, attempts, started

    async def _send(  # noqa: C901, PLR0912, PLR0915 - the attempt loop reads best in one piece
        self,
        session: ClientSession,
        endpoint: Endpoint[Any, Any],
        url: URL,
        body: bytes,
        *,
        headers: HiddenHeaders | None,
        options: CallOptions | None,
        observer: list[_otel.Attempt] | None,
        own_credential: bool = False,
    ) -> tuple[_transport.RawResponse, int, float]:
        """The attempts of one call with the pauses between them, up to a 2xx answer.

        ``own_credential``: the headers carry the call's own key, so no provider is asked.

        Which failures are retried is the endpoint's rule (`_operations.Retries`);
        ``options`` changes the body, URL, headers, attempt limit and retry count for this
        call only. Returns the answer, the number of attempts and the start time.
        """
        attempt_limit = self._config.timeout
        max_retries = self._config.retry.max_retries
        if options is not None:
            body, url, _, attempt_limit, max_retries = options.apply(
                body, url, None, attempt_limit, max_retries
            )
            if options.headers:
                # Merged here rather than by `apply`, so they stay hidden (see `_headers`).
                extra = options.headers
                headers = HiddenHeaders(extra) if headers is None else headers.merged(extra)
        policy = self._config.retry
        total = self._config.total_timeout
        started = time.monotonic()
        deadline = None if total is None else started + total
        retries = 0
        while True:
            limit = attempt_limit
            if deadline is not None:
                limit = max(min(limit, deadline - time.monotonic()), _MIN_LIMIT)
            if self._rate_limit is not None:
                # Before queueing for a pool place; `_attempt` checks again once it has one.
                limit = await self._hold_for_rate_limit(url, limit, deadline)
            attempt_started = time.monotonic()
            try:
                sent = headers
                if self._key_provider is not None and not own_credential:
                    sent, limit = await self._with_provided_key(headers, limit)
                raw = await self._attempt(session, url, body, sent, limit, deadline=deadline)
            except APIConnectionError as exc:
                self._log_failure(url, exc, retries, attempt_started)
                if observer is not None:
                    elapsed = time.monotonic() - attempt_started
                    observer.append(_otel.Attempt(None, None, elapsed, type(exc).__name__))
                failure: APIConnectionError | APIStatusError = exc
                delay: float | None = None
                if retries < max_retries and _may_retry_failure(endpoint, exc):
                    delay = policy.delay(retries)
            else:
                if observer is not None:
                    self._observe(observer, raw, attempt_started)
                if _log.isEnabledFor(logging.DEBUG):  # even building the arguments costs
                    self._log_answer(url, raw, retries, attempt_started)
                if _OK_FROM <= raw.status < _OK_TO:
                    raw = self._with_masked_id(raw)
                    if self._on_attempt is not None:
                        self._report(
                            endpoint,
                            raw,
                            delay=None,
                            retries=retries,
                            max_retries=max_retries,
                            attempt_started=attempt_started,
                        )
                    return raw, retries + 1, started
                failure = self._status_error(raw, endpoint, url.path)
                delay = None
                if retries < max_retries and _may_retry_status(endpoint, raw, failure.code):
                    delay = policy.delay(retries, raw.headers)
            if delay is not None and deadline is not None and time.monotonic() + delay >= deadline:
                # The pause alone would overrun the overall limit: report the last failure.
                delay = None
            if self._on_attempt is not None:
                self._report(
                    endpoint,
                    failure,
                    delay=delay,
                    retries=retries,
                    max_retries=max_retries,
                    attempt_started=attempt_started,
                )
            if delay is None:
                raise failure
            retries += 1
            await self._pause(url, delay, retries, max_retries, failure)

    def _report(
        self,
        endpoint: Endpoint[Any, Any],
        outcome: _transport.RawResponse | APIConnectionError | APIStatusError,
        *,
        delay: float | None,
        retries: int,
        max_retries: int,
        attempt_started: float,
    ) -> None:
        """Give the ``on_attempt`` hook its record of the attempt that just ended."""
        assert self._on_attempt is not None
        if isinstance(outcome, _transport.RawResponse):
            status: int | None = outcome.status
            error = None
        else:
            status, error = outcome.status_code, type(outcome).__name__
        answered = not isinstance(outcome, APIConnectionError)
        # Masked like every server-sent text (a server may echo a key there).
        request_id = outcome.request_id
        self._on_attempt(
            Attempt(
                operation=endpoint.method,
                number=retries + 1,
                max_retries=max_retries,
                elapsed=time.monotonic() - attempt_started,
                answered=answered,
                status_code=status,
                request_id=None if request_id is None else self._scrubber.text(request_id),
                error=error,
                retry_in=delay,
            )
        )

    def _with_masked_id(self, raw: _transport.RawResponse) -> _transport.RawResponse:
        """The answer with its request id masked (a server may echo a key there)."""
        request_id = raw.request_id
        if request_id is None:
            return raw
        masked = self._scrubber.text(request_id)
        if masked == request_id:
            return raw
        status, headers, body, _, truncated, undecodable = raw
        return _transport.RawResponse(status, headers, body, masked, truncated, undecodable)

    async def _traced(
        self, endpoint: Endpoint[Any, Any], run: Callable[[list[_otel.Attempt]], Awaitable[T]]
    ) -> T:
        """``run`` (one call, collecting its attempts) inside an OpenTelemetry span."""
        if endpoint.operation.call_scoped:
            url = self._make_url(self._config.base_url, endpoint.path)
        else:
            url = self._urls[endpoint.path]
        return await _otel.traced(self._tracer, sdk_method=endpoint.method, url=url, run=run)

    def _observe(
        self, observer: list[_otel.Attempt], raw: _transport.RawResponse, attempt_started: float
    ) -> None:
        request_id = self._scrubber.optional(raw.request_id)
        elapsed = time.monotonic() - attempt_started
        observer.append(_otel.Attempt(raw.status, request_id, elapsed, None))

    async def _hold_for_rate_limit(self, url: URL, limit: float, deadline: float | None) -> float:
        """Wait out (or refuse) an exhausted request budget; returns the attempt's time left."""
        wait = self._pool.limiter.wait(_now())
        if wait <= 0:
            return limit
        # The deadline is on the call's own clock (`time.monotonic`), the reset on `_now`.
        bound = limit if deadline is None else deadline - time.monotonic()
        if self._rate_limit == "raise" or wait >= bound:
            why = "rate_limit='raise'" if self._rate_limit == "raise" else "the call's time limit"
            msg = (
                f"POST {url.path} held back: the API said no requests are left until its "
                f"reset in {wait:.3f}s ({why}); nothing was sent"
            )
            raise ClientRateLimitError(msg, retry_after=wait)
        _log.debug("waiting %.3fs for the rate limit to reset before POST %s", wait, url.path)
        before = time.monotonic()
        await _sleep(wait)
        if self._closed or self._pool.closed:
            msg = "this RealtimeClient was closed while the call waited for the rate limit"
            raise ClientClosedError(msg)
        # The wait counts against the attempt's own limit, with or without a deadline.
        limit = max(limit - max(wait, time.monotonic() - before), _MIN_LIMIT)
        if deadline is None:
            return limit
        return max(min(limit, deadline - time.monotonic()), _MIN_LIMIT)

    async def _with_provided_key(
        self, headers: HiddenHeaders | None, limit: float
    ) -> tuple[HiddenHeaders, float]:
        """This attempt's headers with the key a provider gave, and the attempt's time left.

        The provider is asked within the attempt's limit (``limit``, already cut to the
        call's deadline): one that never answers ends the call on time. A plain (not
        async) provider runs on the event loop and cannot be interrupted while it runs.
        """
        assert self._key_provider is not None
        started = time.monotonic()
        try:
            async with asyncio.timeout(limit):
                key = await provide_key(self._key_provider, self._auth.what)
        except TimeoutError:
            msg = (
                f"{self._auth.what}: the key provider did not return within {limit:g}s; "
                "the call was not sent"
            )
            error = APITimeoutError(msg, maybe_sent=False)
        else:
            self._scrubber.remember(key)
            # Built inline from the Secret: no local holds the key in the open.
            sent = HiddenHeaders(self._auth.credential_header(key))
            if headers is not None:
                sent = sent.merged(headers.reveal())  # an extra_headers value of the same name wins
            return sent, max(limit - (time.monotonic() - started), _MIN_LIMIT)
        raise error  # outside the except block: no cancellation chained as its context

    async def _attempt(
        self,
        session: ClientSession,
        url: URL,
        body: bytes,
        headers: HiddenHeaders | None,
        limit: float,
        *,
        deadline: float | None,
    ) -> _transport.RawResponse:
        """One attempt: a pool place, then the POST, both within ``limit`` seconds."""
        places = self._pool.places
        if places.locked():
            limit = await self._wait_for_place(limit)
        else:
            await places.acquire()  # a free place: taken without suspending
        failure: ClientClosedError
        try:
            if self._closed or self._pool.closed or session.closed:
                raise self._closed_during_call()
            if self._rate_limit is not None:
                # Again, now that the place is ours: while this call queued, an answer may
                # have said that no requests are left.
                limit = await self._hold_for_rate_limit(url, limit, deadline)
            if limit == self._config.timeout:
                timeouts = self._default_timeouts
            else:
                timeouts = _transport.attempt_timeout(limit, self._config.connect_timeout)
            raw = await _transport.post(
                session,
                url,
                body,
                headers,
                timeouts=timeouts,
                max_body=self._config.max_response_bytes,
                proxy=self._proxy,
                scrub=self._scrubber.text,
            )
        except APIConnectionError:
            if not (self._closed or self._pool.closed or session.closed):
                raise
            # The pool went away under the call: a drop is not the server's doing.
            failure = self._closed_during_call()
        except ClientClosedError:
            failure = self._closed_during_call()
        else:
            if self._rate_limit is not None:
                # Noted before the place is given up, so the next call in line sees it.
                self._pool.limiter.note(raw.headers, _now())
            return raw
        finally:
            places.release()
        # Raised outside the except blocks: nothing of aiohttp's becomes its context.
        raise failure

    async def _wait_for_place(self, limit: float) -> float:
        """Queue for a pool place (first come, first served); returns the time left."""
        started = time.monotonic()
        try:
            async with asyncio.timeout(limit):
                await self._pool.places.acquire()
        except TimeoutError as exc:
            msg = (
                f"timed out after {limit:g}s waiting for a free connection "
                f"(all {self._config.max_connections} in use)"
            )
            raise APITimeoutError(msg, maybe_sent=False) from exc
        # aiohttp reads a limit of 0 as "none": keep a sliver.
        return max(limit - (time.monotonic() - started), _MIN_LIMIT)

    async def _pause(
        self,
        url: URL,
        delay: float,
        retries: int,
        max_retries: int,
        failure: APIConnectionError | APIStatusError,
    ) -> None:
        _log.debug(
            "retrying POST %s in %.3fs (retry %d of %d)",
            url.path,
            delay,
            retries,
            max_retries,
        )
        await _sleep(delay)
        if self._closed or self._pool.closed:
            # aclose() ran during the pause; the pool is gone, so stop here.
            msg = "this RealtimeClient was closed while the call waited to retry"
            raise ClientClosedError(msg) from failure

    def _offer(self, offer: Offer) -> tuple[bytes, HiddenHeaders]:
        """An offer's body, and the headers to send it with (the offer's own win).

        When the offer carries a credential (an ephemeral key), the client's own is left out.
        """
        own = HiddenHeaders(offer.headers)
        if own.has("Authorization"):
            return offer.body, self._with_own_credential(own)
        headers = self._request_headers
        return offer.body, own if headers is None else headers.merged(own.reveal())

    def _with_own_credential(self, own: HiddenHeaders) -> HiddenHeaders:
        """The client's headers with a call's own, which carry that call's key, winning.

        The call's key replaces the client's wherever that travels (Azure's ``api-key``).
        """
        headers = self._request_headers
        if headers is None:
            return own
        return headers.without(self._auth.header).merged(own.reveal())

    def _log_failure(
        self, url: URL, exc: APIConnectionError, retries: int, attempt_started: float
    ) -> None:
        _log.debug(
            "POST %s failed: %s attempt=%d elapsed_ms=%.1f",
            url.path,
            type(exc).__name__,
            retries + 1,
            (time.monotonic() - attempt_started) * 1000.0,
        )

    def _log_answer(
        self, url: URL, raw: _transport.RawResponse, retries: int, attempt_started: float
    ) -> None:
        _log.debug(
            "POST %s -> %d request_id=%s attempt=%d elapsed_ms=%.1f",
            url.path,
            raw.status,
            self._scrubber.optional(raw.request_id),
            retries + 1,
            (time.monotonic() - attempt_started) * 1000.0,
        )

    @staticmethod
    def _loop_mismatch(pool: Pool) -> str:
        """Why a call from another event loop than the pool's is refused."""
        if not pool.owns_session:
            return (
                "the aiohttp session given to this RealtimeClient belongs to another event "
                "loop than the running one; create the session and the client inside the loop "
                "that makes the calls (SyncRealtimeClient runs its own loop: let it create its "
                "own session)"
            )
        return (
            "this RealtimeClient is bound to the event loop it was first used in and "
            "cannot be used from another one (e.g. a second asyncio.run()); create one "
            "client per event loop"
        )

    def _closed_during_call(self) -> ClientClosedError:
        if self._closed or self._pool.closed:
            return ClientClosedError("this RealtimeClient was closed while the call was under way")
        return ClientClosedError(
            "the aiohttp session given to this RealtimeClient was closed by its owner "
            "while the call was under way"
        )

    def _decode(self, raw: _transport.RawResponse, response_cls: type[Resp], where: str) -> Resp:
        # Each failure is built inside its `except` and raised outside it, so that the
        # decoder's own exception (a JSONDecodeError keeps the whole body, ek_ value
        # included) is not reachable from ours.
        head = f"POST {where} returned {raw.status}"
        self._check_body(raw, head)
        try:
            return loads_response(raw.body, response_cls)
        except ResponseDecodeError as exc:
            fields = "; ".join(str(error) for error in exc.errors) or "not valid JSON"
            message = f"{head} with a body that does not fit {response_cls.__name__}: {fields}"
            error = self._validation_error(raw, message, exc.errors)
        raise error

    def _check_body(self, raw: _transport.RawResponse, head: str) -> None:
        """Refuse a 2xx body that could not be read whole."""
        if raw.undecodable is not None:
            message = (
                f"{head} with a body in Content-Encoding {raw.undecodable!r}, which could "
                "not be decoded (the client asks for gzip or deflate)"
            )
            raise self._validation_error(raw, message)
        if raw.truncated:
            message = f"{head} with a body larger than {self._config.max_response_bytes} bytes"
            raise self._validation_error(raw, message)

    def _read_call_answer(self, raw: _transport.RawResponse, where: str) -> RealtimeCallAnswer:
        """The SDP text of a created call's answer and the call id from its ``Location``."""
        head = f"POST {where} returned {raw.status}"
        self._check_body(raw, head)
        try:
            sdp = raw.body.decode("utf-8")
        except UnicodeDecodeError:
            sdp = ""
        if not sdp.strip():
            message = f"{head} without SDP text (an empty or non-UTF-8 body)"
            raise self._validation_error(raw, message)
        call_id = call_id_from_location(raw.headers.get("Location"))
        if call_id is None:
            message = f"{head} without a Location header naming the new call"
            raise self._validation_error(raw, message)
        return RealtimeCallAnswer(sdp=sdp, call_id=call_id)

    def _validation_error(
        self,
        raw: _transport.RawResponse,
        message: str,
        errors: tuple[FieldError, ...] = (),
    ) -> APIResponseValidationError:
        return APIResponseValidationError(
            self._scrubber.text(message),
            status_code=raw.status,
            request_id=self._scrubber.optional(raw.request_id),
            body_excerpt=self._excerpt(raw.body),
            errors=errors,
        )

    def _status_error(
        self, raw: _transport.RawResponse, endpoint: Endpoint[Any, Any], where: str
    ) -> APIStatusError:
        scrub = self._scrubber
        text = raw.body.decode("utf-8", "replace")
        body: object = scrub.text(text[: BODY_EXCERPT_LIMIT * 4])[:BODY_EXCERPT_LIMIT]
        if text.lstrip().startswith("{"):
            # Masked after parsing too: a "\u0073k-..." escape hides the key from the text.
            # RecursionError: a hostile body nested deeper than the decoder's stack.
            with contextlib.suppress(ValueError, RecursionError):
                body = scrub.json(json.loads(text))
        cls = status_error_class(raw.status)
        error = cls(
            "",
            status_code=raw.status,
            request_id=scrub.optional(raw.request_id),
            body=body,
            headers=scrub.headers(raw.headers),
        )
        error.message = scrub.text(self._status_message(raw, error, endpoint, where, text))
        error.args = (error.message,)
        return error

    def _status_message(
        self,
        raw: _transport.RawResponse,
        error: APIStatusError,
        endpoint: Endpoint[Any, Any],
        where: str,
        text: str,
    ) -> str:
        status = raw.status
        head = f"POST {where} returned {status}"
        if error.code:
            head += f" ({error.code})"
        if 300 <= status < 400:  # noqa: PLR2004 - the redirect range
            return (
                f"{head}: a redirect, which is not followed so the API key never goes to "
                "another host; check base_url"
            )
        if raw.undecodable is not None:
            detail = f"(a body in Content-Encoding {raw.undecodable!r}, not decoded)"
        elif error.error_message:
            detail = error.error_message
        else:
            detail = " ".join(text.split())[:_MESSAGE_EXCERPT] or "(empty body)"
        message = f"{head}: {detail}"
        if status in _RETIRED_STATUSES and not self._base_path_has_version():
            # The likelier story than a retired endpoint: the base URL lost its /v1.
            message = _sentence(message) + (
                f" The base_url path {self._base_path()!r} has no version segment; the "
                "API lives under /v1 (e.g. https://api.openai.com/v1): check base_url"
            )
        elif endpoint.retired and (status in _RETIRED_STATUSES or error.code in _RETIRED_CODES):
            message = _sentence(message) + (
                f" The service has retired this endpoint shape; use {CLIENT_SECRETS.method}() "
                "instead, " + _MIGRATION[endpoint.method]
            )
        return message

    def _base_path(self) -> str:
        return _transport.make_url(self._config.base_url, "").path

    def _base_path_has_version(self) -> bool:
        if self._config.auth.query:
            return True  # the version travels in the query (Azure's api-version)
        segments = [segment for segment in self._base_path().split("/") if segment]
        return any(_VERSION_SEGMENT.fullmatch(segment) for segment in segments)

    def _excerpt(self, body: bytes) -> str:
        return self._scrubber.text(body[: BODY_EXCERPT_LIMIT * 4].decode("utf-8", "replace"))[
            :BODY_EXCERPT_LIMIT
        ]


__all__ = ["RealtimeClient"]
