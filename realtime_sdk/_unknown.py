"""`UnknownVariant`: a union member whose tag this SDK does not know yet, kept whole."""

from collections.abc import Mapping
from typing import Any

import attrs


@attrs.frozen(kw_only=True, repr=False)
class UnknownVariant:
    """A union member whose tag this SDK does not know yet (a newer server), kept whole.

    It keeps every key of the JSON object in `data` and is written back out unchanged, so
    nothing is lost on a round trip. Requests reject it: the server only accepts tags it knows.
    """

    data: Mapping[str, Any]
    """The JSON object as received."""

    @property
    def type(self) -> object:
        """The tag value, or None when the object carried none."""
        return self.data.get("type")

    def __repr__(self) -> str:
        # Keys only: values of an unknown shape may hold anything, secrets included.
        try:
            return f"UnknownVariant(type={self.type!r}, keys={sorted(map(str, self.data))!r})"
        except Exception:  # noqa: BLE001 - a repr must not raise
            return "UnknownVariant(<data that cannot be shown>)"


__all__ = ["UnknownVariant"]
