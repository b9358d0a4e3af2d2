"""Behaviour of the fake Realtime API, driven with plain aiohttp (never the SDK client)."""

import asyncio
import json
import select
import subprocess
import sys
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from realtime_sdk.testing import FakeRealtimeAPI

pytest_plugins = ["pytester"]

KEY = "sk-test-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
CLIENT_SECRETS = "/realtime/client_secrets"
SESSIONS = "/realtime/sessions"
TRANSCRIPTION_SESSIONS = "/realtime/transcription_sessions"


@pytest.fixture
async def fake() -> AsyncIterator[FakeRealtimeAPI]:
    async with FakeRealtimeAPI() as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        yield session


async def post(
    http: aiohttp.ClientSession,
    fake: FakeRealtimeAPI,
    path: str,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    data: bytes | None = None,
) -> tuple[int, dict[str, Any], Any]:
    """POST to the fake; returns status, response headers and the parsed JSON body."""
    sent_headers = {**AUTH, "Content-Type": "application/json", **(headers or {})}
    payload = data if data is not None else json.dumps(body if body is not None else {}).encode()
    async with http.post(fake.base_url + path, data=payload, headers=sent_headers) as response:
        raw = await response.read()
        return response.status, dict(response.headers), json.loads(raw)


async def test_base_url_points_at_loopback_v1(fake):
    """The base URL names 127.0.0.1, the bound port and the /v1 root."""
    assert fake.base_url == f"http://127.0.0.1:{fake.port}/v1"
    assert fake.port > 0


async def test_client_secret_minted_with_defaults(fake, http):
    """An empty client-secret request gets an ek_ key and a default realtime session."""
    status, _, body = await post(http, fake, CLIENT_SECRETS, {})
    assert status == 200
    assert body["value"].startswith("ek_")
    session = body["session"]
    assert session["type"] == "realtime"
    assert session["object"] == "realtime.session"
    assert session["model"] == "gpt-realtime"
    assert session["audio"]["output"]["voice"] == "alloy"


def test_subprocess_entry_point_serves_and_prints_url():
    """`python -m realtime_sdk.testing --port 0` prints its URL first and answers a call."""
    process = subprocess.Popen(
        [sys.executable, "-m", "realtime_sdk.testing", "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 20)
        assert ready, "the fake server printed nothing within 20 s"
        line = process.stdout.readline().strip()
        assert line.startswith("http://127.0.0.1:")
        assert line.endswith("/v1")

        async def call() -> tuple[int, dict[str, Any]]:
            async with (
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session,
                session.post(f"{line}{CLIENT_SECRETS}", json={}, headers=AUTH) as response,
            ):
                return response.status, await response.json()

        status, body = asyncio.run(call())
        assert status == 200
        assert body["value"].startswith("ek_")
    finally:
        process.terminate()
        process.communicate(timeout=10)
    assert process.returncode == 0
