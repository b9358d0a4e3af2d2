"""The UNSET sentinel: a field left out of the JSON, as opposed to one sent as ``null``."""

import enum
from typing import Final, Literal


class _Unset(enum.Enum):
    # A one-member enum: `x is UNSET` narrows under mypy, and there can never be a second instance.
    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        # Falsy like None, so `if obj.field:` reads naturally; use `is UNSET` to tell them apart.
        return False


UNSET: Final = _Unset.UNSET
"""Default of every optional field: the key is left out of the request and was absent in a response."""

Unset = Literal[_Unset.UNSET]
"""The type of `UNSET`, for annotations such as ``int | Unset``."""

__all__ = ["UNSET", "Unset"]
