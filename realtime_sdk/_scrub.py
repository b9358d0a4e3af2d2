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

# Key-shaped tokens: an API key (``sk-...``) or an ephemeral key (``ek_...``).
KEY_PATTERN: Final = re.compile(r"\b(ek_|sk-)[A-Za-z0-9_\-]{6,}")
_MASK: Final = "****"


# A key provider may rotate its keys: the newest this many are masked.
_REMEMBERED: Final = 8


class Scrubber:
    """Masks one client's API keys, and any key-shaped token, in server-sent data.

    The key given to the client is masked; so is each key a provider returned (the
    newest few, see `remember`).
    """

    __slots__ = ("_keys",)

    def __init__(self, api_key: Secret | None) -> None:
        self._keys: list[tuple[str, str]] = []
        if api_key is not None:
            self.remember(api_key)

    def remember(self, key: Secret) -> None:
        """Mask this key too from now on (a provider's result, say)."""
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
        """The text with the keys and key-shaped tokens masked."""
        for value, masked in self._keys:
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


__all__ = ["KEY_PATTERN", "Scrubber"]
