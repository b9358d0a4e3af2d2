"""The nine Realtime REST operations: the one operation table.

Each `Operation` holds the path, the method, the request and answer schemas (by name),
the content types (`Body.content_types`, `Answer.content_type`), the success status and
the retry class. The client, the command line, the fake API, the tests and the generator's
checks all read this table. Importing it imports nothing else from the package (in
particular not the models), so the fake API, which must stay an independent witness,
reads it as cheaply as the client does. An operation's classes (`Operation.request`,
`Operation.response`) are looked up by their schema names on first use, from the
generated models module that defines them: a program creates only the classes of the
calls it makes, and a dict request is checked by its schema name with no class at all.
For type checkers each operation is annotated with its classes.
"""

from __future__ import annotations

import enum
import functools
import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

if TYPE_CHECKING:
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

CALL_ID: Final = "{call_id}"
"""The placeholder of a call-scoped path: one path segment, filled in per call."""


class Body(enum.Enum):
    """What an operation's request carries."""

    JSON = "json"
    """A JSON object (``application/json``)."""
    OFFER = "offer"
    """An SDP offer: a ``multipart/form-data`` form (``sdp`` plus an optional ``session``)
    with the API key, or the bare SDP text (``application/sdp``) with an ephemeral key."""
    NONE = "none"
    """Nothing."""

    @property
    def content_types(self) -> tuple[str, ...]:
        """The request ``Content-Type`` values this body is sent with (none for no body)."""
        return _CONTENT_TYPES[self]


_CONTENT_TYPES: Final = {
    Body.JSON: ("application/json",),
    Body.OFFER: ("multipart/form-data", "application/sdp"),
    Body.NONE: (),
}


class Answer(enum.Enum):
    """What a successful answer carries."""

    JSON = "json"
    """A JSON object, read into the response model."""
    SDP = "sdp"
    """SDP text, with the new call's URL in ``Location``."""
    EMPTY = "empty"
    """Nothing worth reading: the status is the answer."""

    @property
    def content_type(self) -> str | None:
        """The ``Content-Type`` of a successful answer, or None when it carries nothing."""
        return {"json": "application/json", "sdp": "application/sdp"}.get(self.value)


class Retries(enum.Enum):
    """Which failed attempts an operation retries (see the README's retry section)."""

    TRANSIENT = "transient"
    """Every transient failure: connection errors, timeouts, 408, 409, 429 and 5xx. For
    operations whose repeat is harmless (a second key or call nobody uses expires)."""
    UNSENT = "unsent"
    """Only failures the service cannot have acted on: the connection could not be opened
    (nothing was sent), 408, 429, or an explicit ``x-should-retry: true``. For changes to a
    live call, where a repeat after a lost answer could act twice."""


# eq=False: an operation is itself (hashed by identity), so looking up its classes per
# call does not hash every field.
@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Operation(Generic[Req, Resp]):
    """One ``POST`` operation of the Realtime REST API, typed by its request and result.

    Attributes:
        method: the client method that calls it (its operationId in snake case).
        operation_id: the spec's operationId.
        path: the path under the base URL, without a leading slash; a call-scoped one holds
            `CALL_ID`.
        request_schema: the spec schema of the request body, or None when there is none.
        response_schema: the spec schema of a JSON answer, or None.
        body: what the request carries.
        answer: what a successful answer carries.
        status: the status of a successful answer.
        retries: which failed attempts are retried.
        retired: the service has switched this beta shape off for many accounts.
    """

    method: str
    operation_id: str
    path: str
    request_schema: str | None
    response_schema: str | None = None
    body: Body = Body.JSON
    answer: Answer = Answer.JSON
    status: int = 200
    retries: Retries = Retries.TRANSIENT
    retired: bool = False

    @property
    def call_scoped(self) -> bool:
        """Whether the path names a call (``realtime/calls/{call_id}/...``)."""
        return CALL_ID in self.path

    def path_for(self, call_segment: str | None = None) -> str:
        """The path with the (already encoded) call id segment filled in.

        Args:
            call_segment: the percent-encoded call id; required for a call-scoped path.

        Returns:
            The path without a leading slash.
        """
        if not self.call_scoped:
            return self.path
        if call_segment is None:
            msg = f"{self.operation_id} needs a call id"
            raise ValueError(msg)
        return self.path.replace(CALL_ID, call_segment)

    @property
    def request(self) -> type[Req]:
        """The model of its request body (``NoneType`` when it takes none)."""
        return _request_class(self)

    @property
    def body_schema(self) -> str:
        """The schema name a JSON request body is checked against (no class is created).

        Raises:
            LookupError: the operation takes no body.
        """
        if self.request_schema is None:
            msg = f"{self.operation_id} takes no request body"
            raise LookupError(msg)
        return self.request_schema

    @property
    def response(self) -> type[Resp]:
        """What a call returns: the JSON answer's model, `RealtimeCallAnswer` for an SDP
        answer, ``NoneType`` for an empty one."""
        return _response_class(self)


@functools.cache
def _request_class(operation: Operation[Any, Any]) -> type[Any]:
    if operation.request_schema is None:
        return type(None)
    return model_named(operation.request_schema)


@functools.cache
def _response_class(operation: Operation[Any, Any]) -> type[Any]:
    if operation.answer is Answer.JSON:
        if operation.response_schema is None:
            msg = f"{operation.operation_id}: a JSON answer needs a response schema"
            raise LookupError(msg)
        return model_named(operation.response_schema)
    if operation.answer is Answer.SDP:
        calls = importlib.import_module("realtime_sdk._calls")
        answer: type[Any] = calls.RealtimeCallAnswer
        return answer
    return type(None)


def model_named(name: str) -> type[Any]:
    """A model class by its schema name, loaded from the generated module that defines it.

    Raises:
        LookupError: the table names a schema the generated models do not have.
    """
    models = importlib.import_module("realtime_sdk.models")
    try:
        model: type[Any] = getattr(models, name)
    except AttributeError:
        msg = f"no generated model is called {name!r}"
        raise LookupError(msg) from None
    return model


CLIENT_SECRETS: Final[
    Operation[RealtimeCreateClientSecretRequest, RealtimeCreateClientSecretResponse]
] = Operation(
    method="create_realtime_client_secret",
    operation_id="create-realtime-client-secret",
    path="realtime/client_secrets",
    request_schema="RealtimeCreateClientSecretRequest",
    response_schema="RealtimeCreateClientSecretResponse",
)
SESSIONS: Final[Operation[RealtimeSessionCreateRequest, RealtimeSessionCreateResponse]] = Operation(
    method="create_realtime_session",
    operation_id="create-realtime-session",
    path="realtime/sessions",
    request_schema="RealtimeSessionCreateRequest",
    response_schema="RealtimeSessionCreateResponse",
    retired=True,
)
TRANSCRIPTION_SESSIONS: Final[
    Operation[RealtimeTranscriptionSessionCreateRequest, RealtimeTranscriptionSessionCreateResponse]
] = Operation(
    method="create_realtime_transcription_session",
    operation_id="create-realtime-transcription-session",
    path="realtime/transcription_sessions",
    request_schema="RealtimeTranscriptionSessionCreateRequest",
    response_schema="RealtimeTranscriptionSessionCreateResponse",
    retired=True,
)
TRANSLATION_CLIENT_SECRETS: Final[
    Operation[
        RealtimeTranslationClientSecretCreateRequest, RealtimeTranslationClientSecretCreateResponse
    ]
] = Operation(
    method="create_realtime_translation_client_secret",
    operation_id="create-realtime-translation-client-secret",
    path="realtime/translations/client_secrets",
    request_schema="RealtimeTranslationClientSecretCreateRequest",
    response_schema="RealtimeTranslationClientSecretCreateResponse",
)
# A retried create can, rarely, open a second call whose answer nobody reads: it never
# connects and ends by itself, as an unused key expires, so every transient failure is retried.
CREATE_CALL: Final[Operation[RealtimeCallCreateRequest, RealtimeCallAnswer]] = Operation(
    method="create_realtime_call",
    operation_id="create-realtime-call",
    path="realtime/calls",
    request_schema="RealtimeCallCreateRequest",
    body=Body.OFFER,
    answer=Answer.SDP,
    status=201,
)
ACCEPT_CALL: Final[Operation[RealtimeSessionCreateRequestGA, None]] = Operation(
    method="accept_realtime_call",
    operation_id="accept-realtime-call",
    path=f"realtime/calls/{CALL_ID}/accept",
    request_schema="RealtimeSessionCreateRequestGA",
    answer=Answer.EMPTY,
    retries=Retries.UNSENT,
)
REFER_CALL: Final[Operation[RealtimeCallReferRequest, None]] = Operation(
    method="refer_realtime_call",
    operation_id="refer-realtime-call",
    path=f"realtime/calls/{CALL_ID}/refer",
    request_schema="RealtimeCallReferRequest",
    answer=Answer.EMPTY,
    retries=Retries.UNSENT,
)
REJECT_CALL: Final[Operation[RealtimeCallRejectRequest, None]] = Operation(
    method="reject_realtime_call",
    operation_id="reject-realtime-call",
    path=f"realtime/calls/{CALL_ID}/reject",
    request_schema="RealtimeCallRejectRequest",
    answer=Answer.EMPTY,
    retries=Retries.UNSENT,
)
HANGUP_CALL: Final[Operation[None, None]] = Operation(
    method="hangup_realtime_call",
    operation_id="hangup-realtime-call",
    path=f"realtime/calls/{CALL_ID}/hangup",
    request_schema=None,
    body=Body.NONE,
    answer=Answer.EMPTY,
    retries=Retries.UNSENT,
)

OPERATIONS: Final[tuple[Operation[Any, Any], ...]] = (
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
"""Every operation, in the spec's path order."""

__all__ = [
    "ACCEPT_CALL",
    "CALL_ID",
    "CLIENT_SECRETS",
    "CREATE_CALL",
    "HANGUP_CALL",
    "OPERATIONS",
    "REFER_CALL",
    "REJECT_CALL",
    "SESSIONS",
    "TRANSCRIPTION_SESSIONS",
    "TRANSLATION_CLIENT_SECRETS",
    "Answer",
    "Body",
    "Operation",
    "Retries",
    "model_named",
]
