"""The Realtime events: generated classes, lenient reading, validated writing, kept apart at import."""

import json
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realtime_sdk import RequestValidationError, events
from realtime_sdk._event_codec import _converters
from realtime_sdk.errors import ResponseDecodeError
from tests._spec_draws import draw, event_schema, exact


def _written(event: object) -> Any:
    return _converters()[1].unstructure(event)


def test_import_realtime_sdk_does_not_load_the_events() -> None:
    """`import realtime_sdk` leaves the event classes (and their rules) unloaded."""
    code = "import sys, realtime_sdk; print(sorted(m for m in sys.modules if 'event' in m))"
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = json.loads(out.stdout.replace("'", '"'))
    assert "realtime_sdk.events" not in loaded
    assert "realtime_sdk._wire._event_rules" not in loaded


def test_every_event_type_has_a_class_in_the_tag_tables() -> None:
    """The client and server unions list their event types (11 and 46 today)."""
    client = events.TAGGED_UNIONS[events.ClientEvent]
    server = events.TAGGED_UNIONS[events.ServerEvent]
    assert client[0] == server[0] == "type"
    assert "session.update" in client[1]
    assert "response.done" in server[1]
    assert len(client[1]) >= 11
    assert len(server[1]) >= 46


def test_a_server_event_is_read_typed_from_bytes_str_or_dict() -> None:
    """The three input forms give the same typed event."""
    body = {
        "type": "response.output_audio.delta",
        "event_id": "e1",
        "response_id": "r1",
        "item_id": "i1",
        "output_index": 0,
        "content_index": 0,
        "delta": "AAA=",
    }
    text = json.dumps(body)
    read = [events.parse_server_event(x) for x in (text, text.encode(), body)]
    assert all(isinstance(e, events.RealtimeServerEventResponseAudioDelta) for e in read)
    assert read[0] == read[1] == read[2]
    assert _written(read[0]) == body


def test_an_unknown_server_event_type_is_kept_whole() -> None:
    """An event type newer than the SDK is an UnknownVariant holding its payload."""
    body = {"type": "response.brand_new", "event_id": "e", "payload": [1, {"a": None}]}
    event = events.parse_server_event(body)
    assert isinstance(event, events.UnknownVariant)
    assert event.data == body
    assert _written(event) == body


def test_messages_are_told_apart_by_role() -> None:
    """Conversation items share the type "message": the role picks the class."""
    item = {
        "type": "message",
        "role": "assistant",
        "content": [{"type": "output_text", "text": "hi"}],
    }
    body = {"type": "conversation.item.added", "event_id": "e", "item": item}
    event = events.parse_server_event(body)
    assert isinstance(event, events.RealtimeServerEventConversationItemAdded)
    assert isinstance(event.item, events.RealtimeConversationItemMessageAssistant)
    assert _written(event) == body


def test_text_that_is_not_json_is_a_decode_error() -> None:
    """A frame that is not JSON raises ResponseDecodeError without echoing it."""
    with pytest.raises(ResponseDecodeError, match="not JSON"):
        events.parse_server_event("{ek_secret")


def test_a_client_event_is_encoded_after_every_bad_field_is_named() -> None:
    """encode_client_event refuses a bad event naming each bad field with its path."""
    bad = {
        "type": "session.update",
        "session": {"type": "realtime", "instructions": 3, "audio": {"output": {"speed": 5}}},
    }
    with pytest.raises(RequestValidationError) as caught:
        events.encode_client_event(bad)
    assert [str(e) for e in caught.value.errors] == [
        "session.instructions: expected a string, got int",
        "session.audio.output.speed: expected a number from 0.25 to 1.5, got int out of range",
    ]


def test_an_unknown_client_event_type_is_refused() -> None:
    """The server takes only the client event types the spec lists."""
    with pytest.raises(RequestValidationError, match="type: expected one of"):
        events.encode_client_event({"type": "session.upgrade"})


def test_a_typed_client_event_is_encoded_compactly() -> None:
    """A model is unstructured (UNSET left out) and sent as compact JSON text."""
    event = events.RealtimeClientEventConversationItemCreate(
        item=events.RealtimeConversationItemMessageUser(
            content=[events.UserMessageContent(type="input_text", text="hi")]
        )
    )
    assert events.encode_client_event(event) == (
        '{"type":"conversation.item.create","item":{"type":"message","role":"user",'
        '"content":[{"type":"input_text","text":"hi"}]}}'
    )


def test_a_meaningful_null_is_sent_in_session_update() -> None:
    """turn_detection: null (voice activity detection off) is sent as null."""
    body = {
        "type": "session.update",
        "session": {"type": "realtime", "audio": {"input": {"turn_detection": None}}},
    }
    assert json.loads(events.encode_client_event(body)) == body


def test_session_settings_are_the_rest_model_classes() -> None:
    """session.update takes the same session class as the REST calls."""
    from realtime_sdk import models  # noqa: PLC0415 - the comparison is the point

    assert events.RealtimeSessionCreateRequestGA is models.RealtimeSessionCreateRequestGA


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_every_client_event_the_spec_allows_is_sent_exactly(data: st.DataObject) -> None:
    """A client event drawn from the spec is accepted and encoded as given."""
    body = data.draw(draw(event_schema("RealtimeClientEvent", answers=False), open_objects=False))
    assert exact(json.loads(events.encode_client_event(body))) == exact(body)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_every_server_event_the_spec_allows_reads_back_exactly(data: st.DataObject) -> None:
    """A server event drawn from the spec (leniently: nulls, new values, new keys) round-trips."""
    body = data.draw(draw(event_schema("RealtimeServerEvent", answers=True), open_objects=True))
    assert exact(_written(events.parse_server_event(body))) == exact(body)
