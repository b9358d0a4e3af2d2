"""Shared fixtures (small scripted HTTP servers on 127.0.0.1 that count connections) and the
Hypothesis profiles.

``HYPOTHESIS_PROFILE`` picks the profile: ``ci`` (what .ci/run exports) is derandomized and
keeps no example database, so every run draws the same examples; ``dev`` (the default) draws
new ones each run and replays past failures from the local ``.hypothesis/`` database, for
exploring. Sizes are bounded in the strategies themselves (Hypothesis has no setting for it).
"""

import asyncio
import contextlib
import json
import os
import re
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from hypothesis import HealthCheck, settings

from realtime_sdk import _client
from realtime_sdk._client import _engine

# Tests that set no example count of their own (the conformance tests) get the profile's:
# a few hundred per schema in CI.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=300,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=100, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

API_KEY = "sk-test-0123456789abcdefSECRET"

# The DeprecationWarning of the legacy key methods (`_client.DEPRECATED`), and nothing else.
LEGACY_WARNING_FILTER = (
    r"ignore:create_realtime_(transcription_)?session(_with_response)?\(\) is deprecated"
    ":DeprecationWarning"
)
allows_legacy_calls = pytest.mark.filterwarnings(LEGACY_WARNING_FILTER)
"""For tests that call the legacy methods many times over (drawn bodies, every endpoint):
their deprecation is tested on its own in test_surface_21.py."""


def warns_if_legacy(method: str) -> contextlib.AbstractContextManager[object]:
    """Expect the DeprecationWarning when `method` is a legacy one; expect nothing otherwise."""
    if method in _client.DEPRECATED:
        return pytest.warns(DeprecationWarning, match=rf"^{re.escape(method)}\(\) is deprecated")
    return contextlib.nullcontext()


OPENAI_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID")


@pytest.fixture
def clean_openai_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No OPENAI_* variable from the developer's shell leaks into a test."""
    for name in OPENAI_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record each pause the client asks for between attempts instead of waiting it out."""
    asked: list[float] = []

    async def record(delay: float) -> None:
        asked.append(delay)
        await asyncio.sleep(0)

    monkeypatch.setattr(_engine, "_sleep", record)
    return asked


@dataclass
class Reply:
    """One scripted answer: status, JSON (or raw bytes) body, headers, and a pause first."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Seen:
    """One request as the server received it."""

    path: str
    headers: dict[str, str]
    body: bytes
    peer: tuple[str, int]
    names: tuple[str, ...] = ()  # every header name as sent, repeats included
    query: str = ""  # the raw query string, as sent


class ScriptedServer:
    """An aiohttp.web server that plays scripted replies in order, then a default one."""

    def __init__(self, default: Reply) -> None:
        self.default = default
        self.replies: deque[Reply] = deque()
        self.requests: list[Seen] = []
        self.base_url = ""

    @property
    def connections(self) -> int:
        """How many distinct TCP connections sent requests."""
        return len({seen.peer for seen in self.requests})

    def script(self, *replies: Reply) -> None:
        """Queue replies for the next requests."""
        self.replies.extend(replies)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        peer = request.transport.get_extra_info("peername") if request.transport else None
        names = tuple(name.decode("latin-1") for name, _ in request.raw_headers)
        self.requests.append(
            Seen(
                request.path,
                dict(request.headers),
                body,
                tuple(peer or ()),
                names,
                request.rel_url.raw_query_string,
            )
        )
        reply = self.replies.popleft() if self.replies else self.default
        if reply.delay:
            await asyncio.sleep(reply.delay)
        payload = reply.body
        if isinstance(payload, bytes):
            data = payload
        else:
            data = json.dumps({} if payload is None else payload).encode()
        headers = {"Content-Type": "application/json", **reply.headers}
        return web.Response(status=reply.status, body=data, headers=headers)


@pytest.fixture
async def start_server() -> AsyncIterator[Callable[..., Awaitable[ScriptedServer]]]:
    """Start scripted servers on 127.0.0.1 (port 0); all are stopped at teardown."""
    runners: list[web.AppRunner] = []

    async def start(
        default: Reply | None = None, *, keepalive_timeout: float = 75.0
    ) -> ScriptedServer:
        server = ScriptedServer(default or Reply(body={"ok": True}))
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", server.handle)
        runner = web.AppRunner(
            app, keepalive_timeout=keepalive_timeout, access_log=None, shutdown_timeout=0.1
        )
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        server.base_url = f"http://127.0.0.1:{port}/v1/"
        return server

    yield start
    for runner in runners:
        await runner.cleanup()


RawHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@pytest.fixture
async def raw_server() -> AsyncIterator[Callable[[RawHandler], Awaitable[str]]]:
    """Start plain asyncio TCP servers for byte-level faults; returns their base URL."""
    servers: list[asyncio.Server] = []
    writers: list[asyncio.StreamWriter] = []

    async def start(handler: RawHandler) -> str:
        async def tracked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writers.append(writer)
            try:
                await handler(reader, writer)
            except (ConnectionError, asyncio.IncompleteReadError):
                pass
            finally:
                writer.close()

        server = await asyncio.start_server(tracked, "127.0.0.1", 0)
        servers.append(server)
        port = server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/v1/"

    yield start
    for writer in writers:
        writer.close()
    for server in servers:
        server.close()
        await server.wait_closed()


async def read_http_request(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    """Read one HTTP/1.1 request from a raw socket; return its head and Content-Length body."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    return head, await reader.readexactly(length) if length else b""
