"""Every exception realtime_sdk raises, in one tree.

```
RealtimeSDKError
├── ConfigurationError          bad client settings, e.g. no API key (also a ValueError)
├── RequestValidationError      bad input, found before anything is sent (also a ValueError)
├── ResponseDecodeError         JSON that is not JSON or does not fit its model, when read
│                               with from_dict/from_json (also a ValueError)
├── ClientClosedError           a call on a closed client (also a RuntimeError)
├── EventLoopMismatchError      a client used from another event loop (also a RuntimeError)
├── APIKeyProviderError         an api_key (or Azure token) provider raised or returned no key
├── ClientRateLimitError        rate_limit="raise" (or a wait past the deadline): the API said
│                               no requests are left until its reset; nothing was sent
├── WebhookVerificationError    not a fresh, genuine webhook delivery (also a ValueError)
│   ├── WebhookSecretError      the secret given is not "whsec_" + base64 (your setup, not the request)
│   ├── WebhookHeaderError      a webhook-* header is missing, empty, or repeated with other values
│   ├── WebhookTimestampError   webhook-timestamp is not whole seconds since 1970
│   ├── WebhookTimestampToleranceError  signed, but further from now than the tolerance
│   ├── WebhookSignatureError   no v1 signature in webhook-signature matches
│   └── WebhookPayloadError     signed, but the body is not JSON or not the event it names
└── APIError                    something went wrong talking to the API
    ├── APIConnectionError      refused, reset, dropped, DNS, TLS
    │   ├── APITimeoutError     the server did not answer in time
    │   └── ConnectionClosedError   a Realtime connection ended (close code, drop, our close)
    │       ├── HeartbeatTimeoutError   a ping went unanswered within the limit
    │       └── MessageTooLargeError    an incoming message was over the size limit
    ├── APIStatusError          the API answered with a non-2xx status
    │   ├── BadRequestError             400
    │   ├── AuthenticationError         401
    │   ├── PermissionDeniedError       403
    │   ├── NotFoundError               404
    │   ├── ConflictError               409
    │   ├── UnprocessableEntityError    422
    │   ├── RateLimitError              429
    │   └── InternalServerError         >= 500
    └── APIResponseValidationError  a 2xx whose body is not JSON or does not fit the model
```

No message here ever contains the API key, an ephemeral key value or a webhook secret.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from multidict import CIMultiDict, CIMultiDictProxy

# How much of a non-JSON body (an HTML page from a proxy, say) an error keeps and shows.
BODY_EXCERPT_LIMIT: Final = 500
# The WebSocket close code of an orderly end (RFC 6455, 7.4.1).
NORMAL_CLOSURE: Final = 1000


class RealtimeSDKError(Exception):
    """Root of every exception raised by realtime_sdk.

    Every one pickles (a worker process can hand it back to its parent): Python's default
    rebuilds an exception by calling its class with ``args``, which cannot work for the
    keyword-only constructors here, so these are rebuilt from their attributes instead.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        """Rebuild without the constructor: the same class, ``args`` and attributes.

        Returns:
            The reduction that `pickle` and `copy` use.
        """
        state = {
            # A header proxy does not pickle; its pairs do (repeated names included).
            name: list(value.items()) if name == "headers" else value
            for name, value in self.__dict__.items()
        }
        return (_rebuild, (type(self), self.args, state))


def _rebuild(cls: type[RealtimeSDKError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:  # noqa: ANN401 - any of the classes
    error = cls.__new__(cls, *args)
    error.args = args
    if "headers" in state:
        state["headers"] = CIMultiDictProxy(CIMultiDict(state["headers"]))
    error.__dict__.update(state)
    return error


class ConfigurationError(RealtimeSDKError, ValueError):
    """The client's settings cannot work, e.g. no API key was given or found."""


class InsecureTransportWarning(UserWarning):
    """A plain ``http://`` base URL to a non-loopback host: the API key would travel in clear."""


@dataclass(frozen=True, slots=True)
class FieldError:
    """One field that does not fit: where it is and what was expected there.

    `path` is dotted from the request root (``session.audio.input.format.rate``; list
    items as ``tools[2]``). `got` names the kind of value found (``str``, ``null``), never
    the value itself, so a secret pasted into the wrong field is not echoed.
    """

    path: str
    expected: str
    got: str | None = None

    def __str__(self) -> str:
        where = self.path or "(root)"
        if self.got is None:
            return f"{where}: expected {self.expected}"
        return f"{where}: expected {self.expected}, got {self.got}"


class RequestValidationError(RealtimeSDKError, ValueError):
    """The input does not fit the schema; raised before any request is sent.

    `errors` lists every bad field, each a `FieldError` with its path and expectation.
    """

    errors: tuple[FieldError, ...]

    def __init__(self, errors: Iterable[FieldError], *, model: str | None = None) -> None:
        self.errors = tuple(errors)
        self.model = model
        count = len(self.errors)
        head = f"{count} invalid field{'s' if count != 1 else ''}"
        if model:
            head += f" in {model}"
        lines = "\n".join(f"  {error}" for error in self.errors)
        super().__init__(f"{head}:\n{lines}" if lines else head)


class ResponseDecodeError(RealtimeSDKError, ValueError):
    """A response body (or JSON given to `from_dict` / `from_json`) that does not fit its model.

    `errors` lists each misfit with its path and expectation; like every message of the
    SDK it never contains a value from the body. The client raises
    `APIResponseValidationError` for an answer like this, with this error as its cause.
    """

    errors: tuple[FieldError, ...]

    def __init__(self, errors: Iterable[FieldError], *, model: str | None = None) -> None:
        self.errors = tuple(errors)
        self.model = model
        where = f" for {model}" if model else ""
        lines = "".join(f"\n  {error}" for error in self.errors)
        super().__init__(f"response body does not fit{where}:{lines}")


class ClientClosedError(RealtimeSDKError, RuntimeError):
    """A call was made on a client after `aclose()` or `close()`."""


class EventLoopMismatchError(RealtimeSDKError, RuntimeError):
    """An async client was used from an event loop other than the one it was opened on."""


class APIKeyProviderError(RealtimeSDKError):
    """The callable given as ``api_key`` (or ``azure_ad_token_provider``) failed.

    It raised (the provider's own exception is this one's ``__cause__``), or it returned
    something that is not a non-empty key. The call stops there: it is not retried, since
    asking a failing secret store again at once rarely helps.
    """


class ClientRateLimitError(RealtimeSDKError):
    """The client held a call back: the API said no requests are left until its reset.

    Raised with ``rate_limit="raise"``, or with ``rate_limit="wait"`` when the reset comes
    later than the call's time limit. Nothing was sent. `retry_after` is the number of
    seconds until the reset the API announced.
    """

    retry_after: float

    def __init__(self, message: str, *, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class APIError(RealtimeSDKError):
    """Talking to the API failed. `request_id` is the server's ``x-request-id`` when known."""

    request_id: str | None

    def __init__(self, message: str, *, request_id: str | None = None) -> None:
        self.message = message
        self.request_id = request_id
        super().__init__(message)

    def __str__(self) -> str:
        if self.request_id:
            return f"{self.message} (request id: {self.request_id})"
        return self.message


class APIConnectionError(APIError):
    """No usable answer arrived: the connection was refused, reset or dropped.

    Attributes:
        maybe_sent: False only when the failure came before any byte of the request left
            (the connection was refused or could not be opened in time, a name did not
            resolve, TLS failed, no pooled connection came free); True when the request
            may have reached the server, which may then have acted on it.
        status_code: the HTTP status when the answer's status line arrived but its body
            broke off or stalled, else None. A 2xx here means the service did act (a key
            or a call may exist): such a failure is never retried.
    """

    maybe_sent: bool
    status_code: int | None

    def __init__(
        self,
        message: str,
        *,
        request_id: str | None = None,
        maybe_sent: bool = True,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message, request_id=request_id)
        self.maybe_sent = maybe_sent
        self.status_code = status_code


class APITimeoutError(APIConnectionError):
    """The server did not answer within the configured timeout."""


class ConnectionClosedError(APIConnectionError):
    """A Realtime connection (`RealtimeClient.connect`) has ended; nothing more can be sent or received.

    Attributes:
        close_code: the WebSocket close code (1000 for a normal close, by either side), or
            None when the connection dropped without a closing handshake.
        reason: the close reason the peer gave, or a description of what happened.
    """

    close_code: int | None
    reason: str

    def __init__(
        self,
        message: str,
        *,
        close_code: int | None = None,
        reason: str = "",
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, request_id=request_id, maybe_sent=True)
        self.close_code = close_code
        self.reason = reason

    @property
    def normal(self) -> bool:
        """Whether the connection ended with a normal close (code 1000)."""
        return self.close_code == NORMAL_CLOSURE


class HeartbeatTimeoutError(ConnectionClosedError):
    """A ping the client sent got no pong within the limit, so the connection was given up."""


class MessageTooLargeError(ConnectionClosedError):
    """The server sent a message larger than the connection's ``max_message_size``."""


class APIStatusError(APIError):
    """The API answered with a non-2xx status.

    Attributes:
        status_code: the HTTP status.
        request_id: the ``x-request-id`` header, when the server sent one.
        body: the parsed JSON body, or the first characters of the text when it is not JSON
            (an HTML page from a proxy, say).
        headers: the response headers (read-only; lookups ignore letter case).
        error_message, error_type, param, code: the fields of an OpenAI-style
            ``{"error": {...}}`` body, when the body has that shape.
    """

    status_code: int
    body: object
    headers: Mapping[str, str]
    error_message: str | None
    error_type: str | None
    param: str | None
    code: str | None

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        request_id: str | None = None,
        body: object = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message, request_id=request_id)
        self.status_code = status_code
        self.body = body
        # A read-only copy with case-insensitive lookups, as HTTP header names are.
        self.headers = CIMultiDictProxy(CIMultiDict(headers or {}))
        details = _openai_error_fields(body)
        self.error_message = _str_or_none(details.get("message"))
        self.error_type = _str_or_none(details.get("type"))
        self.param = _str_or_none(details.get("param"))
        self.code = _str_or_none(details.get("code"))


class BadRequestError(APIStatusError):
    """400: the API rejected the request's content."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not use this endpoint, model or project."""


class NotFoundError(APIStatusError):
    """404: no such endpoint or model (or an endpoint shape the service has retired)."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the state of a resource."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was well-formed but could not be processed."""


class RateLimitError(APIStatusError):
    """429: too many requests, or the quota is exhausted (see `code`)."""


class InternalServerError(APIStatusError):
    """5xx: the API or a proxy in front of it failed."""


class APIResponseValidationError(APIError):
    """A 2xx response whose body is not JSON or does not fit the response model.

    Attributes:
        status_code: the HTTP status.
        body_excerpt: the first characters of the body as text.
        errors: the fields that did not fit, when the body was JSON.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        request_id: str | None = None,
        body_excerpt: str = "",
        errors: Iterable[FieldError] = (),
    ) -> None:
        super().__init__(message, request_id=request_id)
        self.status_code = status_code
        self.body_excerpt = body_excerpt[:BODY_EXCERPT_LIMIT]
        self.errors = tuple(errors)


class WebhookVerificationError(RealtimeSDKError, ValueError):
    """A webhook request could not be shown to be a fresh, genuine delivery.

    Raised by `realtime_sdk.webhooks.unwrap` and `verify`; each subclass names one cause.
    A handler answers these with a 400, except `WebhookSecretError` (its own setting).
    Messages never contain the secret, a signature or the body.
    """


class WebhookSecretError(WebhookVerificationError):
    """The webhook secret passed in is not ``whsec_`` followed by base64.

    This is the receiver's configuration, not the request: every delivery would fail the
    same way, so a handler should treat it as a server error rather than a 400.
    """


class WebhookHeaderError(WebhookVerificationError):
    """A required ``webhook-*`` header is missing, empty, or repeated with different values.

    Attributes:
        header: the header's name, in lower case (``webhook-id``, ...).
    """

    def __init__(self, message: str, *, header: str) -> None:
        self.header = header
        super().__init__(message)


class WebhookTimestampError(WebhookVerificationError):
    """The ``webhook-timestamp`` header is not whole seconds since 1970 in digits."""


class WebhookTimestampToleranceError(WebhookVerificationError):
    """A correctly signed webhook whose timestamp is further from now than the tolerance.

    A replay, a delivery that waited too long, or a clock that is off.

    Attributes:
        timestamp: the header's value, in seconds since 1970.
        now: the receiver's time it was compared with.
        tolerance: how many seconds either way were allowed.
    """

    def __init__(self, message: str, *, timestamp: int, now: float, tolerance: float) -> None:
        self.timestamp = timestamp
        self.now = now
        self.tolerance = tolerance
        super().__init__(message)


class WebhookSignatureError(WebhookVerificationError):
    """No ``v1`` signature in ``webhook-signature`` matches the delivery.

    The wrong secret, or the body, id or timestamp is not what was signed (verify the raw
    body as received, before any parsing).
    """


class WebhookPayloadError(WebhookVerificationError):
    """The signature is valid, but the body is not JSON or does not fit the event it names.

    Attributes:
        errors: for a known event type, each field that does not fit (path and expectation).
    """

    def __init__(self, message: str, *, errors: Iterable[FieldError] = ()) -> None:
        self.errors = tuple(errors)
        lines = "".join(f"\n  {error}" for error in self.errors)
        super().__init__(f"{message}:{lines}" if lines else message)


STATUS_ERRORS: Final[Mapping[int, type[APIStatusError]]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    """The exception class for an HTTP status: a named one, else the 5xx or generic class.

    Only 500-599 are server errors; a status outside the range HTTP defines (600 and up,
    which aiohttp lets through) is the generic `APIStatusError`.
    """
    if 500 <= status <= 599:  # noqa: PLR2004 - the 5xx range, not a magic number
        return InternalServerError
    return STATUS_ERRORS.get(status, APIStatusError)


def _openai_error_fields(body: object) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, Mapping):
            return error
    return {}


def _str_or_none(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


__all__ = [
    "APIConnectionError",
    "APIError",
    "APIKeyProviderError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ClientRateLimitError",
    "ConfigurationError",
    "ConflictError",
    "ConnectionClosedError",
    "EventLoopMismatchError",
    "FieldError",
    "HeartbeatTimeoutError",
    "InsecureTransportWarning",
    "InternalServerError",
    "MessageTooLargeError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RealtimeSDKError",
    "RequestValidationError",
    "ResponseDecodeError",
    "UnprocessableEntityError",
    "WebhookHeaderError",
    "WebhookPayloadError",
    "WebhookSecretError",
    "WebhookSignatureError",
    "WebhookTimestampError",
    "WebhookTimestampToleranceError",
    "WebhookVerificationError",
    "status_error_class",
]
