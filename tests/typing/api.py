"""Type-checked by mypy --strict in CI, never executed: the public API's types as users see them."""

from typing import Any, assert_type

import realtime_sdk
from realtime_sdk import (
    UNSET,
    APIResponse,
    APIStatusError,
    RealtimeCallAnswer,
    RealtimeClient,
    RequestValidationError,
    Secret,
    SyncRealtimeClient,
    Unset,
    to_dict,
)
from realtime_sdk.models import (
    RealtimeAudioConfig,
    RealtimeAudioOutput,
    RealtimeCallReferRequest,
    RealtimeCreateClientSecretRequest,
    RealtimeCreateClientSecretResponse,
    RealtimeSessionCreateRequestGA,
    RealtimeSessionCreateResponse,
    RealtimeTranscriptionSessionCreateResponse,
    RealtimeTranslationClientSecretCreateResponse,
)


def unset_narrows(value: int | Unset) -> int:
    if value is UNSET:
        return 0
    assert_type(value, int)
    return value


def secret_reveals_str(secret: Secret) -> str:
    return secret.reveal()


def error_attributes(exc: APIStatusError, bad: RequestValidationError) -> tuple[int, str | None]:
    paths = [error.path for error in bad.errors]
    assert_type(paths, list[str])
    return exc.status_code, exc.request_id


async def async_client_types() -> None:
    async with RealtimeClient() as client:
        assert_type(client, RealtimeClient)
        secret = await client.create_realtime_client_secret({"session": {"type": "realtime"}})
        assert_type(secret, RealtimeCreateClientSecretResponse)
        # Required answer fields have their own type, as the spec says.
        assert_type(secret.value, Secret)
        assert_type(secret.expires_at, int)
        assert_type(secret.value.reveal(), str)
        raw = await client.create_realtime_client_secret_with_response(
            RealtimeCreateClientSecretRequest(
                session=RealtimeSessionCreateRequestGA(
                    type="realtime",
                    audio=RealtimeAudioConfig(output=RealtimeAudioOutput(voice="marin")),
                )
            ),
            timeout=5.0,
        )
        assert_type(raw, APIResponse[RealtimeCreateClientSecretResponse])
        assert_type(raw.request_id, str | None)
        session = await client.create_realtime_session({})
        assert_type(session, RealtimeSessionCreateResponse)
        transcription = await client.create_realtime_transcription_session({})
        assert_type(transcription, RealtimeTranscriptionSessionCreateResponse)
        translation = await client.create_realtime_translation_client_secret(
            {"session": {"model": "gpt-realtime-translate"}}
        )
        assert_type(translation, RealtimeTranslationClientSecretCreateResponse)
        call = await client.create_realtime_call({"sdp": "v=0"}, client_secret=secret.value)
        assert_type(call, RealtimeCallAnswer)
        assert_type(call.call_id, str)
        await client.accept_realtime_call(call.call_id, RealtimeSessionCreateRequestGA())
        await client.refer_realtime_call(
            call.call_id, RealtimeCallReferRequest(target_uri="tel:+1")
        )
        await client.reject_realtime_call(call.call_id)
        await client.hangup_realtime_call(call.call_id, timeout=2.0)
        accepted = await client.accept_realtime_call_with_response(call.call_id, {})
        assert_type(accepted, APIResponse[None])
        assert_type(accepted.request_id, str | None)
        refused = await client.reject_realtime_call_with_response(
            call.call_id, {"status_code": 486}
        )
        assert_type(refused, APIResponse[None])


def sync_client_types() -> None:
    with SyncRealtimeClient() as client:
        assert_type(client, SyncRealtimeClient)
        secret = client.create_realtime_client_secret({"session": {"type": "realtime"}})
        assert_type(secret, RealtimeCreateClientSecretResponse)
        raw = client.create_realtime_client_secret_with_response({}, extra_headers={"X-A": "1"})
        assert_type(raw, APIResponse[RealtimeCreateClientSecretResponse])
        answer = client.create_realtime_call_with_response({"sdp": "v=0"})
        assert_type(answer, APIResponse[RealtimeCallAnswer])
        client.hangup_realtime_call(answer.data.call_id)
        ended = client.hangup_realtime_call_with_response(answer.data.call_id)
        assert_type(ended, APIResponse[None])
        referred = client.refer_realtime_call_with_response(
            answer.data.call_id, {"target_uri": "x"}
        )
        assert_type(referred.request_id, str | None)
        body: object = to_dict(secret)
        assert isinstance(body, dict)


async def option_types() -> None:
    async def key() -> str:
        return "sk-x"

    async with realtime_sdk.RealtimeClient(api_key=key, rate_limit="wait") as client:
        child = client.with_options(timeout=1.0, default_headers={"X-A": "1"})
        assert_type(child, realtime_sdk.RealtimeClient)
        secret = await child.create_realtime_client_secret(
            {}, max_retries=0, extra_query={"a": 1}, extra_body={"new": [1, "x"]}
        )
        assert_type(secret.expires_in(), float)
        assert_type(secret.is_expired(margin=5), bool)
        assert_type(secret.for_browser(), dict[str, Any])
    azure = realtime_sdk.AzureRealtimeClient(
        azure_endpoint="https://r.openai.azure.com", azure_ad_token_provider=lambda: "t"
    )
    assert_type(azure.with_options(max_retries=1), realtime_sdk.AzureRealtimeClient)
    with realtime_sdk.SyncAzureRealtimeClient(api_key="k", azure_endpoint="https://r") as sync:
        assert_type(sync.with_options(timeout=2.0), realtime_sdk.SyncAzureRealtimeClient)


def attempt_hook_types() -> None:
    def on_attempt(attempt: realtime_sdk.Attempt) -> None:
        assert_type(attempt.retry_in, float | None)
        assert_type(attempt.status_code, int | None)
        assert_type(attempt.number, int)

    client = realtime_sdk.RealtimeClient(on_attempt=on_attempt)
    assert_type(client.with_options(on_attempt=None), realtime_sdk.RealtimeClient)
    with realtime_sdk.SyncRealtimeClient(on_attempt=on_attempt) as sync:
        assert_type(sync.with_options(on_attempt=on_attempt), realtime_sdk.SyncRealtimeClient)


# The sync and Azure clients load on first use, yet type checkers see every name the
# package exports and nothing else: a misspelt name is an error, not an `object`.
from realtime_sdk import SyncRealtimeClent  # type: ignore[attr-defined]  # noqa: E402, F401
