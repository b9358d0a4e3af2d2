"""Words for values and types in error messages: the JSON kind of a value, never the value."""

import json
import types
import typing
from collections.abc import Mapping
from typing import Any, Final, Literal, get_args, get_origin

import attrs

from realtime_sdk._secret import Secret
from realtime_sdk._unset import Unset

_KINDS: Final = {
    str: "str",
    int: "int",
    float: "float",
    bool: "bool",
    list: "array",
    dict: "object",
}
_NONE: Final = type(None)
_PRIMITIVES: Final = {
    str: "a string",
    Secret: "a string",
    bool: "a boolean",
    int: "an integer",
    float: "a number",
}


def kind_of(value: object) -> str:
    """The JSON kind of a value (``str``, ``int``, ``null``, ...), never the value itself."""
    if value is None:
        return "null"
    kind = _KINDS.get(type(value))
    if kind is not None:
        return kind
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def is_union(t: object) -> bool:
    """Whether `t` is a ``X | Y`` (or ``Union[X, Y]``) type form."""
    return get_origin(t) in (typing.Union, types.UnionType)


def union_members(t: object) -> list[Any]:
    """The members of a union other than ``None`` and `Unset`."""
    return [a for a in get_args(t) if a is not _NONE and a != Unset]


def describe(t: Any) -> str:  # noqa: ANN401 - any type form
    """What a value of type `t` looks like in JSON, for "expected ..." messages."""
    primitive = _PRIMITIVES.get(t)
    if primitive is not None:
        return primitive
    origin = get_origin(t)
    if origin is Literal:
        values = get_args(t)
        listing = ", ".join(json.dumps(v) for v in values)
        return listing if len(values) == 1 else f"one of {listing}"
    if origin is list:
        return "an array"
    if origin is dict or attrs.has(t):
        return "an object"
    if is_union(t):
        members = union_members(t)
        if str in members:
            text = "a string"  # an open enum: the known values only guide readers
        else:
            text = " or ".join(dict.fromkeys(describe(a) for a in members))
        return text + (" or null" if _NONE in get_args(t) else "")
    return "a JSON value"


def describe_required(t: Any) -> str:  # noqa: ANN401 - any type form
    """`describe` for a missing key: the kind it needs, without the null only answers carry."""
    if is_union(t) and _NONE in get_args(t):
        rest = tuple(a for a in get_args(t) if a is not _NONE)
        return describe(rest[0] if len(rest) == 1 else typing.Union[rest])  # noqa: UP007 - built at runtime
    return describe(t)


__all__ = ["describe", "describe_required", "is_union", "kind_of", "union_members"]
