"""Issue 21's surface: call-change twins with request ids, legacy methods that warn, the
retired-endpoint hint, live.call.incoming, the webhook secret from the environment, and the
SIP header shapes the testing helpers take."""

import inspect
import json
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from realtime_sdk import APIResponse, RealtimeClient, SyncRealtimeClient
from realtime_sdk._client import DEPRECATED
from realtime_sdk.errors import APIStatusError, NotFoundError
from realtime_sdk.testing import (
    FakeRealtimeAPI,
    live_call_incoming_event,
    make_webhook_secret,
    realtime_call_incoming_event,
    sign_webhook,
)
from realtime_sdk.testing._background import serve_in_thread
from realtime_sdk.webhooks import (
    LiveCallIncomingData,
    SipHeader,
    UnknownVariant,
    WebhookLiveCallIncoming,
    WebhookRealtimeCallIncoming,
    WebhookSecretError,
    unwrap,
    verify,
)
from tests.conftest import API_KEY, Reply

pytestmark = pytest.mark.usefixtures("sleeps")

SESSION = {"type": "realtime", "model": "gpt-realtime"}
THIS_FILE = str(Path(__file__).resolve())


@pytest.fixture
async def fake() -> AsyncIterator[FakeRealtimeAPI]:
    async with FakeRealtimeAPI(api_key=API_KEY) as server:
        yield server


@pytest.fixture
async def client(fake: FakeRealtimeAPI) -> AsyncIterator[RealtimeClient]:
    async with RealtimeClient(API_KEY, base_url=fake.base_url) as made:
        yield made


@pytest.fixture
async def clients() -> AsyncIterator[Callable[[str], RealtimeClient]]:
    made: list[RealtimeClient] = []

    def make(base_url: str) -> RealtimeClient:
        made.append(RealtimeClient(API_KEY, base_url=base_url))
        return made[-1]

    yield make
    for one in made:
        await one.aclose()


@pytest.fixture
def threaded_fake() -> Iterator[FakeRealtimeAPI]:
    with serve_in_thread(api_key=API_KEY) as server:
        yield server


# -- item 7: *_with_response twins of the call changes ---------------------------------------


async def test_accept_with_response_returns_the_request_id(fake, client) -> None:
    """accept_realtime_call_with_response sends the session and hands back the answer's facts."""
    call_id = fake.add_incoming_call()
    result = await client.accept_realtime_call_with_response(call_id, SESSION)
    assert isinstance(result, APIResponse)
    assert result.data is None
    assert result.status_code == 200
    assert result.attempts == 1
    assert result.request_id == fake.requests[-1].request_id
    assert result.request_id is not None
    assert result.request_id.startswith("req_")
    assert fake.requests[-1].path == f"/v1/realtime/calls/{call_id}/accept"
    assert fake.requests[-1].json == SESSION
    assert fake.calls[call_id].state == "active"


async def test_refer_reject_and_hangup_twins_send_their_bodies(fake, client) -> None:
    """Each twin sends what its plain method sends and returns that call's request id."""
    referred, rejected, hung_up = (fake.add_incoming_call() for _ in range(3))
    await client.accept_realtime_call(referred, SESSION)
    await client.accept_realtime_call(hung_up, SESSION)
    refer = await client.refer_realtime_call_with_response(
        referred, {"target_uri": "tel:+15550100"}
    )
    assert fake.requests[-1].json == {"target_uri": "tel:+15550100"}
    reject = await client.reject_realtime_call_with_response(rejected)
    assert fake.requests[-1].json == {}
    hangup = await client.hangup_realtime_call_with_response(hung_up)
    assert fake.requests[-1].body == b""
    ids = [fake.requests[i].request_id for i in (-3, -2, -1)]
    assert [refer.request_id, reject.request_id, hangup.request_id] == ids
    assert len(set(ids)) == 3
    assert fake.calls[rejected].state == "ended"


async def test_a_twin_raises_as_its_plain_method_does(fake, client) -> None:
    """An unknown call is a NotFoundError from the twin too."""
    with pytest.raises(NotFoundError):
        await client.hangup_realtime_call_with_response("rtc_nosuchcall")


def test_the_sync_facade_has_the_twins(threaded_fake) -> None:
    """SyncRealtimeClient's accept twin returns the request id of the answer."""
    call_id = threaded_fake.add_incoming_call()
    with SyncRealtimeClient(API_KEY, base_url=threaded_fake.base_url) as sync:
        result = sync.accept_realtime_call_with_response(call_id, SESSION)
    assert result.request_id == threaded_fake.requests[-1].request_id
    for name in ("accept", "refer", "reject", "hangup"):
        method = f"{name}_realtime_call_with_response"
        assert inspect.signature(getattr(SyncRealtimeClient, method)).return_annotation in (
            "APIResponse[None]",
            APIResponse[None],
        )


# -- item 8: legacy methods warn; the retired-endpoint hint ----------------------------------


LEGACY = {
    "create_realtime_session": {"voice": "ash"},
    "create_realtime_session_with_response": {"voice": "ash"},
    "create_realtime_transcription_session": {"input_audio_format": "pcm16"},
    "create_realtime_transcription_session_with_response": {"input_audio_format": "pcm16"},
}


@pytest.mark.parametrize("method", sorted(LEGACY))
async def test_legacy_methods_warn_at_the_callers_line(fake, client, method: str) -> None:
    """Each legacy method raises one DeprecationWarning pointing here, naming its replacement."""
    with pytest.warns(DeprecationWarning, match=rf"^{method}\(\) is deprecated") as caught:
        await getattr(client, method)(LEGACY[method])
    [warning] = caught.list
    assert warning.filename == THIS_FILE
    assert str(warning.message) == DEPRECATED[method]
    assert str(warning.message).startswith(f"{method}() is deprecated")
    replacement = "create_realtime_client_secret" + method.partition("session")[2]
    assert f"use {replacement}() instead, with the settings nested under" in str(warning.message)
    assert len(fake.requests) == 1  # the call is still made


@pytest.mark.parametrize("method", sorted(LEGACY))
def test_sync_legacy_methods_warn_once_at_the_callers_line(threaded_fake, method: str) -> None:
    """The facade warns on the caller's thread, at the caller's line, and only once."""
    with (
        SyncRealtimeClient(API_KEY, base_url=threaded_fake.base_url) as sync,
        pytest.warns(DeprecationWarning, match=rf"^{method}\(\) is deprecated") as caught,
    ):
        getattr(sync, method)(LEGACY[method])
    [warning] = caught.list
    assert warning.filename == THIS_FILE
    assert str(warning.message) == DEPRECATED[method]


def test_the_deprecation_names_the_moved_keys() -> None:
    """The warning says what changes: the "session" wrapper, its type, and where voice went."""
    session = DEPRECATED["create_realtime_session"]
    assert '"type": "realtime"' in session
    assert '"voice" to session.audio.output.voice' in session
    transcription = DEPRECATED["create_realtime_transcription_session"]
    assert '"type": "transcription"' in transcription
    assert '"input_audio_transcription" to session.audio.input.transcription' in transcription


def test_legacy_docstrings_say_deprecated() -> None:
    """Each legacy method's docstring (and its sync twin's) says it is deprecated."""
    for method in LEGACY:
        for cls in (RealtimeClient, SyncRealtimeClient):
            assert "Deprecated" in (getattr(cls, method).__doc__ or ""), (cls, method)


@pytest.mark.filterwarnings("ignore:create_realtime_session\\(\\) is deprecated:DeprecationWarning")
async def test_retired_hint_says_what_changes_in_one_sentence(start_server, clients) -> None:
    """The hint follows the API's own full stop without a second one and names the moves."""
    body = {"error": {"message": "Not found.", "type": "invalid_request_error", "code": None}}
    server = await start_server(Reply(404, json.dumps(body).encode()))
    with pytest.raises(NotFoundError) as caught:
        await clients(server.base_url).create_realtime_session({})
    message = str(caught.value)
    assert ".." not in message
    assert "Not found. The service has retired this endpoint shape; use " in message
    assert '"voice" to session.audio.output.voice' in message
    assert "takes the same session settings" not in message


@pytest.mark.filterwarnings(
    "ignore:create_realtime_transcription_session\\(\\) is deprecated:DeprecationWarning"
)
async def test_retired_hint_for_transcription_sessions(clients) -> None:
    """The fake's retired transcription endpoint gets the transcription wording."""
    async with FakeRealtimeAPI(retired_beta_endpoints=True) as api:
        with pytest.raises(APIStatusError) as caught:
            await clients(api.base_url).create_realtime_transcription_session({})
    assert '"type": "transcription"' in str(caught.value)
    assert ".." not in str(caught.value)


def test_benchmarks_and_cli_do_not_call_legacy_methods_unguarded() -> None:
    """No benchmark calls a legacy method (the CLI's legacy commands silence the warning)."""
    root = Path(__file__).resolve().parent.parent / "benchmarks"
    for script in root.glob("*.py"):
        text = script.read_text(encoding="utf-8")
        for method in LEGACY:
            assert f".{method}(" not in text, (script.name, method)


# -- item 7: live.call.incoming and OPENAI_WEBHOOK_SECRET ------------------------------------


def _delivery(event: dict[str, object], secret: str) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(event).encode()
    return body, sign_webhook(body, secret)


def test_live_call_incoming_is_typed() -> None:
    """A live.call.incoming delivery unwraps as WebhookLiveCallIncoming with its session id."""
    secret = make_webhook_secret()
    event = live_call_incoming_event("rtc_abc", sip_headers={"From": "<sip:+15550100@x>"})
    body, headers = _delivery(event, secret)
    unwrapped = unwrap(body, headers, secret=secret)
    assert isinstance(unwrapped, WebhookLiveCallIncoming)
    assert unwrapped.type == "live.call.incoming"
    assert unwrapped.data == LiveCallIncomingData(
        session_id="rtc_abc", sip_headers=[SipHeader(name="From", value="<sip:+15550100@x>")]
    )


def test_one_call_announced_twice_shares_its_id() -> None:
    """The two events for one waiting call carry the same rtc_ id under their own keys."""
    secret = make_webhook_secret()
    realtime = unwrap(*_delivery(realtime_call_incoming_event("rtc_same"), secret), secret=secret)
    live = unwrap(*_delivery(live_call_incoming_event("rtc_same"), secret), secret=secret)
    assert isinstance(realtime, WebhookRealtimeCallIncoming)
    assert isinstance(live, WebhookLiveCallIncoming)
    assert realtime.data is not None
    assert live.data is not None
    assert realtime.data.call_id == live.data.session_id == "rtc_same"


def test_other_event_types_stay_unknown() -> None:
    """A type the SDK does not know is still an UnknownVariant."""
    secret = make_webhook_secret()
    event = {**live_call_incoming_event(), "type": "live.call.something_new"}
    assert isinstance(unwrap(*_delivery(event, secret), secret=secret), UnknownVariant)


def test_unwrap_reads_the_secret_from_the_environment(monkeypatch) -> None:
    """With no secret passed, unwrap and verify use OPENAI_WEBHOOK_SECRET."""
    secret = make_webhook_secret()
    monkeypatch.setenv("OPENAI_WEBHOOK_SECRET", secret + "\n")  # as a file or shell gives it
    body, headers = _delivery(realtime_call_incoming_event("rtc_env"), secret)
    assert isinstance(unwrap(body, headers), WebhookRealtimeCallIncoming)
    verify(body, headers)
    monkeypatch.setenv("OPENAI_WEBHOOK_SECRET", make_webhook_secret())
    with pytest.raises(Exception, match="does not match") as caught:
        unwrap(body, headers)
    assert type(caught.value).__name__ == "WebhookSignatureError"


def test_a_passed_secret_wins_over_the_environment(monkeypatch) -> None:
    """An explicit secret is used even when the variable holds another."""
    secret = make_webhook_secret()
    monkeypatch.setenv("OPENAI_WEBHOOK_SECRET", make_webhook_secret())
    body, headers = _delivery(realtime_call_incoming_event(), secret)
    verify(body, headers, secret=secret)


@pytest.mark.parametrize(("value", "state"), [(None, "not set"), ("", "empty"), ("  ", "empty")])
def test_no_secret_anywhere_is_a_clear_error(monkeypatch, value, state) -> None:
    """Neither a secret nor the variable: WebhookSecretError naming both ways to give one."""
    if value is None:
        monkeypatch.delenv("OPENAI_WEBHOOK_SECRET", raising=False)
    else:
        monkeypatch.setenv("OPENAI_WEBHOOK_SECRET", value)
    body, headers = _delivery(realtime_call_incoming_event(), make_webhook_secret())
    for check in (unwrap, verify):
        with pytest.raises(WebhookSecretError) as caught:
            check(body, headers)
        message = str(caught.value)
        assert "secret=" in message
        assert f"OPENAI_WEBHOOK_SECRET is {state}" in message


def test_a_malformed_secret_in_the_environment_is_not_shown(monkeypatch) -> None:
    """A variable holding an API key by mistake is refused without showing it."""
    monkeypatch.setenv("OPENAI_WEBHOOK_SECRET", "sk-proj-NOTAWEBHOOKSECRET")
    body, headers = _delivery(realtime_call_incoming_event(), make_webhook_secret())
    with pytest.raises(WebhookSecretError) as caught:
        unwrap(body, headers)
    assert "NOTAWEBHOOKSECRET" not in str(caught.value)


# -- item 9: one shape of SIP headers for both helpers ---------------------------------------

PAIRS = [("From", "<sip:+15550100@example.com>"), ("Via", "a"), ("Via", "b")]
WIRE = [{"name": name, "value": value} for name, value in PAIRS]


@pytest.mark.parametrize(
    "given",
    [PAIRS, tuple(PAIRS), [list(pair) for pair in PAIRS], iter(PAIRS)],
    ids=["list", "tuple", "lists", "iterator"],
)
def test_event_builders_take_pairs(given) -> None:
    """Pairs in any sequence keep their order and repeats."""
    event = realtime_call_incoming_event("rtc_1", sip_headers=given)
    assert event["data"]["sip_headers"] == WIRE


def test_event_builders_and_the_fake_take_a_mapping() -> None:
    """A mapping works for both event builders and for add_incoming_call, with the same result."""
    mapping = {"From": "<sip:alice@example.com>", "To": "<sip:shop@example.net>"}
    wire = [{"name": k, "value": v} for k, v in mapping.items()]
    assert realtime_call_incoming_event(sip_headers=mapping)["data"]["sip_headers"] == wire
    assert live_call_incoming_event(sip_headers=mapping)["data"]["sip_headers"] == wire
    fake = FakeRealtimeAPI()
    by_mapping = fake.add_incoming_call(sip_headers=mapping)
    by_pairs = fake.add_incoming_call(sip_headers=list(mapping.items()))
    assert fake.calls[by_mapping].sip_headers == wire
    assert fake.calls[by_pairs].sip_headers == wire


def test_the_fake_keeps_repeated_headers_given_as_pairs() -> None:
    """add_incoming_call takes pairs, so an INVITE's repeated header can be rung."""
    fake = FakeRealtimeAPI()
    call_id = fake.add_incoming_call(sip_headers=PAIRS)
    assert fake.calls[call_id].sip_headers == WIRE


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("From: x", "got str"),
        (42, "got int"),
        (
            [("From", "a", "b")],
            r"sip_headers\[0\] must be a \(name, value\) pair of str, got a tuple of 3",
        ),
        ([("From", 1)], r"sip_headers\[0\] .* got a tuple of 2: \(str, int\)"),
        (["From"], r"sip_headers\[0\] .* got str"),
        ({"From": 1}, r"sip_headers\[0\] .* \(str, int\)"),
    ],
)
def test_other_shapes_are_a_clear_type_error(given, expected) -> None:
    """Anything else is a TypeError saying what was expected, from all three helpers."""
    fake = FakeRealtimeAPI()
    for build in (
        lambda: realtime_call_incoming_event(sip_headers=given),
        lambda: live_call_incoming_event(sip_headers=given),
        lambda: fake.add_incoming_call(sip_headers=given),
    ):
        with pytest.raises(TypeError, match=expected):
            build()
    assert fake.calls == {}


def test_no_warning_escapes_the_helpers() -> None:
    """Building events never warns (the suite runs with warnings as errors anyway)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        realtime_call_incoming_event(sip_headers={})
        live_call_incoming_event(sip_headers=[])
