"""The generated models: construction rules, the three wire states of every optional field,
the spec's own examples, and the decisions taken on the spec's quirks."""

import json
import pickle
from pathlib import Path
from typing import Any

import attrs
import pytest

from realtime_sdk import (
    UNSET,
    RequestValidationError,
    Secret,
    converter,
    to_dict,
    validate,
)
from realtime_sdk import models as m
from realtime_sdk._codegen import render_models
from realtime_sdk._codegen.ir import (
    IR,
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
from realtime_sdk._codegen.spec import build_ir, effective_spec, load_document
from realtime_sdk._spec import load_spec
from realtime_sdk._spec.operations import OPERATIONS
from realtime_sdk._wire._answers import from_dict, loads_response
from realtime_sdk._wire._requests import dumps_request, structure_request
from realtime_sdk.errors import ResponseDecodeError

EXAMPLES = Path(__file__).parent / "data" / "examples"
IR_: IR = build_ir(effective_spec(load_spec()))
SECRET_VALUE = "ek_example_value_never_shown"


# --- building minimal valid JSON from the IR -----------------------------------------------


def sample(t: TypeExpr, f: Field | None = None) -> Any:  # noqa: PLR0911 - one branch per IR kind
    """A small valid JSON value for a type (and the field's facts, when given)."""
    if isinstance(t, Prim):
        if f is not None and f.pattern is not None:
            return "tunnel_" + "0" * 32
        if t.name in {"int", "float"}:
            return f.minimum if f is not None and f.minimum is not None else 1
        return {"str": "x", "Secret": SECRET_VALUE, "bool": True, "Any": {"k": [1]}}[t.name]
    if isinstance(t, Lit | OpenEnum):
        return t.values[0]
    if isinstance(t, ListOf):
        return [sample(t.item)]
    if isinstance(t, DictOf):
        return {"key": sample(t.value)}
    if isinstance(t, ClassRef):
        return minimal(t.name)
    if isinstance(t, Tagged):
        return minimal(t.members[0][1])
    assert isinstance(t, Mixed)
    return sample(t.members[0][1])


def minimal(name: str) -> dict[str, Any]:
    """The smallest valid JSON object for a class: its required fields only."""
    return {f.name: sample(f.type, f) for f in IR_.models[name].fields if f.required}


def optional_fields(models: frozenset[type[Any]]) -> list[tuple[str, Field]]:
    return [
        (cls.__name__, f)
        for cls in sorted(models, key=lambda c: c.__name__)
        for f in IR_.models[cls.__name__].fields
        if not f.required
    ]


REQUEST_OPTIONAL = optional_fields(m.REQUEST_MODELS)
RESPONSE_OPTIONAL = optional_fields(m.RESPONSE_MODELS)


def _ids(case: tuple[str, Field]) -> str:
    return f"{case[0]}.{case[1].name}"


# --- the three wire states -------------------------------------------------------------------


@pytest.mark.parametrize("case", REQUEST_OPTIONAL, ids=[_ids(c) for c in REQUEST_OPTIONAL])
def test_request_field_omitted_stays_omitted(case: tuple[str, Field]) -> None:
    """An optional request field left out is UNSET and is not written back."""
    name, f = case
    payload = minimal(name)
    obj = structure_request(payload, getattr(m, name))
    assert getattr(obj, f.name) is UNSET
    assert f.name not in converter.unstructure(obj)


@pytest.mark.parametrize("case", REQUEST_OPTIONAL, ids=[_ids(c) for c in REQUEST_OPTIONAL])
def test_request_field_value_round_trips(case: tuple[str, Field]) -> None:
    """An optional request field with a value is written back exactly."""
    name, f = case
    payload = {**minimal(name), f.name: sample(f.type, f)}
    obj = structure_request(payload, getattr(m, name))
    assert converter.unstructure(obj) == payload


@pytest.mark.parametrize("case", REQUEST_OPTIONAL, ids=[_ids(c) for c in REQUEST_OPTIONAL])
def test_request_field_null_is_kept_or_rejected(case: tuple[str, Field]) -> None:
    """null is kept and sent as null where the field allows it, and rejected elsewhere."""
    name, f = case
    payload = {**minimal(name), f.name: None}
    cls = getattr(m, name)
    if f.nullable:
        obj = structure_request(payload, cls)
        assert getattr(obj, f.name) is None
        assert converter.unstructure(obj) == payload
    else:
        with pytest.raises(RequestValidationError) as info:
            structure_request(payload, cls)
        assert [(e.path, e.got) for e in info.value.errors] == [(f.name, "null")]


@pytest.mark.parametrize("case", RESPONSE_OPTIONAL, ids=[_ids(c) for c in RESPONSE_OPTIONAL])
def test_response_field_three_states_round_trip(case: tuple[str, Field]) -> None:
    """Responses keep omitted, value and (where allowed) null exactly as received."""
    name, f = case
    cls = getattr(m, name)
    states = [minimal(name), {**minimal(name), f.name: sample(f.type, f)}]
    if f.nullable:
        states.append({**minimal(name), f.name: None})
    for payload in states:
        assert converter.unstructure(converter.structure(payload, cls)) == payload


def test_every_request_model_has_a_case() -> None:
    """The matrix above covers every request class that has optional fields."""
    covered = {name for name, _ in REQUEST_OPTIONAL}
    with_optional = {
        c.__name__
        for c in m.REQUEST_MODELS
        if any(not f.required for f in IR_.models[c.__name__].fields)
    }
    assert covered == with_optional
    assert len(REQUEST_OPTIONAL) > 100


# --- construction ----------------------------------------------------------------------------


def test_constructor_rejects_unknown_keyword() -> None:
    """Model constructors take only the schema's fields."""
    with pytest.raises(TypeError, match="unexpected keyword argument 'trun_detection'"):
        m.RealtimeAudioInput(trun_detection=None)  # type: ignore[call-arg]


def test_constructor_is_keyword_only() -> None:
    """Positional arguments are refused, so long constructors cannot be misordered."""
    with pytest.raises(TypeError):
        m.ClientSecretExpiration("created_at", 60)  # type: ignore[misc]


def test_models_are_plain_mutable_data() -> None:
    """A field can be assigned (no check runs); attrs.evolve makes a changed copy."""
    vad = m.ServerVad(threshold=0.5)
    vad.threshold = 0.7
    assert vad.threshold == 0.7
    assert attrs.evolve(vad, threshold=0.9).threshold == 0.9
    assert vad.threshold == 0.7


def test_models_compare_by_fields_and_unknown_keys() -> None:
    """Models are equal when their fields and unknown keys are; mutable, so unhashable."""
    a = m.ServerVad(threshold=0.5)
    assert a == m.ServerVad(threshold=0.5)
    assert a != m.ServerVad(threshold=0.5, extra_fields={"new": 1})
    with pytest.raises(TypeError):
        hash(a)


def test_models_are_slotted() -> None:
    """Instances have no __dict__."""
    assert not hasattr(m.ServerVad(), "__dict__")


def test_optional_fields_default_to_unset() -> None:
    """Every optional field defaults to UNSET, never to the server's default."""
    defaults = {
        f"{cls.__name__}.{a.name}": a.default
        for cls in m.REQUEST_MODELS | m.RESPONSE_MODELS
        for a in attrs.fields(cls)
        if a.default is not attrs.NOTHING and a.name != "extra_fields"
    }
    constants = {k: v for k, v in defaults.items() if v is not UNSET}
    assert all(isinstance(v, str) for v in constants.values())
    assert defaults["RealtimeAudioOutput.speed"] is UNSET
    assert defaults["SemanticVad.eagerness"] is UNSET


def test_range_is_checked_when_the_model_is_validated() -> None:
    """A value out of range is refused by validate (and before sending), naming the field."""
    output = m.RealtimeAudioOutput(speed=2.0)  # building checks nothing
    with pytest.raises(
        RequestValidationError, match=r"speed: expected a number from 0\.25 to 1\.5"
    ):
        validate(output, m.RealtimeAudioOutput)


def test_repr_shows_only_set_fields() -> None:
    """The repr leaves UNSET fields out and shows None."""
    assert repr(m.ServerVad(threshold=0.5, idle_timeout_ms=None)) == (
        "ServerVad(type='server_vad', threshold=0.5, idle_timeout_ms=None)"
    )


def test_repr_of_unknown_keys_shows_names_only() -> None:
    """Unknown keys appear in a repr by name, never with their values."""
    obj = m.RealtimeReasoning(extra_fields={"token": SECRET_VALUE})
    assert repr(obj) == "RealtimeReasoning(extra_fields=<token>)"


def test_secret_fields_are_typed_secret() -> None:
    """Each ephemeral key field is annotated as Secret: the spec requires it in the answer."""
    hints = {
        "RealtimeCreateClientSecretResponse.value": attrs.fields(
            m.RealtimeCreateClientSecretResponse
        ).value.type,
        "SessionClientSecret.value": attrs.fields(m.SessionClientSecret).value.type,
    }
    assert set(hints.values()) == {Secret}


# --- the spec's quirks, decided ----------------------------------------------------------------


def test_meaningful_nulls_are_allowed_where_the_schema_forgot() -> None:
    """turn_detection, transcription, noise_reduction and tracing accept None everywhere."""
    for cls in m.REQUEST_MODELS | m.RESPONSE_MODELS:
        for f in IR_.models[cls.__name__].fields:
            if f.name in {"turn_detection", "transcription", "noise_reduction", "tracing"}:
                assert f.nullable, f"{cls.__name__}.{f.name}"


def test_legacy_session_request_client_secret_is_optional() -> None:
    """RealtimeSessionCreateRequest can be built without a client_secret."""
    assert m.RealtimeSessionCreateRequest().client_secret is UNSET


def test_legacy_session_response_has_client_secret_field() -> None:
    """RealtimeSessionCreateResponse gained the client_secret the endpoint returns."""
    assert "client_secret" in attrs.fields_dict(m.RealtimeSessionCreateResponse)


def test_the_operation_table_agrees_with_the_spec() -> None:
    """Each operation's request and answer schema is the one the spec gives its operationId."""
    ir = build_ir(effective_spec(load_document(render_models.SPEC_PATH)))
    table = {op.operation_id: (op.request_schema, op.response_schema) for op in OPERATIONS}
    spec = {op: (request, response) for op, (request, response) in ir.roots.items()}
    spec |= {op: (request, None) for op, request in ir.request_roots.items()}
    spec.setdefault("hangup-realtime-call", (None, None))
    assert table == spec


def test_each_endpoint_has_the_classes_its_table_entry_names() -> None:
    """The endpoints look their classes up by the table's schema names."""
    for e in OPERATIONS:
        if e.request_schema is not None:
            assert e.request.__name__ == e.request_schema
        if e.response_schema is not None:
            assert e.response.__name__ == e.response_schema


def test_webhook_events_table_names_the_incoming_call_events() -> None:
    """WEBHOOK_EVENTS maps each event type to its payload class, read like an answer."""
    assert {
        "realtime.call.incoming": m.WebhookRealtimeCallIncoming,
        "live.call.incoming": m.WebhookLiveCallIncoming,
    } == m.WEBHOOK_EVENTS
    assert m.WebhookRealtimeCallIncoming in m.RESPONSE_MODELS
    assert m.RealtimeCallIncomingData in m.RESPONSE_MODELS
    assert m.WebhookLiveCallIncoming in m.RESPONSE_MODELS
    assert m.LiveCallIncomingData in m.RESPONSE_MODELS


def test_webhook_example_reads_typed_and_round_trips() -> None:
    """The documented realtime.call.incoming payload reads into typed objects and back."""
    body = (EXAMPLES / "realtime_call_incoming.json").read_bytes()
    event = loads_response(body, m.WebhookRealtimeCallIncoming)
    assert isinstance(event.data, m.RealtimeCallIncomingData)
    assert event.data.call_id == "rtc_479a275623b54bdb9b6fbae2f7cbd408"
    assert event.data.sip_headers is not None
    assert event.data.sip_headers[1] == m.SipHeader(name="CSeq", value="851287 INVITE")
    assert converter.unstructure(event) == json.loads(body)


def test_a_webhook_payload_with_new_keys_and_nulls_is_read_leniently() -> None:
    """An event with an unknown key and a null field still reads, and writes back as it was."""
    payload = {
        "id": "evt_1",
        "type": "realtime.call.incoming",
        "created_at": None,
        "object": "event",
        "data": {"call_id": "rtc_1", "sip_headers": [], "caller_name": "Ada"},
    }
    event = converter.structure(payload, m.WebhookRealtimeCallIncoming)
    assert event.created_at is None
    assert converter.unstructure(event) == payload


def test_the_reject_status_and_refer_target_are_typed() -> None:
    """A reject's status is an int and a refer's target a str: both checked when built."""
    assert m.RealtimeCallRejectRequest(status_code=486).status_code == 486
    with pytest.raises(RequestValidationError):
        structure_request({"status_code": "486"}, m.RealtimeCallRejectRequest)
    with pytest.raises(RequestValidationError):
        structure_request({}, m.RealtimeCallReferRequest)


# --- the spec's own examples -----------------------------------------------------------------

_ENDPOINTS = {e.operation_id: e for e in OPERATIONS}
EXAMPLE_CASES = [
    ("client_secrets", "create-realtime-client-secret"),
    ("sessions", "create-realtime-session"),
    ("transcription_sessions", "create-realtime-transcription-session"),
    ("translation_client_secrets", "create-realtime-translation-client-secret"),
]


@pytest.mark.parametrize(("stem", "operation"), EXAMPLE_CASES)
def test_spec_request_example_is_valid_and_sent_verbatim(stem: str, operation: str) -> None:
    """Each endpoint's documented request example validates and is sent unchanged."""
    payload = json.loads((EXAMPLES / f"{stem}.request.json").read_text())
    request_cls = _ENDPOINTS[operation].request
    assert json.loads(dumps_request(payload, request_cls, strict=True)) == payload


@pytest.mark.parametrize(("stem", "operation"), EXAMPLE_CASES)
def test_spec_response_example_round_trips(stem: str, operation: str) -> None:
    """Each endpoint's documented response example parses and unstructures unchanged."""
    body = (EXAMPLES / f"{stem}.response.json").read_bytes()
    response_cls = _ENDPOINTS[operation].response
    obj = loads_response(body, response_cls)
    assert converter.unstructure(obj) == json.loads(body)


def test_ga_example_response_reads_typed_values() -> None:
    """The client secret example reads back as typed objects, key masked."""
    body = (EXAMPLES / "client_secrets.response.json").read_bytes()
    obj = loads_response(body, m.RealtimeCreateClientSecretResponse)
    assert isinstance(obj.session, m.RealtimeSessionCreateResponseGA)
    assert isinstance(obj.session.audio, m.RealtimeAudioConfigResponse)
    assert isinstance(obj.session.audio.input, m.RealtimeAudioInputResponse)
    assert isinstance(obj.session.audio.input.turn_detection, m.ServerVad)
    assert obj.session.tracing is None
    assert obj.value.reveal().startswith("ek_")
    assert "ek_68af" not in repr(obj)


def test_legacy_example_response_keeps_fields_missing_from_its_schema() -> None:
    """The sessions example carries fields its schema lacks; they are kept, not dropped."""
    body = (EXAMPLES / "sessions.response.json").read_bytes()
    obj = loads_response(body, m.RealtimeSessionCreateResponse)
    assert obj.extra_fields["voice"] == "alloy"
    assert obj.extra_fields["temperature"] == 0.7
    assert obj.turn_detection is None


def test_the_shared_empty_extra_fields_cannot_be_changed_and_pickles_as_itself() -> None:
    """EMPTY, every model's default `extra_fields`, is read-only and unpickles as the same object."""
    with pytest.raises(TypeError):
        m.EMPTY["x"] = 1  # type: ignore[index]
    assert pickle.loads(pickle.dumps(m.EMPTY)) is m.EMPTY  # noqa: S301 - our own bytes
    assert m.EMPTY == {}
    assert repr(m.RealtimeReasoning(effort="low").extra_fields) == "{}"


def test_every_bad_field_of_a_model_is_reported_at_once() -> None:
    """A model with several bad fields is refused with each of them named in one error."""
    vad = m.ServerVad(threshold="high", prefix_padding_ms=1.5, create_response="yes")  # type: ignore[arg-type]
    with pytest.raises(RequestValidationError) as caught:
        validate(vad, m.ServerVad)
    assert [(e.path, e.expected) for e in caught.value.errors] == [
        ("threshold", "a number"),
        ("prefix_padding_ms", "an integer"),
        ("create_response", "a boolean"),
    ]


def test_a_model_read_from_an_answer_keeps_values_its_constructor_refuses() -> None:
    """Reading is lenient (a new enum value, a range the server outgrew); sending is not."""
    body = {"type": "server_vad", "threshold": 7.5, "create_response": None}
    read = converter.structure(body, m.ServerVad)
    assert read.threshold == 7.5
    assert read.create_response is None
    assert converter.unstructure(read) == body
    with pytest.raises(RequestValidationError, match="create_response"):
        validate(m.ServerVad(create_response=None), m.ServerVad)  # type: ignore[arg-type]


def test_an_answer_of_the_wrong_kind_is_refused_with_its_path() -> None:
    """Lenient is not careless: a string where the schema has an integer is a misfit."""
    body = {"value": "ek_x", "expires_at": "soon", "session": {"type": "realtime"}}
    with pytest.raises(ResponseDecodeError) as caught:
        from_dict(body, m.RealtimeCreateClientSecretResponse)
    assert ("expires_at", "an integer or null") in [
        (e.path, e.expected) for e in caught.value.errors
    ]
    assert "ek_x" not in str(caught.value)


def test_every_bad_field_of_a_nested_dict_is_named_at_once() -> None:
    """Bad siblings at different depths are all reported, each with its path."""
    request = {
        "session": {"type": "realtime", "instructions": 3, "audio": {"output": {"speed": 5}}}
    }
    with pytest.raises(RequestValidationError) as caught:
        validate(request, m.RealtimeCreateClientSecretRequest)
    assert [str(e) for e in caught.value.errors] == [
        "session.instructions: expected a string, got int",
        "session.audio.output.speed: expected a number from 0.25 to 1.5, got int out of range",
    ]


def test_a_null_the_spec_does_not_allow_is_read_kept_and_written_back() -> None:
    """A required answer field carrying null reads as None and round-trips exactly."""
    body = {"value": None, "expires_at": None, "session": None}
    read = from_dict(body, m.RealtimeCreateClientSecretResponse)
    assert read.value is None
    assert read.expires_at is None
    assert to_dict(read) == body


def test_a_key_put_in_by_hand_as_a_plain_string_is_masked_in_the_repr() -> None:
    """Models are plain data (no converter wraps a str), yet a key field's repr stays masked."""
    key = "ek_" + "x" * 30
    answer = m.RealtimeCreateClientSecretResponse(value=key, expires_at=1, session=None)  # type: ignore[arg-type]
    assert key not in repr(answer)
    assert "ek_****" in repr(answer)
