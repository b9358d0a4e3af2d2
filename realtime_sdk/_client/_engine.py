"""The attempt engine: a call's attempts inside one retry loop with one deadline, then its reading.

`RealtimeClient` takes this class as its base. `_send` is the loop every call goes
through once its request was checked and encoded: each attempt is a pool place, then one
coroutine (`_http._transport.post`: the POST, the whole answer read, every aiohttp failure
mapped to our errors), and the 2xx answer is read by the pure functions of `_answers`.
The features a call may not use (per-call options, a key provider, rate limits, the
``on_attempt`` hook, tracing, debug logging) are each one test of an attribute when off,
so a plain call pays for none of them. An attempt's record (`Attempt`) is made only when
the hook or a span watches, and the request id is masked once, when something reads it
(`Reply.request_id`).
"""

import asyncio
import logging
import time
from typing import Any, Final

from yarl import URL

from realtime_sdk._client import _answers
from realtime_sdk._client._attempts import Attempt, AttemptHook
from realtime_sdk._client._auth import APIKeyProvider, Auth, provide_key
from realtime_sdk._client._config import ClientConfig
from realtime_sdk._client._options import CallOptions
from realtime_sdk._client._otel import CallSpan
from realtime_sdk._client._pool import Pool
from realtime_sdk._client._ratelimit import RateLimitMode
from realtime_sdk._client._retry import should_retry_call_change, should_retry_status
from realtime_sdk._http import _transport
from realtime_sdk._http._headers import HiddenHeaders
from realtime_sdk._http._proxy import Proxy
from realtime_sdk._http._scrub import Scrubber
from realtime_sdk._spec.operations import Answer, Operation, Retries
from realtime_sdk.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    ClientRateLimitError,
)

_log: Final = logging.getLogger("realtime_sdk")

# The one pause between attempts; a module attribute so tests can record the delays asked
# for instead of waiting them out.
_sleep = asyncio.sleep
# The clock the rate limiter reads, beside `_sleep` so tests can move both together.
_now = time.monotonic

# The least time limit handed to aiohttp, which reads 0 as "no limit".
_MIN_LIMIT: Final = 0.001
# The success range of HTTP statuses.
_OK_FROM: Final = 200
_OK_TO: Final = 300
# `Reply.request_id` before anything asked for it.
_UNREAD: Final[Any] = object()


class Reply:
    """A call's 2xx answer, how many attempts it took, and when the call started.

    The request id is masked (a server may echo a key there) on first read and kept: the
    hook, a span, a debug line and `APIResponse` all read the same masked text, and a
    call nothing watches never masks it.
    """

    __slots__ = ("_request_id", "_scrubber", "attempts", "raw", "started")

    def __init__(
        self, raw: _transport.RawResponse, attempts: int, started: float, scrubber: Scrubber
    ) -> None:
        self.raw = raw
        self.attempts = attempts
        self.started = started
        self._scrubber = scrubber
        self._request_id: str | None = _UNREAD

    @property
    def request_id(self) -> str | None:
        """The answer's ``x-request-id``, masked; None when there was none."""
        if self._request_id is _UNREAD:
            self._request_id = self._scrubber.optional(self.raw.request_id)
        return self._request_id


def may_retry_failure(endpoint: Operation[Any, Any], failure: APIConnectionError) -> bool:
    """Whether a failed attempt without an answer may be repeated under the endpoint's rule.

    A body that broke off or stalled after a 2xx status line never is: the service acted
    (minted a key, opened a call), and a repeat would do it twice.
    """
    status = failure.status_code
    if status is not None and _OK_FROM <= status < _OK_TO:
        return False
    return endpoint.retries is Retries.TRANSIENT or not failure.maybe_sent


def may_retry_status(
    endpoint: Operation[Any, Any], raw: _transport.RawResponse, code: str | None
) -> bool:
    """Whether an error answer may be repeated under the endpoint's rule."""
    if endpoint.retries is Retries.TRANSIENT:
        return should_retry_status(raw.status, raw.headers, code)
    return should_retry_call_change(raw.status, raw.headers, code)


class AttemptEngine:
    """The attempt path of `RealtimeClient`; every attribute is set by its ``_set_up``."""

    _config: ClientConfig
    _auth: Auth
    _pool: Pool
    _proxy: Proxy | None
    _closed: bool
    _key_provider: APIKeyProvider | None
    _rate_limit: RateLimitMode | None
    _on_attempt: AttemptHook | None
    _tracer: Any  # an OpenTelemetry tracer, when tracing: an optional dependency's type
    _scrubber: Scrubber
    _default_timeouts: _transport.ClientTimeout

    async def _send(  # noqa: C901, PLR0912, PLR0915 - the attempt loop reads best in one piece
        self,
        session: _transport.ClientSession,
        endpoint: Operation[Any, Any],
        url: URL,
        body: bytes,
        headers: HiddenHeaders | None,
        *,
        model: type[Any],
        options: CallOptions | None,
        own_credential: bool = False,
    ) -> tuple[Any, Reply]:
        """A call's attempts, with the pauses between them, up to a 2xx answer, then its reading.

        Each attempt is a pool place, then one POST (`_http._transport.post`), both within
        the attempt's limit and the call's deadline. Which failures are retried is the
        endpoint's rule (`Retries`); ``options`` changes the body, URL,
        headers, attempt limit and retry count for this call only. With tracing on, the
        call is one span, told of each attempt as the ``on_attempt`` hook is.
        ``own_credential``: the headers carry the call's own key, so no provider is asked.

        Returns:
            What the answer holds (``model`` read from its JSON, a `RealtimeCallAnswer`,
            or None for an empty answer) and the `Reply`.
        """
        span = None if self._tracer is None else self._start_span(endpoint)
        try:
            config = self._config
            attempt_limit = config.timeout
            max_retries = config.retry.max_retries
            if options is not None:
                body, url, _, attempt_limit, max_retries = options.apply(
                    body, url, None, attempt_limit, max_retries
                )
                if options.headers:
                    # Merged here rather than by `apply`, so they stay hidden (see `_headers`).
                    extra = options.headers
                    headers = HiddenHeaders(extra) if headers is None else headers.merged(extra)
            watched = self._on_attempt is not None or span is not None
            provider = None if own_credential else self._key_provider
            pool = self._pool
            places = pool.places
            total = config.total_timeout
            started = time.monotonic()
            deadline = None if total is None else started + total
            retries = 0
            while True:
                limit = attempt_limit
                if deadline is not None:
                    limit = max(min(limit, deadline - time.monotonic()), _MIN_LIMIT)
                if self._rate_limit is not None:
                    # Before queueing for a pool place; checked again once it has one.
                    limit = await self._hold_for_rate_limit(url, limit, deadline)
                attempt_started = time.monotonic()
                closed: ClientClosedError | None = None
                try:
                    sent = headers
                    if provider is not None:
                        sent, limit = await self._with_provided_key(headers, limit)
                    # The attempt: a pool place (a free one is taken without suspending)...
                    if not places.take():
                        limit = await self._wait_for_place(limit)
                    try:
                        if self._closed or pool.closed:
                            raise self._closed_during_call()
                        if self._rate_limit is not None:
                            # While this call queued, an answer may have said none are left.
                            limit = await self._hold_for_rate_limit(url, limit, deadline)
                        # ...then one POST, read whole, its failures mapped to our errors.
                        raw = await _transport.post(
                            session,
                            url,
                            body,
                            sent,
                            timeouts=self._default_timeouts
                            if limit == config.timeout
                            else _transport.attempt_timeout(limit, config.connect_timeout),
                            max_body=config.max_response_bytes,
                            proxy=self._proxy,
                            scrub=self._scrubber.text,
                        )
                        if self._rate_limit is not None:
                            # Noted before the place is given up: the next call in line sees it.
                            pool.limiter.note(raw.headers, _now())
                    finally:
                        places.give_back()
                except ClientClosedError:
                    closed = self._closed_during_call()
                except APIConnectionError as exc:
                    if self._closed or pool.closed or session.closed:
                        # The pool went away under the call: a drop is not the server's doing.
                        closed = self._closed_during_call()
                    else:
                        _log.debug(
                            "POST %s failed: %s attempt=%d elapsed_ms=%.1f",
                            url.path,
                            type(exc).__name__,
                            retries + 1,
                            (time.monotonic() - attempt_started) * 1000.0,
                        )
                        failure: APIConnectionError | APIStatusError = exc
                        delay: float | None = None
                        if retries < max_retries and may_retry_failure(endpoint, exc):
                            delay = config.retry.delay(retries)
                else:
                    if _OK_FROM <= raw.status < _OK_TO:
                        reply = Reply(raw, retries + 1, started, self._scrubber)
                        if _log.isEnabledFor(logging.DEBUG):  # even building the arguments costs
                            self._log_answer(
                                url, raw.status, reply.request_id, retries, attempt_started
                            )
                        if watched:
                            self._watch(
                                Attempt(
                                    operation=endpoint.method,
                                    number=retries + 1,
                                    max_retries=max_retries,
                                    elapsed=time.monotonic() - attempt_started,
                                    answered=True,
                                    status_code=raw.status,
                                    request_id=reply.request_id,
                                ),
                                span,
                            )
                        break
                    failure = _answers.status_error(
                        raw,
                        endpoint,
                        url,
                        self._scrubber,
                        base_url=config.base_url,
                        version_in_query=bool(config.auth.query),
                    )
                    if _log.isEnabledFor(logging.DEBUG):
                        self._log_answer(
                            url, raw.status, failure.request_id, retries, attempt_started
                        )
                    delay = None
                    if retries < max_retries and may_retry_status(endpoint, raw, failure.code):
                        delay = config.retry.delay(retries, raw.headers)
                if closed is not None:
                    # Raised outside the except blocks: nothing of aiohttp's becomes its context.
                    raise closed  # noqa: TRY301 - the span's except sees every ending
                if (
                    delay is not None
                    and deadline is not None
                    and time.monotonic() + delay >= deadline
                ):
                    # The pause alone would overrun the overall limit: report the last failure.
                    delay = None
                if watched:
                    self._watch(
                        Attempt(
                            operation=endpoint.method,
                            number=retries + 1,
                            max_retries=max_retries,
                            elapsed=time.monotonic() - attempt_started,
                            answered=not isinstance(failure, APIConnectionError),
                            status_code=failure.status_code,
                            request_id=failure.request_id,  # masked when the error was made
                            error=type(failure).__name__,
                            retry_in=delay,
                        ),
                        span,
                    )
                if delay is None:
                    raise failure  # noqa: TRY301 - the span's except sees every ending
                retries += 1
                await self._pause(url, delay, retries, max_retries, failure)
            answer = endpoint.answer
            if answer is Answer.JSON:
                data = _answers.decode(raw, model, url, self._scrubber, config.max_response_bytes)
            elif answer is Answer.SDP:
                data = _answers.read_call_answer(
                    raw, url, self._scrubber, config.max_response_bytes
                )
            else:  # an empty answer: the status is the answer, a body is not read
                data = None
        except BaseException as exc:
            if span is not None:
                span.end(exc)
            raise
        if span is not None:
            span.end(None)
        return data, reply

    def _start_span(self, endpoint: Operation[Any, Any]) -> CallSpan:
        """The call's span (its path keeps any ``{call_id}``, so spans group by operation)."""
        url = self._make_url(self._config.base_url, endpoint.path)
        return CallSpan(self._tracer, sdk_method=endpoint.method, url=url)

    def _make_url(self, base_url: str, path: str) -> URL:
        """The URL of a path under a base URL, with the query every request carries."""
        url = _transport.make_url(base_url, path)
        query = self._auth.query  # Azure's api-version
        return url.update_query(query) if query else url

    def _watch(self, attempt: Attempt, span: CallSpan | None) -> None:
        """Hand one attempt's record to the span and the ``on_attempt`` hook."""
        if span is not None:
            span.attempt(attempt)
        if self._on_attempt is not None:
            self._on_attempt(attempt)

    async def _wait_for_place(self, limit: float) -> float:
        """Queue for a pool place (first come, first served); returns the time left."""
        started = time.monotonic()
        try:
            async with asyncio.timeout(limit):
                await self._pool.places.wait()
        except TimeoutError as exc:
            msg = (
                f"timed out after {limit:g}s waiting for a free connection "
                f"(all {self._config.max_connections} in use)"
            )
            raise APITimeoutError(msg, maybe_sent=False) from exc
        # aiohttp reads a limit of 0 as "none": keep a sliver.
        return max(limit - (time.monotonic() - started), _MIN_LIMIT)

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

    @staticmethod
    def _log_answer(
        url: URL, status: int, request_id: str | None, retries: int, attempt_started: float
    ) -> None:
        _log.debug(
            "POST %s -> %d request_id=%s attempt=%d elapsed_ms=%.1f",
            url.path,
            status,
            request_id,
            retries + 1,
            (time.monotonic() - attempt_started) * 1000.0,
        )

    def _closed_during_call(self) -> ClientClosedError:
        if self._closed or self._pool.closed:
            return ClientClosedError("this RealtimeClient was closed while the call was under way")
        return ClientClosedError(
            "the aiohttp session given to this RealtimeClient was closed by its owner "
            "while the call was under way"
        )


__all__ = ["AttemptEngine", "Reply", "may_retry_failure", "may_retry_status"]
