"""What the benchmarks share: payloads, CPU pinning, JSON modes, child workers, ratio cells.

Nothing here imports realtime_sdk: a child process must be able to block orjson before
the SDK is first imported (see `choose_json`).
"""

import contextlib
import importlib.util
import json
import os
import select
import statistics
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

API_KEY = "sk-bench-0123456789abcdef"

# The call every client benchmark makes.
REQUEST: dict[str, Any] = {
    "expires_after": {"anchor": "created_at", "seconds": 600},
    "session": {"type": "realtime", "model": "gpt-realtime"},
}

# The translation-secret call, and what the service answers to it.
TRANSLATION_REQUEST: dict[str, Any] = {
    "expires_after": {"anchor": "created_at", "seconds": 600},
    "session": {"model": "gpt-realtime-translate", "audio": {"output": {"language": "es"}}},
}
TRANSLATION_ANSWER: dict[str, Any] = {
    "value": "ek_5d0f3c8190a5c1e2b3d4f5a6b7c8d9e0",
    "expires_at": 1796206742,
    "session": {
        "id": "sess_0b8a6f1c2d3e4f5061728394",
        "type": "translation",
        "expires_at": 1796206742,
        "model": "gpt-realtime-translate",
        "audio": {
            "input": {"transcription": None, "noise_reduction": None},
            "output": {"language": "es"},
        },
    },
}

# What the service answers to REQUEST: the session with the server's defaults filled in.
CLIENT_ANSWER: dict[str, Any] = {
    "value": "ek_22f5766ddecd44bb0d46bb542c801469",
    "expires_at": 1796206742,
    "session": {
        "type": "realtime",
        "object": "realtime.session",
        "id": "sess_e47e781020e7d6c9175f1602",
        "model": "gpt-realtime",
        "output_modalities": ["audio"],
        "instructions": "You are a helpful, concise voice assistant.",
        "tools": [],
        "tool_choice": "auto",
        "max_output_tokens": "inf",
        "tracing": None,
        "truncation": "auto",
        "prompt": None,
        "expires_at": 1796206742,
        "audio": {
            "input": {
                "format": {"type": "audio/pcm", "rate": 24000},
                "transcription": None,
                "noise_reduction": None,
                "turn_detection": {
                    "type": "server_vad",
                    "threshold": 0.5,
                    "prefix_padding_ms": 300,
                    "silence_duration_ms": 200,
                    "idle_timeout_ms": None,
                    "create_response": True,
                    "interrupt_response": True,
                },
            },
            "output": {
                "format": {"type": "audio/pcm", "rate": 24000},
                "voice": "alloy",
                "speed": 1.0,
            },
        },
        "include": None,
    },
}

JSON_MODES = ("stdlib", "speedups")


def orjson_installed() -> bool:
    """Whether orjson could be imported here (without importing it)."""
    return importlib.util.find_spec("orjson") is not None


def choose_json(mode: str) -> None:
    """Set this process's JSON mode; call before realtime_sdk is first imported.

    "stdlib" makes ``import orjson`` fail (so the SDK takes its stdlib path); "speedups"
    leaves orjson importable and needs it installed.
    """
    if "realtime_sdk" in sys.modules:
        msg = "choose_json must run before realtime_sdk is imported"
        raise RuntimeError(msg)
    if mode == "stdlib":
        sys.modules["orjson"] = None  # type: ignore[assignment] - the documented import blocker
    elif mode == "speedups":
        if not orjson_installed():
            msg = "the speedups mode needs orjson (pip install -e '.[bench]')"
            raise RuntimeError(msg)
    else:
        msg = f"unknown JSON mode {mode!r}; expected one of {JSON_MODES}"
        raise ValueError(msg)


def orjson_loaded() -> bool:
    """Whether something in this process has imported orjson."""
    return sys.modules.get("orjson") is not None


def cores() -> tuple[int | None, int | None]:
    """(client core, server core) when this OS can pin and there are two cores, else Nones."""
    if not hasattr(os, "sched_setaffinity"):
        return None, None
    available = sorted(os.sched_getaffinity(0))
    if len(available) < 2:
        return None, None
    return available[0], available[-1]


def pin(core: int | None) -> None:
    """Pin this process (and the children it starts later) to one core, if given."""
    if core is not None:
        os.sched_setaffinity(0, {core})


def pinning_note(client: int | None, server: int | None) -> str:
    if client is None:
        return "not pinned (needs os.sched_setaffinity and two cores)"
    return f"client on core {client}, server on core {server}"


class Worker:
    """A child process that answers one JSON line per JSON command line."""

    def __init__(self, command: Sequence[str], *, timeout: float = 120.0) -> None:
        self.timeout = timeout
        self.process = subprocess.Popen(  # noqa: S603 - our own script
            list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def ask(self, **command: Any) -> dict[str, Any]:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], self.timeout)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            msg = f"worker {self.process.args} gave no answer to {command}"
            raise RuntimeError(msg)
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(BrokenPipeError, RuntimeError):
                self.ask(op="quit")
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


def serve_commands(handle: Any) -> None:
    """The worker side of `Worker`: read command lines, answer each, stop on "quit"."""
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "quit":
            print(json.dumps({"ok": True}), flush=True)
            return
        try:
            answer = handle(command)
        except Exception as exc:
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(answer), flush=True)


def paired(mine: Sequence[float], base: Sequence[float]) -> list[float]:
    return [a / b for a, b in zip(mine, base, strict=True)]


def ratio_cell(values: Sequence[float]) -> str:
    """Median (min-max) of per-pair ratios."""
    if not values:
        return "-"
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def verdict(met: bool) -> str:  # noqa: FBT001 - a tiny formatting helper
    return "met" if met else "MISSED"


def goal_line(label: str, value: float, *, met: bool) -> str:
    return f"goal: {label:44} {value:5.2f}x  {verdict(met)}"
