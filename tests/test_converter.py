"""The converter's wire rules: omitted vs null, no coercion, unions, unknown keys, errors."""

import json
from typing import Any

import pytest

from realtime_sdk import (
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
from realtime_sdk._converter import dumps_request, loads_response, prebuild

SECRET_VALUE = "ek_do_not_show_me_0123456789"
CS_REQ = m.RealtimeCreateClientSecretRequest


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
    """A pass-through value JSON cannot encode is a validation error, not a crash."""
    assert _errors(_session(future={1, 2})) == [
        "(root): expected JSON values only, got a value JSON cannot encode"
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
        "expires_after.seconds: expected a number from 10 to 7200, got int out of range",
        "session.audio.input.turn_detection.threshold: expected a number, got str",
        "session.tools[1].server_label: expected a string (required), got nothing",
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
        "expires_after.seconds: expected a number from 10 to 7200, got int out of range"
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


def test_unknown_tag_in_response_is_kept_and_round_trips() -> None:
    """A turn-detection type the SDK has never seen parses into an UnknownVariant, losslessly."""
    data = {"format": {"type": "audio/opus", "bitrate": 32000}, "turn_detection": {"type": "x"}}
    obj = from_dict(data, m.RealtimeAudioInputResponse)
    assert isinstance(obj.format, m.UnknownVariant)
    assert obj.format.type == "audio/opus"
    assert obj.format.data["bitrate"] == 32000
    assert to_dict(obj) == data


def test_unknown_variant_in_a_request_model_is_rejected() -> None:
    """A model holding an UnknownVariant cannot be sent: the server only takes known tags."""
    audio = m.RealtimeAudioInput(format=m.UnknownVariant(data={"type": "audio/opus"}))
    session = m.RealtimeSessionCreateRequestGA(audio=m.RealtimeAudioConfig(input=audio))
    assert _errors(CS_REQ(session=session)) == [
        (
            'session.audio.input.format.type: expected one of "audio/pcm", "audio/pcmu", '
            '"audio/pcma", got an unknown str'
        )
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
    """extra_fields cannot carry a key that is a real field of the class."""
    with pytest.raises(RequestValidationError, match="extra_fields: expected keys that are not"):
        m.RealtimeReasoning(extra_fields={"effort": "low"})


# --- responses -------------------------------------------------------------------------------


def test_response_that_is_not_json_raises_decode_error() -> None:
    """A body that is not JSON raises ResponseDecodeError at the root."""
    with pytest.raises(ResponseDecodeError) as info:
        loads_response(b"<html>502</html>", m.RealtimeCreateClientSecretResponse)
    assert [str(e) for e in info.value.errors] == [
        "(root): expected a JSON document, got text that is not JSON"
    ]


def test_response_of_wrong_shape_lists_paths_without_values() -> None:
    """A misfit response names every bad path, never a value from the body."""
    body = json.dumps({"value": SECRET_VALUE, "expires_at": "soon", "session": {}}).encode()
    with pytest.raises(ResponseDecodeError) as info:
        loads_response(body, m.RealtimeCreateClientSecretResponse)
    assert [str(e) for e in info.value.errors] == ["expires_at: expected an integer, got str"]
    assert SECRET_VALUE not in str(info.value)


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


def test_prebuild_makes_hooks_for_every_endpoint_model() -> None:
    """After prebuild() the request hooks exist and an empty request encodes as {}."""
    prebuild()
    assert _sent({}) == {}
