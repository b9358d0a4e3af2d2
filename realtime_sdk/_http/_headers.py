"""Request headers as the attempt path carries them: merged by name in any case, held out of sight.

Error trackers (Sentry's local capture), rich tracebacks, ``pytest --showlocals`` and
``traceback`` with ``capture_locals=True`` render the local variables of every frame of a
traceback. A plain dict of headers there would show the API key, so the headers of a
request travel as `HiddenHeaders`: neither a str nor a mapping, so those tools fall back on
its ``repr``, which names the headers but none of their values. Only `_transport.post`
opens it, inline in its call to aiohttp.
"""

from collections.abc import Iterable, Mapping
from typing import Self


def merge_headers(
    base: Mapping[str, str], extra: Mapping[str, str] | Iterable[tuple[str, str]]
) -> dict[str, str]:
    """``base`` with ``extra``'s headers added, each replacing any of its name in any letter case.

    HTTP header names are case-insensitive: a plain dict update would keep both
    ``Authorization`` and ``authorization``, and aiohttp would send the two.

    Args:
        base: the headers so far.
        extra: headers that win over ``base``'s of the same name.

    Returns:
        A new dict; ``extra``'s spelling of a name is the one kept, and every spelling of
        it in ``base`` (which may hold two, as a user's ``default_headers`` can) goes.
    """
    merged = dict(base)
    spellings: dict[str, list[str]] = {}
    for name in merged:
        spellings.setdefault(name.lower(), []).append(name)
    pairs = extra.items() if isinstance(extra, Mapping) else extra
    for name, value in pairs:
        lowered = name.lower()
        for old in spellings.pop(lowered, ()):
            del merged[old]
        merged[name] = value
        spellings[lowered] = [name]
    return merged


class HiddenHeaders:
    """The headers of one request, which may hold a credential, with a repr that shows names only."""

    __slots__ = ("_headers",)

    def __init__(self, headers: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        self._headers = merge_headers({}, headers)

    def __repr__(self) -> str:
        return f"<HiddenHeaders {sorted(self._headers)}>"

    def merged(self, extra: Mapping[str, str] | Iterable[tuple[str, str]]) -> Self:
        """These headers with ``extra``'s added, replacing any of the same name in any case."""
        return type(self)(merge_headers(self._headers, extra))

    def without(self, name: str) -> Self:
        """These headers less ``name`` (in any letter case)."""
        lowered = name.lower()
        return type(self)(
            (key, value) for key, value in self._headers.items() if key.lower() != lowered
        )

    def has(self, name: str) -> bool:
        """Whether a header of this name (in any letter case) is here."""
        lowered = name.lower()
        return any(key.lower() == lowered for key in self._headers)

    def reveal(self) -> dict[str, str]:
        """The headers as a dict, for aiohttp; pass it on without keeping it in a variable."""
        return self._headers


__all__ = ["HiddenHeaders", "merge_headers"]
