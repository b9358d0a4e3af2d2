"""The nine REST operations, each with the classes the client sends and returns.

The facts (path, body kind, answer kind, retry rule, schema names) live in the one table,
`realtime_sdk._operations`, which needs no models; here each operation's classes are looked
up by the schema names it gives, on first use: importing the client creates no model class.
The client's methods read this; so does the command line.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

from realtime_sdk import _operations as ops
from realtime_sdk._calls import RealtimeCallAnswer

if TYPE_CHECKING:
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

    @property
    def request(self) -> type[Req]:
        """The model of its request body (``NoneType`` when it takes none)."""
        return _request_class(self.operation)

    @property
    def request_schema(self) -> str:
        """The schema name of its request body: a dict body is checked by it, with no class.

        Raises:
            LookupError: the operation takes no body.
        """
        if self.operation.request_schema is None:
            msg = f"{self.operation.operation_id} takes no request body"
            raise LookupError(msg)
        return self.operation.request_schema

    @property
    def response(self) -> type[Resp]:
        """What a call returns (see the class docstring)."""
        return _response_class(self.operation)

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


def endpoint(operation: ops.Operation) -> Endpoint[Any, Any]:
    """The operation; its classes are looked up by the schema names the table gives, on first use."""
    return Endpoint(operation)


# Each class is looked up on first use, not at the top: a program pays only for the model
# classes of the calls it makes, and a dict request needs no class at all (`request_schema`).


@functools.cache
def _request_class(operation: ops.Operation) -> type[Any]:
    """The request class of `operation` (``NoneType`` when it takes no body)."""
    if operation.request_schema is None:
        return type(None)
    return _model(operation.request_schema)


@functools.cache
def _response_class(operation: ops.Operation) -> type[Any]:
    """The answer class of `operation`.

    Raises:
        LookupError: a JSON answer without a response schema in the table.
    """
    if operation.answer is ops.Answer.JSON:
        if operation.response_schema is None:
            msg = f"{operation.operation_id}: a JSON answer needs a response schema"
            raise LookupError(msg)
        return _model(operation.response_schema)
    if operation.answer is ops.Answer.SDP:
        return RealtimeCallAnswer
    return type(None)


def _model(name: str) -> type[Any]:
    """A model class by its schema name, from the module that defines it.

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


# Annotated with their classes for mypy; at run time the classes come from the table.
CLIENT_SECRETS: Final[
    Endpoint[RealtimeCreateClientSecretRequest, RealtimeCreateClientSecretResponse]
] = endpoint(ops.CLIENT_SECRETS)
SESSIONS: Final[Endpoint[RealtimeSessionCreateRequest, RealtimeSessionCreateResponse]] = endpoint(
    ops.SESSIONS
)
TRANSCRIPTION_SESSIONS: Final[
    Endpoint[RealtimeTranscriptionSessionCreateRequest, RealtimeTranscriptionSessionCreateResponse]
] = endpoint(ops.TRANSCRIPTION_SESSIONS)
TRANSLATION_CLIENT_SECRETS: Final[
    Endpoint[
        RealtimeTranslationClientSecretCreateRequest,
        RealtimeTranslationClientSecretCreateResponse,
    ]
] = endpoint(ops.TRANSLATION_CLIENT_SECRETS)
CREATE_CALL: Final[Endpoint[RealtimeCallCreateRequest, RealtimeCallAnswer]] = endpoint(
    ops.CREATE_CALL
)
ACCEPT_CALL: Final[Endpoint[RealtimeSessionCreateRequestGA, None]] = endpoint(ops.ACCEPT_CALL)
REFER_CALL: Final[Endpoint[RealtimeCallReferRequest, None]] = endpoint(ops.REFER_CALL)
REJECT_CALL: Final[Endpoint[RealtimeCallRejectRequest, None]] = endpoint(ops.REJECT_CALL)
HANGUP_CALL: Final[Endpoint[None, None]] = endpoint(ops.HANGUP_CALL)

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
"""Every endpoint, in the table's order (a test checks it is the whole table)."""

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
    "endpoint",
]
