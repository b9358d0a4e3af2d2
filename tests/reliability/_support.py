"""What the reliability scenarios share: their sizes, and probes of descriptors, threads,
the pool and outcome classes."""

import contextlib
import os
import pickle
import threading
import traceback
import types
from collections.abc import Mapping
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
    session = client._pool.session
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


# -- everything an exception lets a reader reach -----------------------------------------

_LEAVES = (str, bytes, int, float, complex, bool, type(None))
_NOT_WALKED = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType)
_NOT_WALKED_EITHER = (types.MethodType, types.TracebackType, types.FrameType, types.CodeType)


def reachable(root: object, limit: int = 100_000) -> list[object]:
    """Every object reachable from `root` through exception links, args, attributes and items.

    Followed: ``__cause__``, ``__context__``, ``args`` and ``__notes__`` of exceptions, the
    ``__dict__`` and ``__slots__`` of any object, mapping keys and values, and sequence and
    set items. Not followed: classes, modules, functions, and tracebacks (their frames hold
    the caller's own locals, the client's headers among them, which no exception owns).
    """
    seen: set[int] = set()
    found: list[object] = []
    stack: list[object] = [root]
    while stack and len(found) < limit:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, _NOT_WALKED + _NOT_WALKED_EITHER):
            continue
        seen.add(id(obj))
        found.append(obj)
        if isinstance(obj, _LEAVES):
            continue
        if isinstance(obj, BaseException):
            stack.extend([obj.__cause__, obj.__context__, *obj.args])
            stack.extend(getattr(obj, "__notes__", ()))
        if isinstance(obj, Mapping):
            for key, value in list(obj.items()):
                stack.extend((key, value))
        elif isinstance(obj, list | tuple | set | frozenset):
            stack.extend(obj)
        stack.extend(_attributes(obj))
    return found


def _attributes(obj: object) -> list[object]:
    values: list[object] = []
    with contextlib.suppress(TypeError):
        values.extend(vars(obj).values())
    for cls in type(obj).__mro__:
        slots = cls.__dict__.get("__slots__", ())
        for name in (slots,) if isinstance(slots, str) else slots:
            with contextlib.suppress(AttributeError, TypeError):
                values.append(getattr(obj, name))
    return values


def _text_of(obj: object) -> str:
    if isinstance(obj, str):
        return obj
    if isinstance(obj, bytes):
        return obj.decode("latin-1")
    try:
        return repr(obj)
    except Exception as exc:  # a repr that fails is reported, not fatal to the scan
        return f"<repr failed: {exc!r}>"


def secret_texts(exc: BaseException) -> list[tuple[str, str]]:
    """(where, text) for every object reachable from `exc`, plus its pickle and traceback."""
    texts = [(f"reachable {type(obj).__name__}", _text_of(obj)) for obj in reachable(exc)]
    texts.append(("str", str(exc)))
    try:
        texts.append(("pickle", pickle.dumps(exc).decode("latin-1")))
    except TypeError:
        # The SDK's own errors always pickle; only a foreign one (a planted probe) may not.
        if isinstance(exc, errors.RealtimeSDKError):
            raise
    texts.append(("traceback", "".join(traceback.format_exception(exc))))
    return texts


def leaked(exc: BaseException, secrets: list[str]) -> list[str]:
    """Where any of `secrets` shows up in what `exc` lets a reader reach (empty when clean)."""
    return [
        f"{where}: {secret[:10]}..."
        for where, text in secret_texts(exc)
        for secret in secrets
        if secret in text
    ]
