"""The realtime-sdk command's translation-secret and call subcommands."""

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from realtime_sdk import _cli
from realtime_sdk._cli._bodies import DEFAULT_TRANSLATION_MODEL
from realtime_sdk.testing import FakeRealtimeAPI
from realtime_sdk.testing._background import serve_in_thread

KEY = "sk-test-cli-0123456789"
ENV = {"OPENAI_API_KEY": KEY}


def _run(*argv: str, env: dict[str, str] | None = None, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = _cli.run(
        list(argv),
        environ=ENV if env is None else env,
        stdin=io.StringIO(stdin),
        stdout=out,
        stderr=err,
    )
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def fake() -> Iterator[FakeRealtimeAPI]:
    """A fake served from a thread, so the synchronous CLI can call it."""
    with serve_in_thread() as server:
        yield server


def test_translation_secret_flags_become_the_body(fake: FakeRealtimeAPI) -> None:
    """--model, --language, --transcription-model and --ttl land at their places."""
    code, out, _ = _run(
        "translation-secret",
        "--base-url",
        fake.base_url,
        "--model",
        "gpt-realtime-translate",
        "--language",
        "es",
        "--transcription-model",
        "gpt-realtime-whisper",
        "--ttl",
        "300",
        "--reveal",
    )
    assert code == 0
    assert fake.requests[-1].path == "/v1/realtime/translations/client_secrets"
    assert fake.requests[-1].json == {
        "expires_after": {"anchor": "created_at", "seconds": 300},
        "session": {
            "model": "gpt-realtime-translate",
            "audio": {
                "output": {"language": "es"},
                "input": {"transcription": {"model": "gpt-realtime-whisper"}},
            },
        },
    }
    printed = json.loads(out)
    assert printed["value"] == fake.minted_keys[-1]
    assert printed["session"]["type"] == "translation"


def test_translation_secret_value_and_default_model(fake: FakeRealtimeAPI) -> None:
    """--value prints only the key; the model defaults when nothing names one."""
    code, out, _ = _run("translation-secret", "--base-url", fake.base_url, "--value")
    assert code == 0
    assert out == fake.minted_keys[-1] + "\n"
    assert fake.requests[-1].json == {"session": {"model": DEFAULT_TRANSLATION_MODEL}}


def test_translation_secret_config_wins_over_the_default(
    fake: FakeRealtimeAPI, tmp_path: Path
) -> None:
    """The file's model is kept; an out-of-range --ttl is bad input (exit 3), nothing sent."""
    config = tmp_path / "t.json"
    config.write_text(json.dumps({"session": {"model": "m-1"}}))
    code, _, _ = _run("translation-secret", "--base-url", fake.base_url, "--config", str(config))
    assert code == 0
    assert fake.requests[-1].json == {"session": {"model": "m-1"}}
    before = len(fake.requests)
    code, _, err = _run("translation-secret", "--base-url", fake.base_url, "--ttl", "5")
    assert code == 3
    assert "expires_after.seconds" in err
    assert len(fake.requests) == before


def test_call_accept_sends_the_session_from_flags_and_config(fake: FakeRealtimeAPI) -> None:
    """accept takes --config from stdin and flags on top; it prints one line."""
    call_id = fake.add_incoming_call()
    code, out, _ = _run(
        "call",
        "accept",
        call_id,
        "--base-url",
        fake.base_url,
        "--config",
        "-",
        "--voice",
        "marin",
        stdin='{"instructions": "Greet the caller."}',
    )
    assert code == 0
    assert out == f"accepted call {call_id}\n"
    assert fake.requests[-1].path == f"/v1/realtime/calls/{call_id}/accept"
    assert fake.requests[-1].json == {
        "instructions": "Greet the caller.",
        "audio": {"output": {"voice": "marin"}},
        "type": "realtime",
    }
    assert fake.calls[call_id].state == "active"


def test_call_refer_reject_and_hangup(fake: FakeRealtimeAPI) -> None:
    """Each action sends its body (refer's target, reject's status, none for hangup)."""
    ringing, other = fake.add_incoming_call(), fake.add_incoming_call()
    assert _run("call", "reject", ringing, "--status-code", "486", "--base-url", fake.base_url)[
        :2
    ] == (
        0,
        f"rejected call {ringing}\n",
    )
    assert fake.requests[-1].json == {"status_code": 486}
    assert _run("call", "accept", other, "--base-url", fake.base_url)[0] == 0
    code, out, _ = _run(
        "call", "refer", other, "--target-uri", "tel:+14155550123", "--base-url", fake.base_url
    )
    assert (code, out) == (0, f"referred call {other} to tel:+14155550123\n")
    assert fake.requests[-1].json == {"target_uri": "tel:+14155550123"}
    webrtc = fake.add_incoming_call()
    code, out, _ = _run("call", "hangup", webrtc, "--base-url", fake.base_url)
    assert (code, out) == (0, f"hung up call {webrtc}\n")
    assert fake.requests[-1].body == b""


def test_an_unknown_call_exits_13(fake: FakeRealtimeAPI) -> None:
    """A 404 has its own exit status, and the message names the call."""
    code, _, err = _run("call", "hangup", "rtc_nobody", "--base-url", fake.base_url)
    assert code == 13
    assert "rtc_nobody" in err


@pytest.mark.parametrize("call_id", ["rtc/1", "..", "rtc?x"])
def test_a_bad_call_id_is_bad_input_and_nothing_is_sent(
    fake: FakeRealtimeAPI, call_id: str
) -> None:
    """A call id that could change the path exits 3 before any request."""
    code, _, err = _run("call", "hangup", call_id, "--base-url", fake.base_url)
    assert code == 3
    assert "call_id" in err
    assert fake.requests == []


def test_refer_needs_a_target(fake: FakeRealtimeAPI) -> None:
    """--target-uri is required: a usage error (exit 2)."""
    with pytest.raises(SystemExit) as caught:
        _run("call", "refer", "rtc_1", "--base-url", fake.base_url)
    assert caught.value.code == 2


def test_a_server_error_on_a_call_change_is_not_retried(fake: FakeRealtimeAPI) -> None:
    """A 503 may come after the change took effect: one attempt, exit 17, no retry lines."""
    call_id = fake.add_incoming_call()
    fake.fail_next(1, 503)
    code, _, err = _run("call", "accept", call_id, "--base-url", fake.base_url)
    assert code == 17
    assert "retrying" not in err
    assert "gave up" not in err
    assert len(fake.requests) == 1


def test_a_rate_limited_call_change_is_retried_and_announced(fake: FakeRealtimeAPI) -> None:
    """A 429 means nothing was done: retried, said on stderr, then made."""
    call_id = fake.add_incoming_call()
    fake.fail_next(1, 429, retry_after_ms=1)
    code, out, err = _run("call", "hangup", call_id, "--base-url", fake.base_url)
    assert code == 0
    assert "retrying in" in err
    assert out == f"hung up call {call_id}\n"


@pytest.mark.parametrize("action", ["accept", "reject", "hangup"])
def test_call_actions_run_on_the_embedded_fake(action: str) -> None:
    """With --fake (and no key) the fake treats the id as a call ready for the action."""
    code, out, _ = _run("call", action, "rtc_demo", "--fake", env={})
    assert code == 0
    assert out.endswith("call rtc_demo\n")


def test_refer_runs_on_the_embedded_fake() -> None:
    """--fake gets refer an answered call to transfer."""
    code, out, _ = _run("call", "refer", "rtc_demo", "--target-uri", "sip:a@b", "--fake", env={})
    assert (code, out) == (0, "referred call rtc_demo to sip:a@b\n")


def test_translation_secret_runs_on_the_embedded_fake() -> None:
    """--fake mints a translation key without an API key."""
    code, out, _ = _run("translation-secret", "--fake", "--value", env={})
    assert code == 0
    assert out.startswith("ek_")


def test_accept_refuses_a_client_secret_request_as_its_config(fake: FakeRealtimeAPI) -> None:
    """--config is the body; accept's body is the session, so a {"session": ...} file is bad
    input (exit 3) with the way out, and nothing is sent."""
    call_id = fake.add_incoming_call()
    before = len(fake.requests)
    code, out, err = _run(
        "call",
        "accept",
        call_id,
        "--base-url",
        fake.base_url,
        "--config",
        "-",
        stdin='{"session": {"type": "realtime", "model": "gpt-realtime"}}',
    )
    assert (code, out) == (3, "")
    assert err.count("\n") == 1
    assert "call accept sends the session itself" in err
    assert "jq .session" in err
    assert len(fake.requests) == before
    assert fake.calls[call_id].state == "ringing"
