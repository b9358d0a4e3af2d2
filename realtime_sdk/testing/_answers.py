"""The bodies the fake answers with: server defaults, overlaid with what the caller asked for.

Every builder makes fresh dicts (cheap literals, no deep copies of a shared template) and
never mutates the parsed request, which the fake also keeps as the recorded wire body.
"""

import secrets
from typing import Any, Final

from realtime_sdk.testing._schema import SchemaViolation, validate

DEFAULT_MODEL: Final = "gpt-realtime"
DEFAULT_VOICE: Final = "alloy"
DEFAULT_TRANSCRIPTION_MODEL: Final = "gpt-4o-transcribe"
DEFAULT_INSTRUCTIONS: Final = "You are a helpful, concise voice assistant."

# Beta-shape audio format names and the GA format objects they stand for.
_BETA_FORMATS: Final = {
    "pcm16": ("audio/pcm", 24000),
    "g711_ulaw": ("audio/pcmu", None),
    "g711_alaw": ("audio/pcma", None),
}


def new_key() -> str:
    """A fresh ephemeral key value, random like the real ones."""
    return f"ek_{secrets.token_hex(16)}"


def new_id(prefix: str) -> str:
    """A fresh object id such as ``sess_...``."""
    return f"{prefix}_{secrets.token_hex(12)}"


def _pcm() -> dict[str, Any]:
    return {"type": "audio/pcm", "rate": 24000}


def _server_vad() -> dict[str, Any]:
    return {
        "type": "server_vad",
        "threshold": 0.5,
        "prefix_padding_ms": 300,
        "silence_duration_ms": 200,
        "idle_timeout_ms": None,
        "create_response": True,
        "interrupt_response": True,
    }


def _variant_defaults(tag: object) -> dict[str, Any] | None:
    """Server defaults for a tagged object, filled in when the caller picks that variant."""
    if tag == "server_vad":
        return _server_vad()
    if tag == "semantic_vad":
        return {
            "type": "semantic_vad",
            "eagerness": "auto",
            "create_response": True,
            "interrupt_response": True,
        }
    if tag == "audio/pcm":
        return _pcm()
    return None


def overlay(base: dict[str, Any], choices: dict[str, Any]) -> dict[str, Any]:
    """The caller's choices laid over server defaults, recursively, without mutating either.

    A nested object whose ``type`` differs from the default's starts again from that
    variant's own defaults (choosing semantic VAD must not inherit server VAD's threshold);
    lists, scalars and nulls from the caller replace the default outright.
    """
    merged = dict(base)
    for key, value in choices.items():
        current = merged.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            if "type" in value and value["type"] != current.get("type"):
                current = _variant_defaults(value["type"]) or {}
            merged[key] = overlay(current, value)
        elif isinstance(value, dict) and "type" in value:
            merged[key] = overlay(_variant_defaults(value["type"]) or {}, value)
        else:
            merged[key] = value
    return merged


def realtime_session(choices: dict[str, Any], *, expires_at: int) -> dict[str, Any]:
    """The effective GA realtime session for a client secret."""
    defaults: dict[str, Any] = {
        "type": "realtime",
        "object": "realtime.session",
        "id": new_id("sess"),
        "model": DEFAULT_MODEL,
        "output_modalities": ["audio"],
        "instructions": DEFAULT_INSTRUCTIONS,
        "tools": [],
        "tool_choice": "auto",
        "max_output_tokens": "inf",
        "tracing": None,
        "truncation": "auto",
        "prompt": None,
        "expires_at": expires_at,
        "audio": {
            "input": {
                "format": _pcm(),
                "transcription": None,
                "noise_reduction": None,
                "turn_detection": _server_vad(),
            },
            "output": {"format": _pcm(), "voice": DEFAULT_VOICE, "speed": 1.0},
        },
        "include": None,
    }
    return overlay(defaults, choices)


def transcription_session(choices: dict[str, Any], *, expires_at: int) -> dict[str, Any]:
    """The effective GA transcription session for a client secret."""
    defaults: dict[str, Any] = {
        "type": "transcription",
        "object": "realtime.transcription_session",
        "id": new_id("sess"),
        "expires_at": expires_at,
        "include": [],
        "audio": {
            "input": {
                "format": _pcm(),
                "transcription": {"model": DEFAULT_TRANSCRIPTION_MODEL},
                "noise_reduction": None,
                "turn_detection": {
                    "type": "server_vad",
                    "threshold": 0.5,
                    "prefix_padding_ms": 300,
                    "silence_duration_ms": 200,
                },
            }
        },
    }
    return overlay(defaults, choices)


def client_secret(body: dict[str, Any], *, key: str, now: int, default_ttl: int) -> dict[str, Any]:
    """The answer to POST /realtime/client_secrets."""
    expires_after = body.get("expires_after") or {}
    expires_at = now + int(expires_after.get("seconds", default_ttl))
    choices = body.get("session") or {}
    if choices.get("type") == "transcription":
        session = transcription_session(choices, expires_at=expires_at)
    else:
        session = realtime_session(choices, expires_at=expires_at)
    return {"value": key, "expires_at": expires_at, "session": session}


DEFAULT_TRANSLATION_MODEL: Final = "gpt-realtime-translate"


def translation_client_secret(
    body: dict[str, Any], *, key: str, now: int, default_ttl: int
) -> dict[str, Any]:
    """The answer to POST /realtime/translations/client_secrets."""
    expires_after = body.get("expires_after") or {}
    expires_at = now + int(expires_after.get("seconds", default_ttl))
    defaults: dict[str, Any] = {
        "id": new_id("sess"),
        "type": "translation",
        "expires_at": expires_at,
        "model": DEFAULT_TRANSLATION_MODEL,
        "audio": {
            "input": {"transcription": None, "noise_reduction": None},
            "output": {"language": "en"},
        },
    }
    session = overlay(defaults, body.get("session") or {})
    return {"value": key, "expires_at": expires_at, "session": session}


def _format(name: object) -> dict[str, Any]:
    # Any string is a valid name (the schema says `type: string`); for one the fake does not
    # know, the answer keeps the default format, as the answer's schema has no other way.
    kind, rate = _BETA_FORMATS.get(str(name), _BETA_FORMATS["pcm16"])
    return {"type": kind, "rate": rate} if rate is not None else {"type": kind}


def beta_session(body: dict[str, Any], *, key: str, now: int, ttl: int) -> dict[str, Any]:
    """The answer to POST /realtime/sessions: the response schema's shape plus the key."""
    expires_at = now + ttl
    audio_input: dict[str, Any] = {
        "format": _pcm(),
        "transcription": None,
        "noise_reduction": None,
        "turn_detection": _server_vad(),
    }
    audio_output: dict[str, Any] = {"format": _pcm(), "voice": DEFAULT_VOICE, "speed": 1.0}
    answer: dict[str, Any] = {
        "id": new_id("sess"),
        "object": "realtime.session",
        "expires_at": expires_at,
        "model": body.get("model", DEFAULT_MODEL),
        "output_modalities": body.get("modalities", ["audio"]),
        "instructions": body.get("instructions", DEFAULT_INSTRUCTIONS),
        "audio": {"input": audio_input, "output": audio_output},
        "tracing": body.get("tracing"),
        "tools": body.get("tools", []),
        "tool_choice": body.get("tool_choice", "auto"),
        "max_output_tokens": body.get("max_response_output_tokens", "inf"),
        "client_secret": {"value": key, "expires_at": expires_at},
    }
    if "input_audio_format" in body:
        audio_input["format"] = _format(body["input_audio_format"])
    if "input_audio_transcription" in body:
        audio_input["transcription"] = _fitting(
            "AudioTranscription", body["input_audio_transcription"]
        )
    if "turn_detection" in body:
        detection = body["turn_detection"]
        audio_input["turn_detection"] = (
            overlay(_server_vad(), detection) if isinstance(detection, dict) else detection
        )
    # The schema has the detection settings in two places; both say the same.
    answer["turn_detection"] = audio_input["turn_detection"]
    if "output_audio_format" in body:
        audio_output["format"] = _format(body["output_audio_format"])
    if "voice" in body:
        audio_output["voice"] = body["voice"]
    if "speed" in body:
        audio_output["speed"] = body["speed"]
    for key_name in ("temperature", "truncation", "prompt"):
        if key_name in body:
            answer[key_name] = body[key_name]
    return answer


# The settings of a beta transcription session request that its answer repeats
# (turn_detection is merged on its own).
_BETA_TRANSCRIPTION_SETTINGS: Final = (
    "input_audio_format",
    "input_audio_transcription",
    "input_audio_noise_reduction",
    "include",
)


def _fitting(schema: str, settings: object) -> dict[str, Any]:
    """The keys of a request's object that also fit the answer's schema ``schema``.

    The beta request's object is open (any key is accepted), the answer's is not: echoing a
    key the answer's schema types otherwise (``prompt: []``) would serve an answer outside
    the spec, so such keys are left out, as the service would not report them back.
    """
    if not isinstance(settings, dict):
        return {}
    kept: dict[str, Any] = {}
    for name, value in settings.items():
        try:
            validate(schema, {name: value})
        except SchemaViolation:
            continue
        kept[name] = value
    return kept


def beta_transcription_session(
    body: dict[str, Any], *, key: str, now: int, ttl: int
) -> dict[str, Any]:
    """The answer to POST /realtime/transcription_sessions, in its beta shape plus the key."""
    expires_at = now + ttl
    detection = body.get("turn_detection", {})
    defaults: dict[str, Any] = {
        "id": new_id("sess"),
        "object": "realtime.transcription_session",
        "modalities": ["audio", "text"],
        "input_audio_format": "pcm16",
        "input_audio_transcription": {
            "model": DEFAULT_TRANSCRIPTION_MODEL,
            "language": None,
            "prompt": "",
        },
        "input_audio_noise_reduction": None,
        "include": [],
    }
    # Only the request's own settings come back, as in `beta_session`: an unknown key the
    # request passed through ("modalities": false, say) is not the server's to echo, and
    # echoing it could break the answer's schema.
    settings: dict[str, Any] = {k: body[k] for k in _BETA_TRANSCRIPTION_SETTINGS if k in body}
    answer = overlay(defaults, settings)
    answer["client_secret"] = {"value": key, "expires_at": expires_at}
    answer["turn_detection"] = (
        overlay(
            {
                "type": "server_vad",
                "threshold": 0.5,
                "prefix_padding_ms": 300,
                "silence_duration_ms": 200,
            },
            detection,
        )
        if isinstance(detection, dict)
        else detection
    )
    return answer
