"""The reliability suite's size knob (see `_support.SIZES`) and its figures report.

``RELIABILITY_SIZE=ci`` (the default) runs every scenario small enough for CI;
``RELIABILITY_SIZE=full`` runs issue 6's full figures. Each scenario records what it saw
(calls, faults, outcomes, descriptors, memory) with the ``figures`` fixture; the report is
written to ``.pytest_cache/reliability-figures.json`` and summed up in one line at the end
of the run (``-v`` prints every figure).
"""

import json
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from tests.reliability._support import Size, current_size

FIGURES_FILE = "reliability-figures.json"


class Figures:
    """Numbers each scenario reports, keyed by scenario name, kept for the summary."""

    def __init__(self, size: Size) -> None:
        self.size = size
        self._lock = threading.Lock()
        self.scenarios: dict[str, dict[str, Any]] = {}

    def record(self, scenario: str, **values: Any) -> None:
        """Store (or extend) one scenario's figures and print them at once (seen with -s)."""
        with self._lock:
            self.scenarios.setdefault(scenario, {}).update(values)
        print(f"\n[reliability:{self.size.name}] {scenario}: {json.dumps(values, sort_keys=True)}")  # noqa: T201 - the figures are the output

    def as_json(self) -> dict[str, Any]:
        """The whole report, ready for `json.dump`."""
        return {"size": asdict(self.size), "scenarios": self.scenarios}


_FIGURES_KEY = pytest.StashKey[Figures]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_FIGURES_KEY] = Figures(current_size())


@pytest.fixture(scope="session")
def size(pytestconfig: pytest.Config) -> Size:
    """The scenario sizes for this run."""
    return pytestconfig.stash[_FIGURES_KEY].size


@pytest.fixture(scope="session")
def figures(pytestconfig: pytest.Config) -> Figures:
    """Where scenarios put the numbers the report shows."""
    return pytestconfig.stash[_FIGURES_KEY]


# Under pytest-xdist the scenarios run in worker processes: each worker hands its figures
# to the controller when it finishes, and the controller's summary reports them all.
_WORKER_OUTPUT_KEY = "reliability_figures"


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    figures = session.config.stash.get(_FIGURES_KEY, None)
    if workeroutput is not None and figures is not None:
        workeroutput[_WORKER_OUTPUT_KEY] = json.dumps(figures.scenarios)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """An xdist worker finished: merge the figures it recorded into the controller's."""
    scenarios = json.loads(getattr(node, "workeroutput", {}).get(_WORKER_OUTPUT_KEY, "{}"))
    figures = node.config.stash.get(_FIGURES_KEY, None)
    if figures is not None:
        for scenario, values in scenarios.items():
            figures.scenarios.setdefault(scenario, {}).update(values)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """One line by default; every figure with ``-v`` (the JSON file always has them all)."""
    figures = config.stash.get(_FIGURES_KEY, None)
    if figures is None or not figures.scenarios:
        return
    report = figures.as_json()
    target = Path(config.rootpath) / ".pytest_cache" / FIGURES_FILE
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    except OSError as exc:  # a read-only checkout still gets the printed report
        where = f"could not write {target}: {exc}"
    else:
        where = f"written to {target}"
    title = f"reliability figures (RELIABILITY_SIZE={figures.size.name})"
    if config.get_verbosity() < 1:
        count = len(figures.scenarios)
        noun = "scenario" if count == 1 else "scenarios"
        terminalreporter.write_line(f"{title}: {count} {noun}, {where} (-v prints them)")
        return
    terminalreporter.section(title)
    for scenario, values in sorted(figures.scenarios.items()):
        terminalreporter.write_line(f"{scenario}:")
        for key, value in sorted(values.items()):
            terminalreporter.write_line(f"  {key}: {json.dumps(value, sort_keys=True)}")
    terminalreporter.write_line(where)
