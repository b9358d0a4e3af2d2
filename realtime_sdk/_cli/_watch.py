"""``realtime-sdk call watch CALL_ID``: attach to a call and print its transcript as it happens.

Caller lines come from input transcriptions, assistant lines from the response's text or
audio transcript deltas (printed whole when the response is done), tool calls as
``name(arguments)``; the server's ``error`` events go to stderr. The command ends when the
call does (its connection closes normally).
"""

import argparse
import functools
from collections.abc import Callable, Mapping
from typing import Any, Final, TextIO

from realtime_sdk._calls import call_id_segment
from realtime_sdk._cli._connect import open_client
from realtime_sdk._client._attempts import AttemptHook
from realtime_sdk._sync._client import SyncRealtimeClient

_DELTAS: Final = frozenset({"response.output_audio_transcript.delta", "response.output_text.delta"})
_RESPONSE_DONE: Final = "response.done"
# The event types `TranscriptPrinter` reads; any other (audio deltas above all) is skipped
# before it is turned into a dict.
_PRINTED: Final = _DELTAS | {
    _RESPONSE_DONE,
    "conversation.item.input_audio_transcription.completed",
    "response.function_call_arguments.done",
    "error",
}


class TranscriptPrinter:
    """Turns server events into transcript lines."""

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self._out = out
        self._err = err
        self._pending: dict[str, list[str]] = {}

    def __call__(self, event: Mapping[str, Any]) -> None:
        """Print what one event adds to the transcript (most add nothing)."""
        kind = event.get("type")
        if kind in _DELTAS:
            self._pending.setdefault(str(event.get("response_id")), []).append(
                str(event.get("delta", ""))
            )
        elif kind == _RESPONSE_DONE:
            response = event.get("response")
            key = str(response.get("id")) if isinstance(response, Mapping) else ""
            text = "".join(self._pending.pop(key, []))
            if text:
                self._line(f"assistant: {text}")
        elif kind == "conversation.item.input_audio_transcription.completed":
            self._line(f"caller: {event.get('transcript', '')}")
        elif kind == "response.function_call_arguments.done":
            self._line(f"tool call: {event.get('name')}({event.get('arguments', '')})")
        elif kind == "error":
            error = event.get("error")
            message = error.get("message") if isinstance(error, Mapping) else error
            self._err.write(f"server error event: {message}\n")
            self._err.flush()

    def _line(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()


def watch(
    client: SyncRealtimeClient,
    call_id: str,
    out: TextIO,
    err: TextIO,
    *,
    play: Callable[[], None] | None = None,
) -> None:
    """Print the call's transcript until its connection closes normally.

    ``play`` runs once the connection is open (the fake's demo: ask for a reply).
    """
    from realtime_sdk._realtime._codec import event_payload  # noqa: PLC0415 - connections load on use

    printer = TranscriptPrinter(out, err)
    with client.connect(call_id=call_id) as connection:
        out.write(f"watching call {call_id} (Ctrl-C to stop)\n")
        out.flush()
        if play is not None:
            connection.create_response()
        for event in connection:
            if event.type not in _PRINTED:
                continue
            printer(event_payload(event))
            if play is not None and event.type == _RESPONSE_DONE:
                play()
    out.write(f"call {call_id} ended\n")


def watch_call(
    args: argparse.Namespace,
    env: Mapping[str, str],
    out: TextIO,
    err: TextIO,
    report: AttemptHook,
) -> None:
    """``realtime-sdk call watch CALL_ID``; with --fake, the fake holds the call and speaks."""
    call_id_segment(args.call_id)
    with open_client(args, env, report) as (client, fake):
        play = None
        if fake is not None:
            fake.add_incoming_call(call_id=args.call_id)
            fake.calls[args.call_id].state = "active"
            play = functools.partial(client.hangup_realtime_call, args.call_id)
        watch(client, args.call_id, out, err, play=play)
