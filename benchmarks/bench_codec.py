"""Codec speed of realtime_sdk next to openai-python's types, side by side, as ratios.

Two workloads, each a full round trip of one payload:

- response: JSON bytes of a full GA client-secret response (realtime session with audio,
  tools, tracing, truncation, prompt) -> typed object -> dict;
- request: a full client-secret request dict -> validated typed object -> dict -> JSON bytes;
- send: the same dict through `dumps_request`, the path a client call takes (validate, then
  encode the dict as given);
- init: building one frozen, validated `ServerVad` next to a plain mutable attrs class with
  the same fields (what frozen + validators cost).

Contenders for each workload:

- ours: `loads_response` + `to_dict`, and `structure_request` + unstructure + JSON encoding;
- openai default: what openai-python does on its hot path (responses via `construct_type`,
  which does not validate; requests via `maybe_transform` on the TypedDict, which does not
  validate either), plus the same dict/JSON step;
- openai validated: pydantic validation of the same types (`model_validate` for the
  response model, a `TypeAdapter` for the request TypedDict), plus the same dict/JSON step.

Each repeat times every contender in a shuffled order (interleaved, in short chunks so
the load of a shared machine drifts little within one repeat) and takes the ratio
ours/peer within the repeat; the table shows the median ratio and its min-max over repeats.
A ratio below 1.00 means realtime_sdk is faster.

Usage::

    python benchmarks/bench_codec.py             # about 20 seconds
    python benchmarks/bench_codec.py --quick     # a smoke run
    python benchmarks/bench_codec.py --profile   # cProfile of our two workloads
    python benchmarks/bench_codec.py --breakdown # each step alone (parse, structure, encode)
"""

import argparse
import cProfile
import io
import json
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import attrs

from realtime_sdk import UNSET, models, to_dict
from realtime_sdk._converter import (
    _encode,
    converter,
    dumps_request,
    loads_response,
    structure_request,
)

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


def ours_response(body: bytes) -> Work:
    cls = models.RealtimeCreateClientSecretResponse
    return lambda: to_dict(loads_response(body, cls))


def ours_request(payload: dict[str, Any]) -> Work:
    cls = models.RealtimeCreateClientSecretRequest
    unstructure = converter.unstructure
    return lambda: _encode(unstructure(structure_request(payload, cls)))


@attrs.define(kw_only=True, slots=True)
class _PlainServerVad:
    """ServerVad's fields on a mutable class without validators: the cost baseline of init."""

    type: str = "server_vad"
    threshold: Any = UNSET
    prefix_padding_ms: Any = UNSET
    silence_duration_ms: Any = UNSET
    create_response: Any = UNSET
    interrupt_response: Any = UNSET
    idle_timeout_ms: Any = UNSET
    extra_fields: Any = models.EMPTY


def init_contenders() -> dict[str, Work]:
    """Frozen, validated model construction next to a plain mutable attrs class."""
    kwargs: dict[str, Any] = {"threshold": 0.5, "silence_duration_ms": 500, "idle_timeout_ms": 6000}
    return {
        "ours": lambda: models.ServerVad(**kwargs),
        "plain attrs class": lambda: _PlainServerVad(**kwargs),
    }


def ours_send(payload: dict[str, Any]) -> Work:
    cls = models.RealtimeCreateClientSecretRequest
    return lambda: dumps_request(payload, cls)


def openai_contenders(body: bytes, payload: dict[str, Any]) -> dict[str, dict[str, Work]]:
    """The openai-python peers, or nothing when openai is not installed."""
    try:
        from openai._models import construct_type  # noqa: PLC0415 - optional peer
        from openai._utils import maybe_transform  # noqa: PLC0415 - optional peer
        from openai.types.realtime import (  # noqa: PLC0415 - optional peer
            ClientSecretCreateResponse,
            client_secret_create_params,
        )
        from pydantic import TypeAdapter  # noqa: PLC0415 - optional peer
    except ImportError:
        return {"response": {}, "request": {}}
    params_type = client_secret_create_params.ClientSecretCreateParams
    adapter: Any = TypeAdapter(params_type)

    def construct() -> object:
        obj: Any = construct_type(type_=ClientSecretCreateResponse, value=json.loads(body))
        return obj.to_dict()

    def validate() -> object:
        return ClientSecretCreateResponse.model_validate_json(body).to_dict()

    def transform() -> object:
        return json.dumps(maybe_transform(payload, params_type), separators=(",", ":")).encode()

    def validate_request() -> object:
        return adapter.dump_json(adapter.validate_python(payload), exclude_unset=True)

    return {
        "response": {"openai default": construct, "openai validated": validate},
        "request": {"openai default": transform, "openai validated": validate_request},
    }


def per_call(work: Work, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        work()
    return (time.perf_counter() - start) / calls


def run(repeats: int, calls: int) -> None:
    body = json.dumps(RESPONSE).encode()
    peers = openai_contenders(body, REQUEST)
    workloads = {
        "response": {"ours": ours_response(body), **peers["response"]},
        "request": {"ours": ours_request(REQUEST), **peers["request"]},
        # What a call really does with a dict request: validate, then encode the dict itself.
        "send": {"ours": ours_send(REQUEST), **peers["request"]},
        # STYLE asks what frozen + validators cost at construction; this is the answer.
        "init": init_contenders(),
    }
    # Warm up: first calls build hooks and caches on every side.
    for contenders in workloads.values():
        for work in contenders.values():
            per_call(work, 200)
    ratios: dict[tuple[str, str], list[float]] = {}
    times: dict[tuple[str, str], list[float]] = {}
    rng = random.Random(7)
    for _ in range(repeats):
        for workload, contenders in workloads.items():
            order = list(contenders)
            rng.shuffle(order)
            measured = {name: per_call(contenders[name], calls) for name in order}
            for name, seconds in measured.items():
                times.setdefault((workload, name), []).append(seconds)
                if name != "ours":
                    ratios.setdefault((workload, name), []).append(measured["ours"] / seconds)
    print(f"python {sys.version.split()[0]}, {repeats} interleaved repeats x {calls} calls")
    print()
    print(f"{'workload':<10} {'peer':<18} {'ours/peer (median)':>19} {'min-max':>13}")
    for (workload, name), values in ratios.items():
        low, high = min(values), max(values)
        print(
            f"{workload:<10} {name:<18} {statistics.median(values):>19.2f} "
            f"{f'{low:.2f}-{high:.2f}':>13}"
        )
    print()
    print("median time per call (for orientation only; compare the ratios):")
    for (workload, name), values in times.items():
        print(f"  {workload:<10} {name:<18} {statistics.median(values) * 1e6:8.1f} us")


def breakdown(calls: int) -> None:
    """Where the time goes: each step of ours and of pydantic, best of five runs."""
    import timeit  # noqa: PLC0415 - only this mode needs it

    body = json.dumps(RESPONSE).encode()
    response_cls = models.RealtimeCreateClientSecretResponse
    request_cls = models.RealtimeCreateClientSecretRequest
    payload = json.loads(body)
    response = loads_response(body, response_cls)
    request = structure_request(REQUEST, request_cls)
    wire = converter.unstructure(request)
    steps: dict[str, Work] = {
        "response: json.loads": lambda: json.loads(body),
        "response: structure": lambda: converter.structure(payload, response_cls),
        "response: unstructure": lambda: converter.unstructure(response),
        "request: structure (validate)": lambda: structure_request(REQUEST, request_cls),
        "request: unstructure": lambda: converter.unstructure(request),
        "request: JSON encode": lambda: _encode(wire),
    }
    try:
        from openai.types.realtime import (  # noqa: PLC0415 - optional peer
            ClientSecretCreateResponse,
            client_secret_create_params,
        )
        from pydantic import TypeAdapter  # noqa: PLC0415 - optional peer
    except ImportError:
        pass
    else:
        adapter: Any = TypeAdapter(client_secret_create_params.ClientSecretCreateParams)
        validated = ClientSecretCreateResponse.model_validate_json(body)
        params = adapter.validate_python(REQUEST)
        steps |= {
            "pydantic response: validate_json": lambda: (
                ClientSecretCreateResponse.model_validate_json(body)
            ),
            "pydantic response: to_dict": validated.to_dict,
            "pydantic request: validate": lambda: adapter.validate_python(REQUEST),
            "pydantic request: dump_json": lambda: adapter.dump_json(params, exclude_unset=True),
        }
    for label, work in steps.items():
        best = min(timeit.repeat(work, number=calls, repeat=5)) / calls
        print(f"  {label:<36} {best * 1e6:7.1f} us")


def profile(calls: int) -> None:
    body = json.dumps(RESPONSE).encode()
    for label, work in (("response", ours_response(body)), ("request", ours_request(REQUEST))):
        per_call(work, 200)
        profiler = cProfile.Profile()
        profiler.enable()
        per_call(work, calls)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
        print(f"--- {label} ---")
        print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    parser.add_argument("--profile", action="store_true", help="cProfile our two workloads")
    parser.add_argument("--breakdown", action="store_true", help="time each step on its own")
    options = parser.parse_args()
    if options.breakdown:
        breakdown(2000)
    elif options.profile:
        profile(2000)
    elif options.quick:
        run(repeats=3, calls=200)
    else:
        run(repeats=60, calls=250)


if __name__ == "__main__":
    main()
