"""The exception tree: classes, attributes and messages."""

import pickle

import pytest
from multidict import CIMultiDict

from realtime_sdk import errors


def test_request_validation_error_lists_every_field() -> None:
    """The message names each path and expectation, and the error is a ValueError."""
    exc = errors.RequestValidationError(
        [
            errors.FieldError("session.audio.output.speed", "a number from 0.25 to 1.5", "float"),
            errors.FieldError("expires_after.seconds", "an integer", "str"),
        ],
        model="RealtimeCreateClientSecretRequest",
    )
    assert isinstance(exc, ValueError)
    assert isinstance(exc, errors.RealtimeSDKError)
    text = str(exc)
    assert "2 invalid fields in RealtimeCreateClientSecretRequest" in text
    assert "session.audio.output.speed: expected a number from 0.25 to 1.5, got float" in text
    assert "expires_after.seconds: expected an integer, got str" in text


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, errors.BadRequestError),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDeniedError),
        (404, errors.NotFoundError),
        (409, errors.ConflictError),
        (422, errors.UnprocessableEntityError),
        (429, errors.RateLimitError),
        (500, errors.InternalServerError),
        (503, errors.InternalServerError),
        (418, errors.APIStatusError),
        (302, errors.APIStatusError),
    ],
)
def test_status_error_class(status: int, cls: type[errors.APIStatusError]) -> None:
    """Each status maps to its named class, 5xx to InternalServerError, others to the base."""
    assert errors.status_error_class(status) is cls


def test_status_error_reads_openai_error_body() -> None:
    """An OpenAI-style body fills message, type, param and code; the request id is shown."""
    body = {
        "error": {
            "message": "Quota exceeded",
            "type": "insufficient_quota",
            "param": None,
            "code": "insufficient_quota",
        }
    }
    exc = errors.RateLimitError(
        "429 Too Many Requests: Quota exceeded", status_code=429, request_id="req_1", body=body
    )
    assert (exc.error_message, exc.error_type, exc.param, exc.code) == (
        "Quota exceeded",
        "insufficient_quota",
        None,
        "insufficient_quota",
    )
    assert str(exc) == "429 Too Many Requests: Quota exceeded (request id: req_1)"


def test_timeout_is_a_connection_error() -> None:
    """A timeout can be caught as a connection error, and both as APIError."""
    assert issubclass(errors.APITimeoutError, errors.APIConnectionError)
    assert issubclass(errors.APIConnectionError, errors.APIError)
    assert issubclass(errors.APIResponseValidationError, errors.APIError)


def test_response_validation_error_bounds_its_excerpt() -> None:
    """A huge body is cut to the excerpt limit."""
    exc = errors.APIResponseValidationError(
        "not JSON", status_code=200, body_excerpt="<html>" + "x" * 10_000
    )
    assert len(exc.body_excerpt) == errors.BODY_EXCERPT_LIMIT


def _one_of_each() -> list[errors.RealtimeSDKError]:
    """An instance of every exception class, built the way the SDK builds them."""
    field = errors.FieldError("session.model", "a string", "int")
    made: list[errors.RealtimeSDKError] = [
        errors.ConfigurationError("no API key: set OPENAI_API_KEY"),
        errors.RequestValidationError([field], model="RealtimeCreateClientSecretRequest"),
        errors.ClientClosedError("closed"),
        errors.EventLoopMismatchError("another loop"),
        errors.APIConnectionError("refused", request_id=None),
        errors.APITimeoutError("timed out", request_id="req_1"),
        errors.APIResponseValidationError(
            "not JSON", status_code=200, request_id="req_2", body_excerpt="<html>", errors=[field]
        ),
    ]
    for status, cls in [*errors.STATUS_ERRORS.items(), (500, errors.InternalServerError)]:
        made.append(
            cls(
                f"POST /v1/x returned {status}",
                status_code=status,
                request_id="req_3",
                body={"error": {"message": "no", "code": "c"}},
                headers=CIMultiDict(
                    [("Retry-After", "7"), ("Set-Cookie", "a"), ("Set-Cookie", "b")]
                ),
            )
        )
    return made


@pytest.mark.parametrize("error", _one_of_each(), ids=lambda error: type(error).__name__)
def test_every_error_pickles_with_its_details(error: errors.RealtimeSDKError) -> None:
    """An error handed across processes keeps its class, message and attributes (headers too)."""
    back = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes, just made
    assert type(back) is type(error)
    assert str(back) == str(error)
    for name, value in vars(error).items():
        if name == "headers":
            assert list(back.headers.items()) == list(value.items())
            assert back.headers["retry-after"] == "7"
        else:
            assert getattr(back, name) == value
