"""The README's Python examples run as written, against the fake API."""

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

from realtime_sdk.testing import serve_in_thread

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
# The token backend serves forever; examples/token_server.py is tested in test_examples.py.
RUNNABLE = [block for block in BLOCKS if "web.run_app" not in block]


def test_readme_has_python_examples() -> None:
    """The README shows runnable examples (this guards the regex below)."""
    assert len(RUNNABLE) >= 4


@pytest.mark.parametrize("block", RUNNABLE, ids=[f"block{i}" for i in range(len(RUNNABLE))])
def test_readme_block_runs(block: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each example runs against the fake with only the environment a user would set."""
    with serve_in_thread() as fake:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-readme-test")
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        namespace: dict[str, Any] = {"__name__": "readme_example"}
        exec(compile(block, str(README), "exec"), namespace)  # noqa: S102 - our own README
        # A block that only defines a test coroutine is run here, as pytest would.
        for name, value in namespace.items():
            if name.startswith("test_") and asyncio.iscoroutinefunction(value):
                asyncio.run(value())
