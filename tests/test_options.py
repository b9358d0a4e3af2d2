"""Per-request options and with_options, against real loopback servers: what reaches the wire."""

import json
from collections.abc import AsyncIterator, Callable

import pytest

from realtime_sdk import SyncRealtimeClient
from realtime_sdk._client import RealtimeClient, _engine
from realtime_sdk.errors import (
    ClientClosedError,
    ConfigurationError,
    InternalServerError,
    RequestValidationError,
)
from realtime_sdk.testing import FakeRealtimeAPI, serve_in_thread
from tests.conftest import API_KEY, Reply, warns_if_legacy

REQUEST = {"expires_after": {"anchor": "created_at", "seconds": 600}}
SECRET_BODY = {
    "value": "ek_68af2f5d0f3c8190a5c1e2b3d4f5a6b7",
    "expires_at": 1_800_000_000,
    "session": {"type": "realtime", "id": "sess_1", "object": "realtime.session"},
}
OK = Reply(200, SECRET_BODY)


pytestmark = pytest.mark.usefixtures("clean_openai_env", "sleeps")


@pytest.fixture
async def fake() -> AsyncIterator[FakeRealtimeAPI]:
    """The fake API, accepting fields it does not know (as a newer service would)."""
    async with FakeRealtimeAPI(api_key=API_KEY, reject_unknown_fields=False) as api:
        yield api


@pytest.fixture
async def clients() -> AsyncIterator[Callable[..., RealtimeClient]]:
    """Build clients for a server's base URL; each is closed at teardown."""
    made: list[RealtimeClient] = []

    def make(base_url: str, **options: object) -> RealtimeClient:
        options.setdefault("api_key", API_KEY)
        made.append(RealtimeClient(base_url=base_url, **options))  # type: ignore[arg-type]
        return made[-1]

    yield make
    for made_client in made:
        await made_client.aclose()


@pytest.fixture
async def client(fake) -> AsyncIterator[RealtimeClient]:
    """A client of the fake, closed at teardown."""
    async with RealtimeClient(api_key=API_KEY, base_url=fake.base_url) as made:
        yield made


# -- per-request options ----------------------------------------------------------------------


async def test_extra_query_and_extra_body_reach_the_wire(fake, client) -> None:
    """extra_query lands in the URL and extra_body's keys in the JSON body, next to the request's."""
    await client.create_realtime_client_secret(
        REQUEST,
        extra_query={"feature": "x y", "n": 3},
        extra_body={"new_field": {"nested": [1, True, None]}},
    )
    seen = fake.requests[0]
    assert seen.status == 200
    assert seen.query == "feature=x+y&n=3"
    assert json.loads(seen.body) == {**REQUEST, "new_field": {"nested": [1, True, None]}}


async def test_extra_body_replaces_a_request_key_of_the_same_name(fake, client) -> None:
    """A key in both the request and extra_body is sent once, with extra_body's value."""
    await client.create_realtime_client_secret(
        {"session": {"type": "realtime"}},
        extra_body={"session": {"type": "realtime", "model": "gpt-realtime-next"}},
    )
    body = fake.requests[0].body
    assert body.count(b'"session"') == 1
    assert json.loads(body)["session"]["model"] == "gpt-realtime-next"


async def test_calls_without_options_send_the_same_bytes(fake, client) -> None:
    """Empty option mappings change nothing on the wire."""
    await client.create_realtime_client_secret(REQUEST)
    await client.create_realtime_client_secret(
        REQUEST, extra_headers={}, extra_query={}, extra_body={}
    )
    first, second = fake.requests
    assert first.body == second.body
    assert first.query == second.query == ""
    assert sorted(first.headers) == sorted(second.headers)


async def test_unencodable_extra_body_names_the_key_before_any_io(fake, client) -> None:
    """A value JSON cannot hold fails at once, naming extra_body.<key>; nothing is sent."""
    with pytest.raises(
        RequestValidationError, match=r"extra_body\.when: expected JSON values only, got object"
    ):
        await client.create_realtime_client_secret(REQUEST, extra_body={"ok": 1, "when": object()})
    with pytest.raises(RequestValidationError, match=r"extra_body\.bad"):
        await client.create_realtime_client_secret(REQUEST, extra_body={"bad": float("nan")})
    assert fake.requests == []


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ({"flag": True}, r"extra_query\['flag'\]: expected a str, int or float, got bool"),
        ({"n": float("inf")}, r"extra_query\['n'\]: expected a finite number"),
        ({"": "x"}, r"extra_query: '' is not a parameter name"),
    ],
)
async def test_bad_extra_query_names_the_parameter_before_any_io(
    fake, client, query, match
) -> None:
    """A query value that has no clear text form is a ConfigurationError naming it; nothing is sent."""
    with pytest.raises(ConfigurationError, match=match):
        await client.create_realtime_client_secret(REQUEST, extra_query=query)
    assert fake.requests == []


@pytest.mark.parametrize(("value", "match"), [(-1, "max_retries"), (True, "max_retries")])
async def test_bad_per_call_max_retries_is_refused(fake, client, value, match) -> None:
    """A negative or boolean max_retries is a ConfigurationError; nothing is sent."""
    with pytest.raises(ConfigurationError, match=match):
        await client.create_realtime_client_secret(REQUEST, max_retries=value)
    assert fake.requests == []


async def test_per_call_max_retries_overrides_the_client(fake, client, sleeps) -> None:
    """max_retries=0 makes one attempt; the client's default of 2 makes three."""
    fake.fail_next(10, 500)
    with pytest.raises(InternalServerError):
        await client.create_realtime_client_secret(REQUEST, max_retries=0)
    assert len(fake.requests) == 1
    with pytest.raises(InternalServerError):
        await client.create_realtime_client_secret(REQUEST)
    assert len(fake.requests) == 4
    assert len(sleeps) == 2


async def test_every_method_takes_the_options(fake, client) -> None:
    """The session methods and the *_with_response variants carry the options too."""
    with warns_if_legacy("create_realtime_session"):
        await client.create_realtime_session({}, extra_query={"a": "1"}, extra_body={"x": 1})
    with warns_if_legacy("create_realtime_transcription_session_with_response"):
        await client.create_realtime_transcription_session_with_response(
            {}, extra_query={"b": "2"}, max_retries=0, timeout=5
        )
    response = await client.create_realtime_client_secret_with_response(
        REQUEST, extra_headers={"X-Trace": "t1"}
    )
    assert response.status_code == 200
    first, second, third = fake.requests
    assert (first.query, json.loads(first.body)) == ("a=1", {"x": 1})
    assert second.query == "b=2"
    assert third.headers["X-Trace"] == "t1"


def test_sync_facade_takes_the_options() -> None:
    """The generated sync twin passes every per-request option through to the wire."""
    with (
        serve_in_thread(api_key=API_KEY, reject_unknown_fields=False) as fake,
        SyncRealtimeClient(api_key=API_KEY, base_url=fake.base_url) as client,
    ):
        client.create_realtime_client_secret(
            REQUEST,
            timeout=5,
            max_retries=0,
            extra_headers={"X-Trace": "sync"},
            extra_query={"q": "1"},
            extra_body={"added": "yes"},
        )
        seen = fake.requests[0]
    assert seen.query == "q=1"
    assert seen.headers["X-Trace"] == "sync"
    assert json.loads(seen.body)["added"] == "yes"


# -- with_options -----------------------------------------------------------------------------


async def test_with_options_changes_settings_on_the_same_pool(fake, client) -> None:
    """A derived client sends its own headers over the parent's keep-alive connection."""
    await client.create_realtime_client_secret(REQUEST)
    child = client.with_options(default_headers={"X-Tenant": "t1"}, organization="org-1")
    await child.create_realtime_client_secret(REQUEST)
    await client.create_realtime_client_secret(REQUEST)
    parent_first, from_child, parent_again = fake.requests
    assert from_child.headers["X-Tenant"] == "t1"
    assert from_child.headers["OpenAI-Organization"] == "org-1"
    assert from_child.headers["Authorization"] == f"Bearer {API_KEY}"
    for seen in (parent_first, parent_again):
        assert "X-Tenant" not in seen.headers
        assert "OpenAI-Organization" not in seen.headers
    assert fake.connections == 1


async def test_with_options_key_and_base_url(start_server, clients) -> None:
    """A derived client's key and base URL are used for its calls only."""
    server = await start_server(OK)
    parent = clients(server.base_url)
    child = parent.with_options(
        api_key="sk-other-0123456789", base_url=server.base_url.replace("/v1/", "/v2/")
    )
    await child.create_realtime_client_secret(REQUEST)
    await parent.create_realtime_client_secret(REQUEST)
    from_child, from_parent = server.requests
    assert from_child.path == "/v2/realtime/client_secrets"
    assert from_child.headers["Authorization"] == "Bearer sk-other-0123456789"
    assert from_parent.path == "/v1/realtime/client_secrets"
    assert from_parent.headers["Authorization"] == f"Bearer {API_KEY}"
    assert server.connections == 1
    assert child.base_url.endswith("/v2/")


async def test_with_options_timeout_and_retries(fake, client, sleeps) -> None:
    """A derived client's retry count applies to its calls, the parent's to the parent's."""
    child = client.with_options(max_retries=0, timeout=5, total_timeout=None)
    fake.fail_next(10, 500)
    with pytest.raises(InternalServerError):
        await child.create_realtime_client_secret(REQUEST)
    assert len(fake.requests) == 1
    with pytest.raises(InternalServerError):
        await client.create_realtime_client_secret(REQUEST)
    assert len(fake.requests) == 4


async def test_child_made_before_first_use_shares_the_pool(fake, client) -> None:
    """A child whose first call opens the pool leaves the parent on the same connection."""
    child = client.with_options(timeout=7)
    await child.create_realtime_client_secret(REQUEST)
    await client.create_realtime_client_secret(REQUEST)
    assert fake.connections == 1


async def test_with_options_reads_no_environment(fake, client, monkeypatch) -> None:
    """A derived client keeps the parent's settings, not what the environment says now."""
    monkeypatch.setenv("OPENAI_BASE_URL", "https://elsewhere.example/v1")
    monkeypatch.setenv("OPENAI_ORG_ID", "org-from-env")
    child = client.with_options(timeout=3)
    assert child.base_url == client.base_url
    await child.create_realtime_client_secret(REQUEST)
    assert "OpenAI-Organization" not in fake.requests[0].headers


async def test_closing_a_child_leaves_the_parent_open(fake, client) -> None:
    """aclose() on a derived client ends that client only; the pool goes on serving the parent."""
    child = client.with_options(timeout=5)
    await child.create_realtime_client_secret(REQUEST)
    await child.aclose()
    assert child.is_closed
    assert not client.is_closed
    await client.create_realtime_client_secret(REQUEST)
    with pytest.raises(ClientClosedError, match="closed"):
        await child.create_realtime_client_secret(REQUEST)
    assert fake.connections == 1
    assert len(fake.requests) == 2


async def test_closing_the_parent_makes_children_fail_clearly(fake) -> None:
    """Once the parent is closed a derived client raises ClientClosedError naming with_options."""
    parent = RealtimeClient(api_key=API_KEY, base_url=fake.base_url)
    child = parent.with_options(timeout=5)
    await child.create_realtime_client_secret(REQUEST)
    await parent.aclose()
    assert child.is_closed
    assert "closed" in repr(child)
    with pytest.raises(ClientClosedError, match="with_options"):
        await child.create_realtime_client_secret(REQUEST)
    assert len(fake.requests) == 1


async def test_parent_closed_during_a_childs_retry_pause(fake, monkeypatch) -> None:
    """A child waiting to retry stops with ClientClosedError when the parent closes."""
    parent = RealtimeClient(api_key=API_KEY, base_url=fake.base_url)
    child = parent.with_options(max_retries=3)

    async def close_instead(delay: float) -> None:
        await parent.aclose()

    monkeypatch.setattr(_engine, "_sleep", close_instead)
    fake.fail_next(1, 500)
    with pytest.raises(ClientClosedError):
        await child.create_realtime_client_secret(REQUEST)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"timeout": 0}, "timeout"),
        ({"max_retries": -1}, "max_retries"),
        ({"base_url": "ftp://x"}, "base_url"),
        ({"api_key": " "}, "api_key"),
        ({"default_headers": {"Host": "x"}}, "Host"),
        ({"total_timeout": -1}, "total_timeout"),
    ],
)
def test_with_options_checks_what_it_changes(options: dict, match: str) -> None:
    """A bad setting for a derived client is a ConfigurationError naming it."""
    parent = RealtimeClient(api_key=API_KEY, base_url="http://127.0.0.1:9/v1")
    with pytest.raises(ConfigurationError, match=match):
        parent.with_options(**options)


def test_sync_with_options_shares_the_loop_thread() -> None:
    """The sync twin's with_options gives a SyncRealtimeClient on the same pool and loop."""
    with serve_in_thread(api_key=API_KEY) as fake:
        parent = SyncRealtimeClient(api_key=API_KEY, base_url=fake.base_url)
        child = parent.with_options(default_headers={"X-Tenant": "t2"})
        assert isinstance(child, SyncRealtimeClient)
        child.create_realtime_client_secret(REQUEST)
        parent.create_realtime_client_secret(REQUEST)
        child.close()
        assert child.is_closed
        parent.create_realtime_client_secret(REQUEST)
        with pytest.raises(ClientClosedError):
            child.create_realtime_client_secret(REQUEST)
        grandchild = parent.with_options(timeout=5)
        parent.close()
        with pytest.raises(ClientClosedError):
            grandchild.create_realtime_client_secret(REQUEST)
        assert grandchild.is_closed
        assert fake.requests[0].headers["X-Tenant"] == "t2"
        assert "X-Tenant" not in fake.requests[1].headers
        assert fake.connections == 1
        assert len(fake.requests) == 3


# -- the call operations ----------------------------------------------------------------------

OFFER = "v=0\r\no=- 4227147428 1719357865 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
SESSION = {"type": "realtime", "model": "gpt-realtime"}


async def test_call_changes_take_the_options(fake, client) -> None:
    """accept/refer/reject/hangup carry extra_query, extra_headers and (JSON bodies) extra_body."""
    call_id = fake.add_incoming_call()
    await client.accept_realtime_call(
        call_id, SESSION, extra_query={"q": "1"}, extra_body={"newer": True}, max_retries=0
    )
    await client.refer_realtime_call(
        call_id, {"target_uri": "tel:+14155550123"}, extra_headers={"X-Trace": "r"}
    )
    await client.hangup_realtime_call(
        fake.add_incoming_call(), extra_query={"why": "done"}, timeout=5
    )
    accept, refer, hangup = fake.requests
    assert (accept.path, accept.query) == (f"/v1/realtime/calls/{call_id}/accept", "q=1")
    assert json.loads(accept.body) == {**SESSION, "newer": True}
    assert refer.headers["X-Trace"] == "r"
    assert (hangup.query, hangup.body, hangup.status) == ("why=done", b"", 200)


async def test_reject_with_options_and_no_request(fake, client) -> None:
    """reject without a request still sends {} (plus extra_body's keys when given)."""
    call_id = fake.add_incoming_call()
    await client.reject_realtime_call(call_id, extra_body={"status_code": 486})
    assert json.loads(fake.requests[0].body) == {"status_code": 486}


async def test_extra_body_without_a_json_body_is_refused(fake, client) -> None:
    """Where the body is a form, SDP or nothing, extra_body is a ConfigurationError before I/O."""
    with pytest.raises(ConfigurationError, match="create_realtime_call sends no JSON body"):
        await client.create_realtime_call({"sdp": OFFER}, extra_body={"x": 1})
    with pytest.raises(ConfigurationError, match="hangup_realtime_call sends no JSON body"):
        await client.hangup_realtime_call(fake.add_incoming_call(), extra_body={"x": 1})
    assert fake.requests == []


async def test_create_call_takes_query_headers_and_a_derived_client(fake, client) -> None:
    """The WebRTC offer goes out with extra_query and extra_headers, also from with_options."""
    child = client.with_options(default_headers={"X-Tenant": "t"})
    answer = await child.create_realtime_call(
        {"sdp": OFFER, "session": SESSION}, extra_query={"q": "2"}, extra_headers={"X-A": "b"}
    )
    seen = fake.requests[0]
    assert answer.call_id in fake.calls
    assert (seen.query, seen.headers["X-A"], seen.headers["X-Tenant"]) == ("q=2", "b", "t")
    assert seen.headers["Content-Type"].startswith("multipart/form-data")
