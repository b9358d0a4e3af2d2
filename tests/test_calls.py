"""The six new operations against the fake API: translation keys, WebRTC calls, SIP call control."""

import json
from collections.abc import AsyncIterator

import pytest

from realtime_sdk import RealtimeCallAnswer, RealtimeClient, Secret, models
from realtime_sdk.errors import (
    APIResponseValidationError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    RequestValidationError,
)
from realtime_sdk.testing import FakeRealtimeAPI
from tests.conftest import API_KEY, Reply

OFFER = "v=0\r\no=- 4227147428 1719357865 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
SESSION = {"type": "realtime", "model": "gpt-realtime", "instructions": "Be brief."}


# Pauses between attempts are recorded, not waited out (`conftest.sleeps`).
pytestmark = pytest.mark.usefixtures("sleeps")


@pytest.fixture
async def fake() -> AsyncIterator[FakeRealtimeAPI]:
    """A fake API that accepts only API_KEY (and ephemeral keys for bare SDP offers)."""
    async with FakeRealtimeAPI(api_key=API_KEY) as server:
        yield server


@pytest.fixture
async def client(fake: FakeRealtimeAPI) -> AsyncIterator[RealtimeClient]:
    """A client of the fake."""
    async with RealtimeClient(API_KEY, base_url=fake.base_url) as made:
        yield made


# -- translation client secrets -------------------------------------------------------------


async def test_translation_secret_is_minted_with_its_session(fake, client) -> None:
    """The body goes out as given; the key comes back masked, the session typed."""
    body = {
        "expires_after": {"anchor": "created_at", "seconds": 120},
        "session": {"model": "gpt-realtime-translate", "audio": {"output": {"language": "es"}}},
    }
    result = await client.create_realtime_translation_client_secret(body)
    assert fake.requests[0].path == "/v1/realtime/translations/client_secrets"
    assert fake.requests[0].json == body
    assert isinstance(result.value, Secret)
    assert result.value.reveal() == fake.minted_keys[0]
    assert result.value.reveal() not in repr(result)
    assert isinstance(result.session, models.RealtimeTranslationSession)
    assert result.session.type == "translation"
    assert isinstance(result.session.audio, models.TranslationAudioConfig)
    assert isinstance(result.session.audio.output, models.TranslationAudioOutput)
    assert result.session.audio.output.language == "es"


async def test_translation_secret_needs_a_model_before_anything_is_sent(fake, client) -> None:
    """The session's model is required: refused with its path, and no request is made."""
    with pytest.raises(RequestValidationError) as caught:
        await client.create_realtime_translation_client_secret({"session": {}})
    assert [e.path for e in caught.value.errors] == ["session.model"]
    assert fake.requests == []


async def test_translation_secret_with_response_has_the_request_id(fake, client) -> None:
    """The *_with_response variant carries the status and the server's request id."""
    request = models.RealtimeTranslationClientSecretCreateRequest(
        session=models.RealtimeTranslationSessionCreateRequest(model="gpt-realtime-translate")
    )
    result = await client.create_realtime_translation_client_secret_with_response(request)
    assert result.status_code == 200
    assert result.request_id == fake.requests[0].request_id
    assert fake.requests[0].json == {"session": {"model": "gpt-realtime-translate"}}


# -- creating a WebRTC call ----------------------------------------------------------------


async def test_a_call_is_created_from_a_form_under_the_api_key(fake, client) -> None:
    """sdp and session go out as form parts; the SDP answer and the call id come back."""
    answer = await client.create_realtime_call({"sdp": OFFER, "session": SESSION})
    seen = fake.requests[0]
    assert seen.headers["Authorization"] == f"Bearer {API_KEY}"
    assert seen.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert seen.form == {"sdp": OFFER, "session": json.dumps(SESSION, separators=(",", ":"))}
    assert isinstance(answer, RealtimeCallAnswer)
    assert answer.sdp.startswith("v=0\r\n")
    assert fake.calls[answer.call_id].kind == "webrtc"
    assert fake.calls[answer.call_id].session == SESSION


async def test_a_call_without_session_sends_only_the_sdp_part(fake, client) -> None:
    """The session part is optional; a model request works like a dict."""
    answer = await client.create_realtime_call(models.RealtimeCallCreateRequest(sdp=OFFER))
    assert fake.requests[0].form == {"sdp": OFFER}
    assert fake.calls[answer.call_id].session is None


async def test_a_call_under_an_ephemeral_key_sends_bare_sdp(fake, client) -> None:
    """With client_secret the body is the SDP text and the API key is not sent at all."""
    secret = await client.create_realtime_client_secret({"session": {"type": "realtime"}})
    answer = await client.create_realtime_call({"sdp": OFFER}, client_secret=secret.value)
    seen = fake.requests[1]
    assert seen.headers["Content-Type"] == "application/sdp"
    assert seen.headers["Authorization"] == f"Bearer {secret.value.reveal()}"
    assert API_KEY not in str(dict(seen.headers))
    assert seen.body == OFFER.encode()
    assert answer.call_id in fake.calls


async def test_a_session_with_an_ephemeral_key_is_refused_before_sending(fake, client) -> None:
    """The key carries its session; a second one is a mistake named by its field."""
    with pytest.raises(RequestValidationError) as caught:
        await client.create_realtime_call(
            {"sdp": OFFER, "session": SESSION}, client_secret="ek_abc"
        )
    assert [e.path for e in caught.value.errors] == ["session"]
    assert fake.requests == []


@pytest.mark.parametrize("key", ["", "ek_a b", "ek_a\r\nX-Evil: 1", 42])
async def test_an_unusable_client_secret_is_refused_without_echoing_it(fake, client, key) -> None:
    """An empty key, whitespace or a header break is refused; the message hides the value."""
    with pytest.raises(RequestValidationError) as caught:
        await client.create_realtime_call({"sdp": OFFER}, client_secret=key)
    assert [e.path for e in caught.value.errors] == ["client_secret"]
    if isinstance(key, str) and key:
        assert key not in str(caught.value)
    assert fake.requests == []


async def test_an_offer_with_an_unknown_field_is_refused(fake, client) -> None:
    """RealtimeCallCreateRequest admits no other keys (additionalProperties: false)."""
    with pytest.raises(RequestValidationError):
        await client.create_realtime_call({"sdp": OFFER, "model": "gpt-realtime"})
    assert fake.requests == []


async def test_the_fake_refuses_an_ephemeral_offer_under_the_api_key(fake, client) -> None:
    """The fake insists on an ek_ key for bare SDP, as the spec pairs them."""
    with pytest.raises(AuthenticationError):
        await client.create_realtime_call({"sdp": OFFER}, client_secret=API_KEY)


async def test_the_fake_refuses_an_offer_that_is_not_sdp(fake, client) -> None:
    """An sdp field that is not SDP text is a 400 naming sdp."""
    with pytest.raises(BadRequestError) as caught:
        await client.create_realtime_call({"sdp": "hello"})
    assert caught.value.param == "sdp"


async def test_the_call_id_is_read_from_an_absolute_or_relative_location(start_server) -> None:
    """Location may be relative or absolute; the last path segment, decoded, is the id."""
    for location, expected in [
        ("/v1/realtime/calls/rtc_1", "rtc_1"),
        ("https://api.openai.com/v1/realtime/calls/rtc_%3A2/", "rtc_:2"),
    ]:
        server = await start_server(
            Reply(201, b"v=0\r\n", {"Content-Type": "application/sdp", "Location": location})
        )
        async with RealtimeClient(API_KEY, base_url=server.base_url) as client:
            answer = await client.create_realtime_call({"sdp": OFFER})
        assert answer == RealtimeCallAnswer(sdp="v=0\r\n", call_id=expected)


@pytest.mark.parametrize(
    ("body", "headers", "complaint"),
    [
        (b"v=0\r\n", {}, "without a Location header"),
        (b"", {"Location": "/v1/realtime/calls/rtc_1"}, "without SDP text"),
        (b"\xff\xfe", {"Location": "/v1/realtime/calls/rtc_1"}, "without SDP text"),
    ],
)
async def test_an_answer_without_sdp_or_location_is_a_validation_error(
    start_server, body, headers, complaint
) -> None:
    """A 201 that cannot be used (no call id, no SDP) is refused, not returned half-empty."""
    server = await start_server(Reply(201, body, headers))
    async with RealtimeClient(API_KEY, base_url=server.base_url, max_retries=0) as client:
        with pytest.raises(APIResponseValidationError) as caught:
            await client.create_realtime_call({"sdp": OFFER})
    assert complaint in str(caught.value)
    assert len(server.requests) == 1


# -- controlling a call --------------------------------------------------------------------


async def test_an_incoming_call_is_accepted_with_a_session(fake, client) -> None:
    """accept posts the session JSON to the call's path and returns None."""
    call_id = fake.add_incoming_call(sip_headers={"From": "sip:+1555@example.com"})
    assert await client.accept_realtime_call(call_id, SESSION) is None
    seen = fake.requests[0]
    assert seen.path == f"/v1/realtime/calls/{call_id}/accept"
    assert seen.json == SESSION
    assert fake.calls[call_id].state == "active"
    assert fake.calls[call_id].session == SESSION


async def test_an_accepted_call_is_referred_then_gone(fake, client) -> None:
    """refer sends target_uri and ends the call on our side; a second refer is a 409."""
    call_id = fake.add_incoming_call()
    await client.accept_realtime_call(call_id, models.RealtimeSessionCreateRequestGA())
    await client.refer_realtime_call(
        call_id, models.RealtimeCallReferRequest(target_uri="tel:+14155550123")
    )
    assert fake.requests[1].json == {"target_uri": "tel:+14155550123"}
    assert fake.calls[call_id].referred_to == "tel:+14155550123"
    with pytest.raises(ConflictError):
        await client.refer_realtime_call(call_id, {"target_uri": "tel:+1"})


async def test_a_call_is_rejected_with_the_server_default_or_a_status(fake, client) -> None:
    """Without a request the body is {} (the server picks 603); with one, its status."""
    first, second = fake.add_incoming_call(), fake.add_incoming_call()
    await client.reject_realtime_call(first)
    await client.reject_realtime_call(second, {"status_code": 486})
    assert [r.body for r in fake.requests] == [b"{}", b'{"status_code":486}']
    assert fake.calls[first].reject_status == 603
    assert fake.calls[second].reject_status == 486


async def test_a_call_is_hung_up_without_a_body(fake, client) -> None:
    """hangup sends nothing but the path; the call has ended."""
    call = await client.create_realtime_call({"sdp": OFFER})
    await client.hangup_realtime_call(call.call_id)
    seen = fake.requests[1]
    assert seen.path == f"/v1/realtime/calls/{call.call_id}/hangup"
    assert seen.body == b""
    assert fake.calls[call.call_id].state == "ended"


async def test_an_unknown_call_is_a_not_found_error(fake, client) -> None:
    """A call id the service does not know is a 404, raised as NotFoundError."""
    with pytest.raises(NotFoundError) as caught:
        await client.hangup_realtime_call("rtc_nobody")
    assert caught.value.code == "call_not_found"


async def test_a_bad_accept_body_is_refused_before_sending(fake, client) -> None:
    """The session is checked against RealtimeSessionCreateRequestGA before any I/O."""
    call_id = fake.add_incoming_call()
    with pytest.raises(RequestValidationError) as caught:
        await client.accept_realtime_call(call_id, {"type": "realtime", "max_output_tokens": "x"})
    assert [e.path for e in caught.value.errors] == ["max_output_tokens"]
    assert fake.requests == []


@pytest.mark.parametrize(
    "call_id",
    [
        "",
        "rtc/1",
        "../accept",
        "..",
        ".",
        "rtc?x=1",
        "rtc#x",
        "rtc\\1",
        "rtc\n",
        "rtc\x00",
        None,
        7,
    ],
)
async def test_a_call_id_that_could_change_the_path_is_refused(fake, client, call_id) -> None:
    """Each call-scoped method refuses the id before any I/O, naming call_id."""
    calls = [
        client.accept_realtime_call(call_id, SESSION),
        client.refer_realtime_call(call_id, {"target_uri": "tel:+1"}),
        client.reject_realtime_call(call_id),
        client.hangup_realtime_call(call_id),
    ]
    for call in calls:
        with pytest.raises(RequestValidationError) as caught:
            await call
        assert [e.path for e in caught.value.errors] == ["call_id"]
    assert fake.requests == []


async def test_a_call_id_is_one_percent_encoded_path_segment(fake, client) -> None:
    """Characters outside the unreserved set are escaped, so the id stays one segment."""
    call_id = fake.add_incoming_call(call_id="rtc 1%2F..+ü")
    await client.reject_realtime_call(call_id)
    seen = fake.requests[0]
    assert seen.path == f"/v1/realtime/calls/{call_id}/reject"
    assert fake.calls[call_id].state == "ended"


async def test_per_call_headers_and_timeout_apply_to_call_changes(fake, client) -> None:
    """extra_headers reach the wire on a call change; a bad timeout is refused before I/O."""
    call_id = fake.add_incoming_call()
    await client.reject_realtime_call(call_id, extra_headers={"X-Trace": "t-1"}, timeout=5)
    assert fake.requests[0].headers["X-Trace"] == "t-1"
    with pytest.raises(ValueError, match="timeout"):
        await client.hangup_realtime_call(call_id, timeout=-1)
    assert len(fake.requests) == 1


async def test_an_ephemeral_key_echoed_in_an_error_is_masked(start_server) -> None:
    """A server that echoes the client_secret in its error body and headers has it masked."""
    key = "ek_0123456789abcdef0123456789abcdef"
    body = {"error": {"message": f"key {key} is expired", "type": "invalid_request_error"}}
    server = await start_server(Reply(401, body, {"x-request-id": key}))
    async with RealtimeClient(API_KEY, base_url=server.base_url) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.create_realtime_call({"sdp": OFFER}, client_secret=key)
    error = caught.value
    for text in (str(error), repr(error), str(error.body), str(dict(error.headers))):
        assert key not in text
    assert server.requests[0].headers["Authorization"] == f"Bearer {key}"


async def test_no_request_is_refused_for_accept_and_refer(fake, client) -> None:
    """Only reject may leave its body out; None for accept or refer is refused at the root."""
    call_id = fake.add_incoming_call()
    for change in (client.accept_realtime_call, client.refer_realtime_call):
        with pytest.raises(RequestValidationError) as caught:
            await change(call_id, None)  # type: ignore[arg-type]
        assert [e.path for e in caught.value.errors] == [""]
    assert fake.requests == []
