"""RealtimeClient: the public async client for the Realtime REST API, its lifecycle and settings.

Its public methods are grouped by role into the base classes it inherits: `KeyMinting`
(ephemeral keys), `CallControl` (WebRTC and SIP calls) and `Connecting` (WebSocket
connections). Each sits on `BoundClient` (session binding, check-and-encode), itself on the
attempt engine; the answer is read by the pure functions of `_answers`. This class makes the
state they all read (`_set_up`), opens and closes the client and derives new ones.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Self

from yarl import URL

from realtime_sdk._client._attempts import AttemptHook
from realtime_sdk._client._auth import APIKey
from realtime_sdk._client._call_control import CallControl
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
from realtime_sdk._client._connecting import Connecting
from realtime_sdk._client._keys import KeyMinting
from realtime_sdk._client._pool import Shared, share
from realtime_sdk._client._ratelimit import RateLimitMode
from realtime_sdk._client._retired import DEPRECATED
from realtime_sdk._http import _transport
from realtime_sdk._http._headers import HiddenHeaders, merge_headers
from realtime_sdk._http._scrub import Scrubber
from realtime_sdk._http._transport import ClientSession, TraceConfig
from realtime_sdk._spec.operations import (
    OPERATIONS,
)
from realtime_sdk._unset import UNSET, Unset
from realtime_sdk.errors import (
    EventLoopMismatchError,
)


class RealtimeClient(KeyMinting, CallControl, Connecting):
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


__all__ = ["DEPRECATED", "RealtimeClient"]
