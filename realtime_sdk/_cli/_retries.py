"""What the command says about retries: a line on stderr per retry, and why it gave up."""

import argparse
from typing import TextIO

from realtime_sdk import errors
from realtime_sdk._client._attempts import Attempt
from realtime_sdk._client._retry import should_retry_call_change, should_retry_status


class RetryReporter:
    """Says on stderr when a call is retried, and counts attempts for the final message.

    The client's ``on_attempt`` hook: it is handed an `Attempt` once each attempt is over.
    """

    def __init__(self, err: TextIO) -> None:
        self._err = err
        self.attempts = 0

    def __call__(self, attempt: Attempt) -> None:
        self.attempts += 1
        if attempt.retry_in is None:
            return
        if attempt.answered:
            what = f"was answered {attempt.status_code} (request id {attempt.request_id})"
        else:
            what = f"failed after {attempt.elapsed:.1f} s ({attempt.error})"
        self._err.write(
            f"retrying in {attempt.retry_in:.1f} s (retry {attempt.number} of "
            f"{attempt.max_retries}): attempt {self.attempts} {what}\n"
        )
        self._err.flush()


def gave_up(
    exc: errors.RealtimeSDKError, attempts: int, elapsed: float, args: argparse.Namespace
) -> str | None:
    """The closing line for a failure that retries could have helped: attempts and the limit."""
    if not _retryable(exc, changes_call=args.command == "call") or attempts == 0:
        return None
    if attempts > args.max_retries or not args.total_timeout:
        limit = f"the retry limit (--max-retries {args.max_retries})"
    else:
        limit = f"the overall limit of {args.total_timeout:g} s (--total-timeout)"
    line = f"gave up after {attempts} attempt{'s' if attempts != 1 else ''} in {elapsed:.1f} s: {limit} was reached"
    if isinstance(exc, errors.APITimeoutError):
        line += f"; each attempt may take {args.timeout:g} s (--timeout)"
    return line


def _retryable(exc: errors.RealtimeSDKError, *, changes_call: bool) -> bool:
    """Whether the client's retry rule would have tried the failure again."""
    if isinstance(exc, errors.APIConnectionError):
        return not (changes_call and exc.maybe_sent)
    if isinstance(exc, errors.APIStatusError):
        verdict = should_retry_call_change if changes_call else should_retry_status
        return verdict(exc.status_code, exc.headers, exc.code)
    return False
