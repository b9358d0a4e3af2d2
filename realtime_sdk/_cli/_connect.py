"""Which server a command calls (OpenAI, a base URL, or the embedded fake) and its client."""

import argparse
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final

from realtime_sdk import errors
from realtime_sdk._client._attempts import AttemptHook
from realtime_sdk._client._config import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL
from realtime_sdk._sync._client import SyncRealtimeClient

if TYPE_CHECKING:
    from realtime_sdk.testing import FakeRealtimeAPI

# The key the CLI hands the embedded fake: the fake accepts any bearer token.
_FAKE_KEY: Final = "sk-realtime-sdk-fake"

_NO_KEY_HINT: Final = (
    "no API key: set OPENAI_API_KEY (or pass --base-url for a compatible server), "
    "or add --fake to run against the embedded fake API"
)


def _api_key(environ: Mapping[str, str]) -> str | None:
    """The key from the environment; empty and blank values both count as none."""
    value = environ.get(API_KEY_ENV, "")
    return value if value.strip() else None


@contextmanager
def open_client(
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
