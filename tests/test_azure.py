"""AzureRealtimeClient and its sync twin against the fake playing an Azure OpenAI resource."""

import pytest

from realtime_sdk import AzureRealtimeClient, SyncAzureRealtimeClient, SyncRealtimeClient
from realtime_sdk.errors import (
    APIKeyProviderError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    NotFoundError,
)
from realtime_sdk.testing import FakeRealtimeAPI, serve_in_thread

AZURE_KEY = "0123456789abcdef0123456789abcdef"  # Azure keys have no sk- shape
VERSION = "2025-04-01-preview"
REQUEST = {"session": {"type": "realtime", "model": "gpt-realtime"}}
AZURE_ENV = (
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_ENDPOINT",
    "OPENAI_API_VERSION",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch) -> None:
    """No Azure or OpenAI variable from the developer's shell leaks into a test."""
    for name in AZURE_ENV:
        monkeypatch.delenv(name, raising=False)


# Pauses between attempts are recorded, not waited out (`conftest.sleeps`).
pytestmark = pytest.mark.usefixtures("sleeps")


@pytest.fixture
async def azure() -> FakeRealtimeAPI:
    """The fake as an Azure resource with one deployment and one accepted API version."""
    async with FakeRealtimeAPI(
        azure=True,
        api_key=AZURE_KEY,
        azure_api_version=VERSION,
        azure_deployments={"rt-prod"},
        azure_ad_tokens={"entra-token-1", "entra-token-2"},
    ) as fake:
        yield fake


async def test_v1_path_with_api_key_header(azure) -> None:
    """The v1 form goes to /openai/v1/... with an api-key header and no Authorization."""
    async with AzureRealtimeClient(
        api_key=AZURE_KEY, azure_endpoint=azure.azure_endpoint
    ) as client:
        secret = await client.create_realtime_client_secret(REQUEST)
    assert secret.value is not None
    seen = azure.requests[0]
    assert (seen.path, seen.status, seen.query) == ("/openai/v1/realtime/client_secrets", 200, "")
    assert seen.headers["api-key"] == AZURE_KEY
    assert "Authorization" not in seen.headers
    assert "OpenAI-Organization" not in seen.headers


async def test_deployment_path_sends_api_version(azure) -> None:
    """The deployment form carries api-version on every call, retries included."""
    azure.fail_next(1, 500)
    async with AzureRealtimeClient(
        api_key=AZURE_KEY,
        azure_endpoint=azure.azure_endpoint + "/",
        azure_deployment="rt-prod",
        api_version=VERSION,
    ) as client:
        await client.create_realtime_client_secret(REQUEST)
    assert [(seen.path, seen.query, seen.status) for seen in azure.requests] == [
        ("/openai/deployments/rt-prod/realtime/client_secrets", f"api-version={VERSION}", 500),
        ("/openai/deployments/rt-prod/realtime/client_secrets", f"api-version={VERSION}", 200),
    ]


async def test_environment_variables(azure, monkeypatch) -> None:
    """AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT and OPENAI_API_VERSION fill in the settings."""
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", AZURE_KEY)
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", azure.azure_endpoint)
    monkeypatch.setenv("OPENAI_API_VERSION", VERSION)
    monkeypatch.setenv("OPENAI_ORG_ID", "org-ignored")
    async with AzureRealtimeClient(azure_deployment="rt-prod") as client:
        await client.create_realtime_client_secret(REQUEST)
    seen = azure.requests[0]
    assert seen.status == 200
    assert seen.query == f"api-version={VERSION}"
    assert seen.headers["api-key"] == AZURE_KEY
    assert "OpenAI-Organization" not in seen.headers


async def test_base_url_with_api_version_is_accepted(azure) -> None:
    """A base URL holding ?api-version= is split: the version rides on every call's query."""
    base_url = f"{azure.azure_endpoint}/openai/deployments/rt-prod?api-version={VERSION}"
    async with AzureRealtimeClient(api_key=AZURE_KEY, base_url=base_url) as client:
        await client.create_realtime_client_secret(REQUEST, extra_query={"trace": "1"})
        assert "?" not in client.base_url
    seen = azure.requests[0]
    assert (seen.status, seen.query) == (200, f"api-version={VERSION}&trace=1")


async def test_entra_token_provider_sends_bearer_per_attempt(azure) -> None:
    """azure_ad_token_provider is asked per attempt and sent as Bearer, with no api-key."""
    tokens = iter(["entra-token-1", "entra-token-2"])

    async def provider() -> str:
        return next(tokens)

    azure.fail_next(1, 503)
    async with AzureRealtimeClient(
        azure_endpoint=azure.azure_endpoint, azure_ad_token_provider=provider
    ) as client:
        await client.create_realtime_client_secret(REQUEST)
    assert [seen.headers["Authorization"] for seen in azure.requests] == [
        "Bearer entra-token-1",
        "Bearer entra-token-2",
    ]
    assert all("api-key" not in seen.headers for seen in azure.requests)
    assert azure.requests[-1].status == 200


async def test_failing_token_provider_names_itself(azure) -> None:
    """A token provider that raises is an APIKeyProviderError naming azure_ad_token_provider."""

    def provider() -> str:
        raise PermissionError

    async with AzureRealtimeClient(
        azure_endpoint=azure.azure_endpoint, azure_ad_token_provider=provider
    ) as client:
        with pytest.raises(APIKeyProviderError, match="azure_ad_token_provider"):
            await client.create_realtime_client_secret(REQUEST)
    assert azure.requests == []


async def test_the_fake_resource_checks_what_azure_checks(azure) -> None:
    """Wrong key, unknown deployment, missing or unsupported api-version: the fake refuses each."""
    endpoint = azure.azure_endpoint
    async with AzureRealtimeClient(api_key="wrong-key-000", azure_endpoint=endpoint) as client:
        with pytest.raises(AuthenticationError):
            await client.create_realtime_client_secret(REQUEST)
    async with AzureRealtimeClient(
        api_key=AZURE_KEY, azure_endpoint=endpoint, azure_deployment="nope", api_version=VERSION
    ) as client:
        with pytest.raises(NotFoundError, match="does not exist"):
            await client.create_realtime_client_secret(REQUEST)
    async with AzureRealtimeClient(
        api_key=AZURE_KEY,
        base_url=f"{endpoint}/openai/deployments/rt-prod",  # a deployment path, no version
    ) as client:
        with pytest.raises(BadRequestError, match="api-version"):
            await client.create_realtime_client_secret(REQUEST)
        with pytest.raises(BadRequestError, match="not supported"):
            await client.create_realtime_client_secret(
                REQUEST, extra_query={"api-version": "1999-01-01"}
            )
    assert [seen.status for seen in azure.requests] == [401, 404, 400, 400]


async def test_openai_client_is_refused_by_the_azure_fake(azure) -> None:
    """The plain client's Bearer key is not an api-key: an Azure resource with fixed tokens says 401."""
    from realtime_sdk import RealtimeClient  # noqa: PLC0415 - only this test

    async with RealtimeClient(api_key=AZURE_KEY, base_url=azure.base_url) as client:
        with pytest.raises(AuthenticationError):
            await client.create_realtime_client_secret(REQUEST)


async def test_with_options_keeps_the_azure_form(azure) -> None:
    """A derived Azure client keeps the api-version query and the api-key header."""
    async with AzureRealtimeClient(
        api_key="old-key-0000",
        azure_endpoint=azure.azure_endpoint,
        azure_deployment="rt-prod",
        api_version=VERSION,
    ) as client:
        child = client.with_options(api_key=AZURE_KEY, timeout=5)
        assert isinstance(child, AzureRealtimeClient)
        await child.create_realtime_client_secret(REQUEST)
    seen = azure.requests[0]
    assert (seen.status, seen.query, seen.headers["api-key"]) == (
        200,
        f"api-version={VERSION}",
        AZURE_KEY,
    )


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({}, "AZURE_OPENAI_API_KEY"),
        ({"api_key": AZURE_KEY}, "AZURE_OPENAI_ENDPOINT"),
        (
            {
                "api_key": AZURE_KEY,
                "azure_endpoint": "https://r.openai.azure.com",
                "azure_deployment": "d",
            },
            "OPENAI_API_VERSION",
        ),
        (
            {
                "api_key": "k",
                "azure_ad_token_provider": lambda: "t",
                "azure_endpoint": "https://r.openai.azure.com",
            },
            "not both",
        ),
        (
            {
                "api_key": "k",
                "base_url": "https://r.openai.azure.com/openai/v1",
                "azure_endpoint": "https://r.openai.azure.com",
            },
            "not both",
        ),
        (
            {
                "api_key": "k",
                "azure_endpoint": "https://r.openai.azure.com",
                "azure_deployment": "a/b",
                "api_version": VERSION,
            },
            "azure_deployment",
        ),
        (
            {"api_key": "k", "azure_endpoint": "https://r.openai.azure.com", "api_version": " "},
            "api_version",
        ),
        ({"api_key": "k", "azure_endpoint": "https://r.openai.azure.com?x=1"}, "azure_endpoint"),
        (
            {
                "azure_ad_token_provider": "not callable",
                "azure_endpoint": "https://r.openai.azure.com",
            },
            "azure_ad_token_provider",
        ),
    ],
)
def test_bad_azure_settings_are_named(options: dict, match: str) -> None:
    """Each missing or conflicting Azure setting is a ConfigurationError naming it."""
    with pytest.raises(ConfigurationError, match=match):
        AzureRealtimeClient(**options)


def test_the_key_never_shows(monkeypatch) -> None:
    """Neither the client's repr nor its settings show an Azure key."""
    client = AzureRealtimeClient(api_key=AZURE_KEY, azure_endpoint="https://r.openai.azure.com")
    assert AZURE_KEY not in repr(client)
    assert AZURE_KEY not in repr(client._config)
    assert client.base_url == "https://r.openai.azure.com/openai/v1/"


def test_sync_azure_client() -> None:
    """SyncAzureRealtimeClient is a SyncRealtimeClient for Azure, with a sync with_options."""
    with serve_in_thread(azure=True, api_key=AZURE_KEY, azure_api_version=VERSION) as fake:
        with SyncAzureRealtimeClient(
            api_key=AZURE_KEY,
            azure_endpoint=fake.azure_endpoint,
            azure_deployment="rt-any",
            api_version=VERSION,
        ) as client:
            assert isinstance(client, SyncRealtimeClient)
            client.create_realtime_client_secret(REQUEST)
            child = client.with_options(max_retries=0)
            assert isinstance(child, SyncAzureRealtimeClient)
            child.create_realtime_client_secret(REQUEST)
        paths = [(seen.path, seen.query, seen.status) for seen in fake.requests]
    expected = ("/openai/deployments/rt-any/realtime/client_secrets", f"api-version={VERSION}", 200)
    assert paths == [expected, expected]


async def test_call_operations_carry_the_api_version(azure) -> None:
    """A call change under a deployment goes to its path with api-version, key in api-key."""
    call_id = azure.add_incoming_call()
    async with AzureRealtimeClient(
        api_key=AZURE_KEY,
        azure_endpoint=azure.azure_endpoint,
        azure_deployment="rt-prod",
        api_version=VERSION,
    ) as client:
        await client.hangup_realtime_call(call_id)
    seen = azure.requests[0]
    assert seen.path == f"/openai/deployments/rt-prod/realtime/calls/{call_id}/hangup"
    assert (seen.query, seen.status, seen.headers["api-key"]) == (
        f"api-version={VERSION}",
        200,
        AZURE_KEY,
    )


async def test_a_call_change_twin_reports_the_request_id_under_azure(azure) -> None:
    """accept_realtime_call_with_response keeps the deployment path and api-version (#21)."""
    call_id = azure.add_incoming_call()
    async with AzureRealtimeClient(
        api_key=AZURE_KEY,
        azure_endpoint=azure.azure_endpoint,
        azure_deployment="rt-prod",
        api_version=VERSION,
    ) as client:
        result = await client.accept_realtime_call_with_response(call_id, {"type": "realtime"})
    seen = azure.requests[0]
    assert seen.path == f"/openai/deployments/rt-prod/realtime/calls/{call_id}/accept"
    assert seen.query == f"api-version={VERSION}"
    assert (result.status_code, result.request_id) == (200, seen.request_id)


def test_the_sync_azure_twin_has_the_call_change_twins() -> None:
    """SyncAzureRealtimeClient inherits hangup_realtime_call_with_response and its request id."""
    with serve_in_thread(azure=True, api_key=AZURE_KEY) as fake:
        call_id = fake.add_incoming_call()
        fake.calls[call_id].state = "active"
        with SyncAzureRealtimeClient(api_key=AZURE_KEY, azure_endpoint=fake.azure_endpoint) as sync:
            result = sync.hangup_realtime_call_with_response(call_id)
        seen = fake.requests[0]
    assert seen.path == f"/openai/v1/realtime/calls/{call_id}/hangup"
    assert result.request_id == seen.request_id


def test_an_empty_azure_key_is_refused_without_naming_openai_s_variable() -> None:
    """The message about an empty key does not send an Azure user to OPENAI_API_KEY."""
    with pytest.raises(ConfigurationError) as caught:
        AzureRealtimeClient(
            api_key="", azure_endpoint="https://example.openai.azure.com", api_version=VERSION
        )
    assert "non-empty" in str(caught.value)
    assert "OPENAI_API_KEY" not in str(caught.value)


OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"


async def test_a_call_under_an_ephemeral_key_carries_no_api_key(azure) -> None:
    """create_realtime_call(client_secret=...) authenticates with that key alone: the
    resource's api-key is not sent beside it, while other calls still carry it."""
    async with AzureRealtimeClient(
        api_key=AZURE_KEY, azure_endpoint=azure.azure_endpoint
    ) as client:
        minted = await client.create_realtime_client_secret(REQUEST)
        assert minted.value is not None
        ephemeral = minted.value.reveal()
        await client.create_realtime_call({"sdp": OFFER}, client_secret=ephemeral)
    mint, call = azure.requests
    assert mint.headers["api-key"] == AZURE_KEY
    assert call.headers["Authorization"] == f"Bearer {ephemeral}"
    assert "api-key" not in call.headers
    assert AZURE_KEY not in str(dict(call.headers))


async def test_a_token_provider_is_not_asked_for_a_call_under_an_ephemeral_key(azure) -> None:
    """With Entra ID tokens, the ephemeral key's call neither asks the provider nor sends a token."""
    asked: list[int] = []

    def token() -> str:
        asked.append(1)
        return "entra-token-1"

    async with AzureRealtimeClient(
        azure_ad_token_provider=token, azure_endpoint=azure.azure_endpoint
    ) as client:
        minted = await client.create_realtime_client_secret(REQUEST)
        assert minted.value is not None
        asked_before_call = len(asked)
        await client.create_realtime_call({"sdp": OFFER}, client_secret=minted.value)
    assert len(asked) == asked_before_call
    assert azure.requests[-1].headers["Authorization"] == f"Bearer {minted.value.reveal()}"
