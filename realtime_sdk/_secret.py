"""Secret: holds an API key or ephemeral key so that repr, str, format and logs never show it."""

import hmac
from typing import Final, NoReturn

_MASK: Final = "****"
# Known key prefixes are shown, so a reader can tell an ephemeral key from an API key.
_SHOWN_PREFIXES: Final = ("ek_", "sk-proj-", "sk-admin-", "sk-")


class Secret:
    """A string that does not show itself: ``repr`` and ``str`` give a masked form.

    Call `reveal()` where the real value is needed (an ``Authorization`` header, the JSON
    a browser receives). Two secrets compare equal when their values are equal; the
    comparison takes constant time.
    """

    __slots__ = ("_value",)

    _value: str

    def __init__(self, value: str) -> None:
        # Untyped callers can pass anything; the message names the type, never the value.
        given: object = value
        if given.__class__ is not str and not isinstance(given, str):
            msg = f"a secret must be a str, got {type(given).__name__}"
            raise TypeError(msg)
        object.__setattr__(self, "_value", value)

    def reveal(self) -> str:
        """Return the secret value itself."""
        return self._value

    @property
    def masked(self) -> str:
        """The form shown in logs and reprs: the key's kind, never its value."""
        for prefix in _SHOWN_PREFIXES:
            if self._value.startswith(prefix):
                return prefix + _MASK
        return _MASK

    def __repr__(self) -> str:
        return f"Secret('{self.masked}')"

    def __str__(self) -> str:
        return self.masked

    def __format__(self, format_spec: str) -> str:
        return format(self.masked, format_spec)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            return hmac.compare_digest(self._value.encode(), other._value.encode())
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __len__(self) -> int:
        return len(self._value)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        msg = "Secret is immutable"
        raise AttributeError(msg)

    def __reduce__(self) -> tuple[type["Secret"], tuple[str]]:
        # Pickling keeps the value (a cache or a process pool needs it); only display masks it.
        return (Secret, (self._value,))


__all__ = ["Secret"]
