"""A SIP webhook handler: OpenAI posts ``realtime.call.incoming`` to /openai/webhook when a
phone call reaches your SIP trunk; the server verifies the delivery and accepts the call
with its own session (or declines it, when ALLOWED_CALLERS is set and the caller is not on it).

Settings (read at startup): OPENAI_API_KEY, OPENAI_WEBHOOK_SECRET (the endpoint's
``whsec_...`` signing secret), optionally OPENAI_BASE_URL and ALLOWED_CALLERS (a
comma-separated list of caller numbers or SIP users, e.g. ``+15550100,alice``).

Try it against the fake API (no OpenAI account needed): start the fake, the handler,
ring a call in the fake (its ``POST /_fake/calls`` stands in for a phone calling your SIP
trunk), and deliver the signed ``realtime.call.incoming`` event OpenAI would send for it:
    realtime-sdk fake-server --port 8787 &
    export OPENAI_WEBHOOK_SECRET=$(python -c "from realtime_sdk.testing import make_webhook_secret; print(make_webhook_secret())")
    OPENAI_API_KEY=sk-local OPENAI_BASE_URL=http://127.0.0.1:8787/v1 python examples/sip_webhook.py &
    export CALL_ID=$(python -c "import json, urllib.request as u; print(json.load(u.urlopen(u.Request('http://127.0.0.1:8787/_fake/calls', method='POST')))['call_id'])")
    python -c "import os; from realtime_sdk.testing import *; print(send_webhook_sync('http://127.0.0.1:8080/openai/webhook', realtime_call_incoming_event(os.environ['CALL_ID']), secret=os.environ['OPENAI_WEBHOOK_SECRET']).status)"
The delivery gets 200 and the handler's log says the call was accepted, then that it
attached to the call: over that connection (``GET /realtime?call_id=``) it gives the model
an order look-up tool, answers the model's look-ups, logs the transcript, and hangs up once
the caller says goodbye (``realtime-sdk call watch $CALL_ID`` shows the same transcript
from another terminal). A delivery signed with another secret gets 400, and one for a call the fake never rang gets 500 (the accept
is a 404; OpenAI would deliver again later). ``--port`` picks another port.

A missing or unusable setting (no OPENAI_API_KEY, say) stops it with one line on stderr
and exit status 2; a port already in use, with one line and exit status 1.
"""

import argparse
import asyncio
import json
import logging
import os
import re
import socket
import sys
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from realtime_sdk import RealtimeClient, RealtimeSDKError, Secret, events
from realtime_sdk.errors import (
    ConfigurationError,
    ConflictError,
    WebhookHeaderError,
    WebhookSecretError,
)
from realtime_sdk.webhooks import WebhookRealtimeCallIncoming, WebhookVerificationError, unwrap

# The session every accepted call is answered with.
SESSION = {
    "type": "realtime",
    "model": "gpt-realtime",
    "instructions": "You answer the phone for a small shop. Be brief and friendly.",
}
SECRET_VARIABLE = "OPENAI_WEBHOOK_SECRET"  # noqa: S105 - the variable's name, not a secret
# A webhook is a few kilobytes of JSON; anything much larger is not one.
MAX_WEBHOOK_BYTES = 64 * 1024
# How many delivery ids to remember; OpenAI redelivers within days, not millions of calls.
RECENT_DELIVERIES = 10_000
log = logging.getLogger("sip_webhook")
# The tool the model may call during the conversation, and the orders it looks up.
LOOK_UP_ORDER = {
    "type": "function",
    "name": "look_up_order",
    "description": "Find an order by its id and say where it is.",
    "parameters": {
        "type": "object",
        "properties": {"order_id": {"type": "string"}},
        "required": ["order_id"],
    },
}
ORDERS = {"A-1001": {"status": "shipped", "arrives": "tomorrow"}}
# What the caller said, transcribed (the event class's name is the spec's).
CALLER_SAID = events.RealtimeServerEventConversationItemInputAudioTranscriptionCompleted


class StartupError(Exception):
    """A setting the server cannot run without is missing or malformed."""


class Deliveries:
    """The outcome of each recent delivery by ``webhook-id``, so a redelivery is acted on once.

    A redelivery that arrives while the first is still being handled waits for it and gets
    the same answer. A failed one (5xx) is forgotten, so OpenAI's next try is handled anew.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._outcomes: OrderedDict[str, asyncio.Task[int]] = OrderedDict()

    async def once(self, msg_id: str, handle: Callable[[], Awaitable[int]]) -> int:
        task = self._outcomes.get(msg_id)
        if task is None:
            task = asyncio.ensure_future(handle())
            self._outcomes[msg_id] = task
            while len(self._outcomes) > self._limit:
                self._outcomes.popitem(last=False)
        try:
            # shield: OpenAI hanging up on a slow answer must not cancel an accept under way.
            status = await asyncio.shield(task)
        except Exception:
            self._forget(msg_id, task)
            raise
        if status >= web.HTTPInternalServerError.status_code:
            self._forget(msg_id, task)
        return status

    def _forget(self, msg_id: str, task: asyncio.Task[int]) -> None:
        if self._outcomes.get(msg_id) is task:
            del self._outcomes[msg_id]


CLIENT = web.AppKey("client", RealtimeClient)
WEBHOOK_SECRET = web.AppKey("webhook_secret", Secret)
ALLOWED = web.AppKey("allowed_callers", frozenset[str])
DELIVERIES = web.AppKey("deliveries", Deliveries)
CONVERSATIONS = web.AppKey("conversations", set[asyncio.Task[None]])


async def openai_webhook(request: web.Request) -> web.Response:
    """POST /openai/webhook: verify the delivery, then act on it once."""
    body = await request.read()  # the raw bytes: parsed and re-encoded JSON no longer verifies
    try:
        event = unwrap(body, request.headers, secret=request.app[WEBHOOK_SECRET])
    except WebhookVerificationError as exc:
        # The class says what was wrong; the message and body stay out of the log.
        log.warning("refused a webhook: %s", type(exc).__name__)
        return web.Response(status=400, text="not a verified webhook")
    if not isinstance(event, WebhookRealtimeCallIncoming):
        # A 200 for event types this server does not handle: anything else makes OpenAI
        # deliver them again and again. (live.call.incoming announces the same call for the
        # Live API; this server answers it through realtime.call.incoming.)
        log.info("ignored a %s webhook", event.type)
        return web.Response(status=200)
    msg_id = request.headers["webhook-id"]  # unwrap checked it is there
    status = await request.app[DELIVERIES].once(msg_id, lambda: answer_call(request.app, event))
    return web.Response(status=status)


async def answer_call(app: web.Application, event: WebhookRealtimeCallIncoming) -> int:
    """Accept (or decline) the call an incoming-call event announces; the HTTP status to send."""
    if event.data is None or event.data.call_id is None:
        log.warning("a realtime.call.incoming webhook without a call id; ignored")
        return 200
    call_id = event.data.call_id
    caller = caller_of(event)
    allowed = app[ALLOWED]
    try:
        if allowed and caller not in allowed:
            log.info("declining call %s from %s", call_id, caller or "an unknown caller")
            await app[CLIENT].reject_realtime_call(call_id)  # no body: the service's 603 Decline
        else:
            await app[CLIENT].accept_realtime_call(call_id, SESSION)
            log.info("accepted call %s from %s", call_id, caller or "an unknown caller")
            start_conversation(app, call_id)
    except ConflictError:
        # The call is no longer ringing: answered already (say, by an earlier delivery
        # whose answer was lost on the way back) or ended. Trying again cannot help.
        log.info("call %s was no longer ringing", call_id)
        return 200
    except RealtimeSDKError as exc:
        # A 500 makes OpenAI deliver the webhook again later, and Deliveries forgets this
        # one, so the next delivery tries once more. SDK messages never hold the API key.
        log.warning(
            "could not answer call %s: %s status=%s request_id=%s: %s",
            call_id,
            type(exc).__name__,
            getattr(exc, "status_code", None),
            getattr(exc, "request_id", None),
            exc,
        )
        return 500
    return 200


def start_conversation(app: web.Application, call_id: str) -> None:
    """Run `converse` for an accepted call in the background, for as long as the call lasts."""
    tasks = app[CONVERSATIONS]
    task = asyncio.create_task(converse(app[CLIENT], call_id))
    tasks.add(task)
    task.add_done_callback(tasks.discard)


async def converse(client: RealtimeClient, call_id: str) -> None:
    """Attach to the call, answer the model's order look-ups, hang up on the caller's goodbye."""
    try:
        async with client.connect(call_id=call_id, reconnect=True) as connection:
            log.info("attached to call %s", call_id)
            await connection.update_session({"type": "realtime", "tools": [LOOK_UP_ORDER]})
            await connection.create_response()  # greet the caller
            async for event in connection:
                if isinstance(event, events.RealtimeServerEventResponseFunctionCallArgumentsDone):
                    output = look_up_order(event.arguments)
                    await connection.send_function_call_output(event.call_id, output)
                elif isinstance(event, CALLER_SAID):
                    log.info("call %s caller: %s", call_id, event.transcript)
                    if "goodbye" in event.transcript.lower():
                        await client.hangup_realtime_call(call_id)
                elif isinstance(event, events.RealtimeServerEventResponseDone):
                    log.info("call %s: the model answered (%s)", call_id, event.response.status)
                elif isinstance(event, events.RealtimeServerEventError):
                    log.warning("call %s: the service reported %s", call_id, event.error.message)
        log.info("call %s ended", call_id)
    except RealtimeSDKError as exc:
        log.warning("lost call %s: %s: %s", call_id, type(exc).__name__, exc)


def look_up_order(arguments: str) -> str:
    """The tool: the order's status as JSON text, or an error the model can read out."""
    try:
        order_id = json.loads(arguments).get("order_id")
    except (ValueError, AttributeError):
        return json.dumps({"error": "arguments were not a JSON object"})
    order = ORDERS.get(order_id) if isinstance(order_id, str) else None
    return json.dumps(order if order is not None else {"error": f"no order {order_id}"})


# The user part of the From header's SIP or tel URI: "+15550100" in "<sip:+15550100@host>;tag=1".
_CALLER = re.compile(r"(?:sips?|tel):([^@;>]+)")


def caller_of(event: WebhookRealtimeCallIncoming) -> str | None:
    """Who is calling, from the INVITE's From header; None when it does not say."""
    headers = event.data.sip_headers if event.data is not None else None
    for header in headers or []:
        if (header.name or "").lower() == "from" and (found := _CALLER.search(header.value or "")):
            return found.group(1)
    return None


def settings_from_env() -> tuple[Secret, frozenset[str]]:
    """The webhook secret and the caller allow-list, checked before the server starts.

    Raises:
        StartupError: the secret is missing or not ``whsec_`` followed by base64 (the
            message never shows it).
    """
    value = os.environ.get(SECRET_VARIABLE, "").strip()
    if not value:
        msg = f"{SECRET_VARIABLE} is not set: give it the endpoint's signing secret (whsec_...)"
        raise StartupError(msg)
    secret = Secret(value)
    try:
        # unwrap and verify check the secret's form before anything else, so a delivery
        # with no headers tells a bad secret (WebhookSecretError) from a good one.
        unwrap(b"", {}, secret=secret)
    except WebhookSecretError as exc:
        msg = f"{SECRET_VARIABLE} is not a webhook signing secret: {exc}"
        raise StartupError(msg) from None
    except WebhookHeaderError:
        pass
    allowed = os.environ.get("ALLOWED_CALLERS", "")
    return secret, frozenset(part.strip() for part in allowed.split(",") if part.strip())


async def realtime_client(app: web.Application) -> AsyncIterator[None]:
    # One pooled client for the app's lifetime: built (and its settings checked) by
    # make_app, its connection pool opened inside the server's event loop.
    async with app[CLIENT]:
        yield
        # Leave the calls' connections before the client (and its pool) closes.
        for task in list(app[CONVERSATIONS]):
            task.cancel()
        await asyncio.gather(*app[CONVERSATIONS], return_exceptions=True)


def make_app() -> web.Application:
    """The handler's app; reads and checks its settings first (see `settings_from_env`)."""
    secret, allowed = settings_from_env()
    app = web.Application(client_max_size=MAX_WEBHOOK_BYTES)
    app[CLIENT] = RealtimeClient()
    app[WEBHOOK_SECRET] = secret
    app[ALLOWED] = allowed
    app[DELIVERIES] = Deliveries(RECENT_DELIVERIES)
    app[CONVERSATIONS] = set()
    app.cleanup_ctx.append(realtime_client)
    app.add_routes([web.post("/openai/webhook", openai_webhook)])
    return app


def listen(port: int) -> socket.socket:
    """A socket listening on 127.0.0.1:`port`, or one line on stderr and exit status 1."""
    try:
        return socket.create_server(("127.0.0.1", port))
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        sys.exit(f"sip_webhook: cannot listen on 127.0.0.1:{port}: {reason} (--port picks another)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Serve the SIP webhook handler on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8080, help="(default: %(default)s)")
    port = parser.parse_args().port
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        webhook_app = make_app()
    except (StartupError, ConfigurationError) as exc:
        parser.exit(2, f"sip_webhook: {exc}\n")
    web.run_app(webhook_app, sock=listen(port))
