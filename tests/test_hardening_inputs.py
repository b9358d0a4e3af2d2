"""Issue 19, items 8, 9 and 12-15: hostile arguments get the documented error, nothing is sent.

Sections follow the issue's numbering. Every server is the fake on 127.0.0.1; every call is
bounded by the client's own timeouts (and a short one here).
"""

import asyncio
import io
import json
import os
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from realtime_sdk import (
    AzureRealtimeClient,
    ConfigurationError,
    RealtimeClient,
    RequestValidationError,
    SyncRealtimeClient,
    _cli,
    from_dict,
    from_json,
)
from realtime_sdk.models import RealtimeCreateClientSecretResponse
from realtime_sdk.testing import FakeRealtimeAPI, make_webhook_secret, sign_webhook
from realtime_sdk.testing._background import serve_in_thread

API_KEY = "sk-proj-INPUTS-0123456789abcdefghijklmnop"
AZURE_KEY = "0123456789abcdef0123456789abcdef"
VERSION = "2025-04-01-preview"
REQUEST = {"session": {"type": "realtime"}}
SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
PASSWORD = "hunter2"
SESSION = {"type": "realtime", "id": "sess_1", "object": "realtime.session"}
ENV = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_ENDPOINT",
    "OPENAI_API_VERSION",
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No key, URL or Azure setting from the developer's shell leaks into a test."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def fake() -> AsyncIterator[FakeRealtimeAPI]:
    """The fake API on 127.0.0.1, accepting any key."""
    async with FakeRealtimeAPI() as server:
        yield server


@pytest.fixture
async def azure() -> AsyncIterator[FakeRealtimeAPI]:
    """The fake as an Azure resource that accepts any deployment name."""
    async with FakeRealtimeAPI(azure=True, api_key=AZURE_KEY) as server:
        yield server


def _client(fake: FakeRealtimeAPI, **options: Any) -> RealtimeClient:
    return RealtimeClient(API_KEY, base_url=fake.base_url, max_retries=0, timeout=10, **options)


# -- 8. Azure deployment names --------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        ".",
        "..",
        "%2e%2e",
        "%2E%2E",
        "rt%2Fprod",
        "rt%2fprod",
        "rt-prod\n",
        "rt\r\nprod",
        "rt\tprod",
    ],
)
def test_a_deployment_name_that_leaves_its_segment_is_refused(name: str) -> None:
    """Dot segments, percent escapes and CR/LF/TAB: a ConfigurationError naming the setting."""
    with pytest.raises(ConfigurationError) as caught:
        AzureRealtimeClient(
            api_key=AZURE_KEY,
            azure_endpoint="https://r.openai.azure.com",
            azure_deployment=name,
            api_version=VERSION,
        )
    message = str(caught.value)
    assert message.startswith("azure_deployment: expected a deployment name")
    assert "'.' or '..'" in message
    assert "'%'" in message
    assert "control characters" in message


async def test_a_deployment_name_is_sent_as_exactly_the_segment_given(azure) -> None:
    """Dots inside a name and a space stay in one segment; nothing is stripped or resolved."""
    async with AzureRealtimeClient(
        api_key=AZURE_KEY,
        azure_endpoint=azure.azure_endpoint,
        azure_deployment="gpt.rt v2",
        api_version=VERSION,
        max_retries=0,
    ) as client:
        await client.create_realtime_client_secret(REQUEST)
    (seen,) = azure.requests
    assert seen.path == "/openai/deployments/gpt.rt v2/realtime/client_secrets"
    assert seen.headers.getall("api-key") == [AZURE_KEY]


# -- 9. header names ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["X-Trace\n", "X-Trace\r\n", "\nX-Trace"])
async def test_a_header_name_with_a_newline_is_refused_before_sending(fake, name: str) -> None:
    """extra_headers, default_headers and with_options: a clear error naming the header."""
    async with _client(fake) as client:
        with pytest.raises(ConfigurationError) as caught:
            await client.create_realtime_client_secret(REQUEST, extra_headers={name: "1"})
        assert str(caught.value) == f"extra_headers: {name!r} is not a valid header name"
        with pytest.raises(ConfigurationError, match=r"default_headers: .* is not a valid header"):
            client.with_options(default_headers={name: "1"})
    with pytest.raises(ConfigurationError, match=r"default_headers: .* is not a valid header"):
        _client(fake, default_headers={name: "1"})
    assert fake.requests == []


# -- 12. hostile arguments ------------------------------------------------------------------


@pytest.mark.parametrize("action", ["hangup", "accept", "reject", "refer"])
async def test_a_lone_surrogate_in_a_call_id_is_a_request_validation_error(fake, action) -> None:
    """A call id Python cannot encode as UTF-8: RequestValidationError on call_id, nothing sent."""
    call_id = "rtc_\udcff"
    async with _client(fake) as client:
        calls = {
            "hangup": lambda: client.hangup_realtime_call(call_id),
            "accept": lambda: client.accept_realtime_call(call_id, {"type": "realtime"}),
            "reject": lambda: client.reject_realtime_call(call_id),
            "refer": lambda: client.refer_realtime_call(call_id, {"target_uri": "tel:+15550100"}),
        }
        with pytest.raises(RequestValidationError) as caught:
            await calls[action]()
    (error,) = caught.value.errors
    assert error.path == "call_id"
    assert error.got == "a string with a lone surrogate"
    assert "lone surrogates" in error.expected
    assert fake.requests == []


async def test_a_big_int_in_extra_query_is_sent_as_its_digits(fake) -> None:
    """An int beyond any float (10**400) goes out exactly, not as an OverflowError."""
    async with _client(fake) as client:
        await client.create_realtime_client_secret(REQUEST, extra_query={"n": 10**400})
    (seen,) = fake.requests
    assert seen.query == "n=1" + "0" * 400


async def test_an_int_too_long_to_write_out_in_extra_query_is_refused(fake) -> None:
    """Past Python's digit limit: a ConfigurationError naming the parameter, nothing sent."""
    limit = sys.get_int_max_str_digits()
    if limit == 0:  # pragma: no cover - the interpreter was told to write any int
        pytest.skip("no int digit limit in this interpreter")
    async with _client(fake) as client:
        with pytest.raises(ConfigurationError) as caught:
            await client.create_realtime_client_secret(REQUEST, extra_query={"n": 10**limit})
    assert str(caught.value).startswith("extra_query['n']: expected an int Python can write out")
    assert fake.requests == []


@pytest.mark.parametrize("query", [{"a": "x\ud800"}, {"\ud800": "x"}])
async def test_a_lone_surrogate_in_extra_query_is_refused_not_dropped(fake, query) -> None:
    """yarl would drop the character silently: a ConfigurationError instead, nothing sent."""
    async with _client(fake) as client:
        with pytest.raises(ConfigurationError, match=r"^extra_query.*lone surrogates"):
            await client.create_realtime_client_secret(REQUEST, extra_query=query)
    assert fake.requests == []


@pytest.mark.parametrize("headers", [[("X-A", "1")], "X-A: 1", 5])
async def test_extra_headers_that_are_not_a_mapping_are_refused(fake, headers) -> None:
    """A list of pairs, a str or an int: a ConfigurationError naming extra_headers, nothing sent."""
    async with _client(fake) as client:
        with pytest.raises(ConfigurationError) as caught:
            await client.create_realtime_client_secret(REQUEST, extra_headers=headers)
    kind = type(headers).__name__
    assert str(caught.value) == (
        f"extra_headers: expected a mapping of header names to str values, got {kind}"
    )
    assert fake.requests == []


@pytest.mark.parametrize("headers", [[("X-A", "1")], "X-A: 1"])
async def test_default_headers_that_are_not_a_mapping_are_refused(fake, headers) -> None:
    """At construction and in with_options: a ConfigurationError naming default_headers."""
    expected = "default_headers: expected a mapping of header names to str values, got "
    with pytest.raises(ConfigurationError, match=f"^{expected}"):
        _client(fake, default_headers=headers)
    async with _client(fake) as client:
        with pytest.raises(ConfigurationError, match=f"^{expected}"):
            client.with_options(default_headers=headers)
    assert fake.requests == []


@pytest.mark.parametrize("value", ["x\udcff", "\udcff"])
async def test_a_lone_surrogate_in_a_header_value_is_refused(fake, value: str) -> None:
    """aiohttp would send it as a stray byte: a ConfigurationError naming the header instead."""
    async with _client(fake) as client:
        with pytest.raises(ConfigurationError, match=r"^extra_headers\['X-A'\]: expected a str"):
            await client.create_realtime_client_secret(REQUEST, extra_headers={"X-A": value})
    with pytest.raises(ConfigurationError, match=r"^default_headers\['X-A'\]: expected a str"):
        _client(fake, default_headers={"X-A": value})
    assert fake.requests == []


@pytest.mark.parametrize("session", ["x", 5, object()])
def test_a_session_that_is_not_an_aiohttp_session_is_refused_at_construction(session) -> None:
    """session= takes an aiohttp.ClientSession: anything else fails at once, named."""
    with pytest.raises(ConfigurationError) as caught:
        RealtimeClient(API_KEY, session=session)
    kind = type(session).__name__
    assert str(caught.value) == (f"session: expected an aiohttp.ClientSession or None, got {kind}")


@pytest.mark.parametrize(
    ("trace_configs", "message"),
    [
        (["x"], "trace_configs[0]: expected an aiohttp.TraceConfig, got str"),
        (
            (aiohttp.TraceConfig(), None),
            "trace_configs[1]: expected an aiohttp.TraceConfig, got NoneType",
        ),
        (
            aiohttp.TraceConfig(),
            "trace_configs: expected a sequence of aiohttp.TraceConfig, got TraceConfig",
        ),
        (5, "trace_configs: expected a sequence of aiohttp.TraceConfig, got int"),
    ],
)
async def test_trace_configs_that_are_not_trace_configs_are_refused_at_construction(
    fake, trace_configs, message: str
) -> None:
    """The error comes from the constructor, before any aiohttp session exists to leak."""
    with pytest.raises(ConfigurationError) as caught:
        _client(fake, trace_configs=trace_configs)
    assert str(caught.value) == message
    assert fake.requests == []


def test_the_sync_client_refuses_bad_trace_configs_at_construction() -> None:
    """SyncRealtimeClient(trace_configs=["x"]): the same error, before its loop thread starts."""
    with pytest.raises(ConfigurationError, match=r"^trace_configs\[0\]: expected an aiohttp"):
        SyncRealtimeClient(API_KEY, trace_configs=["x"])  # type: ignore[list-item]


async def test_good_trace_configs_still_see_every_request(fake) -> None:
    """A list of real TraceConfig hooks is accepted and called for the request."""
    started: list[str] = []

    async def on_start(_session: object, _context: object, params: Any) -> None:
        started.append(params.url.path)

    hooks = aiohttp.TraceConfig()
    hooks.on_request_start.append(on_start)
    async with _client(fake, trace_configs=[hooks]) as client:
        await client.create_realtime_client_secret(REQUEST)
    assert started == ["/v1/realtime/client_secrets"]


@pytest.mark.parametrize("data", [None, 5, {"value": "ek_x"}])
def test_from_json_of_something_that_is_not_text_is_a_type_error(data: object) -> None:
    """from_json(None, Model): a TypeError naming what it expected, not an AttributeError."""
    with pytest.raises(TypeError) as caught:
        from_json(data, RealtimeCreateClientSecretResponse)  # type: ignore[arg-type]
    kind = type(data).__name__
    assert str(caught.value) == f"from_json: expected the JSON text as bytes or str, got {kind}"


def test_from_json_still_reads_bytes_bytearray_and_str() -> None:
    """The three forms of JSON text give the same model."""
    text = json.dumps({"value": "ek_1", "expires_at": 1, "session": SESSION})
    read = [
        from_json(form, RealtimeCreateClientSecretResponse)
        for form in (text, text.encode(), bytearray(text.encode()))
    ]
    assert read[0] == read[1] == read[2]
    assert read[0].expires_at == 1


@pytest.mark.parametrize("secret", [5, None, b"whsec_AAAA"])
def test_sign_webhook_with_a_secret_of_the_wrong_type_is_a_type_error(secret: object) -> None:
    """sign_webhook(secret=5): a TypeError naming secret and its type, never its value."""
    with pytest.raises(TypeError) as caught:
        sign_webhook(b"{}", secret)  # type: ignore[arg-type]
    kind = type(secret).__name__
    assert str(caught.value) == f"secret: expected a str or Secret, got {kind}"


def test_sign_webhook_with_a_payload_of_the_wrong_type_is_a_type_error() -> None:
    """A payload that is not bytes or str: a TypeError naming payload."""
    with pytest.raises(
        TypeError, match=r"^payload: expected the body as bytes or str, got NoneType$"
    ):
        sign_webhook(None, make_webhook_secret())  # type: ignore[arg-type]


def _minted() -> RealtimeCreateClientSecretResponse:
    return from_dict(
        {"value": "ek_abc", "expires_at": 1_800_000_000, "session": SESSION},
        RealtimeCreateClientSecretResponse,
    )


@pytest.mark.parametrize(
    ("now", "got"),
    [
        (10**400, "an int too large for a float"),
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        ("1800000000", "str"),
        (True, "bool"),
    ],
    ids=["10**400", "nan", "inf", "str", "bool"],
)
def test_expires_in_with_an_unusable_now_is_a_value_error(now: object, got: str) -> None:
    """expires_in(now=10**400): ValueError naming now, as is_expired does for margin."""
    minted = _minted()
    with pytest.raises(
        ValueError, match=r"^now: expected a finite number of seconds, got "
    ) as caught:
        minted.expires_in(now=now)  # type: ignore[arg-type]
    assert str(caught.value).endswith(got)
    with pytest.raises(ValueError, match=r"^now: expected a finite number of seconds"):
        minted.is_expired(now=now)  # type: ignore[arg-type]


def test_is_expired_with_a_margin_too_large_for_a_float_is_a_value_error() -> None:
    """is_expired(margin=10**400): ValueError naming margin, not an OverflowError."""
    with pytest.raises(ValueError, match=r"^margin: expected a finite number of seconds >= 0"):
        _minted().is_expired(margin=10**400)


def test_an_expiry_beyond_a_float_is_read_as_never() -> None:
    """An answer's expires_at of 10**400 (read leniently) gives inf, not an OverflowError."""
    minted = from_dict(
        {"value": "ek_abc", "expires_at": 10**400, "session": SESSION},
        RealtimeCreateClientSecretResponse,
    )
    assert minted.expires_in(now=0) == float("inf")
    assert not minted.is_expired(margin=60, now=0)


def test_expires_in_still_counts_down_from_now() -> None:
    """A usable now (int or float) still gives the seconds left, never negative."""
    minted = _minted()
    assert minted.expires_in(now=1_799_999_990) == 10.0
    assert minted.expires_in(now=1_800_000_010.5) == 0.0
    assert minted.is_expired(margin=15, now=1_799_999_990)


# -- 13. a base_url with credentials ---------------------------------------------------------


@pytest.mark.parametrize("separator", ["/", "?", "#"])
@pytest.mark.parametrize(
    "template",
    [
        "https://alice:{password}@api.example.com/v1",
        "https://alice:{password}@api.example.com:99999/v1",
        "ftp://alice:{password}@api.example.com/v1",
        "http://alice:{password}@[::1/v1",
    ],
)
def test_a_base_url_whose_password_holds_a_delimiter_is_never_echoed(
    template: str, separator: str
) -> None:
    """A password holding '/', '?' or '#' (and the user name) never appears in the error."""
    secret_part = f"pa{separator}{PASSWORD}"
    url = template.format(password=secret_part)
    with pytest.raises(ConfigurationError) as caught:
        RealtimeClient(API_KEY, base_url=url)
    message = str(caught.value)
    assert message == "base_url: expected a URL without '@' (credentials do not belong in it)"
    for part in ("alice", "pa", PASSWORD):
        assert part not in message.replace("expected", "")


@pytest.mark.parametrize("separator", ["/", "?", "#"])
def test_an_azure_url_whose_password_holds_a_delimiter_is_never_echoed(separator: str) -> None:
    """base_url and azure_endpoint of the Azure client: the same refusal, named for each."""
    url = f"https://alice:pa{separator}{PASSWORD}@r.openai.azure.com"
    with pytest.raises(ConfigurationError) as by_base:
        AzureRealtimeClient(api_key=AZURE_KEY, base_url=f"{url}/openai/v1")
    with pytest.raises(ConfigurationError) as by_endpoint:
        AzureRealtimeClient(api_key=AZURE_KEY, azure_endpoint=url)
    assert str(by_base.value).startswith("base_url: expected a URL without '@'")
    assert str(by_endpoint.value).startswith("azure_endpoint: expected a URL without '@'")
    for caught in (by_base, by_endpoint):
        assert PASSWORD not in str(caught.value)
        assert "alice" not in str(caught.value)


def test_a_base_url_with_a_bad_port_and_no_credentials_is_still_quoted() -> None:
    """Without '@' there is nothing secret: the message still shows the URL to fix."""
    with pytest.raises(ConfigurationError, match=r"in 'http://127\.0\.0\.1:port/v1'$"):
        RealtimeClient(API_KEY, base_url="http://127.0.0.1:port/v1")


# -- 14. the command line -------------------------------------------------------------------


@pytest.fixture
def threaded_fake() -> Iterator[FakeRealtimeAPI]:
    """A fake served from a thread, so the synchronous CLI can call it."""
    with serve_in_thread() as server:
        yield server


def _run(fake: FakeRealtimeAPI, *argv: str) -> tuple[int, str]:
    err = io.StringIO()
    environ = {"OPENAI_API_KEY": API_KEY, "OPENAI_BASE_URL": fake.base_url}
    code = _cli.run(
        list(argv), environ=environ, stdin=io.StringIO(), stdout=io.StringIO(), stderr=err
    )
    return code, err.getvalue()


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            "[" * 100_000 + "]" * 100_000,
            "error: ConfigFileError: --config: JSON nested too deeply to read",
        ),
        (
            '{"expires_after": {"anchor": "created_at", "seconds": ' + "1" * 5000 + "}}",
            "error: ConfigFileError: --config: a number with too many digits to read",
        ),
    ],
    ids=["deep", "huge-number"],
)
@pytest.mark.parametrize("command", [["client-secret"], ["call", "accept", "rtc_1"]])
def test_an_unreadable_config_exits_3_with_one_line(
    threaded_fake, tmp_path: Path, text: str, line: str, command: list[str]
) -> None:
    """A --config nested too deeply or holding a huge number: exit 3, one line, nothing sent."""
    config = tmp_path / "config.json"
    config.write_text(text)
    code, err = _run(threaded_fake, *command, "--config", str(config))
    assert code == 3
    assert err == line + "\n"
    assert threaded_fake.requests == []


def test_a_call_id_that_is_not_utf8_exits_3_without_a_traceback(threaded_fake) -> None:
    """A call id from argv bytes that are not UTF-8: exit 3, the call_id error, nothing sent."""
    call_id = os.fsdecode(b"rtc_\xff")  # what sys.argv holds for such bytes
    code, err = _run(threaded_fake, "call", "hangup", call_id)
    assert code == 3
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[0] == "error: RequestValidationError: 1 invalid field:"
    assert lines[1].startswith("  call_id: expected a non-empty call id string")
    assert lines[1].endswith("got a string with a lone surrogate")
    assert threaded_fake.requests == []


# -- 15. the fake's memory and its 400s ---------------------------------------------------------


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session with a short overall limit."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        yield session


async def test_calls_rung_on_the_fake_are_bounded_by_max_records(http) -> None:
    """POST /_fake/calls ten times with max_records=3: the three newest calls are kept."""
    headers = {"From": "x" * 50_000}  # a large call, as another process could ring
    async with FakeRealtimeAPI(max_records=3) as fake:
        ring = f"http://127.0.0.1:{fake.port}/_fake/calls"
        rung = []
        for index in range(10):
            body = {"call_id": f"rtc_{index}", "sip_headers": headers}
            async with http.post(ring, json=body) as response:
                assert response.status == 201
                rung.append((await response.json())["call_id"])
        assert list(fake.calls) == rung[-3:]


async def test_webrtc_calls_are_bounded_by_max_records(http) -> None:
    """Five offers with max_records=2: the two newest WebRTC calls are kept, and still work."""
    async with FakeRealtimeAPI(max_records=2) as fake:
        async with RealtimeClient(API_KEY, base_url=fake.base_url, max_retries=0) as client:
            answers = [await client.create_realtime_call({"sdp": SDP}) for _ in range(5)]
            assert list(fake.calls) == [answer.call_id for answer in answers[-2:]]
            await client.hangup_realtime_call(answers[-1].call_id)
        assert fake.calls[answers[-1].call_id].state == "ended"


async def test_a_sip_call_added_again_counts_as_the_newest() -> None:
    """Re-adding a call id moves it to the newest place, so it outlives older calls."""
    async with FakeRealtimeAPI(max_records=2) as fake:
        fake.add_incoming_call(call_id="rtc_a")
        fake.add_incoming_call(call_id="rtc_b")
        fake.add_incoming_call(call_id="rtc_a")
        fake.add_incoming_call(call_id="rtc_c")
        assert list(fake.calls) == ["rtc_a", "rtc_c"]


async def test_the_peer_set_is_bounded_by_max_records() -> None:
    """Twelve connections with max_records=3: all are counted, only three peers are kept."""
    async with FakeRealtimeAPI(max_records=3) as fake:
        connector = aiohttp.TCPConnector(force_close=True)  # one connection per request
        async with aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=10)
        ) as session:
            for _ in range(12):
                async with session.post(
                    f"{fake.base_url}/realtime/client_secrets",
                    json=REQUEST,
                    headers={"Authorization": f"Bearer {API_KEY}"},
                ) as response:
                    assert response.status == 200
        assert fake.connections == 12
        assert len(fake._peers) == 3  # the memory the bound is about


async def test_a_keep_alive_connection_is_still_counted_once_with_max_records() -> None:
    """One pooled connection carrying five requests is one connection, even at max_records=1."""
    async with (
        FakeRealtimeAPI(max_records=1) as fake,
        RealtimeClient(API_KEY, base_url=fake.base_url, max_retries=0) as client,
    ):
        for _ in range(5):
            await client.create_realtime_client_secret(REQUEST)
        assert fake.connections == 1


async def test_a_too_deep_json_body_on_the_ring_path_is_a_400(http) -> None:
    """JSON nested past the parser's stack on /_fake/calls: a 400 with the expected form."""
    async with FakeRealtimeAPI() as fake:
        ring = f"http://127.0.0.1:{fake.port}/_fake/calls"
        body = b"[" * 100_000 + b"]" * 100_000
        async with http.post(
            ring, data=body, headers={"Content-Type": "application/json"}
        ) as response:
            assert response.status == 400
            error = (await response.json())["error"]
        assert error["message"].startswith('Expected {"call_id": "rtc_..."')
        assert fake.calls == {}


async def test_a_multipart_offer_without_a_boundary_is_a_400(http) -> None:
    """Content-Type: multipart/form-data with no boundary: 400 invalid_multipart, no call."""
    async with FakeRealtimeAPI() as fake:
        async with http.post(
            f"{fake.base_url}/realtime/calls",
            data=b"--x\r\n",
            headers={"Content-Type": "multipart/form-data", "Authorization": f"Bearer {API_KEY}"},
        ) as response:
            assert response.status == 400
            error = (await response.json())["error"]
        assert error["code"] == "invalid_multipart"
        assert fake.calls == {}
        assert fake.requests[0].status == 400


async def test_a_too_deep_session_form_field_is_a_400(http) -> None:
    """A session part nested past the parser's stack: 400 invalid_json on session."""
    session = b"[" * 100_000 + b"]" * 100_000
    form = (
        b'--b\r\nContent-Disposition: form-data; name="sdp"\r\n\r\n'
        + SDP.encode()
        + b'\r\n--b\r\nContent-Disposition: form-data; name="session"\r\n\r\n'
        + session
        + b"\r\n--b--\r\n"
    )
    async with FakeRealtimeAPI() as fake:
        async with http.post(
            f"{fake.base_url}/realtime/calls",
            data=form,
            headers={
                "Content-Type": "multipart/form-data; boundary=b",
                "Authorization": f"Bearer {API_KEY}",
            },
        ) as response:
            assert response.status == 400
            error = (await response.json())["error"]
        assert (error["code"], error["param"]) == ("invalid_json", "session")
        assert fake.calls == {}


async def test_the_fake_keeps_answering_after_hostile_bodies(http) -> None:
    """After the deep and boundary-less bodies, a normal key mint still succeeds."""
    async with FakeRealtimeAPI() as fake:
        ring = f"http://127.0.0.1:{fake.port}/_fake/calls"
        async with http.post(ring, data=b"[" * 100_000) as response:
            assert response.status == 400
        async with RealtimeClient(API_KEY, base_url=fake.base_url, max_retries=0) as client:
            minted = await asyncio.wait_for(client.create_realtime_client_secret(REQUEST), 10)
        assert minted.value is not None
