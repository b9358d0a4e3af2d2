"""`CallControl`: the client's methods that create and steer calls.

Create a WebRTC call (an SDP offer out, an answer back), then accept, refer, reject or
hang up a call, each with its ``_with_response`` twin. `RealtimeClient` inherits them.
"""

from __future__ import annotations

from collections.abc import Coroutine, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from realtime_sdk._calls import RealtimeCallAnswer, call_id_segment, encode_offer
from realtime_sdk._client._engine import Reply
from realtime_sdk._client._options import CallOptions, QueryValue, call_options
from realtime_sdk._http._headers import HiddenHeaders
from realtime_sdk._result import APIResponse
from realtime_sdk._secret import Secret
from realtime_sdk._spec.operations import (
    ACCEPT_CALL,
    CREATE_CALL,
    HANGUP_CALL,
    REFER_CALL,
    REJECT_CALL,
    Body,
    Operation,
)
from realtime_sdk._unset import UNSET, Unset
from realtime_sdk._wire._requests import dumps_request
from realtime_sdk.errors import (
    ConfigurationError,
)

if TYPE_CHECKING:
    from realtime_sdk._calls import Offer
    from realtime_sdk.models import (
        RealtimeCallCreateRequest,
        RealtimeCallReferRequest,
        RealtimeCallRejectRequest,
        RealtimeSessionCreateRequestGA,
    )

from realtime_sdk._client._binding import BoundClient, with_response

Req = TypeVar("Req")


def _no_json_body(endpoint: Operation[Any, Any], options: CallOptions | None) -> None:
    """Refuse extra_body for an operation whose body is not a JSON object, before any I/O."""
    if options is not None and options.body:
        msg = (
            f"extra_body: {endpoint.method} sends no JSON body to merge it into "
            "(use extra_headers or extra_query)"
        )
        raise ConfigurationError(msg)


class CallControl(BoundClient):
    """The call methods of `RealtimeClient` (see there for the client itself)."""

    async def create_realtime_call(
        self,
        request: RealtimeCallCreateRequest | Mapping[str, Any],
        *,
        client_secret: str | Secret | None = None,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RealtimeCallAnswer:
        """Open a WebRTC call: send a browser's SDP offer, get OpenAI's SDP answer and the call id.

        ``POST /realtime/calls``. By default the offer and the optional ``session`` go out
        as a ``multipart/form-data`` form under the client's API key, so a backend can
        answer a browser's offer without any key reaching the browser. With
        ``client_secret`` (an ``ek_...`` key minted earlier) the bare SDP text is sent
        under that key instead, and the session is the one the key was minted with.

        Retried like the key-minting calls: a retry after a lost answer can, rarely, open
        a second call that nobody connects to; it never connects and ends by itself.

        Args:
            request: ``sdp`` (the offer text) and, with the API key only, ``session`` (a
                `RealtimeSessionCreateRequestGA`), as a model or a plain dict.
            client_secret: an ephemeral key to authenticate this call with instead of the
                API key; masked in every message.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: refused with a `ConfigurationError`: this operation sends no JSON
                body to merge it into.

        Returns:
            The SDP answer (``sdp``) and the new call's id (``call_id``, from ``Location``).

        Raises:
            RequestValidationError: the request does not fit the schema, or ``session`` was
                given with ``client_secret`` (nothing was sent).
            APIStatusError: the API answered with an error status (a subclass per status).
            APIConnectionError: no answer arrived after all retries.
            APIResponseValidationError: a 2xx answer without SDP text or without a
                ``Location`` naming the call.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        data, _ = await self._create_call(request, client_secret, options)
        return data

    async def create_realtime_call_with_response(
        self,
        request: RealtimeCallCreateRequest | Mapping[str, Any],
        *,
        client_secret: str | Secret | None = None,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[RealtimeCallAnswer]:
        """Like `create_realtime_call`, with the call's status, headers and request id.

        Args:
            request: ``sdp`` and, with the API key only, ``session``; a model or a dict.
            client_secret: an ephemeral key to authenticate this call with instead.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: refused with a `ConfigurationError`: this operation sends no JSON
                body to merge it into.

        Returns:
            An `APIResponse` whose ``data`` is the `RealtimeCallAnswer`.

        Raises:
            RequestValidationError: the request does not fit (nothing was sent).
            APIStatusError: the API answered with an error status (a subclass per status).
            APIConnectionError: no answer arrived after all retries.
            APIResponseValidationError: a 2xx answer without SDP text or ``Location``.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return with_response(await self._create_call(request, client_secret, options))

    async def accept_realtime_call(
        self,
        call_id: str,
        request: RealtimeSessionCreateRequestGA | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> None:
        """Accept an incoming SIP call with the session that will answer it.

        ``POST /realtime/calls/{call_id}/accept``. A change to a live call, so only
        failures the service cannot have acted on are retried: a connection that could
        not be opened, 408, 429 and ``x-should-retry: true``. A timeout or a dropped
        connection after the request was sent, a 409 or a 5xx is raised at once: the call
        may have been accepted. `APIConnectionError.maybe_sent` tells the two apart.

        Args:
            call_id: the call's id (from the ``realtime.call.incoming`` webhook); checked
                and percent-encoded as one path segment.
            request: the session configuration, as a model or a plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Raises:
            RequestValidationError: a bad ``call_id`` or a request that does not fit the
                schema (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see above for what was retried).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        await self._change_call(ACCEPT_CALL, call_id, request, options)

    async def accept_realtime_call_with_response(
        self,
        call_id: str,
        request: RealtimeSessionCreateRequestGA | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[None]:
        """Like `accept_realtime_call`, with the call's status, headers and request id.

        Retried the same way (see `accept_realtime_call`); ``data`` is always None, as the
        answer carries no body to read.

        Args:
            call_id: the call's id; checked and percent-encoded as one path segment.
            request: the session configuration, as a model or a plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            An `APIResponse` with the answer's status, headers and request id.

        Raises:
            RequestValidationError: a bad ``call_id`` or request (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see `accept_realtime_call`).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return with_response(await self._change_call(ACCEPT_CALL, call_id, request, options))

    async def refer_realtime_call(
        self,
        call_id: str,
        request: RealtimeCallReferRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> None:
        """Transfer a SIP call elsewhere (a SIP REFER to ``target_uri``).

        ``POST /realtime/calls/{call_id}/refer``. Retried only where the service cannot
        have acted (see `accept_realtime_call`): a repeated transfer could ring twice.

        Args:
            call_id: the call's id; checked and percent-encoded as one path segment.
            request: ``target_uri`` (``tel:+14155550123``, ``sip:...``), as a model or a
                plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Raises:
            RequestValidationError: a bad ``call_id`` or request (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see `accept_realtime_call`).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        await self._change_call(REFER_CALL, call_id, request, options)

    async def refer_realtime_call_with_response(
        self,
        call_id: str,
        request: RealtimeCallReferRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[None]:
        """Like `refer_realtime_call`, with the call's status, headers and request id.

        Retried the same way (see `accept_realtime_call`); ``data`` is always None, as the
        answer carries no body to read.

        Args:
            call_id: the call's id; checked and percent-encoded as one path segment.
            request: ``target_uri``, as a model or a plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            An `APIResponse` with the answer's status, headers and request id.

        Raises:
            RequestValidationError: a bad ``call_id`` or request (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see `accept_realtime_call`).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return with_response(await self._change_call(REFER_CALL, call_id, request, options))

    async def reject_realtime_call(
        self,
        call_id: str,
        request: RealtimeCallRejectRequest | Mapping[str, Any] | None = None,
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> None:
        """Decline an incoming SIP call with a SIP status (the server's default is 603).

        ``POST /realtime/calls/{call_id}/reject``. Retried only where the service cannot
        have acted (see `accept_realtime_call`).

        Args:
            call_id: the call's id; checked and percent-encoded as one path segment.
            request: ``status_code`` (486 for busy, say), as a model or a plain dict; None
                sends ``{}``, leaving the status to the server.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Raises:
            RequestValidationError: a bad ``call_id`` or request (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see `accept_realtime_call`).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        body = {} if request is None else request
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        await self._change_call(REJECT_CALL, call_id, body, options)

    async def reject_realtime_call_with_response(
        self,
        call_id: str,
        request: RealtimeCallRejectRequest | Mapping[str, Any] | None = None,
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[None]:
        """Like `reject_realtime_call`, with the call's status, headers and request id.

        Retried the same way (see `accept_realtime_call`); ``data`` is always None, as the
        answer carries no body to read.

        Args:
            call_id: the call's id; checked and percent-encoded as one path segment.
            request: ``status_code``, as a model or a plain dict; None sends ``{}``.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            An `APIResponse` with the answer's status, headers and request id.

        Raises:
            RequestValidationError: a bad ``call_id`` or request (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see `accept_realtime_call`).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        body = {} if request is None else request
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return with_response(await self._change_call(REJECT_CALL, call_id, body, options))

    async def hangup_realtime_call(
        self,
        call_id: str,
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> None:
        """End a call, SIP or WebRTC (``POST /realtime/calls/{call_id}/hangup``, no body).

        Retried only where the service cannot have acted (see `accept_realtime_call`).

        Args:
            call_id: the call's id (a webhook's, or `RealtimeCallAnswer.call_id`); checked
                and percent-encoded as one path segment.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: refused with a `ConfigurationError`: this operation sends no JSON
                body to merge it into.

        Raises:
            RequestValidationError: a bad ``call_id`` (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see `accept_realtime_call`).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        await self._change_call(HANGUP_CALL, call_id, None, options)

    async def hangup_realtime_call_with_response(
        self,
        call_id: str,
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[None]:
        """Like `hangup_realtime_call`, with the call's status, headers and request id.

        Retried the same way (see `accept_realtime_call`); ``data`` is always None, as the
        answer carries no body to read.

        Args:
            call_id: the call's id; checked and percent-encoded as one path segment.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: refused with a `ConfigurationError`: this operation sends no JSON
                body to merge it into.

        Returns:
            An `APIResponse` with the answer's status, headers and request id.

        Raises:
            RequestValidationError: a bad ``call_id`` or request (nothing was sent).
            NotFoundError: no such call (or it has ended).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived (see `accept_realtime_call`).
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return with_response(await self._change_call(HANGUP_CALL, call_id, None, options))

    # -- internals -------------------------------------------------------------------------

    def _create_call(
        self,
        request: RealtimeCallCreateRequest | Mapping[str, Any],
        client_secret: str | Secret | None,
        options: CallOptions | None,
    ) -> Coroutine[Any, Any, tuple[RealtimeCallAnswer, Reply]]:
        """``POST /realtime/calls``: an SDP offer out, an SDP answer and a call id back."""
        session = self._ensure_session()
        _no_json_body(CREATE_CALL, options)
        # Unpacked at once: the offer's headers hold the call's key, and no local may.
        body, headers = self._offer(encode_offer(request, client_secret))
        if client_secret is not None:
            # Checked by `encode_offer`; masked like the client's own keys, whatever its shape.
            self._scrubber.remember(
                client_secret if isinstance(client_secret, Secret) else Secret(client_secret)
            )
        return self._send(
            session,
            CREATE_CALL,
            self._urls[CREATE_CALL.path],
            body,
            headers,
            model=RealtimeCallAnswer,
            options=options,
            own_credential=client_secret is not None,
        )

    def _change_call(
        self,
        endpoint: Operation[Req, None],
        call_id: str,
        request: Req | Mapping[str, Any] | None,
        options: CallOptions | None,
    ) -> Coroutine[Any, Any, tuple[None, Reply]]:
        """Accept, refer, reject or hang up a call: a JSON body (or none), an empty answer."""
        session = self._ensure_session()
        url = self._make_url(self._config.base_url, endpoint.path_for(call_id_segment(call_id)))
        # Only hang up has no body; None for any other is refused as a request that is
        # not one. (An answer with a body is still a success: what it says is not read.)
        no_body = endpoint.body is Body.NONE
        if no_body:
            _no_json_body(endpoint, options)
        body = b"" if no_body else dumps_request(request, endpoint.body_schema)
        return self._send(
            session, endpoint, url, body, self._request_headers, model=type(None), options=options
        )

    def _offer(self, offer: Offer) -> tuple[bytes, HiddenHeaders]:
        """An offer's body, and the headers to send it with (the offer's own win).

        When the offer carries a credential (an ephemeral key), the client's own is left out.
        """
        own = HiddenHeaders(offer.headers)
        if own.has("Authorization"):
            return offer.body, self._with_own_credential(own)
        headers = self._request_headers
        return offer.body, own if headers is None else headers.merged(own.reveal())


__all__ = ["CallControl"]
