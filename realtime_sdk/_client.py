"""RealtimeClient: the async client for the Realtime REST API: ephemeral keys, WebRTC and SIP calls."""

import asyncio
import contextlib
import json
import logging
import re
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Final, Self, TypeVar

from yarl import URL

from realtime_sdk import _transport
from realtime_sdk._calls import (
    RealtimeCallAnswer,
    call_id_from_location,
    call_id_segment,
    encode_offer,
)
from realtime_sdk._config import check_seconds, checked_headers, resolve_config
from realtime_sdk._converter import ResponseDecodeError, dumps_request, loads_response
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
from realtime_sdk._operations import Body, Retries
from realtime_sdk._result import APIResponse
from realtime_sdk._retry import should_retry_call_change, should_retry_status
from realtime_sdk._scrub import Scrubber
from realtime_sdk._secret import Secret
from realtime_sdk._transport import ClientSession
from realtime_sdk._unset import UNSET, Unset
from realtime_sdk.errors import (
    BODY_EXCERPT_LIMIT,
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    EventLoopMismatchError,
    FieldError,
    status_error_class,
)
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

Req = TypeVar("Req")
Resp = TypeVar("Resp")


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


def _may_retry_failure(endpoint: Endpoint[Any, Any], failure: APIConnectionError) -> bool:
    """Whether a failed attempt without an answer may be repeated under the endpoint's rule."""
    return endpoint.operation.retries is Retries.TRANSIENT or not failure.maybe_sent


def _may_retry_status(
    endpoint: Endpoint[Any, Any], raw: _transport.RawResponse, code: str | None
) -> bool:
    """Whether an error answer may be repeated under the endpoint's rule."""
    if endpoint.operation.retries is Retries.TRANSIENT:
        return should_retry_status(raw.status, raw.headers, code)
    return should_retry_call_change(raw.status, raw.headers, code)


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

    def __init__(
        self,
        api_key: str | Secret | None = None,
        *,
        base_url: str | None = None,
        organization: str | None = None,
        project: str | None = None,
        timeout: float = 60.0,
        connect_timeout: float = 10.0,
        total_timeout: float | None = None,
        max_retries: int = 2,
        max_connections: int = 100,
        keepalive_timeout: float = 15.0,
        default_headers: Mapping[str, str] | None = None,
        proxy: str | None = None,
        env_proxies: bool = True,
        session: ClientSession | None = None,
    ) -> None:
        """Store the settings; no connection is made until the first call.

        Args:
            api_key: the OpenAI API key; defaults to the ``OPENAI_API_KEY`` environment
                variable.
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
            max_connections: the size of the connection pool.
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
                over its ``raise_for_status`` and ``auto_decompress``.

        Raises:
            ConfigurationError: no API key was found, or a setting is out of range; the
                message names the setting (never the key).
        """
        self._config = resolve_config(
            api_key=api_key,
            base_url=base_url,
            organization=organization,
            project=project,
            timeout=timeout,
            connect_timeout=connect_timeout,
            total_timeout=total_timeout,
            max_retries=max_retries,
            max_connections=max_connections,
            keepalive_timeout=keepalive_timeout,
            default_headers=default_headers,
            proxy=proxy,
            env_proxies=env_proxies,
        )
        self._session = session
        self._owns_session = session is None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self._headers = self._build_headers()
        # A caller's session keeps its own proxy settings unless a proxy is named here.
        self._proxy = self._config.proxy if self._owns_session or proxy is not None else None
        # The client's own session carries the headers as its defaults (see
        # `_transport.open_session`), except through a proxy: aiohttp copies a session's
        # default headers into what it sends the proxy (the CONNECT request included),
        # which would hand the proxy the API key. Then, as through a caller's session,
        # they travel with each request.
        shared = self._owns_session and self._proxy is None
        self._request_headers = None if shared else self._headers
        self._session_headers = self._headers if shared else {}
        if (
            self._proxy is not None
            and self._proxy.headers
            and not self._config.base_url.startswith("https:")
        ):
            # aiohttp puts proxy_headers on a CONNECT only; a plain-http request goes to the
            # proxy itself, so its credentials ride on the request.
            self._request_headers = {**self._headers, **self._proxy.headers}
        self._scrubber = Scrubber(self._config.api_key)
        self._urls = {
            endpoint.path: _transport.make_url(self._config.base_url, endpoint.path)
            for endpoint in ENDPOINTS
            if not endpoint.operation.call_scoped
        }
        # aiohttp's limits for an attempt with the default time limit, built once.
        self._default_timeouts = _transport.attempt_timeout(
            self._config.timeout, self._config.connect_timeout
        )
        # One pool place per connection, handed out first come, first served: aiohttp's
        # own pool lets a newcomer take a freed connection ahead of earlier waiters, which
        # can starve a waiting call under sustained load. (It binds to the loop of its
        # first wait, so creating it here is safe.)
        self._pool_places = asyncio.Semaphore(self._config.max_connections)
        # The converter makes each model's hooks on its first use: a process pays only for
        # the endpoints it calls, on their first call (a few ms), not when a client is built.

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<RealtimeClient base_url={self._config.base_url!r} {state}>"

    @property
    def base_url(self) -> str:
        """The API root every endpoint path is joined to (ends in ``/``)."""
        return self._config.base_url

    @property
    def is_closed(self) -> bool:
        """Whether `aclose` was called."""
        return self._closed

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
        session = self._session
        if session is not None and self._owns_session and self._loop is not None:
            running = asyncio.get_running_loop()
            if running is not self._loop and not self._loop.is_closed():
                msg = (
                    "this RealtimeClient was opened in another event loop; close it from that loop"
                )
                raise EventLoopMismatchError(msg)
        self._closed = True
        self._session = None
        if session is not None and self._owns_session:
            await session.close()

    async def create_realtime_client_secret(
        self,
        request: RealtimeCreateClientSecretRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        extra_headers: Mapping[str, str] | None = None,
    ) -> RealtimeCreateClientSecretResponse:
        """Mint an ephemeral key (``ek_...``) for a browser or app to open a Realtime session.

        ``POST /realtime/client_secrets``. The key is in the result's ``value`` and is
        masked in ``repr``/``str``; call ``.reveal()`` to hand it over.

        Args:
            request: the session settings and expiry, as a model or a plain dict (checked
                and converted before anything is sent).
            timeout: seconds for each attempt of this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.

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
        data, _, _, _ = await self._call(CLIENT_SECRETS, request, timeout, extra_headers)
        return data

    async def create_realtime_client_secret_with_response(
        self,
        request: RealtimeCreateClientSecretRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[RealtimeCreateClientSecretResponse]:
        """Like `create_realtime_client_secret`, with the call's status, headers and request id.

        Args:
            request: the session settings and expiry, as a model or a plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.

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
        return _with_response(await self._call(CLIENT_SECRETS, request, timeout, extra_headers))

    async def create_realtime_session(
        self,
        request: RealtimeSessionCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        extra_headers: Mapping[str, str] | None = None,
    ) -> RealtimeSessionCreateResponse:
        """Create a Realtime session and its ephemeral key (``POST /realtime/sessions``).

        The service has retired the beta shape of this endpoint; if it answers that way,
        the error says so and points to `create_realtime_client_secret`.

        Args:
            request: the session settings, as a model or a plain dict (checked and
                converted before anything is sent).
            timeout: seconds for each attempt of this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.

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
        data, _, _, _ = await self._call(SESSIONS, request, timeout, extra_headers)
        return data

    async def create_realtime_session_with_response(
        self,
        request: RealtimeSessionCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[RealtimeSessionCreateResponse]:
        """Like `create_realtime_session`, with the call's status, headers and request id.

        Args:
            request: the session settings, as a model or a plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.

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
        return _with_response(await self._call(SESSIONS, request, timeout, extra_headers))

    async def create_realtime_transcription_session(
        self,
        request: RealtimeTranscriptionSessionCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        extra_headers: Mapping[str, str] | None = None,
    ) -> RealtimeTranscriptionSessionCreateResponse:
        """Create a transcription session and its ephemeral key.

        ``POST /realtime/transcription_sessions``. The service has retired the beta shape
        of this endpoint; if it answers that way, the error says so and points to
        `create_realtime_client_secret`.

        Args:
            request: the transcription settings, as a model or a plain dict (checked and
                converted before anything is sent).
            timeout: seconds for each attempt of this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.

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
        data, _, _, _ = await self._call(TRANSCRIPTION_SESSIONS, request, timeout, extra_headers)
        return data

    async def create_realtime_transcription_session_with_response(
        self,
        request: RealtimeTranscriptionSessionCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[RealtimeTranscriptionSessionCreateResponse]:
        """Like `create_realtime_transcription_session`, with status, headers and request id.

        Args:
            request: the transcription settings, as a model or a plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.

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
        return _with_response(
            await self._call(TRANSCRIPTION_SESSIONS, request, timeout, extra_headers)
        )

    async def create_realtime_translation_client_secret(
        self,
        request: RealtimeTranslationClientSecretCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        extra_headers: Mapping[str, str] | None = None,
    ) -> RealtimeTranslationClientSecretCreateResponse:
        """Mint an ephemeral key (``ek_...``) for a Realtime translation session.

        ``POST /realtime/translations/client_secrets``. The key is in the result's
        ``value``, masked in ``repr``/``str``; call ``.reveal()`` to hand it over. Retried
        like `create_realtime_client_secret`.

        Args:
            request: the translation session (model, languages) and the key's expiry, as a
                model or a plain dict (checked and converted before anything is sent).
            timeout: seconds for each attempt of this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.

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
        data, _, _, _ = await self._call(
            TRANSLATION_CLIENT_SECRETS, request, timeout, extra_headers
        )
        return data

    async def create_realtime_translation_client_secret_with_response(
        self,
        request: RealtimeTranslationClientSecretCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[RealtimeTranslationClientSecretCreateResponse]:
        """Like `create_realtime_translation_client_secret`, with status, headers and request id.

        Args:
            request: the translation session and the key's expiry, as a model or a dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.

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
        return _with_response(
            await self._call(TRANSLATION_CLIENT_SECRETS, request, timeout, extra_headers)
        )

    async def create_realtime_call(
        self,
        request: RealtimeCallCreateRequest | Mapping[str, Any],
        *,
        client_secret: str | Secret | None = None,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        extra_headers: Mapping[str, str] | None = None,
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
            extra_headers: headers to add to (or override in) this call only.

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
        data, _, _, _ = await self._create_call(request, client_secret, timeout, extra_headers)
        return data

    async def create_realtime_call_with_response(
        self,
        request: RealtimeCallCreateRequest | Mapping[str, Any],
        *,
        client_secret: str | Secret | None = None,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[RealtimeCallAnswer]:
        """Like `create_realtime_call`, with the call's status, headers and request id.

        Args:
            request: ``sdp`` and, with the API key only, ``session``; a model or a dict.
            client_secret: an ephemeral key to authenticate this call with instead.
            timeout: seconds for each attempt of this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.

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
        return _with_response(
            await self._create_call(request, client_secret, timeout, extra_headers)
        )

    async def accept_realtime_call(
        self,
        call_id: str,
        request: RealtimeSessionCreateRequestGA | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        extra_headers: Mapping[str, str] | None = None,
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
            extra_headers: headers to add to (or override in) this call only.

        Raises:
            RequestValidationError: a bad ``call_id`` or a request that does not fit the
                schema (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see above for what was retried).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        await self._change_call(ACCEPT_CALL, call_id, request, timeout, extra_headers)

    async def refer_realtime_call(
        self,
        call_id: str,
        request: RealtimeCallReferRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        extra_headers: Mapping[str, str] | None = None,
    ) -> None:
        """Transfer a SIP call elsewhere (a SIP REFER to ``target_uri``).

        ``POST /realtime/calls/{call_id}/refer``. Retried only where the service cannot
        have acted (see `accept_realtime_call`): a repeated transfer could ring twice.

        Args:
            call_id: the call's id; checked and percent-encoded as one path segment.
            request: ``target_uri`` (``tel:+14155550123``, ``sip:...``), as a model or a
                plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.

        Raises:
            RequestValidationError: a bad ``call_id`` or request (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see `accept_realtime_call`).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        await self._change_call(REFER_CALL, call_id, request, timeout, extra_headers)

    async def reject_realtime_call(
        self,
        call_id: str,
        request: RealtimeCallRejectRequest | Mapping[str, Any] | None = None,
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        extra_headers: Mapping[str, str] | None = None,
    ) -> None:
        """Decline an incoming SIP call with a SIP status (the server's default is 603).

        ``POST /realtime/calls/{call_id}/reject``. Retried only where the service cannot
        have acted (see `accept_realtime_call`).

        Args:
            call_id: the call's id; checked and percent-encoded as one path segment.
            request: ``status_code`` (486 for busy, say), as a model or a plain dict; None
                sends ``{}``, leaving the status to the server.
            timeout: seconds for each attempt of this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.

        Raises:
            RequestValidationError: a bad ``call_id`` or request (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see `accept_realtime_call`).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        body = {} if request is None else request
        await self._change_call(REJECT_CALL, call_id, body, timeout, extra_headers)

    async def hangup_realtime_call(
        self,
        call_id: str,
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        extra_headers: Mapping[str, str] | None = None,
    ) -> None:
        """End a call, SIP or WebRTC (``POST /realtime/calls/{call_id}/hangup``, no body).

        Retried only where the service cannot have acted (see `accept_realtime_call`).

        Args:
            call_id: the call's id (a webhook's, or `RealtimeCallAnswer.call_id`); checked
                and percent-encoded as one path segment.
            timeout: seconds for each attempt of this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.

        Raises:
            RequestValidationError: a bad ``call_id`` (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see `accept_realtime_call`).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        await self._change_call(HANGUP_CALL, call_id, None, timeout, extra_headers)

    # -- internals -------------------------------------------------------------------------

    def _build_headers(self) -> dict[str, str]:
        config = self._config
        headers = {
            "Authorization": f"Bearer {config.api_key.reveal()}",
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
        headers.update(config.default_headers)
        return headers

    def _ensure_session(self) -> ClientSession:
        session = self._session
        if (
            session is not None
            and self._owns_session
            and self._loop is asyncio.get_running_loop()
            and not self._closed
        ):
            return session  # every call after the first, on the client's own pool
        return self._open_session()

    def _open_session(self) -> ClientSession:
        if self._closed:
            msg = "this RealtimeClient is closed; create a new one"
            raise ClientClosedError(msg)
        loop = asyncio.get_running_loop()
        if self._loop is None:
            # A caller's session from another loop is caught on its first request (see
            # `_transport.map_exception`): aiohttp has no public way to ask for its loop.
            self._loop = loop
        elif loop is not self._loop:
            msg = (
                "this RealtimeClient is bound to the event loop it was first used in and "
                "cannot be used from another one (e.g. a second asyncio.run()); create one "
                "client per event loop"
            )
            raise EventLoopMismatchError(msg)
        session = self._session
        if session is None:
            # Created here, inside the running loop, never in __init__.
            session = self._session = _transport.open_session(
                max_connections=self._config.max_connections,
                keepalive_timeout=self._config.keepalive_timeout,
                headers=self._session_headers,
            )
        elif session.closed:
            msg = "the aiohttp session given to this RealtimeClient has been closed by its owner"
            raise ClientClosedError(msg)
        return session

    async def _call(
        self,
        endpoint: Endpoint[Req, Resp],
        request: Req | Mapping[str, Any],
        call_timeout: float | Unset,
        extra_headers: Mapping[str, str] | None,
    ) -> tuple[Resp, _transport.RawResponse, int, float]:
        """One call to an endpoint that takes and answers JSON.

        Returns the parsed result, the last answer, the number of attempts and the start
        time; an APIResponse is built only for the methods that return one.
        """
        session = self._ensure_session()
        # Everything that can reject the input runs before any I/O.
        body = dumps_request(request, endpoint.request)
        headers = self._headers_for(extra_headers)
        url = self._urls[endpoint.path]
        raw, attempts, started = await self._send(
            session, endpoint, url, body, headers=headers, call_timeout=call_timeout
        )
        return self._decode(raw, endpoint.response, url.path), raw, attempts, started

    async def _create_call(
        self,
        request: RealtimeCallCreateRequest | Mapping[str, Any],
        client_secret: str | Secret | None,
        call_timeout: float | Unset,
        extra_headers: Mapping[str, str] | None,
    ) -> tuple[RealtimeCallAnswer, _transport.RawResponse, int, float]:
        """``POST /realtime/calls``: an SDP offer out, an SDP answer and a call id back."""
        session = self._ensure_session()
        offer = encode_offer(request, client_secret)
        headers = self._headers_for(extra_headers, offer.headers)
        url = self._urls[CREATE_CALL.path]
        raw, attempts, started = await self._send(
            session, CREATE_CALL, url, offer.body, headers=headers, call_timeout=call_timeout
        )
        return self._read_call_answer(raw, url.path), raw, attempts, started

    async def _change_call(
        self,
        endpoint: Endpoint[Req, None],
        call_id: str,
        request: Req | Mapping[str, Any] | None,
        call_timeout: float | Unset,
        extra_headers: Mapping[str, str] | None,
    ) -> None:
        """Accept, refer, reject or hang up a call: a JSON body (or none), an empty answer."""
        session = self._ensure_session()
        url = _transport.make_url(
            self._config.base_url, endpoint.operation.path_for(call_id_segment(call_id))
        )
        # Only hang up has no body; None for any other is refused as a request that is
        # not one. (An answer with a body is still a success: what it says is not read.)
        no_body = endpoint.operation.body is Body.NONE
        body = b"" if no_body else dumps_request(request, endpoint.request)
        headers = self._headers_for(extra_headers)
        await self._send(session, endpoint, url, body, headers=headers, call_timeout=call_timeout)

    async def _send(
        self,
        session: ClientSession,
        endpoint: Endpoint[Any, Any],
        url: URL,
        body: bytes,
        *,
        headers: Mapping[str, str] | None,
        call_timeout: float | Unset,
    ) -> tuple[_transport.RawResponse, int, float]:
        """The attempts of one call with the pauses between them, up to a 2xx answer.

        Which failures are retried is the endpoint's rule (`_operations.Retries`).
        Returns the answer, the number of attempts and the start time.
        """
        attempt_limit = self._attempt_limit(call_timeout)
        policy = self._config.retry
        total = self._config.total_timeout
        started = time.monotonic()
        deadline = None if total is None else started + total
        retries = 0
        while True:
            limit = attempt_limit
            if deadline is not None:
                limit = max(min(limit, deadline - time.monotonic()), _MIN_LIMIT)
            attempt_started = time.monotonic()
            try:
                raw = await self._attempt(session, url, body, headers, limit)
            except APIConnectionError as exc:
                self._log_failure(url, exc, retries, attempt_started)
                if retries >= policy.max_retries or not _may_retry_failure(endpoint, exc):
                    raise
                failure: APIConnectionError | APIStatusError = exc
                delay = policy.delay(retries)
            else:
                if _log.isEnabledFor(logging.DEBUG):  # even building the arguments costs
                    self._log_answer(url, raw, retries, attempt_started)
                if _OK_FROM <= raw.status < _OK_TO:
                    return raw, retries + 1, started
                failure = self._status_error(raw, endpoint, url.path)
                if retries >= policy.max_retries or not _may_retry_status(
                    endpoint, raw, failure.code
                ):
                    raise failure
                delay = policy.delay(retries, raw.headers)
            if deadline is not None and time.monotonic() + delay >= deadline:
                # The pause alone would overrun the overall limit: report the last failure.
                raise failure
            retries += 1
            await self._pause(url, delay, retries, failure)

    async def _attempt(
        self,
        session: ClientSession,
        url: URL,
        body: bytes,
        headers: Mapping[str, str] | None,
        limit: float,
    ) -> _transport.RawResponse:
        """One attempt: a pool place, then the POST, both within ``limit`` seconds."""
        places = self._pool_places
        if places.locked():
            limit = await self._wait_for_place(limit)
        else:
            await places.acquire()  # a free place: taken without suspending
        failure: ClientClosedError
        try:
            if self._closed or session.closed:
                raise self._closed_during_call()
            if limit == self._config.timeout:
                timeouts = self._default_timeouts
            else:
                timeouts = _transport.attempt_timeout(limit, self._config.connect_timeout)
            return await _transport.post(
                session,
                url,
                body,
                headers,
                timeouts=timeouts,
                max_body=self._config.max_response_bytes,
                proxy=self._proxy,
            )
        except APIConnectionError:
            if not (self._closed or session.closed):
                raise
            # The pool went away under the call: a drop is not the server's doing.
            failure = self._closed_during_call()
        except ClientClosedError:
            failure = self._closed_during_call()
        finally:
            places.release()
        # Raised outside the except blocks: nothing of aiohttp's becomes its context.
        raise failure

    async def _wait_for_place(self, limit: float) -> float:
        """Queue for a pool place (first come, first served); returns the time left."""
        started = time.monotonic()
        try:
            async with asyncio.timeout(limit):
                await self._pool_places.acquire()
        except TimeoutError as exc:
            msg = (
                f"timed out after {limit:g}s waiting for a free connection "
                f"(all {self._config.max_connections} in use)"
            )
            raise APITimeoutError(msg, maybe_sent=False) from exc
        # aiohttp reads a limit of 0 as "none": keep a sliver.
        return max(limit - (time.monotonic() - started), _MIN_LIMIT)

    async def _pause(
        self, url: URL, delay: float, retries: int, failure: APIConnectionError | APIStatusError
    ) -> None:
        _log.debug(
            "retrying POST %s in %.3fs (retry %d of %d)",
            url.path,
            delay,
            retries,
            self._config.retry.max_retries,
        )
        await _sleep(delay)
        if self._closed:
            # aclose() ran during the pause; the pool is gone, so stop here.
            msg = "this RealtimeClient was closed while the call waited to retry"
            raise ClientClosedError(msg) from failure

    def _headers_for(
        self,
        extra_headers: Mapping[str, str] | None,
        own: Mapping[str, str] | None = None,
    ) -> Mapping[str, str] | None:
        """The headers to pass with one request: the operation's own (``own``), then the
        caller's ``extra_headers`` on top; None when the session's defaults suffice."""
        headers = self._request_headers
        if own:
            headers = {**(headers or {}), **own}
        if extra_headers:
            # aiohttp lets these replace the defaults of the same name, in any letter case.
            extra = dict(checked_headers(extra_headers, what="extra_headers"))
            headers = extra if headers is None else {**headers, **extra}
        return headers

    def _attempt_limit(self, call_timeout: float | Unset) -> float:
        if call_timeout is UNSET:
            return self._config.timeout
        check_seconds("timeout", call_timeout)
        return float(call_timeout)

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

    def _closed_during_call(self) -> ClientClosedError:
        if self._closed:
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
            message += (
                f". The base_url path {self._base_path()!r} has no version segment; the "
                "API lives under /v1 (e.g. https://api.openai.com/v1): check base_url"
            )
        elif endpoint.retired and (status in _RETIRED_STATUSES or error.code in _RETIRED_CODES):
            message += (
                ". The service has retired this endpoint shape; use "
                "create_realtime_client_secret() instead, which takes the same session "
                "settings and returns the ephemeral key"
            )
        return message

    def _base_path(self) -> str:
        return _transport.make_url(self._config.base_url, "").path

    def _base_path_has_version(self) -> bool:
        segments = [segment for segment in self._base_path().split("/") if segment]
        return any(_VERSION_SEGMENT.fullmatch(segment) for segment in segments)

    def _excerpt(self, body: bytes) -> str:
        return self._scrubber.text(body[: BODY_EXCERPT_LIMIT * 4].decode("utf-8", "replace"))[
            :BODY_EXCERPT_LIMIT
        ]


__all__ = ["RealtimeClient"]
