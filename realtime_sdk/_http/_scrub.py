"""Masking secrets in whatever a server sent back before an error keeps it.

A proxy or a misbehaving service may echo the API key (in a header, in an error body,
escaped as ``\\u0073k-...`` inside JSON) or an ephemeral key (in ``x-request-id``, in a body
that fails to parse). Everything an exception holds from the answer passes through one
`Scrubber` first: the masking is done on decoded text, so escaped echoes are caught too.
"""

import re
from collections.abc import Iterable, Mapping
from typing import Final

from multidict import CIMultiDict

from realtime_sdk._secret import Secret

# Key-shaped tokens: an API key (``sk-...``) or an ephemeral key (``ek_...``). Not after a
# letter ("task-..." is a word), but after anything else: ``req_ek_...`` and
# ``Bearer%20ek_...`` hold keys, and a digit or underscore does not end a word for ``\b``.
KEY_PATTERN: Final = re.compile(
    r"(?:(?<![A-Za-z])|(?<=%[0-9A-Fa-f]{2}))(ek_|sk-)[A-Za-z0-9_\-]{6,}"
)
_MASK: Final = "****"
# A JSON escape (``\u0073`` is "s"), or a pair of them for a character beyond the BMP.
_ESCAPE: Final = re.compile(
    r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})|\\u([0-9a-f]{4})", re.IGNORECASE
)


# A key provider may rotate its keys, and each call may bring its own ``client_secret``:
# the newest this many are masked, besides the client's own key, which always is.
_REMEMBERED: Final = 32


class Scrubber:
    """Masks one client's API keys, and any key-shaped token, in server-sent data.

    The key given to the client is masked; so is each key a provider returned (the
    newest few, see `remember`).
    """

    __slots__ = ("_keys", "_own")

    def __init__(self, api_key: Secret | None, *others: str) -> None:
        # The client's own credentials stay for good; `remember` rotates the others.
        self._own: tuple[tuple[str, str], ...] = tuple(
            (value, Secret(value).masked)
            for value in (*(() if api_key is None else (api_key.reveal(),)), *others)
            if value
        )
        self._keys: list[tuple[str, str]] = []

    def remember(self, key: Secret) -> None:
        """Mask this key too from now on (a provider's result, a call's ``client_secret``)."""
        value = key.reveal()
        keys = self._keys
        if keys and keys[-1][0] == value:
            return  # the usual case: a provider handing out the same key again
        entry = (value, key.masked)
        if entry in keys:
            keys.remove(entry)
        keys.append(entry)
        if len(keys) > _REMEMBERED:
            del keys[0]

    def text(self, text: str) -> str:
        """The text with the keys and key-shaped tokens masked, JSON-escaped ones too.

        A server may echo a key as ``\\u0073k-...`` in text that is not a JSON object
        (an array, a JSON string, truncated JSON): when unescaping reveals a key, the
        unescaped text is what is returned, masked.
        """
        masked = self._mask(text)
        if "\\u" in text:
            unescaped = _ESCAPE.sub(_unescape, text)
            revealed = self._mask(unescaped)
            if revealed != unescaped:
                return revealed
        return masked

    def _mask(self, text: str) -> str:
        for value, masked in (*self._own, *self._keys):
            if value in text:
                text = text.replace(value, masked)
        return KEY_PATTERN.sub(lambda match: match.group(1) + _MASK, text)

    def optional(self, text: str | None) -> str | None:
        """`text` for a value that may be absent."""
        return None if text is None else self.text(text)

    def json(self, value: object) -> object:
        """A parsed JSON value with every string in it (keys too) masked."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(str(key)): self.json(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.json(item) for item in value]
        return value

    def headers(self, headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> CIMultiDict[str]:
        """A copy of the headers, repeats kept, with every value masked."""
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        return CIMultiDict((name, self.text(value)) for name, value in pairs)


def _unescape(match: re.Match[str]) -> str:
    high, low, single = match.groups()
    if single is not None:
        code = int(single, 16)
        # A lone surrogate would not encode as UTF-8 later: it stays escaped.
        return match.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)  # noqa: PLR2004 - the surrogate range
    return chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + (int(low, 16) - 0xDC00))


__all__ = ["KEY_PATTERN", "Scrubber"]
