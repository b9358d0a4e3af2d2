"""The generated union tables a converter dispatches on, for the modules a program loaded.

Each generated models module (``models`` split by use, ``events``) ends with its tables:
tagged unions (the tag and each value's class), untagged members, unions told apart by
JSON kind, and its model classes. A converter reads the tables of the modules already
imported, so reading them creates no model class.
"""

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from realtime_sdk._wire._kinds import union_members


def _union_key(t: object) -> frozenset[Any]:
    return frozenset(union_members(t))


@dataclass(frozen=True)
class Tables:
    """The generated tables a converter dispatches on (see the end of each models module)."""

    tagged: Mapping[frozenset[Any], tuple[str, Mapping[str, type[Any]]]]
    untagged: Mapping[frozenset[Any], type[Any]]
    mixed: Mapping[frozenset[Any], Mapping[str, object]]
    classes: frozenset[type[Any]]

    @classmethod
    def of(cls, module: Any) -> "Tables":  # noqa: ANN401 - a generated models module
        """The tables of a generated module (``models`` or ``events``)."""
        return cls(
            tagged={_union_key(k): v for k, v in module.TAGGED_UNIONS.items()},
            untagged={_union_key(k): v for k, v in module.UNTAGGED_MEMBERS.items()},
            mixed={_union_key(k): v for k, v in module.MIXED_UNIONS.items()},
            classes=frozenset(module.MODELS),
        )

    @classmethod
    def merged(cls, parts: Iterable["Tables"]) -> "Tables":
        """The tables of several modules as one."""
        parts = list(parts)
        return cls(
            tagged={k: v for part in parts for k, v in part.tagged.items()},
            untagged={k: v for part in parts for k, v in part.untagged.items()},
            mixed={k: v for part in parts for k, v in part.mixed.items()},
            classes=frozenset().union(*(part.classes for part in parts)),
        )


def loaded_tables(modules: Iterable[str]) -> Tables:
    """The tables of those generated `modules` that a program has imported, merged.

    A class or union reaches a hook only after the module that defines it has run, so these
    hold every table a hook can be asked for, and reading them creates no model class: a
    program builds only the classes it uses (creating classes is the largest start-up cost).
    """
    return _tables_of(tuple(name for name in modules if name in sys.modules))


@cache
def _tables_of(names: tuple[str, ...]) -> Tables:
    return Tables.merged(Tables.of(sys.modules[name]) for name in names)


__all__ = ["Tables", "loaded_tables"]
