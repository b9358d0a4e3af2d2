"""The shell commands and file snippets of the README and the docs, run as a new user would.

Each test starts the installed ``realtime-sdk`` entry point (or ``python -m ...``, or
pytest) in a subprocess, with servers on 127.0.0.1 only and every wait bounded.
"""

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import realtime_sdk
from realtime_sdk.testing import FakeRealtimeAPI, serve_in_thread
from tests._processes import background, first_line, free_port, wait_for_port
from tests._snippets import documents

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
# Everything a user reads: the README and the pages of the docs site.
DOCUMENTED = "\n".join(path.read_text(encoding="utf-8") for path in documents())
CLI_PAGE = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
CLI = str(Path(sys.executable).with_name("realtime-sdk"))
KEY = "sk-readme-0123456789"
LIMIT = 60  # seconds any one subprocess may take


def user_env(**extra: str) -> dict[str, str]:
    """The caller's environment without OpenAI or pytest settings, plus ``extra``."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("OPENAI_", "PYTEST_", "PYTHONWARNINGS"))
    }
    env.update(extra)
    return env


def run(
    *argv: str, env: dict[str, str], stdin: str = "", cwd: Path = REPO
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own entry points, no shell
        list(argv),
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=LIMIT,
        check=False,
    )


def readme_shows(text: str) -> None:
    """Guards each test: the command it runs is the one the README or the docs show."""
    assert text in DOCUMENTED


@pytest.fixture
def fake() -> Iterator[FakeRealtimeAPI]:
    with serve_in_thread() as server:
        yield server


@contextmanager
def listening_socket() -> Iterator[int]:
    """A socket that listens but never accepts: connections open, then silence."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield int(sock.getsockname()[1])


def get(url: str, data: bytes | None = None, *, timeout: float = 30) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 - 127.0.0.1 only
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - 127.0.0.1 only
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


# -- the command-line page's first block, line by line -----------------------------------------


def command_line_examples() -> list[str]:
    """The shell lines of the first block of docs/cli.md, comments cut off."""
    block = re.search(r"```sh\n(.*?)```", CLI_PAGE, flags=re.DOTALL)
    assert block is not None
    return [re.split(r"\s{2,}# ", line)[0].strip() for line in block.group(1).splitlines()]


SERVES_FOREVER = "realtime-sdk fake-server --port 8787"


def test_the_command_line_block_is_what_these_tests_expect() -> None:
    """The block has the twelve lines the tests below run (guards the parsing)."""
    lines = command_line_examples()
    assert len(lines) == 12
    assert SERVES_FOREVER in lines  # run by test_fake_server_takes_port_and_serves


@pytest.mark.parametrize(
    "line", [line for line in command_line_examples() if line != SERVES_FOREVER]
)
def test_each_command_line_example_runs_as_written(
    line: str, fake: FakeRealtimeAPI, tmp_path: Path
) -> None:
    """Each line, typed into a shell with a key and OPENAI_BASE_URL at a local fake."""
    (tmp_path / "session.json").write_text('{"session": {"type": "realtime"}}')
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env = user_env(OPENAI_API_KEY=KEY, OPENAI_BASE_URL=fake.base_url, PATH=path)
    done = run("/bin/sh", "-c", line, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.strip()
    if "--version" not in line and "--fake" not in line:
        assert len(fake.requests) == 1
        assert fake.requests[0].status == 200


# -- 1. realtime-sdk fake-server takes its options ----------------------------------------------


def test_fake_server_takes_port_and_serves() -> None:
    """`realtime-sdk fake-server --port N` binds N, prints its base URL first, and serves."""
    readme_shows("realtime-sdk fake-server --port 8787")
    port = free_port()
    with background(CLI, "fake-server", "--port", str(port), env=user_env(), cwd=REPO) as process:
        base_url = first_line(process, LIMIT)
        assert base_url == f"http://127.0.0.1:{port}/v1"
        body = json.dumps({"session": {"type": "realtime"}}).encode()
        status, answer = get(f"{base_url}/realtime/client_secrets", body)
        assert status == 200
        assert json.loads(answer)["value"].startswith("ek_")
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_fake_server_chaos_seed_injects_faults() -> None:
    """`--chaos-seed N` is accepted and faults show up in the server's counters."""
    readme_shows("`--chaos-seed N`")
    with background(
        CLI, "fake-server", "--port", "0", "--chaos-seed", "3", env=user_env(), cwd=REPO
    ) as process:
        base_url = first_line(process, LIMIT)
        body = json.dumps({"session": {"type": "realtime"}}).encode()
        for _ in range(40):
            # A dropped connection is one of the faults, a held answer another.
            with contextlib.suppress(OSError):
                get(f"{base_url}/realtime/client_secrets", body, timeout=0.5)
        status, stats = get(base_url.removesuffix("/v1") + "/_fake/stats")
    assert status == 200
    assert sum(json.loads(stats)["fault_counts"].values()) > 0


@pytest.mark.parametrize(
    "command",
    [[CLI, "fake-server"], [sys.executable, "-m", "realtime_sdk.testing"]],
    ids=["realtime-sdk fake-server", "python -m realtime_sdk.testing"],
)
def test_fake_server_help_lists_the_options_and_speaks_of_the_project(command: list[str]) -> None:
    """--help works, lists the options, and names no issue tracker entry."""
    done = run(*command, "--help", env=user_env())
    assert done.returncode == 0, done.stderr
    for option in ("--port", "--host", "--chaos-seed", "--api-key"):
        assert option in done.stdout
    assert not re.search(r"\bissue\b", done.stdout, flags=re.IGNORECASE)


@pytest.mark.parametrize(
    "command",
    [[CLI, "fake-server"], [sys.executable, "-m", "realtime_sdk.testing"]],
    ids=["realtime-sdk fake-server", "python -m realtime_sdk.testing"],
)
def test_a_busy_port_is_one_line_with_the_port_and_a_hint(command: list[str]) -> None:
    """A port in use: one line naming it and what to do, exit status 2, no traceback."""
    with listening_socket() as port:
        done = run(*command, "--port", str(port), env=user_env())
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert f"127.0.0.1:{port}" in done.stderr
    assert "--port" in done.stderr
    assert "Traceback" not in done.stderr


# -- 2. --config keeps what flags do not set --------------------------------------------------------


def test_config_from_stdin_keeps_its_session_type(fake: FakeRealtimeAPI) -> None:
    """The README's pipe mints a transcription session: no default replaces the file's type."""
    config = '{"session": {"type": "transcription"}}'
    readme_shows(f"echo '{config}' | realtime-sdk client-secret --config -")
    env = user_env(OPENAI_API_KEY=KEY, OPENAI_BASE_URL=fake.base_url)
    done = run(CLI, "client-secret", "--config", "-", env=env, stdin=config + "\n")
    assert done.returncode == 0, done.stderr
    assert fake.requests[-1].json == {"session": {"type": "transcription"}}
    assert json.loads(done.stdout)["session"]["type"] == "transcription"


def test_flags_given_override_the_config_file(fake: FakeRealtimeAPI, tmp_path: Path) -> None:
    """`--config session.json --value` with a flag: the flag wins, the rest of the file stays."""
    readme_shows("realtime-sdk client-secret --config session.json --value")
    (tmp_path / "session.json").write_text(
        json.dumps({"session": {"type": "transcription"}, "expires_after": {"seconds": 60}})
    )
    env = user_env(OPENAI_API_KEY=KEY, OPENAI_BASE_URL=fake.base_url)
    argv = ["client-secret", "--config", "session.json", "--value", "--type", "realtime"]
    done = run(CLI, *argv, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert fake.requests[-1].json == {
        "session": {"type": "realtime"},
        "expires_after": {"seconds": 60},
    }
    assert done.stdout == fake.minted_keys[-1] + "\n"


# -- 3. the pytest snippets, alone in a directory -------------------------------------------------

SNIPPET_NAME = re.compile(r"# ([\w.-]+\.(?:py|toml))\b")


def snippet_files(path: Path) -> dict[str, str]:
    """The code blocks of one document that open with a file name comment, by that name."""
    files = {}
    text = path.read_text(encoding="utf-8")
    for body in re.findall(r"```\w+\n(.*?)```", text, flags=re.DOTALL):
        match = SNIPPET_NAME.match(body)
        if match:
            files[match.group(1)] = body
    return files


PYTEST_PAGES = [path for path in documents() if snippet_files(path)]


def test_the_pytest_files_are_shown_in_the_readme_and_the_testing_page() -> None:
    """The README and docs/testing.md show a pytest setup as files (guards the parsing)."""
    assert PYTEST_PAGES == [REPO / "README.md", REPO / "docs" / "testing.md"]


@pytest.mark.parametrize(
    "page", PYTEST_PAGES, ids=[path.relative_to(REPO).as_posix() for path in PYTEST_PAGES]
)
def test_the_pytest_files_pass_in_an_empty_directory(page: Path, tmp_path: Path) -> None:
    """A page's files, copied as they are, pass under `python -m pytest` without warnings."""
    files = snippet_files(page)
    assert set(files) == {"pyproject.toml", "test_tokens.py"}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    tests = len(re.findall(r"^(?:async )?def test_", files["test_tokens.py"], flags=re.MULTILINE))
    done = run(sys.executable, "-m", "pytest", env=user_env(), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(rf"\b{tests} passed\b", done.stdout), done.stdout
    assert "warning" not in done.stdout.lower(), done.stdout


SYNC_ONLY_TEST = """
from realtime_sdk import SyncRealtimeClient

pytest_plugins = ["realtime_sdk.pytest_plugin"]


def test_sync(fake_realtime_api_thread):
    with SyncRealtimeClient("sk-test", base_url=fake_realtime_api_thread.base_url) as client:
        client.create_realtime_client_secret({"session": {"type": "realtime"}})
    assert len(fake_realtime_api_thread.requests) == 1


def test_asks_for_the_async_fixture(fake_realtime_api):
    pass
"""


def test_plugin_loads_and_sync_fixture_works_without_pytest_asyncio(tmp_path: Path) -> None:
    """With pytest-asyncio unimportable, the sync fixture works; the async one says what it needs."""
    # A package that refuses to import stands in for pytest-asyncio not being installed;
    # -p no:asyncio keeps pytest from loading its entry point.
    shadow = tmp_path / "shadow" / "pytest_asyncio"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(
        'raise ModuleNotFoundError("No module named \'pytest_asyncio\'", name="pytest_asyncio")\n'
    )
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_sync_only.py").write_text(SYNC_ONLY_TEST)
    env = user_env(PYTHONPATH=str(tmp_path / "shadow"))
    done = run(sys.executable, "-m", "pytest", "-p", "no:asyncio", env=env, cwd=project)
    assert "1 passed, 1 error" in done.stdout, done.stdout + done.stderr
    assert "needs pytest-asyncio" in done.stdout
    assert "realtime-control-sdk[testing]" in done.stdout
    assert "ModuleNotFoundError" not in done.stdout


# -- 4. a silent server: retries announced, bounded, and a closing line ----------------------------


def test_a_silent_server_is_retried_on_stderr_and_ends_with_the_limit() -> None:
    """Each retry is one stderr line; the last line gives the attempts and the retry limit."""
    with listening_socket() as port:
        env = user_env(OPENAI_API_KEY=KEY, OPENAI_BASE_URL=f"http://127.0.0.1:{port}/v1")
        done = run(CLI, "client-secret", "--timeout", "0.3", "--max-retries", "2", env=env)
    lines = done.stderr.splitlines()
    assert done.returncode == 20, done.stderr
    assert done.stdout == ""
    assert re.fullmatch(r"retrying in [\d.]+ s \(retry 1 of 2\): attempt 1 failed .*", lines[0])
    assert re.fullmatch(r"retrying in [\d.]+ s \(retry 2 of 2\): attempt 2 failed .*", lines[1])
    assert lines[2].startswith("error: APITimeoutError: ")
    assert lines[3].startswith("gave up after 3 attempts in ")
    assert "the retry limit (--max-retries 2) was reached" in lines[3]
    assert "each attempt may take 0.3 s (--timeout)" in lines[3]
    assert len(lines) == 4
    assert KEY not in done.stderr


def test_the_overall_limit_ends_a_silent_call_and_is_named() -> None:
    """A 1.2 s overall limit stops a call whose 1 s attempt timed out, before any retry."""
    with listening_socket() as port:
        env = user_env(OPENAI_API_KEY=KEY, OPENAI_BASE_URL=f"http://127.0.0.1:{port}/v1")
        argv = ["client-secret", "--timeout", "1", "--total-timeout", "1.2"]
        done = run(CLI, *argv, env=env)
    # The pause before a retry (at least 0.375 s) would overrun what is left of 1.2 s.
    lines = done.stderr.splitlines()
    assert done.returncode == 20
    assert lines[0].startswith("error: APITimeoutError: ")
    assert lines[1].startswith("gave up after 1 attempt in ")
    assert "the overall limit of 1.2 s (--total-timeout) was reached" in lines[1]


def test_the_command_line_limits_default_to_seconds() -> None:
    """`--help` of a command shows the defaults: 10 s per attempt, 30 s in all."""
    done = run(CLI, "client-secret", "--help", env=user_env())
    text = " ".join(done.stdout.split())
    assert "limit per attempt (default: 10)" in text
    assert "0 for none (default: 30)" in text


# -- 5. the token server example logs what went wrong ----------------------------------------------


def test_token_server_example_against_the_fake_server() -> None:
    """The README's two commands: the fake server, then the example pointed at it."""
    readme_shows("realtime-sdk fake-server --port 8787 &")
    readme_shows(
        "OPENAI_API_KEY=sk-local OPENAI_BASE_URL=http://127.0.0.1:8787/v1 python examples/token_server.py"
    )
    with background(CLI, "fake-server", "--port", "0", env=user_env(), cwd=REPO) as server:
        base_url = first_line(server, LIMIT)
        port = free_port()
        env = user_env(OPENAI_API_KEY="sk-local", OPENAI_BASE_URL=base_url)
        command = [sys.executable, "examples/token_server.py", "--port", str(port)]
        with background(*command, env=env, cwd=REPO):
            wait_for_port(port, LIMIT)
            status, body = get(f"http://127.0.0.1:{port}/token")
            page_status, page = get(f"http://127.0.0.1:{port}/")
    assert status == 200
    assert json.loads(body)["value"].startswith("ek_")
    assert page_status == 200
    assert b'fetch("/token"' in page


def test_token_server_example_logs_a_failure_without_the_key() -> None:
    """An unreachable API: the browser gets 502, the log gets class, status and request id."""
    port = free_port()
    dead = free_port()  # nothing listens there
    env = user_env(OPENAI_API_KEY="sk-local-SECRET", OPENAI_BASE_URL=f"http://127.0.0.1:{dead}/v1")
    command = [sys.executable, "examples/token_server.py", "--port", str(port)]
    with background(*command, env=env, cwd=REPO) as process:
        wait_for_port(port, LIMIT)
        status, body = get(f"http://127.0.0.1:{port}/token")
        process.terminate()
        _, log = process.communicate(timeout=LIMIT)
    assert status == 502
    assert json.loads(body) == {"error": "could not mint a key"}
    assert "could not mint a key: APIConnectionError status=None request_id=None" in log
    assert "sk-local-SECRET" not in log


def test_token_server_example_logs_the_status_and_request_id_of_a_refusal() -> None:
    """The API refuses the key: the log line carries the status and the request id."""
    with background(
        CLI, "fake-server", "--port", "0", "--api-key", "sk-other", env=user_env(), cwd=REPO
    ) as server:
        base_url = first_line(server, LIMIT)
        port = free_port()
        env = user_env(OPENAI_API_KEY="sk-local-SECRET", OPENAI_BASE_URL=base_url)
        command = [sys.executable, "examples/token_server.py", "--port", str(port)]
        with background(*command, env=env, cwd=REPO) as process:
            wait_for_port(port, LIMIT)
            status, _ = get(f"http://127.0.0.1:{port}/token")
            process.terminate()
            _, log = process.communicate(timeout=LIMIT)
    assert status == 502
    assert re.search(r"AuthenticationError status=401 request_id=req_[0-9a-f]+", log), log
    assert "sk-local-SECRET" not in log


# -- 6. small rough edges --------------------------------------------------------------------------


def test_version_prints_the_version() -> None:
    """`realtime-sdk --version` prints the installed version and exits 0."""
    readme_shows("realtime-sdk --version")
    done = run(CLI, "--version", env=user_env())
    assert done.returncode == 0
    assert done.stdout == f"realtime-sdk {realtime_sdk.__version__}\n"


def test_demo_names_the_host_it_used(fake: FakeRealtimeAPI) -> None:
    """With OPENAI_BASE_URL at a local server, demo says that host, not "the OpenAI API"."""
    readme_shows("realtime-sdk demo")
    env = user_env(OPENAI_API_KEY=KEY, OPENAI_BASE_URL=fake.base_url)
    done = run(CLI, "demo", env=env)
    assert done.returncode == 0, done.stderr
    assert f"on the API at 127.0.0.1:{fake.port} " in done.stdout
    assert "OpenAI API" not in done.stdout
    assert "ek_****" in done.stdout


def test_demo_without_a_key_uses_the_embedded_fake() -> None:
    """`pip install . && realtime-sdk demo`: no key, the embedded fake, nothing on stderr."""
    readme_shows("pip install . && realtime-sdk demo")
    done = run(CLI, "demo", env=user_env(PYTHONWARNINGS="error"))
    assert done.returncode == 0, done.stderr
    assert "on the embedded fake API" in done.stdout
    assert done.stderr == ""


@pytest.mark.parametrize(
    ("argv", "stdin"),
    [
        (["--config", "no-such-file.json"], ""),
        (["--config", "-"], "{not json"),
        (["--config", "-"], "[1, 2]"),
    ],
    ids=["missing", "not-json", "not-an-object"],
)
def test_a_bad_config_file_is_bad_input_not_a_usage_error(
    fake: FakeRealtimeAPI, argv: list[str], stdin: str
) -> None:
    """A --config that cannot be used exits 3 (bad input), names the option, sends nothing."""
    env = user_env(OPENAI_API_KEY=KEY, OPENAI_BASE_URL=fake.base_url)
    done = run(CLI, "client-secret", *argv, env=env, stdin=stdin)
    assert done.returncode == 3
    assert done.stderr.startswith("error: ConfigFileError: --config: ")
    assert fake.requests == []


def test_a_usage_error_keeps_exit_status_2() -> None:
    """An unknown flag is argparse's usage error, exit status 2."""
    done = run(CLI, "client-secret", "--no-such-flag", env=user_env())
    assert done.returncode == 2
    assert "unrecognized arguments" in done.stderr


@pytest.mark.parametrize("value", ["", "  "], ids=["empty", "blank"])
def test_an_empty_or_blank_key_is_no_key(value: str) -> None:
    """`OPENAI_API_KEY=` and `OPENAI_API_KEY="  "` give the same no-key message, exit 2."""
    done = run(CLI, "client-secret", env=user_env(OPENAI_API_KEY=value))
    assert done.returncode == 2
    assert done.stderr.startswith("error: ConfigurationError: no API key: set OPENAI_API_KEY")


# -- 7. the default test run ends without a figures dump -------------------------------------------


def test_reliability_figures_are_one_line_unless_asked_for() -> None:
    """`python -m pytest` sums the figures up in one line; -v prints them."""
    # One quick scenario stands for the suite: the report is the same code for all.
    target = "tests/reliability/test_lifecycle.py::test_opening_and_closing_many_sync_clients_leaks_nothing"
    env = user_env()
    quiet = run(sys.executable, "-m", "pytest", target, env=env)
    verbose = run(sys.executable, "-m", "pytest", target, "-v", env=env)
    assert quiet.returncode == 0, quiet.stdout
    assert verbose.returncode == 0, verbose.stdout
    summary = [line for line in quiet.stdout.splitlines() if "reliability figures" in line]
    assert len(summary) == 1
    assert "-v prints them" in summary[0]
    assert "threads_after" not in quiet.stdout
    assert "  threads_after: " in verbose.stdout
