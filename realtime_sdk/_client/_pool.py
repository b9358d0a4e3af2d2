"""What a client shares with the clients `with_options` makes from it: the pool and its loop.

The first client built with the constructor owns one `Pool`; every client derived from it
(and from those) holds the same object, so they all send through one aiohttp session,
queue for the same pool places, bind to the same event loop and see the same rate-limit
state. Only the owner closes the pool.
"""

import asyncio
import collections
import contextlib
from typing import Any

import attrs

from realtime_sdk._client._ratelimit import RateLimiter
from realtime_sdk._http._proxy import Proxy
from realtime_sdk._http._transport import ClientSession, TraceConfig


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


__all__ = ["Pool", "Shared"]
