"""Answer reading as pure functions: status errors, decoding and excerpts, without a server."""

import json

import pytest
from multidict import CIMultiDict
from yarl import URL

from realtime_sdk import models
from realtime_sdk._client import _answers
from realtime_sdk._http._scrub import Scrubber
from realtime_sdk._http._transport import RawResponse
from realtime_sdk._secret import Secret
from realtime_sdk._spec.operations import CLIENT_SECRETS, SESSIONS
from realtime_sdk.errors import (
    BODY_EXCERPT_LIMIT,
    APIResponseValidationError,
    AuthenticationError,
    NotFoundError,
    RateLimitError,
)
from realtime_sdk.testing._answers import client_secret

API_KEY = "sk-answers-0123456789abcdef"
EPHEMERAL = "ek_answers_0123456789abcdef"
URL_ = URL("https://api.example.test/v1/realtime/client_secrets")
BASE_URL = "https://api.example.test/v1/"
LIMIT = 1_000_000


def _raw(status: int, body: bytes, **headers: str) -> RawResponse:
    received = CIMultiDict(headers)
    return RawResponse(status, received, body, received.get("x-request-id"))


def _scrubber() -> Scrubber:
    return Scrubber(Secret(API_KEY))


def _status_error(raw: RawResponse, *, base_url: str = BASE_URL, endpoint=CLIENT_SECRETS):
    return _answers.status_error(
        raw, endpoint, URL_, _scrubber(), base_url=base_url, version_in_query=False
    )


def test_a_2xx_body_decodes_into_the_answer_model() -> None:
    """A client-secret answer's JSON becomes the operation's model, key kept as a Secret."""
    body = client_secret({"session": {"type": "realtime"}}, key=EPHEMERAL, now=1, default_ttl=60)
    raw = _raw(200, json.dumps(body).encode())
    answer = _answers.decode(
        raw, models.RealtimeCreateClientSecretResponse, URL_, _scrubber(), LIMIT
    )
    assert answer.value.reveal() == EPHEMERAL
    assert EPHEMERAL not in repr(answer)


def test_a_body_that_is_not_json_names_the_call_and_masks_the_excerpt() -> None:
    """A 2xx body that is not JSON is a validation error whose excerpt hides the key."""
    raw = _raw(200, f"oops {EPHEMERAL} {API_KEY}".encode(), **{"x-request-id": f"req_{API_KEY}"})
    with pytest.raises(APIResponseValidationError) as info:
        _answers.decode(raw, models.RealtimeCreateClientSecretResponse, URL_, _scrubber(), LIMIT)
    error = info.value
    assert "POST /v1/realtime/client_secrets returned 200" in str(error)
    assert "text that is not JSON" in str(error)
    assert API_KEY not in error.body_excerpt
    assert EPHEMERAL not in error.body_excerpt
    assert error.request_id is not None
    assert API_KEY not in error.request_id
    assert error.__context__ is None


def test_a_truncated_body_is_refused_with_the_limit() -> None:
    """A 2xx body cut off at the size limit is refused, naming the limit."""
    raw = RawResponse(200, CIMultiDict(), b"{", None, truncated=True)
    with pytest.raises(APIResponseValidationError, match="larger than 1000 bytes"):
        _answers.decode(raw, models.RealtimeCreateClientSecretResponse, URL_, _scrubber(), 1000)


def test_an_undecodable_body_names_its_encoding() -> None:
    """A body in an encoding the client could not decode is refused, naming the encoding."""
    raw = RawResponse(200, CIMultiDict(), b"", None, undecodable="br")
    with pytest.raises(APIResponseValidationError, match="Content-Encoding 'br'"):
        _answers.decode(raw, models.RealtimeCreateClientSecretResponse, URL_, _scrubber(), LIMIT)


def test_an_echoed_key_is_masked_everywhere_in_a_status_error() -> None:
    """A 401 echoing the key (plainly and JSON-escaped) keeps it out of every field."""
    escaped = "\\u0073" + API_KEY[1:]
    body = (
        '{"error": {"message": "Incorrect API key provided: '
        + escaped
        + '", "type": "invalid_request_error", "code": "invalid_api_key"}}'
    )
    raw = _raw(401, body.encode(), **{"x-request-id": f"req_{API_KEY}", "x-echo": API_KEY})
    error = _status_error(raw)
    assert isinstance(error, AuthenticationError)
    assert error.code == "invalid_api_key"
    for text in (str(error), repr(error.body), repr(dict(error.headers)), error.request_id):
        assert API_KEY not in text
        assert API_KEY[3:] not in text


def test_a_status_error_prefers_the_apis_message() -> None:
    """The message is the API's own, after the method, path, status and code."""
    body = json.dumps({"error": {"message": "Slow down", "code": "rate_limit_exceeded"}})
    error = _status_error(_raw(429, body.encode()))
    assert isinstance(error, RateLimitError)
    assert (
        str(error)
        == "POST /v1/realtime/client_secrets returned 429 (rate_limit_exceeded): Slow down"
    )


def test_a_404_without_a_version_in_the_base_url_says_to_check_it() -> None:
    """A 404 under a base URL with no /v1 points at the base URL, not the endpoint."""
    error = _status_error(_raw(404, b"Not Found"), base_url="https://api.example.test/")
    assert isinstance(error, NotFoundError)
    assert "has no version segment" in str(error)
    assert "check base_url" in str(error)


def test_a_retired_endpoint_says_where_to_go() -> None:
    """A 404 from a retired beta shape names client_secrets and how the keys moved."""
    error = _status_error(_raw(404, b"{}"), endpoint=SESSIONS)
    assert "retired this endpoint shape" in str(error)
    assert "create_realtime_client_secret()" in str(error)


def test_a_redirect_is_named_as_one() -> None:
    """A 3xx is reported as a redirect that was not followed."""
    error = _status_error(_raw(307, b"", Location="https://elsewhere.test/"))
    assert "a redirect, which is not followed" in str(error)


def test_a_call_answer_reads_sdp_and_the_call_id() -> None:
    """A created call's answer is its SDP text and the id at the end of Location."""
    raw = _raw(201, b"v=0\r\n", Location="/v1/realtime/calls/rtc_123")
    answer = _answers.read_call_answer(raw, URL_, _scrubber(), LIMIT)
    assert (answer.sdp, answer.call_id) == ("v=0\r\n", "rtc_123")


def test_a_call_answer_without_location_is_refused() -> None:
    """A created call's answer with no Location is a validation error saying so."""
    with pytest.raises(APIResponseValidationError, match="without a Location header"):
        _answers.read_call_answer(_raw(201, b"v=0\r\n"), URL_, _scrubber(), LIMIT)


def test_an_excerpt_is_bounded_and_masked() -> None:
    """An excerpt is at most the limit, with the key masked before cutting."""
    text = _answers.excerpt((API_KEY + " " + "x" * 5000).encode(), _scrubber())
    assert len(text) == BODY_EXCERPT_LIMIT
    assert API_KEY not in text
