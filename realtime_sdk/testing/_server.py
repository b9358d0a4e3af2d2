"""FakeRealtimeAPI: the Realtime REST operations served by aiohttp.web on 127.0.0.1.

It checks requests the way the real service does (bearer auth, content type, the body
against the vendored spec), answers with realistic bodies (ephemeral keys, SDP answers),
keeps the calls it knows in their states, records every request, counts the TCP
connections requests arrive on, and injects scripted or seeded-random faults.
"""

import asyncio
import contextlib
import hmac
import json
import os
import secrets
import time
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType
from typing import Any, Final, Self, TypeVar

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from realtime_sdk._spec import operations as ops
from realtime_sdk.testing import _answers as answers
from realtime_sdk.testing import _calls as calls
from realtime_sdk.testing._calls import FakeCall
from realtime_sdk.testing._faults import (
    Chaos,
    ChaosSettings,
    Fault,
    FaultKind,
    FaultQueue,
)
from realtime_sdk.testing._offer import OfferError, check_form, check_sdp, read_form
from realtime_sdk.testing._realtime import FakeRealtimeConnections
from realtime_sdk.testing._routes import API_PREFIX, route
from realtime_sdk.testing._schema import SchemaViolation, validate
from realtime_sdk.testing._site import BACKLOG, listening_socket
from realtime_sdk.testing._webhooks import SipHeaders, sip_header_pairs
from realtime_sdk.testing._wire import Answer, error_payload, parse_body, status_payload

_T = TypeVar("_T")

# Azure OpenAI's two path forms: the v1 API, and one deployment's.
_AZURE_V1: Final = "/openai/v1"
_AZURE_DEPLOYMENTS: Final = "/openai/deployments/"
_MALFORMED_BODY: Final = b'{"id": "sess_cut_short", "object": "realtime.session", "expires_at": 17'

# Read-only counters for a fake running in another process (benchmarks, the CLI server).
STATS_PATH: Final = "/_fake/stats"
# Rings an incoming SIP call in a fake running in another process (`add_incoming_call`).
RING_PATH: Final = "/_fake/calls"
_MULTIPART: Final = "multipart/form-data"
_SDP: Final = "application/sdp"

# The default mix: 5% 5xx, 2% 429 with retry headers, 2% drops, 1% slower than a timeout,
# 1% malformed JSON.
DEFAULT_CHAOS_RATES: Final[Mapping[str, float]] = {
    "server_error": 0.05,
    "rate_limit": 0.02,
    "drop": 0.02,
    "delay": 0.01,
    "malformed": 0.01,
}


class CannotListenError(OSError):
    """The fake could not bind its address: a port in use, or an address not on this host."""

    def __init__(self, host: str, port: int, cause: OSError) -> None:
        reason = os.strerror(cause.errno) if cause.errno else str(cause)
        super().__init__(cause.errno, f"cannot listen on {host}:{port}: {reason}")

    def __str__(self) -> str:
        return str(self.strerror)


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedRequest:
    """One request as the fake saw it, with the status it chose to answer.

    Attributes:
        method: The HTTP method.
        path: The request path on the wire, such as ``/v1/realtime/client_secrets``.
        headers: A read-only, case-insensitive copy of the request headers (left out of
            ``repr`` because it holds the API key).
        body: The raw body bytes.
        json: The parsed body, or None when it was not valid JSON.
        status: The status answered, or None when the connection was dropped.
        fault: The injected fault's label (``status_503``, ``drop``, ...), or None.
        request_id: The ``x-request-id`` the answer carried.
        query: The raw query string on the wire (``api-version=...``), empty when none.
        form: The fields of a ``multipart/form-data`` body (name to text), or None when
            the body is not one (or could not be parsed).
    """

    method: str
    path: str
    headers: CIMultiDictProxy[str] = field(repr=False)
    body: bytes
    json: Any
    status: int | None
    fault: str | None
    request_id: str
    query: str = ""
    form: Mapping[str, str] | None = None


@dataclass(slots=True)
class _Incoming:
    """What the handler learned about one request before deciding how to answer."""

    request: web.Request
    raw: bytes
    parsed: object
    parse_error: bool
    request_id: str
    form: dict[str, str] | None = None
    form_error: OfferError | None = None


def _normalise_path(path: str | None) -> str | None:
    if path is None:
        return None
    path = "/" + path.lstrip("/")
    return path.removeprefix(API_PREFIX)


class FakeRealtimeAPI:
    """A local stand-in for the OpenAI Realtime REST API, for tests, demos and benchmarks.

    Use it as ``async with FakeRealtimeAPI() as fake:`` and point a client at
    ``fake.base_url``. Unknown body keys are rejected with 400 ``unknown_parameter`` by
    default, as the real service does; pass ``reject_unknown_fields=False`` to accept them.

    Args:
        host: The address to bind; keep the default loopback address.
        port: The port to bind; 0 picks a free one.
        api_key: When set, only ``Authorization: Bearer <api_key>`` is accepted; otherwise
            any non-empty bearer token is.
        reject_unknown_fields: Whether keys the spec does not list get a 400.
        retired_beta_endpoints: Answer ``/realtime/sessions`` and
            ``/realtime/transcription_sessions`` with an error, as the real service does
            once the beta API shape is switched off for an account.
        retired_status: The status used for those retired endpoints.
        client_secret_ttl: Seconds a client secret lives when ``expires_after`` is absent.
        session_ttl: Seconds a key from the two session endpoints lives.
        clock: Returns the current Unix time; inject one for exact expiry assertions.
        max_body_size: Larger request bodies get a 413.
        max_records: Keep only the newest this many request records, minted keys and
            calls (and remember this many connections' peer addresses), so a long soak or
            a server process does not grow without bound; None keeps all.
        azure: Play an Azure OpenAI resource instead: the endpoints are served under
            ``/openai/v1/`` and ``/openai/deployments/{name}/`` (point a client at
            `azure_endpoint`), the key is read from the ``api-key`` header (an
            ``Authorization: Bearer`` token is accepted too, see ``azure_ad_tokens``), and a
            deployment path without an ``api-version`` query parameter gets a 400.
        azure_api_version: With ``azure``, the only ``api-version`` accepted (a request
            carrying another gets a 400); None accepts any.
        azure_deployments: With ``azure``, the deployment names that exist (others get a
            404); None accepts any.
        azure_ad_tokens: With ``azure``, the bearer tokens accepted; None accepts any
            non-empty one.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        reject_unknown_fields: bool = True,
        retired_beta_endpoints: bool = False,
        retired_status: int = 400,
        client_secret_ttl: int = 600,
        session_ttl: int = 60,
        clock: Callable[[], float] = time.time,
        max_body_size: int = 1024 * 1024,
        max_records: int | None = None,
        azure: bool = False,
        azure_api_version: str | None = None,
        azure_deployments: Collection[str] | None = None,
        azure_ad_tokens: Collection[str] | None = None,
    ) -> None:
        self.requests: list[RecordedRequest] = []
        """Every request received, oldest first."""
        self.minted_keys: list[str] = []
        """Every ``ek_`` value handed out, including ones in answers a fault cut short."""
        self.fault_counts: Counter[str] = Counter()
        """How many times each fault label was applied (scripted and chaos)."""
        self.calls: dict[str, FakeCall] = {}
        """Every call the fake knows, by id: the WebRTC calls it opened and the incoming
        SIP calls added with `add_incoming_call`, in their current state (the newest
        ``max_records`` of them when that is set)."""
        self.reject_unknown_fields = reject_unknown_fields
        self.retired_beta_endpoints = retired_beta_endpoints
        self.retired_status = retired_status
        self._host = host
        self._requested_port = port
        self._api_key = api_key
        self._client_secret_ttl = client_secret_ttl
        self._session_ttl = session_ttl
        self._clock = clock
        self._max_body_size = max_body_size
        self._max_records = max_records
        self._azure = azure
        self._azure_api_version = azure_api_version
        self._azure_deployments = None if azure_deployments is None else set(azure_deployments)
        self._azure_ad_tokens = None if azure_ad_tokens is None else set(azure_ad_tokens)
        self._connections = 0
        # Peer addresses (host, port, ...) of the connections requests came over, least
        # recently used first (a dict as an ordered set), at most max_records of them.
        self._peers: dict[tuple[object, ...], None] = {}
        self._received = 0
        self._minted = 0
        self._faults = FaultQueue()
        self._chaos: Chaos | None = None
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._closing = asyncio.Event()
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self.realtime = FakeRealtimeConnections(
            calls_by_id=self.calls, check_auth=self._check_socket_auth
        )
        """The WebSocket side (``GET /v1/realtime``): its connections, script and faults."""

    def __repr__(self) -> str:
        where = self.base_url if self._port is not None else "not started"
        return f"<FakeRealtimeAPI {where} requests={len(self.requests)} connections={self._connections}>"

    # -- lifecycle -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The API root to hand a client, such as ``http://127.0.0.1:PORT/v1``.

        With ``azure=True`` it is the v1 root of the resource, ``.../openai/v1``.
        """
        if self._azure:
            return f"{self.azure_endpoint}{_AZURE_V1}"
        return f"http://{self._host}:{self.port}{API_PREFIX}"

    @property
    def azure_endpoint(self) -> str:
        """The resource URL for an Azure client (``azure=True``): ``http://127.0.0.1:PORT``."""
        return f"http://{self._host}:{self.port}"

    @property
    def port(self) -> int:
        """The bound port (useful when 0 was asked for)."""
        if self._port is None:
            msg = "the fake API is not started; use `async with` or `await fake.start()`"
            raise RuntimeError(msg)
        return self._port

    @property
    def connections(self) -> int:
        """How many TCP connections have carried requests so far (stats requests aside).

        Connections are told apart by the client's address and port, so keep-alive reuse
        does not add to it; a connection that never sent a whole request is not counted.
        With ``max_records``, only that many peers are remembered: a connection that stays
        idle while more new ones arrive is counted again when it next sends.
        """
        return self._connections

    async def start(self) -> None:
        """Bind the socket and start serving; call once, inside the running loop.

        Raises:
            CannotListenError: the address could not be bound (the port is in use, say).
        """
        if self._runner is not None:
            msg = "the fake API is already started"
            raise RuntimeError(msg)
        self._closing = asyncio.Event()
        app = web.Application(client_max_size=self._max_body_size)
        self.realtime.install(app, (f"{API_PREFIX}/realtime", f"{_AZURE_V1}/realtime"))
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # No access log: benchmarks push thousands of calls through, and handlers are
        # cancelled when the client goes away, as they would be on a real front end.
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=2.0
        )
        await runner.setup()
        try:
            sock = listening_socket(self._host, self._requested_port)
        except OSError as exc:
            await runner.cleanup()
            raise CannotListenError(self._host, self._requested_port, exc) from exc
        site = web.SockSite(runner, sock, backlog=BACKLOG)
        try:
            await site.start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = int(sock.getsockname()[1])

    async def close(self) -> None:
        """Stop serving and close open connections; safe to call twice."""
        runner = self._runner
        if runner is None:
            return
        self._runner = None
        # Ends any injected delay at once, so shutdown does not wait for it.
        self._closing.set()
        await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def wait_for_requests(self, count: int) -> None:
        """Wait until at least ``count`` requests have been recorded.

        Useful to act while a request is held by a fault; bound it with ``asyncio.timeout``.

        Args:
            count: The number of recorded requests to wait for.
        """
        if len(self.requests) >= count:
            return
        arrived: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((count, arrived))
        await arrived

    def _count_connection(self, request: web.Request) -> None:
        """Count the connection a request came over, once, by the client's address.

        A keep-alive connection carries many requests from one address and port, and no
        two open connections share both, so new addresses are new connections.
        """
        transport = request.transport
        peer = transport.get_extra_info("peername") if transport is not None else None
        key = tuple(peer) if isinstance(peer, tuple | list) else (peer,)
        peers = self._peers
        # At least one: with max_records=0 a keep-alive connection still counts once.
        limit = None if self._max_records is None else max(self._max_records, 1)
        if key in peers:
            if limit is not None:
                # Most recently used last: the oldest idle peers are the ones forgotten.
                del peers[key]
                peers[key] = None
            return
        peers[key] = None
        self._connections += 1
        if limit is not None and len(peers) > limit:
            del peers[next(iter(peers))]

    # -- calls -----------------------------------------------------------------------

    def add_incoming_call(
        self, *, call_id: str | None = None, sip_headers: SipHeaders | None = None
    ) -> str:
        """Make an incoming SIP call ring, ready to be accepted, rejected or hung up.

        The real service announces such a call with a ``realtime.call.incoming`` webhook;
        here the test names it and then drives it through the client.

        Args:
            call_id: The call's id; a fresh ``rtc_...`` one by default.
            sip_headers: The SIP headers of its INVITE (``From``, ``To``, ...), as a
                mapping or ``(name, value)`` pairs, as `realtime_call_incoming_event` takes.

        Returns:
            The call id.

        Raises:
            TypeError: `sip_headers` is neither a mapping nor pairs of str.
        """
        call_id = call_id or calls.new_call_id()
        pairs = sip_header_pairs(sip_headers or {})
        headers = [{"name": name, "value": value} for name, value in pairs]
        self._add_call(
            FakeCall(call_id=call_id, kind="sip", state=calls.RINGING, sip_headers=headers)
        )
        return call_id

    def _add_call(self, call: FakeCall) -> None:
        """Know one more call, forgetting the oldest ones beyond ``max_records``."""
        known = self.calls
        known.pop(call.call_id, None)  # a call added again under its id counts as the newest
        known[call.call_id] = call
        limit = self._max_records
        while limit is not None and len(known) > limit:
            del known[next(iter(known))]  # dicts keep insertion order: the oldest first

    async def _ring(self, request: web.Request) -> Answer:
        """``POST /_fake/calls``: `add_incoming_call` for a fake in another process.

        The body is empty or a JSON object with an optional ``call_id`` (a string) and
        ``sip_headers`` (an object of strings, or a list of ``[name, value]`` pairs, as
        `add_incoming_call` takes); the answer is ``{"call_id": ...}``.
        """
        raw = await request.read()
        try:
            options = json.loads(raw) if raw.strip() else {}
        except (ValueError, RecursionError):  # not JSON, or nested past the parser's stack
            options = None
        call_id = options.get("call_id") if isinstance(options, dict) else None
        headers = options.get("sip_headers") if isinstance(options, dict) else None
        pairs: list[tuple[str, str]] | None = None
        with contextlib.suppress(TypeError):
            pairs = None if headers is None else sip_header_pairs(headers)
        if (
            not isinstance(options, dict)
            or not isinstance(call_id, str | None)
            or (headers is not None and pairs is None)
        ):
            message = (
                'Expected {"call_id": "rtc_...", "sip_headers": {"From": "..."}}, both optional '
                '(sip_headers may also be [["From", "..."], ...]).'
            )
            return Answer(HTTPStatus.BAD_REQUEST, error_payload(message))
        ringing = self.add_incoming_call(call_id=call_id, sip_headers=pairs)
        return Answer(HTTPStatus.CREATED, {"call_id": ringing})

    # -- fault scripting -------------------------------------------------------------

    def fail_next(
        self,
        n: int = 1,
        status: int = 503,
        *,
        retry_after: float | str | None = None,
        retry_after_ms: float | str | None = None,
        body: Mapping[str, Any] | bytes | None = None,
        headers: Mapping[str, str] | None = None,
        should_retry: bool | None = None,
        path: str | None = None,
    ) -> None:
        """Answer the next ``n`` requests with an error status instead of the real answer.

        Args:
            n: How many requests the fault applies to.
            status: The HTTP status to send.
            retry_after: Value of the ``retry-after`` header, if any.
            retry_after_ms: Value of the ``retry-after-ms`` header, if any.
            body: The body (a mapping is sent as JSON); an OpenAI-style error by default.
            headers: Extra response headers.
            should_retry: Sets ``x-should-retry: true``/``false`` when given.
            path: Only requests to this endpoint (``/realtime/sessions``) take the entries.
        """
        extra = dict(headers or {})
        if retry_after is not None:
            extra["retry-after"] = str(retry_after)
        if retry_after_ms is not None:
            extra["retry-after-ms"] = str(retry_after_ms)
        if should_retry is not None:
            extra["x-should-retry"] = "true" if should_retry else "false"
        payload = Answer(status, body if body is not None else status_payload(status)).body()
        fault = Fault(
            kind=FaultKind.STATUS,
            status=status,
            body=payload,
            headers=extra,
            path=_normalise_path(path),
        )
        self._faults.add(fault, n)

    def delay_next(self, n: int, seconds: float, *, path: str | None = None) -> None:
        """Hold the next ``n`` answers for ``seconds`` before sending any header.

        Closing the fake ends a pending delay at once.
        """
        self._faults.add(
            Fault(kind=FaultKind.DELAY, seconds=seconds, path=_normalise_path(path)), n
        )

    def slow_body_next(
        self, n: int, seconds: float, *, chunks: int = 8, path: str | None = None
    ) -> None:
        """Send the next ``n`` answers' headers at once, then their body over ``seconds``.

        Args:
            n: How many requests the fault applies to.
            seconds: Total time the body takes, spread evenly between pieces.
            chunks: How many pieces the body is cut into.
            path: Only requests to this endpoint take the entries.
        """
        if chunks < 1:
            msg = f"chunks must be >= 1, got {chunks}"
            raise ValueError(msg)
        fault = Fault(
            kind=FaultKind.SLOW_BODY, seconds=seconds, chunks=chunks, path=_normalise_path(path)
        )
        self._faults.add(fault, n)

    def drop_next(self, n: int = 1, *, path: str | None = None) -> None:
        """Abort the connection of the next ``n`` requests without answering."""
        self._faults.add(Fault(kind=FaultKind.DROP, path=_normalise_path(path)), n)

    def malformed_json_next(
        self, n: int = 1, *, body: bytes | None = None, path: str | None = None
    ) -> None:
        """Answer the next ``n`` requests with 200, a JSON content type and broken JSON."""
        fault = Fault(kind=FaultKind.MALFORMED, body=body, path=_normalise_path(path))
        self._faults.add(fault, n)

    def set_chaos(
        self,
        seed: int | None,
        rates: Mapping[str, float] | None = None,
        *,
        delay_seconds: float = 5.0,
        slow_body_seconds: float = 5.0,
        retry_after: str | None = "1",
        retry_after_ms: str | None = "20",
    ) -> None:
        """Give each request without a scripted fault a seeded chance of a random one.

        Args:
            seed: Seed of the generator; None turns chaos off.
            rates: Probability per kind (``server_error``, ``rate_limit``, ``drop``,
                ``delay``, ``slow_body``, ``malformed``); `DEFAULT_CHAOS_RATES` by default.
            delay_seconds: How long a ``delay`` fault holds the headers back.
            slow_body_seconds: How long a ``slow_body`` fault takes to send the body.
            retry_after: ``retry-after`` value sent with a 429, or None for none.
            retry_after_ms: ``retry-after-ms`` value sent with a 429, or None for none.

        Raises:
            ValueError: An unknown kind, a negative rate, or rates adding up to more than 1.
        """
        if seed is None:
            self._chaos = None
            return
        settings = ChaosSettings(
            rates=dict(DEFAULT_CHAOS_RATES if rates is None else rates),
            delay_seconds=delay_seconds,
            slow_body_seconds=slow_body_seconds,
            retry_after=retry_after,
            retry_after_ms=retry_after_ms,
        )
        self._chaos = Chaos(seed, settings)

    def stats(self) -> dict[str, Any]:
        """Counters as a JSON-ready dict; also served at ``GET /_fake/stats``.

        Returns:
            ``requests`` (all received, stats calls excepted), ``connections``,
            ``minted_keys`` (count), ``fault_counts`` (by label) and ``pending_faults``.
        """
        return {
            "requests": self._received,
            "connections": self._connections,
            "minted_keys": self._minted,
            "fault_counts": dict(self.fault_counts),
            "pending_faults": len(self._faults),
        }

    @property
    def pending_faults(self) -> int:
        """How many scripted fault entries are still waiting for a request."""
        return len(self._faults)

    def clear_faults(self) -> None:
        """Drop every scripted fault that has not been used yet (chaos stays as set)."""
        self._faults.clear()

    # -- request handling ------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        request_id = f"req_{secrets.token_hex(16)}"
        if request.path == STATS_PATH and request.method == "GET":
            # Introspection, not traffic: never recorded, counted or faulted.
            return self._send(Answer(HTTPStatus.OK, self.stats()), request_id)
        if request.path == RING_PATH and request.method == "POST":
            # Test control, not traffic: like the stats, never recorded, counted or faulted.
            return self._send(await self._ring(request), request_id)
        self._count_connection(request)
        self._received += 1
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            incoming = _Incoming(request, b"", None, parse_error=True, request_id=request_id)
            message = f"The request body is larger than {self._max_body_size} bytes."
            answer = Answer(413, error_payload(message, code="request_too_large"))
            self._record(incoming, answer.status, None)
            return self._send(answer, request_id)
        parsed, parse_error = parse_body(raw)
        incoming = _Incoming(request, raw, parsed, parse_error=parse_error, request_id=request_id)
        if request.content_type == _MULTIPART:
            try:
                incoming.form = await read_form(request, raw)
            except OfferError as exc:
                incoming.form_error = exc
        fault = self._faults.take(self._route(request.path).removeprefix(API_PREFIX))
        if fault is None and self._chaos is not None:
            fault = self._chaos.draw()
        if fault is None:
            answer = self._answer(incoming)
            self._record(incoming, answer.status, None)
            return self._send(answer, request_id)
        self.fault_counts[fault.label] += 1
        return await self._apply(fault, incoming)

    async def _apply(self, fault: Fault, incoming: _Incoming) -> web.StreamResponse:
        label = fault.label
        request_id = incoming.request_id
        if fault.kind is FaultKind.STATUS:
            payload = fault.body if fault.body is not None else status_payload(fault.status)
            answer = Answer(fault.status, payload, fault.headers)
            self._record(incoming, fault.status, label)
            return self._send(answer, request_id)
        if fault.kind is FaultKind.DROP:
            self._record(incoming, None, label)
            transport = incoming.request.transport
            if transport is not None:
                transport.abort()
            return web.Response(status=HTTPStatus.NO_CONTENT)
        if fault.kind is FaultKind.MALFORMED:
            answer = Answer(HTTPStatus.OK, fault.body or _MALFORMED_BODY)
            self._record(incoming, HTTPStatus.OK, label)
            return self._send(answer, request_id)
        answer = self._answer(incoming)
        self._record(incoming, answer.status, label)
        if fault.kind is FaultKind.DELAY:
            await self._pause(fault.seconds)
            return self._send(answer, request_id)
        return await self._trickle(incoming.request, answer, request_id, fault)

    async def _trickle(
        self, request: web.Request, answer: Answer, request_id: str, fault: Fault
    ) -> web.StreamResponse:
        body = answer.body()
        response = web.StreamResponse(
            status=answer.status, headers=self._headers(request_id, answer)
        )
        response.content_length = len(body)
        step = -(-len(body) // fault.chunks) or 1
        pause = fault.seconds / fault.chunks
        try:
            await response.prepare(request)
            for start in range(0, len(body), step):
                await self._pause(pause)
                await response.write(body[start : start + step])
            await response.write_eof()
        except ConnectionError:
            # The client gave up on the slow body; nothing is left to send.
            pass
        return response

    async def _pause(self, seconds: float) -> None:
        if seconds <= 0 or self._closing.is_set():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    def _record(self, incoming: _Incoming, status: int | None, fault: str | None) -> None:
        request = incoming.request
        self._keep(
            self.requests,
            RecordedRequest(
                method=request.method,
                path=request.path,
                headers=CIMultiDictProxy(CIMultiDict(request.headers)),
                body=incoming.raw,
                json=incoming.parsed,
                status=status,
                fault=fault,
                request_id=incoming.request_id,
                query=request.rel_url.raw_query_string,
                form=incoming.form,
            ),
        )
        if self._waiters:
            seen = len(self.requests)
            waiting = []
            for count, arrived in self._waiters:
                if arrived.done():
                    continue
                if seen >= count:
                    arrived.set_result(None)
                else:
                    waiting.append((count, arrived))
            self._waiters = waiting

    def _keep(self, records: list[_T], item: _T) -> None:
        """Append to a record list, dropping the oldest entries beyond ``max_records``."""
        limit = self._max_records
        records.append(item)
        if limit is None:
            return
        if len(records) > limit:
            del records[: len(records) - limit]

    @staticmethod
    def _headers(request_id: str, answer: Answer) -> dict[str, str]:
        headers = {"x-request-id": request_id}
        if answer.payload != b"":  # an empty answer has no content to name a type for
            headers["content-type"] = "application/json"
        if answer.headers:
            headers.update(answer.headers)
        return headers

    def _send(self, answer: Answer, request_id: str) -> web.Response:
        return web.Response(
            status=answer.status, body=answer.body(), headers=self._headers(request_id, answer)
        )

    def _answer(self, incoming: _Incoming) -> Answer:  # noqa: PLR0911 - one return per gate
        """Decide the normal answer: routing, auth, the body, the call, then success."""
        request = incoming.request
        found = route(self._route(request.rel_url.raw_path)) if request.method == "POST" else None
        if found is None:
            message = f"Invalid URL ({request.method} {request.path})"
            return Answer(HTTPStatus.NOT_FOUND, error_payload(message))
        op, call_id = found
        if op.body is ops.Body.OFFER:
            return self._answer_offer(incoming)
        denied = self._check_azure(request) if self._azure else self._check_auth(request)
        if denied is not None:
            return denied
        if self.retired_beta_endpoints and op.retired:
            message = (
                "This beta Realtime endpoint is no longer served for the GA API shape; "
                "mint a client secret with POST /v1/realtime/client_secrets instead."
            )
            return Answer(
                self.retired_status, error_payload(message, code="beta_api_shape_disabled")
            )
        call = None
        if call_id is not None:
            call = self.calls.get(call_id)
            if call is None:
                message = f"No call with id '{call_id}' was found."
                return Answer(HTTPStatus.NOT_FOUND, error_payload(message, code="call_not_found"))
        refused = self._check_json(incoming, op)
        if refused is not None:
            return refused
        body = incoming.parsed if isinstance(incoming.parsed, dict) else None
        if call is not None:
            return self._change_call(call, op, body)
        assert body is not None  # a JSON operation's body was checked to be an object
        return Answer(HTTPStatus.OK, self._success(op, body))

    def _check_json(self, incoming: _Incoming, op: ops.Operation[Any, Any]) -> Answer | None:  # noqa: PLR0911 - one return per gate
        """Refuse a body that is not a JSON object fitting the operation's schema."""
        if op.request_schema is None:
            return None  # hang up: no body is defined, whatever came is not read
        if op is ops.REJECT_CALL and not incoming.raw:
            return None  # the spec makes the reject body optional
        if incoming.request.content_type != "application/json":
            message = "Send the request body as JSON with 'Content-Type: application/json'."
            return Answer(
                HTTPStatus.BAD_REQUEST, error_payload(message, code="invalid_content_type")
            )
        if incoming.parse_error:
            message = "The request body could not be parsed as JSON."
            return Answer(HTTPStatus.BAD_REQUEST, error_payload(message, code="invalid_json"))
        if not isinstance(incoming.parsed, dict):
            message = "The request body must be a JSON object."
            return Answer(HTTPStatus.BAD_REQUEST, error_payload(message, code="invalid_type"))
        try:
            validate(
                op.request_schema,
                incoming.parsed,
                reject_unknown_fields=self.reject_unknown_fields,
            )
        except SchemaViolation as exc:
            payload = error_payload(exc.message, param=exc.param, code=exc.code)
            return Answer(HTTPStatus.BAD_REQUEST, payload)
        except RecursionError:
            message = "The request body is nested too deeply."
            return Answer(HTTPStatus.BAD_REQUEST, error_payload(message, code="invalid_json"))
        return None

    def _route(self, path: str) -> str:
        """The OpenAI-form path (``/v1/realtime/...``) a request path stands for."""
        if not self._azure:
            return path
        if path.startswith(_AZURE_V1 + "/"):
            return API_PREFIX + path.removeprefix(_AZURE_V1)
        prefix, _, rest = path.partition(_AZURE_DEPLOYMENTS)
        name, slash, tail = rest.partition("/")
        if prefix == "" and name and slash:
            return f"{API_PREFIX}/{tail}"
        return path  # no endpoint: answered with a 404

    def _check_azure(self, request: web.Request) -> Answer | None:  # noqa: PLR0911 - one return per gate
        """Azure's gates: the deployment, the api-version, then the api-key or bearer token."""
        path = request.path
        version = request.query.get("api-version")
        if path.startswith(_AZURE_DEPLOYMENTS):
            name = path.removeprefix(_AZURE_DEPLOYMENTS).partition("/")[0]
            if self._azure_deployments is not None and name not in self._azure_deployments:
                message = f"The API deployment {name} does not exist."
                return Answer(
                    HTTPStatus.NOT_FOUND, error_payload(message, code="DeploymentNotFound")
                )
            if version is None:
                message = "Missing required query parameter: api-version."
                return Answer(
                    HTTPStatus.BAD_REQUEST, error_payload(message, code="missing_api_version")
                )
        if version is not None and self._azure_api_version not in {None, version}:
            message = f"API version {version} is not supported."
            return Answer(
                HTTPStatus.BAD_REQUEST, error_payload(message, code="unsupported_api_version")
            )
        key = request.headers.get("api-key", "").strip()
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        token = token.strip()
        if key:
            if self._api_key is not None and not hmac.compare_digest(
                key.encode(), self._api_key.encode()
            ):
                message = "Access denied due to invalid subscription key."
                return Answer(HTTPStatus.UNAUTHORIZED, error_payload(message, code="401"))
            return None
        if scheme.lower() == "bearer" and token:
            if self._azure_ad_tokens is not None and token not in self._azure_ad_tokens:
                message = "The bearer token is not one this resource accepts."
                return Answer(HTTPStatus.UNAUTHORIZED, error_payload(message, code="invalid_token"))
            return None
        message = (
            "Missing credentials: send an 'api-key' header or 'Authorization: Bearer <token>'."
        )
        return Answer(HTTPStatus.UNAUTHORIZED, error_payload(message, code="401"))

    def _answer_offer(self, incoming: _Incoming) -> Answer:
        """POST /realtime/calls: a form under the API key, or bare SDP under an ephemeral key."""
        request = incoming.request
        try:
            if request.content_type == _MULTIPART:
                denied = self._check_auth(request)
                if denied is not None:
                    return denied
                if incoming.form_error is not None:
                    raise incoming.form_error
                offer = check_form(
                    incoming.form or {}, reject_unknown_fields=self.reject_unknown_fields
                )
                session = offer.session
            elif request.content_type == _SDP:
                denied = self._check_ephemeral_key(request)
                if denied is not None:
                    return denied
                check_sdp(incoming.raw.decode("utf-8", "replace"))
                session = None
            else:
                message = (
                    "Send the offer as 'multipart/form-data' (with an API key) or as "
                    "'application/sdp' (with an ephemeral key)."
                )
                raise OfferError(message, "invalid_content_type")  # noqa: TRY301 - one refusal path
        except OfferError as exc:
            payload = error_payload(exc.message, param=exc.param, code=exc.code)
            return Answer(HTTPStatus.BAD_REQUEST, payload)
        call_id = calls.new_call_id()
        self._add_call(
            FakeCall(call_id=call_id, kind="webrtc", state=calls.ACTIVE, session=session)
        )
        headers = {"content-type": _SDP, "location": f"{API_PREFIX}/realtime/calls/{call_id}"}
        return Answer(HTTPStatus.CREATED, calls.sdp_answer().encode(), headers)

    def _change_call(
        self, call: FakeCall, op: ops.Operation[Any, Any], body: dict[str, Any] | None
    ) -> Answer:
        """Accept, refer, reject or hang up a known call, if its state allows it."""
        why_not = calls.conflict(call, op.method)
        if why_not is not None:
            return Answer(HTTPStatus.CONFLICT, error_payload(why_not, code="call_state_conflict"))
        calls.apply(call, op.method, body)
        if call.state == calls.ENDED:
            self.realtime.call_ended(call.call_id)
        return Answer(HTTPStatus.OK, b"")

    def _check_auth(self, request: web.Request, *, any_token: bool = False) -> Answer | None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            message = "No API key was sent; pass it as 'Authorization: Bearer <key>'."
            return Answer(HTTPStatus.UNAUTHORIZED, error_payload(message))
        if (
            not any_token
            and self._api_key is not None
            and not hmac.compare_digest(token.encode(), self._api_key.encode())
        ):
            message = "The API key sent is not the one this server accepts."
            return Answer(HTTPStatus.UNAUTHORIZED, error_payload(message, code="invalid_api_key"))
        return None

    def _check_socket_auth(self, request: web.Request) -> Answer | None:
        """A WebSocket handshake: the REST routes' auth, or an ephemeral key this fake minted."""
        token = request.headers.get("Authorization", "").partition(" ")[2].strip()
        if token.startswith("ek_") and token in self.minted_keys:
            return None
        if self._azure:
            return self._check_azure(request)
        return self._check_auth(request)

    def _check_ephemeral_key(self, request: web.Request) -> Answer | None:
        """A bare SDP offer must come with an ephemeral key (``ek_...``), not the API key."""
        denied = self._check_auth(request, any_token=True)
        if denied is not None:
            return denied
        token = request.headers["Authorization"].partition(" ")[2].strip()
        if not token.startswith("ek_"):
            message = (
                "An 'application/sdp' offer is authenticated with an ephemeral key (ek_...); "
                "with an API key, send a 'multipart/form-data' offer."
            )
            return Answer(HTTPStatus.UNAUTHORIZED, error_payload(message, code="invalid_api_key"))
        return None

    def _success(self, op: ops.Operation[Any, Any], body: dict[str, Any]) -> dict[str, Any]:
        key = answers.new_key()
        self._minted += 1
        self._keep(self.minted_keys, key)
        now = int(self._clock())
        if op is ops.CLIENT_SECRETS:
            return answers.client_secret(
                body, key=key, now=now, default_ttl=self._client_secret_ttl
            )
        if op is ops.TRANSLATION_CLIENT_SECRETS:
            return answers.translation_client_secret(
                body, key=key, now=now, default_ttl=self._client_secret_ttl
            )
        if op is ops.SESSIONS:
            return answers.beta_session(body, key=key, now=now, ttl=self._session_ttl)
        return answers.beta_transcription_session(body, key=key, now=now, ttl=self._session_ttl)
