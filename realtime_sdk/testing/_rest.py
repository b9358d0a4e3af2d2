"""The fake's normal answer to a REST request, faults aside: route, credentials, body,
the call it names, then success (a minted key, an SDP answer, a call's new state)."""

from collections.abc import Callable
from http import HTTPStatus
from typing import Any, Final

from realtime_sdk._spec import operations as ops
from realtime_sdk.testing import _answers as answers
from realtime_sdk.testing import _calls as calls
from realtime_sdk.testing._access import Access
from realtime_sdk.testing._calls import FakeCall
from realtime_sdk.testing._offer import OfferError, check_form, check_sdp
from realtime_sdk.testing._records import Incoming, keep_newest
from realtime_sdk.testing._routes import API_PREFIX, route
from realtime_sdk.testing._schema import SchemaViolation, validate
from realtime_sdk.testing._wire import Answer, error_payload

MULTIPART: Final = "multipart/form-data"
_SDP: Final = "application/sdp"


class RestAnswers:
    """Decides the answers and keeps what they create: the calls and the minted keys.

    ``calls`` and ``minted_keys`` are the fake's own public containers, shared, and kept to
    the newest ``max_records`` entries.
    """

    def __init__(
        self,
        *,
        access: Access,
        calls_by_id: dict[str, FakeCall],
        minted_keys: list[str],
        call_ended: Callable[[str], None],
        clock: Callable[[], float],
        client_secret_ttl: int,
        session_ttl: int,
        max_records: int | None,
    ) -> None:
        self.minted = 0
        """How many keys were handed out (``minted_keys`` may keep fewer)."""
        self._access = access
        self._calls = calls_by_id
        self._minted_keys = minted_keys
        self._call_ended = call_ended
        self._clock = clock
        self._client_secret_ttl = client_secret_ttl
        self._session_ttl = session_ttl
        self._max_records = max_records

    def add_call(self, call: FakeCall) -> None:
        """Know one more call, forgetting the oldest ones beyond ``max_records``."""
        self._calls.pop(call.call_id, None)  # a call added again under its id counts as the newest
        self._calls[call.call_id] = call
        keep_newest(self._calls, self._max_records)

    def answer(  # noqa: PLR0911 - one return per gate
        self, incoming: Incoming, *, reject_unknown_fields: bool, retired_status: int | None
    ) -> Answer:
        """Decide the normal answer: routing, auth, the body, the call, then success.

        Args:
            incoming: the request and what was read of it.
            reject_unknown_fields: whether keys the spec does not list get a 400.
            retired_status: the status the retired beta endpoints answer, or None while
                they are served.
        """
        request = incoming.request
        path = self._access.route(request.rel_url.raw_path)
        found = route(path) if request.method == "POST" else None
        if found is None:
            message = f"Invalid URL ({request.method} {request.path})"
            return Answer(HTTPStatus.NOT_FOUND, error_payload(message))
        op, call_id = found
        if op.body is ops.Body.OFFER:
            return self._answer_offer(incoming, reject_unknown_fields=reject_unknown_fields)
        denied = self._access.check(request)
        if denied is not None:
            return denied
        if retired_status is not None and op.retired:
            message = (
                "This beta Realtime endpoint is no longer served for the GA API shape; "
                "mint a client secret with POST /v1/realtime/client_secrets instead."
            )
            return Answer(retired_status, error_payload(message, code="beta_api_shape_disabled"))
        call = None
        if call_id is not None:
            call = self._calls.get(call_id)
            if call is None:
                message = f"No call with id '{call_id}' was found."
                return Answer(HTTPStatus.NOT_FOUND, error_payload(message, code="call_not_found"))
        refused = _check_json(incoming, op, reject_unknown_fields=reject_unknown_fields)
        if refused is not None:
            return refused
        body = incoming.parsed if isinstance(incoming.parsed, dict) else None
        if call is not None:
            return self._change_call(call, op, body)
        assert body is not None  # a JSON operation's body was checked to be an object
        return Answer(HTTPStatus.OK, self._success(op, body))

    def _answer_offer(self, incoming: Incoming, *, reject_unknown_fields: bool) -> Answer:
        """POST /realtime/calls: a form under the API key, or bare SDP under an ephemeral key."""
        request = incoming.request
        try:
            if request.content_type == MULTIPART:
                denied = self._access.check_bearer(request)
                if denied is not None:
                    return denied
                if incoming.form_error is not None:
                    raise incoming.form_error
                offer = check_form(incoming.form or {}, reject_unknown_fields=reject_unknown_fields)
                session = offer.session
            elif request.content_type == _SDP:
                denied = self._access.check_ephemeral_key(request)
                if denied is not None:
                    return denied
                check_sdp(incoming.raw.decode("utf-8", "replace"))
                session = None
            else:
                message = (
                    "Send the offer as 'multipart/form-data' (with an API key) or as "
                    "'application/sdp' (with an ephemeral key)."
                )
                raise OfferError(message, "invalid_content_type")  # noqa: TRY301 - one refusal path
        except OfferError as exc:
            payload = error_payload(exc.message, param=exc.param, code=exc.code)
            return Answer(HTTPStatus.BAD_REQUEST, payload)
        call_id = calls.new_call_id()
        self.add_call(FakeCall(call_id=call_id, kind="webrtc", state=calls.ACTIVE, session=session))
        headers = {"content-type": _SDP, "location": f"{API_PREFIX}/realtime/calls/{call_id}"}
        return Answer(HTTPStatus.CREATED, calls.sdp_answer().encode(), headers)

    def _change_call(
        self, call: FakeCall, op: ops.Operation[Any, Any], body: dict[str, Any] | None
    ) -> Answer:
        """Accept, refer, reject or hang up a known call, if its state allows it."""
        why_not = calls.conflict(call, op.method)
        if why_not is not None:
            return Answer(HTTPStatus.CONFLICT, error_payload(why_not, code="call_state_conflict"))
        calls.apply(call, op.method, body)
        if call.state == calls.ENDED:
            self._call_ended(call.call_id)
        return Answer(HTTPStatus.OK, b"")

    def _success(self, op: ops.Operation[Any, Any], body: dict[str, Any]) -> dict[str, Any]:
        key = answers.new_key()
        self.minted += 1
        self._minted_keys.append(key)
        keep_newest(self._minted_keys, self._max_records)
        now = int(self._clock())
        if op is ops.CLIENT_SECRETS:
            return answers.client_secret(
                body, key=key, now=now, default_ttl=self._client_secret_ttl
            )
        if op is ops.TRANSLATION_CLIENT_SECRETS:
            return answers.translation_client_secret(
                body, key=key, now=now, default_ttl=self._client_secret_ttl
            )
        if op is ops.SESSIONS:
            return answers.beta_session(body, key=key, now=now, ttl=self._session_ttl)
        return answers.beta_transcription_session(body, key=key, now=now, ttl=self._session_ttl)


def _check_json(  # noqa: PLR0911 - one return per gate
    incoming: Incoming, op: ops.Operation[Any, Any], *, reject_unknown_fields: bool
) -> Answer | None:
    """Refuse a body that is not a JSON object fitting the operation's schema."""
    if op.request_schema is None:
        return None  # hang up: no body is defined, whatever came is not read
    if op is ops.REJECT_CALL and not incoming.raw:
        return None  # the spec makes the reject body optional
    if incoming.request.content_type != "application/json":
        message = "Send the request body as JSON with 'Content-Type: application/json'."
        return Answer(HTTPStatus.BAD_REQUEST, error_payload(message, code="invalid_content_type"))
    if incoming.parse_error:
        message = "The request body could not be parsed as JSON."
        return Answer(HTTPStatus.BAD_REQUEST, error_payload(message, code="invalid_json"))
    if not isinstance(incoming.parsed, dict):
        message = "The request body must be a JSON object."
        return Answer(HTTPStatus.BAD_REQUEST, error_payload(message, code="invalid_type"))
    try:
        validate(op.request_schema, incoming.parsed, reject_unknown_fields=reject_unknown_fields)
    except SchemaViolation as exc:
        payload = error_payload(exc.message, param=exc.param, code=exc.code)
        return Answer(HTTPStatus.BAD_REQUEST, payload)
    except RecursionError:
        message = "The request body is nested too deeply."
        return Answer(HTTPStatus.BAD_REQUEST, error_payload(message, code="invalid_json"))
    return None
