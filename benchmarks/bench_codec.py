"""Converter speed beside a plain-dict floor, with the stdlib JSON path and with orjson, as ratios.

The payload is a full GA client-secret response: a `RealtimeCreateClientSecretResponse`
whose session is a `RealtimeSessionCreateResponseGA` with audio in and out, turn detection,
transcription, two kinds of tools, a tool choice, tracing, truncation, reasoning and a
prompt. Everything goes through the public API (``realtime_sdk.converter``, ``from_json``,
``to_json``, ``structure_request``), so the figures hold for whatever converter is
installed. The floor is what code without models would do: parse with ``json.loads``, read
every field by key into a tuple, build the dict back by hand, encode; it checks nothing.

Workloads (SDK against floor):

- structure: decoded dict -> model, against reading every field by key;
- unstructure: model -> dict, against building the dict by hand;
- structure + unstructure: the two together (the headline figure);
- bytes round trip: ``to_json(from_json(body))`` against loads, read, build, dumps;
- request: ``to_json(structure_request(dict))`` against dumps of the dict;
- init: building one ``ServerVad`` (plain data, no checks) against a plain attrs class;
- issue #20's figures: an answer's bytes read into its model (``from_json``) against
  ``loads`` of the same bytes, for the full GA answer above and the small one the client
  benchmarks get (``common.CLIENT_ANSWER``); a dict request validated and encoded (what
  the client sends: ``dumps_request``) against ``dumps`` of the same dict, for the full
  request above and the small one (``common.REQUEST``). Below the table, the SDK's time
  with orjson as a fraction of its stdlib time, per row (goal <= 0.6 for the requests).

Each JSON mode runs in a child process of its own: "stdlib" makes ``import orjson`` fail
before realtime_sdk is imported, "speedups" leaves orjson importable (skipped when it is not
installed), and the floor there uses orjson too. Within a repeat the SDK and the floor run
back to back (which goes first alternates), timed in process CPU time (time spent
descheduled by other work on a shared machine does not count); the table shows the median
of the per-repeat ratios SDK/floor with their min-max, and the median CPU time per call.

Usage::

    python benchmarks/bench_codec.py            # full run, under a minute
    python benchmarks/bench_codec.py --quick    # a smoke run, under 20 s
    python benchmarks/bench_codec.py --profile  # cProfile of structure + unstructure
    python benchmarks/bench_codec.py --instructions  # issue #20's rows counted by callgrind

``--instructions`` counts the four rows of issue #20's goals in instructions, which do not
move with the machine's load: each side runs in a child under ``valgrind --tool=callgrind``
that warms up, then calls the work N times from ``itertools.starmap`` with collection
switched on only inside it (``--toggle-collect=starmap_next``; no workload uses starmap), so
start-up and warm-up are not counted. Python's bytecode loop runs fewer instructions per
cycle than the C parsers, so these ratios come out a little below the CPU-time ones.
"""

import argparse
import collections
import cProfile
import itertools
import json
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import common

HEADLINE = "structure + unstructure"
ANSWER_FULL = "answer bytes->model, full"
ANSWER_SMALL = "answer bytes->model, small"
REQUEST_FULL = "request dict->bytes, full"
REQUEST_SMALL = "request dict->bytes, small"
# Issue #20's goals: SDK/floor in the stdlib column.
GOALS = {ANSWER_FULL: 3.0, ANSWER_SMALL: 2.6, REQUEST_FULL: 2.5, REQUEST_SMALL: 1.6}
ORJSON_GOAL = 0.6  # the requests' SDK time with orjson, as a fraction of the stdlib path's

RESPONSE: dict[str, Any] = {
    "value": "ek_68af296e8e408191a1120ab6383263c2",
    "expires_at": 1756310470,
    "session": {
        "type": "realtime",
        "object": "realtime.session",
        "id": "sess_C9CiUVUzUzYIssh3ELY1d",
        "model": "gpt-realtime",
        "output_modalities": ["audio"],
        "instructions": "You are a friendly assistant.",
        "tools": [
            {
                "type": "function",
                "name": "get_weather",
                "description": "Weather for a city.",
                "parameters": {
                    "type": "object",
                    "properties": {"city": {"type": "string"}},
                    "required": ["city"],
                },
            },
            {
                "type": "mcp",
                "server_label": "docs",
                "server_url": "https://example.com/mcp",
                "allowed_tools": ["search", "fetch"],
                "require_approval": "never",
                "headers": None,
            },
        ],
        "tool_choice": "auto",
        "max_output_tokens": "inf",
        "tracing": {"workflow_name": "support", "group_id": "g1", "metadata": {"team": "a"}},
        "truncation": {"type": "retention_ratio", "retention_ratio": 0.8},
        "reasoning": {"effort": "low"},
        "prompt": {"id": "pmpt_123", "version": "2", "variables": {"city": "Paris"}},
        "expires_at": 0,
        "include": ["item.input_audio_transcription.logprobs"],
        "audio": {
            "input": {
                "format": {"type": "audio/pcm", "rate": 24000},
                "transcription": {"model": "gpt-4o-transcribe", "language": "en", "prompt": ""},
                "noise_reduction": {"type": "near_field"},
                "turn_detection": {
                    "type": "server_vad",
                    "threshold": 0.5,
                    "prefix_padding_ms": 300,
                    "silence_duration_ms": 500,
                    "create_response": True,
                    "interrupt_response": True,
                    "idle_timeout_ms": None,
                },
            },
            "output": {
                "format": {"type": "audio/pcm", "rate": 24000},
                "voice": "marin",
                "speed": 1.0,
            },
        },
    },
}

REQUEST: dict[str, Any] = {
    "expires_after": {"anchor": "created_at", "seconds": 600},
    "session": {
        "type": "realtime",
        "model": "gpt-realtime",
        "instructions": "You are a friendly assistant.",
        "output_modalities": ["audio"],
        "include": ["item.input_audio_transcription.logprobs"],
        "audio": {
            "input": {
                "format": {"type": "audio/pcm", "rate": 24000},
                "transcription": {"model": "gpt-4o-transcribe", "language": "en"},
                "noise_reduction": {"type": "far_field"},
                "turn_detection": {
                    "type": "semantic_vad",
                    "eagerness": "high",
                    "create_response": True,
                    "interrupt_response": False,
                },
            },
            "output": {"format": {"type": "audio/pcmu"}, "voice": "cedar", "speed": 1.1},
        },
        "tools": [
            {
                "type": "function",
                "name": "get_weather",
                "description": "Weather for a city.",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
            }
        ],
        "tool_choice": {"type": "function", "name": "get_weather"},
        "tracing": "auto",
        "truncation": "auto",
        "max_output_tokens": 4096,
        "prompt": {"id": "pmpt_123", "variables": {"city": "Paris"}},
    },
}

Work = Callable[[], object]


# --- the floor: hand-written dict access and dict building, no checks -------------------


def _read_tool(tool: dict[str, Any]) -> tuple[Any, ...]:
    if tool["type"] == "function":
        return ("function", tool["name"], tool["description"], tool["parameters"])
    return (
        "mcp",
        tool["server_label"],
        tool["server_url"],
        list(tool["allowed_tools"]),
        tool["require_approval"],
        tool["headers"],
    )


def _build_tool(tool: tuple[Any, ...]) -> dict[str, Any]:
    if tool[0] == "function":
        return {"type": "function", "name": tool[1], "description": tool[2], "parameters": tool[3]}
    return {
        "type": "mcp",
        "server_label": tool[1],
        "server_url": tool[2],
        "allowed_tools": tool[3],
        "require_approval": tool[4],
        "headers": tool[5],
    }


def floor_read(d: dict[str, Any]) -> tuple[Any, ...]:
    """Every field of the response, read by key (what code without models would do)."""
    s = d["session"]
    inp = s["audio"]["input"]
    out = s["audio"]["output"]
    tracing, truncation, prompt = s["tracing"], s["truncation"], s["prompt"]
    td, tr = inp["turn_detection"], inp["transcription"]
    return (
        d["value"],
        d["expires_at"],
        s["type"],
        s["object"],
        s["id"],
        s["model"],
        list(s["output_modalities"]),
        s["instructions"],
        [_read_tool(tool) for tool in s["tools"]],
        s["tool_choice"],
        s["max_output_tokens"],
        (tracing["workflow_name"], tracing["group_id"], tracing["metadata"]),
        (truncation["type"], truncation["retention_ratio"]),
        s["reasoning"]["effort"],
        (prompt["id"], prompt["version"], prompt["variables"]),
        s["expires_at"],
        list(s["include"]),
        (inp["format"]["type"], inp["format"]["rate"]),
        (tr["model"], tr["language"], tr["prompt"]),
        inp["noise_reduction"]["type"],
        (
            td["type"],
            td["threshold"],
            td["prefix_padding_ms"],
            td["silence_duration_ms"],
            td["create_response"],
            td["interrupt_response"],
            td["idle_timeout_ms"],
        ),
        (out["format"]["type"], out["format"]["rate"]),
        out["voice"],
        out["speed"],
    )


def floor_build(v: tuple[Any, ...]) -> dict[str, Any]:
    """The response dict built back by hand from `floor_read`'s tuple."""
    td = v[20]
    return {
        "value": v[0],
        "expires_at": v[1],
        "session": {
            "type": v[2],
            "object": v[3],
            "id": v[4],
            "model": v[5],
            "output_modalities": v[6],
            "instructions": v[7],
            "tools": [_build_tool(tool) for tool in v[8]],
            "tool_choice": v[9],
            "max_output_tokens": v[10],
            "tracing": {"workflow_name": v[11][0], "group_id": v[11][1], "metadata": v[11][2]},
            "truncation": {"type": v[12][0], "retention_ratio": v[12][1]},
            "reasoning": {"effort": v[13]},
            "prompt": {"id": v[14][0], "version": v[14][1], "variables": v[14][2]},
            "expires_at": v[15],
            "include": v[16],
            "audio": {
                "input": {
                    "format": {"type": v[17][0], "rate": v[17][1]},
                    "transcription": {"model": v[18][0], "language": v[18][1], "prompt": v[18][2]},
                    "noise_reduction": {"type": v[19]},
                    "turn_detection": {
                        "type": td[0],
                        "threshold": td[1],
                        "prefix_padding_ms": td[2],
                        "silence_duration_ms": td[3],
                        "create_response": td[4],
                        "interrupt_response": td[5],
                        "idle_timeout_ms": td[6],
                    },
                },
                "output": {
                    "format": {"type": v[21][0], "rate": v[21][1]},
                    "voice": v[22],
                    "speed": v[23],
                },
            },
        },
    }


def _floor_json(mode: str) -> tuple[Callable[[bytes], Any], Callable[[Any], bytes]]:
    """The floor's loads and dumps: orjson in the speedups child, the stdlib otherwise."""
    if mode == "speedups":
        import orjson  # noqa: PLC0415 - only where it is meant to be importable

        return orjson.loads, orjson.dumps
    return json.loads, lambda value: json.dumps(value, separators=(",", ":")).encode()


# --- the child: one JSON mode ----------------------------------------------------------


def workloads(mode: str) -> tuple[dict[str, tuple[Work, Work]], bool]:
    """name -> (SDK work, floor work), checked to produce the same data before timing.

    Also whether the SDK itself imported orjson (looked at before the floor imports it).
    """
    import attrs  # noqa: PLC0415 - after the JSON mode is set

    from realtime_sdk import (  # noqa: PLC0415 - after the JSON mode is set
        converter,
        from_json,
        models,
        structure_request,
        to_json,
    )
    from realtime_sdk._wire._requests import dumps_request  # noqa: PLC0415 - what the client sends

    response_cls = models.RealtimeCreateClientSecretResponse
    request_cls = models.RealtimeCreateClientSecretRequest
    to_json(from_json(json.dumps(RESPONSE).encode(), response_cls))
    to_json(structure_request(REQUEST, request_cls))
    sdk_orjson = common.orjson_loaded()
    loads, dumps = _floor_json(mode)
    body = dumps(RESPONSE)
    small = dumps(common.CLIENT_ANSWER)
    payload = loads(body)
    obj = converter.structure(payload, response_cls)
    values = floor_read(payload)
    # Both sides must really carry the whole payload, or the ratio means nothing.
    assert isinstance(obj.session, models.RealtimeSessionCreateResponseGA), type(obj.session)
    assert converter.unstructure(obj) == RESPONSE
    assert floor_build(values) == RESPONSE
    assert json.loads(to_json(from_json(body, response_cls))) == RESPONSE
    assert json.loads(to_json(structure_request(REQUEST, request_cls))) == REQUEST

    @attrs.define(kw_only=True)
    class PlainServerVad:
        """ServerVad's fields on a mutable class without validators."""

        type: str = "server_vad"
        threshold: Any = None
        prefix_padding_ms: Any = None
        silence_duration_ms: Any = None
        create_response: Any = None
        interrupt_response: Any = None
        idle_timeout_ms: Any = None

    vad: dict[str, Any] = {"threshold": 0.5, "silence_duration_ms": 500, "idle_timeout_ms": 6000}
    made: dict[str, tuple[Work, Work]] = {
        "structure": (
            lambda: converter.structure(payload, response_cls),
            lambda: floor_read(payload),
        ),
        "unstructure": (lambda: converter.unstructure(obj), lambda: floor_build(values)),
        HEADLINE: (
            lambda: converter.unstructure(converter.structure(payload, response_cls)),
            lambda: floor_build(floor_read(payload)),
        ),
        "bytes round trip": (
            lambda: to_json(from_json(body, response_cls)),
            lambda: dumps(floor_build(floor_read(loads(body)))),
        ),
        "request": (
            lambda: to_json(structure_request(REQUEST, request_cls)),
            lambda: dumps(REQUEST),
        ),
        "init (ServerVad)": (lambda: models.ServerVad(**vad), lambda: PlainServerVad(**vad)),
        ANSWER_FULL: (lambda: from_json(body, response_cls), lambda: loads(body)),
        ANSWER_SMALL: (lambda: from_json(small, response_cls), lambda: loads(small)),
        REQUEST_FULL: (
            lambda: dumps_request(REQUEST, request_cls),
            lambda: dumps(REQUEST),
        ),
        REQUEST_SMALL: (
            lambda: dumps_request(common.REQUEST, request_cls),
            lambda: dumps(common.REQUEST),
        ),
    }
    assert isinstance(from_json(small, response_cls), response_cls)
    assert json.loads(dumps_request(common.REQUEST, request_cls)) == common.REQUEST
    return made, sdk_orjson


def per_call(work: Work, calls: int) -> float:
    """CPU seconds per call: on a shared machine, time spent descheduled is not counted."""
    started = time.process_time()
    for _ in range(calls):
        work()
    return (time.process_time() - started) / calls


def worker_main(mode: str, repeats: int, calls: int) -> None:
    """Time every workload in this child's JSON mode; print one JSON document."""
    common.choose_json(mode)
    made, sdk_orjson = workloads(mode)
    for sdk, floor in made.values():  # warm up: hooks and caches are built on first use
        per_call(sdk, 200)
        per_call(floor, 200)
    results: dict[str, dict[str, list[float]]] = {name: {"sdk": [], "floor": []} for name in made}
    shuffler = random.Random(7)
    for number in range(repeats):
        for name in shuffler.sample(list(made), len(made)):
            sdk, floor = made[name]
            sides = [("sdk", sdk), ("floor", floor)]
            for side, work in sides if number % 2 == 0 else sides[::-1]:
                results[name][side].append(per_call(work, calls))
    print(json.dumps({"orjson_loaded": sdk_orjson, "results": results}))


# --- the driver --------------------------------------------------------------------------


def run(repeats: int, calls: int) -> dict[str, Any]:
    modes = [mode for mode in common.JSON_MODES if mode == "stdlib" or common.orjson_installed()]
    if "speedups" not in modes:
        print("skipped the speedups mode: orjson is not installed (pip install -e '.[bench]')")
    print(
        f"python {sys.version.split()[0]}; {repeats} interleaved repeats x {calls} calls, per mode"
    )
    script = str(Path(__file__).resolve())
    out: dict[str, Any] = {}
    for mode in modes:
        command = [
            sys.executable,
            script,
            "--worker",
            mode,
            "--repeats",
            str(repeats),
            "--calls",
            str(calls),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own script
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            msg = f"the {mode} worker failed with exit status {done.returncode}"
            raise RuntimeError(msg)
        out[mode] = json.loads(done.stdout)
    report(out)
    return out


def report(out: dict[str, Any]) -> None:
    print()
    header = f"{'workload':24}"
    for mode, data in out.items():
        note = (
            "the SDK imported orjson" if data["orjson_loaded"] else "the SDK did not import orjson"
        )
        header += f" | {mode + ': SDK/floor (min-max)':30} {'SDK us':>7} {'floor us':>8}"
        print(f"{mode}: {note}")
    print(header)
    print("-" * len(header))
    names = next(iter(out.values()))["results"]
    for name in names:
        line = f"{name:24}"
        for data in out.values():
            result = data["results"][name]
            ratios = common.paired(result["sdk"], result["floor"])
            line += (
                f" | {common.ratio_cell(ratios):30} {statistics.median(result['sdk']) * 1e6:7.1f} "
                f"{statistics.median(result['floor']) * 1e6:8.1f}"
            )
        print(line)
    print()
    if "stdlib" in out:
        stdlib = out["stdlib"]["results"]
        for name, goal in GOALS.items():
            ratio = statistics.median(common.paired(stdlib[name]["sdk"], stdlib[name]["floor"]))
            verdict = "met" if ratio <= goal else "MISSED"
            print(f"goal {name}: {ratio:.2f}x the stdlib floor (<= {goal}): {verdict}")
    if "stdlib" in out and "speedups" in out:
        for name in GOALS:
            fast = statistics.median(out["speedups"]["results"][name]["sdk"])
            slow = statistics.median(out["stdlib"]["results"][name]["sdk"])
            goal = f" (<= {ORJSON_GOAL})" if name.startswith("request") else ""
            print(f"orjson/stdlib SDK time, {name}: {fast / slow:.2f}{goal}")


def count_worker(mode: str, name: str, side: str, calls: int) -> None:
    """A child run under callgrind: warm up, then `calls` calls inside starmap (counted)."""
    common.choose_json(mode)
    sdk, floor = workloads(mode)[0][name]
    work = sdk if side == "sdk" else floor
    per_call(work, 300)
    collections.deque(itertools.starmap(work, itertools.repeat((), calls)), maxlen=0)


def _counted(name: str, side: str, calls: int, workdir: Path) -> float:
    out_file = workdir / f"{side}.out"
    command = [
        "valgrind",
        "--tool=callgrind",
        "--toggle-collect=starmap_next",
        f"--callgrind-out-file={out_file}",
        sys.executable,
        str(Path(__file__).resolve()),
        "--count-worker",
        name,
        side,
        "--calls",
        str(calls),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=900)  # noqa: S603 - our own script
    for line in out_file.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1]) / calls
    msg = f"no instruction total in {out_file}"
    raise RuntimeError(msg)


def instructions(calls: int) -> None:
    """Issue #20's rows in instructions per call (stdlib JSON), and their ratios."""
    print(f"python {sys.version.split()[0]}; callgrind, {calls} counted calls per side, stdlib")
    print(f"{'workload':28} {'SDK Ir/call':>12} {'floor Ir/call':>14} {'SDK/floor':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, goal in GOALS.items():
            sdk = _counted(name, "sdk", calls, Path(tmp))
            floor = _counted(name, "floor", calls, Path(tmp))
            print(f"{name:28} {sdk:12,.0f} {floor:14,.0f} {sdk / floor:10.2f}  (goal <= {goal})")


def profile(calls: int) -> None:
    common.choose_json("stdlib")
    sdk, _ = workloads("stdlib")[0][HEADLINE]
    per_call(sdk, 200)
    profiler = cProfile.Profile()
    profiler.enable()
    per_call(sdk, calls)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run, under 20 s")
    parser.add_argument("--repeats", type=int, help="interleaved repeats (default 60, quick 10)")
    parser.add_argument("--calls", type=int, help="calls per timed chunk (default 300, quick 150)")
    parser.add_argument("--profile", action="store_true", help="cProfile structure + unstructure")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="issue #20's rows in instructions per call (needs valgrind), as ratios",
    )
    parser.add_argument("--worker", choices=common.JSON_MODES, help=argparse.SUPPRESS)
    parser.add_argument("--count-worker", nargs=2, metavar=("NAME", "SIDE"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    repeats = options.repeats or (10 if options.quick else 60)
    calls = options.calls or (150 if options.quick else 300)
    if options.count_worker:
        count_worker("stdlib", options.count_worker[0], options.count_worker[1], calls)
    elif options.instructions:
        instructions(options.calls or (200 if options.quick else 1000))
    elif options.worker:
        worker_main(options.worker, repeats, calls)
    elif options.profile:
        profile(2000)
    else:
        run(repeats, calls)


if __name__ == "__main__":
    main()
