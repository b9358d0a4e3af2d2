"""Probes the reliability scenarios share: descriptors, threads, the pool, outcome classes."""

import threading
from pathlib import Path
from typing import Any

from realtime_sdk import RealtimeClient, errors

# Every exception class the SDK documents (the tree drawn in realtime_sdk/errors.py).
DOCUMENTED_ERRORS: frozenset[type[BaseException]] = frozenset(
    value
    for value in vars(errors).values()
    if isinstance(value, type) and issubclass(value, errors.RealtimeSDKError)
)


def open_fds() -> int:
    """How many file descriptors this process holds now."""
    return sum(1 for _ in Path("/proc/self/fd").iterdir())


def thread_names() -> set[str]:
    """The names and ids of the live threads, to compare before and after a scenario."""
    return {f"{thread.name}#{thread.ident}" for thread in threading.enumerate()}


def acquired_connections(client: RealtimeClient) -> int:
    """Connections the client's pool has handed out and not yet taken back."""
    session = client._session
    if session is None:
        return 0
    connector: Any = session.connector
    return len(connector._acquired)


def outcome_name(result: object) -> str:
    """A label for how a call ended: ``ok``, or the exception class name."""
    if isinstance(result, BaseException):
        return type(result).__name__
    return "ok"


def is_documented(exc: BaseException) -> bool:
    """Whether an exception is one of the SDK's own documented classes (not a raw one)."""
    return type(exc) in DOCUMENTED_ERRORS
