"""The ``realtime-sdk`` command (also ``python -m realtime_sdk``): mint keys from a shell."""

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final, NamedTuple, TextIO

from realtime_sdk import errors
from realtime_sdk._converter import structure_request, to_dict
from realtime_sdk._result import APIResponse
from realtime_sdk._secret import Secret
from realtime_sdk._sync_client import SyncRealtimeClient
from realtime_sdk.models import (
    RealtimeCreateClientSecretRequest,
    RealtimeCreateClientSecretResponse,
    RealtimeSessionCreateRequest,
    RealtimeTranscriptionSessionCreateRequest,
)

# The key the CLI hands the embedded fake: the fake accepts any bearer token.
_FAKE_KEY: Final = "sk-realtime-sdk-fake"

# One exit status per error class, so shell scripts can branch on what went wrong.
# The most specific class wins (they are checked in this order).
EXIT_CODES: Final[tuple[tuple[type[BaseException], int, str], ...]] = (
    (errors.ConfigurationError, 2, "bad settings, e.g. no API key"),
    (errors.RequestValidationError, 3, "the request does not fit the schema; nothing was sent"),
    (errors.BadRequestError, 10, "400 bad request"),
    (errors.AuthenticationError, 11, "401 authentication failed"),
    (errors.PermissionDeniedError, 12, "403 permission denied"),
    (errors.NotFoundError, 13, "404 not found (or a retired endpoint)"),
    (errors.ConflictError, 14, "409 conflict"),
    (errors.UnprocessableEntityError, 15, "422 unprocessable"),
    (errors.RateLimitError, 16, "429 rate limited or out of quota"),
    (errors.InternalServerError, 17, "5xx server error"),
    (errors.APIStatusError, 18, "another non-2xx status (a redirect, say)"),
    (errors.APITimeoutError, 20, "timed out"),
    (errors.APIConnectionError, 21, "could not connect or the connection dropped"),
    (errors.APIResponseValidationError, 22, "a 2xx answer that is not the expected JSON"),
    (errors.RealtimeSDKError, 1, "any other SDK error"),
)
_EXIT_INTERRUPTED: Final = 130

_NO_KEY_HINT: Final = (
    "no API key: set OPENAI_API_KEY (or pass --base-url for a compatible server), "
    "or add --fake to run against the embedded fake API"
)


class _Endpoint(NamedTuple):
    request_cls: type[Any]
    call: Callable[[SyncRealtimeClient, Any, float | None], Any]


def _call_client_secret(client: SyncRealtimeClient, request: Any, timeout: float | None) -> Any:  # noqa: ANN401 - any response model
    if timeout is None:
        return client.create_realtime_client_secret_with_response(request)
    return client.create_realtime_client_secret_with_response(request, timeout=timeout)


def _call_session(client: SyncRealtimeClient, request: Any, timeout: float | None) -> Any:  # noqa: ANN401 - any response model
    if timeout is None:
        return client.create_realtime_session_with_response(request)
    return client.create_realtime_session_with_response(request, timeout=timeout)


def _call_transcription_session(
    client: SyncRealtimeClient,
    request: Any,  # noqa: ANN401 - any request model
    timeout: float | None,
) -> Any:  # noqa: ANN401 - any response model
    if timeout is None:
        return client.create_realtime_transcription_session_with_response(request)
    return client.create_realtime_transcription_session_with_response(request, timeout=timeout)


_ENDPOINTS: Final = {
    "client-secret": _Endpoint(RealtimeCreateClientSecretRequest, _call_client_secret),
    "session": _Endpoint(RealtimeSessionCreateRequest, _call_session),
    "transcription-session": _Endpoint(
        RealtimeTranscriptionSessionCreateRequest, _call_transcription_session
    ),
}


def _set(target: dict[str, Any], path: str, value: object) -> None:
    """Set a dotted path in a nested dict, creating the dicts on the way."""
    *parents, leaf = path.split(".")
    node = target
    for key in parents:
        child = node.get(key)
        if not isinstance(child, dict):
            child = {}
            node[key] = child
        node = child
    node[leaf] = value


def _read_config(source: str | None, stdin: TextIO) -> dict[str, Any]:
    if source is None:
        return {}
    try:
        text = stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        msg = f"--config: cannot read {source}: {exc.strerror}"
        raise errors.ConfigurationError(msg) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"--config: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        raise errors.ConfigurationError(msg) from exc
    if not isinstance(data, dict):
        msg = f"--config: expected a JSON object, got {type(data).__name__}"
        raise errors.ConfigurationError(msg)
    return data


def build_request(args: argparse.Namespace, stdin: TextIO) -> dict[str, Any]:
    """The request body: the --config JSON with the flags set on top of it."""
    body = _read_config(args.config, stdin)
    if args.command == "client-secret":
        session = "session"
        _set(body, "session.type", args.type)
        if args.ttl is not None:
            _set(body, "expires_after", {"anchor": "created_at", "seconds": args.ttl})
        flags = {
            f"{session}.model": args.model,
            f"{session}.instructions": args.instructions,
            f"{session}.audio.output.voice": args.voice,
            f"{session}.audio.input.transcription.model": args.transcription_model,
        }
        if args.no_turn_detection:
            _set(body, f"{session}.audio.input.turn_detection", None)
    elif args.command == "session":
        flags = {"model": args.model, "instructions": args.instructions, "voice": args.voice}
        if args.no_turn_detection:
            body["turn_detection"] = None
    else:
        flags = {
            "input_audio_transcription.model": args.transcription_model,
            "input_audio_transcription.language": args.language,
        }
        if args.no_turn_detection:
            body["turn_detection"] = None
    for path, value in flags.items():
        if value is not None:
            _set(body, path, value)
    return body


def _parser() -> argparse.ArgumentParser:
    codes = "\n".join(f"  {code:>3}  {text}" for _, code, text in EXIT_CODES)
    parser = argparse.ArgumentParser(
        prog="realtime-sdk",
        description=(
            "Mint OpenAI Realtime ephemeral keys (ek_...) for browsers and apps. "
            "The API key comes from OPENAI_API_KEY; --fake uses the embedded fake API."
        ),
        epilog=f"exit status:\n    0  success\n{codes}\n  130  interrupted",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="mint one client secret and describe it (real API with OPENAI_API_KEY, else the fake)",
        description=(
            "Mint one client secret and print a short description with the key masked. "
            "Uses the real API when OPENAI_API_KEY is set, the embedded fake otherwise."
        ),
    )
    _add_connection_options(demo)

    client_secret = commands.add_parser(
        "client-secret",
        help="POST /realtime/client_secrets: mint a key with its session settings",
        description="Mint an ephemeral key with session settings; prints the response JSON.",
    )
    client_secret.add_argument(
        "--type",
        choices=("realtime", "transcription"),
        default="realtime",
        help="the session type (default: %(default)s)",
    )
    client_secret.add_argument("--model", help="the Realtime model, e.g. gpt-realtime")
    client_secret.add_argument("--voice", help="the output voice, e.g. marin")
    client_secret.add_argument("--instructions", help="the system instructions")
    client_secret.add_argument(
        "--transcription-model", help="transcribe input audio with this model"
    )
    client_secret.add_argument(
        "--ttl", type=int, metavar="SECONDS", help="key lifetime, 10 to 7200 (server default 600)"
    )

    session = commands.add_parser(
        "session",
        help="POST /realtime/sessions (older shape; prefer client-secret)",
        description="Create a Realtime session with the older request shape.",
    )
    session.add_argument("--model", help="the Realtime model")
    session.add_argument("--voice", help="the output voice")
    session.add_argument("--instructions", help="the system instructions")

    transcription = commands.add_parser(
        "transcription-session",
        help="POST /realtime/transcription_sessions (older shape; prefer client-secret)",
        description="Create a transcription session with the older request shape.",
    )
    transcription.add_argument("--transcription-model", help="e.g. gpt-4o-transcribe")
    transcription.add_argument("--language", help="ISO-639-1 code of the input language")

    for sub in (client_secret, session, transcription):
        sub.add_argument(
            "--config",
            metavar="FILE",
            help="the full request as JSON ('-' reads stdin); flags are applied on top",
        )
        sub.add_argument(
            "--no-turn-detection",
            action="store_true",
            help="send turn_detection: null, which switches voice activity detection off",
        )
        sub.add_argument(
            "--strict",
            action="store_true",
            help="reject keys this SDK does not know instead of passing them through",
        )
        sub.add_argument(
            "--value", action="store_true", help="print only the ephemeral key, for shell use"
        )
        _add_connection_options(sub)

    fake = commands.add_parser(
        "fake-server",
        help="serve the fake API for frontend development",
        description="Serve the embedded fake API until interrupted; prints its base URL.",
        add_help=False,
    )
    fake.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


def _add_connection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fake", action="store_true", help="call the embedded fake API instead of OpenAI"
    )
    parser.add_argument("--base-url", help="API root (default: OPENAI_BASE_URL, then OpenAI)")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help="limit per attempt")
    parser.add_argument(
        "--max-retries", type=int, default=2, help="retries of failed attempts (default: 2)"
    )


@contextmanager
def _client(args: argparse.Namespace, environ: Mapping[str, str]) -> Iterator[SyncRealtimeClient]:
    use_fake = args.fake or (args.command == "demo" and not environ.get("OPENAI_API_KEY"))
    if use_fake:
        from realtime_sdk._fake.background import serve_in_thread  # noqa: PLC0415 - aiohttp.web only when asked

        with (
            serve_in_thread() as fake,
            SyncRealtimeClient(
                _FAKE_KEY, base_url=fake.base_url, max_retries=args.max_retries
            ) as client,
        ):
            yield client
        return
    base_url = args.base_url or environ.get("OPENAI_BASE_URL")
    api_key = environ.get("OPENAI_API_KEY")
    if not api_key and not base_url:
        raise errors.ConfigurationError(_NO_KEY_HINT)
    # A compatible server named by --base-url may need no key; send a placeholder then.
    with SyncRealtimeClient(
        api_key or "sk-none", base_url=base_url, max_retries=args.max_retries
    ) as client:
        yield client


def _exit_code(exc: BaseException) -> int:
    for cls, code, _ in EXIT_CODES:
        if isinstance(exc, cls):
            return code
    return 1


def _ephemeral_key(data: object) -> Secret:
    """The key of any of the three responses: ``value``, or ``client_secret.value``."""
    if isinstance(data, RealtimeCreateClientSecretResponse):
        value: object = data.value  # None when the answer said null
    else:
        value = getattr(getattr(data, "client_secret", None), "value", None)
    if not isinstance(value, Secret):
        msg = "the response carries no ephemeral key"
        raise errors.APIResponseValidationError(msg, status_code=200)
    return value


def _print_json(data: object, out: TextIO) -> None:
    indent = 2 if out.isatty() else None
    separators = None if indent else (",", ":")
    out.write(json.dumps(data, indent=indent, separators=separators) + "\n")


def _describe(
    result: APIResponse[RealtimeCreateClientSecretResponse], *, fake: bool, out: TextIO
) -> None:
    data = result.data
    session = data.session
    where = "the embedded fake API" if fake else "the OpenAI API"
    lines = [
        f"Minted an ephemeral key on {where} (request id {result.request_id}).",
        f"  key:        {data.value}  (masked; the `client-secret --value` command prints it)",
        f"  expires at: {data.expires_at} (Unix time)",
        f"  session:    {getattr(session, 'type', None)} {getattr(session, 'model', '')}".rstrip(),
    ]
    out.write("\n".join(lines) + "\n")


def run(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line and return its exit status (the streams default to sys's)."""
    env = os.environ if environ is None else environ
    inp, out, err = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    args = _parser().parse_args(argv)
    if args.command == "fake-server":
        from realtime_sdk import testing  # noqa: PLC0415 - aiohttp.web only when asked

        return testing.main(args.rest)
    try:
        with _client(args, env) as client:
            if args.command == "demo":
                request = {"session": {"type": "realtime", "model": "gpt-realtime"}}
                result = client.create_realtime_client_secret_with_response(request)
                _describe(result, fake=not env.get("OPENAI_API_KEY"), out=out)
                return 0
            endpoint = _ENDPOINTS[args.command]
            body = build_request(args, inp)
            request = structure_request(body, endpoint.request_cls, strict=args.strict)
            result = endpoint.call(client, request, args.timeout)
            if args.value:
                out.write(_ephemeral_key(result.data).reveal() + "\n")
            else:
                _print_json(to_dict(result.data), out)
    except KeyboardInterrupt:
        err.write("interrupted\n")
        return _EXIT_INTERRUPTED
    except errors.RealtimeSDKError as exc:
        err.write(f"error: {type(exc).__name__}: {exc}\n")
        return _exit_code(exc)
    return 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
