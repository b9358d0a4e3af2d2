"""`BoundClient`: what every public method of the client goes through before the attempts.

The session binding (the pool's aiohttp session, made on first use inside the running loop
and refused from another loop) and check-and-encode (`_call`: the request checked by its
schema and encoded, before any I/O). The groups of public methods (`_keys`, `_call_control`,
`_connecting`) inherit it, so each sees the client's state and seams with their types;
`RealtimeClient` inherits them all and makes that state in `_set_up`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine, Mapping
from typing import Any, TypeVar

from yarl import URL

from realtime_sdk._client._engine import AttemptEngine, Reply
from realtime_sdk._client._options import CallOptions
from realtime_sdk._client._pool import Pool
from realtime_sdk._http import _transport
from realtime_sdk._http._headers import HiddenHeaders
from realtime_sdk._http._transport import ClientSession, TraceConfig
from realtime_sdk._result import APIResponse
from realtime_sdk._spec.operations import (
    Operation,
)
from realtime_sdk._wire._requests import dumps_request
from realtime_sdk.errors import (
    ClientClosedError,
    EventLoopMismatchError,
)

Req = TypeVar("Req")
Resp = TypeVar("Resp")


def with_response(outcome: tuple[Resp, Reply]) -> APIResponse[Resp]:
    """The answer of a ``..._with_response`` method: the model, with the HTTP facts around it."""
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


class BoundClient(AttemptEngine):
    """The attempt engine bound to a session, with check-and-encode in front of it.

    Not used on its own: `RealtimeClient` sets every attribute (in ``_set_up``).
    """

    # Set by `RealtimeClient._set_up`, the one place a client's state is made.
    _request_headers: HiddenHeaders | None
    _urls: dict[str, URL]
    _session_headers: dict[str, str]
    _trace_configs: tuple[TraceConfig, ...] | None

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


__all__ = ["BoundClient", "with_response"]
