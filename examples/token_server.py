"""A token backend: GET /token mints a short-lived Realtime key for the browser page at /.

Try it against the fake API (no OpenAI account needed):
    realtime-sdk fake-server --port 8787 &
    OPENAI_API_KEY=sk-local OPENAI_BASE_URL=http://127.0.0.1:8787/v1 python examples/token_server.py
then open http://127.0.0.1:8080/ (``--port`` picks another port).
"""

import argparse
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from realtime_sdk import RealtimeClient, RealtimeSDKError

CLIENT = web.AppKey("client", RealtimeClient)
SESSION = {
    "expires_after": {"anchor": "created_at", "seconds": 600},
    "session": {"type": "realtime"},
}
log = logging.getLogger("token_server")


async def token(request: web.Request) -> web.Response:
    try:
        result = await request.app[CLIENT].create_realtime_client_secret(SESSION)
    except RealtimeSDKError as exc:
        # The details belong in the server log, not in the browser. SDK messages never
        # hold the API key or an ephemeral key, so the whole message can be logged.
        log.warning(
            "could not mint a key: %s status=%s request_id=%s: %s",
            type(exc).__name__,
            getattr(exc, "status_code", None),
            getattr(exc, "request_id", None),
            exc,
        )
        return web.json_response({"error": "could not mint a key"}, status=502)
    # The key revealed, its expiry and the session's type and model: nothing else.
    return web.json_response(result.for_browser(), headers={"Cache-Control": "no-store"})


async def page(_: web.Request) -> web.FileResponse:
    return web.FileResponse(Path(__file__).with_name("index.html"))


async def realtime_client(app: web.Application) -> AsyncIterator[None]:
    # One pooled client for the app's lifetime, created inside the server's event loop.
    async with RealtimeClient() as client:
        app[CLIENT] = client
        yield


def make_app() -> web.Application:
    app = web.Application()
    app.cleanup_ctx.append(realtime_client)
    app.add_routes([web.get("/", page), web.get("/token", token)])
    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Serve the token backend on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8080, help="(default: %(default)s)")
    port = parser.parse_args().port
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    web.run_app(make_app(), host="127.0.0.1", port=port)
