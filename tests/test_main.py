"""The realtime-sdk command: requests built from flags, output, exit codes, and the fake."""

import contextlib
import io
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from realtime_sdk import _cli
from realtime_sdk._cli import _exits, _output, _parser
from realtime_sdk.testing import FakeRealtimeAPI
from realtime_sdk.testing._background import serve_in_thread

KEY = "sk-test-cli-0123456789"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(
    *argv: str, env: dict[str, str] | None = None, stdin: str = "", tty: bool = False
) -> tuple[int, str, str]:
    out: io.StringIO = _Tty() if tty else io.StringIO()
    err = io.StringIO()
    code = _cli.run(
        list(argv),
        environ={} if env is None else env,
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


def test_client_secret_flags_become_the_request_body(fake: FakeRealtimeAPI) -> None:
    """Flags land at their places in the JSON body, and null turn detection is sent as null."""
    code, out, _ = _run(
        "client-secret",
        "--base-url",
        fake.base_url,
        "--model",
        "gpt-realtime",
        "--voice",
        "marin",
        "--ttl",
        "120",
        "--no-turn-detection",
        env={"OPENAI_API_KEY": KEY},
    )
    assert code == 0
    assert fake.requests[-1].json == {
        "expires_after": {"anchor": "created_at", "seconds": 120},
        "session": {
            "type": "realtime",
            "model": "gpt-realtime",
            "audio": {"input": {"turn_detection": None}, "output": {"voice": "marin"}},
        },
    }
    assert fake.requests[-1].headers["Authorization"] == f"Bearer {KEY}"
    printed = json.loads(out)
    assert printed["value"] == "ek_****"  # masked unless --reveal
    assert printed["session"]["audio"]["output"]["voice"] == "marin"


def test_config_file_is_the_base_and_flags_override(fake: FakeRealtimeAPI, tmp_path: Path) -> None:
    """--config supplies the body; a flag replaces the same field; unknown keys pass through."""
    config = tmp_path / "session.json"
    config.write_text(
        json.dumps({"session": {"type": "realtime", "instructions": "old", "tool_choice": "none"}})
    )
    code, _, err = _run(
        "client-secret",
        "--base-url",
        fake.base_url,
        "--config",
        str(config),
        "--instructions",
        "new",
        env={"OPENAI_API_KEY": KEY},
    )
    assert (code, err) == (0, "")
    assert fake.requests[-1].json == {
        "session": {"type": "realtime", "instructions": "new", "tool_choice": "none"}
    }


def test_value_prints_only_the_key(fake: FakeRealtimeAPI) -> None:
    """--value prints the bare ephemeral key for shell use."""
    code, out, _ = _run("client-secret", "--base-url", fake.base_url, "--value", env={})
    assert code == 0
    assert out == fake.minted_keys[-1] + "\n"


def test_output_is_indented_on_a_terminal(fake: FakeRealtimeAPI) -> None:
    """A terminal gets indented JSON; a pipe gets one compact line."""
    _, piped, _ = _run("session", "--base-url", fake.base_url, env={})
    _, shown, _ = _run("session", "--base-url", fake.base_url, env={}, tty=True)
    assert piped.count("\n") == 1
    assert shown.count("\n") > 10
    assert json.loads(piped).keys() == json.loads(shown).keys()


def test_transcription_session_flags(fake: FakeRealtimeAPI) -> None:
    """The transcription command puts model and language under input_audio_transcription."""
    code, out, _ = _run(
        "transcription-session",
        "--base-url",
        fake.base_url,
        "--transcription-model",
        "gpt-4o-transcribe",
        "--language",
        "de",
        "--value",
        env={},
    )
    assert code == 0
    assert fake.requests[-1].json == {
        "input_audio_transcription": {"model": "gpt-4o-transcribe", "language": "de"}
    }
    assert out.strip() == fake.minted_keys[-1]


def test_no_key_explains_and_points_to_fake() -> None:
    """Without a key or base URL the command explains itself in one line and exits 2."""
    code, out, err = _run("client-secret", env={})
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "OPENAI_API_KEY" in err
    assert "--fake" in err


def test_bad_input_exits_3_and_sends_nothing(fake: FakeRealtimeAPI) -> None:
    """An out-of-range TTL is refused with its path before any request."""
    code, _, err = _run("client-secret", "--base-url", fake.base_url, "--ttl", "5", env={})
    assert code == 3
    assert "expires_after.seconds" in err
    assert fake.requests == []


def test_strict_rejects_unknown_keys_with_a_suggestion(fake: FakeRealtimeAPI) -> None:
    """--strict turns an unknown key into an error that suggests the known one."""
    body = json.dumps({"expires_afterr": {"seconds": 60}})
    code, _, err = _run(
        "client-secret", "--base-url", fake.base_url, "--config", "-", "--strict", stdin=body
    )
    assert code == 3
    assert "did you mean 'expires_after'" in err
    assert fake.requests == []


def test_config_that_is_not_json_is_bad_input() -> None:
    """A broken --config names the option and the position of the fault, and exits 3."""
    code, _, err = _run("client-secret", "--fake", "--config", "-", stdin="{oops")
    assert code == 3
    assert "--config: not JSON (line 1" in err


def test_flags_not_given_leave_the_config_alone(fake: FakeRealtimeAPI) -> None:
    """No flag default replaces a value from --config; session.type stays the file's."""
    body = {"session": {"type": "transcription", "audio": {"input": {"noise_reduction": None}}}}
    code, _, err = _run(
        "client-secret", "--base-url", fake.base_url, "--config", "-", stdin=json.dumps(body)
    )
    assert (code, err) == (0, "")
    assert fake.requests[-1].json == body


def test_session_type_is_realtime_when_nothing_names_one(fake: FakeRealtimeAPI) -> None:
    """Without --type or a file's type, a client secret asks for a realtime session."""
    stdin = json.dumps({"session": {"model": "gpt-realtime"}})
    _run("client-secret", "--base-url", fake.base_url, "--config", "-", stdin=stdin)
    _run("client-secret", "--base-url", fake.base_url)
    assert [r.json for r in fake.requests] == [
        {"session": {"model": "gpt-realtime", "type": "realtime"}},
        {"session": {"type": "realtime"}},
    ]


def test_no_turn_detection_overrides_the_file(fake: FakeRealtimeAPI) -> None:
    """A given flag replaces the file's value at its place, here with null."""
    stdin = json.dumps({"turn_detection": {"type": "server_vad"}, "voice": "ash"})
    argv = ["session", "--base-url", fake.base_url, "--config", "-", "--no-turn-detection"]
    code, _, _ = _run(*argv, stdin=stdin)
    assert code == 0
    assert fake.requests[-1].json == {"turn_detection": None, "voice": "ash"}


def test_retries_are_announced_and_the_last_line_names_the_limit(fake: FakeRealtimeAPI) -> None:
    """Two 503s then success: two retry lines; three 503s: the retry limit is named."""
    fake.fail_next(2, 503, retry_after=0)
    code, out, err = _run("client-secret", "--base-url", fake.base_url, "--value")
    assert code == 0
    assert out == fake.minted_keys[-1] + "\n"
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("retrying in 0.0 s (retry 1 of 2): attempt 1 was answered 503 ")
    assert lines[1].startswith("retrying in 0.0 s (retry 2 of 2): attempt 2 was answered 503 ")
    assert "(request id req_" in lines[0]

    fake.fail_next(3, 503, retry_after=0)
    code, _, err = _run("client-secret", "--base-url", fake.base_url)
    assert code == 17
    last = err.splitlines()[-1]
    assert last.startswith("gave up after 3 attempts in ")
    assert last.endswith("the retry limit (--max-retries 2) was reached")


def test_an_error_retries_cannot_help_has_no_closing_line(fake: FakeRealtimeAPI) -> None:
    """A 401 is not retried: the error line alone, no retry or limit talk."""
    fake.fail_next(1, 401)
    code, _, err = _run("client-secret", "--base-url", fake.base_url)
    assert code == 11
    assert err.count("\n") == 1
    assert err.startswith("error: AuthenticationError: ")


def test_the_retry_reporter_leaves_the_logger_as_it_was(fake: FakeRealtimeAPI) -> None:
    """After a command the realtime_sdk logger has its old level and no extra handler."""
    logger = logging.getLogger("realtime_sdk")
    before = (logger.level, list(logger.handlers))
    _run("client-secret", "--base-url", fake.base_url)
    assert (logger.level, list(logger.handlers)) == before


@pytest.mark.parametrize(
    ("base_url", "where"),
    [
        ("https://api.openai.com/v1", "the OpenAI API (api.openai.com)"),
        ("http://127.0.0.1:8787/v1", "the API at 127.0.0.1:8787"),
        ("https://proxy.example/openai/v1/", "the API at proxy.example"),
    ],
)
def test_where_names_the_host(base_url: str, where: str) -> None:
    """The demo names OpenAI only for its own URL, else the host it called."""
    assert _output.where(base_url, fake=False) == where
    assert _output.where(base_url, fake=True) == "the embedded fake API"


def test_a_bad_limit_is_a_settings_error_naming_it() -> None:
    """A negative --timeout is refused with the setting's name, exit status 2."""
    code, _, err = _run("client-secret", "--fake", "--timeout", "-1")
    assert code == 2
    assert "timeout: expected a finite number of seconds > 0" in err


@pytest.mark.parametrize(
    ("status", "expected_code"),
    [(400, 10), (401, 11), (403, 12), (404, 13), (429, 16), (500, 17)],
)
def test_status_errors_have_their_own_exit_codes(
    fake: FakeRealtimeAPI, status: int, expected_code: int
) -> None:
    """Each error class exits with its own status and prints the request id, never the key."""
    fake.fail_next(1, status=status)
    code, out, err = _run(
        "client-secret",
        "--base-url",
        fake.base_url,
        "--max-retries",
        "0",
        env={"OPENAI_API_KEY": KEY},
    )
    assert code == expected_code
    assert out == ""
    assert "request id: req_" in err
    assert KEY not in err


def test_connection_refused_exits_21() -> None:
    """Nothing listening: a connection error with its own exit status."""
    with serve_in_thread() as server:
        url = server.base_url
    code, _, err = _run("client-secret", "--base-url", url, "--max-retries", "0", env={})
    assert code == 21
    assert "APIConnectionError" in err


def test_exit_codes_are_distinct() -> None:
    """No two error classes share an exit status."""
    codes = [code for _, code, _ in _exits.EXIT_CODES]
    assert len(codes) == len(set(codes))


def _subprocess_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env["PYTHONWARNINGS"] = "error"
    return env


def test_demo_runs_on_the_embedded_fake_without_a_key() -> None:
    """`python -m realtime_sdk demo` with no key mints on the fake and masks the key."""
    done = subprocess.run(
        [sys.executable, "-m", "realtime_sdk", "demo"],
        capture_output=True,
        text=True,
        env=_subprocess_env(),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "embedded fake API" in done.stdout
    assert "ek_****" in done.stdout
    assert done.stderr == ""


def test_help_lists_the_exit_codes() -> None:
    """--help documents every exit status."""
    done = subprocess.run(
        [sys.executable, "-m", "realtime_sdk", "--help"],
        capture_output=True,
        text=True,
        env=_subprocess_env(),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    for _, code, _ in _exits.EXIT_CODES:
        assert f" {code}  " in done.stdout


def test_the_command_loads_the_fake_only_when_asked() -> None:
    """Importing the command line (for any command but the fake's) leaves aiohttp.web unloaded."""
    code = (
        "import sys, realtime_sdk._cli; "
        "print(sorted(m for m in sys.modules if m.startswith(('realtime_sdk.testing', 'aiohttp.web'))))"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=_subprocess_env(),
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "[]\n"), done.stderr


# --- issue 21: --base-url with the fake, --config's meaning, retry wording, expiry, masking


def test_fake_and_base_url_together_are_refused(fake: FakeRealtimeAPI) -> None:
    """--fake and --base-url name two servers: a usage error (exit 2) and nothing is sent."""
    for command in ("demo", "client-secret"):
        with pytest.raises(SystemExit) as caught:
            _run(command, "--fake", "--base-url", fake.base_url)
        assert caught.value.code == 2
    assert fake.requests == []


def test_fake_and_base_url_message_names_both(capsys: pytest.CaptureFixture[str]) -> None:
    """argparse's one-line reason names the two options."""
    with pytest.raises(SystemExit):
        _run("demo", "--fake", "--base-url", "http://127.0.0.1:9/v1")
    assert "argument --base-url: not allowed with argument --fake" in capsys.readouterr().err


def test_demo_without_a_key_honours_base_url(fake: FakeRealtimeAPI) -> None:
    """demo with --base-url and no key calls that server (as other commands do), not the fake."""
    code, out, err = _run("demo", "--base-url", fake.base_url, env={})
    assert (code, err) == (0, "")
    assert len(fake.requests) == 1
    assert fake.requests[0].path == "/v1/realtime/client_secrets"
    host = fake.base_url.split("//", 1)[1].split("/", 1)[0]
    assert f"Minted an ephemeral key on the API at {host}" in out


def test_demo_without_a_key_honours_openai_base_url(fake: FakeRealtimeAPI) -> None:
    """OPENAI_BASE_URL counts as a named server too: the demo goes there."""
    code, _, _ = _run("demo", env={"OPENAI_BASE_URL": fake.base_url})
    assert code == 0
    assert len(fake.requests) == 1


def test_demo_shows_the_expiry_as_utc_and_seconds_left(fake: FakeRealtimeAPI) -> None:
    """The expiry line reads ISO 8601 UTC plus the seconds left, not a raw Unix time."""
    code, out, _ = _run("demo", "--base-url", fake.base_url, env={"OPENAI_API_KEY": KEY})
    assert code == 0
    [line] = [line for line in out.splitlines() if "expires at:" in line]
    assert re.fullmatch(r"  expires at: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in \d+ s\)", line), line


@pytest.mark.parametrize(
    ("expires_at", "now", "shown"),
    [
        (1_800_000_000, 1_799_999_400.2, "2027-01-15T08:00:00Z (in 600 s)"),
        (1_800_000_000, 1_800_000_030, "2027-01-15T08:00:00Z (expired 30 s ago)"),
        (None, 0, "not given in the answer"),
        (10**20, 0, "100000000000000000000 (Unix time)"),
    ],
)
def test_expiry_wording(expires_at: int | None, now: float, shown: str) -> None:
    """An expiry reads as UTC and seconds left (or gone), and odd values are shown as they are."""
    assert _output.expiry(expires_at, now) == shown


def test_keys_are_masked_unless_asked_for(fake: FakeRealtimeAPI) -> None:
    """client-secret and demo both mask the key; --reveal shows it; --value prints it bare."""
    env = {"OPENAI_API_KEY": KEY}
    _, out, _ = _run("client-secret", "--base-url", fake.base_url, env=env)
    assert json.loads(out)["value"] == "ek_****"
    assert fake.minted_keys[-1] not in out
    _, out, _ = _run("client-secret", "--base-url", fake.base_url, "--reveal", env=env)
    assert json.loads(out)["value"] == fake.minted_keys[-1]
    _, out, _ = _run("demo", "--base-url", fake.base_url, env=env)
    assert "ek_****  (masked; --reveal prints it)" in out
    assert fake.minted_keys[-1] not in out
    _, out, _ = _run("demo", "--base-url", fake.base_url, "--reveal", env=env)
    assert f"{fake.minted_keys[-1]}  (in clear: --reveal)" in out


def test_legacy_key_commands_mask_the_nested_key_too(fake: FakeRealtimeAPI) -> None:
    """session's client_secret.value is masked like client-secret's value, without a warning."""
    code, out, err = _run("session", "--base-url", fake.base_url, env={"OPENAI_API_KEY": KEY})
    assert (code, err) == (0, "")
    assert json.loads(out)["client_secret"]["value"] == "ek_****"
    assert fake.minted_keys[-1] not in out


def test_a_timed_out_attempt_is_announced_with_the_sdk_exception_name(
    fake: FakeRealtimeAPI,
) -> None:
    """A retry after a timeout names APITimeoutError, as the final error line and --help do."""
    fake.delay_next(2, 2.0)
    code, _, err = _run(
        "client-secret",
        "--base-url",
        fake.base_url,
        "--timeout",
        "0.2",
        "--max-retries",
        "1",
        env={"OPENAI_API_KEY": KEY},
    )
    assert code == 20
    lines = err.splitlines()
    assert re.fullmatch(
        r"retrying in \d+\.\d s \(retry 1 of 1\): attempt 1 failed after \d+\.\d s "
        r"\(APITimeoutError\)",
        lines[0],
    ), lines[0]
    assert lines[1].startswith("error: APITimeoutError: ")
    assert "(APITimeoutError)" in " ".join(_parser.build_parser().format_help().split())


def test_help_says_what_config_is_and_why_keys_are_masked() -> None:
    """--help states the one meaning of --config; each key command's help the masking policy."""
    text = " ".join(_parser.build_parser().format_help().split())
    assert "--config FILE is always the JSON body the command sends" in text
    for command in ("demo", "client-secret", "translation-secret"):
        with pytest.raises(SystemExit), contextlib.redirect_stdout(io.StringIO()) as out:
            _parser.build_parser().parse_args([command, "--help"])
        assert "--reveal" in out.getvalue()
        assert "scrollback" in " ".join(out.getvalue().split())


def test_an_answer_without_a_key_is_printed_as_read(fake: FakeRealtimeAPI) -> None:
    """Masking needs no key: an answer whose value is null is printed, not refused."""
    fake.fail_next(1, status=200, body={"value": None, "expires_at": 1, "session": None})
    code, out, err = _run("client-secret", "--base-url", fake.base_url, env={})
    assert (code, err) == (0, "")
    assert json.loads(out) == {"value": None, "expires_at": 1, "session": None}
