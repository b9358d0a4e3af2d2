"""A minimal HTTP/1.1 server that answers every client-secret call with the same bytes.

The benchmarks measure clients, so the server must never be what limits them: it runs in
a process of its own, on uvloop when installed, pinned to a core of its own where the OS
allows, parses only the request line and ``Content-Length``, and writes one pre-encoded
answer. ``GET /_bench/cpu`` reports the process's CPU seconds, its wall clock and the
answers sent so far, so the driver can print the server's CPU use beside each figure.

Run on its own (prints its base URL on the first line, serves until SIGTERM)::

    python benchmarks/answering_server.py [--core N]
"""

import argparse
import asyncio
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import common

ENDPOINT = b"/realtime/client_secrets"
TRANSLATION_ENDPOINT = b"/realtime/translations/client_secrets"
CPU_PATH = "/_bench/cpu"
_MAX_HEAD = 64 * 1024


def _http_answer(status: str, body: bytes, *, close: bool = False) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "x-request-id: req_bench_0123456789\r\n"
    )
    if close:
        head += "Connection: close\r\n"
    return head.encode("ascii") + b"\r\n" + body


ANSWER = _http_answer("200 OK", json.dumps(common.CLIENT_ANSWER, separators=(",", ":")).encode())
TRANSLATION = _http_answer(
    "200 OK", json.dumps(common.TRANSLATION_ANSWER, separators=(",", ":")).encode()
)
NOT_FOUND = _http_answer("404 Not Found", b'{"error":{"message":"no such path"}}')
NO_CHUNKS = _http_answer("411 Length Required", b'{"error":{"message":"chunked"}}', close=True)


class _Stats:
    answered = 0


class Answering(asyncio.Protocol):
    """One connection: split the byte stream into requests, answer each with fixed bytes."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.transport: Any = None

    def connection_made(self, transport: Any) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, so no isinstance check.
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        transport = self.transport
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(buffer) > _MAX_HEAD:
                    transport.close()
                return
            head = bytes(buffer[:end]).lower()
            if b"transfer-encoding:" in head:
                transport.write(NO_CHUNKS)
                transport.close()
                return
            length = 0
            at = head.find(b"\r\ncontent-length:")
            if at >= 0:
                stop = head.find(b"\r\n", at + 2)
                length = int(head[at + 17 : stop if stop >= 0 else None])
            total = end + 4 + length
            if len(buffer) < total:
                return
            line = head[: head.find(b"\r\n")] if b"\r\n" in head else head
            del buffer[:total]
            transport.write(self._answer(line))

    @staticmethod
    def _answer(line: bytes) -> bytes:
        method, _, rest = line.partition(b" ")
        target = rest.partition(b" ")[0]
        if method == b"post" and target.endswith(TRANSLATION_ENDPOINT):
            _Stats.answered += 1
            return TRANSLATION
        if method == b"post" and target.endswith(ENDPOINT):
            _Stats.answered += 1
            return ANSWER
        if method == b"get" and target == CPU_PATH.encode():
            stats = {
                "cpu": time.process_time(),
                "wall": time.perf_counter(),
                "answered": _Stats.answered,
            }
            return _http_answer("200 OK", json.dumps(stats).encode())
        return NOT_FOUND


async def _serve(core: int | None) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Answering, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop_name = type(loop).__module__.split(".")[0]
    print(f"http://127.0.0.1:{port}/v1 {loop_name} core={core}", flush=True)
    async with server:
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--core", type=int, help="pin this process to one CPU core")
    options = parser.parse_args()
    if options.core is not None:
        os.sched_setaffinity(0, {options.core})
    try:
        import uvloop  # noqa: PLC0415 - optional: faster when installed
    except ImportError:
        asyncio.run(_serve(options.core))
    else:
        uvloop.run(_serve(options.core))


@dataclass(frozen=True)
class Server:
    """A running answering server: its base URL, event loop name and pinned core."""

    base_url: str
    loop: str
    core: int | None

    def usage(self) -> dict[str, float]:
        """CPU seconds, wall seconds and answers so far (one small request of its own)."""
        origin = self.base_url.removesuffix("/v1")
        with urllib.request.urlopen(origin + CPU_PATH, timeout=10) as response:  # noqa: S310 - our own 127.0.0.1 server
            stats: dict[str, Any] = json.loads(response.read())
        return {key: float(value) for key, value in stats.items()}


class CpuMeter:
    """The server's CPU use over a stretch of time: process CPU seconds / wall seconds."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.start = server.usage()

    def share(self) -> float:
        end = self.server.usage()
        return (end["cpu"] - self.start["cpu"]) / (end["wall"] - self.start["wall"])


@contextlib.contextmanager
def running(core: int | None) -> Iterator[Server]:
    """Start the server in a child process, yield it, and stop it at the end."""
    command = [sys.executable, str(Path(__file__).resolve())]
    if core is not None:
        command += ["--core", str(core)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603 - our own script
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 30)
        line = process.stdout.readline().split() if ready else []
        if not line or not line[0].startswith("http://"):
            msg = "the answering server did not print its base URL within 30 s"
            raise RuntimeError(msg)
        yield Server(line[0], line[1], core)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


if __name__ == "__main__":
    main()
