"""realtime_sdk: mint OpenAI Realtime ephemeral keys from async backends and sync scripts."""

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
from realtime_sdk._version import __version__
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
