"""The quirks table (realtime_sdk/_spec/quirks.py): what it changes, and that it goes stale loudly."""

import copy
from typing import Any

import pytest

from realtime_sdk import models, structure_request
from realtime_sdk._codegen.spec import effective_spec
from realtime_sdk._spec import load_spec, quirks
from realtime_sdk.testing._schema import validate

_S = "#/components/schemas/"


def test_apply_leaves_the_vendored_spec_alone() -> None:
    """apply works on a copy: the cached spec every reader shares is not changed."""
    before = copy.deepcopy(load_spec())
    quirks.apply(load_spec())
    assert load_spec() == before


def test_an_entry_the_spec_has_caught_up_with_is_an_error() -> None:
    """Applying twice means every added property exists already: the table says so."""
    with pytest.raises(quirks.QuirkError, match="drop it from ADDED_PROPERTIES"):
        quirks.apply(quirks.apply(load_spec()))


def test_documented_nulls_are_allowed_wherever_the_name_occurs() -> None:
    """Every property named in DOCUMENTED_NULLS admits null after apply."""
    schemas = quirks.apply(load_spec())["components"]["schemas"]
    seen = 0
    stack: list[Any] = [schemas]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for name, prop in (node.get("properties") or {}).items():
                if name in quirks.DOCUMENTED_NULLS:
                    seen += 1
                    assert quirks.allow_null(prop) is prop, name
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    assert seen >= len(quirks.DOCUMENTED_NULLS)


def test_the_generator_and_the_fake_read_the_same_table() -> None:
    """The generator's document is the table's, plus only its own secret marks and tags."""
    generated = effective_spec(load_spec())["components"]["schemas"]
    shared = quirks.apply(load_spec())["components"]["schemas"]
    assert generated.keys() == shared.keys()
    beta = "RealtimeSessionCreateRequest"
    assert "client_secret" not in shared[beta].get("required", ())
    assert generated[beta]["properties"]["model"] == shared[beta]["properties"]["model"]


@pytest.mark.parametrize("name", ["", "pcm16", "opus-48k"])
def test_a_prose_option_list_is_open_in_the_models_and_the_fake(name: str) -> None:
    """The beta audio formats are any string, to the SDK and to the fake alike."""
    body = {"input_audio_format": name, "output_audio_format": name}
    validate("RealtimeSessionCreateRequest", body)
    model = structure_request(body, models.RealtimeSessionCreateRequest)
    assert model.input_audio_format == name


def test_a_lone_single_valued_type_is_optional_in_the_models_and_the_fake() -> None:
    """`turn_detection` of the beta transcription request is no union: its type may be left out."""
    body = {"turn_detection": {"prefix_padding_ms": 0}}
    validate("RealtimeTranscriptionSessionCreateRequest", body)
    model = structure_request(body, models.RealtimeTranscriptionSessionCreateRequest)
    assert models.LegacyTranscriptionTurnDetection(prefix_padding_ms=0) == model.turn_detection
