"""Per-call options: one small object every client method hands to ``RealtimeClient._call``.

A method builds it with `call_options` from its keyword arguments. When a call sets none
of them, `call_options` returns None and the call takes the client's prebuilt path
unchanged: no dict merge, no copy, nothing checked twice. Everything here is checked when
the object is built, so a bad option fails before any I/O, naming the option and the key.
"""

import math
from collections.abc import Mapping
from typing import Final, TypeAlias

from yarl import URL

from realtime_sdk._client._config import check_seconds, checked_headers
from realtime_sdk._unset import UNSET, Unset
from realtime_sdk._wire import _json
from realtime_sdk._wire._json_values import json_misfit
from realtime_sdk._wire._kinds import kind_of
from realtime_sdk.errors import ConfigurationError, FieldError, RequestValidationError

QueryValue: TypeAlias = str | int | float
"""What one ``extra_query`` value may be: sent as its text (``True``/``False`` are refused)."""

_EMPTY_PAIRS: Final[tuple[tuple[str, str], ...]] = ()


class CallOptions:
    """The options one call set, already checked (see `call_options`).

    Attributes:
        timeout: seconds per attempt, or None for the client's.
        max_retries: retries after the first attempt, or None for the client's.
        headers: headers to add to (or override in) this call, as checked pairs.
        query: query parameters to add to the URL of this call, as text pairs.
        body: top-level keys merged into the encoded JSON body (they win over the
            request's own keys of the same name), or None.
    """

    __slots__ = ("body", "headers", "max_retries", "query", "timeout")

    def __init__(
        self,
        *,
        timeout: float | None,
        max_retries: int | None,
        headers: tuple[tuple[str, str], ...],
        query: tuple[tuple[str, str], ...],
        body: dict[str, object] | None,
    ) -> None:
        self.timeout = timeout
        self.max_retries = max_retries
        self.headers = headers
        self.query = query
        self.body = body

    def apply(
        self,
        body: bytes,
        url: URL,
        headers: Mapping[str, str] | None,
        timeout: float,
        max_retries: int,
    ) -> tuple[bytes, URL, Mapping[str, str] | None, float, int]:
        """A call's body, URL, headers, attempt limit and retry count with these options.

        Args:
            body: the validated, encoded request.
            url: the endpoint's URL.
            headers: the headers each request adds to the session's (None for none).
            timeout: the client's limit per attempt.
            max_retries: the client's retry count.

        Returns:
            The same five, changed where this call says so.
        """
        if self.body:
            body = self.merge_body(body)
        if self.query:
            url = url.update_query(self.query)
        if self.headers:
            # aiohttp lets these replace the defaults of the same name, in any letter case.
            extra = dict(self.headers)
            headers = extra if headers is None else {**headers, **extra}
        if self.timeout is not None:
            timeout = self.timeout
        if self.max_retries is not None:
            max_retries = self.max_retries
        return body, url, headers, timeout, max_retries

    def merge_body(self, body: bytes) -> bytes:
        """The encoded request with `body`'s keys merged in (shallow; these keys win).

        Args:
            body: the validated, encoded JSON object of the request.

        Returns:
            The body to send.
        """
        if not self.body:
            return body
        payload = _json.loads(body)
        if not isinstance(payload, dict):  # pragma: no cover - every request model is an object
            return body
        payload.update(self.body)
        return _json.dumps(payload)


def call_options(
    timeout: float | Unset,
    max_retries: int | Unset,
    extra_headers: Mapping[str, str] | None,
    extra_query: Mapping[str, QueryValue] | None,
    extra_body: Mapping[str, object] | None,
) -> CallOptions | None:
    """Check one call's options; None when it set none of them.

    Args:
        timeout: seconds for each attempt of this call, or UNSET.
        max_retries: retries for this call, or UNSET.
        extra_headers: headers to add to this call, or None.
        extra_query: query parameters to add to this call's URL, or None.
        extra_body: top-level keys to merge into this call's JSON body, or None.

    Returns:
        The checked options, or None (the client's own settings apply unchanged).

    Raises:
        ConfigurationError: a timeout, retry count, header or query parameter that does
            not fit; the message names it (never a header's value).
        RequestValidationError: an ``extra_body`` key that is not a str or whose value
            JSON cannot encode; its path is ``extra_body.<key>``.
    """
    if (
        timeout is UNSET
        and max_retries is UNSET
        and not extra_headers
        and not extra_query
        and not extra_body
    ):
        return None
    seconds: float | None = None
    if timeout is not UNSET:
        check_seconds("timeout", timeout)
        seconds = float(timeout)
    retries: int | None = None
    if max_retries is not UNSET:
        count: object = max_retries  # untyped callers pass anything
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            msg = f"max_retries: expected an int >= 0, got {max_retries!r}"
            raise ConfigurationError(msg)
        retries = max_retries
    headers = checked_headers(extra_headers, what="extra_headers") if extra_headers else ()
    return CallOptions(
        timeout=seconds,
        max_retries=retries,
        headers=headers,
        query=_checked_query(extra_query) if extra_query else _EMPTY_PAIRS,
        body=_checked_body(extra_body) if extra_body else None,
    )


def _checked_query(query: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(query, Mapping):
        msg = f"extra_query: expected a mapping of str to str, int or float, got {kind_of(query)}"
        raise ConfigurationError(msg)
    pairs: list[tuple[str, str]] = []
    items: list[tuple[object, object]] = list(query.items())
    for name, value in items:
        if not isinstance(name, str) or not name or _has_lone_surrogate(name):
            msg = (
                f"extra_query: {name!r} is not a parameter name (expected a non-empty str "
                "without lone surrogates)"
            )
            raise ConfigurationError(msg)
        if isinstance(value, str):
            if _has_lone_surrogate(value):
                # yarl would drop it from the URL without a word.
                msg = f"extra_query[{name!r}]: expected a str without lone surrogates"
                raise ConfigurationError(msg)
            pairs.append((name, value))
        elif isinstance(value, float):
            if not math.isfinite(value):
                msg = f"extra_query[{name!r}]: expected a finite number, got {value!r}"
                raise ConfigurationError(msg)
            pairs.append((name, str(value)))
        elif isinstance(value, int) and not isinstance(value, bool):
            pairs.append((name, _int_text(name, value)))
        else:
            msg = f"extra_query[{name!r}]: expected a str, int or float, got {kind_of(value)}"
            raise ConfigurationError(msg)
    return tuple(pairs)


def _has_lone_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


def _int_text(name: str, value: int) -> str:
    try:
        # An int of any size is exact as text (no float conversion), up to the digit
        # limit Python sets on rendering one (sys.set_int_max_str_digits).
        return str(value)
    except ValueError:
        msg = (
            f"extra_query[{name!r}]: expected an int Python can write out in digits "
            "(see sys.get_int_max_str_digits), got one too large"
        )
        raise ConfigurationError(msg) from None


def _checked_body(extra: object) -> dict[str, object]:
    if not isinstance(extra, Mapping):
        error = FieldError("extra_body", "a mapping of str keys to JSON values", kind_of(extra))
        raise RequestValidationError([error], model="extra_body")
    errors: list[FieldError] = []
    checked: dict[str, object] = {}
    items: list[tuple[object, object]] = list(extra.items())
    for key, value in items:
        if not isinstance(key, str):
            errors.append(FieldError("extra_body", "str keys", kind_of(key)))
            continue
        misfit = json_misfit(value, f"extra_body.{key}")
        if misfit is not None:
            errors.append(misfit)
            continue
        try:
            _json.dumps(value)  # what the walk does not see: a lone surrogate in a string
        except (TypeError, ValueError, RecursionError):
            errors.append(FieldError(f"extra_body.{key}", "a JSON value", kind_of(value)))
            continue
        checked[key] = value
    if errors:
        raise RequestValidationError(errors, model="extra_body")
    return checked


__all__ = ["CallOptions", "QueryValue", "call_options"]
