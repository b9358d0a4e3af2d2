"""Where the published Realtime spec and the service part ways: one table, as plain data.

The code generator, the fake API and the conformance tests all read this module, so a
quirk is written down once. It imports nothing from realtime_sdk (the generator must not
depend on the models it writes) and nothing outside the standard library.

Every entry widens what the published schema accepts, with two narrow exceptions said where
they stand (`UNTYPED_ARRAYS`, and the type of the added `model`). Narrowing the schema is not
a quirk: a body the spec allows must reach the server as given, so the SDK refuses only what
the schema itself forbids.
"""

import copy
from typing import Any, Final

_S: Final = "#/components/schemas/"

# Property names whose null the documentation gives a meaning to (the feature is off),
# wherever they occur, while the schema does not always allow null there. `default: null`
# on the two noise-reduction settings says the same.
DOCUMENTED_NULLS: Final = frozenset(
    {
        "turn_detection",
        "input_audio_transcription",
        "tracing",
        "transcription",
        "noise_reduction",
        "input_audio_noise_reduction",
    }
)

# The one narrowing reading: these schemas give array `items` but no `type`, which taken
# literally would allow any JSON value. `items` describes the items of an array, the GA
# twin of each property says `type: array`, and the service takes a list; the models type
# them as lists.
UNTYPED_ARRAYS: Final = (
    _S + "RealtimeSessionCreateRequest/properties/modalities",
    _S + "RealtimeSessionCreateResponse/properties/output_modalities",
    _S + "RealtimeTranscriptionSessionCreateResponse/properties/modalities",
)

# Listed as required, but it is what the server returns: callers never send it.
NOT_REQUIRED: Final = (_S + "RealtimeSessionCreateRequest/properties/client_secret",)

# Properties the endpoints use although their schemas omit them: the beta sessions
# endpoint's own request example sends `model`, and its answer carries the ephemeral key.
# Known, `model` passes the strict-keys mode and the fake; typed as its example shows, a
# `model` that is not a string is refused (the published schema, silent on it, would let
# any value through as an unknown key; the service takes a model name).
ADDED_PROPERTIES: Final[dict[str, Any]] = {
    _S + "RealtimeSessionCreateRequest/properties/model": {"type": "string"},
    _S + "RealtimeSessionCreateResponse/properties/client_secret": {
        "anyOf": [
            {
                "type": "object",
                "properties": {
                    "value": {"type": "string"},
                    "expires_at": {"type": "integer", "format": "unixtime"},
                },
                "required": ["value", "expires_at"],
            },
            {"type": "null"},
        ]
    },
}

# Answers the service sends that their schemas do not allow, so the property is widened
# whole: a session made with a custom voice reads it back as the object it was given,
# while both session answers allow only a voice name.
REPLACED_PROPERTIES: Final[dict[str, Any]] = {
    _S + "RealtimeSessionCreateResponse/properties/audio/properties/output/properties/voice": {
        "$ref": _S + "VoiceIdsOrCustomVoice"
    },
    _S + "RealtimeSessionCreateResponseGA/properties/audio/properties/output/properties/voice": {
        "$ref": _S + "VoiceIdsOrCustomVoice",
        "default": "alloy",
    },
}


class QuirkError(Exception):
    """An entry above no longer matches the spec (the spec was fixed, or moved)."""


def resolve(document: dict[str, Any], pointer: str) -> Any:  # noqa: ANN401 - any JSON value
    """The value at a ``#/a/b/0`` pointer inside a JSON document."""
    node: Any = document
    for part in pointer.removeprefix("#/").split("/"):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def allow_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema that also accepts null (unchanged when it already does)."""
    if schema.get("nullable") is True or any(
        member.get("type") == "null" for member in schema.get("anyOf", ())
    ):
        return schema
    return {"anyOf": [schema, {"type": "null"}]}


def _objects(node: Any) -> list[dict[str, Any]]:  # noqa: ANN401 - any JSON value
    found: list[dict[str, Any]] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("properties"), dict):
                found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _parent(document: dict[str, Any], pointer: str) -> tuple[dict[str, Any], str]:
    parent, _, name = pointer.rpartition("/properties/")
    return resolve(document, parent), name


def documented_nulls(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of a document whose meaningful nulls (`DOCUMENTED_NULLS`) are allowed.

    For the Realtime event schemas, which share these settings (``session.update``).
    """
    doc = copy.deepcopy(document)
    for obj in _objects(doc["components"]["schemas"]):
        for name, prop in obj["properties"].items():
            if name in DOCUMENTED_NULLS and isinstance(prop, dict):
                obj["properties"][name] = allow_null(prop)
    return doc


def apply(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of an OpenAPI document (with ``components.schemas``) with every quirk applied.

    Raises:
        QuirkError: an entry names a property the spec has gained or lost.
    """
    doc = copy.deepcopy(document)
    _add_and_replace(doc)
    _type_arrays(doc)
    _unrequire(doc)
    for obj in _objects(doc["components"]["schemas"]):
        for name, prop in obj["properties"].items():
            if name in DOCUMENTED_NULLS and isinstance(prop, dict):
                obj["properties"][name] = allow_null(prop)
    return doc


def _add_and_replace(doc: dict[str, Any]) -> None:
    for pointer, schema in ADDED_PROPERTIES.items():
        obj, name = _parent(doc, pointer)
        if name in obj["properties"]:
            msg = f"{pointer} exists in the spec now; drop it from ADDED_PROPERTIES"
            raise QuirkError(msg)
        obj["properties"][name] = copy.deepcopy(schema)
    for pointer, schema in REPLACED_PROPERTIES.items():
        obj, name = _parent(doc, pointer)
        if name not in obj["properties"]:
            msg = f"{pointer} is gone from the spec; drop it from REPLACED_PROPERTIES"
            raise QuirkError(msg)
        obj["properties"][name] = copy.deepcopy(schema)


def _type_arrays(doc: dict[str, Any]) -> None:
    for pointer in UNTYPED_ARRAYS:
        prop = resolve(doc, pointer)
        if "type" in prop or "items" not in prop:
            msg = f"{pointer} is no longer an array without a type; drop it from UNTYPED_ARRAYS"
            raise QuirkError(msg)
        prop["type"] = "array"


def _unrequire(doc: dict[str, Any]) -> None:
    for pointer in NOT_REQUIRED:
        obj, name = _parent(doc, pointer)
        if name not in obj.get("required", ()):
            msg = f"{pointer} is not required any more; drop it from NOT_REQUIRED"
            raise QuirkError(msg)
        obj["required"] = [item for item in obj["required"] if item != name]
        if not obj["required"]:
            del obj["required"]
