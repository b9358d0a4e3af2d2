"""Tracing: aiohttp trace_configs on the client's own session, and OpenTelemetry spans per call."""

import asyncio
from collections.abc import Iterator
from types import SimpleNamespace

import aiohttp
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from realtime_sdk import RealtimeClient, SyncRealtimeClient
from realtime_sdk._client import _otel
from realtime_sdk.errors import APIKeyProviderError, ConfigurationError, InternalServerError
from realtime_sdk.testing import FakeRealtimeAPI, serve_in_thread
from tests.conftest import warns_if_legacy

KEY = "sk-test-0123456789abcdefSECRET"
REQUEST = {"session": {"type": "realtime"}}


# Pauses between attempts are recorded, not waited out (`conftest.sleeps`).
pytestmark = pytest.mark.usefixtures("sleeps")


@pytest.fixture
def exporter(monkeypatch) -> Iterator[InMemorySpanExporter]:
    """Spans of this test only, through a provider of its own (the global one is not touched)."""
    memory = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    monkeypatch.setattr(_otel, "get_tracer", lambda: provider.get_tracer("realtime_sdk"))
    yield memory
    provider.shutdown()


async def test_trace_configs_see_every_attempt() -> None:
    """aiohttp's hooks on the client's own session fire for each attempt, retries included."""
    seen: list[tuple[str, str, int]] = []

    async def on_end(
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        seen.append((params.method, params.url.path, params.response.status))

    config = aiohttp.TraceConfig()
    config.on_request_end.append(on_end)
    async with FakeRealtimeAPI() as fake:
        fake.fail_next(1, 500)
        async with RealtimeClient(
            api_key=KEY, base_url=fake.base_url, trace_configs=[config]
        ) as client:
            await client.create_realtime_client_secret(REQUEST)
    path = "/v1/realtime/client_secrets"
    assert seen == [("POST", path, 500), ("POST", path, 200)]


def test_trace_configs_with_a_callers_session_are_refused() -> None:
    """The hooks belong on the caller's own session: asking for both is a ConfigurationError."""

    async def build() -> None:
        async with aiohttp.ClientSession() as session:
            RealtimeClient(api_key=KEY, session=session, trace_configs=[aiohttp.TraceConfig()])

    with pytest.raises(ConfigurationError, match="trace_configs"):
        asyncio.run(build())


async def test_one_span_per_call_with_attempt_events(exporter) -> None:
    """A call is one CLIENT span: method, path, status, request id, attempts, duration, no key."""
    async with FakeRealtimeAPI() as fake:
        fake.fail_next(1, 503)
        async with RealtimeClient(api_key=KEY, base_url=fake.base_url, otel_tracing=True) as client:
            await client.create_realtime_client_secret(REQUEST)
    [span] = exporter.get_finished_spans()
    assert span.name == "POST realtime/client_secrets"
    assert span.kind is SpanKind.CLIENT
    attributes = dict(span.attributes)
    assert attributes["http.request.method"] == "POST"
    assert attributes["url.path"] == "/v1/realtime/client_secrets"
    assert attributes["server.address"] == "127.0.0.1"
    assert attributes["server.port"] == fake.port
    assert attributes["http.response.status_code"] == 200
    assert attributes["realtime_sdk.method"] == "create_realtime_client_secret"
    assert attributes["realtime_sdk.request_id"] == fake.requests[-1].request_id
    assert attributes["realtime_sdk.attempts"] == 2
    assert attributes["realtime_sdk.duration_s"] >= 0
    events = [dict(event.attributes) for event in span.events]
    assert [event["realtime_sdk.attempt"] for event in events] == [1, 2]
    assert [event["http.response.status_code"] for event in events] == [503, 200]
    assert span.status.status_code is not StatusCode.ERROR
    assert KEY not in repr(span.to_json())
    assert fake.minted_keys[0] not in repr(span.to_json())


async def test_a_failed_call_is_an_error_span(exporter) -> None:
    """A call that fails ends its span with ERROR, the error class and the last status."""
    async with FakeRealtimeAPI() as fake:
        fake.fail_next(5, 500)
        async with RealtimeClient(
            api_key=KEY, base_url=fake.base_url, otel_tracing=True, max_retries=1
        ) as client:
            with pytest.raises(InternalServerError):
                await client.create_realtime_client_secret(REQUEST)
    [span] = exporter.get_finished_spans()
    attributes = dict(span.attributes)
    assert span.status.status_code is StatusCode.ERROR
    assert attributes["error.type"] == "InternalServerError"
    assert attributes["http.response.status_code"] == 500
    assert attributes["realtime_sdk.attempts"] == 2
    assert span.events[0].name == "attempt"


async def test_a_provider_failure_keeps_its_message_out_of_the_span(exporter) -> None:
    """The span names the error class only: what a provider's exception said stays out."""

    def provider() -> str:
        msg = "token sk-leaked-0123456789 expired"
        raise RuntimeError(msg)

    async with (
        FakeRealtimeAPI() as fake,
        RealtimeClient(api_key=provider, base_url=fake.base_url, otel_tracing=True) as client,
    ):
        with pytest.raises(APIKeyProviderError):
            await client.create_realtime_client_secret(REQUEST)
    [span] = exporter.get_finished_spans()
    assert dict(span.attributes)["error.type"] == "APIKeyProviderError"
    assert "leaked" not in repr(span.to_json())
    assert span.events == ()


async def test_no_spans_unless_asked(exporter) -> None:
    """Tracing is opt-in: a client without otel_tracing makes no span."""
    async with (
        FakeRealtimeAPI() as fake,
        RealtimeClient(api_key=KEY, base_url=fake.base_url) as client,
    ):
        await client.create_realtime_client_secret(REQUEST)
        await client.with_options(timeout=5).create_realtime_client_secret(REQUEST)
    assert exporter.get_finished_spans() == ()


def test_sync_client_and_children_trace_too(exporter) -> None:
    """The sync twin and its with_options children make the same spans."""
    with (
        serve_in_thread() as fake,
        SyncRealtimeClient(api_key=KEY, base_url=fake.base_url, otel_tracing=True) as client,
    ):
        with warns_if_legacy("create_realtime_session"):
            client.create_realtime_session({})
        client.with_options(timeout=5).create_realtime_client_secret(REQUEST)
    names = [span.name for span in exporter.get_finished_spans()]
    assert names == ["POST realtime/sessions", "POST realtime/client_secrets"]


def test_without_the_api_installed_the_error_says_what_to_install(monkeypatch) -> None:
    """otel_tracing=True with no OpenTelemetry API is a ConfigurationError naming the extra."""

    def missing(name: str) -> object:
        raise ImportError(name)

    monkeypatch.setattr(_otel, "import_module", missing)
    with pytest.raises(ConfigurationError, match=r"realtime-control-sdk\[otel\]"):
        RealtimeClient(api_key=KEY, otel_tracing=True)


async def test_call_operations_are_traced_by_route(exporter) -> None:
    """A call change is one span named by its route, with the call id left out of the name."""
    async with FakeRealtimeAPI() as fake:
        call_id = fake.add_incoming_call()
        async with RealtimeClient(api_key=KEY, base_url=fake.base_url, otel_tracing=True) as client:
            await client.accept_realtime_call(call_id, {"type": "realtime"})
    [span] = exporter.get_finished_spans()
    assert span.name == "POST realtime/calls/{call_id}/accept"
    attributes = dict(span.attributes)
    assert attributes["realtime_sdk.method"] == "accept_realtime_call"
    assert attributes["http.response.status_code"] == 200
    assert call_id not in span.name
