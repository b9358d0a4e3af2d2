"""The JSON body a command sends: the --config file, then each flag given on top of it."""

import argparse
import json
from pathlib import Path
from typing import Any, Final, TextIO

from realtime_sdk._cli._exits import ConfigFileError

# The translation model a translation-secret asks for when neither --model nor the file names one.
DEFAULT_TRANSLATION_MODEL: Final = "gpt-realtime-translate"

# Where --no-turn-detection puts its null, per command.
_TURN_DETECTION: Final = {
    "client-secret": "session.audio.input.turn_detection",
    "session": "turn_detection",
    "transcription-session": "turn_detection",
}

# The one session field each key command fills in when nothing names it.
_SESSION_DEFAULTS: Final = {
    "client-secret": ("type", "realtime"),
    "translation-secret": ("model", DEFAULT_TRANSLATION_MODEL),
}


def _set(target: dict[str, Any], path: str, value: object) -> None:
    """Set a dotted path in a nested dict, creating the dicts on the way."""
    *parents, leaf = path.split(".")
    node = target
    for key in parents:
        child = node.get(key)
        if not isinstance(child, dict):
            child = {}
            node[key] = child
        node = child
    node[leaf] = value


def _read_config(source: str | None, stdin: TextIO) -> dict[str, Any]:
    if source is None:
        return {}
    try:
        text = stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        msg = f"--config: cannot read {source}: {exc.strerror}"
        raise ConfigFileError(msg) from exc
    except UnicodeDecodeError as exc:
        msg = f"--config: {source} is not UTF-8 text"
        raise ConfigFileError(msg) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"--config: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        raise ConfigFileError(msg) from exc
    except RecursionError as exc:
        msg = "--config: JSON nested too deeply to read"
        raise ConfigFileError(msg) from exc
    except ValueError as exc:
        # Python's own limit on the digits of an integer (sys.set_int_max_str_digits).
        msg = "--config: a number with too many digits to read"
        raise ConfigFileError(msg) from exc
    if not isinstance(data, dict):
        msg = f"--config: expected a JSON object, got {type(data).__name__}"
        raise ConfigFileError(msg)
    return data


def build_request(args: argparse.Namespace, stdin: TextIO) -> dict[str, Any]:
    """The request body: the --config JSON, then each flag that was given on top of it.

    A flag that was not given leaves the file alone; one that was given replaces the
    file's value at its place. A client secret's ``session.type`` is ``realtime`` when
    neither the file nor ``--type`` names one; a translation secret's ``session.model``
    is `DEFAULT_TRANSLATION_MODEL` when neither the file nor ``--model`` names one.
    """
    body = _read_config(args.config, stdin)
    for path, value in _flags(args).items():
        if value is not None:
            _set(body, path, value)
    if getattr(args, "no_turn_detection", False):
        _set(body, _TURN_DETECTION[args.command], None)
    default = _SESSION_DEFAULTS.get(args.command)
    if default is not None:
        session = body.setdefault("session", {})
        if isinstance(session, dict):  # anything else is reported by the schema check
            session.setdefault(*default)
    return body


def _flags(args: argparse.Namespace) -> dict[str, object]:
    """Where each flag of the command goes in the body (None: the flag was not given)."""
    ttl = None
    if getattr(args, "ttl", None) is not None:
        ttl = {"anchor": "created_at", "seconds": args.ttl}
    if args.command == "client-secret":
        return {
            "session.type": args.type,
            "session.model": args.model,
            "session.instructions": args.instructions,
            "session.audio.output.voice": args.voice,
            "session.audio.input.transcription.model": args.transcription_model,
            "expires_after": ttl,
        }
    if args.command == "session":
        return {"model": args.model, "instructions": args.instructions, "voice": args.voice}
    if args.command == "translation-secret":
        return {
            "session.model": args.model,
            "session.audio.output.language": args.language,
            "session.audio.input.transcription.model": args.transcription_model,
            "expires_after": ttl,
        }
    return {
        "input_audio_transcription.model": args.transcription_model,
        "input_audio_transcription.language": args.language,
    }


def build_call_request(args: argparse.Namespace, stdin: TextIO) -> object:
    """The body of a call action, built from its flags (and, for accept, --config).

    ``--config`` is the request body, as for every command; accept's body is the session
    itself, so a file that wraps it in ``{"session": ...}`` (a client-secret request) is
    refused rather than sent for the server to refuse.
    """
    if args.action == "accept":
        body = _read_config(args.config, stdin)
        if isinstance(body.get("session"), dict):
            msg = (
                '--config: call accept sends the session itself ({"type": "realtime", '
                '"model": ...}), not a client-secret request wrapping it in "session"; '
                'pass the object under "session" (e.g. jq .session FILE | realtime-sdk '
                "call accept CALL_ID --config -)"
            )
            raise ConfigFileError(msg)
        flags = {
            "model": args.model,
            "instructions": args.instructions,
            "audio.output.voice": args.voice,
        }
        for path, value in flags.items():
            if value is not None:
                _set(body, path, value)
        body.setdefault("type", "realtime")
        return body
    if args.action == "refer":
        return {"target_uri": args.target_uri}
    if args.action == "reject":
        return {} if args.status_code is None else {"status_code": args.status_code}
    return None
