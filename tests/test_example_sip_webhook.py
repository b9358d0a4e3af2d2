"""The SIP webhook example (examples/sip_webhook.py), run against the fake API."""

import asyncio
import json
import logging
import os
import subprocess
import sys
import urllib.request
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer
from yarl import URL

from realtime_sdk.testing import (
    RING_PATH,
    FakeRealtimeAPI,
    live_call_incoming_event,
    make_webhook_secret,
    realtime_call_incoming_event,
    send_webhook,
    send_webhook_sync,
)
from tests._examples import EXAMPLES, load_example
from tests._processes import background, first_line, free_port, wait_for_port

API_KEY = "sk-example-test-SECRET"
SECRET = make_webhook_secret()


@pytest.fixture
async def fake(monkeypatch) -> AsyncIterator[FakeRealtimeAPI]:
    async with FakeRealtimeAPI(api_key=API_KEY) as server:
        monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_WEBHOOK_SECRET", SECRET)
        monkeypatch.delenv("ALLOWED_CALLERS", raising=False)
        yield server


@pytest.fixture
async def url(fake) -> AsyncIterator[str]:
    """The handler's webhook URL, served on 127.0.0.1."""
    async with TestServer(load_example("sip_webhook").make_app(), host="127.0.0.1") as server:
        yield str(server.make_url("/openai/webhook"))


def call_changes(fake: FakeRealtimeAPI) -> list[str]:
    return [r.path for r in fake.requests if r.path.startswith("/v1/realtime/calls/")]


async def test_an_incoming_call_is_accepted_with_the_session(fake, url):
    """A signed realtime.call.incoming is answered 200 and the call is active with SESSION,
    accepted under the server's API key."""
    call_id = fake.add_incoming_call()
    delivery = await send_webhook(url, realtime_call_incoming_event(call_id), secret=SECRET)
    assert delivery.status == 200
    assert fake.calls[call_id].state == "active"
    assert fake.calls[call_id].session == load_example("sip_webhook").SESSION
    [accept] = fake.requests
    assert accept.path == f"/v1/realtime/calls/{call_id}/accept"
    assert accept.headers["Authorization"] == f"Bearer {API_KEY}"
    assert accept.json == load_example("sip_webhook").SESSION


@pytest.mark.parametrize(
    "tamper",
    [
        {"secret": make_webhook_secret()},
        {"secret": SECRET, "timestamp": 1_600_000_000},
        {"secret": SECRET, "extra_headers": {"webhook-signature": "v1,AAAA"}},
        {"secret": SECRET, "extra_headers": {"webhook-id": ""}},
    ],
    ids=["other-secret", "stale-timestamp", "bad-signature", "no-id"],
)
async def test_an_unverified_delivery_is_refused(fake, url, tamper, caplog):
    """A forged, replayed or incomplete delivery gets a 400; the call keeps ringing, and the
    log names the error class only."""
    call_id = fake.add_incoming_call()
    with caplog.at_level(logging.INFO, logger="sip_webhook"):
        delivery = await send_webhook(url, realtime_call_incoming_event(call_id), **tamper)
    assert delivery.status == 400
    assert fake.calls[call_id].state == "ringing"
    assert fake.requests == []
    [record] = [r for r in caplog.records if r.name == "sip_webhook"]
    assert record.getMessage().startswith("refused a webhook: Webhook")
    assert record.getMessage().endswith("Error")


async def test_a_redelivery_accepts_once(fake, url):
    """The same webhook-id delivered twice is answered 200 both times, with one accept."""
    call_id = fake.add_incoming_call()
    event = realtime_call_incoming_event(call_id)
    first = await send_webhook(url, event, secret=SECRET, msg_id="msg_redelivered")
    again = await send_webhook(url, event, secret=SECRET, msg_id="msg_redelivered")
    assert (first.status, again.status) == (200, 200)
    assert call_changes(fake) == [f"/v1/realtime/calls/{call_id}/accept"]
    assert fake.calls[call_id].state == "active"


async def test_a_second_event_for_an_answered_call_is_not_retried(fake, url):
    """Another delivery for a call that is no longer ringing gets the API's 409 and a 200,
    since a redelivery could not change that."""
    call_id = fake.add_incoming_call()
    event = realtime_call_incoming_event(call_id)
    first = await send_webhook(url, event, secret=SECRET)
    second = await send_webhook(url, event, secret=SECRET)  # a fresh webhook-id
    assert (first.status, second.status) == (200, 200)
    assert [r.status for r in fake.requests] == [200, 409]
    assert fake.calls[call_id].state == "active"


async def test_an_unknown_event_type_is_acknowledged_and_ignored(fake, url):
    """A verified event of a type the handler does not know gets 200 and sends nothing."""
    call_id = fake.add_incoming_call()
    event = {**realtime_call_incoming_event(call_id), "type": "realtime.call.something_new"}
    delivery = await send_webhook(url, event, secret=SECRET)
    assert delivery.status == 200
    assert fake.requests == []
    assert fake.calls[call_id].state == "ringing"


async def test_a_call_announced_twice_is_accepted_once(fake, url, caplog):
    """The live.call.incoming twin of a ringing call is acknowledged; the realtime one accepts."""
    call_id = fake.add_incoming_call()
    with caplog.at_level(logging.INFO, logger="sip_webhook"):
        live = await send_webhook(url, live_call_incoming_event(call_id), secret=SECRET)
        realtime = await send_webhook(url, realtime_call_incoming_event(call_id), secret=SECRET)
    assert (live.status, realtime.status) == (200, 200)
    assert call_changes(fake) == [f"/v1/realtime/calls/{call_id}/accept"]
    assert "ignored a live.call.incoming webhook" in caplog.text


async def test_an_api_failure_is_a_500_logged_without_the_key(fake, url, caplog):
    """Accepting a call the API does not know fails: 500 (OpenAI delivers again), and the
    log line has class, status and request id but not the key."""
    event = realtime_call_incoming_event()  # no such call in the fake
    with caplog.at_level(logging.INFO, logger="sip_webhook"):
        delivery = await send_webhook(url, event, secret=SECRET)
    assert delivery.status == 500
    [refused] = fake.requests
    assert refused.status == 404
    [record] = [r for r in caplog.records if r.name == "sip_webhook"]
    line = record.getMessage()
    assert f"NotFoundError status=404 request_id={refused.request_id}" in line
    assert event["data"]["call_id"] in line
    assert API_KEY not in caplog.text
    assert SECRET not in caplog.text


async def test_a_failed_delivery_is_handled_again_when_redelivered(fake, url):
    """After a 500, the same webhook-id is not remembered: its redelivery accepts the call."""
    call_id = "rtc_" + "ab" * 16
    event = realtime_call_incoming_event(call_id)
    fake.fail_next(1, 503)
    failed = await send_webhook(url, event, secret=SECRET, msg_id="msg_retry")
    fake.add_incoming_call(call_id=call_id)
    retried = await send_webhook(url, event, secret=SECRET, msg_id="msg_retry")
    assert (failed.status, retried.status) == (500, 200)
    assert fake.calls[call_id].state == "active"


async def test_callers_off_the_allow_list_are_declined(fake, monkeypatch):
    """With ALLOWED_CALLERS set, a listed caller is accepted and another one is rejected."""
    monkeypatch.setenv("ALLOWED_CALLERS", "+15550100, alice")
    app = load_example("sip_webhook").make_app()
    listed = fake.add_incoming_call()
    stranger = fake.add_incoming_call()
    async with TestServer(app, host="127.0.0.1") as server:
        url = str(server.make_url("/openai/webhook"))
        ok = await send_webhook(
            url,
            realtime_call_incoming_event(listed, sip_headers=[("From", "<sip:alice@example.com>")]),
            secret=SECRET,
        )
        declined = await send_webhook(
            url,
            realtime_call_incoming_event(
                stranger, sip_headers=[("From", "<sip:+15550111@example.com>;tag=9")]
            ),
            secret=SECRET,
        )
    assert (ok.status, declined.status) == (200, 200)
    assert fake.calls[listed].state == "active"
    assert fake.calls[stranger].state == "ended"
    assert fake.calls[stranger].ended_by == "reject_realtime_call"


@pytest.mark.parametrize("value", [None, "", "sk-proj-NOT-A-WEBHOOK-SECRET", "whsec_!!!"])
def test_a_missing_or_malformed_secret_stops_the_server_at_startup(monkeypatch, value):
    """make_app refuses to build without a usable secret, naming the variable, not the value."""
    module = load_example("sip_webhook")
    if value is None:
        monkeypatch.delenv("OPENAI_WEBHOOK_SECRET", raising=False)
    else:
        monkeypatch.setenv("OPENAI_WEBHOOK_SECRET", value)
    with pytest.raises(module.StartupError, match="OPENAI_WEBHOOK_SECRET") as caught:
        module.make_app()
    if value:
        assert value not in str(caught.value)
        assert value.removeprefix("whsec_") not in str(caught.value)


def user_env(**extra: str) -> dict[str, str]:
    """This environment without OpenAI settings or the allow-list, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ALLOWED_"))}
    return {**env, **extra}


def test_the_script_exits_with_one_line_when_the_secret_is_malformed():
    """Run as a script with a bad secret, it prints one line naming the variable and exits 2."""
    env = user_env(OPENAI_WEBHOOK_SECRET="sk-proj-NOT-A-WEBHOOK-SECRET")
    done = subprocess.run(  # noqa: S603 - our own example, with this interpreter
        [sys.executable, str(EXAMPLES / "sip_webhook.py"), "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("sip_webhook: OPENAI_WEBHOOK_SECRET is not a webhook signing secret")
    assert "NOT-A-WEBHOOK-SECRET" not in done.stderr


LIMIT = 30  # seconds any one step of the script test may take before it fails


def test_the_script_against_the_fake_server():
    """The docstring's walk-through: `realtime-sdk fake-server`, the script pointed at it, a
    call rung through the fake's /_fake/calls, and signed deliveries from send_webhook_sync."""
    with background(
        sys.executable, "-m", "realtime_sdk", "fake-server", "--port", "0", env=user_env()
    ) as server:
        base_url = first_line(server, LIMIT)
        port = free_port()
        env = user_env(
            OPENAI_API_KEY=API_KEY, OPENAI_BASE_URL=base_url, OPENAI_WEBHOOK_SECRET=SECRET
        )
        script = [sys.executable, str(EXAMPLES / "sip_webhook.py"), "--port", str(port)]
        with background(*script, env=env) as handler:
            wait_for_port(port, LIMIT)
            url = f"http://127.0.0.1:{port}/openai/webhook"
            ring = urllib.request.Request(  # noqa: S310 - the fake on 127.0.0.1
                str(URL(base_url).origin()) + RING_PATH, method="POST"
            )
            with urllib.request.urlopen(ring, timeout=LIMIT) as answer:  # noqa: S310 - loopback
                call_id = json.load(answer)["call_id"]
            event = realtime_call_incoming_event(call_id)
            never_rung = realtime_call_incoming_event()
            unknown = {**event, "type": "realtime.call.something_new"}
            statuses = (
                send_webhook_sync(url, event, secret=SECRET).status,
                send_webhook_sync(url, unknown, secret=SECRET).status,
                send_webhook_sync(url, event, secret=make_webhook_secret()).status,
                send_webhook_sync(url, never_rung, secret=SECRET).status,
            )
            handler.terminate()
            _, log = handler.communicate(timeout=LIMIT)
    assert statuses == (200, 200, 400, 500)
    assert f"accepted call {call_id}" in log
    assert f"could not answer call {never_rung['data']['call_id']}: NotFoundError" in log
    assert "refused a webhook: WebhookSignatureError" in log
    assert API_KEY not in log
    assert SECRET not in log


async def _wait_until(condition, limit: float = 10.0) -> None:
    """Poll (bounded) until ``condition()`` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not condition():
        assert loop.time() < deadline, "timed out waiting"
        await asyncio.sleep(0.01)


async def test_after_accepting_it_answers_the_order_tool_and_hangs_up_on_goodbye(fake, url):
    """Attached to the accepted call, the handler gives the model its tool, answers the
    look-up with the order, and hangs up when the caller's transcript says goodbye."""
    call_id = fake.add_incoming_call()
    delivery = await send_webhook(url, realtime_call_incoming_event(call_id), secret=SECRET)
    assert delivery.status == 200
    async with asyncio.timeout(10):
        await fake.realtime.wait_for_connections(1)
    [connection] = fake.realtime.connections
    assert connection.call_id == call_id
    await _wait_until(lambda: len(connection.received) >= 4)
    update, greet, output, follow_up = connection.received[:4]
    assert update["session"]["tools"] == [load_example("sip_webhook").LOOK_UP_ORDER]
    assert greet == follow_up == {"type": "response.create"}
    assert output["item"]["type"] == "function_call_output"
    assert json.loads(output["item"]["output"]) == {"status": "shipped", "arrives": "tomorrow"}
    await fake.realtime.say_as_caller("Great, thanks. Goodbye!", call_id)
    await _wait_until(lambda: fake.calls[call_id].state == "ended")
    assert fake.calls[call_id].ended_by == "hangup_realtime_call"
    await _wait_until(lambda: connection.ws.closed)
