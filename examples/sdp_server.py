"""A WebRTC backend: the browser posts its SDP offer to /call, the server opens the call with
OpenAI under its API key and hands back OpenAI's SDP answer. No key of any kind reaches the
browser; the page at / does the WebRTC side.

Try it against the fake API (no OpenAI account needed):
    realtime-sdk fake-server --port 8787 &
    OPENAI_API_KEY=sk-local OPENAI_BASE_URL=http://127.0.0.1:8787/v1 python examples/sdp_server.py
then open http://127.0.0.1:8080/ (``--port`` picks another port). The fake's answer is not
from a real peer, so the page gets as far as "answered".

Once a call is open, the server attaches to it as well (``GET /realtime?call_id=``, under
its API key) and logs the conversation's transcript, caller and assistant, until the call
ends; the browser keeps the audio, the server keeps the record.

A missing or unusable setting (no OPENAI_API_KEY, say) stops it with one line on stderr
and exit status 2; a port already in use, with one line and exit status 1.
"""

import argparse
import asyncio
import logging
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from realtime_sdk import (
    ConfigurationError,
    RealtimeClient,
    RealtimeSDKError,
    RequestValidationError,
    events,
)

CLIENT = web.AppKey("client", RealtimeClient)
CALLS = web.AppKey("calls", set[str])
TRANSCRIPTS = web.AppKey("transcripts", set[asyncio.Task[None]])
# The transcript's events: what the caller said, and the assistant's words as they come.
CALLER_SAID = events.RealtimeServerEventConversationItemInputAudioTranscriptionCompleted
SPOKEN = (
    events.RealtimeServerEventResponseAudioTranscriptDelta,
    events.RealtimeServerEventResponseTextDelta,
)
# The session every call opens with; the browser cannot change it.
SESSION = {"type": "realtime", "model": "gpt-realtime", "instructions": "Be brief and friendly."}
# An SDP offer is a few kilobytes; anything much larger is not one.
MAX_OFFER_BYTES = 64 * 1024
log = logging.getLogger("sdp_server")


async def call(request: web.Request) -> web.Response:
    """POST /call: an SDP offer in, OpenAI's SDP answer out (and the call id, to hang up)."""
    if request.content_length is not None and request.content_length > MAX_OFFER_BYTES:
        return web.Response(status=413, text="offer too large")
    offer = await request.text()
    if not offer.startswith("v=0"):
        return web.Response(status=400, text="expected an SDP offer")
    try:
        answer = await request.app[CLIENT].create_realtime_call({"sdp": offer, "session": SESSION})
    except RequestValidationError as exc:
        return web.Response(status=400, text=f"bad offer: {exc.errors[0]}")
    except RealtimeSDKError as exc:
        # Details go to the server log (SDK messages never hold a key), not to the browser.
        log.warning("could not open a call: %s: %s", type(exc).__name__, exc)
        return web.Response(status=502, text="could not open a call")
    request.app[CALLS].add(answer.call_id)
    watching = asyncio.create_task(log_transcript(request.app[CLIENT], answer.call_id))
    request.app[TRANSCRIPTS].add(watching)
    watching.add_done_callback(request.app[TRANSCRIPTS].discard)
    return web.Response(
        text=answer.sdp,
        content_type="application/sdp",
        headers={"X-Call-Id": answer.call_id, "Cache-Control": "no-store"},
    )


async def log_transcript(client: RealtimeClient, call_id: str) -> None:
    """Attach to a call this server opened and log what each side says, until it ends."""
    spoken: list[str] = []
    try:
        async with client.connect(call_id=call_id, reconnect=True) as connection:
            async for event in connection:
                if isinstance(event, CALLER_SAID):
                    log.info("call %s caller: %s", call_id, event.transcript)
                elif isinstance(event, SPOKEN):
                    spoken.append(event.delta)
                elif isinstance(event, events.RealtimeServerEventResponseDone) and spoken:
                    log.info("call %s assistant: %s", call_id, "".join(spoken))
                    spoken.clear()
        log.info("call %s ended", call_id)
    except RealtimeSDKError as exc:
        log.warning("stopped logging call %s: %s: %s", call_id, type(exc).__name__, exc)


async def hangup(request: web.Request) -> web.Response:
    """POST /call/{call_id}/hangup: end a call this server opened (and no other)."""
    call_id = request.match_info["call_id"]
    calls = request.app[CALLS]
    if call_id not in calls:
        return web.Response(status=404, text="no such call")
    try:
        await request.app[CLIENT].hangup_realtime_call(call_id)
    except RealtimeSDKError as exc:
        log.warning("could not hang up %s: %s: %s", call_id, type(exc).__name__, exc)
        return web.Response(status=502, text="could not hang up")
    calls.discard(call_id)
    return web.Response(status=204)


async def page(_: web.Request) -> web.FileResponse:
    return web.FileResponse(Path(__file__).with_name("call.html"))


async def realtime_client(app: web.Application) -> AsyncIterator[None]:
    # One pooled client for the app's lifetime: built (and its settings checked) by
    # make_app, its connection pool opened inside the server's event loop.
    async with app[CLIENT]:
        yield
        for task in list(app[TRANSCRIPTS]):
            task.cancel()
        await asyncio.gather(*app[TRANSCRIPTS], return_exceptions=True)


def make_app() -> web.Application:
    """The backend's app.

    Raises:
        ConfigurationError: no API key (``OPENAI_API_KEY``) or another unusable setting.
    """
    app = web.Application(client_max_size=MAX_OFFER_BYTES)
    app[CLIENT] = RealtimeClient()
    app[CALLS] = set()
    app[TRANSCRIPTS] = set()
    app.cleanup_ctx.append(realtime_client)
    app.add_routes(
        [
            web.get("/", page),
            web.post("/call", call),
            web.post("/call/{call_id}/hangup", hangup),
        ]
    )
    return app


def listen(port: int) -> socket.socket:
    """A socket listening on 127.0.0.1:`port`, or one line on stderr and exit status 1."""
    try:
        return socket.create_server(("127.0.0.1", port))
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        sys.exit(f"sdp_server: cannot listen on 127.0.0.1:{port}: {reason} (--port picks another)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Serve the WebRTC backend on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8080, help="(default: %(default)s)")
    port = parser.parse_args().port
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        backend = make_app()
    except ConfigurationError as exc:
        parser.exit(2, f"sdp_server: {exc}\n")
    web.run_app(backend, sock=listen(port))
