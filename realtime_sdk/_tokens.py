"""Token helpers on every answer that carries a freshly minted ephemeral key.

The generated response classes of the three mint endpoints take one of these mixins as
their base (see ``_codegen/render_models.py``): `expires_in`, `is_expired` and
`for_browser` work the same on each, wherever the answer keeps its key.
"""

import math
import time
from typing import Any, NamedTuple

from realtime_sdk._secret import Secret


class _Minted(NamedTuple):
    value: object
    expires_at: object
    type: str | None
    model: object


class MintedSecret:
    """What every answer holding an ephemeral key can do with it."""

    __slots__ = ()

    def _minted(self) -> _Minted:  # pragma: no cover - every generated user overrides it
        raise NotImplementedError

    def expires_in(self, *, now: float | None = None) -> float:
        """Seconds until the key expires; 0 once it has (never negative).

        Args:
            now: the current Unix time in seconds; defaults to the clock.

        Returns:
            The seconds left.

        Raises:
            ValueError: ``now`` is not a finite number of seconds a float can hold, or the
                answer carried no expiry time.
        """
        current = time.time() if now is None else _seconds("now", now, minimum=None)
        expires_at = self._minted().expires_at
        if isinstance(expires_at, bool) or not isinstance(expires_at, int | float):
            msg = f"{type(self).__name__}: the answer carried no expires_at"
            raise ValueError(msg)  # noqa: TRY004 - a missing value, not a wrong type of argument
        try:
            return max(float(expires_at) - current, 0.0)
        except OverflowError:
            # An expiry beyond a float's range (read leniently from the answer) is never.
            return math.inf

    def is_expired(self, *, margin: float = 0.0, now: float | None = None) -> bool:
        """Whether the key has expired, or will within ``margin`` seconds.

        Pass a margin that covers the time the key still has to travel and be used (a
        browser opening its connection, say): ``is_expired(margin=10)``.

        Args:
            margin: seconds of life the key must still have to count as usable (>= 0).
            now: the current Unix time in seconds; defaults to the clock.

        Returns:
            True when ``expires_in(now=now) <= margin``.

        Raises:
            ValueError: ``margin`` is not a finite number >= 0, ``now`` not a finite
                number, or the answer carried no expiry time.
        """
        limit = _seconds("margin", margin, minimum=0.0)
        return self.expires_in(now=now) <= limit

    def for_browser(self) -> dict[str, Any]:
        """The JSON a token endpoint hands to a browser: the key revealed, and no more.

        ``{"value": "ek_...", "expires_at": 1756310470, "session": {"type": "realtime",
        "model": "gpt-realtime"}}``: the same names as the client-secret answer, so page
        code reads ``value`` and ``expires_at`` from it either way; ``model`` is left out
        when the answer did not name one. Nothing else of the answer (instructions,
        tools, ...) goes to the page.

        Returns:
            A dict ready for ``json.dumps`` or ``web.json_response``.

        Raises:
            ValueError: the answer carried no key or no expiry time.
        """
        minted = self._minted()
        if not isinstance(minted.value, Secret):
            msg = f"{type(self).__name__}: the answer carried no ephemeral key"
            raise ValueError(msg)  # noqa: TRY004 - a missing value, not a wrong type of argument
        if isinstance(minted.expires_at, bool) or not isinstance(minted.expires_at, int):
            msg = f"{type(self).__name__}: the answer carried no expires_at"
            raise ValueError(msg)  # noqa: TRY004 - a missing value, not a wrong type of argument
        session: dict[str, Any] = {}
        if minted.type is not None:
            session["type"] = minted.type
        if isinstance(minted.model, str):
            session["model"] = minted.model
        body: dict[str, Any] = {"value": minted.value.reveal(), "expires_at": minted.expires_at}
        if session:
            body["session"] = session
        return body


def _seconds(name: str, value: object, *, minimum: float | None) -> float:
    """A finite number of seconds as a float (an int too large for one is refused)."""
    bound = "" if minimum is None else f" >= {minimum:g}"
    expected = f"{name}: expected a finite number of seconds{bound}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{expected}, got {type(value).__name__}"
        raise ValueError(msg)  # noqa: TRY004 - the documented error for every misfit here
    try:
        seconds = float(value)
    except OverflowError:
        msg = f"{expected}, got an int too large for a float"
        raise ValueError(msg) from None
    if not math.isfinite(seconds) or (minimum is not None and seconds < minimum):
        msg = f"{expected}, got {value!r}"
        raise ValueError(msg)
    return seconds


def _tag(value: object) -> str | None:
    return value if isinstance(value, str) else None


class ClientSecretHelpers(MintedSecret):
    """For the client-secret answer: the key and expiry at the top, the session beside them."""

    __slots__ = ()

    def _minted(self) -> _Minted:
        session = getattr(self, "session", None)
        return _Minted(
            getattr(self, "value", None),
            getattr(self, "expires_at", None),
            _tag(getattr(session, "type", None)),
            getattr(session, "model", None),
        )


class _NestedSecret(MintedSecret):
    """For the beta session answers: the key and expiry inside ``client_secret``."""

    __slots__ = ()
    _session_type = "realtime"

    def _minted(self) -> _Minted:
        holder = getattr(self, "client_secret", None)
        return _Minted(
            getattr(holder, "value", None),
            getattr(holder, "expires_at", None),
            self._session_type,
            getattr(self, "model", None),
        )


class SessionSecretHelpers(_NestedSecret):
    """For the beta realtime session answer."""

    __slots__ = ()


class TranscriptionSecretHelpers(_NestedSecret):
    """For the beta transcription session answer."""

    __slots__ = ()
    _session_type = "transcription"


__all__ = [
    "ClientSecretHelpers",
    "MintedSecret",
    "SessionSecretHelpers",
    "TranscriptionSecretHelpers",
]
