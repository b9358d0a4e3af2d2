"""The token-server example, run against the fake API: its /token route and its page."""

import asyncio
import shutil
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from realtime_sdk.testing import FakeRealtimeAPI
from tests._examples import load_example

API_KEY = "sk-example-test"


@pytest.fixture
async def fake(monkeypatch) -> AsyncIterator[FakeRealtimeAPI]:
    async with FakeRealtimeAPI(api_key=API_KEY) as server:
        monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        yield server


@pytest.fixture
async def backend(fake) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    app = load_example("token_server").make_app()
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


async def test_token_route_hands_out_a_fresh_key(fake, backend):
    """GET /token answers with the key the API minted and its expiry, marked not cacheable."""
    response = await backend.get("/token")
    body = await response.json()
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert body["value"] == fake.minted_keys[0]
    assert isinstance(body["expires_at"], int)
    assert set(body) == {"value", "expires_at", "session"}  # for_browser(): nothing else
    assert body["session"]["type"] == "realtime"
    assert fake.requests[0].json == {
        "expires_after": {"anchor": "created_at", "seconds": 600},
        "session": {"type": "realtime"},
    }


async def test_token_route_keeps_api_errors_from_the_browser(fake, backend):
    """An API refusal becomes a 502 with a generic message, without the API's details."""
    fake.fail_next(1, 401)
    response = await backend.get("/token")
    assert response.status == 502
    assert await response.json() == {"error": "could not mint a key"}


async def test_page_is_served_and_fetches_the_token(backend):
    """GET / serves the page, which fetches /token and masks the key."""
    response = await backend.get("/")
    html = await response.text()
    assert response.status == 200
    assert 'fetch("/token"' in html
    assert '"ek_****"' in html


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.browser
@pytest.mark.skipif(
    _chromium() is None, reason="no chromium browser installed (apt-get install chromium)"
)
async def test_browser_shows_the_masked_key(fake):
    """Headless Chromium loads the page, which shows the masked key and never the key itself."""
    runner = web.AppRunner(load_example("token_server").make_app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = site.port
        browser = await asyncio.create_subprocess_exec(
            str(_chromium()),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=10000",
            "--dump-dom",
            f"http://127.0.0.1:{port}/",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            async with asyncio.timeout(60):
                dom, _ = await browser.communicate()
        finally:
            if browser.returncode is None:
                browser.kill()
                await browser.wait()
    finally:
        await runner.cleanup()
    page = dom.decode()
    assert 'data-state="ready"' in page
    assert "ek_****" in page
    assert fake.minted_keys
    assert fake.minted_keys[0] not in page
