"""JSON <-> models: cattrs reads answers leniently and writes models back; requests are checked once.

- **Answers** (the server's word) are read by cattrs hooks: `make_dict_structure_fn` per
  class, one small wrapper that keeps unknown keys in ``extra_fields``, the tag tables
  generated next to the models for unions, and primitive hooks that check each value's
  JSON kind and never coerce. They accept null for any property (kept as None, even where
  the spec allows none), new enum values and new union tags (kept as `UnknownVariant`), so
  an answer reads back to exactly the JSON it came from.
- **Requests** are checked once, as the JSON they are sent as: a dict directly, a model
  after it is unstructured. The rules are the generated ones (`realtime_sdk._wire._rules`),
  applied by the one validator (`realtime_sdk._wire._validators`), which reports every bad field
  with its path before anything is sent; the bytes sent are that dict's encoding.
- Unstructuring leaves out exactly the fields whose default is `UNSET`: tags and nulls
  are always written.

This module holds the cattrs hooks and converters; the entry points are
`realtime_sdk._wire._answers` and `._requests`. Error messages name the path and the
expectation, never the value.
"""

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Final, Literal, NamedTuple, TypeVar, get_args, get_origin

import attrs
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.json import JsonConverter, configure_converter

from realtime_sdk._empty import EMPTY
from realtime_sdk._models import MODULES as MODEL_MODULES
from realtime_sdk._secret import Secret
from realtime_sdk._unknown import UnknownVariant
from realtime_sdk._unset import UNSET
from realtime_sdk._wire._errors import (
    Invalid,
    each_item,
    each_value,
    field_errors,
    mismatch,
    with_other_errors,
)
from realtime_sdk._wire._kinds import describe, describe_required, is_union, union_members
from realtime_sdk._wire._tables import Tables, loaded_tables
from realtime_sdk.errors import FieldError

T = TypeVar("T")
Structure = Callable[[Any, Any], Any]

_EXTRA: Final = "extra_fields"
_AN_OBJECT: Final = "an object"
_NONE: Final = type(None)


def _as_is(value: object, _: object) -> object:
    return value


# --- reading primitives: the JSON kind, or null ---------------------------------------------

_STRING_OR_NULL: Final = "a string or null"
_INTEGER_OR_NULL: Final = "an integer or null"
_NUMBER_OR_NULL: Final = "a number or null"
_BOOLEAN_OR_NULL: Final = "a boolean or null"


def _read_string(value: object, _: object) -> object:
    if type(value) is str or value is None:
        return value
    raise mismatch(_STRING_OR_NULL, value)


def _read_integer(value: object, _: object) -> object:
    # An integral float (600.0) is an integer in JSON Schema 2020-12; kept as written.
    if type(value) is int or value is None or (type(value) is float and value.is_integer()):
        return value
    raise mismatch(_INTEGER_OR_NULL, value)


def _read_number(value: object, _: object) -> object:
    if type(value) is float or type(value) is int or value is None:
        return value
    raise mismatch(_NUMBER_OR_NULL, value)


def _read_boolean(value: object, _: object) -> object:
    if type(value) is bool or value is None:
        return value
    raise mismatch(_BOOLEAN_OR_NULL, value)


def _read_secret(value: object, _: object) -> object:
    if type(value) is str:
        return Secret(value)
    if type(value) is Secret or value is None:
        return value
    raise mismatch(_STRING_OR_NULL, value)


_READERS: Final[Mapping[object, Structure]] = {
    str: _read_string,
    int: _read_integer,
    float: _read_number,
    bool: _read_boolean,
    Secret: _read_secret,
}


def _is_literal(t: object) -> bool:
    return get_origin(t) is Literal


def _is_list(t: object) -> bool:
    return get_origin(t) is list


def _is_dict(t: object) -> bool:
    return get_origin(t) is dict


def _kept_as_is(t: object) -> frozenset[type]:
    """The classes of value that reading `t` returns unchanged: what its hook only checks."""
    if _is_literal(t):
        kinds = frozenset(type(v) for v in get_args(t))
        return kinds | {float} if int in kinds else kinds  # as the literal hook reads them
    if is_union(t):
        members = union_members(t)
        if str in members and all(m is str or _is_literal(m) for m in members):
            return frozenset({str})  # an open enum: any string
        return frozenset()
    return _PLAIN_KINDS.get(t, frozenset())


# What the primitive readers above pass through unchanged (an integral float is checked).
_PLAIN_KINDS: Final[Mapping[object, frozenset[type]]] = {
    str: frozenset({str}),
    int: frozenset({int}),
    float: frozenset({float, int}),
    bool: frozenset({bool}),
}


# The Python class json.loads gives each JSON kind named in a table of mixed unions.
_KIND_CLASSES: Final[Mapping[str, tuple[type, ...]]] = {
    "str": (str,),
    "int": (int, float),  # an integral float is an integer
    "number": (float, int),
    "bool": (bool,),
    "array": (list,),
    "object": (dict,),
}


class _Reading(NamedTuple):
    """How `_Hooks.model` reads one model class."""

    base: Structure  # cattrs' generated function, constants left out
    known: frozenset[str]  # the keys that are fields
    constants: Mapping[str, str]  # each constant field and the value the class stands for


# A tagged member, found by its tag: its reading, then the full hook for what is left.
_ByTag = tuple[Structure, type[Any], frozenset[str], Any, Structure]


class _SlowReading:
    """What a model's one check leaves to the long way: null, a value that is no object,
    unknown keys (kept in ``extra_fields``) and constants that are missing or differ."""

    def __init__(
        self,
        converter: JsonConverter,
        cls: type[Any],
        base: Structure,
        known: frozenset[str],
        constants: Mapping[str, str],
    ) -> None:
        self.cls = cls
        self.base = base
        self.known = known
        self.constants = constants
        fields = attrs.fields_dict(cls)
        self.types = {name: fields[name].type for name in constants}
        self.hooks = {name: converter.get_structure_hook(t) for name, t in self.types.items()}

    def read(self, value: object) -> object:
        if type(value) is not dict:
            if value is None:
                return None  # an answer may carry null for any property
            raise mismatch(_AN_OBJECT, value)
        extra = {k: v for k, v in value.items() if k not in self.known}
        given = {**value, _EXTRA: extra} if extra else value
        errors, differing = self._constants(value)
        if errors:
            raise Invalid(with_other_errors(lambda: self.base(given, self.cls), errors))
        obj = self.base(given, self.cls)
        for name, constant_value in differing.items():
            setattr(obj, name, constant_value)
        return obj

    def _constants(self, value: dict[str, Any]) -> tuple[list[FieldError], dict[str, object]]:
        """Each constant's errors (missing, wrong kind), or its value when it is not the one
        the class stands for (a newer value, or null: kept as read)."""
        errors: list[FieldError] = []
        differing: dict[str, object] = {}
        for name, constant in self.constants.items():
            if name not in value:
                expected = f"{describe_required(self.types[name])} (required)"
                errors.append(FieldError(f".{name}", expected, "nothing"))
            elif value[name] != constant:
                try:
                    differing[name] = self.hooks[name](value[name], self.types[name])
                except Exception as exc:  # noqa: BLE001 - reported with the others
                    errors.extend(field_errors(exc, f".{name}"))
        return errors, differing


class _Hooks:
    """The hook factories of one converter: lenient reading, exact writing."""

    def __init__(self, converter: JsonConverter, load_tables: Callable[[], Tables]) -> None:
        self.c = converter
        self._load_tables = load_tables
        # The unstructure hooks that write None as null themselves: `X | None` needs no wrapper.
        self.writes_null: set[Callable[[Any], Any]] = set()
        # How each model class is read, for the tagged unions that name it (see `model`).
        self.readings: dict[type[Any], _Reading] = {}

    @property
    def tables(self) -> Tables:
        """The tables of the model modules loaded so far (see `loaded_tables`)."""
        return self._load_tables()

    # --- structuring ---------------------------------------------------------------------

    @staticmethod
    def misfit(expected: str) -> Callable[[object], object]:
        """What a hook does with a value of the wrong JSON kind: null is kept, else refused."""
        expected_or_null = f"{expected} or null"

        def refuse(value: object) -> object:
            if value is None:
                return None
            raise mismatch(expected_or_null, value)

        return refuse

    def literal(self, t: Any) -> Structure:  # noqa: ANN401 - a Literal form
        # An answer may carry an enum value newer than this SDK: its JSON kind is enough.
        values = get_args(t)
        kinds = frozenset(type(v) for v in values) | {_NONE}  # null is kept
        if int in kinds:
            kinds |= {float}  # 24000.0 is the integer 24000
        refuse = self.misfit(describe(values[0].__class__))

        def structure(value: object, _: object) -> object:
            return value if value.__class__ in kinds else refuse(value)

        return structure

    def list_of(self, t: Any) -> Structure:  # noqa: ANN401 - a list form
        (item_type,) = get_args(t)
        item = self.c.get_structure_hook(item_type)
        as_is = _kept_as_is(item_type)  # items kept without a call (an enum's strings)
        misfit = self.misfit("an array")

        def structure(value: object, _: object) -> object:
            if value.__class__ is not list:
                return None if value is None else misfit(value)
            if item is _as_is or as_is.issuperset(map(type, value)):
                # Each item kept as it is (an enum's strings; an empty list): a copy, so
                # that the caller's list stays the caller's.
                return list(value)
            try:
                return [x if x.__class__ in as_is else item(x, item_type) for x in value]
            except Exception:  # noqa: BLE001 - redone item by item to report every index
                return each_item(value, item, item_type)

        return structure

    def dict_of(self, t: Any) -> Structure:  # noqa: ANN401 - a dict form
        _, value_type = get_args(t)
        item = self.c.get_structure_hook(value_type)
        misfit = self.misfit(_AN_OBJECT)

        def structure(value: object, _: object) -> object:
            if value.__class__ is not dict:
                return None if value is None else misfit(value)
            if item is _as_is:
                return dict(value)
            try:
                return {key: item(x, value_type) for key, x in value.items()}
            except Exception:  # noqa: BLE001 - redone value by value to report every key
                return each_value(value, item, value_type)

        return structure

    def union(self, t: Any) -> Structure:  # noqa: ANN401 - a union form
        members = union_members(t)
        if len(members) == 1:
            return self.c.get_structure_hook(members[0])  # (a reading hook lets null by itself)
        key = frozenset(members)
        tables = self.tables
        if key in tables.tagged:
            tag, table = tables.tagged[key]
            return self.tagged(tag, table, tables.untagged.get(key))
        if key in tables.mixed:
            return self.mixed(tables.mixed[key], t)
        if str in members and all(m is str or _is_literal(m) for m in members):
            return self.c.get_structure_hook(str)  # an open enum: any string
        msg = f"no rule for the union {t!r}: add it to the generator's tables"
        raise TypeError(msg)

    def tagged(
        self, tag: str, table: Mapping[str, type[Any]], untagged: type[Any] | None
    ) -> Structure:
        entries = {value: self.found_by_tag(cls, tag, value) for value, cls in table.items()}
        default = (self.c.get_structure_hook(untagged), untagged) if untagged else None
        misfit = self.misfit(_AN_OBJECT)

        def structure(value: object, _: object) -> object:
            if value.__class__ is not dict:
                return None if value is None else misfit(value)
            found = value.get(tag)
            entry = entries.get(found) if found.__class__ is str else None
            if entry is not None:
                # The tag named the class: what is left is its model's check, inlined.
                base, cls, known, others, full = entry
                if known.issuperset(value) and (others is None or others <= value.items()):
                    return base(value, cls)
                return full(value, cls)
            if default is not None and tag not in value:
                return default[0](value, default[1])
            return UnknownVariant(data=value)

        return structure

    def found_by_tag(self, cls: type[Any], tag: str, value: str) -> _ByTag:
        """How to read a dict whose tag `value` named `cls`: its model's check, less the tag."""
        full = self.c.get_structure_hook(cls)  # builds the model's reading (see `model`)
        reading = self.readings.get(cls)
        if reading is None or reading.constants.get(tag) != value:
            return (full, cls, frozenset(), None, full)  # (never in the generated tables)
        others = {name: v for name, v in reading.constants.items() if name != tag}
        return (reading.base, cls, reading.known, others.items() if others else None, full)

    def mixed(self, table: Mapping[str, object], t: object) -> Structure:
        by_class: dict[type, tuple[Structure, object]] = {}
        for kind, member in table.items():
            for cls in _KIND_CLASSES[kind]:
                by_class.setdefault(cls, (self.c.get_structure_hook(member), member))
        # A value whose class its member's hook would return unchanged (a string for an
        # enum, an int for an integer) is kept here: one call fewer for the common case.
        as_is = frozenset(
            cls
            for kind, member in table.items()
            for cls in _KIND_CLASSES[kind]
            if by_class[cls][1] is member and cls in _kept_as_is(member)
        ) | {_NONE}  # null is kept
        misfit = self.misfit(describe_required(t))

        def structure(value: object, _: object) -> object:
            if value.__class__ in as_is:
                return value
            entry = by_class.get(type(value))
            return misfit(value) if entry is None else entry[0](value, entry[1])

        return structure

    def model(self, cls: type[Any]) -> Structure:
        # A constant (a tag, `object`) is left out of cattrs' function and checked here
        # instead, against the value the class stands for: the common answer reads it with
        # no call, and a value this SDK does not know is still kept (set after building).
        # cattrs would also fill in an absent constant from its default, though the schema
        # requires it, and the model would differ from the JSON it was read from.
        constants: dict[str, str] = {
            a.name: a.default
            for a in attrs.fields(cls)
            if a.default is not UNSET and a.default is not attrs.NOTHING and a.name != _EXTRA
        }
        overrides: dict[str, Any] = {name: override(omit=True) for name in constants}
        base = make_dict_structure_fn(
            cls, self.c, extra_fields=override(struct_hook=_as_is), **overrides
        )
        known = frozenset(a.name for a in attrs.fields(cls) if a.name != _EXTRA)
        expected = constants.items() if constants else None  # compared with one C call
        read_slowly = _SlowReading(self.c, cls, base, known, constants).read

        def structure(value: object, _: object) -> object:
            if (
                value.__class__ is dict
                and known.issuperset(value)
                and (expected is None or expected <= value.items())
            ):
                return base(value, cls)
            return None if value is None else read_slowly(value)

        self.readings[cls] = _Reading(base, known, constants)
        return structure

    # --- unstructuring -------------------------------------------------------------------

    def loose(self, value: Any) -> Any:  # noqa: ANN401 - anything a field may hold
        """Write a value that is not of its field's type as it is (a model by its own class).

        A null read from an answer goes back as null; a value of the wrong kind that a
        program put in a model reaches the validator as it is, which names its field.
        """
        if value is None or not attrs.has(value.__class__):
            return value
        return self.c.unstructure(value)

    def model_unstructure(self, cls: type[Any]) -> Callable[[Any], Any]:
        # Only UNSET defaults are left out: a tag or a null is always written.
        omitted: dict[str, Any] = {
            a.name: override(omit_if_default=True) for a in attrs.fields(cls) if a.default is UNSET
        }
        base = make_dict_unstructure_fn(cls, self.c, extra_fields=override(omit=True), **omitted)
        loose = self.loose
        names = frozenset(a.name for a in attrs.fields(cls) if a.name != _EXTRA)

        def unstructure(obj: Any) -> Any:  # noqa: ANN401 - a model
            if obj.__class__ is not cls:
                return loose(obj)  # a null read from an answer, or a misfit a program built
            out = base(obj)
            extra = obj.extra_fields
            if extra is not EMPTY and extra:
                if not names.isdisjoint(extra):
                    expected = "keys that are not fields of this class"
                    raise Invalid([FieldError(_EXTRA, expected, "a known field name")])
                out.update(extra)
            return out

        self.writes_null.add(unstructure)
        return unstructure

    def list_unstructure(self, t: Any) -> Callable[[Any], Any]:  # noqa: ANN401 - a list form
        (item_type,) = get_args(t)
        item = self.c.get_unstructure_hook(item_type)

        loose = self.loose

        def unstructure(value: Any) -> Any:  # noqa: ANN401 - a list (or null)
            if value.__class__ is not list and value.__class__ is not tuple:
                return loose(value)
            if item is identity:
                return list(value)  # a copy: the model's list stays the model's
            return [item(x) for x in value]

        self.writes_null.add(unstructure)
        return unstructure

    def union_unstructure(self, t: Any) -> Callable[[Any], Any]:  # noqa: ANN401 - a union form
        members = union_members(t)
        hooks = [self.c.get_unstructure_hook(m) for m in members]
        if all(hook is identity for hook in hooks):
            return identity  # strings, numbers, literals: written as they are
        if len(members) == 1:
            (hook,) = hooks
            if _NONE not in get_args(t) or hook in self.writes_null:
                return hook  # X | Unset: an UNSET field is never written

            def unstructure_nullable(value: Any) -> Any:  # noqa: ANN401 - X or None
                return None if value is None else hook(value)

            return unstructure_nullable
        # One lookup on the value's class; JSON scalars are written as they are.
        table: dict[type, Callable[[Any], Any]] = dict.fromkeys(
            (str, int, float, bool, _NONE), identity
        )
        for member, hook in zip(members, hooks, strict=True):
            key = get_origin(member) or member  # list[X] is written by its list hook
            if isinstance(key, type):
                table[key] = hook
        fallback = self.c.unstructure

        def unstructure(value: Any) -> Any:  # noqa: ANN401 - any member
            return table.get(value.__class__, fallback)(value)

        return unstructure

    def dict_unstructure(self, t: Any) -> Callable[[Any], Any]:  # noqa: ANN401 - a dict form
        _, value_type = get_args(t)
        item = identity if value_type is Any else self.c.get_unstructure_hook(value_type)

        loose = self.loose

        def unstructure(value: Any) -> Any:  # noqa: ANN401 - a map (or null)
            if not isinstance(value, Mapping):
                return loose(value)
            if item is identity:
                return dict(value)  # JSON values already: a shallow copy
            return {key: item(x) for key, x in value.items()}

        self.writes_null.add(unstructure)
        return unstructure


# --- building the converters ----------------------------------------------------------------


def _unstructure_secret(value: Secret) -> object:
    # A plain str put in a key field by hand is written as it is.
    return value.reveal() if type(value) is Secret else value


def build(load_tables: Callable[[], Tables], *, detailed: bool = True) -> JsonConverter:
    """A converter for the classes of one generated module, whose tables `load_tables` gives.

    `detailed`: cattrs' error-collecting hooks, which say where each error is. The fast
    twin skips that bookkeeping; a value it refuses is structured again by a detailed
    converter to report every error.
    """
    converter = JsonConverter(detailed_validation=detailed, forbid_extra_keys=False)
    configure_converter(converter)
    hooks = _Hooks(converter, load_tables)
    converter.register_structure_hook(Any, _as_is)
    for cls, reader in _READERS.items():
        converter.register_structure_hook(cls, reader)
    converter.register_structure_hook_factory(_is_literal, hooks.literal)
    converter.register_structure_hook_factory(_is_list, hooks.list_of)
    converter.register_structure_hook_factory(_is_dict, hooks.dict_of)
    converter.register_structure_hook_factory(is_union, hooks.union)
    converter.register_structure_hook_factory(lambda t: t in hooks.tables.classes, hooks.model)
    converter.register_structure_hook(UnknownVariant, lambda value, _: UnknownVariant(data=value))
    converter.register_unstructure_hook(Secret, _unstructure_secret)
    converter.register_unstructure_hook(UnknownVariant, lambda obj: dict(obj.data))
    converter.register_unstructure_hook_factory(is_union, hooks.union_unstructure)
    converter.register_unstructure_hook_factory(_is_dict, hooks.dict_unstructure)
    converter.register_unstructure_hook_factory(_is_list, hooks.list_unstructure)
    converter.register_unstructure_hook_factory(
        lambda t: t in hooks.tables.classes, hooks.model_unstructure
    )
    return converter


def _model_tables() -> Tables:
    return loaded_tables(MODEL_MODULES)


converter: Final = build(_model_tables)
"""Structures and unstructures every model, losslessly; the reader of responses."""


@cache
def reader() -> JsonConverter:
    """The fast twin of `converter` (built on first use: not every program reads answers);
    each error it raises is reported by `converter` again."""
    return build(_model_tables, detailed=False)


def structure_with(fast: JsonConverter, detailed: JsonConverter, data: Any, cls: type[T]) -> T:  # noqa: ANN401 - any decoded JSON
    """Structure with `fast`; on failure, raise what `detailed` reports."""
    try:
        return fast.structure(data, cls)
    except Exception as exc:  # noqa: BLE001 - any failure is explained by the detailed run
        failure: Exception = exc
    try:
        detailed.structure(data, cls)
    except Exception as exc:  # noqa: BLE001 - translated by the caller
        failure = exc
    raise failure


__all__ = ["build", "converter", "reader", "structure_with"]
