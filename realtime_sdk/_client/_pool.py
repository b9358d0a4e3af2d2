"""What a client shares with the clients `with_options` makes from it: the pool and its loop.

The first client built with the constructor owns one `Pool`; every client derived from it
(and from those) holds the same object, so they all send through one aiohttp session,
queue for the same pool places, bind to the same event loop and see the same rate-limit
state. Only the owner closes the pool.
"""

import asyncio
from typing import Any

import attrs

from realtime_sdk._client._ratelimit import RateLimiter
from realtime_sdk._http._proxy import Proxy
from realtime_sdk._http._transport import ClientSession, TraceConfig


class Pool:
    """One connection pool, shared by a client and the clients derived from it.

    Attributes:
        session: the aiohttp session, created on first use (None before, and after close).
        owns_session: whether the pool created the session (and so closes it).
        loop: the event loop the pool is bound to, from its first use.
        closed: whether the owning client was closed.
        places: one place per connection, handed out first come, first served: the one
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
        # a caller passes in. (The semaphore binds to the loop of its first wait, so
        # creating it here is safe.)
        self.places = asyncio.Semaphore(max_connections)
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


__all__ = ["Pool", "Shared"]
