"""The README's Python examples run as written, against the fake API."""

import asyncio
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from realtime_sdk.testing import FakeRealtimeAPI, serve_in_thread

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
# The token backend serves forever: it is run below with its server start caught. A block
# that opens with a file name is a file for pytest; test_readme_commands.py runs those.
TOKEN_BACKEND = [block for block in BLOCKS if "web.run_app" in block]
RUNNABLE = [
    block for block in BLOCKS if "web.run_app" not in block and not block.startswith("# test_")
]


def test_readme_has_python_examples() -> None:
    """The README shows runnable examples (this guards the regex below)."""
    assert len(RUNNABLE) >= 3
    assert len(TOKEN_BACKEND) == 1


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


def _token_backend(monkeypatch: pytest.MonkeyPatch) -> web.Application:
    """Run the README's token backend block; return the app it would have served."""
    [block] = TOKEN_BACKEND
    served: list[web.Application] = []
    monkeypatch.setattr(web, "run_app", lambda app, **_: served.append(app))
    monkeypatch.setattr(logging, "basicConfig", lambda **_: None)  # keep pytest's logging
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    exec(compile(block, str(README), "exec"), namespace)  # noqa: S102 - our own README
    [app] = served
    return app


async def test_readme_token_backend_hands_out_keys_and_logs_failures(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The README's backend mints a key on /token; a refusal is a 502 and one log line."""
    async with FakeRealtimeAPI(api_key="sk-readme-test") as fake:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-readme-test")
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        app = _token_backend(monkeypatch)
        async with TestClient(TestServer(app, host="127.0.0.1")) as browser:
            response = await browser.get("/token")
            assert response.status == 200
            assert (await response.json())["value"] == fake.minted_keys[-1]
            assert response.headers["Cache-Control"] == "no-store"
            fake.fail_next(1, 401)
            with caplog.at_level(logging.WARNING, logger="token_server"):
                response = await browser.get("/token")
    assert response.status == 502
    [record] = [r for r in caplog.records if r.name == "token_server"]
    assert "AuthenticationError status=401 request_id=req_" in record.getMessage()
    assert "sk-readme-test" not in record.getMessage()
