"""RealtimeClient: the public async client (its methods and lifecycle) for the Realtime REST API.

A call runs in three steps: the request is checked and encoded here, the attempts run in
the attempt engine (`_engine.AttemptEngine`, this class's base), and the answer is read by
the pure functions of `_answers`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

from yarl import URL

from realtime_sdk._calls import RealtimeCallAnswer, call_id_segment, encode_offer
from realtime_sdk._client._attempts import AttemptHook
from realtime_sdk._client._auth import APIKey
from realtime_sdk._client._config import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_KEEPALIVE_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    ClientConfig,
    derive_config,
    request_headers,
    resolve_config,
)
from realtime_sdk._client._engine import AttemptEngine, Reply
from realtime_sdk._client._options import CallOptions, QueryValue, call_options
from realtime_sdk._client._pool import Pool, Shared, share
from realtime_sdk._client._ratelimit import RateLimitMode
from realtime_sdk._client._retired import DEPRECATED
from realtime_sdk._http import _transport
from realtime_sdk._http._headers import HiddenHeaders, merge_headers
from realtime_sdk._http._scrub import Scrubber
from realtime_sdk._http._transport import ClientSession, TraceConfig
from realtime_sdk._reconnect import ReconnectHook
from realtime_sdk._result import APIResponse
from realtime_sdk._secret import Secret
from realtime_sdk._spec.operations import (
    ACCEPT_CALL,
    CLIENT_SECRETS,
    CREATE_CALL,
    HANGUP_CALL,
    OPERATIONS,
    REFER_CALL,
    REJECT_CALL,
    SESSIONS,
    TRANSCRIPTION_SESSIONS,
    TRANSLATION_CLIENT_SECRETS,
    Body,
    Operation,
)
from realtime_sdk._unset import UNSET, Unset
from realtime_sdk._warn import warn_caller
from realtime_sdk._wire._requests import dumps_request
from realtime_sdk.errors import (
    ClientClosedError,
    ConfigurationError,
    EventLoopMismatchError,
)

if TYPE_CHECKING:
    from realtime_sdk._calls import Offer
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

Req = TypeVar("Req")
Resp = TypeVar("Resp")


def _with_response(outcome: tuple[Resp, Reply]) -> APIResponse[Resp]:
    data, reply = outcome
    raw = reply.raw
    return APIResponse(
        data=data,
        status_code=raw.status,
        headers=raw.headers,
        request_id=reply.request_id,
        attempts=reply.attempts,
        elapsed=time.monotonic() - reply.started,
    )


def _no_json_body(endpoint: Operation[Any, Any], options: CallOptions | None) -> None:
    """Refuse extra_body for an operation whose body is not a JSON object, before any I/O."""
    if options is not None and options.body:
        msg = (
            f"extra_body: {endpoint.method} sends no JSON body to merge it into "
            "(use extra_headers or extra_query)"
        )
        raise ConfigurationError(msg)


class RealtimeClient(AttemptEngine):
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

    # Set by `_set_up`, the one place a client's state is made (with those the engine reads).
    _request_headers: HiddenHeaders | None
    _urls: dict[str, URL]

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
        self._set_up(config, share(config, session, trace_configs, proxy), owner=True)

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
        headers = request_headers(config)
        # Only what differs from the session's defaults travels with each request: nothing
        # at all for the client that made the session (or a copy with the same headers).
        per_request = None if headers == self._session_headers else headers
        if (
            self._proxy is not None
            and self._proxy.headers
            and not config.base_url.startswith("https:")
        ):
            # aiohttp puts proxy_headers on a CONNECT only; a plain-http request goes to the
            # proxy itself, so its credentials ride on the request.
            per_request = merge_headers(headers, self._proxy.headers)
        # Held out of sight: the key must not show in the locals of the attempt path.
        self._request_headers = None if per_request is None else HiddenHeaders(per_request)
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
            for endpoint in OPERATIONS
            if not endpoint.call_scoped
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
        data, _ = await self._call(CLIENT_SECRETS, request, options)
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
        data, _ = await self._call(SESSIONS, request, options)
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
        data, _ = await self._call(TRANSCRIPTION_SESSIONS, request, options)
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
        data, _ = await self._call(TRANSLATION_CLIENT_SECRETS, request, options)
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
        data, _ = await self._create_call(request, client_secret, options)
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

    def _call(
        self,
        endpoint: Operation[Req, Resp],
        request: Req | Mapping[str, Any],
        options: CallOptions | None,
    ) -> Coroutine[Any, Any, tuple[Resp, Reply]]:
        """One call to an endpoint that takes and answers JSON: check and encode, then send.

        Not a coroutine itself: it refuses bad input at once and hands back the attempts
        (`AttemptEngine._send`) for the method to await, one frame fewer on every call.
        ``options`` is what the call set beyond the client's settings (None for nothing).
        """
        session = self._ensure_session()
        # Everything that can reject the input runs before any I/O; a dict is checked by its
        # schema name, so no model class is created for it.
        body = dumps_request(request, endpoint.body_schema)
        url = self._urls[endpoint.path]
        return self._send(
            session,
            endpoint,
            url,
            body,
            self._request_headers,
            model=endpoint.response,
            options=options,
        )

    def _create_call(
        self,
        request: RealtimeCallCreateRequest | Mapping[str, Any],
        client_secret: str | Secret | None,
        options: CallOptions | None,
    ) -> Coroutine[Any, Any, tuple[RealtimeCallAnswer, Reply]]:
        """``POST /realtime/calls``: an SDP offer out, an SDP answer and a call id back."""
        session = self._ensure_session()
        _no_json_body(CREATE_CALL, options)
        # Unpacked at once: the offer's headers hold the call's key, and no local may.
        body, headers = self._offer(encode_offer(request, client_secret))
        if client_secret is not None:
            # Checked by `encode_offer`; masked like the client's own keys, whatever its shape.
            self._scrubber.remember(
                client_secret if isinstance(client_secret, Secret) else Secret(client_secret)
            )
        return self._send(
            session,
            CREATE_CALL,
            self._urls[CREATE_CALL.path],
            body,
            headers,
            model=RealtimeCallAnswer,
            options=options,
            own_credential=client_secret is not None,
        )

    def _change_call(
        self,
        endpoint: Operation[Req, None],
        call_id: str,
        request: Req | Mapping[str, Any] | None,
        options: CallOptions | None,
    ) -> Coroutine[Any, Any, tuple[None, Reply]]:
        """Accept, refer, reject or hang up a call: a JSON body (or none), an empty answer."""
        session = self._ensure_session()
        url = self._make_url(self._config.base_url, endpoint.path_for(call_id_segment(call_id)))
        # Only hang up has no body; None for any other is refused as a request that is
        # not one. (An answer with a body is still a success: what it says is not read.)
        no_body = endpoint.body is Body.NONE
        if no_body:
            _no_json_body(endpoint, options)
        body = b"" if no_body else dumps_request(request, endpoint.body_schema)
        return self._send(
            session, endpoint, url, body, self._request_headers, model=type(None), options=options
        )

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


__all__ = ["DEPRECATED", "RealtimeClient"]
