"""Answers and models as JSON: bytes read into a model leniently and losslessly, and a
model written back as exactly the JSON it stands for (see `realtime_sdk._wire._converter`)."""

from typing import Any, Final, TypeVar

from realtime_sdk._wire import _json
from realtime_sdk._wire._converter import Structure, converter, reader
from realtime_sdk._wire._errors import errors_of, model_name
from realtime_sdk.errors import FieldError, ResponseDecodeError

T = TypeVar("T")

# The fast reader's hook per answer class, looked up once: answers skip cattrs' dispatch.
_answer_hooks: Final[dict[object, Structure]] = {}


def loads_response(data: bytes, cls: type[T]) -> T:
    """Decode a response body into its model, keeping whatever this SDK does not know.

    Raises:
        ResponseDecodeError: the body is not JSON or does not fit `cls`.
    """
    try:
        payload = _json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        # RecursionError: JSON nested deeper than the decoder's stack (a hostile body).
        error = FieldError("", "a JSON document", "text that is not JSON")
        raise ResponseDecodeError([error], model=model_name(cls)) from exc
    return from_dict(payload, cls)


def from_dict(data: Any, cls: type[T]) -> T:  # noqa: ANN401 - any decoded JSON
    """Structure decoded JSON into a model, leniently and losslessly (as responses are read).

    Raises:
        ResponseDecodeError: the data does not fit `cls`.
    """
    hook = _answer_hooks.get(cls)
    if hook is None:
        hook = _answer_hooks.setdefault(cls, reader().get_structure_hook(cls))
    try:
        answer: T = hook(data, cls)
    except Exception as exc:  # noqa: BLE001 - explained again by the detailed converter
        failure: Exception = exc
    else:
        return answer
    try:
        converter.structure(data, cls)
    except Exception as exc:  # noqa: BLE001 - translated below
        failure = exc
    raise ResponseDecodeError(errors_of(failure), model=model_name(cls)) from failure


def from_json(data: bytes | str, cls: type[T]) -> T:
    """Parse JSON text and structure it into a model; see `from_dict`.

    Raises:
        ResponseDecodeError: the text is not JSON or does not fit `cls`.
        TypeError: `data` is neither bytes nor str (None, say).
    """
    given: object = data  # untyped callers pass anything
    if isinstance(given, str):
        return loads_response(given.encode("utf-8", "surrogatepass"), cls)
    if isinstance(given, bytes | bytearray | memoryview):
        return loads_response(bytes(given), cls)
    msg = f"from_json: expected the JSON text as bytes or str, got {type(given).__name__}"
    raise TypeError(msg)


def to_dict(obj: Any) -> Any:  # noqa: ANN401 - any model
    """The wire form of a model: UNSET fields left out, None as null, unknown keys kept."""
    return converter.unstructure(obj)


def to_json(obj: Any) -> bytes:  # noqa: ANN401 - any model
    """The compact JSON encoding of `to_dict(obj)`."""
    return _json.dumps(converter.unstructure(obj))


__all__ = ["from_dict", "from_json", "loads_response", "to_dict", "to_json"]
