"""A minimal WebSocket server for the Realtime benchmarks: pre-built frames, no parsing beyond the upgrade.

``GET /v1/realtime?...&n=N`` upgrades, writes N pre-framed server events (transcript deltas,
with an audio delta every tenth) in one go and a close frame (1000), then discards what the
client sends. ``&idle=1`` upgrades and sends nothing (for the idle-connection memory figure).
``GET /_bench/cpu`` answers the process's CPU seconds as JSON. Runs in a process of its own
(pinned to a core when the driver asks), so it is never what limits a client.

    python benchmarks/realtime_server.py [--core N]     # prints its port on the first line
"""

import argparse
import asyncio
import base64
import hashlib
import json
import os
import struct
import sys
from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

import common

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_CLOSE_NORMAL = b"\x88\x02\x03\xe8"


def frame(payload: bytes) -> bytes:
    """One unmasked text frame (a server's frames are never masked)."""
    size = len(payload)
    if size < 126:
        head = struct.pack("!BB", 0x81, size)
    elif size < 65536:
        head = struct.pack("!BBH", 0x81, 126, size)
    else:
        head = struct.pack("!BBQ", 0x81, 127, size)
    return head + payload


def event(index: int) -> dict[str, Any]:
    """The index-th event of the stream: a transcript delta, or (every tenth) an audio delta."""
    base = {
        "event_id": f"event_{index:08d}",
        "response_id": "resp_bench",
        "item_id": "item_bench",
        "output_index": 0,
        "content_index": 0,
    }
    if index % 10 == 9:
        audio = base64.b64encode(bytes(range(256)) * 4).decode("ascii")
        return {"type": "response.output_audio.delta", **base, "delta": audio}
    return {"type": "response.output_audio_transcript.delta", **base, "delta": f" word{index}"}


@cache
def stream(count: int) -> bytes:
    return (
        b"".join(frame(json.dumps(event(i), separators=(",", ":")).encode()) for i in range(count))
        + _CLOSE_NORMAL
    )


class Server(asyncio.Protocol):
    """One connection: the upgrade, then either the stream or silence."""

    def __init__(self) -> None:
        self._head = b""
        self._upgraded = False
        self.transport: Any = None

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if self._upgraded:
            if b"\x88" in data[:1]:  # the client's close frame: done
                self.transport.close()
            return
        self._head += data
        if b"\r\n\r\n" not in self._head:
            return
        line, _, rest = self._head.partition(b"\r\n")
        target = line.split(b" ")[1].decode("ascii")
        url = urlsplit(target)
        if url.path == "/_bench/cpu":
            times = os.times()
            body = json.dumps({"cpu": times.user + times.system}).encode()
            self.transport.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: %d\r\n\r\n"
                % len(body)
                + body
            )
            self.transport.close()
            return
        key = b""
        for header in rest.split(b"\r\n"):
            name, _, value = header.partition(b":")
            if name.strip().lower() == b"sec-websocket-key":
                key = value.strip()
        accept = base64.b64encode(hashlib.sha1(key + _GUID).digest())  # noqa: S324 - RFC 6455's own digest
        self.transport.write(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + accept + b"\r\nx-request-id: req_bench\r\n\r\n"
        )
        self._upgraded = True
        query = parse_qs(url.query)
        if "n" in query:
            self.transport.write(stream(int(query["n"][0])))


async def serve(core: int | None) -> None:
    common.pin(core)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Server, "127.0.0.1", 0, backlog=4096)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--core", type=int, default=None)
    args = parser.parse_args()
    try:
        import uvloop  # noqa: PLC0415 - optional, from the bench extra

        uvloop.run(serve(args.core))
    except ImportError:
        asyncio.run(serve(args.core))


if __name__ == "__main__":
    sys.exit(main())
