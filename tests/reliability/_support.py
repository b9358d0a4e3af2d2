"""What the reliability scenarios share: their sizes, and probes of descriptors, threads,
the pool and outcome classes."""

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from realtime_sdk import RealtimeClient, errors

# Every exception class the SDK documents (the tree drawn in realtime_sdk/errors.py).
DOCUMENTED_ERRORS: frozenset[type[BaseException]] = frozenset(
    value
    for value in vars(errors).values()
    if isinstance(value, type) and issubclass(value, errors.RealtimeSDKError)
)


SIZE_ENV = "RELIABILITY_SIZE"


@dataclass(frozen=True, slots=True)
class Size:
    """How big each scenario runs."""

    name: str
    soak_calls: int
    soak_in_flight: int
    soak_connections: int
    lifecycle_clients: int
    lifecycle_sync_clients: int
    cancel_requests: int
    hypothesis_examples: int


SIZES = {
    "ci": Size(
        name="ci",
        soak_calls=2_000,
        soak_in_flight=256,
        soak_connections=64,
        lifecycle_clients=100,
        lifecycle_sync_clients=20,
        cancel_requests=500,
        hypothesis_examples=24,
    ),
    "full": Size(
        name="full",
        soak_calls=20_000,
        soak_in_flight=256,
        soak_connections=64,
        lifecycle_clients=1_000,
        lifecycle_sync_clients=1_000,
        cancel_requests=5_000,
        hypothesis_examples=400,
    ),
}


def current_size() -> Size:
    """The size picked by ``RELIABILITY_SIZE``; an unknown value stops the run."""
    name = os.environ.get(SIZE_ENV, "ci").strip().lower() or "ci"
    if name not in SIZES:
        msg = f"{SIZE_ENV}={name!r}: expected one of {sorted(SIZES)}"
        raise pytest.UsageError(msg)
    return SIZES[name]


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
