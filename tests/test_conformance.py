"""Conformance: every body the spec allows goes out as given; every answer it allows reads back.

Request bodies are drawn from the published schemas (with the documented nulls), with
closed objects and with extra keys wherever a schema allows them, and sent three ways: the
async client with the dict, the async client with the model that the public converter
builds from it, and the sync client. The fake API (an independent witness that does not
use the SDK's models) records each body; it must be the drawn body exactly: the same keys
and values, list items in the same order (and, for a dict, members in the same order).

Answers are drawn from the response schemas read leniently (every property may be null,
every enum and tag may be new), served by the fake, read by the client, and must come back
exactly through `converter.unstructure`. The example count comes from the Hypothesis
profile (tests/conftest.py): a few hundred per schema in CI.
"""

import asyncio
import functools
import json
from collections.abc import Iterator
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings

from realtime_sdk import (
    RealtimeClient,
    RequestValidationError,
    SyncRealtimeClient,
    converter,
    models,
    structure_request,
    to_dict,
)
from realtime_sdk._spec.operations import OPERATIONS, Answer, Body
from realtime_sdk.testing import FakeRealtimeAPI
from realtime_sdk.testing._background import serve_in_thread
from tests._spec_draws import draw, exact, request_schema, response_schema, wire
from tests.conftest import allows_legacy_calls

API_KEY = "sk-conformance-0123456789abcdef"


class Endpoint(NamedTuple):
    method: str
    request: type[Any]
    response: type[Any]


ENDPOINTS = [
    Endpoint(e.method, e.request, e.response) for e in OPERATIONS if e.answer is Answer.JSON
]
_IDS = [endpoint.request.__name__ for endpoint in ENDPOINTS]
# Requests that fit, for the answer tests ({} fits the others).
_SMALLEST_REQUESTS: dict[str, dict[str, Any]] = {
    "create_realtime_client_secret": {"session": {"type": "realtime"}},
    "create_realtime_translation_client_secret": {"session": {"model": "gpt-realtime-translate"}},
}
# The JSON bodies of the call changes (accept, refer, reject); the offer is a form.
CALL_CHANGES = [
    (e.method, e.request) for e in OPERATIONS if e.answer is Answer.EMPTY and e.body is Body.JSON
]
OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
_SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class Clients(NamedTuple):
    fake: FakeRealtimeAPI
    runner: asyncio.Runner
    async_client: RealtimeClient
    sync_client: SyncRealtimeClient


@pytest.fixture(scope="module")
def clients() -> Iterator[Clients]:
    """One fake on a thread, an async client on a private loop, and a sync client."""

    async def open_async(base_url: str) -> RealtimeClient:
        return RealtimeClient(API_KEY, base_url=base_url, max_retries=0, timeout=30)

    with (
        serve_in_thread(reject_unknown_fields=False, max_records=4) as fake,
        asyncio.Runner() as runner,
        SyncRealtimeClient(API_KEY, base_url=fake.base_url, max_retries=0, timeout=30) as sync,
    ):
        client = runner.run(open_async(fake.base_url))
        try:
            yield Clients(fake, runner, client, sync)
        finally:
            runner.run(client.aclose())


def _sent(clients: Clients, call: Any, body: object) -> bytes:
    before = clients.fake.stats()["requests"]
    result = call(body)
    if asyncio.iscoroutine(result):
        clients.runner.run(result)
    assert clients.fake.stats()["requests"] == before + 1
    return clients.fake.requests[-1].body


@allows_legacy_calls
@pytest.mark.parametrize("objects", ["closed", "open"])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_IDS)
def test_every_request_body_the_spec_allows_is_sent_exactly(
    clients: Clients, endpoint: Endpoint, objects: str
) -> None:
    """Through the async client (dict and model) and the sync client, the body on the wire
    is the drawn body."""
    schema = request_schema(endpoint.request.__name__)

    @_SETTINGS
    @given(body=draw(schema, open_objects=objects == "open"))
    def check(body: dict[str, Any]) -> None:
        expected = exact(body)
        async_call = getattr(clients.async_client, endpoint.method)
        sync_call = getattr(clients.sync_client, endpoint.method)
        assert exact(wire(_sent(clients, async_call, body))) == expected
        assert exact(wire(_sent(clients, sync_call, body))) == expected
        # A model puts its fields in class order; everything else is as given.
        model = converter.structure(body, endpoint.request)
        sent = wire(_sent(clients, async_call, model))
        assert exact(sent, ordered=False) == exact(body, ordered=False)

    check()


@allows_legacy_calls
@pytest.mark.parametrize("objects", ["closed", "open"])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.response.__name__ for e in ENDPOINTS])
def test_every_answer_the_spec_allows_reads_back_exactly(
    clients: Clients, endpoint: Endpoint, objects: str
) -> None:
    """An answer with nulls anywhere, new enum values and new tags is read by the async and
    the sync client, and unstructures to exactly the JSON served."""
    schema = response_schema(endpoint.response.__name__)
    request = _SMALLEST_REQUESTS.get(endpoint.method, {})

    @_SETTINGS
    @given(answer=draw(schema, open_objects=objects == "open"))
    def check(answer: dict[str, Any]) -> None:
        expected = exact(answer, ordered=False)
        clients.fake.fail_next(1, status=200, body=answer)
        async_call = getattr(clients.async_client, endpoint.method)
        result = clients.runner.run(async_call(request))
        assert isinstance(result, endpoint.response)
        assert exact(converter.unstructure(result), ordered=False) == expected
        clients.fake.fail_next(1, status=200, body=answer)
        result = getattr(clients.sync_client, endpoint.method)(request)
        assert exact(to_dict(result), ordered=False) == expected

    check()


def _call_ready_for(fake: FakeRealtimeAPI, method: str) -> str:
    """A call the fake knows, in the state the method needs (a referred call is answered)."""
    call_id = fake.add_incoming_call()
    if method == "refer_realtime_call":
        fake.calls[call_id].state = "active"
    return call_id


@pytest.mark.parametrize("objects", ["closed", "open"])
@pytest.mark.parametrize(("method", "request_cls"), CALL_CHANGES, ids=[m for m, _ in CALL_CHANGES])
def test_every_call_change_body_the_spec_allows_is_sent_exactly(
    clients: Clients, method: str, request_cls: type[Any], objects: str
) -> None:
    """Accept, refer and reject bodies drawn from their schemas reach the fake as drawn."""
    schema = request_schema(request_cls.__name__)

    @_SETTINGS
    @given(body=draw(schema, open_objects=objects == "open"))
    def check(body: dict[str, Any]) -> None:
        expected = exact(body)
        for client in (clients.async_client, clients.sync_client):
            call = functools.partial(getattr(client, method), _call_ready_for(clients.fake, method))
            assert exact(wire(_sent(clients, call, body))) == expected

    check()


@pytest.mark.parametrize("objects", ["closed", "open"])
def test_every_session_the_spec_allows_goes_out_as_the_offer_s_session_part(
    clients: Clients, objects: str
) -> None:
    """The session of a WebRTC offer is the form's JSON ``session`` part, exactly as drawn."""
    schema = request_schema("RealtimeSessionCreateRequestGA")

    @_SETTINGS
    @given(body=draw(schema, open_objects=objects == "open"))
    def check(body: dict[str, Any]) -> None:
        for client in (clients.async_client, clients.sync_client):
            _sent(clients, client.create_realtime_call, {"sdp": OFFER, "session": body})
            form = clients.fake.requests[-1].form
            assert form is not None
            assert form["sdp"] == OFFER
            assert exact(json.loads(form["session"])) == exact(body)

    check()


def test_integral_decimals_are_integers_and_go_out_as_written(clients: Clients) -> None:
    """600.0 fits an integer (JSON Schema 2020-12, as OpenAPI 3.1 uses): sent as 600.0."""
    body = {
        "expires_after": {"seconds": 600.0},
        "session": {
            "type": "realtime",
            "max_output_tokens": 100.0,
            "audio": {"input": {"format": {"type": "audio/pcm", "rate": 24000.0}}},
        },
    }
    sent = _sent(clients, clients.sync_client.create_realtime_client_secret, body)
    assert b'"seconds":600.0' in sent
    assert exact(wire(sent)) == exact(body)


def test_a_tool_without_type_is_a_function_tool_and_an_audio_format_needs_its_tag() -> None:
    """An untagged tool can only be a function tool (MCP tools require their tag); an untagged
    audio format could be any of three, so it is the one refusal of that kind."""
    session = {"type": "realtime", "tools": [{"name": "lookup"}]}
    read = converter.structure(session, models.RealtimeSessionCreateRequestGA)
    assert read.tools == [models.RealtimeFunctionTool(name="lookup")]
    assert to_dict(read) == session
    ambiguous = {"type": "realtime", "audio": {"input": {"format": {}}}}
    with pytest.raises(RequestValidationError) as caught:
        structure_request(ambiguous, models.RealtimeSessionCreateRequestGA)
    assert [e.path for e in caught.value.errors] == ["audio.input.format.type"]


def test_a_null_only_an_answer_may_carry_is_refused_in_a_request(clients: Clients) -> None:
    """A class shared by requests and answers takes None when read, not when sent."""
    body = {"session": {"type": "realtime", "tools": [{"type": "function", "name": None}]}}
    before = clients.fake.stats()["requests"]
    with pytest.raises(RequestValidationError) as caught:
        clients.sync_client.create_realtime_client_secret(body)
    assert [str(e) for e in caught.value.errors] == [
        "session.tools[0].name: expected a string, got null"
    ]
    assert clients.fake.stats()["requests"] == before
    answer = converter.structure({"type": "function", "name": None}, models.RealtimeFunctionTool)
    assert answer.name is None


@allows_legacy_calls
def test_an_answer_with_nulls_reads_and_writes_back_exactly(clients: Clients) -> None:
    """The beta sessions answer with `instructions` (and more) null is read, not refused."""
    answer = {
        "id": None,
        "instructions": None,
        "tools": [{"type": None, "name": "lookup", "parameters": None}],
        "audio": {"output": {"voice": None, "speed": None}},
        "client_secret": {"value": None, "expires_at": None},
    }
    clients.fake.fail_next(1, status=200, body=answer)
    result = clients.sync_client.create_realtime_session({})
    assert result.instructions is None
    assert result.client_secret is not None
    assert result.client_secret.value is None
    assert to_dict(result) == answer
