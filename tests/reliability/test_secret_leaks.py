"""Secrets: the API key and every minted ek_ value stay out of logs, reprs and tracebacks.

Debug logging is on for the realtime_sdk logger while the client goes through success and
every failure path the fake and a proxy can produce. Then every log record, every repr and
str of the clients, models, results and exceptions, every object reachable from each
exception (``__cause__``, ``__context__``, ``args``, attributes, headers and their items,
see `_support.reachable`), its pickle bytes and its full formatted traceback are searched
for the API key and for each ek_ value the fake minted.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from realtime_sdk import (
    AuthenticationError,
    RealtimeClient,
    RequestValidationError,
    SyncRealtimeClient,
)
from realtime_sdk._client import _engine
from realtime_sdk.testing import FakeRealtimeAPI
from realtime_sdk.testing._background import serve_in_thread
from tests.conftest import allows_legacy_calls
from tests.reliability._support import is_documented, secret_texts

pytestmark = pytest.mark.reliability

API_KEY = "sk-proj-LEAKCHECK-0123456789abcdefghijklmnop"
WRONG_KEY = "sk-proj-WRONGKEY-9876543210zyxwvutsrqponm"
SESSION = {"session": {"type": "realtime", "model": "gpt-realtime"}}


class Evidence:
    """Everything a secret could leak into, gathered as text."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []
        self.errors: list[BaseException] = []
        self.results: list[object] = []

    def add(self, where: str, obj: object) -> None:
        self.texts.append((f"{where} repr", repr(obj)))
        self.texts.append((f"{where} str", str(obj)))

    def add_error(self, where: str, exc: BaseException) -> None:
        self.errors.append(exc)
        self.add(where, exc)
        self.texts.append((f"{where} attributes", repr(vars(exc))))
        # Every object the exception reaches (cause, context, args, attributes, headers,
        # their items), its pickle bytes and its formatted traceback.
        self.texts.extend((f"{where} {place}", text) for place, text in secret_texts(exc))

    def add_logs(self, records: list[logging.LogRecord]) -> None:
        handler = logging.Handler()
        handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        for record in records:
            self.texts.append((f"log {record.name}", handler.format(record)))
            self.texts.append((f"log {record.name} args", repr(record.args)))

    def leaks(self, secrets: list[str]) -> list[tuple[str, str]]:
        """(where, which secret) for every place a secret shows up."""
        return [
            (where, secret[:12] + "...")
            for where, text in self.texts
            for secret in secrets
            if secret in text
        ]


async def _run(
    evidence: Evidence,
    where: str,
    call: Callable[[], Awaitable[object]],
    fake: FakeRealtimeAPI | None = None,
) -> None:
    try:
        async with asyncio.timeout(30):  # a bound, not a speed check
            result = await call()
    except Exception as exc:
        assert is_documented(exc), f"{where}: {type(exc).__name__}"  # noqa: PT017 - classifies
        evidence.add_error(where, exc)
    else:
        evidence.results.append(result)
        evidence.add(where, result)
    finally:
        if fake is not None:
            fake.clear_faults()  # a fault a non-retried call left unused must not shift the next


@pytest.fixture
def no_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry pauses take no time (the client's documented hook for tests)."""

    async def no_sleep(_: float) -> None:
        await asyncio.sleep(0)

    monkeypatch.setattr(_engine, "_sleep", no_sleep)


@allows_legacy_calls
async def test_no_secret_in_logs_reprs_or_tracebacks_on_any_path(
    caplog: pytest.LogCaptureFixture, no_pauses: None, figures: Any
) -> None:
    """Success and every failure path leave no API key or ek_ value in any text."""
    caplog.set_level(logging.DEBUG, logger="realtime_sdk")
    evidence = Evidence()
    async with FakeRealtimeAPI(api_key=API_KEY) as fake:
        client = RealtimeClient(API_KEY, base_url=fake.base_url, timeout=0.5, max_retries=1)
        evidence.add("client (new)", client)
        async with client:
            run = evidence, client
            await _paths(run, fake)
            evidence.add("client (open)", client)
        evidence.add("client (closed)", client)
        async with RealtimeClient(WRONG_KEY, base_url=fake.base_url, max_retries=0) as wrong:
            await _run(evidence, "wrong key", lambda: wrong.create_realtime_client_secret(SESSION))
            evidence.add("client (wrong key)", wrong)
        fake.retired_beta_endpoints = True
        async with RealtimeClient(API_KEY, base_url=fake.base_url, max_retries=0) as retired:
            await _run(evidence, "retired", lambda: retired.create_realtime_session({}))
            await _run(
                evidence, "retired t", lambda: retired.create_realtime_transcription_session({})
            )
        minted = list(fake.minted_keys)
    evidence.add_logs(caplog.records)

    secrets = [API_KEY, WRONG_KEY, *minted]
    kinds = sorted({type(exc).__name__ for exc in evidence.errors})
    figures.record(
        "secrets",
        paths=len(evidence.results) + len(evidence.errors),
        successes=len(evidence.results),
        error_classes=kinds,
        minted_keys_checked=len(minted),
        log_records=len(caplog.records),
        texts_scanned=len(evidence.texts),
    )
    assert len(minted) >= 5  # the successes, and the answers the faults cut short
    expected = {
        "APIConnectionError",
        "APIResponseValidationError",
        "APITimeoutError",
        "AuthenticationError",
        "BadRequestError",
        "ConflictError",
        "InternalServerError",
        "NotFoundError",
        "PermissionDeniedError",
        "RateLimitError",
        "RequestValidationError",
        "UnprocessableEntityError",
    }
    assert set(kinds) == expected  # every path really ran
    assert any(record.levelno == logging.DEBUG for record in caplog.records)
    assert evidence.leaks(secrets) == []


async def _paths(run: tuple[Evidence, RealtimeClient], fake: FakeRealtimeAPI) -> None:
    evidence, client = run
    await _run(evidence, "ok secret", lambda: client.create_realtime_client_secret(SESSION), fake)
    await _run(
        evidence, "ok secret+", lambda: client.create_realtime_client_secret_with_response(SESSION)
    )
    await _run(evidence, "ok session", lambda: client.create_realtime_session({"voice": "ash"}))
    await _run(
        evidence,
        "ok transcription",
        lambda: client.create_realtime_transcription_session({"input_audio_format": "pcm16"}),
    )
    echoed = fake.minted_keys[0]
    for status in (400, 401, 403, 404, 409, 422, 429, 500, 502, 503):
        fake.fail_next(2, status, retry_after_ms=1)
        await _run(
            evidence,
            f"status {status}",
            lambda: client.create_realtime_client_secret(SESSION),
            fake,
        )
    # A proxy that echoes what it saw: the key and an ephemeral key in an error body.
    echo = {"error": {"message": f"bad header Bearer {API_KEY}; last key {echoed}", "code": "x"}}
    fake.fail_next(1, 400, body=echo)
    await _run(evidence, "echo json", lambda: client.create_realtime_client_secret(SESSION), fake)
    fake.fail_next(1, 502, body=f"<html>{API_KEY} {echoed}</html>".encode())
    fake.fail_next(1, 502, body=f"<html>{API_KEY} {echoed}</html>".encode())
    await _run(evidence, "echo html", lambda: client.create_realtime_client_secret(SESSION), fake)
    fake.drop_next(2)
    await _run(evidence, "drop", lambda: client.create_realtime_client_secret(SESSION), fake)
    fake.delay_next(2, 5.0)
    await _run(evidence, "timeout", lambda: client.create_realtime_client_secret(SESSION), fake)
    # The answer (holding a fresh ek_ value) starts, then stalls past the timeout.
    fake.slow_body_next(2, 5.0, chunks=4)
    await _run(evidence, "slow body", lambda: client.create_realtime_client_secret(SESSION), fake)
    fake.malformed_json_next(1)
    await _run(evidence, "malformed", lambda: client.create_realtime_client_secret(SESSION), fake)
    # A 200 that holds a real ek_ value but does not parse.
    broken = f'{{"value": "{echoed}", "key": "{API_KEY}", "expires_at": '.encode()
    fake.malformed_json_next(1, body=broken)
    await _run(
        evidence, "malformed key", lambda: client.create_realtime_client_secret(SESSION), fake
    )
    # Secrets pasted into the wrong fields of a request are not echoed by validation.
    for bad in (
        {"session": {"type": API_KEY}},
        {"session": {"type": "realtime", "instructions": [API_KEY]}},
        {"expires_after": {"anchor": echoed}},
        {"session": {"type": "realtime", "audio": {"output": {"speed": API_KEY}}}},
    ):
        await _run(
            evidence, "validation", lambda bad=bad: client.create_realtime_client_secret(bad)
        )
    assert any(isinstance(exc, RequestValidationError) for exc in evidence.errors)


def test_no_secret_in_the_sync_client_or_its_errors(caplog: pytest.LogCaptureFixture) -> None:
    """The sync facade's repr, results and errors hold no key either."""
    caplog.set_level(logging.DEBUG, logger="realtime_sdk")
    evidence = Evidence()
    with (
        serve_in_thread(api_key=API_KEY) as fake,
        SyncRealtimeClient(API_KEY, base_url=fake.base_url, max_retries=0) as client,
    ):
        evidence.add("sync client", client)
        result = client.create_realtime_client_secret(SESSION)
        evidence.add("sync result", result)
        evidence.add("sync session", result.session)
        fake.fail_next(1, 401)
        with pytest.raises(AuthenticationError) as caught:
            client.create_realtime_client_secret(SESSION)
        evidence.add_error("sync 401", caught.value)
        with pytest.raises(RequestValidationError) as invalid:
            client.create_realtime_client_secret({"session": {"type": API_KEY}})
        evidence.add_error("sync validation", invalid.value)
        minted = list(fake.minted_keys)
    evidence.add("sync client (closed)", client)
    evidence.add_logs(caplog.records)
    assert minted
    assert evidence.leaks([API_KEY, *minted]) == []


def _raise_key() -> None:
    raise ValueError(API_KEY)


def _fail_with_key_in_cause() -> None:
    try:
        _raise_key()
    except ValueError as inner:
        msg = "outer"
        raise RuntimeError(msg) from inner


def test_the_scan_finds_a_planted_secret() -> None:
    """The search itself works: a key hidden in a chained cause's message is found."""
    evidence = Evidence()
    with pytest.raises(RuntimeError) as caught:
        _fail_with_key_in_cause()
    evidence.add_error("planted", caught.value)
    assert ("planted traceback", API_KEY[:12] + "...") in evidence.leaks([API_KEY])
