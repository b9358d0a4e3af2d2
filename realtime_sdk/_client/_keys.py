"""`KeyMinting`: the client's methods that mint ephemeral keys.

Client secrets, translation client secrets and the legacy sessions and transcription
sessions, each with its ``_with_response`` twin. `RealtimeClient` inherits them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from realtime_sdk._client._options import QueryValue, call_options
from realtime_sdk._client._retired import DEPRECATED
from realtime_sdk._result import APIResponse
from realtime_sdk._spec.operations import (
    CLIENT_SECRETS,
    SESSIONS,
    TRANSCRIPTION_SESSIONS,
    TRANSLATION_CLIENT_SECRETS,
)
from realtime_sdk._unset import UNSET, Unset
from realtime_sdk._warn import warn_caller

if TYPE_CHECKING:
    from realtime_sdk.models import (
        RealtimeCreateClientSecretRequest,
        RealtimeCreateClientSecretResponse,
        RealtimeSessionCreateRequest,
        RealtimeSessionCreateResponse,
        RealtimeTranscriptionSessionCreateRequest,
        RealtimeTranscriptionSessionCreateResponse,
        RealtimeTranslationClientSecretCreateRequest,
        RealtimeTranslationClientSecretCreateResponse,
    )

from realtime_sdk._client._binding import BoundClient, with_response


class KeyMinting(BoundClient):
    """The key-minting methods of `RealtimeClient` (see there for the client itself)."""

    async def create_realtime_client_secret(
        self,
        request: RealtimeCreateClientSecretRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RealtimeCreateClientSecretResponse:
        """Mint an ephemeral key (``ek_...``) for a browser or app to open a Realtime session.

        ``POST /realtime/client_secrets``. The key is in the result's ``value`` and is
        masked in ``repr``/``str``; call ``.reveal()`` to hand it over.

        Args:
            request: the session settings and expiry, as a model or a plain dict (checked
                and converted before anything is sent).
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            The parsed response, holding the ephemeral key and the effective session.

        Raises:
            RequestValidationError: the request does not fit the schema (nothing was sent).
            APIStatusError: the API answered with an error status (a subclass per status).
            APIConnectionError: no answer arrived after all retries (`APITimeoutError`
                when the attempts ran out of time).
            APIResponseValidationError: a 2xx answer that is not the expected JSON.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        data, _ = await self._call(CLIENT_SECRETS, request, options)
        return data

    async def create_realtime_client_secret_with_response(
        self,
        request: RealtimeCreateClientSecretRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[RealtimeCreateClientSecretResponse]:
        """Like `create_realtime_client_secret`, with the call's status, headers and request id.

        Args:
            request: the session settings and expiry, as a model or a plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            An `APIResponse` whose ``data`` is the parsed response.

        Raises:
            RequestValidationError: the request does not fit the schema (nothing was sent).
            APIStatusError: the API answered with an error status (a subclass per status).
            APIConnectionError: no answer arrived after all retries.
            APIResponseValidationError: a 2xx answer that is not the expected JSON.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return with_response(await self._call(CLIENT_SECRETS, request, options))

    async def create_realtime_session(
        self,
        request: RealtimeSessionCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RealtimeSessionCreateResponse:
        """Create a Realtime session and its ephemeral key (``POST /realtime/sessions``).

        Deprecated: warns with `DeprecationWarning` on every call. The service has retired
        the beta shape of this endpoint (an answer saying so raises `NotFoundError` with
        the way out). Use `create_realtime_client_secret` with the settings under
        ``session`` in the GA shape: ``{"session": {"type": "realtime", ...}}``, where
        ``voice`` becomes ``session.audio.output.voice`` and ``turn_detection``
        ``session.audio.input.turn_detection``.

        Args:
            request: the session settings, as a model or a plain dict (checked and
                converted before anything is sent).
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            The parsed session, including its ephemeral key (masked in ``repr``).

        Raises:
            RequestValidationError: the request does not fit the schema (nothing was sent).
            NotFoundError: the endpoint shape is retired or unknown (the message says which).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived after all retries.
            APIResponseValidationError: a 2xx answer that is not the expected JSON.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        warn_caller(DEPRECATED["create_realtime_session"], DeprecationWarning)
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        data, _ = await self._call(SESSIONS, request, options)
        return data

    async def create_realtime_session_with_response(
        self,
        request: RealtimeSessionCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[RealtimeSessionCreateResponse]:
        """Like `create_realtime_session`, with the call's status, headers and request id.

        Deprecated, as `create_realtime_session` is (it warns with `DeprecationWarning`);
        use `create_realtime_client_secret_with_response`.

        Args:
            request: the session settings, as a model or a plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            An `APIResponse` whose ``data`` is the parsed session.

        Raises:
            RequestValidationError: the request does not fit the schema (nothing was sent).
            APIStatusError: the API answered with an error status (a subclass per status).
            APIConnectionError: no answer arrived after all retries.
            APIResponseValidationError: a 2xx answer that is not the expected JSON.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        warn_caller(DEPRECATED["create_realtime_session_with_response"], DeprecationWarning)
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return with_response(await self._call(SESSIONS, request, options))

    async def create_realtime_transcription_session(
        self,
        request: RealtimeTranscriptionSessionCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RealtimeTranscriptionSessionCreateResponse:
        """Create a transcription session and its ephemeral key.

        ``POST /realtime/transcription_sessions``. Deprecated: warns with
        `DeprecationWarning` on every call. The service has retired the beta shape of this
        endpoint (an answer saying so raises `NotFoundError` with the way out). Use
        `create_realtime_client_secret` with ``{"session": {"type": "transcription", ...}}``
        in the GA shape, where ``input_audio_transcription`` becomes
        ``session.audio.input.transcription``.

        Args:
            request: the transcription settings, as a model or a plain dict (checked and
                converted before anything is sent).
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            The parsed transcription session, including its ephemeral key (masked in
            ``repr``).

        Raises:
            RequestValidationError: the request does not fit the schema (nothing was sent).
            NotFoundError: the endpoint shape is retired or unknown (the message says which).
            APIStatusError: the API answered with another error status.
            APIConnectionError: no answer arrived after all retries.
            APIResponseValidationError: a 2xx answer that is not the expected JSON.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        warn_caller(DEPRECATED["create_realtime_transcription_session"], DeprecationWarning)
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        data, _ = await self._call(TRANSCRIPTION_SESSIONS, request, options)
        return data

    async def create_realtime_transcription_session_with_response(
        self,
        request: RealtimeTranscriptionSessionCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[RealtimeTranscriptionSessionCreateResponse]:
        """Like `create_realtime_transcription_session`, with status, headers and request id.

        Deprecated, as `create_realtime_transcription_session` is (it warns with
        `DeprecationWarning`); use `create_realtime_client_secret_with_response`.

        Args:
            request: the transcription settings, as a model or a plain dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            An `APIResponse` whose ``data`` is the parsed transcription session.

        Raises:
            RequestValidationError: the request does not fit the schema (nothing was sent).
            APIStatusError: the API answered with an error status (a subclass per status).
            APIConnectionError: no answer arrived after all retries.
            APIResponseValidationError: a 2xx answer that is not the expected JSON.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        warn_caller(
            DEPRECATED["create_realtime_transcription_session_with_response"], DeprecationWarning
        )
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return with_response(await self._call(TRANSCRIPTION_SESSIONS, request, options))

    async def create_realtime_translation_client_secret(
        self,
        request: RealtimeTranslationClientSecretCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RealtimeTranslationClientSecretCreateResponse:
        """Mint an ephemeral key (``ek_...``) for a Realtime translation session.

        ``POST /realtime/translations/client_secrets``. The key is in the result's
        ``value``, masked in ``repr``/``str``; call ``.reveal()`` to hand it over. Retried
        like `create_realtime_client_secret`.

        Args:
            request: the translation session (model, languages) and the key's expiry, as a
                model or a plain dict (checked and converted before anything is sent).
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            The parsed response, holding the ephemeral key and the effective session.

        Raises:
            RequestValidationError: the request does not fit the schema (nothing was sent).
            APIStatusError: the API answered with an error status (a subclass per status).
            APIConnectionError: no answer arrived after all retries (`APITimeoutError`
                when the attempts ran out of time).
            APIResponseValidationError: a 2xx answer that is not the expected JSON.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        data, _ = await self._call(TRANSLATION_CLIENT_SECRETS, request, options)
        return data

    async def create_realtime_translation_client_secret_with_response(
        self,
        request: RealtimeTranslationClientSecretCreateRequest | Mapping[str, Any],
        *,
        timeout: float | Unset = UNSET,  # noqa: ASYNC109 - a per-call limit is part of the API
        max_retries: int | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> APIResponse[RealtimeTranslationClientSecretCreateResponse]:
        """Like `create_realtime_translation_client_secret`, with status, headers and request id.

        Args:
            request: the translation session and the key's expiry, as a model or a dict.
            timeout: seconds for each attempt of this call; defaults to the client's.
            max_retries: retries for this call; defaults to the client's.
            extra_headers: headers to add to (or override in) this call only.
            extra_query: query parameters to add to this call's URL (a name already
                there is replaced).
            extra_body: top-level keys merged into the JSON body after it was checked,
                for fields newer than the models; they win over the request's own keys.

        Returns:
            An `APIResponse` whose ``data`` is the parsed response.

        Raises:
            RequestValidationError: the request does not fit the schema (nothing was sent).
            APIStatusError: the API answered with an error status (a subclass per status).
            APIConnectionError: no answer arrived after all retries.
            APIResponseValidationError: a 2xx answer that is not the expected JSON.
            ClientClosedError: the client was closed.
            EventLoopMismatchError: called from another event loop than the client's.
        """
        options = call_options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return with_response(await self._call(TRANSLATION_CLIENT_SECRETS, request, options))


__all__ = ["KeyMinting"]
