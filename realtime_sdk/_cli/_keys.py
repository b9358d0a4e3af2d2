"""The key commands (``demo``, ``client-secret``, ``translation-secret`` and the two legacy
session commands): mint an ephemeral key and print it, masked unless asked."""

import argparse
import re
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Final, NamedTuple, TextIO

from realtime_sdk._cli import _output as output
from realtime_sdk._cli._bodies import build_request
from realtime_sdk._cli._connect import open_client
from realtime_sdk._client import DEPRECATED
from realtime_sdk._client._attempts import AttemptHook
from realtime_sdk._result import APIResponse
from realtime_sdk._spec import operations
from realtime_sdk._sync._client import SyncRealtimeClient
from realtime_sdk._wire._answers import to_dict
from realtime_sdk._wire._requests import structure_request


class _Endpoint(NamedTuple):
    request_cls: type[Any]
    call: Callable[[SyncRealtimeClient, Any], APIResponse[Any]]


_ENDPOINTS: Final = {
    "client-secret": _Endpoint(
        operations.CLIENT_SECRETS.request,
        SyncRealtimeClient.create_realtime_client_secret_with_response,
    ),
    "session": _Endpoint(
        operations.SESSIONS.request, SyncRealtimeClient.create_realtime_session_with_response
    ),
    "transcription-session": _Endpoint(
        operations.TRANSCRIPTION_SESSIONS.request,
        SyncRealtimeClient.create_realtime_transcription_session_with_response,
    ),
    "translation-secret": _Endpoint(
        operations.TRANSLATION_CLIENT_SECRETS.request,
        SyncRealtimeClient.create_realtime_translation_client_secret_with_response,
    ),
}


def mint(
    args: argparse.Namespace,
    env: Mapping[str, str],
    inp: TextIO,
    out: TextIO,
    report: AttemptHook,
) -> None:
    """``realtime-sdk demo`` or a key command: everything that can be refused is checked first."""
    if args.command == "demo":
        endpoint = _ENDPOINTS["client-secret"]
        request: Any = {"session": {"type": "realtime", "model": "gpt-realtime"}}
    else:
        # Everything that can reject the input runs before any server is contacted.
        endpoint = _ENDPOINTS[args.command]
        body = build_request(args, inp)
        request = structure_request(body, endpoint.request_cls, strict=args.strict)
    with open_client(args, env, report) as (client, fake), _legacy_quietly(endpoint):
        result = endpoint.call(client, request)
        if args.command == "demo":
            where = output.where(client.base_url, fake=fake is not None)
            output.describe(result, where=where, reveal=args.reveal, out=out)
        elif args.value:
            out.write(output.ephemeral_key(result.data).reveal() + "\n")
        elif args.reveal:
            output.print_json(to_dict(result.data), out)
        else:
            data = to_dict(result.data)
            output.print_json(output.masked(data, output.key_in(result.data)), out)


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
