"""The converter's wire rules: omitted vs null, no coercion, unions, unknown keys, errors."""

import json
import math
import pickle
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from realtime_sdk import (
    UNSET,
    RequestValidationError,
    ResponseDecodeError,
    Secret,
    converter,
    from_dict,
    from_json,
    to_dict,
    to_json,
)
from realtime_sdk import models as m
from realtime_sdk._codegen.ir import (
    ClassRef,
    DictOf,
    Field,
    ListOf,
    Lit,
    Mixed,
    OpenEnum,
    Prim,
    Tagged,
    TypeExpr,
)
from realtime_sdk._codegen.spec import build_ir, effective_spec
from realtime_sdk._spec import load_spec
from realtime_sdk._spec.operations import OPERATIONS
from realtime_sdk._wire._answers import loads_response
from realtime_sdk._wire._requests import dumps_request, structure_request

SECRET_VALUE = "ek_do_not_show_me_0123456789"
_EXAMPLES = Path(__file__).parent / "data" / "examples"
CS_REQ = m.RealtimeCreateClientSecretRequest
_IR = build_ir(effective_spec(load_spec()))


def _session(**fields: Any) -> dict[str, Any]:
    return {"session": {"type": "realtime", **fields}}


def _sent(payload: Any, cls: type = CS_REQ, **kwargs: Any) -> Any:
    return json.loads(dumps_request(payload, cls, **kwargs))


def _errors(payload: Any, cls: type = CS_REQ, **kwargs: Any) -> list[str]:
    with pytest.raises(RequestValidationError) as info:
        dumps_request(payload, cls, **kwargs)
    return [str(error) for error in info.value.errors]


# --- encoding ----------------------------------------------------------------------------


def test_body_is_compact_json() -> None:
    """The body has no spaces after separators."""
    body = dumps_request(CS_REQ(session=m.RealtimeSessionCreateRequestGA()), CS_REQ)
    assert body == b'{"session":{"type":"realtime"}}'


def test_null_is_sent_as_null_not_omitted() -> None:
    """turn_detection=None reaches the wire as null: voice activity detection off."""
    audio = m.RealtimeAudioConfig(input=m.RealtimeAudioInput(turn_detection=None))
    body = dumps_request(CS_REQ(session=m.RealtimeSessionCreateRequestGA(audio=audio)), CS_REQ)
    assert b'"turn_detection":null' in body


def test_unset_fields_are_left_out() -> None:
    """Fields left UNSET do not appear at all, and spec defaults are not invented."""
    sent = _sent(CS_REQ(expires_after=m.ClientSecretExpiration(seconds=60)))
    assert sent == {"expires_after": {"seconds": 60}}


def test_tag_is_always_written() -> None:
    """A tagged member writes its tag even though the caller never set it."""
    audio = m.RealtimeAudioConfig(input=m.RealtimeAudioInput(turn_detection=m.SemanticVad()))
    sent = _sent(CS_REQ(session=m.RealtimeSessionCreateRequestGA(audio=audio)))
    assert sent["session"]["audio"]["input"]["turn_detection"] == {"type": "semantic_vad"}


def test_dict_request_is_sent_verbatim() -> None:
    """A valid dict goes out with its keys and values unchanged."""
    payload = _session(model="gpt-realtime", audio={"input": {"turn_detection": None}})
    assert _sent(payload) == payload


def test_non_json_value_under_unknown_key_is_rejected() -> None:
    """A pass-through value JSON cannot encode is a validation error at its path, not a crash."""
    assert _errors(_session(future={1, 2})) == [
        "session.future: expected JSON values only, got set"
    ]


def test_request_of_wrong_kind_is_rejected() -> None:
    """Something that is neither the model nor a dict is reported at the root."""
    assert _errors([1, 2]) == [
        "(root): expected a RealtimeCreateClientSecretRequest or a dict, got array"
    ]


# --- no coercion ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            {"expires_after": {"seconds": 5.7}},
            "expires_after.seconds: expected an integer, got float",
        ),
        (
            {"expires_after": {"seconds": True}},
            "expires_after.seconds: expected an integer, got bool",
        ),
        (
            {"expires_after": {"seconds": "60"}},
            "expires_after.seconds: expected an integer, got str",
        ),
        (_session(instructions=None), "session.instructions: expected a string, got null"),
        (_session(instructions=5), "session.instructions: expected a string, got int"),
        (
            _session(parallel_tool_calls=1),
            "session.parallel_tool_calls: expected a boolean, got int",
        ),
        (
            _session(audio={"output": {"speed": "1.0"}}),
            "session.audio.output.speed: expected a number, got str",
        ),
        (
            _session(audio={"output": {"speed": float("nan")}}),
            "session.audio.output.speed: expected a number, got float",
        ),
        (
            _session(output_modalities="audio"),
            "session.output_modalities: expected an array, got str",
        ),
    ],
)
def test_wrong_primitive_is_rejected_without_coercion(payload: Any, expected: str) -> None:
    """A value of the wrong JSON kind is an error naming the path, never converted."""
    assert _errors(payload) == [expected]


def test_every_bad_field_is_listed() -> None:
    """All misfits are reported together, each with its full path."""
    payload = {
        "expires_after": {"seconds": 5},
        "session": {
            "type": "realtime",
            "audio": {"input": {"turn_detection": {"type": "server_vad", "threshold": "x"}}},
            "tools": [{"type": "function"}, {"type": "mcp"}],
        },
    }
    assert _errors(payload) == [
        "expires_after.seconds: expected an integer from 10 to 7200, got int out of range",
        "session.audio.input.turn_detection.threshold: expected a number, got str",
        "session.tools[1].server_label: expected a string (required), got nothing",
    ]


@pytest.mark.parametrize("mode", ["lenient", "strict"])
def test_a_tagged_member_is_checked_wherever_it_sits(mode: str) -> None:
    """A tagged object is held to its member's rules in a field, an array (a mapping item
    too) and a union by kind alike; a missing or null tag falls back to the union's rules."""
    payload = _session(
        tool_choice={"type": "function", "name": 3},
        tools=[
            MappingProxyType({"type": "function", "name": 3}),
            {"type": "mcp", "server_label": 1, "zz": 2},
            {"name": 4},
            {"type": None},
        ],
        audio={"output": {"format": {"type": "audio/pcm", "rate": 16000}}},
    )
    strict = mode == "strict"
    unknown = ["session.tools[1].zz: expected a known field, got an unknown key"] if strict else []
    assert _errors(payload, strict=strict) == [
        "session.tool_choice.name: expected a string, got int",
        "session.tools[0].name: expected a string, got int",
        "session.tools[1].server_label: expected a string, got int",
        *unknown,
        "session.tools[2].name: expected a string, got int",
        'session.tools[3].type: expected one of "function", "mcp", got an unknown null',
        "session.audio.output.format.rate: expected 24000, got another int",
    ]


def test_error_is_a_value_error_naming_the_model() -> None:
    """RequestValidationError is a ValueError whose message names the request model."""
    with pytest.raises(ValueError, match="1 invalid field in RealtimeCreateClientSecretRequest"):
        dumps_request({"expires_after": {"seconds": "x"}}, CS_REQ)


def test_messages_never_echo_values() -> None:
    """A key pasted into the wrong field does not appear in the error."""
    with pytest.raises(RequestValidationError) as info:
        dumps_request(_session(max_output_tokens=SECRET_VALUE, model=[SECRET_VALUE]), CS_REQ)
    assert SECRET_VALUE not in str(info.value)
    assert SECRET_VALUE not in repr(info.value.errors)


# --- ranges and facts ----------------------------------------------------------------------


@pytest.mark.parametrize("seconds", [9, 7201])
def test_expiry_outside_range_is_rejected(seconds: int) -> None:
    """expires_after.seconds must lie in 10..7200."""
    assert _errors({"expires_after": {"seconds": seconds}}) == [
        "expires_after.seconds: expected an integer from 10 to 7200, got int out of range"
    ]


@pytest.mark.parametrize("seconds", [10, 7200])
def test_expiry_at_range_edges_is_accepted(seconds: int) -> None:
    """The range's ends are allowed."""
    assert _sent({"expires_after": {"seconds": seconds}}) == {"expires_after": {"seconds": seconds}}


@pytest.mark.parametrize("speed", [0.24, 1.51])
def test_speed_outside_range_is_rejected(speed: float) -> None:
    """audio.output.speed must lie in 0.25..1.5."""
    assert _errors(_session(audio={"output": {"speed": speed}})) == [
        "session.audio.output.speed: expected a number from 0.25 to 1.5, got float out of range"
    ]


def test_empty_languages_list_is_rejected() -> None:
    """transcription.languages needs at least one item."""
    payload = _session(audio={"input": {"transcription": {"languages": []}}})
    assert _errors(payload) == [
        "session.audio.input.transcription.languages: expected at least 1 item, got 0 items"
    ]


def test_tunnel_id_pattern_is_checked() -> None:
    """An MCP tunnel_id must match its documented pattern."""
    tool = {"type": "mcp", "server_label": "s", "tunnel_id": "tunnel_X"}
    assert _errors(_session(tools=[tool])) == [
        (
            "session.tools[0].tunnel_id: expected a string matching ^tunnel_[a-z0-9]{32}$, "
            "got a string that does not match"
        )
    ]


# --- enums ---------------------------------------------------------------------------------


def test_closed_enum_rejects_unknown_value_in_request() -> None:
    """An eagerness the spec does not list is rejected, with the allowed values."""
    td = {"type": "semantic_vad", "eagerness": "frantic"}
    assert _errors(_session(audio={"input": {"turn_detection": td}})) == [
        (
            "session.audio.input.turn_detection.eagerness: expected one of "
            '"low", "medium", "high", "auto", got another str'
        )
    ]


@pytest.mark.parametrize(
    "payload",
    [
        _session(model="gpt-realtime-2099"),
        _session(audio={"output": {"voice": "a-voice-from-next-year"}}),
        _session(audio={"input": {"transcription": {"model": "whisper-9"}}}),
    ],
)
def test_open_enum_accepts_any_string(payload: dict[str, Any]) -> None:
    """Models, voices and transcription models newer than the spec are accepted."""
    assert _sent(payload) == payload


def test_unknown_enum_value_in_response_is_kept() -> None:
    """A response may carry an enum value newer than the SDK; it is kept as sent."""
    data = {"effort": "maximal"}
    obj = from_dict(data, m.RealtimeReasoning)
    assert obj.effort == "maximal"
    assert to_dict(obj) == data


# --- tagged unions -------------------------------------------------------------------------

TAGGED_CASES = [
    (m.RealtimeTurnDetection, {"type": "server_vad", "threshold": 0.5}, m.ServerVad),
    (m.RealtimeTurnDetection, {"type": "semantic_vad", "eagerness": "low"}, m.SemanticVad),
    (m.RealtimeAudioFormats, {"type": "audio/pcm", "rate": 24000}, m.PcmAudioFormat),
    (m.RealtimeAudioFormats, {"type": "audio/pcmu"}, m.PcmuAudioFormat),
    (m.RealtimeAudioFormats, {"type": "audio/pcma"}, m.PcmaAudioFormat),
    (m.RealtimeTool, {"type": "function", "name": "f"}, m.RealtimeFunctionTool),
    (m.RealtimeTool, {"type": "mcp", "server_label": "s"}, m.MCPTool),
    (m.ClientSecretSessionRequest, {"type": "realtime"}, m.RealtimeSessionCreateRequestGA),
    (
        m.ClientSecretSessionRequest,
        {"type": "transcription"},
        m.RealtimeTranscriptionSessionCreateRequestGA,
    ),
    (
        m.ClientSecretSessionResponse,
        {"type": "realtime", "id": "s", "object": "realtime.session"},
        m.RealtimeSessionCreateResponseGA,
    ),
    (
        m.ClientSecretSessionResponse,
        {"type": "transcription", "id": "s", "object": "realtime.transcription_session"},
        m.RealtimeTranscriptionSessionCreateResponseGA,
    ),
]


@pytest.mark.parametrize(("union", "data", "cls"), TAGGED_CASES)
def test_each_tag_selects_its_class_and_round_trips(union: Any, data: Any, cls: type) -> None:
    """Each known tag structures into its own class and unstructures to the same JSON."""
    obj = converter.structure(data, union)
    assert type(obj) is cls
    assert converter.unstructure(obj) == data


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            _session(audio={"input": {"turn_detection": {"type": "neural_vad"}}}),
            (
                'session.audio.input.turn_detection.type: expected one of "server_vad", '
                '"semantic_vad", got an unknown str'
            ),
        ),
        (
            _session(audio={"input": {"format": {"rate": 24000}}}),
            (
                'session.audio.input.format.type: expected one of "audio/pcm", "audio/pcmu", '
                '"audio/pcma", got no tag'
            ),
        ),
        (
            {"session": {"type": "voice"}},
            'session.type: expected one of "realtime", "transcription", got an unknown str',
        ),
        (
            _session(tools=[{"type": 7}]),
            'session.tools[0].type: expected one of "function", "mcp", got an unknown int',
        ),
    ],
)
def test_unknown_tag_in_request_lists_known_tags(payload: Any, expected: str) -> None:
    """An unknown or missing tag is a clear error that lists the tags the SDK knows."""
    assert _errors(payload) == [expected]


_TAGGED_TABLE = list(m.TAGGED_UNIONS.items())


@pytest.mark.parametrize(("union", "row"), _TAGGED_TABLE, ids=[str(u) for u, _ in _TAGGED_TABLE])
def test_every_tagged_union_rejects_an_unknown_tag_in_requests(union: Any, row: Any) -> None:
    """Each tagged union of the table refuses a tag it does not list, naming the known ones."""
    tag, members = row
    with pytest.raises(RequestValidationError) as info:
        structure_request({tag: "zz_from_the_future"}, union)
    known = ", ".join(json.dumps(value) for value in members)
    assert [str(e) for e in info.value.errors] == [
        f"{tag}: expected one of {known}, got an unknown str"
    ]


@pytest.mark.parametrize(("union", "row"), _TAGGED_TABLE, ids=[str(u) for u, _ in _TAGGED_TABLE])
def test_every_tagged_union_keeps_an_unknown_tag_in_responses(union: Any, row: Any) -> None:
    """Each tagged union of the table reads an unknown tag as an UnknownVariant, losslessly."""
    data = {row[0]: "zz_from_the_future", "payload": [1, {"a": None}]}
    obj = from_dict(data, union)
    assert isinstance(obj, m.UnknownVariant)
    assert to_dict(obj) == data


def test_unknown_tag_in_response_is_kept_and_round_trips() -> None:
    """A turn-detection type the SDK has never seen parses into an UnknownVariant, losslessly."""
    data = {"format": {"type": "audio/opus", "bitrate": 32000}, "turn_detection": {"type": "x"}}
    obj = from_dict(data, m.RealtimeAudioInputResponse)
    assert isinstance(obj.format, m.UnknownVariant)
    assert obj.format.type == "audio/opus"
    assert obj.format.data["bitrate"] == 32000
    assert to_dict(obj) == data


def test_unknown_variant_in_a_request_model_is_rejected() -> None:
    """A request cannot carry an UnknownVariant: the server only takes known tags (refused when sent)."""
    with pytest.raises(RequestValidationError) as info:
        dumps_request(
            m.RealtimeAudioInput(format=m.UnknownVariant(data={"type": "audio/opus"})),
            m.RealtimeAudioInput,
        )
    assert [str(e) for e in info.value.errors] == [
        'format.type: expected one of "audio/pcm", "audio/pcmu", "audio/pcma", got an unknown str'
    ]


def test_unknown_variant_repr_shows_keys_not_values() -> None:
    """UnknownVariant's repr names the tag and keys, never other values."""
    obj = m.UnknownVariant(data={"type": "new", "token": SECRET_VALUE})
    assert repr(obj) == "UnknownVariant(type='new', keys=['token', 'type'])"


# --- mixed unions ----------------------------------------------------------------------------

MIXED_CASES = [
    ("tool_choice", "required", str),
    ("tool_choice", {"type": "function", "name": "f"}, m.ToolChoiceFunction),
    ("tool_choice", {"type": "mcp", "server_label": "s", "name": None}, m.ToolChoiceMCP),
    ("max_output_tokens", 4096, int),
    ("max_output_tokens", "inf", str),
    ("tracing", "auto", str),
    ("tracing", {"workflow_name": "w", "metadata": {"k": [1]}}, m.TracingConfiguration),
    ("tracing", None, type(None)),
    ("truncation", "disabled", str),
    ("truncation", {"type": "retention_ratio", "retention_ratio": 0.5}, m.RetentionRatioTruncation),
    ("prompt", {"id": "p", "variables": {"a": "x"}}, m.Prompt),
]


@pytest.mark.parametrize(("field", "value", "kind"), MIXED_CASES)
def test_mixed_union_dispatches_on_json_kind(field: str, value: Any, kind: type) -> None:
    """Mixed unions pick their member by JSON kind and round-trip exactly."""
    obj = converter.structure(_session(**{field: value}), CS_REQ)
    assert type(getattr(obj.session, field)) is kind
    assert _sent(_session(**{field: value})) == _session(**{field: value})


@pytest.mark.parametrize(
    ("value", "cls"),
    [("marin", str), ({"id": "voice_123"}, m.CustomVoice)],
)
def test_voice_is_a_name_or_a_custom_voice(value: Any, cls: type) -> None:
    """voice takes a voice name or a {id} object."""
    obj = converter.structure(_session(audio={"output": {"voice": value}}), CS_REQ)
    assert type(obj.session.audio.output.voice) is cls


def test_prompt_variables_take_strings_and_tagged_content() -> None:
    """Prompt variables are strings or input_text/input_image/input_file objects."""
    variables = {
        "a": "plain",
        "b": {"type": "input_text", "text": "t"},
        "c": {"type": "input_image", "detail": "auto", "image_url": None},
        "d": {"type": "input_file", "file_id": "f"},
    }
    obj = converter.structure({"id": "p", "variables": variables}, m.Prompt)
    assert [type(v) for v in obj.variables.values()] == [  # type: ignore[union-attr]
        str,
        m.InputTextContent,
        m.InputImageContent,
        m.InputFileContent,
    ]
    assert _sent(_session(prompt={"id": "p", "variables": variables}))["session"]["prompt"] == {
        "id": "p",
        "variables": variables,
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["a", "b"], list),
        ({"tool_names": ["a"], "read_only": True}, m.MCPToolFilter),
        (None, type(None)),
    ],
)
def test_mcp_allowed_tools_is_a_list_or_a_filter(value: Any, expected: type) -> None:
    """allowed_tools is a list of names, a filter object, or null."""
    tool = {"type": "mcp", "server_label": "s", "allowed_tools": value}
    obj = converter.structure(tool, m.MCPTool)
    assert type(obj.allowed_tools) is expected
    assert converter.unstructure(obj) == tool


@pytest.mark.parametrize(
    ("value", "expected"),
    [("never", str), ({"never": {"tool_names": ["x"]}}, m.MCPToolApprovalFilter)],
)
def test_mcp_require_approval_is_a_setting_or_a_filter(value: Any, expected: type) -> None:
    """require_approval is "always"/"never" or a filter object."""
    tool = {"type": "mcp", "server_label": "s", "require_approval": value}
    assert type(converter.structure(tool, m.MCPTool).require_approval) is expected


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("max_output_tokens", 1.5, 'an integer or "inf", got float'),
        ("max_output_tokens", "infinite", '"inf", got another str'),
        ("tool_choice", ["auto"], 'one of "none", "auto", "required" or an object, got array'),
        ("tracing", 1, '"auto" or an object or null, got int'),
    ],
)
def test_mixed_union_rejects_other_kinds(field: str, value: Any, expected: str) -> None:
    """A value of a kind no member takes is an error listing what is accepted."""
    assert _errors(_session(**{field: value})) == [f"session.{field}: expected {expected}"]


# --- unknown keys --------------------------------------------------------------------------


def test_unknown_request_keys_pass_through_at_every_level() -> None:
    """Keys newer than the SDK reach the wire unchanged, nested ones included."""
    payload = {
        "new_top": 1,
        "session": {"type": "realtime", "new_flag": True, "audio": {"input": {"new": {"a": 1}}}},
    }
    assert _sent(payload) == payload


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        (_session(future={1: "a", "1": "b"}), "session.future"),
        (_session(future=[{"ok": 1}, {(1, 2): "x"}]), "session.future[1]"),
        ({"session": {"type": "realtime", 7: "x"}}, "session"),
        ({True: 1}, ""),
        (
            _session(tools=[{"type": "function", "name": "f", "parameters": {"a": {2: "b"}}}]),
            "session.tools[0].parameters.a",
        ),
        (_session(prompt={"id": "p", "variables": {3: "x"}}), "session.prompt.variables"),
    ],
    ids=[
        "under an unknown key",
        "in a list",
        "beside known keys",
        "at the root",
        "in tool parameters",
        "in a typed dict",
    ],
)
def test_non_string_keys_are_rejected_with_their_path(payload: Any, path: str) -> None:
    """JSON would turn a non-string key into text (maybe one the dict already has): refused."""
    with pytest.raises(RequestValidationError) as info:
        dumps_request(payload, CS_REQ)
    assert [(error.path, error.expected) for error in info.value.errors] == [(path, "string keys")]


def test_non_string_key_is_reported_with_the_other_errors() -> None:
    """A bad key under an unknown field does not hide a bad known field beside it."""
    errors = _errors(_session(future={1: "a"}, instructions=5))
    assert len(errors) == 2
    assert any("session.future" in error for error in errors)
    assert any("session.instructions" in error for error in errors)


def test_strict_mode_rejects_unknown_keys_with_suggestion() -> None:
    """strict=True rejects an unknown key and suggests the close known name."""
    legacy = m.RealtimeSessionCreateRequest
    assert _errors({"trun_detection": None}, legacy, strict=True) == [
        "trun_detection: expected a known field (did you mean 'turn_detection'?), got an unknown key"
    ]


def test_strict_mode_reports_unknown_keys_with_other_errors() -> None:
    """Unknown keys and type errors are listed together in strict mode."""
    payload = {"expires_after": {"secnds": 60, "anchor": 1}}
    assert _errors(payload, strict=True) == [
        'expires_after.anchor: expected "created_at", got int',
        "expires_after.secnds: expected a known field (did you mean 'seconds'?), got an unknown key",
    ]


def test_closed_object_rejects_unknown_keys_in_requests() -> None:
    """A custom voice admits only `id`, as the spec says."""
    assert _errors(_session(audio={"output": {"voice": {"id": "v", "name": "x"}}})) == [
        "session.audio.output.voice.name: expected a known field, got an unknown key"
    ]


def test_unknown_response_keys_are_readable_and_written_back() -> None:
    """Keys the SDK does not know are kept in extra_fields and unstructured again."""
    data = {"effort": "low", "budget": {"tokens": 10}}
    obj = from_dict(data, m.RealtimeReasoning)
    assert obj.extra_fields == {"budget": {"tokens": 10}}
    assert to_dict(obj) == data


def test_extra_fields_on_a_model_are_sent() -> None:
    """A model built with extra_fields sends them, for fields newer than the SDK."""
    request = CS_REQ(session=m.RealtimeSessionCreateRequestGA(extra_fields={"beta": True}))
    assert _sent(request) == {"session": {"type": "realtime", "beta": True}}


def test_extra_fields_may_not_shadow_known_fields() -> None:
    """extra_fields cannot carry a key that is a real field of the class (refused when sent)."""
    reasoning = m.RealtimeReasoning(extra_fields={"effort": "low"})
    with pytest.raises(RequestValidationError, match="extra_fields: expected keys that are not"):
        dumps_request(reasoning, m.RealtimeReasoning)


# --- responses -------------------------------------------------------------------------------


def test_response_that_is_not_json_raises_decode_error() -> None:
    """A body that is not JSON raises ResponseDecodeError at the root."""
    with pytest.raises(ResponseDecodeError) as info:
        loads_response(b"<html>502</html>", m.RealtimeCreateClientSecretResponse)
    assert [str(e) for e in info.value.errors] == [
        "(root): expected a JSON document, got text that is not JSON"
    ]


@pytest.mark.parametrize(
    "body",
    [b'{"value": "ek_1"} trailing', b'{"value": "ek_', b'{"value": "ek_1"}\x0b', b"{,}"],
    ids=["text after the object", "cut off", "non-JSON whitespace after", "malformed"],
)
def test_a_body_that_is_not_exactly_one_json_object_is_not_json(body: bytes) -> None:
    """Anything but one JSON document (JSON whitespace around it aside) is a decode error."""
    with pytest.raises(ResponseDecodeError, match="not JSON"):
        loads_response(body, m.RealtimeCreateClientSecretResponse)


def test_json_whitespace_around_the_object_is_fine() -> None:
    """Spaces, tabs and newlines after the object (as servers often send) are accepted."""
    body = (_EXAMPLES / "client_secrets.response.json").read_bytes()
    read = loads_response(body.strip() + b" \r\n\t", m.RealtimeCreateClientSecretResponse)
    assert read == loads_response(body, m.RealtimeCreateClientSecretResponse)


def test_response_of_wrong_shape_lists_paths_without_values() -> None:
    """A misfit response names every bad path, never a value from the body."""
    body = json.dumps({"value": SECRET_VALUE, "expires_at": "soon", "session": {}}).encode()
    with pytest.raises(ResponseDecodeError) as info:
        loads_response(body, m.RealtimeCreateClientSecretResponse)
    # An answer may carry null anywhere, so null is named among the kinds that would fit.
    assert [str(e) for e in info.value.errors] == [
        "expires_at: expected an integer or null, got str"
    ]
    assert SECRET_VALUE not in str(info.value)


def test_response_values_outside_request_ranges_are_kept() -> None:
    """Ranges bind what is sent; a response outside them (a newer server) still reads."""
    data = {"speed": 4.0, "voice": "marin"}
    obj = from_dict(data, m.RealtimeAudioOutputResponse)
    assert obj.speed == 4.0
    assert to_dict(obj) == data


def test_missing_constant_in_a_request_dict_is_rejected() -> None:
    """A required constant left out of a dict is an error, not silently filled in."""
    variable = {"type": "input_text", "text": "t", "prompt_cache_breakpoint": {}}
    assert _errors(_session(prompt={"id": "p", "variables": {"k": variable}})) == [
        (
            'session.prompt.variables.k.prompt_cache_breakpoint.mode: expected "explicit" '
            "(required), got nothing"
        )
    ]


def test_missing_constant_in_a_response_is_a_decode_error() -> None:
    """A response without its required constant does not fit (nothing is invented)."""
    with pytest.raises(ResponseDecodeError) as info:
        from_dict({"type": "realtime", "id": "s"}, m.RealtimeSessionCreateResponseGA)
    assert [str(e) for e in info.value.errors] == [
        'object: expected "realtime.session" (required), got nothing'
    ]


def test_a_constant_the_sdk_does_not_know_is_kept_and_written_back() -> None:
    """A constant with a newer value, or null, is read as sent (not the class's own value)."""
    for value in ("realtime.session.v2", None):
        data = {"type": "realtime", "object": value, "id": "s", "new": 1}
        obj = from_dict(data, m.RealtimeSessionCreateResponseGA)
        assert obj.object == value
        assert to_dict(obj) == data


def test_a_constant_of_the_wrong_kind_is_named_with_the_other_bad_fields() -> None:
    """A constant that is not even a string is an error at its path, beside the others."""
    data = {"type": "realtime", "object": 5, "id": "s", "expires_at": "soon"}
    with pytest.raises(ResponseDecodeError) as info:
        from_dict(data, m.RealtimeSessionCreateResponseGA)
    assert sorted(str(e) for e in info.value.errors) == [
        "expires_at: expected an integer or null, got str",
        "object: expected a string or null, got int",
    ]


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: b" \n" + text.encode(),
        lambda text: text.encode("utf-8-sig"),
        lambda text: text.encode("utf-16"),
        lambda text: text.encode("utf-16-le"),
        lambda text: text.encode("utf-32"),
    ],
    ids=["space before", "UTF-8 BOM", "UTF-16", "UTF-16-LE", "UTF-32"],
)
def test_an_answer_in_any_json_encoding_reads_the_same(encode: Any) -> None:
    """Space before the document, a BOM, UTF-16 or -32: the same answer as plain UTF-8."""
    text = (_EXAMPLES / "client_secrets.response.json").read_text()
    cls = m.RealtimeCreateClientSecretResponse
    assert loads_response(encode(text), cls) == loads_response(text.encode(), cls)


def test_constant_defaults_when_building_a_model() -> None:
    """Built in Python, a constant needs no argument and is always written."""
    assert to_dict(m.PromptCacheBreakpointConfig()) == {"mode": "explicit"}


def test_ephemeral_key_is_a_secret_and_round_trips_as_text() -> None:
    """`value` structures to a Secret (masked repr) and unstructures to the plain string."""
    data = {"value": SECRET_VALUE, "expires_at": 1, "session": {"type": "x"}}
    obj = loads_response(json.dumps(data).encode(), m.RealtimeCreateClientSecretResponse)
    assert isinstance(obj.value, Secret)
    assert obj.value.reveal() == SECRET_VALUE
    assert SECRET_VALUE not in repr(obj)
    assert to_dict(obj) == data


def test_legacy_session_response_carries_its_client_secret() -> None:
    """The /realtime/sessions response keeps client_secret, typed as a Secret."""
    data = {"id": "s", "client_secret": {"value": SECRET_VALUE, "expires_at": 5}}
    obj = from_dict(data, m.RealtimeSessionCreateResponse)
    assert isinstance(obj.client_secret, m.SessionClientSecret)
    assert obj.client_secret.value.reveal() == SECRET_VALUE
    assert to_dict(obj) == data


def test_legacy_session_request_needs_no_client_secret() -> None:
    """client_secret, listed as required by the spec, may be left out of the request."""
    assert _sent({"model": "gpt-realtime"}, m.RealtimeSessionCreateRequest) == {
        "model": "gpt-realtime"
    }


def test_conveniences_round_trip_json_text() -> None:
    """to_json/from_json are inverse on a model."""
    obj = m.RealtimeReasoning(effort="high", extra_fields={"x": 1})
    assert from_json(to_json(obj), m.RealtimeReasoning) == obj
    assert to_json(obj) == b'{"effort":"high","x":1}'


def _model_nodes(obj: Any) -> list[Any]:
    """Every attrs object in a structured tree, the root included."""
    found = [obj]
    for a in attrs.fields(type(obj)):
        value = getattr(obj, a.name)
        items = value if isinstance(value, list) else [value]
        found += [node for item in items if attrs.has(type(item)) for node in _model_nodes(item)]
    return found


def test_read_objects_are_exactly_their_model_class() -> None:
    """Each object read from JSON is exactly its model class: equal to its copies, picklable."""
    payload = json.loads((_EXAMPLES / "client_secrets.response.json").read_text())
    obj = from_dict(payload, m.RealtimeCreateClientSecretResponse)
    nodes = _model_nodes(obj)
    assert len(nodes) >= 5
    for node in nodes:
        assert type(node).__module__.startswith("realtime_sdk._models.")
        assert type(node) is getattr(m, type(node).__name__)
    assert obj == attrs.evolve(obj)
    back = pickle.loads(pickle.dumps(obj))  # noqa: S301 - our own bytes, just made
    assert back == obj
    assert back.session.extra_fields is m.EMPTY


# --- property tests: payloads generated from the (patched) schemas ---------------------------

_NOT_JSON_SCHEMA = frozenset({"discriminator", "format", "title", "default", "nullable"})


def _json_schema(node: Any, *, in_properties: bool = False) -> Any:
    """OpenAPI 3.0 schema -> JSON Schema: nullable becomes anyOf null, extensions go."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    if in_properties:
        return {key: _json_schema(value) for key, value in node.items()}
    out = {
        key: _json_schema(value, in_properties=key == "properties")
        for key, value in node.items()
        if key not in _NOT_JSON_SCHEMA and not key.startswith("x-")
    }
    if "items" in out and "type" not in out:
        out["type"] = "array"  # the spec forgets the type on two arrays; the models say list
    if node.get("nullable") is True:
        return {"anyOf": [out, {"type": "null"}]}
    return out


_COMPONENTS = _json_schema(effective_spec(load_spec())["components"]["schemas"])


# hypothesis-jsonschema 0.23 relies on a Hypothesis internal (`many.more`) that current
# Hypothesis no longer has, so payloads come from this small generator for the JSON Schema
# subset the spec uses. It reads the patched schema, not the IR: an independent witness.
_EXTRA_KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)
_JSON_LEAF = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
_ANY_JSON = st.recursive(
    _JSON_LEAF,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _strategy(schema: dict[str, Any]) -> st.SearchStrategy[Any]:  # noqa: C901, PLR0911, PLR0912 - one branch per keyword
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return st.deferred(lambda: _strategy(_COMPONENTS[name]))
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            return st.one_of([_strategy(member) for member in schema[keyword]])
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kind == "number":
        low, high = schema.get("minimum"), schema.get("maximum")
        return st.integers(
            None if low is None else math.ceil(low), None if high is None else math.floor(high)
        ) | st.floats(low, high, allow_nan=False, allow_infinity=False)
    if kind == "string":
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True)
        return st.text(max_size=8)
    if kind == "array":
        return st.lists(_strategy(schema["items"]), min_size=schema.get("minItems", 0), max_size=3)
    if kind == "object" or "properties" in schema:
        return _object_strategy(schema)
    return _ANY_JSON


def _object_strategy(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    properties = schema.get("properties", {})
    required = set(schema.get("required", ()))
    extra_schema = schema.get("additionalProperties", True)
    if extra_schema is False:
        extra: st.SearchStrategy[dict[str, Any]] = st.just({})
    else:
        values = _ANY_JSON if extra_schema is True else _strategy(extra_schema)
        keys = _EXTRA_KEYS.filter(lambda key: key not in properties)
        extra = st.dictionaries(keys, values, max_size=2 if properties else 3)
    return st.fixed_dictionaries(
        {name: _strategy(sub) for name, sub in properties.items() if name in required},
        optional={name: _strategy(sub) for name, sub in properties.items() if name not in required},
    ).flatmap(lambda known: extra.map(lambda more: {**more, **known}))


def _schema_for(name: str) -> st.SearchStrategy[Any]:
    return _strategy(_COMPONENTS[name])


_JSON_ENDPOINTS = [e for e in OPERATIONS if e.response_schema is not None]
_ROOTS = [(e.request, "request") for e in _JSON_ENDPOINTS] + [
    (e.response, "response") for e in _JSON_ENDPOINTS
]
_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize(("cls", "side"), _ROOTS, ids=[f"{c.__name__}" for c, _ in _ROOTS])
def test_round_trip_is_lossless_for_generated_payloads(cls: type, side: str) -> None:
    """For any payload valid under the schema, unstructure(structure(P)) == P exactly."""

    @_SETTINGS
    @given(_schema_for(cls.__name__))
    def check(payload: Any) -> None:
        if side == "request":
            obj = structure_request(payload, cls)
            assert json.loads(dumps_request(payload, cls)) == payload
        else:
            obj = from_dict(payload, cls)
        assert converter.unstructure(obj) == payload

    check()


_WRONG = {"str": "s", "int": 3, "float": 2.5, "bool": True, "array": [], "object": {}, "null": None}


def _accepted(t: TypeExpr) -> set[str]:
    """The JSON kinds a type accepts (bool is never an int, an int is a number)."""
    if isinstance(t, Prim):
        return {
            "str": {"str"},
            "Secret": {"str"},
            "int": {"int"},
            "float": {"int", "float"},
            "bool": {"bool"},
            "Any": set(_WRONG),
        }[t.name]
    if isinstance(t, Lit):
        return {"str" if isinstance(v, str) else "int" for v in t.values}
    if isinstance(t, OpenEnum):
        return {"str"}
    if isinstance(t, ListOf):
        return {"array"}
    if isinstance(t, DictOf | ClassRef | Tagged):
        return {"object"}
    assert isinstance(t, Mixed)
    return set().union(*(_accepted(member) for _, member in t.members))


def _present_fields(obj: Any, path: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], Field]]:
    """Every (path, field) whose value is set in a structured request, depth first."""
    found: list[tuple[tuple[Any, ...], Field]] = []
    if isinstance(obj, list):
        for index, item in enumerate(obj):
            found.extend(_present_fields(item, (*path, index)))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            found.extend(_present_fields(item, (*path, key)))
    elif attrs.has(type(obj)) and type(obj).__name__ in _IR.models:
        for f in _IR.models[type(obj).__name__].fields:
            value = getattr(obj, f.name)
            if value is not UNSET:
                found.append(((*path, f.name), f))
                found.extend(_present_fields(value, (*path, f.name)))
    return found


def _replaced(payload: Any, path: tuple[Any, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(payload))
    node = copy
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return copy


def _dotted(path: tuple[Any, ...]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else f".{step}"
    return text.removeprefix(".")


@pytest.mark.parametrize("cls", [e.request for e in _JSON_ENDPOINTS], ids=lambda c: c.__name__)
def test_wrong_kind_anywhere_is_rejected_at_its_path(cls: type) -> None:
    """Putting a value of a kind the field does not take anywhere in a valid request is an
    error reported at exactly that path."""

    @_SETTINGS
    @given(_schema_for(cls.__name__), st.data())
    def check(payload: Any, data: st.DataObject) -> None:
        fields = _present_fields(structure_request(payload, cls), ())
        assume(fields)
        path, f = data.draw(st.sampled_from(fields))
        accepted = _accepted(f.type) | ({"null"} if f.nullable else set())
        wrong = sorted(set(_WRONG) - accepted)
        assume(wrong)
        kind = data.draw(st.sampled_from(wrong))
        with pytest.raises(RequestValidationError) as info:
            dumps_request(_replaced(payload, path, _WRONG[kind]), cls)
        paths = [e.path for e in info.value.errors]
        assert _dotted(path) in paths or f"{_dotted(path)}.type" in paths

    check()


def test_a_request_given_by_schema_name_is_checked_by_that_schema() -> None:
    """A dict checked by schema name reports its bad fields under that model's name."""
    with pytest.raises(RequestValidationError) as caught:
        dumps_request(
            {"session": {"type": "realtime", "model": 5}}, "RealtimeCreateClientSecretRequest"
        )
    assert caught.value.model == "RealtimeCreateClientSecretRequest"
    assert [error.path for error in caught.value.errors] == ["session.model"]


def test_a_model_request_given_by_schema_name_is_sent_as_with_its_class() -> None:
    """A model instance encodes to the same bytes whether its class or its name is given."""
    request = m.RealtimeCreateClientSecretRequest(
        session=m.RealtimeSessionCreateRequestGA(model="gpt-realtime")
    )
    by_class = dumps_request(request, m.RealtimeCreateClientSecretRequest)
    assert dumps_request(request, "RealtimeCreateClientSecretRequest") == by_class
    with pytest.raises(RequestValidationError):
        dumps_request(request, "RealtimeCallReferRequest")


def test_an_unknown_schema_name_is_refused() -> None:
    """A name no generated request model has raises TypeError, not a validation error."""
    with pytest.raises(TypeError, match="not a generated model class"):
        dumps_request({}, "NoSuchRequest")
