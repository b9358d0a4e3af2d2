"""`EMPTY`: the one shared, immutable empty mapping behind every model's `extra_fields`."""

from collections.abc import Iterator, Mapping
from typing import Any, Final, NoReturn


class _EmptyMapping(Mapping[str, Any]):
    """A mapping with no keys that cannot be changed, and pickles as the one `EMPTY`.

    Read-only so that the default shared by every model cannot be mutated through one of
    them; a class of its own (not ``MappingProxyType({})``) so that models pickle, e.g. in
    a cache or across processes.
    """

    __slots__ = ()

    def __getitem__(self, key: str) -> NoReturn:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __contains__(self, key: object) -> bool:
        return False

    def __repr__(self) -> str:
        return "{}"

    def __reduce__(self) -> str:
        return "EMPTY"  # pickled by name: unpickling gives back this very object


EMPTY: Final[Mapping[str, Any]] = _EmptyMapping()
"""The `extra_fields` of an object that carried no keys unknown to this SDK."""

__all__ = ["EMPTY"]
