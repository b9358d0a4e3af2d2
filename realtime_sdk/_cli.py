"""The ``realtime-sdk`` command (also ``python -m realtime_sdk``): mint keys and control calls
from a shell."""

import argparse
import functools
import json
import os
import re
import sys
import textwrap
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TextIO
from urllib.parse import urlsplit

from realtime_sdk import __version__, errors
from realtime_sdk import _endpoints as endpoints
from realtime_sdk._attempts import Attempt, AttemptHook
from realtime_sdk._calls import call_id_segment
from realtime_sdk._cli_watch import add_watch_parser, watch
from realtime_sdk._client import DEPRECATED
from realtime_sdk._config import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL
from realtime_sdk._fake_server_options import add_server_options
from realtime_sdk._result import APIResponse
from realtime_sdk._retry import should_retry_call_change, should_retry_status
from realtime_sdk._secret import Secret
from realtime_sdk._sync_client import SyncRealtimeClient
from realtime_sdk._wire._answers import to_dict
from realtime_sdk._wire._requests import structure_request
from realtime_sdk.models import (
    RealtimeCreateClientSecretResponse,
    RealtimeTranslationClientSecretCreateResponse,
)

if TYPE_CHECKING:
    from realtime_sdk.testing import FakeRealtimeAPI

# The key the CLI hands the embedded fake: the fake accepts any bearer token.
_FAKE_KEY: Final = "sk-realtime-sdk-fake"

# A shell command should fail in seconds, not minutes: the library's 60 s per attempt
# (three attempts by default) suits a server, not a terminal.
DEFAULT_TIMEOUT: Final = 10.0
DEFAULT_TOTAL_TIMEOUT: Final = 30.0
# The translation model a translation-secret asks for when neither --model nor the file names one.
DEFAULT_TRANSLATION_MODEL: Final = "gpt-realtime-translate"


class ConfigFileError(errors.RealtimeSDKError):
    """The --config file cannot be read or is not a JSON object: bad input, nothing sent."""


# One exit status per error class, so shell scripts can branch on what went wrong.
# The most specific class wins (they are checked in this order).
EXIT_CODES: Final[tuple[tuple[tuple[type[BaseException], ...], int, str], ...]] = (
    ((errors.ConfigurationError,), 2, "bad settings, e.g. no API key (or a usage error)"),
    (
        (errors.RequestValidationError, ConfigFileError),
        3,
        "bad input: an unusable --config or a request off the schema; nothing was sent",
    ),
    ((errors.BadRequestError,), 10, "400 bad request"),
    ((errors.AuthenticationError,), 11, "401 authentication failed"),
    ((errors.PermissionDeniedError,), 12, "403 permission denied"),
    ((errors.NotFoundError,), 13, "404 not found (or a retired endpoint)"),
    ((errors.ConflictError,), 14, "409 conflict"),
    ((errors.UnprocessableEntityError,), 15, "422 unprocessable"),
    ((errors.RateLimitError,), 16, "429 rate limited or out of quota"),
    ((errors.InternalServerError,), 17, "5xx server error"),
    ((errors.APIStatusError,), 18, "another non-2xx status (a redirect, say)"),
    ((errors.APITimeoutError,), 20, "timed out"),
    ((errors.APIConnectionError,), 21, "could not connect or the connection dropped"),
    ((errors.APIResponseValidationError,), 22, "a 2xx answer that is not the expected JSON"),
    ((errors.RealtimeSDKError,), 1, "any other SDK error"),
)
_EXIT_INTERRUPTED: Final = 130
# The width of the help's own paragraphs (argparse leaves the epilog as written).
_HELP_WIDTH: Final = 88

# Why keys are masked unless asked for: what a command prints lands in terminal scrollback,
# CI logs and screen shares, and an ephemeral key works (on the account's bill) until it
# expires, up to two hours after it was minted.
_MASKING_HELP: Final = (
    "The ephemeral key is printed masked (ek_****): output lands in scrollback, logs and "
    "screen shares, and the key works until it expires. --reveal prints it in clear; "
    "--value prints the bare key alone, for KEY=$(...)."
)
_CONFIG_HELP: Final = (
    "the request body as JSON ('-' reads stdin); each flag given replaces the file's "
    "value at its place, flags not given leave the file alone"
)
_RETRY_HELP: Final = (
    "Each retry is announced on stderr, e.g. 'retrying in 0.4 s (retry 1 of 2): attempt 1 "
    "failed after 10.0 s (APITimeoutError)', naming the SDK's exception class as the "
    "final 'error: APITimeoutError: ...' line does."
)

_NO_KEY_HINT: Final = (
    "no API key: set OPENAI_API_KEY (or pass --base-url for a compatible server), "
    "or add --fake to run against the embedded fake API"
)


class _Endpoint(NamedTuple):
    request_cls: type[Any]
    call: Callable[[SyncRealtimeClient, Any], APIResponse[Any]]


_ENDPOINTS: Final = {
    "client-secret": _Endpoint(
        endpoints.CLIENT_SECRETS.request,
        SyncRealtimeClient.create_realtime_client_secret_with_response,
    ),
    "session": _Endpoint(
        endpoints.SESSIONS.request, SyncRealtimeClient.create_realtime_session_with_response
    ),
    "transcription-session": _Endpoint(
        endpoints.TRANSCRIPTION_SESSIONS.request,
        SyncRealtimeClient.create_realtime_transcription_session_with_response,
    ),
    "translation-secret": _Endpoint(
        endpoints.TRANSLATION_CLIENT_SECRETS.request,
        SyncRealtimeClient.create_realtime_translation_client_secret_with_response,
    ),
}

# The call actions: the endpoint each one calls, and the word the success line uses.
_CALL_ACTIONS: Final[dict[str, tuple[endpoints.Endpoint[Any, None], str]]] = {
    "accept": (endpoints.ACCEPT_CALL, "accepted"),
    "refer": (endpoints.REFER_CALL, "referred"),
    "reject": (endpoints.REJECT_CALL, "rejected"),
    "hangup": (endpoints.HANGUP_CALL, "hung up"),
}

# Where --no-turn-detection puts its null, per command.
_TURN_DETECTION: Final = {
    "client-secret": "session.audio.input.turn_detection",
    "session": "turn_detection",
    "transcription-session": "turn_detection",
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
        raise ConfigFileError(msg) from exc
    except UnicodeDecodeError as exc:
        msg = f"--config: {source} is not UTF-8 text"
        raise ConfigFileError(msg) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"--config: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        raise ConfigFileError(msg) from exc
    except RecursionError as exc:
        msg = "--config: JSON nested too deeply to read"
        raise ConfigFileError(msg) from exc
    except ValueError as exc:
        # Python's own limit on the digits of an integer (sys.set_int_max_str_digits).
        msg = "--config: a number with too many digits to read"
        raise ConfigFileError(msg) from exc
    if not isinstance(data, dict):
        msg = f"--config: expected a JSON object, got {type(data).__name__}"
        raise ConfigFileError(msg)
    return data


def build_request(args: argparse.Namespace, stdin: TextIO) -> dict[str, Any]:
    """The request body: the --config JSON, then each flag that was given on top of it.

    A flag that was not given leaves the file alone; one that was given replaces the
    file's value at its place. A client secret's ``session.type`` is ``realtime`` when
    neither the file nor ``--type`` names one; a translation secret's ``session.model``
    is `DEFAULT_TRANSLATION_MODEL` when neither the file nor ``--model`` names one.
    """
    body = _read_config(args.config, stdin)
    for path, value in _flags(args).items():
        if value is not None:
            _set(body, path, value)
    if getattr(args, "no_turn_detection", False):
        _set(body, _TURN_DETECTION[args.command], None)
    default = _SESSION_DEFAULTS.get(args.command)
    if default is not None:
        session = body.setdefault("session", {})
        if isinstance(session, dict):  # anything else is reported by the schema check
            session.setdefault(*default)
    return body


# The one session field each key command fills in when nothing names it.
_SESSION_DEFAULTS: Final = {
    "client-secret": ("type", "realtime"),
    "translation-secret": ("model", DEFAULT_TRANSLATION_MODEL),
}


def _flags(args: argparse.Namespace) -> dict[str, object]:
    """Where each flag of the command goes in the body (None: the flag was not given)."""
    ttl = None
    if getattr(args, "ttl", None) is not None:
        ttl = {"anchor": "created_at", "seconds": args.ttl}
    if args.command == "client-secret":
        return {
            "session.type": args.type,
            "session.model": args.model,
            "session.instructions": args.instructions,
            "session.audio.output.voice": args.voice,
            "session.audio.input.transcription.model": args.transcription_model,
            "expires_after": ttl,
        }
    if args.command == "session":
        return {"model": args.model, "instructions": args.instructions, "voice": args.voice}
    if args.command == "translation-secret":
        return {
            "session.model": args.model,
            "session.audio.output.language": args.language,
            "session.audio.input.transcription.model": args.transcription_model,
            "expires_after": ttl,
        }
    return {
        "input_audio_transcription.model": args.transcription_model,
        "input_audio_transcription.language": args.language,
    }


def build_call_request(args: argparse.Namespace, stdin: TextIO) -> object:
    """The body of a call action, built from its flags (and, for accept, --config).

    ``--config`` is the request body, as for every command; accept's body is the session
    itself, so a file that wraps it in ``{"session": ...}`` (a client-secret request) is
    refused rather than sent for the server to refuse.
    """
    if args.action == "accept":
        body = _read_config(args.config, stdin)
        if isinstance(body.get("session"), dict):
            msg = (
                '--config: call accept sends the session itself ({"type": "realtime", '
                '"model": ...}), not a client-secret request wrapping it in "session"; '
                'pass the object under "session" (e.g. jq .session FILE | realtime-sdk '
                "call accept CALL_ID --config -)"
            )
            raise ConfigFileError(msg)
        flags = {
            "model": args.model,
            "instructions": args.instructions,
            "audio.output.voice": args.voice,
        }
        for path, value in flags.items():
            if value is not None:
                _set(body, path, value)
        body.setdefault("type", "realtime")
        return body
    if args.action == "refer":
        return {"target_uri": args.target_uri}
    if args.action == "reject":
        return {} if args.status_code is None else {"status_code": args.status_code}
    return None


_CONFIG_MEANING: Final = (
    "--config FILE is always the JSON body the command sends, flags applied on top: a whole "
    'client-secret request ({"session": {...}, "expires_after": {...}}) for client-secret, '
    'the session itself ({"type": "realtime", ...}) for call accept, whose body it is.'
)


def _wrapped(text: str) -> str:
    return "\n".join(textwrap.wrap(text, width=_HELP_WIDTH))


def _parser() -> argparse.ArgumentParser:
    codes = "\n".join(f"  {code:>3}  {text}" for _, code, text in EXIT_CODES)
    parser = argparse.ArgumentParser(
        prog="realtime-sdk",
        description=(
            "Mint OpenAI Realtime ephemeral keys (ek_...) for browsers and apps, and "
            "control calls. The API key comes from OPENAI_API_KEY; --fake uses the "
            "embedded fake API."
        ),
        epilog=(
            f"{_wrapped(_CONFIG_MEANING)}\n\n{_wrapped(_RETRY_HELP)}\n\n"
            f"exit status:\n    0  success\n{codes}\n  130  interrupted"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="mint one client secret and describe it (the API with a key or --base-url, else the fake)",
        description=(
            "Mint one client secret and describe it: where it came from, the key, its expiry "
            "(ISO 8601 UTC and seconds from now) and its session. Calls the API when "
            "OPENAI_API_KEY or a base URL (--base-url, OPENAI_BASE_URL) is set, the embedded "
            f"fake otherwise. {_MASKING_HELP}"
        ),
    )
    _add_reveal_option(demo)
    _add_connection_options(demo)

    client_secret = commands.add_parser(
        "client-secret",
        help="POST /realtime/client_secrets: mint a key with its session settings",
        description=f"Mint an ephemeral key with session settings; prints the response JSON. {_MASKING_HELP}",
    )
    client_secret.add_argument(
        "--type",
        choices=("realtime", "transcription"),
        default=None,
        help="the session type (default: the --config file's, else realtime)",
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
        description=(
            "Create a Realtime session with the older request shape (deprecated: the "
            f"service has retired it; use client-secret). {_MASKING_HELP}"
        ),
    )
    session.add_argument("--model", help="the Realtime model")
    session.add_argument("--voice", help="the output voice")
    session.add_argument("--instructions", help="the system instructions")

    transcription = commands.add_parser(
        "transcription-session",
        help="POST /realtime/transcription_sessions (older shape; prefer client-secret)",
        description=(
            "Create a transcription session with the older request shape (deprecated: the "
            f"service has retired it; use client-secret --type transcription). {_MASKING_HELP}"
        ),
    )
    transcription.add_argument("--transcription-model", help="e.g. gpt-4o-transcribe")
    transcription.add_argument("--language", help="ISO-639-1 code of the input language")

    for sub in (client_secret, session, transcription):
        sub.add_argument("--config", metavar="FILE", help=_CONFIG_HELP)
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
        _add_key_output_options(sub)
        _add_connection_options(sub)

    _add_translation_parser(commands)
    _add_call_parsers(commands)

    fake = commands.add_parser(
        "fake-server",
        help="serve the fake API for frontend development",
        description=(
            "Serve the embedded fake API until interrupted; prints its base URL on the "
            "first line of stdout."
        ),
    )
    add_server_options(fake)
    return parser


def _add_translation_parser(commands: Any) -> None:  # noqa: ANN401 - argparse's subparsers action
    operation = endpoints.TRANSLATION_CLIENT_SECRETS.operation
    translation = commands.add_parser(
        "translation-secret",
        help=f"POST /{operation.path}: mint a key for a translation session",
        description=(
            "Mint an ephemeral key for a Realtime translation session; prints the JSON. "
            + _MASKING_HELP
        ),
    )
    translation.add_argument(
        "--model",
        help=f"the translation model (default: the --config file's, else {DEFAULT_TRANSLATION_MODEL})",
    )
    translation.add_argument("--language", help="the language to translate into, e.g. es")
    translation.add_argument(
        "--transcription-model", help="also transcribe the source audio with this model"
    )
    translation.add_argument(
        "--ttl", type=int, metavar="SECONDS", help="key lifetime, 10 to 7200 (server default 600)"
    )
    translation.add_argument("--config", metavar="FILE", help=_CONFIG_HELP)
    translation.add_argument(
        "--strict",
        action="store_true",
        help="reject keys this SDK does not know instead of passing them through",
    )
    _add_key_output_options(translation)
    _add_connection_options(translation)


def _add_call_parsers(commands: Any) -> None:  # noqa: ANN401 - argparse's subparsers action
    call = commands.add_parser(
        "call",
        help="control a call: accept, refer, reject or hang up",
        description=(
            "Accept, transfer, decline or end a call by its id. Only failures the service "
            "cannot have acted on are retried (see the README). With --fake, the embedded "
            "fake treats CALL_ID as a call ready for the action."
        ),
    )
    actions = call.add_subparsers(dest="action", required=True, metavar="ACTION")
    helps = {
        "accept": "answer an incoming SIP call with a session",
        "refer": "transfer a call to --target-uri (SIP REFER)",
        "reject": "decline an incoming SIP call (default SIP status: the server's 603)",
        "hangup": "end a call",
    }
    for name, (endpoint, _) in _CALL_ACTIONS.items():
        sub = actions.add_parser(
            name, help=f"POST /{endpoint.path}: {helps[name]}", description=helps[name]
        )
        sub.add_argument("call_id", metavar="CALL_ID", help="the call's id (rtc_...)")
        if name == "accept":
            sub.add_argument(
                "--config",
                metavar="FILE",
                help=(
                    "the request body as JSON ('-' reads stdin), as for every command: for "
                    'accept that is the session itself ({"type": "realtime", "model": ...}), '
                    'not wrapped in "session"; flags given replace its values'
                ),
            )
            sub.add_argument("--model", help="the Realtime model")
            sub.add_argument("--instructions", help="the system instructions")
            sub.add_argument("--voice", help="the output voice")
            sub.add_argument(
                "--strict",
                action="store_true",
                help="reject keys this SDK does not know instead of passing them through",
            )
        elif name == "refer":
            sub.add_argument(
                "--target-uri", required=True, help="where to, e.g. tel:+14155550123 or sip:..."
            )
        elif name == "reject":
            sub.add_argument(
                "--status-code", type=int, metavar="SIP_STATUS", help="e.g. 486 for busy"
            )
        _add_connection_options(sub)
    add_watch_parser(actions, _add_connection_options)


def _add_reveal_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reveal", action="store_true", help="print the ephemeral key in clear, not masked"
    )


def _add_key_output_options(parser: argparse.ArgumentParser) -> None:
    _add_reveal_option(parser)
    parser.add_argument(
        "--value",
        action="store_true",
        help="print only the ephemeral key, in clear, for shell use (KEY=$(...))",
    )


def _add_connection_options(parser: argparse.ArgumentParser) -> None:
    # Two servers cannot both be the one called: argparse refuses the pair (exit status 2).
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--fake", action="store_true", help="call the embedded fake API instead of OpenAI"
    )
    where.add_argument(
        "--base-url",
        help="API root (default: OPENAI_BASE_URL, then OpenAI); not with --fake, which has its own",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="limit per attempt (default: %(default)g)",
    )
    parser.add_argument(
        "--total-timeout",
        type=float,
        default=DEFAULT_TOTAL_TIMEOUT,
        metavar="SECONDS",
        help="limit for all attempts and the pauses between them; 0 for none (default: %(default)g)",
    )
    parser.add_argument(
        "--max-retries", type=int, default=2, help="retries of failed attempts (default: 2)"
    )


def _api_key(environ: Mapping[str, str]) -> str | None:
    """The key from the environment; empty and blank values both count as none."""
    value = environ.get(API_KEY_ENV, "")
    return value if value.strip() else None


@contextmanager
def _client(
    args: argparse.Namespace, environ: Mapping[str, str], report: AttemptHook
) -> Iterator[tuple[SyncRealtimeClient, "FakeRealtimeAPI | None"]]:
    """The client the command calls, and the embedded fake it talks to (None for a real API)."""
    settings: dict[str, Any] = {
        "timeout": args.timeout,
        "total_timeout": args.total_timeout or None,
        "max_retries": args.max_retries,
        "on_attempt": report,
    }
    api_key = _api_key(environ)
    base_url = args.base_url or environ.get(BASE_URL_ENV)
    # The demo falls back to the fake only when nothing names a real server: a base URL
    # given without a key is a compatible server that may need none, as for every command.
    use_fake = args.fake or (args.command == "demo" and api_key is None and not base_url)
    if use_fake:
        from realtime_sdk.testing._background import serve_in_thread  # noqa: PLC0415 - aiohttp.web only when asked

        with (
            serve_in_thread() as fake,
            SyncRealtimeClient(_FAKE_KEY, base_url=fake.base_url, **settings) as client,
        ):
            yield client, fake
        return
    if api_key is None and not base_url:
        raise errors.ConfigurationError(_NO_KEY_HINT)
    # A compatible server named by --base-url may need no key; send a placeholder then.
    with SyncRealtimeClient(
        api_key or "sk-none", base_url=base_url or DEFAULT_BASE_URL, **settings
    ) as client:
        yield client, None


class _RetryReporter:
    """Says on stderr when a call is retried, and counts attempts for the final message.

    The client's ``on_attempt`` hook: it is handed an `Attempt` once each attempt is over.
    """

    def __init__(self, err: TextIO) -> None:
        self._err = err
        self.attempts = 0

    def __call__(self, attempt: Attempt) -> None:
        self.attempts += 1
        if attempt.retry_in is None:
            return
        if attempt.answered:
            what = f"was answered {attempt.status_code} (request id {attempt.request_id})"
        else:
            what = f"failed after {attempt.elapsed:.1f} s ({attempt.error})"
        self._err.write(
            f"retrying in {attempt.retry_in:.1f} s (retry {attempt.number} of "
            f"{attempt.max_retries}): attempt {self.attempts} {what}\n"
        )
        self._err.flush()


def _gave_up(
    exc: errors.RealtimeSDKError, attempts: int, elapsed: float, args: argparse.Namespace
) -> str | None:
    """The closing line for a failure that retries could have helped: attempts and the limit."""
    if not _retryable(exc, changes_call=args.command == "call") or attempts == 0:
        return None
    if attempts > args.max_retries or not args.total_timeout:
        limit = f"the retry limit (--max-retries {args.max_retries})"
    else:
        limit = f"the overall limit of {args.total_timeout:g} s (--total-timeout)"
    line = f"gave up after {attempts} attempt{'s' if attempts != 1 else ''} in {elapsed:.1f} s: {limit} was reached"
    if isinstance(exc, errors.APITimeoutError):
        line += f"; each attempt may take {args.timeout:g} s (--timeout)"
    return line


def _retryable(exc: errors.RealtimeSDKError, *, changes_call: bool) -> bool:
    """Whether the client's retry rule would have tried the failure again."""
    if isinstance(exc, errors.APIConnectionError):
        return not (changes_call and exc.maybe_sent)
    if isinstance(exc, errors.APIStatusError):
        verdict = should_retry_call_change if changes_call else should_retry_status
        return verdict(exc.status_code, exc.headers, exc.code)
    return False


def _exit_code(exc: BaseException) -> int:
    for classes, code, _ in EXIT_CODES:
        if isinstance(exc, classes):
            return code
    return 1


def _ephemeral_key(data: object) -> Secret:
    """The key of any of the key responses, for ``--value``: there must be one."""
    value = _key_in(data)
    if value is None:
        msg = "the response carries no ephemeral key"
        raise errors.APIResponseValidationError(msg, status_code=200)
    return value


def _key_in(data: object) -> Secret | None:
    """The key of any of the key responses: ``value``, or ``client_secret.value``."""
    if isinstance(
        data, RealtimeCreateClientSecretResponse | RealtimeTranslationClientSecretCreateResponse
    ):
        value: object = data.value  # None when the answer said null
    else:
        value = getattr(getattr(data, "client_secret", None), "value", None)
    return value if isinstance(value, Secret) else None


def _masked(data: object, key: Secret | None) -> object:
    """A JSON value with every occurrence of the key replaced by its masked form (an answer
    without a key, read leniently, has nothing to mask)."""
    if key is None:
        return data
    if isinstance(data, dict):
        return {name: _masked(value, key) for name, value in data.items()}
    if isinstance(data, list):
        return [_masked(item, key) for item in data]
    if isinstance(data, str) and Secret(data) == key:
        return key.masked
    return data


def _print_json(data: object, out: TextIO) -> None:
    indent = 2 if out.isatty() else None
    separators = None if indent else (",", ":")
    out.write(json.dumps(data, indent=indent, separators=separators) + "\n")


def _where(base_url: str, *, fake: bool) -> str:
    """The API a call went to, as the demo names it: the fake, OpenAI, or the host used."""
    if fake:
        return "the embedded fake API"
    host = urlsplit(base_url).netloc
    if base_url.rstrip("/") == DEFAULT_BASE_URL.rstrip("/"):
        return f"the OpenAI API ({host})"
    return f"the API at {host}"


def _describe(
    result: APIResponse[RealtimeCreateClientSecretResponse],
    *,
    where: str,
    reveal: bool,
    out: TextIO,
) -> None:
    data = result.data
    session = data.session
    if reveal and isinstance(data.value, Secret):
        key = f"{data.value.reveal()}  (in clear: --reveal)"
    else:
        key = f"{data.value}  (masked; --reveal prints it)"
    lines = [
        f"Minted an ephemeral key on {where} (request id {result.request_id}).",
        f"  key:        {key}",
        f"  expires at: {_expiry(data.expires_at, time.time())}",
        f"  session:    {getattr(session, 'type', None)} {getattr(session, 'model', '')}".rstrip(),
    ]
    out.write("\n".join(lines) + "\n")


def _expiry(expires_at: object, now: float) -> str:
    """An expiry (Unix seconds) as ISO 8601 UTC and seconds from ``now``, both readable."""
    if isinstance(expires_at, bool) or not isinstance(expires_at, int):
        return "not given in the answer" if expires_at is None else repr(expires_at)
    try:
        when = datetime.fromtimestamp(expires_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):  # out of the calendar's range
        return f"{expires_at} (Unix time)"
    left = round(expires_at - now)
    relative = f"in {left} s" if left >= 0 else f"expired {-left} s ago"
    return f"{when} ({relative})"


def _change_call(
    args: argparse.Namespace,
    env: Mapping[str, str],
    inp: TextIO,
    out: TextIO,
    report: AttemptHook,
) -> None:
    """``realtime-sdk call ACTION CALL_ID``: everything that can be refused is checked first."""
    endpoint, done = _CALL_ACTIONS[args.action]
    call_id_segment(args.call_id)
    body = build_call_request(args, inp)
    request = (
        None
        if body is None
        else structure_request(body, endpoint.request, strict=getattr(args, "strict", False))
    )
    with _client(args, env, report) as (client, fake):
        if fake is not None:
            # The embedded fake knows no calls: make this one ready for the action.
            fake.add_incoming_call(call_id=args.call_id)
            if args.action == "refer":
                fake.calls[args.call_id].state = "active"
        method = getattr(client, endpoint.method)
        if request is None:
            method(args.call_id)
        else:
            method(args.call_id, request)
    target = f" to {args.target_uri}" if args.action == "refer" else ""
    out.write(f"{done} call {args.call_id}{target}\n")


def _watch_call(
    args: argparse.Namespace,
    env: Mapping[str, str],
    out: TextIO,
    err: TextIO,
    report: AttemptHook,
) -> None:
    """``realtime-sdk call watch CALL_ID``; with --fake, the fake holds the call and speaks."""
    call_id_segment(args.call_id)
    with _client(args, env, report) as (client, fake):
        play = None
        if fake is not None:
            fake.add_incoming_call(call_id=args.call_id)
            fake.calls[args.call_id].state = "active"
            play = functools.partial(client.hangup_realtime_call, args.call_id)
        watch(client, args.call_id, out, err, play=play)


def _call(
    args: argparse.Namespace,
    env: Mapping[str, str],
    inp: TextIO,
    out: TextIO,
    report: AttemptHook,
) -> None:
    if args.command == "call":
        _change_call(args, env, inp, out, report)
        return
    if args.command == "demo":
        endpoint = _ENDPOINTS["client-secret"]
        request: Any = {"session": {"type": "realtime", "model": "gpt-realtime"}}
    else:
        # Everything that can reject the input runs before any server is contacted.
        endpoint = _ENDPOINTS[args.command]
        body = build_request(args, inp)
        request = structure_request(body, endpoint.request_cls, strict=args.strict)
    with _client(args, env, report) as (client, fake), _legacy_quietly(endpoint):
        result = endpoint.call(client, request)
        if args.command == "demo":
            where = _where(client.base_url, fake=fake is not None)
            _describe(result, where=where, reveal=args.reveal, out=out)
        elif args.value:
            out.write(_ephemeral_key(result.data).reveal() + "\n")
        elif args.reveal:
            _print_json(to_dict(result.data), out)
        else:
            _print_json(_masked(to_dict(result.data), _key_in(result.data)), out)


@contextmanager
def _legacy_quietly(endpoint: _Endpoint) -> Iterator[None]:
    """No DeprecationWarning from a legacy command: its --help already says it is deprecated,
    and a warning naming a Python method means nothing at a shell prompt."""
    message = DEPRECATED.get(endpoint.call.__name__)
    if message is None:
        yield
        return
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", re.escape(message), DeprecationWarning)
        yield


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

        return testing.run_server(args, out=out, err=err)
    started = time.monotonic()
    reporter = _RetryReporter(err)
    try:
        if args.command == "call" and args.action == "watch":
            _watch_call(args, env, out, err, reporter)
        else:
            _call(args, env, inp, out, reporter)
    except KeyboardInterrupt:
        err.write("interrupted\n")
        return _EXIT_INTERRUPTED
    except errors.RealtimeSDKError as exc:
        err.write(f"error: {type(exc).__name__}: {exc}\n")
        summary = _gave_up(exc, reporter.attempts, time.monotonic() - started, args)
        if summary is not None:
            err.write(summary + "\n")
        return _exit_code(exc)
    return 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
