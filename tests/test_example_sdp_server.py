"""The WebRTC example (examples/sdp_server.py and call.html), run against the fake API."""

import asyncio
import logging
import shutil
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from realtime_sdk.testing import FakeRealtimeAPI
from tests._examples import load_example

API_KEY = "sk-example-test"
OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"


@pytest.fixture
async def fake(monkeypatch) -> AsyncIterator[FakeRealtimeAPI]:
    async with FakeRealtimeAPI(api_key=API_KEY) as server:
        monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        yield server


@pytest.fixture
async def backend(fake) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    app = load_example("sdp_server").make_app()
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


async def test_the_offer_is_exchanged_for_openai_s_answer(fake, backend):
    """POST /call sends the offer with the server's key and session; the browser gets the
    SDP answer and the call id, and no key."""
    response = await backend.post("/call", data=OFFER, headers={"Content-Type": "application/sdp"})
    answer = await response.text()
    assert response.status == 200
    assert response.content_type == "application/sdp"
    assert answer.startswith("v=0\r\n")
    call_id = response.headers["X-Call-Id"]
    assert fake.calls[call_id].state == "active"
    seen = fake.requests[0]
    assert seen.headers["Authorization"] == f"Bearer {API_KEY}"
    assert seen.form is not None
    assert seen.form["sdp"] == OFFER
    assert fake.calls[call_id].session == load_example("sdp_server").SESSION
    assert API_KEY not in answer
    assert all(API_KEY not in value for value in response.headers.values())


async def test_a_call_the_server_opened_can_be_hung_up_and_no_other(fake, backend):
    """Hang up reaches the API for the server's own calls only."""
    response = await backend.post("/call", data=OFFER)
    call_id = response.headers["X-Call-Id"]
    stranger = fake.add_incoming_call()
    assert (await backend.post(f"/call/{stranger}/hangup")).status == 404
    assert (await backend.post(f"/call/{call_id}/hangup")).status == 204
    assert fake.calls[call_id].state == "ended"
    assert fake.calls[stranger].state == "ringing"
    assert (await backend.post(f"/call/{call_id}/hangup")).status == 404


async def test_what_is_not_an_offer_never_reaches_the_api(fake, backend):
    """A body that is not SDP is a 400 from the backend itself."""
    response = await backend.post("/call", data="hello")
    assert response.status == 400
    assert fake.requests == []


async def test_api_errors_stay_out_of_the_browser(fake, backend):
    """An API refusal becomes a 502 with a generic message."""
    fake.fail_next(1, 401)
    response = await backend.post("/call", data=OFFER)
    assert response.status == 502
    assert await response.text() == "could not open a call"


async def test_the_page_posts_its_offer_to_the_backend(backend):
    """GET / serves the page, which posts an application/sdp offer to /call."""
    response = await backend.get("/")
    html = await response.text()
    assert response.status == 200
    assert 'fetch("/call"' in html
    assert '"Content-Type": "application/sdp"' in html
    assert "setRemoteDescription" in html


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


async def _devtools_port(browser: asyncio.subprocess.Process) -> str:
    """The port Chromium's DevTools listen on, from the line it writes to stderr."""
    assert browser.stderr is not None
    while line := (await browser.stderr.readline()).decode():
        if "DevTools listening on ws://127.0.0.1:" in line:
            return line.split("ws://127.0.0.1:")[1].split("/")[0]
    pytest.fail("chromium did not start its DevTools server")


async def _page_state(http: aiohttp.ClientSession, port: str) -> tuple[str, str]:
    """The page's data-state and error text, read through the DevTools protocol."""
    async with http.get(f"http://127.0.0.1:{port}/json") as response:
        pages = [target for target in await response.json() if target["type"] == "page"]
    # Empty until the page's body and error line exist (the page may still be loading).
    expression = (
        "[(document.body && document.body.dataset.state) || '',"
        " (document.getElementById('error') || {}).textContent || '']"
    )
    async with http.ws_connect(pages[0]["webSocketDebuggerUrl"]) as ws:
        await ws.send_json(
            {
                "id": 1,
                "method": "Runtime.evaluate",
                "params": {"expression": expression, "returnByValue": True},
            }
        )
        reply = await ws.receive_json()
    state, error = reply["result"]["result"].get("value", ["", ""])
    return state, error


@pytest.mark.browser
@pytest.mark.skipif(
    _chromium() is None, reason="no chromium browser installed (apt-get install chromium)"
)
async def test_browser_sends_a_real_offer_and_gets_the_answer(fake, tmp_path):
    """Headless Chromium (with a fake microphone) makes a real SDP offer, the backend
    exchanges it, and the page takes the fake's answer as its remote description."""
    runner = web.AppRunner(load_example("sdp_server").make_app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    browser = await asyncio.create_subprocess_exec(
        str(_chromium()),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        "--remote-debugging-port=0",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"http://127.0.0.1:{site.port}/?autostart=1",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(60), aiohttp.ClientSession() as http:
            port = await _devtools_port(browser)
            state, error = "", ""
            # Bounded polling for the page's own steps (microphone, offer, answer).
            for _ in range(200):
                state, error = await _page_state(http, port)
                if state not in {"", "starting"}:
                    break
                await asyncio.sleep(0.1)
    finally:
        browser.kill()
        await browser.wait()
        await runner.cleanup()
    assert state in {"answered", "connected"}, (state, error)
    assert error == ""  # the fake microphone was used: no "listening only" note
    offers = [r.form for r in fake.requests if r.path == "/v1/realtime/calls"]
    assert len(offers) == 1
    assert offers[0] is not None
    assert offers[0]["sdp"].startswith("v=0")
    assert "m=audio" in offers[0]["sdp"]
    assert "m=application" in offers[0]["sdp"]  # the data channel for the model's events


async def test_the_server_attaches_to_its_call_and_logs_the_transcript(fake, backend, caplog):
    """After the offer, the backend attaches to the call and logs both sides until hang-up."""
    caplog.set_level(logging.INFO, logger="sdp_server")
    response = await backend.post("/call", data=OFFER)
    call_id = response.headers["X-Call-Id"]
    async with asyncio.timeout(10):
        await fake.realtime.wait_for_connections(1)
    await fake.realtime.say_as_caller("Where is my order?", call_id)
    await fake.realtime.say_as_assistant("It ships tomorrow.", call_id)
    assert (await backend.post(f"/call/{call_id}/hangup")).status == 204
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while f"call {call_id} ended" not in caplog.text:
        assert loop.time() < deadline, "the transcript never ended"
        await asyncio.sleep(0.01)
    assert f"call {call_id} caller: Where is my order?" in caplog.text
    assert f"call {call_id} assistant: It ships tomorrow." in caplog.text
    assert API_KEY not in caplog.text
