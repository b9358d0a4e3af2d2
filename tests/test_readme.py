"""Every Python snippet of the README and the docs site runs as written, against the fake API.

test_snippet_typing.py type-checks the same snippets; test_readme_commands.py runs the
shell commands and the blocks that are whole files for pytest.
"""

import asyncio
import importlib.util
import inspect
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from realtime_sdk import RealtimeClient
from realtime_sdk.testing import (
    FakeRealtimeAPI,
    make_webhook_secret,
    realtime_call_incoming_event,
    send_webhook,
    serve_in_thread,
)
from tests._snippets import REPO, Snippet, snippets

SNIPPETS = snippets()
# A backend that serves forever: run below with its server start caught.
SERVES_FOREVER = [s for s in SNIPPETS if "web.run_app(" in s.code]
FASTAPI_APPS = [s for s in SNIPPETS if "FastAPI(" in s.code]
RUNNABLE = [
    s for s in SNIPPETS if s not in SERVES_FOREVER and s not in FASTAPI_APPS and s.file_name is None
]
KEY = "sk-readme-test"


def test_the_snippets_are_found() -> None:
    """The README and the docs have runnable snippets (this guards the parsing)."""
    readme = [s for s in SNIPPETS if s.path == REPO / "README.md"]
    assert len(readme) >= 6
    assert len(SNIPPETS) >= 15
    assert len(SERVES_FOREVER) == 1
    assert len(FASTAPI_APPS) == 1


def _execute(snippet: Snippet) -> dict[str, Any]:
    """Run a snippet as a script, then any ``test_*`` functions it defines, as pytest would."""
    namespace: dict[str, Any] = {"__name__": "snippet"}
    code = compile(snippet.code, f"{snippet.id} (line {snippet.line})", "exec")
    exec(code, namespace)  # noqa: S102 - our own documentation
    for name, value in list(namespace.items()):
        if name.startswith("test_") and inspect.isfunction(value):
            if inspect.iscoroutinefunction(value):
                asyncio.run(value())
            else:
                value()
    return namespace


@pytest.fixture
def fake_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeRealtimeAPI]:
    """A fake API in a thread, and only the environment a user would set to reach it."""
    with serve_in_thread() as fake:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        yield fake


@pytest.mark.parametrize("snippet", RUNNABLE, ids=[s.id for s in RUNNABLE])
def test_snippet_runs(snippet: Snippet, fake_env: FakeRealtimeAPI) -> None:
    """Each snippet runs against the fake with only the environment a user would set."""
    _execute(snippet)


def test_the_quickstart_runs_without_a_key(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without OPENAI_API_KEY the README's first snippet mints a key from the embedded fake."""
    first = next(s for s in SNIPPETS if s.path == REPO / "README.md")
    assert "FakeRealtimeAPI" in first.code
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    _execute(first)
    assert capsys.readouterr().out.startswith("ek_****")


def _serving_app(snippet: Snippet, monkeypatch: pytest.MonkeyPatch) -> web.Application:
    """Run a backend snippet; return the app it would have served."""
    served: list[web.Application] = []
    monkeypatch.setattr(web, "run_app", lambda app, **_: served.append(app))
    monkeypatch.setattr(logging, "basicConfig", lambda **_: None)  # keep pytest's logging
    _execute(snippet)
    [app] = served
    return app


async def test_the_aiohttp_token_endpoint_hands_out_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's aiohttp backend mints a key on /token; a refusal is a 502 without details."""
    [snippet] = SERVES_FOREVER
    async with FakeRealtimeAPI(api_key=KEY) as fake:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        app = _serving_app(snippet, monkeypatch)
        async with TestClient(TestServer(app, host="127.0.0.1")) as browser:
            response = await browser.get("/token")
            assert response.status == 200
            assert (await response.json())["value"] == fake.minted_keys[-1]
            assert response.headers["Cache-Control"] == "no-store"
            fake.fail_next(1, 401)
            response = await browser.get("/token")
            assert response.status == 502
            assert await response.json() == {"error": "could not mint a key"}


async def test_the_fastapi_token_endpoint_hands_out_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The FastAPI endpoint with a module-level client mints a key; a refusal is a 502."""
    pytest.importorskip("fastapi")
    import httpx  # noqa: PLC0415 - with fastapi, from the test extra

    [snippet] = FASTAPI_APPS
    async with FakeRealtimeAPI(api_key=KEY) as fake:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        namespace = _execute(snippet)  # builds the module-level client, outside any loop
        app = namespace["app"]
        # The app's own lifespan, as a server runs it: it closes the client at the end.
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://testserver"
            ) as browser,
        ):
            response = await browser.get("/token")
            assert response.status_code == 200
            assert response.json()["value"] == fake.minted_keys[-1]
            assert response.headers["Cache-Control"] == "no-store"
            fake.fail_next(1, 401)
            response = await browser.get("/token")
            assert response.status_code == 502
            assert response.json() == {"detail": "could not mint a key"}
    assert namespace["client"].is_closed


async def test_the_sip_webhook_handler_accepts_a_verified_call(
    fake_env: FakeRealtimeAPI,
) -> None:
    """The README's SIP handler accepts the call a signed delivery announces, refuses a forgery."""
    [snippet] = [s for s in SNIPPETS if "def sip_app(" in s.code]
    sip_app = _execute(snippet)["sip_app"]
    secret = make_webhook_secret()
    async with RealtimeClient(KEY, base_url=fake_env.base_url) as client:
        call_id = fake_env.add_incoming_call()
        async with TestServer(sip_app(client, secret), host="127.0.0.1") as server:
            url = str(server.make_url("/openai/webhook"))
            event = realtime_call_incoming_event(call_id)
            forged = await send_webhook(url, event, secret=make_webhook_secret())
            assert fake_env.calls[call_id].state == "ringing"
            delivered = await send_webhook(url, event, secret=secret)
            assert fake_env.calls[call_id].state == "active"
            again = await send_webhook(url, event, secret=secret)  # a redelivery: a 409 inside
    assert (forged.status, delivered.status, again.status) == (400, 200, 200)


def test_fastapi_is_installed_with_the_test_extra() -> None:
    """The FastAPI snippet is not skipped in the suite the README's command installs."""
    assert importlib.util.find_spec("fastapi") is not None
    assert importlib.util.find_spec("httpx") is not None  # drives the app in the test
