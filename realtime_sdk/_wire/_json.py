"""JSON text in and out: the standard library, or orjson when the ``speedups`` extra is installed.

Both give every body the same meaning. orjson is tried first and the standard library is
the authority whenever orjson declines: an integer beyond 64 bits (orjson would read it as
a float, so such bodies skip it), UTF-16 text, a lone surrogate escape. Values JSON cannot
carry as given (NaN, non-string keys) never get here: the validator refuses them before a
request is encoded (see `_json_values.json_misfit`), because orjson would write NaN as null.
"""

import json
from collections.abc import Callable
from types import ModuleType
from typing import Any, Final

orjson: ModuleType | None
try:
    import orjson
except ImportError:  # the speedups extra is not installed
    orjson = None

# No check for cycles (it keeps a table of every container it enters, a sixth of the
# encoding's time): requests, events and extra bodies are walked by the validator first,
# which bounds their nesting (`_json_values.MAX_DEPTH`), and a cycle anywhere else ends in
# RecursionError instead of ValueError.
_ENCODER: Final = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False, check_circular=False
)


def _refuse_constant(name: str) -> object:
    msg = f"{name} is not JSON"
    raise ValueError(msg)


# NaN and Infinity are not JSON, though the standard library reads them by default.
_DECODER: Final = json.JSONDecoder(parse_constant=_refuse_constant)
_JSON_SPACE: Final = " \t\n\r"  # the only space JSON allows around a document

# Nineteen digits in a row may be an integer orjson cannot hold exactly (past the 64-bit
# range it reads a float: -9223372036854775809 has 19 digits); the standard library reads
# them exactly. Digits in strings merely take that path too. Found as a plain substring
# after every digit becomes "0" and every other byte a space: a regex for the run costs
# ten times as much on a typical answer, whose ids and keys are full of digits.
_DIGITS_AS_ZEROS: Final = bytes(
    ord("0") if byte in b"0123456789" else ord(" ") for byte in range(256)
)
_NINETEEN_DIGITS: Final = b"0" * 19


def _has_long_digit_run(data: bytes) -> bool:
    return _NINETEEN_DIGITS in data.translate(_DIGITS_AS_ZEROS)


def dumps_stdlib(value: object) -> bytes:
    """Compact UTF-8 JSON by the standard library.

    Raises:
        TypeError, ValueError, UnicodeEncodeError: for what JSON cannot hold as given.
        RecursionError: for a value that holds itself, or is nested too deep.
    """
    return _ENCODER.encode(value).encode()


def loads_stdlib(data: bytes) -> Any:  # noqa: ANN401 - any JSON
    """Parse exactly one JSON document (UTF-8, -16 or -32) by the standard library.

    Raises:
        ValueError, UnicodeDecodeError: for anything else.
    """
    # The common body, UTF-8 with no space before it, is parsed with no detour; anything
    # else (leading space, a BOM, UTF-16 or -32, an error) is parsed again the long way,
    # which decides and explains. A UTF-16 body read as UTF-8 never parses to its end.
    try:
        text = data.decode("utf-8", "surrogatepass")
        value, end = _DECODER.raw_decode(text)
    except ValueError:
        return _loads_detected(data)
    if end != len(text) and text[end:].strip(_JSON_SPACE):
        return _loads_detected(data)  # more than space after the document
    return value


def _loads_detected(data: bytes) -> Any:  # noqa: ANN401 - any JSON
    return _DECODER.decode(data.decode(json.detect_encoding(data), "surrogatepass"))


def _dumps_orjson(module: ModuleType) -> Callable[[object], bytes]:
    encode = module.dumps

    def dumps(value: object) -> bytes:
        try:
            encoded: bytes = encode(value)
        except TypeError:
            # An integer beyond 64 bits, a lone surrogate...: the standard library decides.
            return dumps_stdlib(value)
        return encoded

    return dumps


def _loads_orjson(module: ModuleType) -> Callable[[bytes], Any]:
    decode = module.loads
    declined = module.JSONDecodeError

    def loads(data: bytes) -> Any:  # noqa: ANN401 - any JSON
        if not _has_long_digit_run(data):
            try:
                return decode(data)
            except declined:
                pass  # the standard library decides, and explains
        return loads_stdlib(data)

    return loads


USING_ORJSON: Final = orjson is not None
"""Whether orjson does the work (the ``speedups`` extra is installed)."""

dumps: Final = dumps_stdlib if orjson is None else _dumps_orjson(orjson)
"""Compact UTF-8 JSON; raises TypeError, ValueError or UnicodeEncodeError for what JSON cannot hold."""

loads: Final = loads_stdlib if orjson is None else _loads_orjson(orjson)
"""Parse exactly one JSON document; raises ValueError (or UnicodeDecodeError) for anything else."""

__all__ = ["USING_ORJSON", "dumps", "dumps_stdlib", "loads", "loads_stdlib"]
