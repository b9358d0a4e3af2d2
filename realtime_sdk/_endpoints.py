"""The nine REST operations, each paired with the classes the client sends and returns.

The facts (path, body kind, answer kind, retry rule) live in `realtime_sdk._operations`,
which needs no models; this table adds the model classes. The client's methods read it; so
can anything else that needs both (a command line, a code generator).
"""

from dataclasses import dataclass
from typing import Any, Final, Generic, TypeVar

from realtime_sdk import _operations as ops
from realtime_sdk._calls import RealtimeCallAnswer
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

Req = TypeVar("Req")
Resp = TypeVar("Resp")


@dataclass(frozen=True, slots=True)
class Endpoint(Generic[Req, Resp]):
    """One ``POST`` operation with its classes.

    Attributes:
        operation: the operation's facts (path, body, answer, retry rule).
        request: the model of its request body (``NoneType`` when it takes none).
        response: what a call returns: the JSON answer's model, `RealtimeCallAnswer` for
            an SDP answer, ``NoneType`` for an empty one.
    """

    operation: ops.Operation
    request: type[Req]
    response: type[Resp]

    @property
    def method(self) -> str:
        """The client method that calls it."""
        return self.operation.method

    @property
    def path(self) -> str:
        """The path (or path template) under the base URL, without a leading slash."""
        return self.operation.path

    @property
    def retired(self) -> bool:
        """The service has switched this beta shape off for many accounts; a 404, 410 or
        a ``beta_api_*`` code from it points to `CLIENT_SECRETS` instead."""
        return self.operation.retired


CLIENT_SECRETS: Final = Endpoint(
    ops.CLIENT_SECRETS, RealtimeCreateClientSecretRequest, RealtimeCreateClientSecretResponse
)
SESSIONS: Final = Endpoint(
    ops.SESSIONS, RealtimeSessionCreateRequest, RealtimeSessionCreateResponse
)
TRANSCRIPTION_SESSIONS: Final = Endpoint(
    ops.TRANSCRIPTION_SESSIONS,
    RealtimeTranscriptionSessionCreateRequest,
    RealtimeTranscriptionSessionCreateResponse,
)
TRANSLATION_CLIENT_SECRETS: Final = Endpoint(
    ops.TRANSLATION_CLIENT_SECRETS,
    RealtimeTranslationClientSecretCreateRequest,
    RealtimeTranslationClientSecretCreateResponse,
)
CREATE_CALL: Final = Endpoint(ops.CREATE_CALL, RealtimeCallCreateRequest, RealtimeCallAnswer)
ACCEPT_CALL: Final = Endpoint(ops.ACCEPT_CALL, RealtimeSessionCreateRequestGA, type(None))
REFER_CALL: Final = Endpoint(ops.REFER_CALL, RealtimeCallReferRequest, type(None))
REJECT_CALL: Final = Endpoint(ops.REJECT_CALL, RealtimeCallRejectRequest, type(None))
HANGUP_CALL: Final = Endpoint(ops.HANGUP_CALL, type(None), type(None))

ENDPOINTS: Final[tuple[Endpoint[Any, Any], ...]] = (
    CLIENT_SECRETS,
    SESSIONS,
    TRANSCRIPTION_SESSIONS,
    TRANSLATION_CLIENT_SECRETS,
    CREATE_CALL,
    ACCEPT_CALL,
    REFER_CALL,
    REJECT_CALL,
    HANGUP_CALL,
)

__all__ = [
    "ACCEPT_CALL",
    "CLIENT_SECRETS",
    "CREATE_CALL",
    "ENDPOINTS",
    "HANGUP_CALL",
    "REFER_CALL",
    "REJECT_CALL",
    "SESSIONS",
    "TRANSCRIPTION_SESSIONS",
    "TRANSLATION_CLIENT_SECRETS",
    "Endpoint",
]
