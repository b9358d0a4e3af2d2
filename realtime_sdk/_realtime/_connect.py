"""Opening a Realtime connection: the handshake on the client's own session, and its failures.

The WebSocket goes through the client's pooled aiohttp session, so it gets the same
headers, proxy, TLS settings and key provider as the REST calls; a refused handshake
raises the same status errors (`NotFoundError` for an unknown call, with the request id).
"""

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

import aiohttp
from yarl import URL

from realtime_sdk._calls import call_id_segment
from realtime_sdk._http import _transport
from realtime_sdk._http._headers import HiddenHeaders
from realtime_sdk._realtime._settings import ConnectOptions
from realtime_sdk._secret import Secret
from realtime_sdk.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ConfigurationError,
    FieldError,
    RealtimeSDKError,
    RequestValidationError,
    status_error_class,
)

if TYPE_CHECKING:
    from realtime_sdk._client._binding import BoundClient

_PATH: Final = "realtime"


def target_url(client: "BoundClient", call_id: str | None, model: str | None) -> URL:
    """The handshake URL: ``{base_url}realtime?call_id=...`` or ``?model=...``.

    Raises:
        RequestValidationError: not exactly one of ``call_id`` and ``model``, or a bad one.
    """
    if (call_id is None) == (model is None):
        error = FieldError(
            "call_id", "exactly one of call_id (attach to a call) or model (a new session)"
        )
        raise RequestValidationError([error], model="connect")
    url = client._make_url(client._config.base_url, _PATH)  # noqa: SLF001 - the client's own URL rule (Azure adds api-version)
    if call_id is not None:
        call_id_segment(call_id)  # the same check as the call operations
        return url.update_query(call_id=call_id)
    if not isinstance(model, str) or not model.strip():
        got = type(model).__name__ if not isinstance(model, str) else "an empty string"
        raise RequestValidationError([FieldError("model", "a model name", got)], model="connect")
    return url.update_query(model=model)


def describe(url: URL) -> str:
    """``GET /v1/realtime?call_id=...`` for messages: path and the one query that matters."""
    which = "call_id" if "call_id" in url.query else "model"
    return f"GET {url.path}?{which}={url.query.get(which, '')}"


async def open_socket(
    client: "BoundClient", url: URL, options: ConnectOptions
) -> aiohttp.ClientWebSocketResponse:
    """Open the WebSocket (the handshake, within ``options.timeout``), or raise the SDK error.

    Raises:
        APIStatusError: the server refused the upgrade (a subclass per status).
        APIConnectionError: the connection could not be opened (`APITimeoutError` when
            the handshake took longer than the limit).
        ClientClosedError: the client was closed.
    """
    session = client._ensure_session()  # noqa: SLF001 - the client's own pool
    headers = _headers(client, options.client_secret, options.extra_headers)
    limit = options.timeout
    if client._key_provider is not None and options.client_secret is None:  # noqa: SLF001
        # The provider is asked within the handshake's limit, as for a REST attempt.
        headers, limit = await client._with_provided_key(headers, limit)  # noqa: SLF001
    proxy = client._proxy  # noqa: SLF001
    target = describe(url)
    failure: RealtimeSDKError | None = None
    failures = _transport.map_exceptions(url, session)
    with failures:
        try:
            async with asyncio.timeout(limit):
                return await session.ws_connect(
                    url,
                    headers=headers.reveal(),  # opened inline: no local holds the key
                    heartbeat=options.heartbeat,
                    max_msg_size=options.max_message_size,
                    autoping=True,
                    timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=5.0),
                    proxy=None if proxy is None else proxy.url,
                    proxy_headers=None if proxy is None else proxy.headers,
                )
        except aiohttp.WSServerHandshakeError as exc:
            failure = _refused(client, target, exc.status, exc.headers)
        except TimeoutError:
            failure = APITimeoutError(f"{target}: the handshake took longer than {limit:g}s")
    # Raised here, outside the except blocks: aiohttp's exception (whose request_info
    # holds the key) is not chained to ours.
    if failure is not None:
        raise failure
    error = failures.error()
    if isinstance(error, APIConnectionError) and not isinstance(error, APITimeoutError):
        error = APIConnectionError(f"{target}: {error}", maybe_sent=error.maybe_sent)
    raise error


def _headers(
    client: "BoundClient",
    client_secret: str | Secret | None,
    extra_headers: Mapping[str, str] | None,
) -> HiddenHeaders:
    """The handshake's headers: the client's, with the call's own (an ephemeral key) winning.

    Held as `HiddenHeaders` from the start, so no frame local shows a key.
    """
    if client_secret is None:
        headers = client._request_headers or HiddenHeaders()  # noqa: SLF001 - the client's own headers
    else:
        secret = client_secret if isinstance(client_secret, Secret) else Secret(client_secret)
        if not isinstance(secret.reveal(), str) or not secret.reveal().strip():
            msg = "client_secret: expected an ephemeral key (ek_...)"
            raise ConfigurationError(msg)
        client._scrubber.remember(secret)  # noqa: SLF001 - masked in messages from now on
        own = HiddenHeaders({"Authorization": "Bearer " + secret.reveal()})
        headers = client._with_own_credential(own)  # noqa: SLF001 - the REST calls' rule
    if extra_headers:
        headers = headers.merged(extra_headers)
    # A WebSocket upgrade carries no JSON body: the REST calls' Content-Type does not apply.
    return headers.without("Content-Type")


def _refused(
    client: "BoundClient", target: str, status: int, headers: Mapping[str, str] | None
) -> APIStatusError:
    """The status error for a refused upgrade (the body is not available to read)."""
    scrub = client._scrubber  # noqa: SLF001
    request_id = scrub.optional(headers.get(_transport.REQUEST_ID_HEADER)) if headers else None
    cls = status_error_class(status)
    message = f"{target} returned {status}: the server refused the WebSocket handshake"
    if status == 404 and "call_id" in target:  # noqa: PLR2004 - Not Found
        message += " (no active call with this id: it may have ended, or never been accepted)"
    return cls(
        message,
        status_code=status,
        request_id=request_id,
        body=None,
        headers=scrub.headers(headers or {}),
    )


__all__ = ["describe", "open_socket", "target_url"]
