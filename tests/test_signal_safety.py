"""Tests that interrupt the main thread never hang, even where SIGINT cannot reach Python."""

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SIGNAL_TESTS = "interrupt_main or sigint_signal or ctrl_c"
LIMIT = 120  # seconds: the three tests take a few; a hang is what this guards against


# The reproduction: a shell that ignores SIGINT, then execs pytest (which inherits it).
IGNORING_SIGINT = ["/bin/sh", "-c", 'trap "" INT; exec "$0" "$@"']


def test_with_sigint_ignored_the_signal_tests_skip_and_say_why() -> None:
    """Started as `nohup` or `cmd &` would (SIGINT ignored), the Ctrl-C tests skip, not hang."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    done = subprocess.run(  # noqa: S603 - our own interpreter and test suite
        [
            *IGNORING_SIGINT,
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-q",
            "-rs",
            "-k",
            SIGNAL_TESTS,
            "tests/test_sync_client.py",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=LIMIT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b3 skipped\b", done.stdout), done.stdout
    assert done.stdout.count("SIGINT is not Python's default handler") == 3
