"""Golden wire tests: the exact bytes each new operation puts on a socket.

A plain asyncio server reads each request as bytes (request line, headers, body) and
answers with a canned response; nothing of aiohttp's server side interprets the request.
"""

import asyncio
import json
import re
from collections.abc import Awaitable, Callable

import pytest

from realtime_sdk import RealtimeClient
from realtime_sdk._client import _engine
from realtime_sdk._http._transport import USER_AGENT
from tests.conftest import API_KEY, read_http_request

OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
EPHEMERAL = "ek_0123456789abcdef0123456789abcdef"
TRANSLATION_ANSWER = json.dumps(
    {
        "value": EPHEMERAL,
        "expires_at": 1,
        "session": {"id": "s", "type": "translation", "expires_at": 1, "model": "m", "audio": {}},
    }
).encode()
EMPTY_OK = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
CREATED = (
    b"HTTP/1.1 201 Created\r\nContent-Type: application/sdp\r\n"
    b"Location: /v1/realtime/calls/rtc_new\r\nContent-Length: 5\r\n\r\nv=0\r\n"
)
JSON_OK = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
    + str(len(TRANSLATION_ANSWER)).encode()
    + b"\r\n\r\n"
    + TRANSLATION_ANSWER
)


class Wire:
    """One request as bytes: its request line, headers in order, and body."""

    def __init__(self, head: bytes, body: bytes) -> None:
        lines = head.decode("latin-1").split("\r\n")
        self.request_line = lines[0]
        self.headers = [tuple(line.split(": ", 1)) for line in lines[1:] if line]
        self.body = body

    def header(self, name: str) -> str:
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        assert len(values) == 1, (name, values)
        return values[0]

    def names(self) -> set[str]:
        return {k for k, _ in self.headers}


@pytest.fixture(autouse=True)
def _no_pauses(monkeypatch) -> None:
    async def no_wait(_: float) -> None:
        await asyncio.sleep(0)

    monkeypatch.setattr(_engine, "_sleep", no_wait)


async def _capture(
    raw_server: Callable[..., Awaitable[str]],
    reply: bytes,
    call: Callable[[RealtimeClient], Awaitable[object]],
) -> tuple[Wire, object]:
    seen: list[Wire] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head, body = await read_http_request(reader)
        seen.append(Wire(head, body))
        writer.write(reply)
        await writer.drain()

    base_url = await raw_server(handler)
    async with RealtimeClient(API_KEY, base_url=base_url, max_retries=0) as client:
        result = await call(client)
    assert len(seen) == 1
    return seen[0], result


COMMON = {
    "Host",
    "Authorization",
    "Content-Type",
    "Accept",
    "Accept-Encoding",
    "User-Agent",
    "Content-Length",
}


def _assert_common(wire: Wire, *, key: str = API_KEY) -> None:
    assert wire.header("Authorization") == f"Bearer {key}"
    assert wire.header("Accept-Encoding") == "gzip, deflate"
    assert wire.header("User-Agent") == USER_AGENT
    assert wire.header("Content-Length") == str(len(wire.body))


async def test_translation_secret_on_the_wire(raw_server) -> None:
    """A compact JSON body under the JSON content type, to the translations path."""
    wire, _ = await _capture(
        raw_server,
        JSON_OK,
        lambda c: c.create_realtime_translation_client_secret({"session": {"model": "m"}}),
    )
    assert wire.request_line == "POST /v1/realtime/translations/client_secrets HTTP/1.1"
    assert wire.names() == COMMON
    _assert_common(wire)
    assert wire.header("Content-Type") == "application/json"
    assert wire.header("Accept") == "application/json"
    assert wire.body == b'{"session":{"model":"m"}}'


async def test_call_offer_form_on_the_wire(raw_server) -> None:
    """Two form parts, each with its disposition and content type, CRLF-framed by the
    boundary named in Content-Type."""
    wire, answer = await _capture(
        raw_server,
        CREATED,
        lambda c: c.create_realtime_call({"sdp": OFFER, "session": {"type": "realtime"}}),
    )
    assert wire.request_line == "POST /v1/realtime/calls HTTP/1.1"
    assert wire.names() == COMMON
    _assert_common(wire)
    match = re.fullmatch(
        r"multipart/form-data; boundary=(realtime-sdk-[0-9a-f]{32})", wire.header("Content-Type")
    )
    assert match is not None
    boundary = match.group(1).encode()
    assert wire.header("Accept") == "application/sdp, application/json"
    assert wire.body == (
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="sdp"\r\n'
        b"Content-Type: application/sdp\r\n\r\n" + OFFER.encode() + b"\r\n"
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="session"\r\n'
        b"Content-Type: application/json\r\n\r\n"
        b'{"type":"realtime"}\r\n'
        b"--" + boundary + b"--\r\n"
    )
    assert answer.call_id == "rtc_new"  # type: ignore[attr-defined]


async def test_call_offer_as_bare_sdp_on_the_wire(raw_server) -> None:
    """Under an ephemeral key the body is the SDP itself and only that key is sent."""
    wire, _ = await _capture(
        raw_server,
        CREATED,
        lambda c: c.create_realtime_call({"sdp": OFFER}, client_secret=EPHEMERAL),
    )
    assert wire.request_line == "POST /v1/realtime/calls HTTP/1.1"
    assert wire.names() == COMMON
    _assert_common(wire, key=EPHEMERAL)
    assert wire.header("Content-Type") == "application/sdp"
    assert wire.body == OFFER.encode()
    assert API_KEY.encode() not in b"".join(f"{k}: {v}".encode() for k, v in wire.headers)


@pytest.mark.parametrize(
    ("call", "path", "body"),
    [
        (
            lambda c: c.accept_realtime_call(
                "rtc_1", {"type": "realtime", "model": "gpt-realtime"}
            ),
            "/v1/realtime/calls/rtc_1/accept",
            b'{"type":"realtime","model":"gpt-realtime"}',
        ),
        (
            lambda c: c.refer_realtime_call("rtc_1", {"target_uri": "tel:+14155550123"}),
            "/v1/realtime/calls/rtc_1/refer",
            b'{"target_uri":"tel:+14155550123"}',
        ),
        (
            lambda c: c.reject_realtime_call("rtc_1", {"status_code": 486}),
            "/v1/realtime/calls/rtc_1/reject",
            b'{"status_code":486}',
        ),
        (lambda c: c.reject_realtime_call("rtc_1"), "/v1/realtime/calls/rtc_1/reject", b"{}"),
        (lambda c: c.hangup_realtime_call("rtc_1"), "/v1/realtime/calls/rtc_1/hangup", b""),
    ],
    ids=["accept", "refer", "reject", "reject-default", "hangup"],
)
async def test_call_changes_on_the_wire(raw_server, call, path, body) -> None:
    """JSON bodies compact under the JSON content type; hang up sends an empty body."""
    wire, result = await _capture(raw_server, EMPTY_OK, call)
    assert result is None
    assert wire.request_line == f"POST {path} HTTP/1.1"
    assert wire.names() == COMMON
    _assert_common(wire)
    # The client's sessions carry the JSON content type as a default; hang up's empty
    # body goes out under it with Content-Length: 0.
    assert wire.header("Content-Type") == "application/json"
    assert wire.body == body


@pytest.mark.parametrize(
    ("call_id", "segment"),
    [
        ("rtc_ABC-123.x~y", "rtc_ABC-123.x~y"),
        ("rtc 1", "rtc%201"),
        ("rtc%2F..", "rtc%252F.."),
        ("rtc+ü", "rtc%2B%C3%BC"),
    ],
)
async def test_call_id_is_percent_encoded_into_one_segment(raw_server, call_id, segment) -> None:
    """The id lands in the request line as one encoded segment; '%' itself is escaped."""
    wire, _ = await _capture(raw_server, EMPTY_OK, lambda c: c.hangup_realtime_call(call_id))
    assert wire.request_line == f"POST /v1/realtime/calls/{segment}/hangup HTTP/1.1"
