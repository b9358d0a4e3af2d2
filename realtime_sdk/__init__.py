"""realtime_sdk: mint OpenAI Realtime ephemeral keys and control calls from async backends and sync scripts."""

# Private names: the package namespace holds the public API only.
import importlib as _importlib
import typing as _typing

from realtime_sdk._calls import RealtimeCallAnswer
from realtime_sdk._client import RealtimeClient
from realtime_sdk._client._attempts import Attempt
from realtime_sdk._reconnect import ReconnectAttempt
from realtime_sdk._result import APIResponse
from realtime_sdk._secret import Secret
from realtime_sdk._unset import UNSET, Unset
from realtime_sdk._version import __version__
from realtime_sdk._wire._answers import from_dict, from_json, to_dict, to_json
from realtime_sdk._wire._converter import converter
from realtime_sdk._wire._requests import structure_request, validate
from realtime_sdk.errors import (
    APIConnectionError,
    APIError,
    APIKeyProviderError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ClientRateLimitError,
    ConfigurationError,
    ConflictError,
    ConnectionClosedError,
    EventLoopMismatchError,
    FieldError,
    HeartbeatTimeoutError,
    InternalServerError,
    MessageTooLargeError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RealtimeSDKError,
    RequestValidationError,
    ResponseDecodeError,
    UnprocessableEntityError,
    WebhookHeaderError,
    WebhookPayloadError,
    WebhookSecretError,
    WebhookSignatureError,
    WebhookTimestampError,
    WebhookTimestampToleranceError,
    WebhookVerificationError,
)

if _typing.TYPE_CHECKING:
    from realtime_sdk._client._azure import AzureRealtimeClient
    from realtime_sdk._sync._azure import SyncAzureRealtimeClient
    from realtime_sdk._sync._client import SyncRealtimeClient

# Loaded on first use (start-up): an async program never pays for the sync or Azure clients.
_ON_FIRST_USE: _typing.Final = {
    "AzureRealtimeClient": "realtime_sdk._client._azure",
    "SyncAzureRealtimeClient": "realtime_sdk._sync._azure",
    "SyncRealtimeClient": "realtime_sdk._sync._client",
}


# Hidden from type checkers: they see the imports above, so a misspelled name is still an
# error under mypy rather than an `object` from a module-level __getattr__.
if not _typing.TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        module = _ON_FIRST_USE.get(name)
        if module is None:
            msg = f"module 'realtime_sdk' has no attribute {name!r}"
            raise AttributeError(msg)
        value = getattr(_importlib.import_module(module), name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *_ON_FIRST_USE})


__all__ = [
    "UNSET",
    "APIConnectionError",
    "APIError",
    "APIKeyProviderError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "Attempt",
    "AuthenticationError",
    "AzureRealtimeClient",
    "BadRequestError",
    "ClientClosedError",
    "ClientRateLimitError",
    "ConfigurationError",
    "ConflictError",
    "ConnectionClosedError",
    "EventLoopMismatchError",
    "FieldError",
    "HeartbeatTimeoutError",
    "InternalServerError",
    "MessageTooLargeError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RealtimeCallAnswer",
    "RealtimeClient",
    "RealtimeSDKError",
    "ReconnectAttempt",
    "RequestValidationError",
    "ResponseDecodeError",
    "Secret",
    "SyncAzureRealtimeClient",
    "SyncRealtimeClient",
    "UnprocessableEntityError",
    "Unset",
    "WebhookHeaderError",
    "WebhookPayloadError",
    "WebhookSecretError",
    "WebhookSignatureError",
    "WebhookTimestampError",
    "WebhookTimestampToleranceError",
    "WebhookVerificationError",
    "__version__",
    "converter",
    "from_dict",
    "from_json",
    "structure_request",
    "to_dict",
    "to_json",
    "validate",
]
