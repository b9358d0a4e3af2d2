"""What a command prints: JSON answers with the ephemeral key masked, and the demo's summary.

Why keys are masked unless asked for: what a command prints lands in terminal scrollback,
CI logs and screen shares, and an ephemeral key works (on the account's bill) until it
expires, up to two hours after it was minted.
"""

import json
import time
from datetime import UTC, datetime
from typing import TextIO
from urllib.parse import urlsplit

from realtime_sdk import errors
from realtime_sdk._client._config import DEFAULT_BASE_URL
from realtime_sdk._result import APIResponse
from realtime_sdk._secret import Secret
from realtime_sdk.models import (
    RealtimeCreateClientSecretResponse,
    RealtimeTranslationClientSecretCreateResponse,
)


def ephemeral_key(data: object) -> Secret:
    """The key of any of the key responses, for ``--value``: there must be one."""
    value = key_in(data)
    if value is None:
        msg = "the response carries no ephemeral key"
        raise errors.APIResponseValidationError(msg, status_code=200)
    return value


def key_in(data: object) -> Secret | None:
    """The key of any of the key responses: ``value``, or ``client_secret.value``."""
    if isinstance(
        data, RealtimeCreateClientSecretResponse | RealtimeTranslationClientSecretCreateResponse
    ):
        value: object = data.value  # None when the answer said null
    else:
        value = getattr(getattr(data, "client_secret", None), "value", None)
    return value if isinstance(value, Secret) else None


def masked(data: object, key: Secret | None) -> object:
    """A JSON value with every occurrence of the key replaced by its masked form (an answer
    without a key, read leniently, has nothing to mask)."""
    if key is None:
        return data
    if isinstance(data, dict):
        return {name: masked(value, key) for name, value in data.items()}
    if isinstance(data, list):
        return [masked(item, key) for item in data]
    if isinstance(data, str) and Secret(data) == key:
        return key.masked
    return data


def print_json(data: object, out: TextIO) -> None:
    """One JSON value: indented for a terminal, compact for a pipe."""
    indent = 2 if out.isatty() else None
    separators = None if indent else (",", ":")
    out.write(json.dumps(data, indent=indent, separators=separators) + "\n")


def where(base_url: str, *, fake: bool) -> str:
    """The API a call went to, as the demo names it: the fake, OpenAI, or the host used."""
    if fake:
        return "the embedded fake API"
    host = urlsplit(base_url).netloc
    if base_url.rstrip("/") == DEFAULT_BASE_URL.rstrip("/"):
        return f"the OpenAI API ({host})"
    return f"the API at {host}"


def describe(
    result: APIResponse[RealtimeCreateClientSecretResponse],
    *,
    where: str,
    reveal: bool,
    out: TextIO,
) -> None:
    """The demo's summary of a minted key: where, the key, its expiry and its session."""
    data = result.data
    session = data.session
    if reveal and isinstance(data.value, Secret):
        key = f"{data.value.reveal()}  (in clear: --reveal)"
    else:
        key = f"{data.value}  (masked; --reveal prints it)"
    lines = [
        f"Minted an ephemeral key on {where} (request id {result.request_id}).",
        f"  key:        {key}",
        f"  expires at: {expiry(data.expires_at, time.time())}",
        f"  session:    {getattr(session, 'type', None)} {getattr(session, 'model', '')}".rstrip(),
    ]
    out.write("\n".join(lines) + "\n")


def expiry(expires_at: object, now: float) -> str:
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
