"""Settings declared once (issue 22): one checked ClientConfig, defaults in one place, children by evolve."""

import inspect
from collections.abc import AsyncIterator

import attrs
import pytest

from realtime_sdk import (
    AzureRealtimeClient,
    RealtimeClient,
    SyncAzureRealtimeClient,
    SyncRealtimeClient,
)
from realtime_sdk._client._attempts import Attempt
from realtime_sdk._client._auth import Auth
from realtime_sdk._client._config import ClientConfig
from realtime_sdk._secret import Secret
from realtime_sdk.errors import ConfigurationError
from realtime_sdk.testing import FakeRealtimeAPI
from tests.conftest import API_KEY

REQUEST = {"expires_after": {"anchor": "created_at", "seconds": 600}}

pytestmark = pytest.mark.usefixtures("clean_openai_env", "sleeps")

# Constructor arguments that are settings of ClientConfig under the same name.
SETTINGS = (
    "timeout",
    "connect_timeout",
    "total_timeout",
    "max_retries",
    "max_connections",
    "keepalive_timeout",
    "rate_limit",
    "on_attempt",
    "otel_tracing",
)


@pytest.fixture
async def fake() -> AsyncIterator[FakeRealtimeAPI]:
    """The fake API."""
    async with FakeRealtimeAPI(api_key=API_KEY, reject_unknown_fields=False) as api:
        yield api


@pytest.mark.parametrize(
    "constructor",
    [RealtimeClient, AzureRealtimeClient, SyncRealtimeClient, SyncAzureRealtimeClient],
)
@pytest.mark.parametrize("name", SETTINGS)
def test_constructor_defaults_are_the_settings_defaults(constructor: type, name: str) -> None:
    """Every constructor shows the default ClientConfig declares, not a copy of its own."""
    shown = inspect.signature(constructor).parameters[name].default
    assert shown == attrs.fields_dict(ClientConfig)[name].default


def test_defaults_reach_the_settings() -> None:
    """A client built with no settings holds ClientConfig's defaults."""
    client = RealtimeClient(api_key=API_KEY)
    assert client._config == ClientConfig(
        auth=client._config.auth,
        base_url="https://api.openai.com/v1/",
    )


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
        ({"connect_timeout": "10"}, "connect_timeout"),
        ({"total_timeout": -1}, "total_timeout"),
        ({"keepalive_timeout": -0.5}, "keepalive_timeout"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": True}, "max_retries"),
        ({"max_connections": 0}, "max_connections"),
        ({"max_response_bytes": 0}, "max_response_bytes"),
        ({"default_headers": {"Host": "x"}}, "default_headers"),
        ({"default_headers": {"X-A": "a\nb"}}, "default_headers"),
        ({"rate_limit": "sometimes"}, "rate_limit"),
        ({"on_attempt": 3}, "on_attempt"),
        ({"otel_tracing": "yes"}, "otel_tracing"),
        ({"organization": "a\rb"}, "organization"),
        ({"base_url": "ftp://x"}, "base_url"),
        ({"auth": Auth()}, "api_key"),
        ({"auth": Auth(key=Secret("sk-bad\n"))}, "api_key"),
        ({"auth": "sk-not-an-auth"}, "auth"),
    ],
)
def test_every_setting_is_checked_by_the_settings_class(changes: dict, named: str) -> None:
    """Building or evolving a ClientConfig checks the value and names the setting."""
    auth = Auth(provider=lambda: API_KEY)
    config = ClientConfig(auth=auth)
    with pytest.raises(ConfigurationError, match=named):
        attrs.evolve(config, **changes)
    with pytest.raises(ConfigurationError, match=named):
        ClientConfig(**{"auth": auth, **changes})


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"max_connections": 0}, "max_connections"),
        ({"keepalive_timeout": -1}, "keepalive_timeout"),
        ({"otel_tracing": 1}, "otel_tracing"),
        ({"connect_timeout": float("inf")}, "connect_timeout"),
    ],
)
def test_constructor_errors_name_the_setting(changes: dict, named: str) -> None:
    """The constructors pass settings through to the one check, which names them."""
    with pytest.raises(ConfigurationError, match=named):
        RealtimeClient(api_key=API_KEY, **changes)
    with pytest.raises(ConfigurationError, match=named):
        AzureRealtimeClient(api_key=API_KEY, azure_endpoint="https://r.openai.azure.com", **changes)


async def test_childs_headers_do_not_reach_the_parent_or_a_sibling(fake) -> None:
    """Headers a child adds travel with its calls only, not its parent's or a sibling's."""
    async with RealtimeClient(
        api_key=API_KEY, base_url=fake.base_url, default_headers={"X-Team": "core"}
    ) as parent:
        child = parent.with_options(default_headers={"X-Tenant": "t1", "x-team": "edge"})
        sibling = parent.with_options(timeout=5)
        grandchild = child.with_options(default_headers={"X-Trace": "on"})
        for client in (child, parent, sibling, grandchild):
            await client.create_realtime_client_secret(REQUEST)
    from_child, from_parent, from_sibling, from_grandchild = fake.requests
    assert from_child.headers["X-Tenant"] == "t1"
    assert from_child.headers["X-Team"] == "edge"
    for seen in (from_parent, from_sibling):
        assert "X-Tenant" not in seen.headers
        assert seen.headers["X-Team"] == "core"
    assert (from_grandchild.headers["X-Tenant"], from_grandchild.headers["X-Team"]) == (
        "t1",
        "edge",
    )
    assert from_grandchild.headers["X-Trace"] == "on"
    assert "X-Trace" not in from_child.headers
    assert fake.connections == 1  # one pool for the whole family


async def test_childs_hook_stays_its_own(fake) -> None:
    """A child's on_attempt sees the child's attempts only (rate_limit: test_rate_limit)."""
    seen_by_child: list[Attempt] = []
    async with RealtimeClient(api_key=API_KEY, base_url=fake.base_url) as parent:
        child = parent.with_options(on_attempt=seen_by_child.append, rate_limit="raise")
        await parent.create_realtime_client_secret(REQUEST)
        assert seen_by_child == []
        await child.create_realtime_client_secret(REQUEST)
        assert len(seen_by_child) == 1
        await parent.create_realtime_client_secret(REQUEST)
        assert len(seen_by_child) == 1


async def test_closing_a_grandchild_leaves_the_family_open(fake) -> None:
    """A child's own state (closed or not) is its own, however deep it is derived."""
    async with RealtimeClient(api_key=API_KEY, base_url=fake.base_url) as parent:
        child = parent.with_options(timeout=9)
        grandchild = child.with_options(timeout=8)
        await grandchild.aclose()
        assert grandchild.is_closed
        assert not child.is_closed
        assert not parent.is_closed
        await child.create_realtime_client_secret(REQUEST)
        await parent.create_realtime_client_secret(REQUEST)
    assert child.is_closed  # the parent closed the pool
