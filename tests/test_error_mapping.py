"""Error mapping and retry decisions, with aiohttp mocked by aioresponses.

Each case needs one aiohttp outcome (an exception, or an answer with a given status), not
a wire: the mock plays it for every attempt and counts the attempts. What travels on the
wire is tested against real loopback servers elsewhere (tests/test_client.py,
tests/test_hardening.py).
"""

from collections.abc import Iterator

import aiohttp
import pytest
from aioresponses import aioresponses
from yarl import URL

from realtime_sdk import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RealtimeClient,
    UnprocessableEntityError,
)

API_KEY = "sk-test-mapping-0123456789"
BASE_URL = "http://127.0.0.1:9/v1"
URL_ = f"{BASE_URL}/realtime/client_secrets"
REQUEST = {"session": {"type": "realtime"}}


# Pauses between attempts are recorded, not waited out (`conftest.sleeps`).
pytestmark = pytest.mark.usefixtures("sleeps")


@pytest.fixture
def mocked() -> Iterator[aioresponses]:
    """aiohttp's requests answered by the mock; nothing reaches the network."""
    with aioresponses() as mock:
        yield mock


def _attempts(mock: aioresponses) -> int:
    return len(mock.requests.get(("POST", URL(URL_)), []))


async def _call(**options: object) -> BaseException:
    options.setdefault("max_retries", 2)
    async with RealtimeClient(API_KEY, base_url=BASE_URL, **options) as client:  # type: ignore[arg-type]
        with pytest.raises(Exception) as caught:
            await client.create_realtime_client_secret(REQUEST)
    return caught.value


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (aiohttp.ServerTimeoutError("slow"), APITimeoutError),
        (aiohttp.ConnectionTimeoutError("slow"), APITimeoutError),
        (TimeoutError(), APITimeoutError),
        (aiohttp.ClientOSError(104, "reset"), APIConnectionError),
        (aiohttp.ServerDisconnectedError(), APIConnectionError),
        (aiohttp.ClientPayloadError("cut"), APIConnectionError),
        (ConnectionResetError(), APIConnectionError),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, BaseException) else "",
)
async def test_each_transport_failure_maps_to_its_error_and_is_retried(
    mocked, raised: BaseException, expected: type[APIConnectionError]
) -> None:
    """Connection failures and timeouts: the matching class, after 1 + max_retries attempts."""
    mocked.post(URL_, exception=raised, repeat=True)
    error = await _call()
    assert type(error) is expected
    assert "127.0.0.1:9" in str(error)
    assert (error.__cause__, error.__context__) == (None, None)
    assert _attempts(mocked) == 3


@pytest.mark.parametrize(
    ("status", "expected", "attempts"),
    [
        (400, BadRequestError, 1),
        (401, AuthenticationError, 1),
        (403, PermissionDeniedError, 1),
        (404, NotFoundError, 1),
        (408, APIStatusError, 3),
        (409, ConflictError, 3),
        (418, APIStatusError, 1),
        (422, UnprocessableEntityError, 1),
        (429, RateLimitError, 3),
        (500, InternalServerError, 3),
        (503, InternalServerError, 3),
        (599, InternalServerError, 3),
        (600, APIStatusError, 1),
        (999, APIStatusError, 1),
    ],
)
async def test_each_status_maps_to_its_class_and_retry_rule(
    mocked, status: int, expected: type[APIStatusError], attempts: int
) -> None:
    """Named 4xx classes are final; 408/409/429 and 500-599 are retried; 600+ is not a 5xx."""
    mocked.post(URL_, status=status, payload={"error": {"message": "m"}}, repeat=True)
    error = await _call()
    assert type(error) is expected
    assert isinstance(error, APIStatusError)
    assert error.status_code == status
    assert _attempts(mocked) == attempts


async def test_an_exhausted_quota_is_not_retried(mocked) -> None:
    """429 with code insufficient_quota: waiting cannot help, so one attempt."""
    body = {"error": {"message": "quota", "code": "insufficient_quota"}}
    mocked.post(URL_, status=429, payload=body, repeat=True)
    error = await _call()
    assert isinstance(error, RateLimitError)
    assert _attempts(mocked) == 1


@pytest.mark.parametrize(("verdict", "attempts"), [("true", 3), ("false", 1)])
async def test_x_should_retry_decides(mocked, verdict: str, attempts: int) -> None:
    """x-should-retry overrides the status rule both ways."""
    status = 400 if verdict == "true" else 503
    mocked.post(URL_, status=status, headers={"x-should-retry": verdict}, repeat=True)
    await _call()
    assert _attempts(mocked) == attempts
