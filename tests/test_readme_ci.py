"""The README's test commands are the ones CI runs, and the heavy runs stay out of the first."""

import re
import tomllib
from pathlib import Path

from tests._snippets import documents

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
CI = (REPO / ".ci" / "run").read_text(encoding="utf-8")
QUICK = "pip install -e '.[test]' && python -m pytest -n auto"
HEAVY = "python -m pytest -m heavy"


def test_ci_runs_both_readme_test_commands_verbatim() -> None:
    """`.ci/run` holds the README's test command and its heavy command, line for line."""
    assert QUICK in README
    assert HEAVY in README
    ci_lines = {line.strip() for line in CI.splitlines()}
    assert {QUICK, HEAVY} <= ci_lines


def test_ci_builds_the_docs_strictly() -> None:
    """`.ci/run` builds the documentation site with warnings as errors."""
    assert re.search(r"^\S*\s*mkdocs build --strict", CI, flags=re.MULTILINE)


def test_the_readme_states_both_commands_measured_times() -> None:
    """Each test command is followed by its measured wall time on the 2-core machine."""
    assert re.search(r"-n auto\n```\n\n[^`]*\b\d+ s wall\b", README)
    assert re.search(r"`python -m pytest -m heavy`[^.]*\b\d+ s wall\b", README)


def test_the_heavy_runs_are_left_out_of_the_default_run() -> None:
    """pyproject's addopts deselect the heavy marker; `-m heavy` on the command line wins."""
    options = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_options = options["tool"]["pytest"]["ini_options"]
    addopts = pytest_options["addopts"]
    assert addopts[addopts.index("-m") + 1] == "not heavy"
    assert any(marker.startswith("heavy:") for marker in pytest_options["markers"])


def test_the_readme_is_a_front_page() -> None:
    """The README stays a front page; everything else lives on the docs site."""
    assert len(README.splitlines()) <= 265


def test_no_page_speaks_of_the_project_history() -> None:
    """No issue numbers or run dates on the pages users read (the CHANGELOG keeps history)."""
    for path in documents():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bissues? #?\d+|#\d+\b", text, flags=re.IGNORECASE), path
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b(?!-preview)", text), path
