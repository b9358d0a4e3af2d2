"""Every Python snippet of the README and the docs site passes `mypy --strict`.

The snippets are written out as modules and checked in one mypy run (a cache under the
test's temporary directory; CI starts cold). A snippet listed in EXPECTED_FAILURES must
fail, and only for the reason given: when it passes, the entry is stale and this test says
so, so the list only ever shrinks.
"""

import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from tests._snippets import REPO, Snippet, snippets

# A snippet that fails mypy --strict for a stated reason, keyed by snippet id, with a
# pattern every one of its errors must match. Empty: every snippet type-checks.
EXPECTED_FAILURES: dict[str, str] = {}
LIMIT = 600  # seconds for the one mypy run (a cold cache over aiohttp, FastAPI, ...)
_ERROR = re.compile(r"^(?P<file>[^:]+\.py):(?P<line>\d+): error: (?P<message>.*)$")


@pytest.fixture(scope="module")
def mypy_errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """mypy --strict over every snippet: the errors of each, by snippet id."""
    directory = tmp_path_factory.mktemp("snippets")
    by_module: dict[str, Snippet] = {}
    for snippet in snippets():
        (directory / f"{snippet.module}.py").write_text(snippet.code, encoding="utf-8")
        by_module[snippet.module] = snippet
    done = subprocess.run(  # noqa: S603 - our own interpreter and files
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--show-error-codes",
            "--no-pretty",
            "--config-file",
            "",  # the snippets are user code: the project's own settings do not apply
            "--cache-dir",
            str(directory / ".mypy_cache"),
            *(f"{module}.py" for module in sorted(by_module)),
        ],
        capture_output=True,
        text=True,
        cwd=directory,
        timeout=LIMIT,
        check=False,
    )
    errors: dict[str, list[str]] = defaultdict(list)
    for line in done.stdout.splitlines():
        match = _ERROR.match(line)
        if match:
            snippet = by_module[Path(match["file"]).stem]
            errors[snippet.id].append(f"line {match['line']}: {match['message']}")
    # 0: no errors; 1: errors, each one read above; anything else (mypy missing or
    # crashed) must fail the test rather than pass for a clean run.
    assert (done.returncode, done.stderr) in {(0, ""), (1, "")}, done.stdout + done.stderr
    assert (done.returncode == 1) == bool(errors), done.stdout
    return errors


SNIPPETS = snippets()


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.id for s in SNIPPETS])
def test_snippet_type_checks(snippet: Snippet, mypy_errors: dict[str, list[str]]) -> None:
    """The snippet passes mypy --strict, or fails only as its expected-failure entry says."""
    errors = mypy_errors.get(snippet.id, [])
    expected = EXPECTED_FAILURES.get(snippet.id)
    if expected is None:
        assert errors == [], f"{snippet.id} (line {snippet.line}): " + "; ".join(errors)
        return
    assert errors, f"{snippet.id} passes now: remove it from EXPECTED_FAILURES"
    unexpected = [error for error in errors if not re.search(expected, error)]
    assert unexpected == [], f"{snippet.id} (line {snippet.line}): " + "; ".join(unexpected)


def test_every_expected_failure_names_a_snippet() -> None:
    """No entry outlives its snippet."""
    assert set(EXPECTED_FAILURES) <= {s.id for s in SNIPPETS}


def test_the_repository_is_where_the_snippets_are() -> None:
    """The snippets come from this checkout's README and docs (guards the paths)."""
    assert (REPO / "README.md").is_file()
    assert any(s.path.parent == REPO / "docs" for s in SNIPPETS)
