"""SyncRealtimeClient.connect: the same connection, blocking, on the facade's loop thread."""

import pytest

from realtime_sdk import SyncRealtimeClient
from realtime_sdk._realtime._codec import event_payload
from realtime_sdk._sync._connection import SyncRealtimeConnection
from realtime_sdk.errors import ClientClosedError, NotFoundError
from realtime_sdk.testing import serve_in_thread
from tests.conftest import API_KEY

LIMIT = 10.0
TOOLS = [{"type": "function", "name": "look_up_order", "parameters": {"type": "object"}}]


def until(conn: SyncRealtimeConnection, kind: str) -> list[object]:
    seen: list[object] = []
    while True:
        event = conn.recv(timeout=LIMIT)
        seen.append(event)
        if event.type == kind:
            return seen


def test_a_sync_program_attaches_answers_a_tool_call_and_sees_the_hang_up() -> None:
    """Attach, update, respond, answer the function call; the hang-up ends iteration."""
    with (
        serve_in_thread(api_key=API_KEY) as fake,
        SyncRealtimeClient(API_KEY, base_url=fake.base_url, max_retries=0) as client,
    ):
        call_id = fake.add_incoming_call()
        client.accept_realtime_call(call_id, {"type": "realtime", "model": "gpt-realtime"})
        with client.connect(call_id=call_id) as conn:
            until(conn, "session.created")
            conn.update_session({"type": "realtime", "tools": TOOLS})
            until(conn, "session.updated")
            conn.create_response()
            events = until(conn, "response.done")
            (call,) = [
                event_payload(e)
                for e in events
                if getattr(e, "type", None) == "response.function_call_arguments.done"
            ]
            conn.send_function_call_output(str(call["call_id"]), '{"status": "shipped"}')
            until(conn, "response.done")
            client.hangup_realtime_call(call_id)
            assert list(conn) == []
            assert conn.closed
        assert fake.realtime.connections[0].received[-1] == {"type": "response.create"}


def test_recv_with_a_timeout_leaves_the_connection_usable() -> None:
    """recv(timeout=) raises TimeoutError when nothing comes; the next recv still works."""
    with (
        serve_in_thread(api_key=API_KEY) as fake,
        SyncRealtimeClient(API_KEY, base_url=fake.base_url) as client,
        client.connect(model="gpt-realtime") as conn,
    ):
        until(conn, "session.created")
        with pytest.raises(TimeoutError):
            conn.recv(timeout=0.05)
        conn.update_session({"type": "realtime", "instructions": "Hi"})
        assert conn.recv(timeout=LIMIT).type == "session.updated"


def test_a_refused_handshake_raises_the_status_error() -> None:
    """An unknown call is NotFoundError from the sync facade too."""
    with (
        serve_in_thread(api_key=API_KEY) as fake,
        SyncRealtimeClient(API_KEY, base_url=fake.base_url) as client,
        pytest.raises(NotFoundError),
        client.connect(call_id="rtc_unknown"),
    ):
        pass


def test_closing_the_client_ends_an_open_connection() -> None:
    """A connection left open when the facade closes goes with it; its calls then say so."""
    with serve_in_thread(api_key=API_KEY) as fake:
        client = SyncRealtimeClient(API_KEY, base_url=fake.base_url)
        conn = client.connect(model="gpt-realtime").enter()
        until(conn, "session.created")
        client.close()
        conn.close()  # harmless after the facade is gone
        with pytest.raises(ClientClosedError):
            conn.recv(timeout=LIMIT)
