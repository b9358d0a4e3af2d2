"""Hand-written attrs validators and the repr used by the generated models.

Validators check schema facts only (ranges, item counts, patterns) and run in ``__init__``,
so a bad value is reported at the line that built the object. Their messages name the field
and the expectation, never the value: a key pasted into the wrong field must not be echoed.
"""

import re
from collections.abc import Callable, Mapping
from typing import Any, Final, cast

import attrs
from attrs import AttrsInstance

from realtime_sdk._unset import UNSET
from realtime_sdk.errors import FieldError, RequestValidationError

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

_KINDS = {str: "str", int: "int", float: "float", bool: "bool", list: "array", dict: "object"}


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


def _fail(attribute: "attrs.Attribute[Any]", expected: str, got: str) -> None:
    error = FieldError(path=attribute.name, expected=expected, got=got)
    raise RequestValidationError([error])


def _span(low: float | None, high: float | None, what: str) -> str:
    if low is not None and high is not None:
        return f"{what} from {low} to {high}"
    if low is not None:
        return f"{what} of at least {low}"
    return f"{what} of at most {high}"


def in_range(low: float | None, high: float | None, *, integer: bool = False) -> Validator:
    """Reject numbers outside ``[low, high]``; other values are the converter's business."""
    expected = _span(low, high, "an integer" if integer else "a number")

    def check(_inst: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
        # type() and not isinstance(): a bool is no number here, and UNSET/None fall through.
        if (type(value) is int or type(value) is float) and (
            (low is not None and value < low) or (high is not None and value > high)
        ):
            _fail(attribute, expected, f"{kind_of(value)} out of range")

    return check


def min_items(count: int) -> Validator:
    """Reject lists with fewer than `count` items."""
    expected = f"at least {count} item{'s' if count != 1 else ''}"

    def check(_inst: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
        if type(value) is list and len(value) < count:
            _fail(attribute, expected, f"{len(value)} items")

    return check


def matches(pattern: str) -> Validator:
    """Reject strings in which `pattern` does not match (JSON Schema's search semantics)."""
    regex = re.compile(pattern)
    expected = f"a string matching {pattern}"

    def check(_inst: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
        if type(value) is str and regex.search(value) is None:
            _fail(attribute, expected, "a string that does not match")

    return check


def extra_keys(inst: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    """Check the unknown-key store: a mapping whose keys are not the class's own fields."""
    if value:  # the shared empty default needs no check, which keeps __init__ cheap
        if not isinstance(value, Mapping):
            _fail(attribute, "a mapping of unknown JSON keys", kind_of(value))
        names = attrs.fields_dict(cast("type[AttrsInstance]", type(inst)))
        for key in cast("Mapping[object, object]", value):
            if type(key) is not str or key in names:
                _fail(attribute, "keys that are not fields of this class", "a known field name")


def model_repr(self: object) -> str:
    """A repr listing only the fields that are set; unknown keys are shown by name only.

    It never raises: a half-built instance (a slot not yet written, seen in a traceback
    with ``capture_locals=True``) shows that field as ``<missing>``.
    """
    parts: list[str] = []
    for field in attrs.fields(cast("type[AttrsInstance]", type(self))):
        value: Any = getattr(self, field.name, _MISSING)
        if value is UNSET:
            continue
        if value is _MISSING:
            parts.append(f"{field.name}=<missing>")
        elif field.name == "extra_fields":
            if value:
                parts.append(f"extra_fields=<{', '.join(sorted(value))}>")
        else:
            parts.append(f"{field.name}={_safe_repr(value)}")
    return f"{type(self).__name__}({', '.join(parts)})"


_MISSING: Final = object()


def _safe_repr(value: object) -> str:
    try:
        return repr(value)
    except Exception:  # noqa: BLE001 - a repr is for reading; it must not raise in turn
        return f"<{type(value).__name__}, repr failed>"


__all__ = ["extra_keys", "in_range", "kind_of", "matches", "min_items", "model_repr"]
