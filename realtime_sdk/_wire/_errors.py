"""Reading errors: the carrier the hooks raise, and the translation of cattrs' exception
groups into `FieldError`s with full paths (what `ResponseDecodeError` and
`RequestValidationError` list)."""

from collections.abc import Callable
from typing import Any

from cattrs.errors import ClassValidationError, IterableValidationError

from realtime_sdk._wire._kinds import describe_required, kind_of
from realtime_sdk.errors import FieldError, RequestValidationError

Structure = Callable[[Any, Any], Any]


class Invalid(ValueError):  # noqa: N818 - an internal carrier; the public API wraps it
    """Raised by the hooks: field errors with paths relative to the value being structured."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors))


def mismatch(expected: str, value: object) -> Invalid:
    return Invalid([FieldError("", expected, kind_of(value))])


def each_item(value: list[Any], item: Structure, item_type: object) -> list[Any]:
    out: list[Any] = []
    errors: list[FieldError] = []
    for index, raw in enumerate(value):
        try:
            out.append(item(raw, item_type))
        except Exception as exc:  # noqa: BLE001 - collected, reported together
            errors.extend(field_errors(exc, f"[{index}]"))
    if errors:
        raise Invalid(errors)
    return out


def each_value(value: dict[Any, Any], item: Structure, item_type: object) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    errors: list[FieldError] = []
    for key, raw in value.items():
        try:
            out[key] = item(raw, item_type)
        except Exception as exc:  # noqa: BLE001 - collected, reported together
            errors.extend(field_errors(exc, f".{key}"))
    if errors:
        raise Invalid(errors)
    return out


def with_other_errors(build: Callable[[], object], errors: list[FieldError]) -> list[FieldError]:
    """`errors`, after the errors that building the object from its known keys reports."""
    try:
        build()
    except Exception as exc:  # noqa: BLE001 - reported along with `errors`
        return field_errors(exc, "") + errors
    return errors


def field_errors(exc: BaseException, path: str) -> list[FieldError]:
    """Flatten cattrs' exception groups and our own carriers into FieldErrors with full paths."""
    if isinstance(exc, Invalid):
        return [FieldError(path + e.path, e.expected, e.got) for e in exc.errors]
    if isinstance(exc, RequestValidationError):  # a model's validator: the path starts at a field
        return [
            FieldError(f"{path}.{e.path}" if e.path else path, e.expected, e.got)
            for e in exc.errors
        ]
    if isinstance(exc, ClassValidationError | IterableValidationError):
        out: list[FieldError] = []
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            where = f".{note.name}" if hasattr(note, "name") else f"[{note.index}]"
            if isinstance(sub, KeyError):  # cattrs reads o[name]: a required key is missing
                out.append(
                    FieldError(
                        path + where, f"{describe_required(note.type)} (required)", "nothing"
                    )
                )
            else:
                out.extend(field_errors(sub, path + where))
        for sub in without:
            out.extend(field_errors(sub, path))
        return out
    if isinstance(exc, KeyError):
        return [FieldError(path, "a value (required)", "nothing")]
    return [FieldError(path, "a valid value", type(exc).__name__)]


def errors_of(exc: BaseException) -> list[FieldError]:
    return [FieldError(e.path.removeprefix("."), e.expected, e.got) for e in field_errors(exc, "")]


def model_name(cls: object) -> str | None:
    """The name of a model class for messages (a union alias has none)."""
    if isinstance(cls, str):
        return cls  # a model given by its schema name
    return getattr(cls, "__name__", None)


__all__ = [
    "Invalid",
    "each_item",
    "each_value",
    "errors_of",
    "field_errors",
    "mismatch",
    "model_name",
    "with_other_errors",
]
