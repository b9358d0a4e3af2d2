"""The distribution is installed under a name of its own; the import and command names stay."""

import importlib.metadata
import re
import tomllib
from pathlib import Path

import realtime_sdk
from realtime_sdk._version import DISTRIBUTION
from tests._snippets import documents

REPO = Path(__file__).resolve().parents[1]
# "realtime-sdk" on the package index is an unrelated project: no install line may name it.
TAKEN = "realtime-sdk"


def _documents() -> list[Path]:
    return [*documents(), REPO / "CHANGELOG.md"]


def test_the_installed_metadata_carries_our_name_and_version() -> None:
    """The checkout is installed as realtime-control-sdk, at the package's own version."""
    assert importlib.metadata.version(DISTRIBUTION) == realtime_sdk.__version__


def test_pyproject_names_the_distribution_and_refers_to_itself_by_it() -> None:
    """pyproject's name is DISTRIBUTION, and extras that pull in other extras use that name."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == DISTRIBUTION
    own = [
        requirement
        for extra in project["optional-dependencies"].values()
        for requirement in extra
        if requirement.startswith("realtime")
    ]
    assert own
    assert all(requirement.startswith(f"{DISTRIBUTION}[") for requirement in own), own


def test_the_command_keeps_its_name() -> None:
    """The console script is still `realtime-sdk`, pointing at the CLI's entry point."""
    [script] = [
        entry
        for entry in importlib.metadata.distribution(DISTRIBUTION).entry_points
        if entry.group == "console_scripts"
    ]
    assert (script.name, script.value) == ("realtime-sdk", "realtime_sdk._cli:main")


def test_no_install_line_names_the_other_project() -> None:
    """Every `pip install` in the README, the docs and the CHANGELOG names our distribution."""
    lines = [
        (path.name, line)
        for path in _documents()
        for line in path.read_text(encoding="utf-8").splitlines()
        if "pip install" in line
    ]
    assert lines
    wrong = [
        (name, line)
        for name, line in lines
        if re.search(rf"pip install [-\w ]*'?{TAKEN}\b(?!-)", line)
    ]
    assert wrong == []


def test_the_install_hints_in_the_package_name_our_distribution() -> None:
    """The hints the package prints (tracing, the pytest plugin) install realtime-control-sdk."""
    sources = [
        REPO / "realtime_sdk" / "_client" / "_otel.py",
        REPO / "realtime_sdk" / "testing" / "_no_async_fixture.py",
        REPO / "realtime_sdk" / "testing" / "pytest_plugin.py",
    ]
    for source in sources:
        text = source.read_text(encoding="utf-8")
        assert f"'{TAKEN}[" not in text, source.name
        assert "DISTRIBUTION" in text or f"'{DISTRIBUTION}[" in text, source.name
