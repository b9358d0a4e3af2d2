"""The pure retry policy: which answers are retried and how long to wait."""

import email.utils

import pytest
from multidict import CIMultiDict

from realtime_sdk._client import _retry
from realtime_sdk._client._retry import (
    RetryPolicy,
    backoff_delay,
    retry_after_seconds,
    should_retry_status,
)

NOW = 1_800_000_000.0


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 599])
def test_transient_statuses_are_retried(status: int) -> None:
    """408, 409, 429 and every 5xx are worth another attempt."""
    assert should_retry_status(status)


@pytest.mark.parametrize("status", [200, 301, 302, 400, 401, 403, 404, 410, 422])
def test_other_statuses_are_not_retried(status: int) -> None:
    """Other 4xx (and non-errors) are final: repeating the same request cannot help."""
    assert not should_retry_status(status)


def test_quota_exhausted_429_is_not_retried() -> None:
    """A 429 whose code says the quota is used up is final."""
    assert not should_retry_status(429, {}, "insufficient_quota")


def test_rate_limited_429_with_other_code_is_retried() -> None:
    """A 429 with an ordinary rate-limit code is retried."""
    assert should_retry_status(429, {}, "rate_limit_exceeded")


@pytest.mark.parametrize("value", ["true", "TRUE", " true "])
def test_x_should_retry_true_overrides_a_final_status(value: str) -> None:
    """``x-should-retry: true`` makes even a 400 retryable."""
    assert should_retry_status(400, {"x-should-retry": value})


def test_x_should_retry_false_overrides_a_5xx() -> None:
    """``x-should-retry: false`` stops retries of a 503."""
    assert not should_retry_status(503, {"x-should-retry": "false"})


def test_x_should_retry_true_overrides_quota_code() -> None:
    """The server's explicit header wins over the body's code."""
    assert should_retry_status(429, {"x-should-retry": "true"}, "insufficient_quota")


def test_x_should_retry_garbage_is_ignored() -> None:
    """An unreadable header value falls back to the status rules."""
    assert should_retry_status(503, {"x-should-retry": "maybe"})
    assert not should_retry_status(400, {"x-should-retry": "maybe"})


def test_header_lookup_is_case_insensitive_with_aiohttp_headers() -> None:
    """aiohttp's case-insensitive headers work whatever case the server used."""
    headers = CIMultiDict({"X-Should-Retry": "false", "Retry-After": "3"})
    assert not should_retry_status(500, headers)
    assert retry_after_seconds(headers) == 3.0


def test_retry_after_seconds_integer() -> None:
    """``retry-after: 2`` is two seconds."""
    assert retry_after_seconds({"retry-after": "2"}) == 2.0


def test_retry_after_seconds_fraction() -> None:
    """A fractional ``retry-after`` is read as is."""
    assert retry_after_seconds({"retry-after": "0.25"}) == 0.25


def test_retry_after_ms_wins_over_retry_after() -> None:
    """``retry-after-ms`` is preferred for its precision."""
    assert retry_after_seconds({"retry-after-ms": "150", "retry-after": "9"}) == 0.15


def test_bad_retry_after_ms_falls_back_to_retry_after() -> None:
    """An unreadable ``retry-after-ms`` does not hide a good ``retry-after``."""
    assert retry_after_seconds({"retry-after-ms": "soon", "retry-after": "4"}) == 4.0


def test_retry_after_http_date() -> None:
    """An HTTP date is turned into seconds from now."""
    date = email.utils.formatdate(NOW + 30, usegmt=True)
    assert retry_after_seconds({"retry-after": date}, now=NOW) == 30.0


def test_retry_after_http_date_in_the_past_is_zero() -> None:
    """A date already gone means retry now."""
    date = email.utils.formatdate(NOW - 30, usegmt=True)
    assert retry_after_seconds({"retry-after": date}, now=NOW) == 0.0


def test_retry_after_negative_is_zero() -> None:
    """A negative number is clamped to zero."""
    assert retry_after_seconds({"retry-after": "-5"}) == 0.0


@pytest.mark.parametrize("value", ["soon", "", "nan", "inf", "Mon, 99 Foo 2026"])
def test_retry_after_garbage_is_none(value: str) -> None:
    """An unreadable value is ignored."""
    assert retry_after_seconds({"retry-after": value}) is None


def test_retry_after_absent_is_none() -> None:
    """No header, no server-given pause."""
    assert retry_after_seconds({}) is None


def test_backoff_doubles_then_caps() -> None:
    """Without jitter the delays double from the initial value up to the cap."""
    delays = [backoff_delay(n, initial=0.5, maximum=8.0, rand=lambda: 0.0) for n in range(7)]
    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_backoff_jitter_takes_off_at_most_a_quarter() -> None:
    """Full jitter shortens a delay by 25 %, never more."""
    assert backoff_delay(0, initial=1.0, maximum=8.0, rand=lambda: 0.999999) > 0.75
    assert backoff_delay(0, initial=1.0, maximum=8.0, rand=lambda: 1.0) == 0.75


def test_backoff_survives_huge_retry_counts() -> None:
    """A very large retry count stays at the cap instead of overflowing."""
    assert backoff_delay(10_000, initial=0.5, maximum=8.0, rand=lambda: 0.0) == 8.0


def test_policy_prefers_the_servers_pause() -> None:
    """A readable ``retry-after`` replaces the computed backoff."""
    policy = RetryPolicy(initial_delay=5.0)
    assert policy.delay(0, {"retry-after": "0.01"}, rand=lambda: 0.0) == 0.01


def test_policy_caps_the_servers_pause() -> None:
    """A server asking for an hour is cut down to the policy's cap."""
    policy = RetryPolicy(max_retry_after=60.0)
    assert policy.delay(0, {"retry-after": "3600"}) == 60.0


def test_policy_falls_back_to_backoff() -> None:
    """Without a server pause the policy backs off exponentially."""
    policy = RetryPolicy(initial_delay=0.1, max_delay=1.0)
    assert policy.delay(2, {}, rand=lambda: 0.0) == pytest.approx(0.4)
    assert policy.delay(2, None, rand=lambda: 0.0) == pytest.approx(0.4)


def test_policy_defaults_match_the_documented_values() -> None:
    """Two retries, 0.5 s doubling up to 8 s, server pauses capped at a minute."""
    policy = RetryPolicy()
    assert (policy.max_retries, policy.initial_delay, policy.max_delay) == (2, 0.5, 8.0)
    assert policy.max_retry_after == _retry.DEFAULT_MAX_RETRY_AFTER == 60.0


@pytest.mark.parametrize("value", [-1, True, 1.5])
def test_policy_rejects_bad_max_retries(value: object) -> None:
    """max_retries must be a non-negative int; the error names the field."""
    with pytest.raises((TypeError, ValueError), match="max_retries"):
        RetryPolicy(max_retries=value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [-0.1, float("inf"), float("nan")])
def test_policy_rejects_bad_delays(value: float) -> None:
    """Delays must be finite and non-negative; the error names the field."""
    with pytest.raises(ValueError, match="max_delay"):
        RetryPolicy(max_delay=value)
