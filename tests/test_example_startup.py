"""The example servers, started as scripts without what they need: one line and an exit status."""

import os
import socket
import subprocess
import sys

import pytest

from realtime_sdk.testing import make_webhook_secret
from tests._examples import EXAMPLES

SERVERS = ("token_server", "sdp_server", "sip_webhook")


def _env(**extra: str) -> dict[str, str]:
    """This environment without OpenAI settings (and with warnings as errors), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    return {**env, "PYTHONWARNINGS": "error", **extra}


def _start(name: str, port: int, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own example, with this interpreter
        [sys.executable, str(EXAMPLES / f"{name}.py"), "--port", str(port)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("name", SERVERS)
def test_without_an_api_key_the_script_says_so_in_one_line(name: str) -> None:
    """No OPENAI_API_KEY: exit status 2 and one line naming the variable, no traceback."""
    done = _start(name, 0, _env(OPENAI_WEBHOOK_SECRET=make_webhook_secret()))
    assert done.returncode == 2
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith(f"{name}: no API key")
    assert "OPENAI_API_KEY" in line


@pytest.mark.parametrize("name", SERVERS)
def test_a_busy_port_is_one_line_and_exit_status_1(name: str) -> None:
    """A port something else listens on: exit status 1 and one line naming the port."""
    env = _env(OPENAI_API_KEY="sk-example-test", OPENAI_WEBHOOK_SECRET=make_webhook_secret())
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        done = _start(name, port, env)
    assert done.returncode == 1
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith(f"{name}: cannot listen on 127.0.0.1:{port}: ")
    assert line.endswith(" (--port picks another)")
    assert "sk-example-test" not in done.stderr
