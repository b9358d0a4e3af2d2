"""Requests: checked once, as the JSON they are sent as, then encoded.

A model is unstructured by the converter first, a dict is taken as it is; that JSON value
is checked by the one validator (`realtime_sdk._wire._validators`) against the rules the
generator wrote (`realtime_sdk._wire._rules`), which reports every bad field with its path
before anything is sent. The bytes sent are that value's own encoding.
"""

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

import attrs
from cattrs.preconf.json import JsonConverter

from realtime_sdk._spec.operations import model_named
from realtime_sdk._wire import _json, _validators
from realtime_sdk._wire._converter import converter, reader, structure_with
from realtime_sdk._wire._errors import Invalid, model_name
from realtime_sdk._wire._json_values import MAX_DEPTH, json_misfit
from realtime_sdk._wire._kinds import kind_of
from realtime_sdk.errors import FieldError, RequestValidationError

T = TypeVar("T")
Model = Any  # any generated attrs class; kept loose so dumps_request accepts each of them


def validate(request: Model | Mapping[str, Any], cls: type[Model], *, strict: bool = False) -> None:
    """Check a request against the spec's rules for `cls`, as the JSON it would be sent as.

    A model is unstructured first; a dict is checked as it is. Every bad field is
    reported at once, each with its path and what was expected there (never the value).

    Args:
        request: a model instance of `cls`, or a plain dict in the wire shape.
        cls: the request model the body must fit.
        strict: refuse keys the SDK does not know (suggesting the close name) instead of
            sending them as given.

    Raises:
        RequestValidationError: naming every field that does not fit, with its path.
    """
    request_payload(request, cls, strict=strict)


def structure_request(data: Any, cls: type[T], *, strict: bool = False) -> T:  # noqa: ANN401 - any decoded JSON
    """Check a request in its wire shape against `cls` and build the model.

    Args:
        data: the JSON-shaped request (dicts, lists, strings, numbers).
        cls: the model it must fit.
        strict: refuse keys the SDK does not know instead of keeping them in ``extra_fields``.

    Returns:
        The model instance.

    Raises:
        RequestValidationError: naming the fields that do not fit, with their paths.
    """
    payload = request_payload(data, cls, strict=strict)
    return structure_with(reader(), converter, payload, cls)


def dumps_request(
    request: Model | Mapping[str, Any], cls: type[Model] | str, *, strict: bool = False
) -> bytes:
    """Validate a request once and encode it as compact JSON.

    A model is unstructured, a dict taken as it is; that JSON value is checked against the
    rules of `cls` (unknown keys included: they are sent as given, a field newer than the
    SDK) and its own encoding is sent.

    Args:
        request: a model instance of `cls`, or a plain dict in the wire shape.
        cls: the request model the body must fit, or its schema name in
            ``realtime_sdk.models``: a dict is then checked without creating any class.
        strict: refuse keys the SDK does not know, with a did-you-mean suggestion.

    Returns:
        The UTF-8 JSON body.

    Raises:
        RequestValidationError: naming the fields that do not fit, with their paths.
    """
    return encode_payload(request_payload(request, cls, strict=strict), cls)


def request_payload(
    request: Model | Mapping[str, Any], cls: type[Model] | str, *, strict: bool = False
) -> Any:  # noqa: ANN401 - the JSON value of any request
    """Validate a request once (as `dumps_request` does) and return it as a JSON-ready value.

    For bodies that are not one JSON document (a multipart form of JSON parts), whose
    parts are then encoded with `encode_payload`.

    Raises:
        RequestValidationError: naming the fields that do not fit, with their paths.
    """
    if type(request) is dict:
        payload: Any = request  # the common case: checked and sent as it is
    elif isinstance(request, Mapping):
        payload = dict(request)
    elif attrs.has(type(request)) and isinstance(
        request, model_named(cls) if isinstance(cls, str) else cls
    ):
        payload = to_dict_with(converter, request)
    else:
        error = FieldError("", f"a {model_name(cls) or 'model'} or a dict", kind_of(request))
        raise RequestValidationError([error], model=model_name(cls))
    rule = _validators.rule_named(cls) if isinstance(cls, str) else _validators.rule_for(cls)
    errors = _validators.check(payload, rule, strict=strict)
    if errors:
        raise RequestValidationError(errors, model=model_name(cls))
    return payload


def to_dict_with(writer: JsonConverter, obj: Any) -> Any:  # noqa: ANN401 - any model
    """Unstructure a model a program built, which may hold values no JSON has.

    Raises:
        RequestValidationError: a field holds something the converter cannot write.
    """
    try:
        return writer.unstructure(obj)
    except Invalid as exc:
        raise RequestValidationError(exc.errors, model=type(obj).__name__) from exc
    except (AttributeError, TypeError, ValueError) as exc:
        error = FieldError("", "JSON values only", "a value that cannot be written")
        raise RequestValidationError([error], model=type(obj).__name__) from exc


def encode_payload(payload: object, cls: type[Any] | str) -> bytes:
    """Encode a checked payload as compact JSON; `cls` names the model in an error.

    Raises:
        RequestValidationError: a checked value that still does not encode.
    """
    try:
        return _json.dumps(payload)
    except (TypeError, ValueError, RecursionError) as exc:
        # Checked values that still do not encode: a lone surrogate in a string. Say where.
        raise RequestValidationError([_unencodable(payload)], model=model_name(cls)) from exc


def _walk(value: object) -> Iterator[tuple[str, object]]:
    """Each value at or below `value`, with its path, at most `MAX_DEPTH` deep."""
    stack: list[tuple[str, object, int]] = [("", value, 0)]
    while stack:
        where, item, depth = stack.pop()
        yield where, item
        if depth >= MAX_DEPTH:
            continue
        if isinstance(item, dict):
            stack.extend((f"{where}.{k}", v, depth + 1) for k, v in item.items())
        elif isinstance(item, list | tuple):
            stack.extend((f"{where}[{i}]", v, depth + 1) for i, v in enumerate(item))


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return True
    return False


def _unencodable(payload: object) -> FieldError:
    """Where a payload holds the first value JSON cannot encode."""
    error = json_misfit(payload)
    if error is not None:
        return FieldError(error.path.removeprefix("."), error.expected, error.got)
    for path, value in _walk(payload):
        texts = (
            [value] if isinstance(value, str) else list(value) if isinstance(value, dict) else []
        )
        if any(_has_lone_surrogate(t) for t in texts if isinstance(t, str)):
            return FieldError(path.removeprefix("."), "text UTF-8 can encode", "a lone surrogate")
    return FieldError("", "JSON values only", "a value JSON cannot encode")


__all__ = [
    "dumps_request",
    "encode_payload",
    "request_payload",
    "structure_request",
    "to_dict_with",
    "validate",
]
