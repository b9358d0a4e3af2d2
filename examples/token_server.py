"""A token backend: GET /token mints a short-lived Realtime key for the browser page at /.

Try it against the fake API (no OpenAI account needed):
    realtime-sdk fake-server --port 8787 &
    OPENAI_API_KEY=sk-local OPENAI_BASE_URL=http://127.0.0.1:8787/v1 python examples/token_server.py
then open http://127.0.0.1:8080/ (``--port`` picks another port).

A missing or unusable setting (no OPENAI_API_KEY, say) stops it with one line on stderr
and exit status 2; a port already in use, with one line and exit status 1.
"""

import argparse
import logging
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from realtime_sdk import ConfigurationError, RealtimeClient, RealtimeSDKError

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
    # One pooled client for the app's lifetime: built (and its settings checked) by
    # make_app, its connection pool opened inside the server's event loop.
    async with app[CLIENT]:
        yield


def make_app() -> web.Application:
    """The backend's app.

    Raises:
        ConfigurationError: no API key (``OPENAI_API_KEY``) or another unusable setting.
    """
    app = web.Application()
    app[CLIENT] = RealtimeClient()
    app.cleanup_ctx.append(realtime_client)
    app.add_routes([web.get("/", page), web.get("/token", token)])
    return app


def listen(port: int) -> socket.socket:
    """A socket listening on 127.0.0.1:`port`, or one line on stderr and exit status 1."""
    try:
        return socket.create_server(("127.0.0.1", port))
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        sys.exit(
            f"token_server: cannot listen on 127.0.0.1:{port}: {reason} (--port picks another)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Serve the token backend on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8080, help="(default: %(default)s)")
    port = parser.parse_args().port
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        backend = make_app()
    except ConfigurationError as exc:
        parser.exit(2, f"token_server: {exc}\n")
    web.run_app(backend, sock=listen(port))
