"""Webhook verification (`realtime_sdk.webhooks`) and the signed sender in `realtime_sdk.testing`.

Signatures are computed here by hand (hmac and base64 from the standard library) or taken
from a published vector, never from the code under test.
"""

import base64
import hashlib
import hmac
import json
import pickle
import re
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from aiohttp import web
from hypothesis import given
from hypothesis import strategies as st
from multidict import CIMultiDict

from realtime_sdk import Secret, to_dict
from realtime_sdk.errors import RealtimeSDKError
from realtime_sdk.testing import (
    WebhookDelivery,
    make_webhook_secret,
    new_call_id,
    realtime_call_incoming_event,
    send_webhook,
    send_webhook_sync,
    sign_webhook,
)
from realtime_sdk.webhooks import (
    DEFAULT_TOLERANCE,
    RealtimeCallIncomingData,
    SipHeader,
    UnknownVariant,
    WebhookHeaderError,
    WebhookPayloadError,
    WebhookRealtimeCallIncoming,
    WebhookSecretError,
    WebhookSignatureError,
    WebhookTimestampError,
    WebhookTimestampToleranceError,
    WebhookVerificationError,
    unwrap,
    verify,
)

# The example the Standard Webhooks specification publishes; the signature was checked
# again with `openssl dgst -sha256 -mac HMAC` when this test was written.
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TIMESTAMP = 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

KEY = bytes(range(32))
SECRET = "whsec_" + base64.b64encode(KEY).decode()
NOW = 1_760_000_000
EVENT: dict[str, Any] = {
    "id": "evt_685343e2d7a88190a0f4b4c0cbbd39f6",
    "object": "event",
    "type": "realtime.call.incoming",
    "created_at": NOW - 1,
    "data": {
        "call_id": "rtc_479a275623b54bdb9b6fbae2f7cbd408",
        "sip_headers": [
            {"name": "Max-Forwards", "value": "63"},
            {"name": "CSeq", "value": "851287 INVITE"},
        ],
    },
}
BODY = json.dumps(EVENT).encode()
MSG_ID = "msg_2mQbW1vTbH2aAN5gXy2Q"


def by_hand(key: bytes, msg_id: str, timestamp: int | str, body: bytes) -> str:
    """One ``v1,`` signature, computed as the scheme states it."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signed_headers(
    body: bytes = BODY, *, key: bytes = KEY, msg_id: str = MSG_ID, timestamp: int = NOW
) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": by_hand(key, msg_id, timestamp, body),
    }


# --- known answers ----------------------------------------------------------------------------


def test_the_published_vector_verifies() -> None:
    """The Standard Webhooks example passes `verify` at its own timestamp."""
    headers = {
        "webhook-id": VECTOR_ID,
        "webhook-timestamp": str(VECTOR_TIMESTAMP),
        "webhook-signature": VECTOR_SIGNATURE,
    }
    verify(VECTOR_BODY, headers, secret=VECTOR_SECRET, now=VECTOR_TIMESTAMP)


def test_the_hand_computed_signature_matches_the_published_one() -> None:
    """The helper these tests sign with agrees with the published vector."""
    key = base64.b64decode(VECTOR_SECRET.removeprefix("whsec_"))
    assert by_hand(key, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY) == VECTOR_SIGNATURE


def test_the_fake_signs_the_published_vector() -> None:
    """`sign_webhook` gives the three headers of the published example exactly."""
    headers = sign_webhook(VECTOR_BODY, VECTOR_SECRET, msg_id=VECTOR_ID, timestamp=VECTOR_TIMESTAMP)
    assert headers == {
        "webhook-id": VECTOR_ID,
        "webhook-timestamp": str(VECTOR_TIMESTAMP),
        "webhook-signature": VECTOR_SIGNATURE,
    }


def test_unwrap_returns_the_typed_event() -> None:
    """A signed realtime.call.incoming body becomes the event model, every field read."""
    event = unwrap(BODY, signed_headers(), secret=SECRET, now=NOW)
    assert event == WebhookRealtimeCallIncoming(
        id=EVENT["id"],
        object="event",
        created_at=NOW - 1,
        data=RealtimeCallIncomingData(
            call_id="rtc_479a275623b54bdb9b6fbae2f7cbd408",
            sip_headers=[
                SipHeader(name="Max-Forwards", value="63"),
                SipHeader(name="CSeq", value="851287 INVITE"),
            ],
        ),
    )


def test_a_secret_object_works_like_its_value() -> None:
    """`secret=` takes a `Secret` as well as a str."""
    event = unwrap(BODY, signed_headers(), secret=Secret(SECRET), now=NOW)
    assert isinstance(event, WebhookRealtimeCallIncoming)


# --- signatures ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "v1,{wrong} v1,{right}",
        "v1,{right} v1,{wrong}",
        "v1a,{right} v1,{right}",
        "v2,{wrong}   v1,{right}",
        "garbage v1, ,v1 v1,{right}",
    ],
)
def test_any_one_matching_v1_signature_is_enough(header: str) -> None:
    """Several space-separated entries: one v1 match passes; other versions and junk are skipped."""
    right = by_hand(KEY, MSG_ID, NOW, BODY).removeprefix("v1,")
    wrong = by_hand(b"another key", MSG_ID, NOW, BODY).removeprefix("v1,")
    headers = {**signed_headers(), "webhook-signature": header.format(right=right, wrong=wrong)}
    assert isinstance(unwrap(BODY, headers, secret=SECRET, now=NOW), WebhookRealtimeCallIncoming)


def test_a_right_signature_under_another_version_does_not_count() -> None:
    """Only ``v1`` is this scheme: the right digest labelled ``v2`` is no signature."""
    right = by_hand(KEY, MSG_ID, NOW, BODY).removeprefix("v1,")
    headers = {**signed_headers(), "webhook-signature": f"v2,{right} v1a,{right}"}
    with pytest.raises(WebhookSignatureError, match='holds no "v1,<signature>" entry'):
        verify(BODY, headers, secret=SECRET, now=NOW)


def test_the_wrong_secret_is_a_signature_error() -> None:
    """Signed with one key, checked with another: no match, and the message says what to check."""
    other = "whsec_" + base64.b64encode(b"k" * 32).decode()
    with pytest.raises(
        WebhookSignatureError, match="the wrong secret, or the body, id or timestamp"
    ):
        unwrap(BODY, signed_headers(), secret=other, now=NOW)


def test_several_wrong_signatures_are_counted() -> None:
    """The message says how many v1 signatures were tried."""
    headers = {**signed_headers(), "webhook-signature": "v1,AAAA v1,BBBB v1,é"}
    with pytest.raises(WebhookSignatureError, match="any of the 3 v1 signatures"):
        verify(BODY, headers, secret=SECRET, now=NOW)


def _tampered_body(headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    return BODY.replace(b"rtc_4", b"rtc_5"), headers


def _tampered_id(headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    return BODY, {**headers, "webhook-id": MSG_ID + "x"}


def _tampered_timestamp(headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    return BODY, {**headers, "webhook-timestamp": str(NOW + 1)}


def _reserialized_body(headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    # What a handler gets when it parses JSON and dumps it again: same data, other bytes.
    return json.dumps(json.loads(BODY), separators=(",", ":")).encode(), headers


@pytest.mark.parametrize(
    "tamper", [_tampered_body, _tampered_id, _tampered_timestamp, _reserialized_body]
)
def test_a_changed_body_id_or_timestamp_fails(
    tamper: Callable[[dict[str, str]], tuple[bytes, dict[str, str]]],
) -> None:
    """Each signed part counts: change one and the signature no longer matches."""
    body, headers = tamper(signed_headers())
    with pytest.raises(WebhookSignatureError):
        unwrap(body, headers, secret=SECRET, now=NOW)


# --- timestamps ---------------------------------------------------------------------------


@pytest.mark.parametrize("offset", [-DEFAULT_TOLERANCE, 0, DEFAULT_TOLERANCE])
def test_the_edges_of_the_tolerance_pass(offset: int) -> None:
    """Exactly 300 s old or 300 s ahead is still inside the window."""
    verify(BODY, signed_headers(), secret=SECRET, now=NOW - offset)


def test_one_second_too_old_fails_and_says_by_how_much() -> None:
    """301 s in the past: the error gives the age, the tolerance and the values compared."""
    with pytest.raises(WebhookTimestampToleranceError) as caught:
        unwrap(BODY, signed_headers(), secret=SECRET, now=NOW + 301)
    assert "signed 301 s in the past, beyond the 300 s tolerance" in str(caught.value)
    assert (caught.value.timestamp, caught.value.now, caught.value.tolerance) == (
        NOW,
        NOW + 301,
        300,
    )


def test_one_second_in_the_future_too_many_fails() -> None:
    """301 s ahead of the receiver's clock is refused too, as from the future."""
    with pytest.raises(WebhookTimestampToleranceError, match="301 s in the future"):
        verify(BODY, signed_headers(), secret=SECRET, now=NOW - 301)


def test_a_custom_tolerance_moves_the_edge() -> None:
    """`tolerance=10` accepts 10 s and refuses 11 s; 0 accepts only the same second."""
    verify(BODY, signed_headers(), secret=SECRET, now=NOW + 10, tolerance=10)
    with pytest.raises(WebhookTimestampToleranceError, match="beyond the 10 s tolerance"):
        verify(BODY, signed_headers(), secret=SECRET, now=NOW + 11, tolerance=10)
    verify(BODY, signed_headers(), secret=SECRET, now=NOW, tolerance=0)
    with pytest.raises(WebhookTimestampToleranceError):
        verify(BODY, signed_headers(), secret=SECRET, now=NOW + 0.5, tolerance=0)


@pytest.mark.parametrize(
    ("now", "tolerance", "shown"),
    [
        (NOW + 300.25, 300, "signed 300.25 s in the past, beyond the 300 s tolerance"),
        (NOW + 1, 0, "signed 1 s in the past, beyond the 0 s tolerance"),
        (NOW - 70, 60.5, "signed 70 s in the future, beyond the 60.5 s tolerance"),
    ],
)
def test_the_message_shows_fractions_where_they_matter(
    now: float, tolerance: float, shown: str
) -> None:
    """300.25 s is not rounded to the 300 s it exceeds; whole seconds show no decimals."""
    with pytest.raises(WebhookTimestampToleranceError) as caught:
        verify(BODY, signed_headers(), secret=SECRET, now=now, tolerance=tolerance)
    assert shown in str(caught.value)


def test_a_stale_forgery_is_a_signature_error() -> None:
    """The age is judged only for a delivery that was signed: a forgery is a forgery."""
    headers = {**signed_headers(), "webhook-signature": by_hand(b"forger", MSG_ID, NOW, BODY)}
    with pytest.raises(WebhookSignatureError):
        verify(BODY, headers, secret=SECRET, now=NOW + 10_000)


def test_the_clock_defaults_to_now() -> None:
    """Without `now=`, a delivery signed a moment ago by the fake verifies."""
    body = json.dumps(realtime_call_incoming_event()).encode()
    assert isinstance(
        unwrap(body, sign_webhook(body, SECRET), secret=SECRET), WebhookRealtimeCallIncoming
    )


@pytest.mark.parametrize(
    "value",
    ["soon", "1760000000.5", "-1760000000", "1e9", "0x68f0", "١٧٦٠٠٠٠٠٠٠", "1" * 13, "1 2"],
)
def test_a_timestamp_that_is_not_whole_seconds_is_refused(value: str) -> None:
    """Digits only, at most twelve of them; the value is shown, cut short when long."""
    headers = {**signed_headers(), "webhook-timestamp": value}
    with pytest.raises(WebhookTimestampError, match="whole seconds since 1970 in digits"):
        verify(BODY, headers, secret=SECRET, now=NOW)


def test_a_long_timestamp_is_shown_cut_short() -> None:
    """An attacker's long header is not copied whole into the message."""
    headers = {**signed_headers(), "webhook-timestamp": "9" * 5000}
    with pytest.raises(WebhookTimestampError) as caught:
        verify(BODY, headers, secret=SECRET, now=NOW)
    assert len(str(caught.value)) < 200


@pytest.mark.parametrize(
    ("tolerance", "error"),
    [(-1, ValueError), (float("nan"), ValueError), ("300", TypeError), (True, TypeError)],
)
def test_a_bad_tolerance_is_a_programming_error(tolerance: object, error: type[Exception]) -> None:
    """A tolerance that is no non-negative number fails loudly, not as a webhook error."""
    with pytest.raises(error, match="tolerance must be a number of seconds"):
        verify(BODY, signed_headers(), secret=SECRET, now=NOW, tolerance=tolerance)  # type: ignore[arg-type]


# --- headers ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_a_missing_header_is_named(name: str) -> None:
    """Each of the three headers is required, and the error names the one that is missing."""
    headers = {k: v for k, v in signed_headers().items() if k != name}
    with pytest.raises(WebhookHeaderError, match=f"the {name} header is missing") as caught:
        unwrap(BODY, headers, secret=SECRET, now=NOW)
    assert caught.value.header == name


@pytest.mark.parametrize("name", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_an_empty_header_is_named(name: str) -> None:
    """A header present but blank counts as absent, and says it is empty."""
    headers = {**signed_headers(), name: "  "}
    with pytest.raises(WebhookHeaderError, match=f"the {name} header is empty"):
        verify(BODY, headers, secret=SECRET, now=NOW)


def test_header_names_match_in_any_letter_case() -> None:
    """A plain dict with names as a framework spells them works."""
    spelled = dict(
        zip(
            ["Webhook-Id", "WEBHOOK-TIMESTAMP", "wEbHoOk-SiGnAtUrE"],
            signed_headers().values(),
            strict=True,
        )
    )
    verify(BODY, spelled, secret=SECRET, now=NOW)


def test_a_multidict_with_repeated_signature_headers_works() -> None:
    """aiohttp's headers: repeated webhook-signature headers are all candidates."""
    headers = CIMultiDict(signed_headers())
    right = headers.popone("webhook-signature")
    headers.add("Webhook-Signature", "v1,AAAA")
    headers.add("WEBHOOK-SIGNATURE", right)
    verify(BODY, headers, secret=SECRET, now=NOW)


def test_an_id_repeated_with_another_value_is_ambiguous() -> None:
    """Two different webhook-id values cannot both be the one signed: refused, and named."""
    headers = CIMultiDict(signed_headers())
    headers.add("webhook-id", "msg_other")
    with pytest.raises(WebhookHeaderError, match="webhook-id header is given 2 times") as caught:
        verify(BODY, headers, secret=SECRET, now=NOW)
    assert caught.value.header == "webhook-id"


def test_an_id_repeated_with_the_same_value_is_fine() -> None:
    """A proxy that duplicates a header unchanged does not break verification."""
    headers = CIMultiDict(signed_headers())
    headers.add("Webhook-Id", MSG_ID)
    verify(BODY, headers, secret=SECRET, now=NOW)


# --- the body -----------------------------------------------------------------------------


def test_bytes_str_bytearray_and_memoryview_payloads_agree() -> None:
    """A str is verified as its UTF-8 bytes; a non-ASCII body signs and verifies either way."""
    event = {
        **EVENT,
        "data": {**EVENT["data"], "sip_headers": [{"name": "From", "value": "Zoë ☎"}]},
    }
    text = json.dumps(event, ensure_ascii=False)
    body = text.encode()
    headers = signed_headers(body)
    for payload in (body, text, bytearray(body), memoryview(body)):
        result = unwrap(payload, headers, secret=SECRET, now=NOW)
        assert isinstance(result, WebhookRealtimeCallIncoming)
        assert result.data.sip_headers[0].value == "Zoë ☎"


def test_a_payload_of_another_type_is_a_type_error() -> None:
    """A parsed dict is not the body: verifying it could never be right."""
    with pytest.raises(TypeError, match="payload must be the body's bytes"):
        unwrap(EVENT, signed_headers(), secret=SECRET, now=NOW)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"\xff\xfe not text", "is not JSON"),
        (b'{"type": "realtime.call.incoming"', "is not JSON"),
        (b"[1, 2]", "is not a JSON object"),
        (b'{"id": "evt_1"}', 'has no string "type"'),
        (b'{"type": 7}', 'has no string "type"'),
    ],
)
def test_a_signed_body_that_is_no_event_is_a_payload_error(body: bytes, message: str) -> None:
    """It verifies (so `verify` passes), but `unwrap` cannot make an event of it."""
    headers = signed_headers(body)
    verify(body, headers, secret=SECRET, now=NOW)
    with pytest.raises(WebhookPayloadError, match=message):
        unwrap(body, headers, secret=SECRET, now=NOW)


@pytest.mark.parametrize(
    ("sip_headers", "path", "expected"),
    [
        ([{"name": "X", "value": 12345}], "data.sip_headers[0].value", "a string or null"),
        ([{"name": "X", "value": "y"}, "junk"], "data.sip_headers[1]", "an object"),
        ([{"value": "y"}], "data.sip_headers[0].name", "a string (required)"),
    ],
)
def test_a_known_event_that_does_not_fit_names_the_field(
    sip_headers: list[Any], path: str, expected: str
) -> None:
    """A mistyped, misshapen or missing field is named by path, without its value."""
    event = {"type": "realtime.call.incoming", "id": "evt_1", "created_at": NOW}
    event["data"] = {"call_id": "rtc_1", "sip_headers": sip_headers}
    body = json.dumps(event).encode()
    with pytest.raises(WebhookPayloadError) as caught:
        unwrap(body, signed_headers(body), secret=SECRET, now=NOW)
    assert [(e.path, e.expected) for e in caught.value.errors] == [(path, expected)]
    assert "12345" not in str(caught.value)
    assert "junk" not in str(caught.value)
    assert "does not fit the realtime.call.incoming event" in str(caught.value)


def test_unknown_keys_are_kept_and_written_back() -> None:
    """Keys newer than this SDK survive at every level and `to_dict` gives the JSON back."""
    event = json.loads(BODY)
    event["new_top"] = {"a": 1}
    event["extra_fields"] = "a key of that name is just another unknown key"
    event["data"]["new_in_data"] = [1, 2]
    event["data"]["sip_headers"][0]["new_in_header"] = None
    body = json.dumps(event).encode()
    result = unwrap(body, signed_headers(body), secret=SECRET, now=NOW)
    assert isinstance(result, WebhookRealtimeCallIncoming)
    assert result.extra_fields == {
        "new_top": {"a": 1},
        "extra_fields": "a key of that name is just another unknown key",
    }
    assert result.data.extra_fields == {"new_in_data": [1, 2]}
    assert result.data.sip_headers[0].extra_fields == {"new_in_header": None}
    assert to_dict(result) == event


def test_an_event_without_the_optional_object_key_reads() -> None:
    """``object`` is optional in the schema; leaving it out is fine and stays left out."""
    event = {k: v for k, v in EVENT.items() if k != "object"}
    body = json.dumps(event).encode()
    result = unwrap(body, signed_headers(body), secret=SECRET, now=NOW)
    assert to_dict(result) == event


@pytest.mark.parametrize("kind", ["live.call.ended", "response.completed", "realtime.call.ended"])
def test_an_unknown_event_type_is_returned_whole(kind: str) -> None:
    """Event types this SDK does not know are not refused: the whole object, round-tripping."""
    event = {"id": "evt_9", "object": "event", "type": kind, "created_at": NOW, "data": {"x": [1]}}
    body = json.dumps(event).encode()
    result = unwrap(body, signed_headers(body), secret=SECRET, now=NOW)
    assert isinstance(result, UnknownVariant)
    assert result.type == kind
    assert result.data == event
    assert to_dict(result) == event


# --- secrets ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        ("", "got '\\*\\*\\*\\*'"),
        ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "got '\\*\\*\\*\\*'"),
        ("sk-proj-abcdefghijklmnop0123456789", "got 'sk-proj-\\*\\*\\*\\*'"),
        ("whsec_", "nothing follows the prefix"),
        ("whsec_not base64!", "what follows the prefix is not base64"),
        ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwé", "what follows the prefix is not base64"),
        ("whsec_A", "what follows the prefix is not base64"),
    ],
)
def test_a_malformed_secret_says_what_was_expected(secret: str, message: str) -> None:
    """Not ``whsec_`` + base64: a secret error saying so, before any header is looked at."""
    with pytest.raises(WebhookSecretError, match=message) as caught:
        verify(BODY, {}, secret=secret, now=NOW)
    assert 'the webhook secret must be "whsec_" followed by base64' in str(caught.value)
    if len(secret) > len("whsec_"):
        assert secret not in str(caught.value)
        assert secret.removeprefix("whsec_") not in str(caught.value)


def test_a_secret_with_surrounding_whitespace_or_no_padding_works() -> None:
    """A newline from a file and base64 without its ``=`` padding are both read as meant."""
    key = b"sixteen byte key"  # 16 bytes: base64 with "==" padding
    padded = "whsec_" + base64.b64encode(key).decode()
    assert padded.endswith("==")
    headers = signed_headers(key=key)
    for secret in (padded + "\n", " " + padded, padded.rstrip("=")):
        verify(BODY, headers, secret=secret, now=NOW)


def test_a_secret_of_another_type_is_a_type_error() -> None:
    """Bytes are not a secret here; the message names the type only."""
    with pytest.raises(TypeError, match="secret must be a str or a Secret, got bytes"):
        verify(BODY, signed_headers(), secret=KEY, now=NOW)  # type: ignore[arg-type]


def _every_failure() -> Iterator[WebhookVerificationError]:
    """One error of each kind, each raised while holding the secret."""
    good = signed_headers()
    cases: list[tuple[bytes, dict[str, str], str | Secret, float]] = [
        (BODY, good, "whsec_" + SECRET.removeprefix("whsec_") + "!", NOW),
        (BODY, good, SECRET.removeprefix("whsec_"), NOW),
        (BODY, {**good, "webhook-id": ""}, SECRET, NOW),
        (BODY, {**good, "webhook-timestamp": "x"}, Secret(SECRET), NOW),
        (BODY, {**good, "webhook-id": "other"}, SECRET, NOW),
        (BODY, good, Secret(SECRET), NOW + 999),
        (b"{", signed_headers(b"{"), SECRET, NOW),
        (
            b'{"type": "realtime.call.incoming"}',
            signed_headers(b'{"type": "realtime.call.incoming"}'),
            SECRET,
            NOW,
        ),
    ]
    for body, headers, secret, now in cases:
        try:
            unwrap(body, headers, secret=secret, now=now)
        except WebhookVerificationError as exc:
            yield exc
        else:  # pragma: no cover - each case is built to fail
            pytest.fail("a failing case passed")


def test_no_message_repr_or_pickle_holds_the_secret_or_a_signature() -> None:
    """Every failure's str, repr, args, attributes, cause chain and pickle are clean."""
    errors = list(_every_failure())
    assert {type(e) for e in errors} == {
        WebhookSecretError,
        WebhookHeaderError,
        WebhookTimestampError,
        WebhookSignatureError,
        WebhookTimestampToleranceError,
        WebhookPayloadError,
    }
    forbidden = [
        SECRET,
        SECRET.removeprefix("whsec_"),
        KEY.hex(),
        signed_headers()["webhook-signature"][3:],
    ]
    for error in errors:
        chain: list[BaseException] = [error]
        while chain[-1].__cause__ or chain[-1].__context__:
            chain.append(chain[-1].__cause__ or chain[-1].__context__)  # type: ignore[arg-type]
        texts = [str(e) for e in chain] + [repr(e) for e in chain]
        texts += [repr(e.args) + repr(vars(e)) for e in chain]
        texts.append(repr(pickle.dumps(error)))
        leaks = [(type(error).__name__, f) for f in forbidden for t in texts if f in t]
        assert leaks == []


def test_every_error_is_an_sdk_error_and_a_value_error() -> None:
    """One `except WebhookVerificationError` (or ValueError, or RealtimeSDKError) catches them all."""
    for error in _every_failure():
        assert isinstance(error, WebhookVerificationError)
        assert isinstance(error, RealtimeSDKError)
        assert isinstance(error, ValueError)


def test_errors_pickle_with_their_attributes() -> None:
    """A worker process can hand a webhook error back with its fields."""
    [stale] = [e for e in _every_failure() if isinstance(e, WebhookTimestampToleranceError)]
    copy = pickle.loads(pickle.dumps(stale))  # noqa: S301 - our own bytes
    assert (type(copy), str(copy), copy.tolerance) == (type(stale), str(stale), stale.tolerance)


def test_the_event_repr_holds_no_secret() -> None:
    """Nothing returned or built from a secret shows it; the event repr is its fields."""
    event = unwrap(BODY, signed_headers(), secret=Secret(SECRET), now=NOW)
    delivery = WebhookDelivery(status=200, body=b"", sent_headers=signed_headers(), sent_body=BODY)
    for text in (repr(event), repr(delivery)):
        assert SECRET.removeprefix("whsec_") not in text


# --- the fake's helpers -----------------------------------------------------------------------


def test_a_made_secret_is_whsec_and_32_random_bytes() -> None:
    """`make_webhook_secret` gives a fresh, valid secret each time."""
    first, second = make_webhook_secret(), make_webhook_secret()
    assert first != second
    assert first.startswith("whsec_")
    assert len(base64.b64decode(first.removeprefix("whsec_"), validate=True)) == 32


def test_call_ids_have_the_api_form() -> None:
    """``rtc_`` and 32 hex digits, fresh each time."""
    ids = {new_call_id() for _ in range(20)}
    assert len(ids) == 20
    assert all(re.fullmatch(r"rtc_[0-9a-f]{32}", call_id) for call_id in ids)


def _spec_schema() -> dict[str, Any] | None:
    repo = Path(__file__).resolve().parents[1]
    for path in (
        repo / "realtime_sdk" / "_spec" / "realtime-openapi.json",
        repo.parent / "shared" / "spec" / "openai-openapi-full.json",
    ):
        if path.exists():
            schemas = json.loads(path.read_text(encoding="utf-8"))["components"]["schemas"]
            if "WebhookRealtimeCallIncoming" in schemas:
                return dict(schemas["WebhookRealtimeCallIncoming"])
    return None


def test_the_made_event_fits_the_spec_schema() -> None:
    """`realtime_call_incoming_event` is valid against the spec's own schema, and reads back."""
    schema = _spec_schema()
    if schema is None:
        pytest.skip("no spec holding WebhookRealtimeCallIncoming beside this checkout")
    event = realtime_call_incoming_event("rtc_0123", sip_headers=[("To", "sip:a@example.net")])
    jsonschema.validate(event, schema)
    assert event["data"] == {
        "call_id": "rtc_0123",
        "sip_headers": [{"name": "To", "value": "sip:a@example.net"}],
    }
    body = json.dumps(event).encode()
    result = unwrap(body, sign_webhook(body, SECRET), secret=SECRET)
    assert isinstance(result, WebhookRealtimeCallIncoming)
    assert result.data.call_id == "rtc_0123"


def test_the_fake_refuses_a_malformed_secret_without_showing_it() -> None:
    """The signer checks the secret's form too, and keeps it out of its message."""
    for secret in ("sk-proj-notawebhooksecret", "whsec_!!notbase64"):
        with pytest.raises(ValueError, match='"whsec_" followed by base64') as caught:
            sign_webhook(b"{}", secret)
        assert secret.removeprefix("whsec_") not in str(caught.value)


@st.composite
def _deliveries(draw: st.DrawFn) -> tuple[bytes, str, int]:
    body = draw(st.binary(max_size=2048))
    # Header values carry no surrounding whitespace (HTTP strips it), so ids are drawn without.
    msg_id = draw(
        st.text(st.characters(blacklist_categories=("Cs", "Cc", "Z")), min_size=1, max_size=64)
    )
    timestamp = draw(st.integers(min_value=0, max_value=10**11))
    return body, msg_id, timestamp


@given(delivery=_deliveries(), data=st.data())
def test_what_the_fake_signs_verifies_and_any_one_byte_change_fails(
    delivery: tuple[bytes, str, int], data: st.DataObject
) -> None:
    """Property: sign with the fake, verify with `verify`; change one byte of body or id, and it fails."""
    body, msg_id, timestamp = delivery
    headers = sign_webhook(body, SECRET, msg_id=msg_id, timestamp=timestamp)
    verify(body, headers, secret=SECRET, now=timestamp)
    encoded_id = msg_id.encode()
    target = data.draw(st.sampled_from(["body", "id"] if body else ["id"]))
    original = body if target == "body" else encoded_id
    index = data.draw(st.integers(0, len(original) - 1))
    new_byte = data.draw(st.integers(0, 255).filter(lambda b: b != original[index]))
    changed = original[:index] + bytes([new_byte]) + original[index + 1 :]
    if target == "body":
        with pytest.raises(WebhookSignatureError):
            verify(changed, headers, secret=SECRET, now=timestamp)
    else:
        # The changed id is sent as the header text it decodes to; bytes that do not decode
        # cannot be sent in a str header at all, which is a failure of its own kind.
        text = changed.decode("utf-8", "surrogateescape")
        with pytest.raises((WebhookSignatureError, WebhookHeaderError)):
            verify(body, {**headers, "webhook-id": text}, secret=SECRET, now=timestamp)


# --- end to end -----------------------------------------------------------------------------


RECEIVED = web.AppKey("received", list)


async def webhook_handler(request: web.Request) -> web.Response:
    """A handler as the README shows it: verify, then act on the event."""
    try:
        event = unwrap(await request.read(), request.headers, secret=SECRET)
    except WebhookVerificationError as exc:
        return web.Response(status=400, text=type(exc).__name__)
    request.app[RECEIVED].append(event)
    return web.Response(status=200)


@pytest.fixture
async def handler_url() -> AsyncIterator[tuple[str, list[Any]]]:
    """An aiohttp.web app on 127.0.0.1 serving `webhook_handler` at /webhooks."""
    app = web.Application()
    app[RECEIVED] = []
    app.router.add_post("/webhooks", webhook_handler)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/webhooks", app[RECEIVED]
    await runner.cleanup()


async def test_a_handler_verifies_what_the_fake_sends(handler_url: tuple[str, list[Any]]) -> None:
    """send_webhook POSTs signed JSON; the aiohttp handler unwraps it into the event."""
    url, received = handler_url
    event = realtime_call_incoming_event("rtc_0123456789abcdef0123456789abcdef")
    delivery = await send_webhook(url, event, secret=SECRET)
    assert delivery.status == 200
    assert delivery.sent_headers["Content-Type"] == "application/json"
    assert json.loads(delivery.sent_body) == event
    [got] = received
    assert isinstance(got, WebhookRealtimeCallIncoming)
    assert got.data.call_id == "rtc_0123456789abcdef0123456789abcdef"
    assert to_dict(got) == event


async def test_a_handler_refuses_a_tampered_or_stale_delivery(
    handler_url: tuple[str, list[Any]],
) -> None:
    """Replaced signature, an old timestamp, the wrong secret: each a 400 with its class."""
    url, received = handler_url
    event = realtime_call_incoming_event()
    forged = await send_webhook(
        url, event, secret=SECRET, extra_headers={"webhook-signature": "v1,AAAA"}
    )
    stale = await send_webhook(url, event, secret=SECRET, timestamp=1_600_000_000)
    other = await send_webhook(url, event, secret=make_webhook_secret())
    assert [(d.status, d.body) for d in (forged, stale, other)] == [
        (400, b"WebhookSignatureError"),
        (400, b"WebhookTimestampToleranceError"),
        (400, b"WebhookSignatureError"),
    ]
    assert received == []


async def test_an_extra_header_replaces_the_signed_one_in_any_case(
    handler_url: tuple[str, list[Any]],
) -> None:
    """``Webhook-Signature`` in extra_headers replaces ``webhook-signature``, not joins it."""
    url, received = handler_url
    delivery = await send_webhook(
        url,
        realtime_call_incoming_event(),
        secret=SECRET,
        extra_headers={"Webhook-Signature": "v1,AAAA"},
    )
    assert (delivery.status, delivery.body) == (400, b"WebhookSignatureError")
    assert [k for k in delivery.sent_headers if k.lower() == "webhook-signature"] == [
        "Webhook-Signature"
    ]
    assert received == []


async def test_exact_bytes_are_sent_and_verified(handler_url: tuple[str, list[Any]]) -> None:
    """A body given as bytes goes out unchanged (spacing, key order) and still verifies."""
    url, received = handler_url
    body = b'{ "type" : "some.future.event",  "id": "evt_1", "z": 1, "a": 2 }'
    delivery = await send_webhook(url, body, secret=SECRET)
    assert (delivery.status, delivery.sent_body) == (200, body)
    [got] = received
    assert isinstance(got, UnknownVariant)
    assert got.type == "some.future.event"


class _StdlibHandler(BaseHTTPRequestHandler):
    """A handler in another framework: http.server, whose headers are an email Message."""

    calls: list[str] = []  # noqa: RUF012 - one server per test, read after it stops

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        try:
            event = unwrap(body, self.headers, secret=SECRET)  # type: ignore[arg-type]
        except WebhookVerificationError:
            self.send_response(400)
        else:
            assert isinstance(event, WebhookRealtimeCallIncoming)
            self.calls.append(event.data.call_id)
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass  # keep the test output quiet


@pytest.fixture
def stdlib_server() -> Iterator[str]:
    """`_StdlibHandler` served by http.server from a thread on 127.0.0.1; yields its URL."""
    _StdlibHandler.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StdlibHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()
    thread.join(10)


def test_the_sync_sender_reaches_a_plain_threaded_server(stdlib_server: str) -> None:
    """send_webhook_sync from plain code; verification works with http.server's headers."""
    ok = send_webhook_sync(stdlib_server, realtime_call_incoming_event("rtc_sync"), secret=SECRET)
    bad = send_webhook_sync(stdlib_server, b"{}", secret=make_webhook_secret())
    assert (ok.status, bad.status) == (204, 400)
    assert _StdlibHandler.calls == ["rtc_sync"]


async def test_the_sync_sender_works_inside_a_running_loop(stdlib_server: str) -> None:
    """Called from a coroutine, it runs its own loop on a worker thread instead of failing."""
    delivery = send_webhook_sync(
        stdlib_server, realtime_call_incoming_event("rtc_in_loop"), secret=SECRET
    )
    assert delivery.status == 204
    assert _StdlibHandler.calls == ["rtc_in_loop"]
