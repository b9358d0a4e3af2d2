"""The three REST endpoints, described once: path, request model, response model.

The client's methods read this table; so can anything else that needs to know the
endpoints (a command line, a fake server, a code generator) without importing the client.
"""

from dataclasses import dataclass
from typing import Any, Final, Generic, TypeVar

from realtime_sdk.models import (
    RealtimeCreateClientSecretRequest,
    RealtimeCreateClientSecretResponse,
    RealtimeSessionCreateRequest,
    RealtimeSessionCreateResponse,
    RealtimeTranscriptionSessionCreateRequest,
    RealtimeTranscriptionSessionCreateResponse,
)

Req = TypeVar("Req")
Resp = TypeVar("Resp")


@dataclass(frozen=True, slots=True)
class Endpoint(Generic[Req, Resp]):
    """One ``POST`` endpoint.

    Attributes:
        method: the client method that calls it.
        path: the path under the base URL, without a leading slash.
        request: the model of its request body.
        response: the model of its answer.
        retired: the service has switched this beta shape off for many accounts; a 404,
            410 or a ``beta_api_*`` code from it points to `CLIENT_SECRETS` instead.
    """

    method: str
    path: str
    request: type[Req]
    response: type[Resp]
    retired: bool = False


CLIENT_SECRETS: Final = Endpoint(
    "create_realtime_client_secret",
    "realtime/client_secrets",
    RealtimeCreateClientSecretRequest,
    RealtimeCreateClientSecretResponse,
)
SESSIONS: Final = Endpoint(
    "create_realtime_session",
    "realtime/sessions",
    RealtimeSessionCreateRequest,
    RealtimeSessionCreateResponse,
    retired=True,
)
TRANSCRIPTION_SESSIONS: Final = Endpoint(
    "create_realtime_transcription_session",
    "realtime/transcription_sessions",
    RealtimeTranscriptionSessionCreateRequest,
    RealtimeTranscriptionSessionCreateResponse,
    retired=True,
)

ENDPOINTS: Final[tuple[Endpoint[Any, Any], ...]] = (
    CLIENT_SECRETS,
    SESSIONS,
    TRANSCRIPTION_SESSIONS,
)

__all__ = ["CLIENT_SECRETS", "ENDPOINTS", "SESSIONS", "TRANSCRIPTION_SESSIONS", "Endpoint"]
