"""Behaviour of the fake Realtime API, driven with plain aiohttp (never the SDK client)."""

import ast
import asyncio
import contextlib
import dataclasses
import json
import re
import select
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from multidict import CIMultiDict

import realtime_sdk
from realtime_sdk._spec import load_spec, quirks
from realtime_sdk.testing import (
    DEFAULT_CHAOS_RATES,
    CannotListenError,
    FakeRealtimeAPI,
    serve_in_process,
)
from realtime_sdk.testing import _answers as fake_answers
from realtime_sdk.testing._schema import SchemaViolation, validate

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
) -> tuple[int, CIMultiDict[str], Any]:
    """POST to the fake; returns status, response headers and the parsed JSON body."""
    sent_headers = {**AUTH, "Content-Type": "application/json", **(headers or {})}
    payload = data if data is not None else json.dumps(body if body is not None else {}).encode()
    async with http.post(fake.base_url + path, data=payload, headers=sent_headers) as response:
        raw = await response.read()
        return response.status, CIMultiDict(response.headers), json.loads(raw)


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


# -- auth ------------------------------------------------------------------------------


async def test_missing_authorization_is_401_openai_shaped(fake, http):
    """A request without an Authorization header gets 401 with an OpenAI-style error body."""
    status, _, body = await post(http, fake, CLIENT_SECRETS, {}, headers={"Authorization": ""})
    assert status == 401
    assert body["error"]["type"] == "invalid_request_error"
    assert set(body["error"]) == {"message", "type", "param", "code"}


async def test_non_bearer_scheme_is_401(fake, http):
    """A Basic credential is not a bearer key and is refused with 401."""
    status, _, _ = await post(
        http, fake, CLIENT_SECRETS, {}, headers={"Authorization": "Basic abc"}
    )
    assert status == 401


async def test_required_api_key_refuses_another_key(http):
    """With api_key set, a different bearer key gets 401 invalid_api_key."""
    async with FakeRealtimeAPI(api_key="sk-right") as fake:
        status, _, body = await post(http, fake, CLIENT_SECRETS, {})
    assert status == 401
    assert body["error"]["code"] == "invalid_api_key"
    assert KEY not in body["error"]["message"]


async def test_required_api_key_accepts_that_key(http):
    """With api_key set, that exact bearer key is accepted."""
    async with FakeRealtimeAPI(api_key=KEY) as fake:
        status, _, _ = await post(http, fake, CLIENT_SECRETS, {})
    assert status == 200


async def test_auth_is_checked_before_the_body(fake, http):
    """An invalid body without a key is answered 401, not 400, as the real service does."""
    status, _, _ = await post(
        http, fake, CLIENT_SECRETS, {"bogus": 1}, headers={"Authorization": ""}
    )
    assert status == 401


# -- body parsing ----------------------------------------------------------------------


async def test_wrong_content_type_is_400(fake, http):
    """A JSON body sent as text/plain is refused with 400 invalid_content_type."""
    status, _, body = await post(
        http, fake, CLIENT_SECRETS, {}, headers={"Content-Type": "text/plain"}
    )
    assert status == 400
    assert body["error"]["code"] == "invalid_content_type"


async def test_json_content_type_with_charset_is_accepted(fake, http):
    """A charset parameter on application/json is fine."""
    headers = {"Content-Type": "application/json; charset=utf-8"}
    status, _, _ = await post(http, fake, CLIENT_SECRETS, {}, headers=headers)
    assert status == 200


@pytest.mark.parametrize(
    "raw",
    [b"", b"{not json", b'{"expires_after": {"seconds": NaN}}', b"\xff\xfe", b"[" * 100_000],
    ids=["empty", "broken", "nan", "not-utf8", "deeply-nested"],
)
async def test_unparseable_body_is_400(fake, http, raw):
    """A body that is not strict JSON gets 400 invalid_json."""
    status, _, body = await post(http, fake, CLIENT_SECRETS, data=raw)
    assert status == 400
    assert body["error"]["code"] == "invalid_json"


async def test_body_must_be_an_object(fake, http):
    """A JSON array at the top level is refused with 400."""
    status, _, body = await post(http, fake, CLIENT_SECRETS, [])
    assert status == 400
    assert body["error"]["code"] == "invalid_type"


async def test_oversized_body_is_413(http):
    """A body above max_body_size is refused with 413 and recorded."""
    async with FakeRealtimeAPI(max_body_size=1000) as fake:
        status, _, body = await post(
            http, fake, CLIENT_SECRETS, {"session": {"instructions": "x" * 2000}}
        )
        assert fake.requests[0].status == 413
    assert status == 413
    assert body["error"]["code"] == "request_too_large"


# -- validation against the spec ----------------------------------------------------------

INVALID_BODIES = [
    # (path, body, expected param, expected code)
    (
        CLIENT_SECRETS,
        {"session": {"type": "realtime", "audio": {"output": {"speed": 2}}}},
        "session.audio.output.speed",
        "decimal_above_max_value",
    ),
    (
        CLIENT_SECRETS,
        {"session": {"type": "realtime", "audio": {"output": {"speed": "fast"}}}},
        "session.audio.output.speed",
        "invalid_type",
    ),
    (CLIENT_SECRETS, {"expires_after": {"seconds": True}}, "expires_after.seconds", "invalid_type"),
    (CLIENT_SECRETS, {"expires_after": {"seconds": 60.5}}, "expires_after.seconds", "invalid_type"),
    (
        CLIENT_SECRETS,
        {"expires_after": {"seconds": 5}},
        "expires_after.seconds",
        "integer_below_min_value",
    ),
    (
        CLIENT_SECRETS,
        {"expires_after": {"seconds": 7201}},
        "expires_after.seconds",
        "integer_above_max_value",
    ),
    (CLIENT_SECRETS, {"expires_after": {"anchor": "now"}}, "expires_after.anchor", "invalid_value"),
    (
        CLIENT_SECRETS,
        {"session": {"type": "realtime", "audio": {"output": {"colour": "red"}}}},
        "session.audio.output.colour",
        "unknown_parameter",
    ),
    (
        CLIENT_SECRETS,
        {"session": {"type": "realtime", "output_modalities": ["video"]}},
        "session.output_modalities[0]",
        "invalid_value",
    ),
    (CLIENT_SECRETS, {"session": {"type": "video"}}, "session.type", "invalid_value"),
    (
        CLIENT_SECRETS,
        {"session": {"model": "gpt-realtime"}},
        "session.type",
        "missing_required_parameter",
    ),
    (
        CLIENT_SECRETS,
        {"session": {"type": "realtime", "tools": [{"type": "mcp"}]}},
        "session.tools[0].server_label",
        "missing_required_parameter",
    ),
    (
        CLIENT_SECRETS,
        {
            "session": {
                "type": "realtime",
                "tools": [{"type": "mcp", "server_label": "s", "tunnel_id": "t1"}],
            }
        },
        "session.tools[0].tunnel_id",
        "invalid_value",
    ),
    (
        CLIENT_SECRETS,
        {
            "session": {
                "type": "transcription",
                "audio": {"input": {"transcription": {"languages": []}}},
            }
        },
        "session.audio.input.transcription.languages",
        "empty_array",
    ),
    (
        CLIENT_SECRETS,
        {
            "session": {
                "type": "realtime",
                "audio": {"input": {"turn_detection": {"type": "semantic_vad", "threshold": 0.4}}},
            }
        },
        "session.audio.input.turn_detection.threshold",
        "unknown_parameter",
    ),
    (
        CLIENT_SECRETS,
        {
            "session": {
                "type": "realtime",
                "audio": {"input": {"format": {"type": "audio/pcm", "rate": 16000}}},
            }
        },
        "session.audio.input.format.rate",
        "invalid_value",
    ),
    (
        CLIENT_SECRETS,
        {
            "session": {
                "type": "realtime",
                "audio": {"input": {"format": {"type": "audio/pcm", "rate": 24000.5}}},
            }
        },
        "session.audio.input.format.rate",
        "invalid_type",
    ),
    (
        CLIENT_SECRETS,
        {"session": {"type": "realtime", "max_output_tokens": "lots"}},
        "session.max_output_tokens",
        "invalid_value",
    ),
    (
        CLIENT_SECRETS,
        {"session": {"type": "realtime", "tool_choice": 3}},
        "session.tool_choice",
        "invalid_type",
    ),
    (
        CLIENT_SECRETS,
        {
            "session": {
                "type": "realtime",
                "audio": {
                    "input": {"turn_detection": {"type": "server_vad", "idle_timeout_ms": 10}}
                },
            }
        },
        "session.audio.input.turn_detection.idle_timeout_ms",
        "integer_below_min_value",
    ),
    (SESSIONS, {"speed": 0.1}, "speed", "decimal_below_min_value"),
    (SESSIONS, {"voice": {"id": "v1", "name": "x"}}, "voice.name", "unknown_parameter"),
    (TRANSCRIPTION_SESSIONS, {"input_audio_format": "mp3"}, "input_audio_format", "invalid_value"),
    (
        TRANSCRIPTION_SESSIONS,
        {"turn_detection": {"type": "semantic_vad"}},
        "turn_detection.type",
        "invalid_value",
    ),
]


@pytest.mark.parametrize(
    "case", INVALID_BODIES, ids=[f"{case[2]}-{case[3]}" for case in INVALID_BODIES]
)
async def test_invalid_body_is_400_naming_the_parameter(fake, http, case):
    """A body that does not fit the spec gets 400 naming the dotted parameter and a code."""
    path, body, param, code = case
    status, _, answer = await post(http, fake, path, body)
    assert status == 400
    assert answer["error"]["param"] == param
    assert answer["error"]["code"] == code
    assert answer["error"]["type"] == "invalid_request_error"
    assert f"'{param}'" in answer["error"]["message"]


async def test_validation_failure_mints_no_key(fake, http):
    """A refused request hands out no ephemeral key."""
    await post(http, fake, CLIENT_SECRETS, {"expires_after": {"seconds": 1}})
    assert fake.minted_keys == []


async def test_unknown_fields_allowed_when_configured(http):
    """With reject_unknown_fields=False an unknown key is accepted."""
    async with FakeRealtimeAPI(reject_unknown_fields=False) as fake:
        status, _, _ = await post(
            http, fake, CLIENT_SECRETS, {"session": {"type": "realtime", "future_knob": 1}}
        )
    assert status == 200


async def test_free_form_objects_stay_open(fake, http):
    """A function tool's JSON-Schema parameters may hold any keys."""
    tool = {
        "type": "function",
        "name": "f",
        "parameters": {"type": "object", "anything": {"goes": True}},
    }
    status, _, _ = await post(
        http, fake, CLIENT_SECRETS, {"session": {"type": "realtime", "tools": [tool]}}
    )
    assert status == 200


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (CLIENT_SECRETS, {"session": {"type": "realtime", "tracing": None}}),
        (
            CLIENT_SECRETS,
            {"session": {"type": "realtime", "audio": {"input": {"turn_detection": None}}}},
        ),
        (
            CLIENT_SECRETS,
            {"session": {"type": "realtime", "audio": {"input": {"transcription": None}}}},
        ),
        (
            CLIENT_SECRETS,
            {"session": {"type": "realtime", "audio": {"input": {"noise_reduction": None}}}},
        ),
        (SESSIONS, {"turn_detection": None, "input_audio_transcription": None, "tracing": None}),
        (TRANSCRIPTION_SESSIONS, {"turn_detection": None, "input_audio_noise_reduction": None}),
    ],
)
async def test_meaningful_nulls_are_accepted(fake, http, path, body):
    """Null switches a feature off and is accepted where the real service accepts it."""
    status, _, _ = await post(http, fake, path, body)
    assert status == 200


async def test_client_secret_not_required_in_session_request(fake, http):
    """/realtime/sessions accepts a body without client_secret despite the spec's required list."""
    status, _, _ = await post(http, fake, SESSIONS, {})
    assert status == 200


async def test_open_enums_accept_new_names(fake, http):
    """Model and voice accept names the spec does not list yet."""
    session = {
        "type": "realtime",
        "model": "gpt-realtime-9",
        "audio": {"output": {"voice": "nova-x"}},
    }
    status, _, body = await post(http, fake, CLIENT_SECRETS, {"session": session})
    assert status == 200
    assert body["session"]["model"] == "gpt-realtime-9"


# -- answers: defaults, echo, expiry ---------------------------------------------------------


async def test_realtime_session_defaults(fake, http):
    """Without choices, the effective session carries the server defaults."""
    _, _, body = await post(http, fake, CLIENT_SECRETS, {"session": {"type": "realtime"}})
    session = body["session"]
    assert session["output_modalities"] == ["audio"]
    assert session["tool_choice"] == "auto"
    assert session["max_output_tokens"] == "inf"
    assert session["tracing"] is None
    assert session["id"].startswith("sess_")
    assert session["audio"]["input"]["format"] == {"type": "audio/pcm", "rate": 24000}
    assert session["audio"]["input"]["turn_detection"] == {
        "type": "server_vad",
        "threshold": 0.5,
        "prefix_padding_ms": 300,
        "silence_duration_ms": 200,
        "idle_timeout_ms": None,
        "create_response": True,
        "interrupt_response": True,
    }
    assert session["audio"]["output"] == {
        "format": {"type": "audio/pcm", "rate": 24000},
        "voice": "alloy",
        "speed": 1.0,
    }


async def test_choices_are_deep_merged_over_defaults(fake, http):
    """A nested choice replaces only its own key; sibling defaults stay."""
    session = {
        "type": "realtime",
        "instructions": "Be brief.",
        "audio": {"output": {"voice": "marin"}},
    }
    _, _, body = await post(http, fake, CLIENT_SECRETS, {"session": session})
    output = body["session"]["audio"]["output"]
    assert output == {
        "format": {"type": "audio/pcm", "rate": 24000},
        "voice": "marin",
        "speed": 1.0,
    }
    assert body["session"]["instructions"] == "Be brief."


async def test_other_variant_does_not_inherit_default_fields(fake, http):
    """Choosing semantic VAD yields semantic VAD defaults, without server VAD's threshold."""
    session = {
        "type": "realtime",
        "audio": {"input": {"turn_detection": {"type": "semantic_vad", "eagerness": "high"}}},
    }
    _, _, body = await post(http, fake, CLIENT_SECRETS, {"session": session})
    assert body["session"]["audio"]["input"]["turn_detection"] == {
        "type": "semantic_vad",
        "eagerness": "high",
        "create_response": True,
        "interrupt_response": True,
    }


async def test_null_choice_is_echoed_as_null(fake, http):
    """A null turn_detection comes back as null, not as the default."""
    session = {"type": "realtime", "audio": {"input": {"turn_detection": None}}}
    _, _, body = await post(http, fake, CLIENT_SECRETS, {"session": session})
    assert body["session"]["audio"]["input"]["turn_detection"] is None


async def test_transcription_client_secret_shape(fake, http):
    """A transcription session comes back as a transcription session with the chosen model."""
    session = {
        "type": "transcription",
        "audio": {"input": {"transcription": {"model": "gpt-4o-transcribe"}}},
    }
    _, _, body = await post(http, fake, CLIENT_SECRETS, {"session": session})
    assert body["session"]["type"] == "transcription"
    assert body["session"]["object"] == "realtime.transcription_session"
    assert body["session"]["audio"]["input"]["transcription"] == {"model": "gpt-4o-transcribe"}


async def test_client_secret_expiry_defaults_to_600_seconds(http):
    """Without expires_after the key expires 600 s after creation."""
    async with FakeRealtimeAPI(clock=lambda: 1_700_000_000.7) as fake:
        _, _, body = await post(http, fake, CLIENT_SECRETS, {})
    assert body["expires_at"] == 1_700_000_600
    assert body["session"]["expires_at"] == 1_700_000_600


async def test_client_secret_expiry_follows_expires_after(http):
    """expires_after.seconds sets the key's lifetime."""
    async with FakeRealtimeAPI(clock=lambda: 1_700_000_000) as fake:
        _, _, body = await post(
            http, fake, CLIENT_SECRETS, {"expires_after": {"anchor": "created_at", "seconds": 120}}
        )
    assert body["expires_at"] == 1_700_000_120


@pytest.mark.parametrize("path", [SESSIONS, TRANSCRIPTION_SESSIONS])
async def test_session_endpoints_keys_live_one_minute(http, path):
    """The two session endpoints hand out keys that expire 60 s after creation."""
    async with FakeRealtimeAPI(clock=lambda: 1_700_000_000) as fake:
        _, _, body = await post(http, fake, path, {})
    assert body["client_secret"]["expires_at"] == 1_700_000_060
    assert body["client_secret"]["value"].startswith("ek_")


async def test_beta_session_maps_choices_into_its_answer(fake, http):
    """/realtime/sessions echoes voice, speed, modalities and formats in its answer's shape."""
    request = {
        "voice": "ash",
        "speed": 1.2,
        "modalities": ["text"],
        "input_audio_format": "g711_ulaw",
        "max_response_output_tokens": 300,
    }
    _, _, body = await post(http, fake, SESSIONS, request)
    assert body["object"] == "realtime.session"
    assert body["output_modalities"] == ["text"]
    assert body["audio"]["output"]["voice"] == "ash"
    assert body["audio"]["output"]["speed"] == 1.2
    assert body["audio"]["input"]["format"] == {"type": "audio/pcmu"}
    assert body["max_output_tokens"] == 300


async def test_beta_transcription_session_echoes_choices(fake, http):
    """/realtime/transcription_sessions echoes the transcription model and turn detection."""
    request = {
        "input_audio_transcription": {"model": "whisper-1", "language": "fr"},
        "turn_detection": {"type": "server_vad", "threshold": 0.7},
    }
    _, _, body = await post(http, fake, TRANSCRIPTION_SESSIONS, request)
    assert body["input_audio_transcription"] == {
        "model": "whisper-1",
        "language": "fr",
        "prompt": "",
    }
    assert body["turn_detection"] == {
        "type": "server_vad",
        "threshold": 0.7,
        "prefix_padding_ms": 300,
        "silence_duration_ms": 200,
    }
    assert body["input_audio_format"] == "pcm16"


async def test_beta_transcription_session_does_not_echo_unknown_keys(http):
    """An unknown key the request passed through is not repeated into the answer, where a
    response field of that name ("modalities", an array) would no longer fit its schema."""
    async with FakeRealtimeAPI(reject_unknown_fields=False) as lenient:
        request = {"modalities": False, "x": 1}
        status, _, body = await post(http, lenient, TRANSCRIPTION_SESSIONS, request)
    assert status == 200
    assert body["modalities"] == ["audio", "text"]
    assert "x" not in body


def without_documented_nulls(answer: Any) -> Any:
    """The answer minus the nulls the spec's example responses carry but its schemas omit.

    ``include`` and a transcription's ``language`` come back as null from the real service
    (the documented examples show it); the response schemas do not allow null there.
    """
    if isinstance(answer, dict):
        return {
            key: without_documented_nulls(value)
            for key, value in answer.items()
            if not (value is None and key in {"include", "language"})
        }
    if isinstance(answer, list):
        return [without_documented_nulls(value) for value in answer]
    return answer


async def test_beta_session_accepts_model(fake, http):
    """/realtime/sessions accepts and echoes `model`, which its documented example sends."""
    status, _, body = await post(http, fake, SESSIONS, {"model": "gpt-realtime-mini"})
    assert status == 200
    assert body["model"] == "gpt-realtime-mini"


RESPONSE_CASES = [
    (
        CLIENT_SECRETS,
        {"session": {"type": "realtime", "tools": [{"type": "function", "name": "f"}]}},
        "RealtimeCreateClientSecretResponse",
    ),
    (CLIENT_SECRETS, {"session": {"type": "transcription"}}, "RealtimeCreateClientSecretResponse"),
    (
        SESSIONS,
        {"voice": "ash", "input_audio_transcription": {"model": "whisper-1"}},
        "RealtimeSessionCreateResponse",
    ),
    (TRANSCRIPTION_SESSIONS, {}, "RealtimeTranscriptionSessionCreateResponse"),
]


@pytest.mark.parametrize(("path", "request_body", "schema"), RESPONSE_CASES)
async def test_answers_fit_the_spec_response_schemas(fake, http, path, request_body, schema):
    """Every success answer validates against its response schema (extra keys allowed)."""
    status, _, body = await post(http, fake, path, request_body)
    assert status == 200
    validate(schema, without_documented_nulls(body), reject_unknown_fields=False)


async def test_minted_keys_lists_every_distinct_value(fake, http):
    """Each answer mints a fresh key, and minted_keys lists them in order."""
    _, _, first = await post(http, fake, CLIENT_SECRETS, {})
    _, _, second = await post(http, fake, SESSIONS, {})
    assert fake.minted_keys == [first["value"], second["client_secret"]["value"]]
    assert first["value"] != second["client_secret"]["value"]


# -- routing, request ids, retired endpoints ---------------------------------------------------


async def test_unknown_route_is_404_openai_shaped(fake, http):
    """A GET on an endpoint path is answered 404 'Invalid URL' with an OpenAI-style body."""
    async with http.get(fake.base_url + CLIENT_SECRETS, headers=AUTH) as response:
        body = await response.json()
    assert response.status == 404
    assert body["error"]["message"] == "Invalid URL (GET /v1/realtime/client_secrets)"


async def test_every_answer_carries_a_distinct_request_id(fake, http):
    """Successes, errors and faults all carry their own x-request-id: req_<hex>."""
    fake.fail_next(1, 503)
    fake.malformed_json_next(1)
    seen = []
    for path, headers in [
        (CLIENT_SECRETS, {}),
        (CLIENT_SECRETS, {}),
        (CLIENT_SECRETS, {}),
        (CLIENT_SECRETS, {"Authorization": ""}),
        ("/nowhere", {}),
    ]:
        async with http.post(
            fake.base_url + path, json={}, headers={**AUTH, **headers}
        ) as response:
            seen.append((response.status, response.headers.get("x-request-id")))
            assert response.content_type == "application/json"
    statuses = [status for status, _ in seen]
    ids = [request_id for _, request_id in seen]
    assert statuses == [503, 200, 200, 401, 404]
    assert all(re.fullmatch(r"req_[0-9a-f]{32}", str(request_id)) for request_id in ids)
    assert len(set(ids)) == len(ids)
    assert [record.request_id for record in fake.requests] == ids


@pytest.mark.parametrize("path", [SESSIONS, TRANSCRIPTION_SESSIONS])
async def test_retired_beta_endpoints_refuse(http, path):
    """With retired_beta_endpoints the beta session endpoints answer beta_api_shape_disabled."""
    async with FakeRealtimeAPI(retired_beta_endpoints=True) as fake:
        status, headers, body = await post(http, fake, path, {})
        assert fake.minted_keys == []
    assert status == 400
    assert body["error"]["code"] == "beta_api_shape_disabled"
    assert headers["x-request-id"].startswith("req_")


async def test_retired_mode_keeps_client_secrets(http):
    """Retiring the beta endpoints leaves /realtime/client_secrets working."""
    async with FakeRealtimeAPI(retired_beta_endpoints=True) as fake:
        status, _, _ = await post(http, fake, CLIENT_SECRETS, {})
    assert status == 200


async def test_retired_status_is_configurable(http):
    """retired_status chooses the status of the retired endpoints."""
    async with FakeRealtimeAPI(retired_beta_endpoints=True, retired_status=404) as fake:
        status, _, _ = await post(http, fake, SESSIONS, {})
    assert status == 404


# -- recording and connections ------------------------------------------------------------------


async def test_requests_are_recorded_as_sent(fake, http):
    """A record keeps method, path, raw bytes, parsed JSON, headers and the answered status."""
    raw = b'{"session": {"type": "realtime", "audio": {"input": {"turn_detection": null}}}}'
    await post(http, fake, CLIENT_SECRETS, data=raw, headers={"X-Trace": "t1"})
    (record,) = fake.requests
    assert record.method == "POST"
    assert record.path == "/v1/realtime/client_secrets"
    assert record.body == raw
    assert record.json == {
        "session": {"type": "realtime", "audio": {"input": {"turn_detection": None}}}
    }
    assert record.headers["authorization"] == f"Bearer {KEY}"
    assert record.headers["X-Trace"] == "t1"
    assert record.status == 200
    assert record.fault is None


async def test_unparseable_body_recorded_with_json_none(fake, http):
    """A body that is not JSON is recorded as raw bytes with json None."""
    await post(http, fake, CLIENT_SECRETS, data=b"{oops")
    assert fake.requests[0].body == b"{oops"
    assert fake.requests[0].json is None
    assert fake.requests[0].status == 400


async def test_record_repr_hides_the_api_key(fake, http):
    """The repr of a record leaves out the headers, which hold the API key."""
    await post(http, fake, CLIENT_SECRETS, {})
    assert KEY not in repr(fake.requests[0])
    assert KEY not in repr(fake)


async def test_record_is_frozen(fake, http):
    """Records cannot be changed after the fact."""
    await post(http, fake, CLIENT_SECRETS, {})
    with pytest.raises(dataclasses.FrozenInstanceError):
        fake.requests[0].status = 500  # type: ignore[misc]


async def test_keep_alive_reuse_counts_one_connection(fake, http):
    """Two requests over one keep-alive connection count as one TCP connection."""
    await post(http, fake, CLIENT_SECRETS, {})
    await post(http, fake, CLIENT_SECRETS, {})
    assert len(fake.requests) == 2
    assert fake.connections == 1


async def test_separate_connections_are_each_counted(fake):
    """Without keep-alive, each request opens and counts a new connection."""
    connector = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(connector=connector) as http:
        await post(http, fake, CLIENT_SECRETS, {})
        await post(http, fake, CLIENT_SECRETS, {})
    assert fake.connections == 2


# -- faults -------------------------------------------------------------------------------------


async def test_fail_next_fails_exactly_n_then_recovers(fake, http):
    """fail_next(2) answers two requests with the status, then the real answer again."""
    fake.fail_next(2, 503)
    results = [await post(http, fake, CLIENT_SECRETS, {}) for _ in range(3)]
    assert [status for status, _, _ in results] == [503, 503, 200]
    assert results[0][2]["error"]["type"] == "server_error"
    assert [record.fault for record in fake.requests] == ["status_503", "status_503", None]
    assert fake.fault_counts == {"status_503": 2}


async def test_fail_next_sends_retry_headers(fake, http):
    """retry_after, retry_after_ms, should_retry and extra headers reach the client."""
    fake.fail_next(
        1, 429, retry_after=2, retry_after_ms=150, should_retry=False, headers={"x-extra": "1"}
    )
    status, headers, body = await post(http, fake, CLIENT_SECRETS, {})
    assert status == 429
    assert headers["retry-after"] == "2"
    assert headers["retry-after-ms"] == "150"
    assert headers["x-should-retry"] == "false"
    assert headers["x-extra"] == "1"
    assert body["error"]["code"] == "rate_limit_exceeded"


async def test_fault_headers_replace_the_fakes_own_in_any_letter_case(fake, http):
    """A fault's header replaces one of the same name in any letter case, never joins it."""
    fake.fail_next(
        1, 503, retry_after=1, headers={"Retry-After": "9", "Content-Type": "application/json+x"}
    )
    _, headers, _ = await post(http, fake, CLIENT_SECRETS, {})
    assert headers.getall("retry-after") == ["1"]
    assert headers.getall("content-type") == ["application/json+x"]


async def test_fail_next_custom_body(fake, http):
    """A custom body mapping is sent as the JSON error body."""
    custom = {
        "error": {
            "message": "quota",
            "type": "insufficient_quota",
            "param": None,
            "code": "insufficient_quota",
        }
    }
    fake.fail_next(1, 429, body=custom)
    status, _, body = await post(http, fake, CLIENT_SECRETS, {})
    assert status == 429
    assert body == custom


async def test_fault_applies_before_auth(fake, http):
    """A scripted status is answered even to a request that would fail auth."""
    fake.fail_next(1, 502)
    status, _, _ = await post(http, fake, CLIENT_SECRETS, {}, headers={"Authorization": ""})
    assert status == 502


async def test_faults_are_consumed_in_fifo_order(fake, http):
    """Scripted faults apply one per request, in the order they were scripted."""
    fake.fail_next(1, 500)
    fake.malformed_json_next(1)
    fake.fail_next(1, 429)
    assert fake.pending_faults == 3
    statuses = []
    for _ in range(4):
        async with http.post(fake.base_url + CLIENT_SECRETS, json={}, headers=AUTH) as response:
            statuses.append(response.status)
    assert statuses == [500, 200, 429, 200]
    assert [record.fault for record in fake.requests] == [
        "status_500",
        "malformed",
        "status_429",
        None,
    ]
    assert fake.pending_faults == 0


async def test_path_filter_leaves_other_endpoints_alone(fake, http):
    """A fault scripted for /realtime/sessions skips client-secret requests."""
    fake.fail_next(1, 503, path="/realtime/sessions")
    first, _, _ = await post(http, fake, CLIENT_SECRETS, {})
    second, _, _ = await post(http, fake, SESSIONS, {})
    third, _, _ = await post(http, fake, SESSIONS, {})
    assert (first, second, third) == (200, 503, 200)


async def test_clear_faults_forgets_pending_entries(fake, http):
    """clear_faults drops scripted faults that have not been used."""
    fake.fail_next(3, 503)
    fake.clear_faults()
    status, _, _ = await post(http, fake, CLIENT_SECRETS, {})
    assert status == 200


async def test_drop_next_closes_without_answer(fake, http):
    """drop_next makes the client see a disconnect; the next request is answered."""
    fake.drop_next(1)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await post(http, fake, CLIENT_SECRETS, {})
    status, _, _ = await post(http, fake, CLIENT_SECRETS, {})
    assert status == 200
    assert [(record.status, record.fault) for record in fake.requests] == [
        (None, "drop"),
        (200, None),
    ]
    assert fake.connections == 2


async def test_malformed_json_next_sends_broken_json(fake, http):
    """malformed_json_next answers 200 with a JSON content type and a body that does not parse."""
    fake.malformed_json_next(1)
    async with http.post(fake.base_url + CLIENT_SECRETS, json={}, headers=AUTH) as response:
        raw = await response.read()
    assert response.status == 200
    assert response.content_type == "application/json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(raw)


async def test_delay_next_trips_a_client_timeout(fake, http):
    """A delayed answer makes a short client timeout fire; the next request is not delayed."""
    fake.delay_next(1, 30)
    with pytest.raises(asyncio.TimeoutError):
        async with http.post(
            fake.base_url + CLIENT_SECRETS,
            json={},
            headers=AUTH,
            timeout=aiohttp.ClientTimeout(total=0.2),
        ) as response:
            await response.read()
    status, _, _ = await post(http, fake, CLIENT_SECRETS, {})
    assert status == 200


async def test_delayed_request_finishes_after_a_later_one(fake):
    """A delayed first request completes after an undelayed second one started later."""
    fake.delay_next(1, 0.5)
    finished = []

    async def call(name: str) -> None:
        async with aiohttp.ClientSession() as session:
            await post(session, fake, CLIENT_SECRETS, {})
        finished.append(name)

    slow = asyncio.create_task(call("delayed"))
    async with asyncio.timeout(30):
        await fake.wait_for_requests(1)
    await call("prompt")
    await slow
    assert finished == ["prompt", "delayed"]


async def test_close_ends_pending_delays(http):
    """Closing the fake while an answer is held back releases it rather than waiting it out."""
    fake = FakeRealtimeAPI()
    await fake.start()
    fake.delay_next(1, 3600)
    pending = asyncio.create_task(post(http, fake, CLIENT_SECRETS, {}))
    async with asyncio.timeout(30):
        await fake.wait_for_requests(1)
    await asyncio.wait_for(fake.close(), timeout=30)
    with contextlib.suppress(aiohttp.ClientError):
        await asyncio.wait_for(pending, timeout=30)


async def test_slow_body_sends_headers_before_the_body(fake, http):
    """With a slow body the status arrives, then a short read timeout fires mid-body."""
    fake.slow_body_next(1, 30, chunks=4)
    async with http.post(
        fake.base_url + CLIENT_SECRETS,
        json={},
        headers=AUTH,
        timeout=aiohttp.ClientTimeout(sock_read=0.3),
    ) as response:
        assert response.status == 200
        with pytest.raises(asyncio.TimeoutError):
            await response.read()


async def test_slow_body_arrives_whole(fake, http):
    """A slow body that is waited for is the complete, valid answer."""
    fake.slow_body_next(1, 0.05, chunks=5)
    status, _, body = await post(http, fake, CLIENT_SECRETS, {})
    assert status == 200
    assert body["value"] == fake.minted_keys[0]
    assert fake.requests[0].fault == "slow_body"


async def test_fault_count_must_not_be_negative(fake):
    """A negative count is a programming error and raises ValueError."""
    with pytest.raises(ValueError, match="count"):
        fake.fail_next(-1)


# -- chaos --------------------------------------------------------------------------------------

CHAOS_RATES = {
    "server_error": 0.2,
    "rate_limit": 0.2,
    "drop": 0.1,
    "delay": 0.1,
    "slow_body": 0.1,
    "malformed": 0.1,
}


async def run_chaos(seed: int, calls: int) -> FakeRealtimeAPI:
    """Send `calls` requests one after another to a chaotic fake; return it closed."""
    async with FakeRealtimeAPI() as fake:
        fake.set_chaos(seed, CHAOS_RATES, delay_seconds=0.001, slow_body_seconds=0.001)
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
            for _ in range(calls):
                with contextlib.suppress(aiohttp.ClientError, json.JSONDecodeError):
                    await post(http, fake, CLIENT_SECRETS, {})
    return fake


async def test_chaos_is_reproducible_from_the_seed():
    """The same seed gives the same fault sequence."""
    first = await run_chaos(7, 60)
    second = await run_chaos(7, 60)
    assert [record.fault for record in first.requests] == [
        record.fault for record in second.requests
    ]


async def test_chaos_mixes_every_requested_kind():
    """Over enough calls every kind with a rate shows up, and counts match the records."""
    fake = await run_chaos(11, 120)
    kinds = {
        label.split("_")[0] if label.startswith("status") else label for label in fake.fault_counts
    }
    assert kinds == {"status", "drop", "delay", "slow_body", "malformed"}
    assert any(label == "status_429" for label in fake.fault_counts)
    assert sum(fake.fault_counts.values()) == sum(
        record.fault is not None for record in fake.requests
    )
    assert None in {record.fault for record in fake.requests}


async def test_chaos_429_carries_retry_headers(fake, http):
    """A chaos 429 carries retry-after and retry-after-ms."""
    fake.set_chaos(1, {"rate_limit": 1.0}, retry_after="1", retry_after_ms="20")
    status, headers, _ = await post(http, fake, CLIENT_SECRETS, {})
    assert status == 429
    assert headers["retry-after"] == "1"
    assert headers["retry-after-ms"] == "20"


async def test_scripted_faults_take_precedence_over_chaos(fake, http):
    """A scripted fault wins over the chaos draw."""
    fake.set_chaos(1, {"rate_limit": 1.0})
    fake.fail_next(1, 500)
    status, _, _ = await post(http, fake, CLIENT_SECRETS, {})
    assert status == 500


async def test_chaos_off_with_none(fake, http):
    """set_chaos(None) turns random faults off."""
    fake.set_chaos(1, {"server_error": 1.0})
    fake.set_chaos(None)
    status, _, _ = await post(http, fake, CLIENT_SECRETS, {})
    assert status == 200


@pytest.mark.parametrize("rates", [{"teapot": 0.1}, {"drop": -0.1}, {"drop": 0.6, "delay": 0.6}])
async def test_chaos_rejects_bad_rates(fake, rates):
    """Unknown kinds, negative rates and rates adding up past 1 raise ValueError."""
    with pytest.raises(ValueError, match="chaos"):
        fake.set_chaos(1, rates)


async def test_default_chaos_mix_is_issue_6s(fake):
    """The default rates are 5% 5xx, 2% 429, 2% drops, 1% delays and 1% malformed."""
    assert dict(DEFAULT_CHAOS_RATES) == {
        "server_error": 0.05,
        "rate_limit": 0.02,
        "drop": 0.02,
        "delay": 0.01,
        "malformed": 0.01,
    }


# -- lifecycle and independence ------------------------------------------------------------------


async def test_base_url_before_start_raises():
    """Asking an unstarted fake for its URL raises a clear RuntimeError."""
    with pytest.raises(RuntimeError, match="not started"):
        _ = FakeRealtimeAPI().base_url


async def test_close_is_idempotent():
    """close() may be called twice."""
    fake = FakeRealtimeAPI()
    await fake.start()
    await fake.close()
    await fake.close()


async def test_start_twice_raises(fake):
    """Starting a started fake raises RuntimeError."""
    with pytest.raises(RuntimeError, match="already started"):
        await fake.start()


def test_fake_never_imports_the_sdk_models_or_converter():
    """The fake's modules import neither realtime_sdk.models nor anything of realtime_sdk._wire."""
    package = Path(realtime_sdk.__file__).parent
    sources = sorted((package / "testing").glob("*.py"))
    imported = set()
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
                imported.update(f"{node.module}.{alias.name}" for alias in node.names)
    assert len(sources) > 2
    assert not {
        name for name in imported if name.startswith(("realtime_sdk.models", "realtime_sdk._wire"))
    }


def test_the_fake_reads_no_private_name_of_another_package():
    """No `_name` is read off anything but the fake's own objects; aiohttp only via its API.

    The fake binds its own socket and serves it with `web.SockSite`, and counts
    connections by peer address, so nothing reaches into aiohttp's sites or runners.
    """
    package = Path(realtime_sdk.__file__).parent / "testing"
    found = []
    for source in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and re.fullmatch(r"_[^_].*|_", node.attr):
                if not (isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}):
                    found.append(f"{source.name}:{node.lineno}: {ast.unparse(node)}")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("aiohttp"):
                if node.module not in {"aiohttp", "aiohttp.web"}:
                    found.append(f"{source.name}:{node.lineno}: from {node.module}")
                found.extend(
                    f"{source.name}:{node.lineno}: {alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_")
                )
    assert found == []


async def test_connections_are_counted_by_peer_address(fake):
    """Each client socket counts once however many requests it carries; stats calls do not count."""
    connector = aiohttp.TCPConnector(limit=2)
    async with aiohttp.ClientSession(connector=connector) as http:
        # Two at once force two connections; later calls reuse them.
        await asyncio.gather(*(post(http, fake, CLIENT_SECRETS, {}) for _ in range(2)))
        for _ in range(3):
            await post(http, fake, CLIENT_SECRETS, {})
    assert len(fake.requests) == 5
    assert fake.connections == 2
    stats_url = f"http://127.0.0.1:{fake.port}/_fake/stats"
    async with aiohttp.ClientSession() as http, http.get(stats_url) as response:
        assert (await response.json())["connections"] == 2
    assert fake.connections == 2


async def test_start_reports_a_port_in_use_by_name():
    """Binding a taken port raises CannotListenError naming the address; the fake stays unstarted."""
    async with FakeRealtimeAPI() as first:
        second = FakeRealtimeAPI(port=first.port)
        with pytest.raises(
            CannotListenError, match=rf"^cannot listen on 127\.0\.0\.1:{first.port}: "
        ):
            await second.start()
        with pytest.raises(RuntimeError, match="not started"):
            _ = second.port
        await second.close()


# -- pytest plugin --------------------------------------------------------------------------------

PLUGIN_USER_TEST = """
import aiohttp
import pytest


@pytest.mark.asyncio
async def test_uses_fake(fake_realtime_api):
    async with aiohttp.ClientSession() as session:
        async with session.post(
            fake_realtime_api.base_url + "/realtime/client_secrets",
            json={},
            headers={"Authorization": "Bearer sk-user"},
        ) as response:
            assert response.status == 200
    assert len(fake_realtime_api.requests) == 1


def test_sync_code_uses_fake(fake_realtime_api_thread):
    from realtime_sdk import SyncRealtimeClient

    with SyncRealtimeClient("sk-user", base_url=fake_realtime_api_thread.base_url) as client:
        result = client.create_realtime_client_secret({"session": {"type": "realtime"}})
    assert result.value.reveal() == fake_realtime_api_thread.minted_keys[-1]
"""


def test_plugin_fixture_serves_a_started_fake(pytester):
    """With -p realtime_sdk.pytest_plugin user tests get working async and threaded fakes."""
    pytester.makepyfile(PLUGIN_USER_TEST)
    result = pytester.runpytest_subprocess(
        "-p", "realtime_sdk.pytest_plugin", "-p", "no:cacheprovider", timeout=120
    )
    result.assert_outcomes(passed=2)


def test_plugin_is_not_loaded_automatically(pytester):
    """Without opting in, the fixture does not exist."""
    pytester.makepyfile(PLUGIN_USER_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=120)
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(["*fixture 'fake_realtime_api' not found*"])


# -- bounded records, stats, waiting ------------------------------------------------------------


async def test_max_records_keeps_only_the_newest(http):
    """With max_records=2 only the two newest records and keys are kept."""
    async with FakeRealtimeAPI(max_records=2) as fake:
        answers = [await post(http, fake, CLIENT_SECRETS, {}) for _ in range(3)]
    kept = [headers["x-request-id"] for _, headers, _ in answers[1:]]
    assert [record.request_id for record in fake.requests] == kept
    assert fake.minted_keys == [body["value"] for _, _, body in answers[1:]]


async def test_stats_endpoint_reports_counters(fake, http):
    """GET /_fake/stats reports counters without being recorded or consuming a fault."""
    fake.fail_next(1, 500)
    await post(http, fake, CLIENT_SECRETS, {})
    await post(http, fake, CLIENT_SECRETS, {})
    fake.drop_next(1)
    async with http.get(f"http://127.0.0.1:{fake.port}/_fake/stats") as response:
        stats = await response.json()
        assert response.headers["x-request-id"].startswith("req_")
    assert stats == {
        "requests": 2,
        "connections": 1,
        "minted_keys": 1,
        "fault_counts": {"status_500": 1},
        "pending_faults": 1,
    }
    assert len(fake.requests) == 2


async def test_wait_for_requests_returns_once_enough_arrived(fake, http):
    """wait_for_requests(2) returns after the second request is recorded."""
    waiter = asyncio.create_task(fake.wait_for_requests(2))
    await post(http, fake, CLIENT_SECRETS, {})
    await asyncio.sleep(0)
    assert not waiter.done()
    await post(http, fake, CLIENT_SECRETS, {})
    async with asyncio.timeout(30):
        await waiter
    assert len(fake.requests) == 2


async def test_max_records_zero_keeps_nothing(http):
    """max_records=0 records no request and keeps no key, while counters still count."""
    async with FakeRealtimeAPI(max_records=0) as fake:
        status, _, _ = await post(http, fake, CLIENT_SECRETS, {})
    assert status == 200
    assert fake.requests == []
    assert fake.minted_keys == []
    assert fake.stats()["minted_keys"] == 1


# -- validator robustness -------------------------------------------------------------------------


def _spec_keys() -> list[str]:
    """Every property name in the vendored spec, so random bodies reach deep paths."""
    keys: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            keys.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(load_spec()["components"])
    return sorted(keys)


JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**40), max_value=2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(
        [
            "realtime",
            "transcription",
            "server_vad",
            "semantic_vad",
            "audio/pcm",
            "mcp",
            "function",
            "auto",
            "inf",
        ]
    )
    | st.text(max_size=8)
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from([*_spec_keys(), "zz"]), children, max_size=5)
    ),
    max_leaves=30,
)


def _resolves(body: object, path: list[str | int]) -> bool:
    """Whether all but the last step of a path exist in the body (the last may be missing)."""
    node: Any = body
    for step in path[:-1]:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return False
    return True


@pytest.mark.parametrize(
    "schema",
    [
        "RealtimeCreateClientSecretRequest",
        "RealtimeSessionCreateRequest",
        "RealtimeTranscriptionSessionCreateRequest",
    ],
)
@settings(max_examples=150, deadline=None)
@given(
    body=st.dictionaries(
        st.sampled_from(["session", "expires_after", *_spec_keys()]), JSON_VALUES, max_size=6
    )
)
def test_validator_only_ever_raises_schema_violations(schema, body):
    """Arbitrary bodies are accepted or refused with a path that points into the body."""
    problem: SchemaViolation | None = None
    try:
        validate(schema, body)
    except SchemaViolation as exc:
        problem = exc
    if problem is not None:
        assert problem.path
        assert _resolves(body, problem.path)
        assert problem.code
        assert "{param}" not in problem.message


ANSWER_BUILDERS = [
    ("RealtimeCreateClientSecretRequest", "RealtimeCreateClientSecretResponse", "client_secrets"),
    ("RealtimeSessionCreateRequest", "RealtimeSessionCreateResponse", "sessions"),
    (
        "RealtimeTranscriptionSessionCreateRequest",
        "RealtimeTranscriptionSessionCreateResponse",
        "transcription_sessions",
    ),
]


def spec_instances(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Hypothesis strategy for bodies that fit a spec schema (the keyword subset it uses).

    A ``type`` property is always present, since tagged unions are chosen by it; nulls are
    drawn where the real service accepts them (the spec with the shared quirks applied).
    """
    if "$ref" in schema:
        return spec_instances(_SERVICE_SCHEMAS[schema["$ref"].rsplit("/", 1)[1]])
    inner = _non_null_instances(schema)
    if schema.get("nullable"):
        return st.none() | inner
    return inner


_SERVICE_SCHEMAS: dict[str, Any] = quirks.apply(load_spec())["components"]["schemas"]


def _non_null_instances(schema: dict[str, Any]) -> st.SearchStrategy[Any]:  # noqa: PLR0911 - one per keyword
    if "anyOf" in schema or "oneOf" in schema:
        return st.one_of(
            [spec_instances(member) for member in schema.get("anyOf") or schema["oneOf"]]
        )
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "string":
        pattern = schema.get("pattern")
        return st.from_regex(pattern, fullmatch=True) if pattern else st.text(max_size=8)
    if kind == "integer":
        return st.integers(schema.get("minimum", -(2**31)), schema.get("maximum", 2**31))
    if kind == "number":
        low, high = schema.get("minimum"), schema.get("maximum")
        return st.floats(low, high, allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "array" or "items" in schema:
        items = spec_instances(schema["items"]) if "items" in schema else st.text(max_size=4)
        return st.lists(items, min_size=schema.get("minItems", 0), max_size=2)
    if kind == "null":
        return st.none()
    return _object_instances(schema)


def _object_instances(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    props = schema.get("properties")
    extra = schema.get("additionalProperties")
    if not props:
        values = spec_instances(extra) if isinstance(extra, dict) else st.text(max_size=4)
        return st.dictionaries(st.text(min_size=1, max_size=6), values, max_size=2)
    must = set(schema.get("required", ())) | ({"type"} & set(props))
    return st.fixed_dictionaries(
        {name: spec_instances(props[name]) for name in sorted(must)},
        optional={name: spec_instances(sub) for name, sub in props.items() if name not in must},
    )


@pytest.mark.parametrize("case", ANSWER_BUILDERS, ids=[case[2] for case in ANSWER_BUILDERS])
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_every_valid_body_is_accepted_and_answered_in_shape(case, data):
    """A body fitting the request schema is accepted, and its answer fits the response schema."""
    request_schema, response_schema, endpoint = case
    body = data.draw(spec_instances({"$ref": f"#/components/schemas/{request_schema}"}))
    validate(request_schema, body)
    if endpoint == "client_secrets":
        answer = fake_answers.client_secret(body, key="ek_x", now=0, default_ttl=600)
    elif endpoint == "sessions":
        answer = fake_answers.beta_session(body, key="ek_x", now=0, ttl=60)
    else:
        answer = fake_answers.beta_transcription_session(body, key="ek_x", now=0, ttl=60)
    # Known spec gap: response schemas list voice names only, but a custom voice object is
    # echoed as given; check the echo, then validate the rest.
    session = answer.get("session", answer)
    voice = session.get("audio", {}).get("output", {}).get("voice")
    if isinstance(voice, dict):
        assert voice in (
            body.get("voice"),
            body.get("session", {}).get("audio", {}).get("output", {}).get("voice"),
        )
        session["audio"]["output"]["voice"] = "alloy"
    validate(response_schema, without_documented_nulls(answer), reject_unknown_fields=False)


def test_serve_in_process_yields_a_working_url_and_reports_a_failed_start():
    """serve_in_process yields a base URL that answers; a child that cannot start is a RuntimeError."""
    with serve_in_process() as base_url:

        async def call() -> int:
            async with (
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session,
                session.post(f"{base_url}{CLIENT_SECRETS}", json={}, headers=AUTH) as response,
            ):
                return response.status

        assert asyncio.run(call()) == 200
    with (
        pytest.raises(RuntimeError, match="did not print its base URL"),
        serve_in_process("--no-such-option"),
    ):
        pass
