"""The command line's grammar: every command, its flags and their help (argparse only)."""

import argparse
import textwrap
from typing import Any, Final

from realtime_sdk import __version__
from realtime_sdk._cli._bodies import DEFAULT_TRANSLATION_MODEL
from realtime_sdk._cli._calls import CALL_ACTIONS
from realtime_sdk._cli._exits import EXIT_CODES
from realtime_sdk._fake_server_options import add_server_options
from realtime_sdk._spec import operations

# A shell command should fail in seconds, not minutes: the library's 60 s per attempt
# (three attempts by default) suits a server, not a terminal.
DEFAULT_TIMEOUT: Final = 10.0
DEFAULT_TOTAL_TIMEOUT: Final = 30.0
# The width of the help's own paragraphs (argparse leaves the epilog as written).
_HELP_WIDTH: Final = 88

# Why keys are masked unless asked for: see `realtime_sdk._cli._output`.
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

_CONFIG_MEANING: Final = (
    "--config FILE is always the JSON body the command sends, flags applied on top: a whole "
    'client-secret request ({"session": {...}, "expires_after": {...}}) for client-secret, '
    'the session itself ({"type": "realtime", ...}) for call accept, whose body it is.'
)


def _wrapped(text: str) -> str:
    return "\n".join(textwrap.wrap(text, width=_HELP_WIDTH))


def build_parser() -> argparse.ArgumentParser:
    """The ``realtime-sdk`` parser, with every command and its flags."""
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
    operation = operations.TRANSLATION_CLIENT_SECRETS
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
    for name, (endpoint, _) in CALL_ACTIONS.items():
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
    _add_watch_parser(actions)


def _add_watch_parser(actions: Any) -> None:  # noqa: ANN401 - argparse's subparsers action
    """The ``call watch`` subcommand."""
    about = "attach to a call (WebSocket) and print its transcript until it ends"
    sub = actions.add_parser(
        "watch",
        help=f"GET /realtime?call_id=: {about}",
        description=(
            about + ". With --fake, the embedded fake holds the call, speaks one reply and "
            "hangs up, so there is something to watch."
        ),
    )
    sub.add_argument("call_id", metavar="CALL_ID", help="the call's id (rtc_...)")
    _add_connection_options(sub)


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
