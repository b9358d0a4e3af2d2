"""``realtime-sdk call watch CALL_ID``: a call's transcript on stdout until the call ends."""

import io
import threading
import time

from realtime_sdk import SyncRealtimeClient, _cli
from realtime_sdk._cli._watch import TranscriptPrinter
from realtime_sdk.testing._background import serve_in_thread

KEY = "sk-test-cli-0123456789"
ENV = {"OPENAI_API_KEY": KEY}


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = _cli.run(list(argv), environ=ENV, stdin=io.StringIO(""), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_watching_on_the_embedded_fake_prints_a_reply_and_the_end() -> None:
    """With --fake the fake speaks once and hangs up; the transcript shows both."""
    code, out, err = _run("call", "watch", "rtc_demo1", "--fake")
    assert code == 0, err
    assert out.splitlines() == [
        "watching call rtc_demo1 (Ctrl-C to stop)",
        "assistant: Hello! How can I help you today?",
        "call rtc_demo1 ended",
    ]


def test_the_watch_ends_when_the_call_is_hung_up() -> None:
    """A watcher attached to a live call exits 0 once someone hangs the call up."""
    with serve_in_thread() as fake, SyncRealtimeClient(KEY, base_url=fake.base_url) as client:
        call_id = fake.add_incoming_call()
        client.accept_realtime_call(call_id, {"type": "realtime"})
        result: list[tuple[int, str, str]] = []
        watcher = threading.Thread(
            target=lambda: result.append(
                _run("call", "watch", call_id, "--base-url", fake.base_url)
            )
        )
        watcher.start()
        deadline = time.monotonic() + 10
        while not fake.realtime.connections and time.monotonic() < deadline:
            time.sleep(0.01)
        client.hangup_realtime_call(call_id)
        watcher.join(10)
    assert not watcher.is_alive()
    code, out, _ = result[0]
    assert code == 0
    assert out.splitlines()[-1] == f"call {call_id} ended"


def test_an_unknown_call_exits_with_the_not_found_status() -> None:
    """A refused handshake is reported like any 404 (exit 13), naming the call."""
    with serve_in_thread() as fake:
        code, _, err = _run("call", "watch", "rtc_nobody", "--base-url", fake.base_url)
    assert code == 13
    assert "rtc_nobody" in err


def test_the_printer_shows_callers_assistants_tools_and_errors() -> None:
    """Each kind of transcript event becomes one line; other events print nothing."""
    out, err = io.StringIO(), io.StringIO()
    show = TranscriptPrinter(out, err)
    show({"type": "conversation.item.input_audio_transcription.completed", "transcript": "Hi"})
    show({"type": "response.output_audio_transcript.delta", "response_id": "r1", "delta": "Hel"})
    show({"type": "response.output_audio_transcript.delta", "response_id": "r1", "delta": "lo"})
    show({"type": "rate_limits.updated"})
    show({"type": "response.done", "response": {"id": "r1"}})
    show({"type": "response.function_call_arguments.done", "name": "f", "arguments": "{}"})
    show({"type": "error", "error": {"message": "bad event"}})
    assert out.getvalue().splitlines() == ["caller: Hi", "assistant: Hello", "tool call: f({})"]
    assert err.getvalue() == "server error event: bad event\n"
