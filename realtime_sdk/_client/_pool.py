"""What a client shares with the clients `with_options` makes from it: the pool and its loop.

The first client built with the constructor owns one `Pool`; every client derived from it
(and from those) holds the same object, so they all send through one aiohttp session,
queue for the same pool places, bind to the same event loop and see the same rate-limit
state. Only the owner closes the pool.
"""

import asyncio
import collections
import contextlib
from collections.abc import Sequence
from typing import Any

import attrs

from realtime_sdk._client import _otel
from realtime_sdk._client._config import (
    ClientConfig,
    check_session,
    checked_trace_configs,
    request_headers,
)
from realtime_sdk._client._ratelimit import RateLimiter
from realtime_sdk._http._proxy import Proxy
from realtime_sdk._http._transport import ClientSession, TraceConfig
from realtime_sdk.errors import ConfigurationError


class Places:
    """The pool's places, handed out first come, first served: the one limit on connections.

    A free place is taken without suspending (`take`). Otherwise the caller queues
    (`wait`), and a place given back (`give_back`) goes straight to the longest waiter, so
    a newcomer never overtakes a call that queued before it and no place is free while
    anyone waits. A wait that ends early (a time limit, a cancellation) after a place was
    handed to it passes that place on.
    """

    __slots__ = ("_free", "_waiters")

    def __init__(self, count: int) -> None:
        self._free = count
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()

    def take(self) -> bool:
        """Take a free place now; False when there is none (then `wait` for one)."""
        if self._free:
            self._free -= 1
            return True
        return False

    async def wait(self) -> None:
        """Queue for a place until one is handed over; bound it with ``asyncio.timeout``."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self.give_back()  # handed a place as the wait ended: the next one gets it
            else:
                with contextlib.suppress(ValueError):  # already passed over by `give_back`
                    self._waiters.remove(waiter)
            raise

    def give_back(self) -> None:
        """Return a place: to the longest waiter still waiting, else to the free ones."""
        waiters = self._waiters
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._free += 1


class Pool:
    """One connection pool, shared by a client and the clients derived from it.

    Attributes:
        session: the aiohttp session, created on first use (None before, and after close).
        owns_session: whether the pool created the session (and so closes it).
        loop: the event loop the pool is bound to, from its first use.
        closed: whether the owning client was closed.
        places: one place per connection, handed out first come, first served (`Places`): the one
            limit on connections (the client's own connector has none; a caller's session
            keeps whatever limit its owner gave it).
        limiter: what the ``x-ratelimit-*`` headers said, when rate limiting is on.
    """

    __slots__ = ("closed", "limiter", "loop", "owns_session", "places", "session")

    def __init__(self, session: ClientSession | None, max_connections: int) -> None:
        self.session = session
        self.owns_session = session is None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.closed = False
        # The limit lives here rather than in aiohttp's connector: aiohttp's pool lets a
        # newcomer take a freed connection ahead of earlier waiters (which can starve a
        # waiting call under load), its wait cannot be counted against an attempt's own
        # limit with a message saying what it waited for, and it does not bound a session
        # a caller passes in. (A wait makes its future in the running loop, so creating
        # the places here, outside any loop, is safe.)
        self.places = Places(max_connections)
        self.limiter = RateLimiter()


@attrs.frozen(kw_only=True)
class Shared:
    """What a client shares with every client `with_options` derives from it, and nothing else.

    Attributes:
        pool: the connection pool, its loop and its rate-limit state.
        proxy: the proxy requests go through, or None.
        session_headers: the client's own session's default headers (none through a proxy
            or a caller's session).
        trace_configs: aiohttp hooks for the client's own session, or None.
        tracer: the OpenTelemetry tracer, when ``otel_tracing`` is on.
    """

    pool: Pool
    proxy: Proxy | None
    session_headers: tuple[tuple[str, str], ...] = attrs.field(repr=False)
    trace_configs: tuple[TraceConfig, ...] | None
    tracer: Any  # an OpenTelemetry tracer: an optional dependency's type


def share(
    config: ClientConfig,
    session: ClientSession | None,
    trace_configs: Sequence[TraceConfig] | None,
    proxy: str | None,
) -> Shared:
    """What a client built with these settings shares with every client derived from it.

    Args:
        config: the client's checked settings.
        session: a caller's aiohttp session, or None for the client's own.
        trace_configs: aiohttp hooks for the client's own session, or None.
        proxy: the ``proxy`` argument as given (None when the environment chose one).

    Raises:
        ConfigurationError: ``session`` or ``trace_configs`` is not what aiohttp takes,
            or both were given.
    """
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
    own_defaults = session is None and chosen_proxy is None
    session_headers = request_headers(config) if own_defaults else {}
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


__all__ = ["Places", "Pool", "Shared", "share"]
