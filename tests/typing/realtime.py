"""Type-checked by mypy --strict in CI, never executed: Realtime connections as users see them."""

from typing import assert_type

from realtime_sdk import (
    ConnectionClosedError,
    RealtimeClient,
    ReconnectAttempt,
    SyncRealtimeClient,
)
from realtime_sdk.realtime import (
    RealtimeConnection,
    ServerEvent,
    SyncRealtimeConnection,
)


def on_reconnect(attempt: ReconnectAttempt) -> None:
    assert_type(attempt.attempt, int)
    assert_type(attempt.delay, float)


async def async_connection(client: RealtimeClient) -> None:
    async with client.connect(call_id="rtc_1", reconnect=True, on_reconnect=on_reconnect) as conn:
        assert_type(conn, RealtimeConnection)
        await conn.update_session({"type": "realtime", "instructions": "Be brief."})
        await conn.create_response()
        await conn.append_audio(b"\x00\x01")
        event = await conn.recv()
        assert_type(event, ServerEvent)
        async for later in conn:
            assert_type(later, ServerEvent)
    try:
        await conn.send({"type": "response.create"})
    except ConnectionClosedError as exc:
        assert_type(exc.close_code, int | None)
        assert_type(exc.normal, bool)


def sync_connection(client: SyncRealtimeClient) -> None:
    with client.connect(model="gpt-realtime") as conn:
        assert_type(conn, SyncRealtimeConnection)
        event = conn.recv(timeout=1.0)
        assert_type(event, ServerEvent)
        for later in conn:
            assert_type(later, ServerEvent)
        conn.send_function_call_output("call_1", "{}")
