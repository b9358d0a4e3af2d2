"""The beta endpoint shapes the service retired: the warning their methods give, and the way out."""

from typing import Any, Final

from realtime_sdk._spec.operations import (
    CLIENT_SECRETS,
    SESSIONS,
    TRANSCRIPTION_SESSIONS,
    Operation,
)

# A 404/410, or one of these codes, from a retired endpoint (`Operation.retired`) means "use
# client_secrets", and the error says so.
RETIRED_STATUSES: Final = frozenset({404, 410})
RETIRED_CODES: Final = frozenset({"beta_api_shape_disabled", "beta_api_disabled"})
# How a retired endpoint's request moves to client_secrets, for its error and its
# deprecation warning. The new endpoint takes the GA session shape, not the old one: several
# keys moved.
MIGRATION: Final = {
    SESSIONS.method: (
        'with the settings nested under "session" and "type": "realtime" in the GA shape, where some keys moved ("voice" '
        'to session.audio.output.voice, "turn_detection" to session.audio.input.turn_detection, '
        '"modalities" to session.output_modalities); the key comes back in "value"'
    ),
    TRANSCRIPTION_SESSIONS.method: (
        'with the settings nested under "session" and "type": "transcription" in the GA shape, where some keys moved '
        '("input_audio_transcription" to session.audio.input.transcription, '
        '"turn_detection" to session.audio.input.turn_detection); the key comes back in "value"'
    ),
}


def _deprecation(method: str, endpoint: Operation[Any, Any]) -> str:
    suffix = "_with_response" if method.endswith("_with_response") else ""
    return (
        f"{method}() is deprecated: it calls POST /{endpoint.path}, a beta shape the "
        f"service has retired; use {CLIENT_SECRETS.method}{suffix}() instead, "
        + MIGRATION[endpoint.method]
    )


# The warning each legacy method gives (DeprecationWarning, at the caller's line). The
# generated sync twins give the same one from their first line, on the caller's thread.
DEPRECATED: Final = {
    method: _deprecation(method, endpoint)
    for method, endpoint in (
        ("create_realtime_session", SESSIONS),
        ("create_realtime_session_with_response", SESSIONS),
        ("create_realtime_transcription_session", TRANSCRIPTION_SESSIONS),
        ("create_realtime_transcription_session_with_response", TRANSCRIPTION_SESSIONS),
    )
}

__all__ = ["DEPRECATED", "MIGRATION", "RETIRED_CODES", "RETIRED_STATUSES"]
