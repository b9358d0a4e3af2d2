"""Realtime connections against the fake: attach to a call or open a session, and every ending."""

import asyncio
import base64
import logging
import subprocess
import sys
from collections.abc import AsyncIterator

import pytest

from realtime_sdk import AzureRealtimeClient, RealtimeClient, events
from realtime_sdk._realtime import RealtimeConnection, ServerEvent
from realtime_sdk._realtime._codec import event_payload
from realtime_sdk._reconnect import ReconnectAttempt
from realtime_sdk._unknown import UnknownVariant
from realtime_sdk.errors import (
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    ConnectionClosedError,
    HeartbeatTimeoutError,
    MessageTooLargeError,
    NotFoundError,
    RequestValidationError,
)
from realtime_sdk.testing import FakeRealtimeAPI
from tests.conftest import API_KEY

LIMIT = 10.0  # seconds any one test may spend waiting on the network
TOOLS = [{"type": "function", "name": "look_up_order", "parameters": {"type": "object"}}]


@pytest.fixture
async def fake() -> AsyncIterator[FakeRealtimeAPI]:
    async with FakeRealtimeAPI(api_key=API_KEY) as server:
        yield server


@pytest.fixture
async def client(fake: FakeRealtimeAPI) -> AsyncIterator[RealtimeClient]:
    async with RealtimeClient(API_KEY, base_url=fake.base_url, max_retries=0) as c:
        yield c


async def accepted_call(fake: FakeRealtimeAPI, client: RealtimeClient) -> str:
    call_id = fake.add_incoming_call(sip_headers={"From": "sip:+15550100@example.com"})
    await client.accept_realtime_call(
        call_id, {"type": "realtime", "model": "gpt-realtime", "instructions": "Be brief."}
    )
    return call_id


def payload(event: ServerEvent) -> dict[str, object]:
    return dict(event_payload(event))


async def drain(conn: RealtimeConnection) -> list[ServerEvent]:
    """Every event left, to the end of the connection (a normal end stops quietly)."""
    async with asyncio.timeout(LIMIT):
        return [event async for event in conn]


async def recv_forever(conn: RealtimeConnection) -> None:
    """Receive until recv raises."""
    while True:
        await asyncio.wait_for(conn.recv(), LIMIT)


async def append_until_stuck(conn: RealtimeConnection, chunk: bytes) -> None:
    """Send audio until a send fails (at most 64 chunks)."""
    async with asyncio.timeout(LIMIT):
        for _ in range(64):
            await conn.append_audio(chunk)


async def until(conn: RealtimeConnection, kind: str) -> list[ServerEvent]:
    """Every event up to and including the first of type ``kind``."""
    seen: list[ServerEvent] = []
    async with asyncio.timeout(LIMIT):
        async for event in conn:
            seen.append(event)
            if event.type == kind:
                return seen
    pytest.fail(f"the connection ended before {kind}")


async def test_sideband_attaches_to_an_accepted_call_and_sees_its_session(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """session.created carries the session the call was accepted with."""
    call_id = await accepted_call(fake, client)
    async with client.connect(call_id=call_id) as conn:
        first = await asyncio.wait_for(conn.recv(), LIMIT)
    assert first.type == "session.created"
    session = payload(first)["session"]
    assert isinstance(session, dict)
    assert session["instructions"] == "Be brief."
    assert fake.realtime.connections[0].call_id == call_id


async def test_a_full_turn_with_a_function_call_then_hang_up_ends_the_iteration(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """Update, respond, answer the tool call, respond again; hanging up ends `async for` quietly."""
    call_id = await accepted_call(fake, client)
    async with client.connect(call_id=call_id) as conn:
        await until(conn, "session.created")
        await conn.update_session({"type": "realtime", "tools": TOOLS})
        await until(conn, "session.updated")
        await conn.create_response()
        events = await until(conn, "response.done")
        done = [e for e in events if e.type == "response.function_call_arguments.done"]
        assert len(done) == 1
        call = payload(done[0])
        assert call["name"] == "look_up_order"
        await conn.send_function_call_output(str(call["call_id"]), '{"status": "shipped"}')
        events = await until(conn, "response.done")
        transcript = "".join(
            str(payload(e)["delta"])
            for e in events
            if e.type == "response.output_audio_transcript.delta"
        )
        assert "goodbye" in transcript
        await client.hangup_realtime_call(call_id)
        assert await drain(conn) == []
        with pytest.raises(ConnectionClosedError) as info:
            await conn.recv()
    assert info.value.close_code == 1000
    sent = fake.realtime.connections[0].received
    assert sent[0] == {"type": "session.update", "session": {"type": "realtime", "tools": TOOLS}}
    assert sent[2]["item"] == {
        "type": "function_call_output",
        "call_id": call["call_id"],
        "output": '{"status": "shipped"}',
    }
    assert sent[3] == {"type": "response.create"}


async def test_a_direct_session_sends_audio_as_base64(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """append_audio takes bytes and puts base64 on the wire; commit and clear are bare events."""
    audio = bytes(range(256)) * 4
    async with client.connect(model="gpt-realtime") as conn:
        await until(conn, "session.created")
        await conn.append_audio(audio)
        await conn.commit_audio()
        await until(conn, "input_audio_buffer.committed")
        await conn.clear_audio()
        await until(conn, "input_audio_buffer.cleared")
        await conn.cancel_response()
    received = fake.realtime.connections[0].received
    assert received[0] == {
        "type": "input_audio_buffer.append",
        "audio": base64.b64encode(audio).decode("ascii"),
    }
    assert [e["type"] for e in received[1:]] == [
        "input_audio_buffer.commit",
        "input_audio_buffer.clear",
        "response.cancel",
    ]
    assert fake.realtime.connections[0].model == "gpt-realtime"


async def test_exactly_one_of_call_id_and_model(client: RealtimeClient) -> None:
    """Neither or both is refused before any I/O."""
    with pytest.raises(RequestValidationError, match="exactly one of call_id"):
        client.connect()
    with pytest.raises(RequestValidationError, match="exactly one of call_id"):
        client.connect(call_id="rtc_1", model="gpt-realtime")
    with pytest.raises(RequestValidationError, match="call_id"):
        client.connect(call_id="../x")


async def test_an_unknown_call_is_refused_with_not_found_and_a_request_id(
    client: RealtimeClient,
) -> None:
    """A handshake for a call the server does not hold raises NotFoundError."""
    with pytest.raises(NotFoundError) as info:
        async with client.connect(call_id="rtc_nosuchcall"):
            pass
    assert info.value.status_code == 404
    assert info.value.request_id is not None
    assert info.value.request_id.startswith("req_")
    assert "rtc_nosuchcall" in str(info.value)


async def test_a_ringing_or_ended_call_is_refused(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """Only an active call can be attached to."""
    ringing = fake.add_incoming_call()
    with pytest.raises(NotFoundError):
        await client.connect(call_id=ringing).enter()
    call_id = await accepted_call(fake, client)
    await client.hangup_realtime_call(call_id)
    with pytest.raises(NotFoundError):
        await client.connect(call_id=call_id).enter()


async def test_a_wrong_key_is_refused_with_authentication_error(fake: FakeRealtimeAPI) -> None:
    """A 401 on the handshake is the REST AuthenticationError; the key is in no message."""
    wrong = "sk-wrong-key-0123456789abcdef"
    async with RealtimeClient(wrong, base_url=fake.base_url) as client:
        with pytest.raises(AuthenticationError) as info:
            await client.connect(model="gpt-realtime").enter()
    assert info.value.status_code == 401
    assert wrong not in str(info.value)
    assert wrong not in repr(info.value)
    assert info.value.__cause__ is None
    assert info.value.__context__ is None


async def test_an_ephemeral_key_opens_a_session_without_the_api_key(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """client_secret= authenticates the handshake with the ek_ key instead."""
    secret = await client.create_realtime_client_secret({"session": {"type": "realtime"}})
    async with client.connect(model="gpt-realtime", client_secret=secret.value) as conn:
        event = await asyncio.wait_for(conn.recv(), LIMIT)
    assert event.type == "session.created"
    assert secret.value.reveal() not in repr(conn)


async def test_a_key_provider_is_asked_for_the_handshake(fake: FakeRealtimeAPI) -> None:
    """A rotating key provider supplies the handshake's key."""
    asked: list[int] = []

    def provider() -> str:
        asked.append(1)
        return API_KEY

    async with (
        RealtimeClient(provider, base_url=fake.base_url) as client,
        client.connect(model="gpt-realtime") as conn,
    ):
        assert (await asyncio.wait_for(conn.recv(), LIMIT)).type == "session.created"
    assert asked


async def test_azure_clients_connect_with_their_api_key_header() -> None:
    """An Azure client's handshake carries api-key, on the v1 path."""
    async with (
        FakeRealtimeAPI(api_key=API_KEY, azure=True) as fake,
        AzureRealtimeClient(API_KEY, azure_endpoint=fake.azure_endpoint) as client,
        client.connect(model="gpt-realtime") as conn,
    ):
        assert (await asyncio.wait_for(conn.recv(), LIMIT)).type == "session.created"


async def test_server_error_events_and_unknown_types_arrive_as_events(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """A refused request draws an error event; a new event type is kept whole."""
    async with client.connect(model="gpt-realtime") as conn:
        await until(conn, "session.created")
        await conn.cancel_response()  # nothing in progress: the server says so
        (error,) = await until(conn, "error")
        await fake.realtime.send_event({"type": "brand.new.event", "x": [1]}, check=False)
        (new,) = await until(conn, "brand.new.event")
    body = payload(error)["error"]
    assert isinstance(body, dict)
    assert body["code"] == "response_cancel_not_active"
    assert isinstance(new, UnknownVariant)
    assert payload(new) == {
        "type": "brand.new.event",
        "x": [1],
        "event_id": payload(new)["event_id"],
    }


async def test_known_events_are_typed(fake: FakeRealtimeAPI, client: RealtimeClient) -> None:
    """A known server event is read into its generated class."""
    async with client.connect(model="gpt-realtime") as conn:
        created = await asyncio.wait_for(conn.recv(), LIMIT)
    assert isinstance(created, events.RealtimeServerEventSessionCreated)


async def test_a_bad_client_event_is_refused_before_sending(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """A field out of the spec, no type, not an event: each refused with its path, nothing sent."""
    async with client.connect(model="gpt-realtime") as conn:
        await until(conn, "session.created")
        with pytest.raises(RequestValidationError) as info:
            await conn.send({"type": "response.create", "response": {"max_output_tokens": "lots"}})
        with pytest.raises(RequestValidationError):
            await conn.send({"type": 5})
        with pytest.raises(RequestValidationError):
            await conn.send(["not", "an", "event"])  # type: ignore[arg-type]
        with pytest.raises(RequestValidationError):
            await conn.append_audio("text")  # type: ignore[arg-type]
    assert [error.path for error in info.value.errors] == ["response.max_output_tokens"]
    assert "lots" not in str(info.value)
    assert fake.realtime.connections[0].received == []


async def test_a_server_close_code_is_raised_with_its_reason(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """A close with 4001 ends iteration with ConnectionClosedError(4001, reason)."""
    async with client.connect(model="gpt-realtime") as conn:
        await until(conn, "session.created")
        await fake.realtime.close(4001, "session expired")
        with pytest.raises(ConnectionClosedError) as info:
            await drain(conn)
        with pytest.raises(ConnectionClosedError):
            await conn.send({"type": "response.create"})
    assert info.value.close_code == 4001
    assert info.value.reason == "session expired"
    assert "4001" in str(info.value)


async def test_a_dropped_network_is_a_closed_error_without_a_code(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """A connection cut without a closing handshake says so."""
    async with client.connect(model="gpt-realtime") as conn:
        await until(conn, "session.created")
        fake.realtime.drop()
        with pytest.raises(ConnectionClosedError) as info:
            await asyncio.wait_for(conn.recv(), LIMIT)
    assert not info.value.normal
    assert info.value.close_code in {None, 1006}


async def test_an_unanswered_ping_ends_the_connection(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """With the server stalled, the heartbeat gives up with HeartbeatTimeoutError."""
    async with client.connect(model="gpt-realtime", heartbeat=0.2) as conn:
        await until(conn, "session.created")
        fake.realtime.stall(5.0)
        with pytest.raises(HeartbeatTimeoutError):
            await asyncio.wait_for(conn.recv(), LIMIT)


async def test_a_message_over_the_limit_ends_the_connection(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """A server message over max_message_size raises MessageTooLargeError (1009)."""
    async with client.connect(model="gpt-realtime", max_message_size=4096) as conn:
        await until(conn, "session.created")
        await fake.realtime.send_text('{"type": "x", "pad": "' + "a" * 8192 + '"}')
        with pytest.raises(MessageTooLargeError) as info:
            await asyncio.wait_for(conn.recv(), LIMIT)
    assert info.value.close_code == 1009


async def test_a_message_that_is_not_json_closes_with_a_clear_error(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """Text that is not a JSON object ends the connection; the text is not quoted."""
    async with client.connect(model="gpt-realtime") as conn:
        await until(conn, "session.created")
        await fake.realtime.send_text("sk-not-json-SECRET")
        with pytest.raises(ConnectionClosedError) as info:
            await asyncio.wait_for(conn.recv(), LIMIT)
    assert "not JSON" in str(info.value)
    assert "SECRET" not in str(info.value)


async def test_a_small_queue_loses_nothing_when_the_reader_falls_behind(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """With max_queued_events=2, 50 events still arrive, all of them, in order."""
    async with client.connect(model="gpt-realtime", max_queued_events=2) as conn:
        await until(conn, "session.created")
        for index in range(50):
            await fake.realtime.send_event({"type": "test.numbered", "n": index}, check=False)
        await asyncio.sleep(0.05)  # let the reader fill the queue and stop
        got = [payload(await asyncio.wait_for(conn.recv(), LIMIT))["n"] for _ in range(50)]
    assert got == list(range(50))


async def test_a_send_to_a_server_that_does_not_read_times_out(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """send_timeout bounds a send; the connection is then closed."""
    chunk = b"\0" * (1024 * 1024)
    async with client.connect(model="gpt-realtime", send_timeout=0.2, heartbeat=None) as conn:
        await until(conn, "session.created")
        fake.realtime.stall(30.0)
        with pytest.raises(APITimeoutError):
            await append_until_stuck(conn, chunk)
        assert conn.closed
        with pytest.raises(ConnectionClosedError):
            await conn.commit_audio()


async def test_cancelling_a_waiting_recv_leaves_the_connection_usable(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """A recv cancelled while it waits takes no event with it."""
    async with client.connect(model="gpt-realtime") as conn:
        await until(conn, "session.created")
        waiting = asyncio.create_task(conn.recv())
        await asyncio.sleep(0.01)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        await conn.update_session({"type": "realtime", "instructions": "Hi"})
        event = await asyncio.wait_for(conn.recv(), LIMIT)
    assert event.type == "session.updated"


async def test_closing_twice_is_harmless_and_recv_then_raises(client: RealtimeClient) -> None:
    """After close, recv raises a normal ConnectionClosedError; close again does nothing."""
    conn = await client.connect(model="gpt-realtime").enter()
    await conn.close()
    await conn.close()
    assert conn.closed
    with pytest.raises(ConnectionClosedError) as info:
        await recv_forever(conn)
    assert info.value.normal


async def test_no_key_or_audio_in_logs_or_reprs(
    fake: FakeRealtimeAPI, client: RealtimeClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Debug logging of a connection shows neither the API key nor audio."""
    caplog.set_level(logging.DEBUG)
    audio = b"AUDIO-PAYLOAD" * 10
    manager = client.connect(model="gpt-realtime", extra_headers={"X-Trace": "1"})
    async with manager as conn:
        await until(conn, "session.created")
        await conn.append_audio(audio)
        await fake.realtime.close(4000, "bye")
        with pytest.raises(ConnectionClosedError) as info:
            await asyncio.wait_for(conn.recv(), LIMIT)
    encoded = base64.b64encode(audio).decode("ascii")
    for text in (caplog.text, repr(conn), repr(manager), repr(info.value), str(info.value)):
        assert API_KEY not in text
        assert encoded not in text


def test_importing_the_package_does_not_load_connections() -> None:
    """The connection modules load on the first connect, not on import."""
    code = "import sys, realtime_sdk; print('realtime_sdk._realtime' in sys.modules)"
    out = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "False"


async def test_a_dropped_call_connection_reconnects_and_the_hook_sees_the_try(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """With reconnect=True a drop is followed by a new socket; events and sends carry on."""
    call_id = await accepted_call(fake, client)
    tries: list[ReconnectAttempt] = []
    async with client.connect(call_id=call_id, reconnect=True, on_reconnect=tries.append) as conn:
        await until(conn, "session.created")
        fake.realtime.drop()
        await until(conn, "session.created")  # the new socket's first event
        await conn.update_session({"type": "realtime", "instructions": "Again"})
        await until(conn, "session.updated")
    assert [t.attempt for t in tries] == [1]
    assert isinstance(tries[0].error, ConnectionClosedError)
    assert len(fake.realtime.connections) == 2
    assert fake.realtime.connections[1].received[0]["type"] == "session.update"


async def test_reconnecting_stops_when_the_call_has_ended(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """A 404 on the new handshake (the call is gone) ends the connection at once."""
    call_id = await accepted_call(fake, client)
    tries: list[ReconnectAttempt] = []
    async with client.connect(call_id=call_id, reconnect=True, on_reconnect=tries.append) as conn:
        await until(conn, "session.created")
        fake.calls[call_id].state = "ended"  # ended while the network was down
        fake.realtime.drop()
        with pytest.raises(ConnectionClosedError, match="call has ended") as info:
            await drain(conn)
    assert isinstance(info.value.__cause__, NotFoundError)
    assert len(tries) == 1


async def test_reconnecting_gives_up_at_the_deadline(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """With the server gone, tries stop once reconnect_deadline has passed."""
    call_id = await accepted_call(fake, client)
    tries: list[ReconnectAttempt] = []
    async with client.connect(
        call_id=call_id, reconnect=True, reconnect_deadline=1.0, on_reconnect=tries.append
    ) as conn:
        await until(conn, "session.created")
        await fake.close()
        with pytest.raises(ConnectionClosedError, match="gave up reconnecting"):
            await drain(conn)
    assert tries
    assert all(t.deadline_in <= 1.0 for t in tries)


async def test_a_hook_that_raises_stops_reconnecting(
    fake: FakeRealtimeAPI, client: RealtimeClient
) -> None:
    """An exception from on_reconnect ends the connection, with it as the cause."""
    call_id = await accepted_call(fake, client)

    def refuse(_: ReconnectAttempt) -> None:
        raise RuntimeError

    async with client.connect(call_id=call_id, reconnect=True, on_reconnect=refuse) as conn:
        await until(conn, "session.created")
        fake.realtime.drop()
        with pytest.raises(ConnectionClosedError, match="hook raised") as info:
            await drain(conn)
    assert isinstance(info.value.__cause__, RuntimeError)


async def test_reconnect_is_only_for_call_connections(client: RealtimeClient) -> None:
    """A model= session cannot be reopened: reconnect=True is refused up front."""
    with pytest.raises(ConfigurationError, match="reconnect"):
        client.connect(model="gpt-realtime", reconnect=True)
