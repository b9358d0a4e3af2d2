"""Which values JSON carries as they are: paths, and the walk over pass-through JSON.

A request's free-form parts (metadata, a JSON Schema, keys newer than this SDK, extra
body fields) are sent as given, so they must be JSON as they are: string keys, finite
numbers, JSON kinds only, nested at most `MAX_DEPTH` deep. Paths are kept as linked pairs
``(parent, key)`` and turned into text only when an error is reported, so a value that
fits builds no strings.
"""

import math
from collections.abc import Mapping
from typing import Any, Final

from realtime_sdk._wire._kinds import kind_of
from realtime_sdk.errors import FieldError

# Pass-through JSON deeper than this is refused: encoders would run out of stack.
MAX_DEPTH: Final = 200

At = tuple[Any, str | int] | None
"""A path: None at the root, else (the parent's path, a key or an index)."""


def path_text(at: At) -> str:
    """``session.tools[1].name`` for the linked path `at`."""
    parts: list[str] = []
    while at is not None:
        at, key = at
        parts.append(f"[{key}]" if type(key) is int else f".{key}")
    return "".join(reversed(parts)).removeprefix(".")


def error_at(at: At, expected: str, got: str | None) -> FieldError:
    """The error at the linked path `at`."""
    return FieldError(path_text(at), expected, got)


def non_string_key(path: str, key: object) -> FieldError:
    """A key JSON cannot carry (it would be turned into text)."""
    # The key itself is not shown: it is data, and may not even print.
    return FieldError(path, "string keys", f"a key of kind {kind_of(key)}")


def json_misfit(value: object, path: str = "") -> FieldError | None:
    """The first part of a value that JSON cannot carry as given, with its path, if any.

    JSON encoders would turn a non-string key into text (so ``{1: "a", "1": "b"}`` goes out
    with the same key twice) and NaN into an error or a null: a value is sent as given, or
    refused here. Walks with its own stack, at most `MAX_DEPTH` deep; `path` is where
    `value` sits, prefixed to the paths of errors.
    """
    error = misfit_at(value)
    if error is None or not path:
        return error
    where = (
        f"{path}.{error.path}"
        if error.path and not error.path.startswith("[")
        else path + error.path
    )
    return FieldError(where.removeprefix("."), error.expected, error.got)


# What is JSON as it is, told by class; the walk below pushes only what needs a look.
_SCALARS: Final = frozenset({str, int, bool, type(None)})


def misfit_at(value: object) -> FieldError | None:  # noqa: C901 - one walk, inlined
    """The first misfit of `value`, with its path from `value`, if any."""
    # Paths are linked pairs until an error needs one as text.
    stack: list[tuple[At, object, int]] = [(None, value, 0)]
    while stack:
        at, item, depth = stack.pop()
        if item.__class__ in _SCALARS:
            continue
        if type(item) is float:
            if not math.isfinite(item):
                return error_at(at, "a finite number", "NaN or infinity")
            continue
        if depth >= MAX_DEPTH:
            return error_at(at, f"JSON nested at most {MAX_DEPTH} deep", "deeper nesting")
        if type(item) is dict or isinstance(item, Mapping):
            for key, x in item.items():
                if type(key) is not str:
                    return non_string_key(path_text(at), key)
                if x.__class__ not in _SCALARS:
                    stack.append(((at, key), x, depth + 1))
        elif type(item) is list or type(item) is tuple:
            stack.extend(
                ((at, i), x, depth + 1) for i, x in enumerate(item) if x.__class__ not in _SCALARS
            )
        else:
            return error_at(at, "JSON values only", kind_of(item))
    return None


__all__ = ["MAX_DEPTH", "At", "error_at", "json_misfit", "misfit_at", "non_string_key", "path_text"]
