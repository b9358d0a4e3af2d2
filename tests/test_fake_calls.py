"""The fake API's call operations and translation keys, driven with plain aiohttp (never the SDK)."""

import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

import aiohttp
import pytest
from yarl import URL

from realtime_sdk.testing import RING_PATH, FakeRealtimeAPI

KEY = "sk-test-key"
OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"


@pytest.fixture
async def fake() -> AsyncIterator[FakeRealtimeAPI]:
    async with FakeRealtimeAPI(api_key=KEY) as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        yield session


async def send(
    http: aiohttp.ClientSession,
    url: str,
    data: Any,
    *,
    key: str = KEY,
    content_type: str | None = None,
) -> tuple[int, Mapping[str, str], bytes]:
    headers = {"Authorization": f"Bearer {key}"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    async with http.post(url, data=data, headers=headers) as response:
        return response.status, response.headers, await response.read()


def form(**fields: tuple[str, str]) -> aiohttp.FormData:
    """A multipart form built by aiohttp itself: name -> (text, content type)."""
    data = aiohttp.FormData()
    for name, (text, content_type) in fields.items():
        data.add_field(name, text, content_type=content_type)
    return data


def error(body: bytes) -> dict[str, Any]:
    return json.loads(body)["error"]  # type: ignore[no-any-return]


async def test_an_offer_form_opens_a_call(fake, http) -> None:
    """201, application/sdp, an SDP answer, and Location /v1/realtime/calls/{id}."""
    session = {"type": "realtime", "model": "gpt-realtime"}
    data = form(sdp=(OFFER, "application/sdp"), session=(json.dumps(session), "application/json"))
    status, headers, body = await send(http, f"{fake.base_url}/realtime/calls", data)
    assert status == 201
    assert headers["Content-Type"] == "application/sdp"
    assert body.startswith(b"v=0\r\n")
    assert b"m=audio" in body
    location = headers["Location"]
    assert location.startswith("/v1/realtime/calls/rtc_")
    call_id = location.rpartition("/")[2]
    assert fake.calls[call_id].session == session
    assert fake.requests[0].form == {"sdp": OFFER, "session": json.dumps(session)}


@pytest.mark.parametrize(
    ("fields", "code", "param"),
    [
        (
            {"session": ('{"type": "realtime"}', "application/json")},
            "missing_required_parameter",
            "sdp",
        ),
        (
            {"sdp": (OFFER, "application/sdp"), "model": ("x", "text/plain")},
            "unknown_parameter",
            "model",
        ),
        ({"sdp": ("hello", "application/sdp")}, "invalid_offer", "sdp"),
        (
            {"sdp": (OFFER, "application/sdp"), "session": ("{", "application/json")},
            "invalid_json",
            "session",
        ),
        (
            {
                "sdp": (OFFER, "application/sdp"),
                "session": ('{"type": "realtime", "voice": 1}', "application/json"),
            },
            "unknown_parameter",
            "session.voice",
        ),
        (
            {
                "sdp": (OFFER, "application/sdp"),
                "session": ('{"type": "nope"}', "application/json"),
            },
            "invalid_value",
            "session.type",
        ),
    ],
    ids=[
        "no-sdp",
        "unknown-field",
        "not-sdp",
        "session-not-json",
        "session-unknown-key",
        "session-bad-type",
    ],
)
async def test_a_bad_offer_form_is_a_400_naming_the_field(fake, http, fields, code, param) -> None:
    """Each part is checked on its own: the error names the field, and no call is opened."""
    status, _, body = await send(http, f"{fake.base_url}/realtime/calls", form(**fields))
    assert status == 400
    assert (error(body)["code"], error(body)["param"]) == (code, param)
    assert fake.calls == {}


async def test_a_broken_multipart_body_is_a_400(fake, http) -> None:
    """Bytes that claim to be a form but are not one are refused."""
    status, _, body = await send(
        http,
        f"{fake.base_url}/realtime/calls",
        b"not a form at all",
        content_type="multipart/form-data; boundary=xyz",
    )
    assert status == 400
    assert error(body)["code"] in {"invalid_multipart", "missing_required_parameter"}


async def test_bare_sdp_needs_an_ephemeral_key(fake, http) -> None:
    """application/sdp with an ek_ key opens a call; with the API key it is a 401."""
    url = f"{fake.base_url}/realtime/calls"
    status, headers, _ = await send(http, url, OFFER, key="ek_1", content_type="application/sdp")
    assert status == 201
    assert headers["Location"].rpartition("/")[2] in fake.calls
    status, _, body = await send(http, url, OFFER, content_type="application/sdp")
    assert status == 401
    assert "ephemeral key" in error(body)["message"]


async def test_an_offer_of_another_content_type_is_a_400(fake, http) -> None:
    """JSON is not one of the two shapes an offer may take."""
    status, _, body = await send(
        http, f"{fake.base_url}/realtime/calls", b'{"sdp": "v=0"}', content_type="application/json"
    )
    assert status == 400
    assert error(body)["code"] == "invalid_content_type"


async def test_an_incoming_call_goes_through_its_states(fake, http) -> None:
    """accept then refer: 200 with an empty body each; a second accept is a 409."""
    call_id = fake.add_incoming_call(sip_headers={"From": "sip:a@b"})
    assert fake.calls[call_id].sip_headers == [{"name": "From", "value": "sip:a@b"}]
    url = f"{fake.base_url}/realtime/calls/{call_id}"
    accepted = await send(
        http, f"{url}/accept", b'{"type":"realtime"}', content_type="application/json"
    )
    assert accepted[0] == 200
    assert accepted[2] == b""
    assert "Content-Type" not in accepted[1]
    again = await send(
        http, f"{url}/accept", b'{"type":"realtime"}', content_type="application/json"
    )
    assert again[0] == 409
    referred = await send(
        http, f"{url}/refer", b'{"target_uri":"sip:x@y"}', content_type="application/json"
    )
    assert referred[0] == 200
    assert fake.calls[call_id].state == "ended"
    assert fake.calls[call_id].ended_by == "refer_realtime_call"


async def test_reject_takes_an_empty_body_and_hangup_any(fake, http) -> None:
    """The reject body is optional (603 then); hang up reads no body."""
    first, second = fake.add_incoming_call(), fake.add_incoming_call()
    base = f"{fake.base_url}/realtime/calls"
    assert (await send(http, f"{base}/{first}/reject", b""))[0] == 200
    assert fake.calls[first].reject_status == 603
    assert (await send(http, f"{base}/{second}/hangup", b"ignored"))[0] == 200
    assert fake.calls[second].state == "ended"


async def test_call_bodies_are_checked_against_their_schemas(fake, http) -> None:
    """A refer without target_uri and a reject with a string status are 400s with params."""
    call_id = fake.add_incoming_call()
    fake.calls[call_id].state = "active"
    base = f"{fake.base_url}/realtime/calls/{call_id}"
    status, _, body = await send(http, f"{base}/refer", b"{}", content_type="application/json")
    assert (status, error(body)["param"]) == (400, "target_uri")
    status, _, body = await send(
        http, f"{base}/reject", b'{"status_code":"486"}', content_type="application/json"
    )
    assert (status, error(body)["param"]) == (400, "status_code")
    assert fake.calls[call_id].state == "active"


async def test_an_unknown_call_is_a_404_and_an_extra_segment_names_no_route(fake, http) -> None:
    """A call id the fake never made is call_not_found; an id with a slash in it is no route."""
    base = f"{fake.base_url}/realtime/calls"
    status, _, body = await send(http, f"{base}/rtc_nobody/hangup", b"")
    assert (status, error(body)["code"]) == (404, "call_not_found")
    status, _, body = await send(http, f"{base}/a/b/hangup", b"")
    assert status == 404
    assert error(body)["code"] is None


async def test_an_encoded_call_id_is_decoded_once(fake, http) -> None:
    """%2F in the path stays inside the one segment and names the call with a '/' in its id."""
    fake.add_incoming_call(call_id="rtc/1")
    url = URL(f"{fake.base_url}/realtime/calls/rtc%2F1/hangup", encoded=True)
    async with http.post(url, headers={"Authorization": f"Bearer {KEY}"}) as response:
        assert response.status == 200
    assert fake.calls["rtc/1"].state == "ended"


async def test_translation_secret_answer_fits_its_schema(fake, http) -> None:
    """The answer carries an ek_ key and a translation session with the caller's choices."""
    request = {
        "session": {"model": "gpt-realtime-translate", "audio": {"output": {"language": "fr"}}}
    }
    status, _, body = await send(
        http,
        f"{fake.base_url}/realtime/translations/client_secrets",
        json.dumps(request),
        content_type="application/json",
    )
    assert status == 200
    answer = json.loads(body)
    assert answer["value"].startswith("ek_")
    assert answer["session"]["type"] == "translation"
    assert answer["session"]["audio"]["output"]["language"] == "fr"
    assert set(answer["session"]) >= {"id", "type", "expires_at", "model", "audio"}


async def test_translation_secret_without_a_model_is_a_400(fake, http) -> None:
    """session.model is required by the schema."""
    status, _, body = await send(
        http,
        f"{fake.base_url}/realtime/translations/client_secrets",
        b'{"session":{}}',
        content_type="application/json",
    )
    assert (status, error(body)["param"]) == (400, "session.model")


def _root(fake: FakeRealtimeAPI) -> str:
    """The fake's origin: its control paths sit beside /v1, as /_fake/stats does."""
    return str(URL(fake.base_url).origin())


async def test_a_ring_request_makes_a_call_ring_and_is_not_traffic(fake, http) -> None:
    """POST /_fake/calls rings a SIP call (for a fake in another process); it is never recorded."""
    body = {"call_id": "rtc_rung_by_a_test", "sip_headers": {"From": "sip:+15550100@example.com"}}
    async with http.post(_root(fake) + RING_PATH, json=body) as response:
        answered = (response.status, await response.json())
    assert answered == (201, {"call_id": "rtc_rung_by_a_test"})
    call = fake.calls["rtc_rung_by_a_test"]
    assert call.state == "ringing"
    assert call.sip_headers == [{"name": "From", "value": "sip:+15550100@example.com"}]
    async with http.post(_root(fake) + RING_PATH) as response:
        fresh = (await response.json())["call_id"]
    assert fake.calls[fresh].state == "ringing"
    assert fake.requests == []
    assert fake.stats()["requests"] == 0


async def test_a_ring_request_takes_header_pairs_too(fake, http) -> None:
    """sip_headers as [name, value] pairs, as add_incoming_call takes them; repeats are kept."""
    body = {"sip_headers": [["Via", "a"], ["Via", "b"]]}
    async with http.post(_root(fake) + RING_PATH, json=body) as response:
        call_id = (await response.json())["call_id"]
    assert fake.calls[call_id].sip_headers == [
        {"name": "Via", "value": "a"},
        {"name": "Via", "value": "b"},
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b"{",
        b'{"call_id": 5}',
        b'{"sip_headers": {"From": 1}}',
        b'{"sip_headers": "From: x"}',
        b'{"sip_headers": [["From"]]}',
    ],
    ids=repr,
)
async def test_a_ring_request_that_is_not_one_is_a_400(fake, http, body) -> None:
    """A body that is not the small object the ring path takes rings nothing."""
    async with http.post(_root(fake) + RING_PATH, data=body) as response:
        assert response.status == 400
    assert fake.calls == {}
