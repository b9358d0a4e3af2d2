"""The reliability suite's size knob, shared resource probes, and its figures report.

``RELIABILITY_SIZE=ci`` (the default) runs every scenario small enough for CI;
``RELIABILITY_SIZE=full`` runs issue 6's full figures. Each scenario records what it saw
(calls, faults, outcomes, descriptors, memory) with the ``figures`` fixture; the report is
printed at the end of the run and written to ``.pytest_cache/reliability-figures.json``.
"""

import json
import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest

SIZE_ENV = "RELIABILITY_SIZE"
FIGURES_FILE = "reliability-figures.json"


@dataclass(frozen=True, slots=True)
class Size:
    """How big each scenario runs."""

    name: str
    soak_calls: int
    soak_in_flight: int
    soak_connections: int
    lifecycle_clients: int
    lifecycle_sync_clients: int
    cancel_requests: int
    hypothesis_examples: int


SIZES = {
    "ci": Size(
        name="ci",
        soak_calls=2_000,
        soak_in_flight=256,
        soak_connections=64,
        lifecycle_clients=100,
        lifecycle_sync_clients=20,
        cancel_requests=500,
        hypothesis_examples=40,
    ),
    "full": Size(
        name="full",
        soak_calls=20_000,
        soak_in_flight=256,
        soak_connections=64,
        lifecycle_clients=1_000,
        lifecycle_sync_clients=1_000,
        cancel_requests=5_000,
        hypothesis_examples=400,
    ),
}


def current_size() -> Size:
    """The size picked by ``RELIABILITY_SIZE``; an unknown value stops the run."""
    name = os.environ.get(SIZE_ENV, "ci").strip().lower() or "ci"
    if name not in SIZES:
        msg = f"{SIZE_ENV}={name!r}: expected one of {sorted(SIZES)}"
        raise pytest.UsageError(msg)
    return SIZES[name]


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


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    figures = config.stash.get(_FIGURES_KEY, None)
    if figures is None or not figures.scenarios:
        return
    report = figures.as_json()
    terminalreporter.section(f"reliability figures (RELIABILITY_SIZE={figures.size.name})")
    for scenario, values in sorted(figures.scenarios.items()):
        terminalreporter.write_line(f"{scenario}:")
        for key, value in sorted(values.items()):
            terminalreporter.write_line(f"  {key}: {json.dumps(value, sort_keys=True)}")
    target = Path(config.rootpath) / ".pytest_cache" / FIGURES_FILE
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    except OSError as exc:  # a read-only checkout still gets the printed report
        terminalreporter.write_line(f"(could not write {target}: {exc})")
    else:
        terminalreporter.write_line(f"written to {target}")
