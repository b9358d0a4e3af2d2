"""Realtime connections go through the same proxy settings as the REST calls."""

import asyncio
import base64
from collections.abc import AsyncIterator

import pytest

from realtime_sdk import RealtimeClient, events
from realtime_sdk.testing import FakeRealtimeAPI
from tests.conftest import API_KEY
from tests.test_hardening import ForwardingProxy

LIMIT = 10.0  # seconds any one test may spend waiting on the network


@pytest.fixture
async def fake() -> AsyncIterator[FakeRealtimeAPI]:
    async with FakeRealtimeAPI(api_key=API_KEY) as server:
        yield server


@pytest.fixture
async def forwarding() -> AsyncIterator[ForwardingProxy]:
    proxy = ForwardingProxy()
    await proxy.start()
    yield proxy
    await proxy.close()


async def first_event(client: RealtimeClient) -> object:
    async with asyncio.timeout(LIMIT), client.connect(model="gpt-realtime") as connection:
        return await connection.recv()


async def test_a_proxy_from_the_environment_carries_the_handshake(
    fake: FakeRealtimeAPI, forwarding: ForwardingProxy, clean_openai_env, monkeypatch
) -> None:
    """HTTP_PROXY set: the WebSocket handshake goes through the proxy, and events arrive."""
    monkeypatch.setenv("HTTP_PROXY", forwarding.url)
    async with RealtimeClient(API_KEY, base_url=fake.base_url, max_retries=0) as client:
        event = await first_event(client)
    assert isinstance(event, events.RealtimeServerEventSessionCreated)
    assert [(seen.method, seen.target) for seen in forwarding.seen] == [
        ("GET", fake.base_url + "/realtime?model=gpt-realtime")
    ]
    assert forwarding.seen[0].headers["authorization"] == f"Bearer {API_KEY}"


async def test_a_named_proxy_gets_its_credentials_and_the_server_does_not(
    fake: FakeRealtimeAPI, forwarding: ForwardingProxy, clean_openai_env
) -> None:
    """proxy="http://user:pass@...": Proxy-Authorization goes to the proxy, not upstream."""
    named = forwarding.url.replace("http://", "http://alice:s%3Acret@")
    async with RealtimeClient(
        API_KEY, base_url=fake.base_url, max_retries=0, proxy=named
    ) as client:
        event = await first_event(client)
    assert isinstance(event, events.RealtimeServerEventSessionCreated)
    expected = "Basic " + base64.b64encode(b"alice:s:cret").decode()
    assert forwarding.seen[0].headers["proxy-authorization"] == expected
    handshake = fake.realtime.connections[0].request.headers
    assert handshake["Authorization"] == f"Bearer {API_KEY}"
    assert not any(name.lower().startswith("proxy-") for name in handshake)


async def test_env_proxies_false_connects_directly(
    fake: FakeRealtimeAPI, forwarding: ForwardingProxy, clean_openai_env, monkeypatch
) -> None:
    """env_proxies=False: HTTP_PROXY is set, and the handshake goes direct."""
    monkeypatch.setenv("HTTP_PROXY", forwarding.url)
    async with RealtimeClient(
        API_KEY, base_url=fake.base_url, max_retries=0, env_proxies=False
    ) as client:
        event = await first_event(client)
    assert isinstance(event, events.RealtimeServerEventSessionCreated)
    assert forwarding.seen == []
