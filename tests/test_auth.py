"""Auth as a value (issue 22): OpenAI and Azure differ by an `Auth`, seen in the headers on the wire."""

from collections.abc import AsyncIterator

import pytest

from realtime_sdk import AzureRealtimeClient, RealtimeClient
from realtime_sdk._client._auth import OPENAI_AUTH, Auth
from realtime_sdk._secret import Secret
from realtime_sdk.testing import FakeRealtimeAPI
from tests.conftest import API_KEY

AZURE_KEY = "0123456789abcdef0123456789abcdef"
OTHER_AZURE_KEY = "fedcba9876543210fedcba9876543210"
VERSION = "2025-04-01-preview"
OPENAI_REQUEST = {"expires_after": {"anchor": "created_at", "seconds": 600}}
AZURE_REQUEST = {"session": {"type": "realtime", "model": "gpt-realtime"}}

pytestmark = pytest.mark.usefixtures("clean_openai_env", "sleeps")


@pytest.fixture(autouse=True)
def _no_azure_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "OPENAI_API_VERSION"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def openai() -> AsyncIterator[FakeRealtimeAPI]:
    """The fake as the OpenAI API."""
    async with FakeRealtimeAPI(api_key=API_KEY, reject_unknown_fields=False) as fake:
        yield fake


@pytest.fixture
async def azure() -> AsyncIterator[FakeRealtimeAPI]:
    """The fake as an Azure resource taking two keys and one Entra ID token."""
    async with FakeRealtimeAPI(
        azure=True,
        api_key=AZURE_KEY,
        azure_api_version=VERSION,
        azure_deployments={"rt-prod"},
        azure_ad_tokens={"entra-token-1"},
    ) as fake:
        yield fake


def test_auth_never_shows_the_key() -> None:
    """The value's repr names the rule, never the key or the provider."""
    auth = Auth(header="api-key", scheme="", key=Secret(AZURE_KEY), query=(("v", "1"),))
    assert AZURE_KEY not in repr(auth)
    assert "api-key" in repr(auth)
    assert OPENAI_AUTH.in_authorization_header
    assert not auth.in_authorization_header


async def test_openai_and_its_children_send_a_bearer(openai) -> None:
    """OpenAI's rule: Authorization: Bearer, for the client and a child with its own key."""
    async with RealtimeClient(api_key=API_KEY, base_url=openai.base_url) as client:
        await client.create_realtime_client_secret(OPENAI_REQUEST)
        await client.with_options(timeout=5).create_realtime_client_secret(OPENAI_REQUEST)
    for seen in openai.requests:
        assert seen.headers["Authorization"] == f"Bearer {API_KEY}"
        assert "api-key" not in seen.headers
        assert seen.query == ""


async def test_azure_child_keeps_the_api_key_header_and_the_version(azure) -> None:
    """A child of an Azure client puts its new key in api-key and keeps api-version."""
    async with AzureRealtimeClient(
        api_key=OTHER_AZURE_KEY,
        azure_endpoint=azure.azure_endpoint,
        azure_deployment="rt-prod",
        api_version=VERSION,
    ) as client:
        child = client.with_options(api_key=AZURE_KEY)
        grandchild = child.with_options(max_retries=0)
        await child.create_realtime_client_secret(AZURE_REQUEST)
        await grandchild.create_realtime_client_secret(AZURE_REQUEST)
    for seen in azure.requests:
        assert (seen.status, seen.query) == (200, f"api-version={VERSION}")
        assert seen.headers["api-key"] == AZURE_KEY
        assert "Authorization" not in seen.headers


async def test_azure_token_provider_child_sends_a_bearer(azure) -> None:
    """Entra ID is a bearer from a provider; a child asks the same provider."""
    asked: list[int] = []

    def token() -> str:
        asked.append(1)
        return "entra-token-1"

    async with AzureRealtimeClient(
        azure_endpoint=azure.azure_endpoint, azure_ad_token_provider=token
    ) as client:
        await client.with_options(timeout=5).create_realtime_client_secret(AZURE_REQUEST)
    seen = azure.requests[0]
    assert seen.status == 200
    assert seen.headers["Authorization"] == "Bearer entra-token-1"
    assert "api-key" not in seen.headers
    assert asked == [1]


def test_azure_builds_without_subclass_hooks() -> None:
    """AzureRealtimeClient only constructs: the base class has no hook it overrides."""
    own = {name for name in vars(AzureRealtimeClient) if not name.startswith("__")}
    assert own == set()
