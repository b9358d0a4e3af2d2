"""realtime_sdk: mint OpenAI Realtime ephemeral keys and control calls from async backends and sync scripts."""

# Imported under private names: a bare `version` would read as part of this package's API.
from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version

from realtime_sdk._calls import RealtimeCallAnswer
from realtime_sdk._client import RealtimeClient
from realtime_sdk._converter import (
    ResponseDecodeError,
    converter,
    from_dict,
    from_json,
    structure_request,
    to_dict,
    to_json,
)
from realtime_sdk._result import APIResponse
from realtime_sdk._secret import Secret
from realtime_sdk._sync_client import SyncRealtimeClient
from realtime_sdk._unset import UNSET, Unset
from realtime_sdk.errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    ConflictError,
    EventLoopMismatchError,
    FieldError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RealtimeSDKError,
    RequestValidationError,
    UnprocessableEntityError,
)

try:
    __version__ = _version("realtime-sdk")
except _PackageNotFoundError:  # pragma: no cover - running from a source tree without metadata
    __version__ = "0.0.0"

__all__ = [
    "UNSET",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "EventLoopMismatchError",
    "FieldError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RealtimeCallAnswer",
    "RealtimeClient",
    "RealtimeSDKError",
    "RequestValidationError",
    "ResponseDecodeError",
    "Secret",
    "SyncRealtimeClient",
    "UnprocessableEntityError",
    "Unset",
    "__version__",
    "converter",
    "from_dict",
    "from_json",
    "structure_request",
    "to_dict",
    "to_json",
]
