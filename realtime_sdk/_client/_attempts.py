"""Attempt: what the client tells an ``on_attempt`` hook once each attempt of a call is over.

The hook is the public way to watch retries (the ``realtime-sdk`` command prints its
retry lines from it): the library never configures logging, and nothing reads its log
messages back.
"""

from collections.abc import Callable

import attrs

from realtime_sdk.errors import ConfigurationError


@attrs.frozen(kw_only=True)
class Attempt:
    """One attempt of a call, as the ``on_attempt`` hook receives it.

    The hook is called once per attempt, after the client has decided whether to retry and
    before it pauses, on the thread that runs the client's event loop. It is a plain
    (not async) callable, and it should return quickly: the call waits for it. An exception
    it raises ends the call with that exception (the attempt has still been made: a key may
    have been minted).

    Attributes:
        operation: the client method, e.g. ``"create_realtime_client_secret"``.
        number: 1 for the first attempt, 2 for the first retry, and so on.
        max_retries: the retries this call may make (the client's, or the call's own).
        elapsed: seconds the attempt took, from asking for a key or a pool place to the
            last body byte or the failure.
        answered: whether a whole answer arrived (a 2xx, or an error status the call
            may retry or end with); False when the attempt failed without one (a timeout,
            a refused or broken connection).
        status_code: the answer's HTTP status; for a failure, the status when the status
            line arrived before the body broke off, else None.
        request_id: the answer's ``x-request-id``, masked like every server-sent text;
            None when there was none.
        error: the class name of the exception this attempt ended in (``"APITimeoutError"``,
            ``"RateLimitError"``...), or None for a 2xx answer.
        retry_in: seconds the client waits before the next attempt, or None when no
            attempt follows (a success, or a failure the call ends with).
    """

    operation: str
    number: int
    max_retries: int
    elapsed: float
    answered: bool
    status_code: int | None = None
    request_id: str | None = None
    error: str | None = None
    retry_in: float | None = None


AttemptHook = Callable[[Attempt], None]
"""The ``on_attempt`` setting: a plain callable taking an `Attempt`."""


def check_hook(value: object) -> AttemptHook | None:
    """``value`` as an attempt hook, or None.

    Raises:
        ConfigurationError: ``value`` is neither None nor callable.
    """
    if value is None or callable(value):
        return value
    msg = f"on_attempt: expected a callable taking an Attempt, or None; got {type(value).__name__}"
    raise ConfigurationError(msg)


__all__ = ["Attempt", "AttemptHook", "check_hook"]
