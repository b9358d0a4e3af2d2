"""The two JSON paths (stdlib, and orjson from the speedups extra) give every body one meaning."""

import math
import subprocess
import sys
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from realtime_sdk import RequestValidationError
from realtime_sdk import models as m
from realtime_sdk._wire import _json
from realtime_sdk._wire._requests import dumps_request

_FAST_DUMPS = _json._dumps_orjson(orjson)
_FAST_LOADS = _json._loads_orjson(orjson)

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()  # beyond 64 bits too
    | st.integers(min_value=-(2**64), max_value=2**64)
    | st.floats(allow_nan=False, allow_infinity=False)  # tiny, huge, negative, -0.0
    | st.text()  # any code point, NUL and lone surrogates included
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values, kinds included: 1 is not 1.0, -0.0 is not 0.0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def _outcome(encode: Any, value: Any) -> tuple[str, Any]:
    try:
        return "ok", encode(value)
    except (TypeError, ValueError, UnicodeEncodeError) as exc:
        return "error", type(exc)


@given(_values)
def test_both_encoders_accept_and_refuse_the_same_values(value: Any) -> None:
    """Whatever one path encodes, the other encodes to the same value; what one refuses, both do."""
    slow, fast = _outcome(_json.dumps_stdlib, value), _outcome(_FAST_DUMPS, value)
    assert slow[0] == fast[0]
    if slow[0] == "ok":
        assert _same(_json.loads_stdlib(slow[1]), value)
        assert _same(_json.loads_stdlib(fast[1]), value)


@given(_values)
def test_both_decoders_read_the_same_value(value: Any) -> None:
    """A body read through orjson equals the same body read by the standard library."""
    kind, body = _outcome(_json.dumps_stdlib, value)
    if kind != "ok":
        return
    assert _same(_FAST_LOADS(body), _json.loads_stdlib(body))
    assert _same(_FAST_LOADS(body), value)


@pytest.mark.parametrize(
    "body",
    [
        b"[18446744073709551616]",  # past 64 bits: orjson would read a float
        b'{"n": -123456789012345678901234567890}',
        b'{"id": "ek_00", "n": -9223372036854775809}',  # 19 digits, just past 64 bits
        '{"t": "\u00e9"}'.encode("utf-16"),  # not UTF-8
        b'["\\ud800"]',  # a lone surrogate escape
        b'{"a": 1, "a": 2}',  # duplicate keys: the last one wins on both paths
    ],
    ids=["u64+1", "huge negative", "i64-1", "utf-16", "lone surrogate", "duplicate key"],
)
def test_bodies_orjson_declines_are_read_as_the_standard_library_reads_them(body: bytes) -> None:
    """Where orjson cannot keep the meaning, the standard library decides."""
    assert _same(_FAST_LOADS(body), _json.loads_stdlib(body))


@pytest.mark.parametrize("body", [b"[NaN]", b"[Infinity]", b"[1] [2]", b"", b"{"])
def test_what_is_not_json_is_refused_on_both_paths(body: bytes) -> None:
    """NaN, Infinity, trailing text and cut-off bodies are not JSON on either path."""
    with pytest.raises(ValueError):
        _json.loads_stdlib(body)
    with pytest.raises(ValueError):
        _FAST_LOADS(body)


def test_nan_is_refused_before_either_encoder_sees_it() -> None:
    """orjson would write NaN as null: a request holding one is refused, with its path."""
    tool = {"type": "function", "name": "f", "parameters": {"default": math.nan}}
    body = {"session": {"type": "realtime", "tools": [tool]}}
    with pytest.raises(RequestValidationError) as info:
        dumps_request(body, m.RealtimeCreateClientSecretRequest)
    assert [str(e) for e in info.value.errors] == [
        "session.tools[0].parameters.default: expected a finite number, got NaN or infinity"
    ]


def test_the_installed_extra_is_used() -> None:
    """With orjson installed (the test extra brings it), the SDK encodes and decodes with it."""
    assert _json.USING_ORJSON


def test_without_orjson_the_standard_library_does_the_work() -> None:
    """A process where orjson cannot be imported uses the stdlib path, with the same bytes out."""
    script = (
        "import sys; sys.modules['orjson'] = None\n"
        "from realtime_sdk import models as m\n"
        "from realtime_sdk._wire import _json\n"
        "from realtime_sdk._wire._requests import dumps_request\n"
        "assert not _json.USING_ORJSON\n"
        "body = {'session': {'type': 'realtime', 'instructions': 'h\\u00e9\\x00'}}\n"
        "sys.stdout.buffer.write(dumps_request(body, m.RealtimeCreateClientSecretRequest))\n"
    )
    out = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", script], capture_output=True, check=True, timeout=60
    ).stdout
    assert out == '{"session":{"type":"realtime","instructions":"h\u00e9\\u0000"}}'.encode()
