"""One validator over JSON values: the rules of requests, checked on the JSON that is sent.

The rules themselves are facts the generator writes once (``realtime_sdk/_wire/_rules.py``, and
``_event_rules.py`` for the Realtime events): one `Shape` per object schema, built from
the rule classes of this module (`Text`, `Integer`, `Number`, `Enum`, `ListOf`, `MapOf`,
`Tagged`, `Kinds`, ...). Nothing here reads annotations: a rule is what the generator
wrote.

A request is checked once, as the JSON it will be sent as (a dict directly, a model after
the converter unstructures it), and every bad field is reported together, each with its
path and what was expected there. Messages name the field and the expectation, never the
value: a key pasted into the wrong field must not be echoed.

Each rule has one method, ``check(value, at, errors)``: it appends a `FieldError` for
each misfit at or below `value`. `at` is the path so far as a linked pair ``(parent,
key)`` (None at the root), turned into text only when an error is reported, so a request
that fits builds no strings.
"""

import difflib
import importlib
import json
import math
import re
from collections.abc import Mapping
from functools import cache
from typing import Any, Final, cast

from realtime_sdk._models import MODULES as MODEL_MODULES
from realtime_sdk._unknown import UnknownVariant
from realtime_sdk._wire._json_values import (
    At,
    error_at,
    json_misfit,
    misfit_at,
    non_string_key,
    path_text,
)
from realtime_sdk._wire._kinds import is_union, kind_of, union_members
from realtime_sdk.errors import FieldError


class Report(list[FieldError]):
    """The errors of a strict check: keys no schema names are refused (a plain list of
    errors lets them through)."""

    __slots__ = ("strict",)

    def __init__(self, *, strict: bool = False) -> None:
        super().__init__()
        self.strict = strict


class Rule:
    """A rule for one JSON value; `expected` says what fits, for messages."""

    __slots__ = ("expected",)

    def __init__(self, expected: str) -> None:
        self.expected = expected

    def check(self, value: object, at: At, errors: list[FieldError]) -> None:
        """Append an error for each misfit at or below `value`."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.expected!r})"


class _Kind(Rule):
    """A JSON primitive told by its Python class (str, bool)."""

    __slots__ = ("kind",)

    def __init__(self, kind: type, expected: str) -> None:
        super().__init__(expected)
        self.kind = kind

    def check(self, value: object, at: At, errors: list[FieldError]) -> None:
        if type(value) is not self.kind:
            errors.append(error_at(at, self.expected, kind_of(value)))


def _span(low: float | None, high: float | None, what: str) -> str:
    if low is not None and high is not None:
        return f"{what} from {low} to {high}"
    if low is not None:
        return f"{what} of at least {low}"
    if high is not None:
        return f"{what} of at most {high}"
    return what


class Integer(Rule):
    """An integer (an integral float too: 600.0 is one in JSON Schema 2020-12), maybe bounded."""

    __slots__ = ("high", "kind_expected", "low")

    def __init__(self, low: float | None = None, high: float | None = None) -> None:
        super().__init__(_span(low, high, "an integer"))
        self.kind_expected = (
            "an integer"  # for a value of another kind: the range is beside the point
        )
        self.low = low
        self.high = high

    def check(self, value: object, at: At, errors: list[FieldError]) -> None:
        # type() and not isinstance(): a bool is no number in JSON.
        if type(value) is int or (type(value) is float and value.is_integer()):
            if (self.low is not None and value < self.low) or (
                self.high is not None and value > self.high
            ):
                errors.append(error_at(at, self.expected, f"{kind_of(value)} out of range"))
            return
        errors.append(error_at(at, self.kind_expected, kind_of(value)))


class Number(Rule):
    """A finite number (an int stays an int: 1 and 1.0 are different JSON), maybe bounded."""

    __slots__ = ("high", "kind_expected", "low")

    def __init__(self, low: float | None = None, high: float | None = None) -> None:
        super().__init__(_span(low, high, "a number"))
        self.kind_expected = (
            "a number"  # for a value of another kind: the range is beside the point
        )
        self.low = low
        self.high = high

    def check(self, value: object, at: At, errors: list[FieldError]) -> None:
        if type(value) is int or (type(value) is float and math.isfinite(value)):
            if (self.low is not None and value < self.low) or (
                self.high is not None and value > self.high
            ):
                errors.append(error_at(at, self.expected, f"{kind_of(value)} out of range"))
            return
        errors.append(error_at(at, self.kind_expected, kind_of(value)))


class Text(Rule):
    """A string in which `pattern` matches (JSON Schema's search)."""

    __slots__ = ("regex",)

    def __init__(self, pattern: str) -> None:
        super().__init__(f"a string matching {pattern}")
        self.regex = re.compile(pattern)

    def check(self, value: object, at: At, errors: list[FieldError]) -> None:
        if type(value) is not str:
            errors.append(error_at(at, "a string", kind_of(value)))
        elif self.regex.search(value) is None:
            errors.append(error_at(at, self.expected, "a string that does not match"))


class Enum(Rule):
    """One of a closed set of values (a constant when there is one)."""

    __slots__ = ("kinds", "values")

    def __init__(self, *values: str | int) -> None:
        listing = ", ".join(json.dumps(v) for v in values)
        super().__init__(listing if len(values) == 1 else f"one of {listing}")
        self.values = frozenset(values)
        kinds: set[type] = {type(v) for v in values}
        if int in kinds:
            kinds.add(float)  # 24000.0 is the integer 24000 (and equal to it in a set)
        self.kinds = frozenset(kinds)

    def check(self, value: object, at: At, errors: list[FieldError]) -> None:
        kind = type(value)
        # The kind first: a list is unhashable, and True == 1.
        if kind in self.kinds and value in self.values:
            return
        got = kind_of(value)
        errors.append(error_at(at, self.expected, f"another {got}" if kind in self.kinds else got))


class _AnyJSON(Rule):
    __slots__ = ()

    def check(self, value: object, at: At, errors: list[FieldError]) -> None:
        error = misfit_at(value)
        if error is not None:
            errors.append(json_misfit(value, path_text(at)) or error)


class _AnyObject(Rule):
    __slots__ = ()

    def check(self, value: object, at: At, errors: list[FieldError]) -> None:
        if type(value) is not dict and not isinstance(value, Mapping):
            errors.append(error_at(at, self.expected, kind_of(value)))
            return
        error = misfit_at(value)  # as `ANY` checks it
        if error is not None:
            errors.append(json_misfit(value, path_text(at)) or error)


STRING: Final = _Kind(str, "a string")
BOOLEAN: Final = _Kind(bool, "a boolean")
INTEGER: Final = Integer()
NUMBER: Final = Number()
ANY: Final[Rule] = _AnyJSON("a JSON value")
"""Any JSON value."""
ANY_OBJECT: Final[Rule] = _AnyObject("an object")
"""A JSON object of any shape (a JSON Schema, metadata)."""


def passes(rule: Rule) -> tuple[frozenset[type], frozenset[str]]:
    """What fits `rule` without a look: the classes all of whose values fit, and the strings.

    A string of a closed enum (a tag), any string where any will do, an integer where any
    number will do: the common case of every request, let through by the rule's holder
    (a field, an array, a map) on a set lookup instead of a call.
    """
    if rule is STRING:
        return frozenset({str}), frozenset()
    if rule is BOOLEAN:
        return frozenset({bool}), frozenset()
    if rule is INTEGER or rule is NUMBER:
        return frozenset({int}), frozenset()
    if isinstance(rule, Enum):
        return frozenset(), frozenset(v for v in rule.values if type(v) is str)
    if isinstance(rule, Kinds):
        return rule.fits, rule.words
    return frozenset(), frozenset()


class ListOf(Rule):
    """An array (a list or tuple) whose items fit `item`, with at least `min_items` of them."""

    __slots__ = ("fits", "item", "members", "min_items", "tag", "words")

    def __init__(self, item: Rule, *, min_items: int = 0) -> None:
        super().__init__("an array")
        self.item = item
        self.min_items = min_items
        self.fits, self.words = passes(item)
        self.tag, self.members = by_tag(item)

    def check(self, value: object, at: At, errors: list[FieldError]) -> None:
        if type(value) is not list and type(value) is not tuple:
            errors.append(error_at(at, self.expected, kind_of(value)))
            return
        if len(value) < self.min_items:
            count = self.min_items
            expected = f"at least {count} item{'s' if count != 1 else ''}"
            errors.append(error_at(at, expected, f"{len(value)} items"))
        item, fits, words, tag = self.item, self.fits, self.words, self.tag
        for index, x in enumerate(value):
            if x.__class__ in fits or (x.__class__ is str and x in words):
                continue
            if tag is not None and x.__class__ is dict:
                found = x.get(tag)
                member = self.members.get(found) if found.__class__ is str else None
                if member is not None:  # the union's member, found here: one call, not two
                    member.check(x, (at, index), errors)
                    continue
            item.check(x, (at, index), errors)


class MapOf(Rule):
    """A JSON object used as a map: string keys, values that fit `value`."""

    __slots__ = ("fits", "value", "words")

    def __init__(self, value: Rule) -> None:
        super().__init__("an object")
        self.value = value
        self.fits, self.words = passes(value)

    def check(self, value: object, at: At, errors: list[FieldError]) -> None:
        if type(value) is not dict and not isinstance(value, Mapping):
            errors.append(error_at(at, self.expected, kind_of(value)))
            return
        rule, fits, words = self.value, self.fits, self.words
        for key, x in value.items():
            if type(key) is not str:
                errors.append(non_string_key(path_text(at), key))
            elif x.__class__ not in fits and not (x.__class__ is str and x in words):
                rule.check(x, (at, key), errors)


class Field:
    """One property of an object: its rule, whether it must be there, whether null fits."""

    __slots__ = ("fits", "members", "nullable", "required", "rule", "tag", "words")

    def __init__(self, rule: Rule, *, required: bool = False, nullable: bool = False) -> None:
        self.rule = rule
        self.required = required
        self.nullable = nullable
        # The common case of every request, let through on one set lookup: see `passes`.
        fits, self.words = passes(rule)
        self.fits = fits | {type(None)} if nullable else fits
        self.tag, self.members = by_tag(rule)

    def __repr__(self) -> str:
        return f"Field({self.rule!r}, required={self.required}, nullable={self.nullable})"


class Shape(Rule):
    """An object schema: its fields, and whether keys it does not name are refused.

    A key the schema does not name is sent as given (a field newer than this SDK), so it
    must be JSON as it is; with ``strict`` (or a schema that forbids other keys) it is
    refused, with the close field name as a hint.
    """

    __slots__ = ("closed", "fields", "name", "required")

    def __init__(self, name: str, fields: Mapping[str, Field], *, closed: bool = False) -> None:
        super().__init__("an object")
        self.name = name
        self.fields = fields
        self.closed = closed
        self.required = tuple(key for key, f in fields.items() if f.required)

    def check(self, value: object, at: At, errors: list[FieldError]) -> None:  # noqa: C901, PLR0912 - the hot loop, inlined
        if type(value) is not dict:
            if not isinstance(value, Mapping):
                errors.append(error_at(at, self.expected, kind_of(value)))
                return
            value = dict(value)
        fields = self.fields
        unknown: list[str] | None = None
        for key, item in value.items():
            try:
                field = fields[key]  # a subscript, not .get(): no method call per key
            except KeyError:
                unknown = [key] if unknown is None else [*unknown, key]
                continue
            if item.__class__ not in field.fits and not (
                item.__class__ is str and item in field.words
            ):
                # _check_field, inlined: this loop runs for every object of every request.
                if item is None:
                    errors.append(error_at((at, key), _or_null(field), "null"))
                    continue
                if field.tag is not None and item.__class__ is dict:
                    found = item.get(field.tag)
                    member = field.members.get(found) if found.__class__ is str else None
                    if member is not None:  # the union's member, found here: one call, not two
                        member.check(item, (at, key), errors)
                        continue
                if not field.nullable:
                    field.rule.check(item, (at, key), errors)
                    continue
                before = len(errors)
                field.rule.check(item, (at, key), errors)
                if len(errors) > before:
                    _say_null_fits(errors, before, (at, key), kind_of(item))
        if self.required:
            for key in self.required:
                if key not in value:
                    expected = f"{fields[key].rule.expected} (required)"
                    errors.append(error_at((at, key), expected, "nothing"))
        if unknown is not None:
            for key in unknown:
                self._unknown(key, value[key], at, errors)

    def _unknown(self, key: object, item: object, at: At, errors: list[FieldError]) -> None:
        if type(key) is not str:
            errors.append(non_string_key(path_text(at), key))
        elif self.closed or (type(errors) is Report and errors.strict):
            close = difflib.get_close_matches(key, list(self.fields), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            errors.append(error_at((at, key), f"a known field{hint}", "an unknown key"))
        else:
            ANY.check(item, (at, key), errors)


def _or_null(field: Field) -> str:
    return f"{field.rule.expected} or null" if field.nullable else field.rule.expected


def _say_null_fits(errors: list[FieldError], first: int, at: At, got: str) -> None:
    # A value of the wrong kind where null would do too: say so (not for its contents).
    where = path_text(at)
    for index in range(first, len(errors)):
        error = errors[index]
        if error.path == where and error.got == got and not error.expected.endswith("or null"):
            errors[index] = FieldError(where, f"{error.expected} or null", error.got)


class Tagged(Rule):
    """Objects told apart by the value of their `tag` property; requests take known tags only.

    `untagged` is the one member whose tag the spec lets a request leave out.
    """

    __slots__ = ("members", "tag", "tags", "untagged")

    def __init__(
        self, tag: str, members: Mapping[str, Rule], *, untagged: Rule | None = None
    ) -> None:
        super().__init__("an object")
        self.tag = tag
        self.members = members
        self.untagged = untagged
        self.tags = ", ".join(json.dumps(value) for value in members)

    def check(self, value: object, at: At, errors: list[FieldError]) -> None:
        if type(value) is not dict and not isinstance(value, Mapping):
            errors.append(error_at(at, self.expected, kind_of(value)))
            return
        found = value.get(self.tag)
        member = self.members.get(found) if type(found) is str else None
        if member is None and self.untagged is not None and self.tag not in value:
            member = self.untagged
        if member is not None:
            member.check(value, at, errors)
            return
        got = "no tag" if self.tag not in value else f"an unknown {kind_of(found)}"
        errors.append(error_at((at, self.tag), f"one of {self.tags}", got))


class Kinds(Rule):
    """A union told apart by JSON kind: the member rule for each kind of value."""

    __slots__ = ("by_class", "fits", "words")

    _CLASSES: Final = {
        "str": (str,),
        "int": (int, float),  # an integral float is an integer
        "number": (float, int),
        "bool": (bool,),
        "array": (list, tuple),
        "object": (dict,),
    }

    def __init__(self, members: Mapping[str, Rule]) -> None:
        super().__init__(" or ".join(dict.fromkeys(rule.expected for rule in members.values())))
        self.by_class: dict[type, Rule] = {}
        for kind, rule in members.items():
            for cls in self._CLASSES[kind]:
                self.by_class.setdefault(cls, rule)
        fits: set[type] = set()
        words: frozenset[str] = frozenset()
        for kind_class, rule in self.by_class.items():
            member_fits, member_words = passes(rule)
            if kind_class in member_fits:
                fits.add(kind_class)
            if kind_class is str:
                words = member_words
        self.fits = frozenset(fits)
        self.words = words

    def check(self, value: object, at: At, errors: list[FieldError]) -> None:
        if value.__class__ in self.fits or (value.__class__ is str and value in self.words):
            return
        rule = self.by_class.get(type(value))
        if rule is None:
            errors.append(error_at(at, self.expected, kind_of(value)))
            return
        before = len(errors)
        rule.check(value, at, errors)
        if (
            len(errors) > before
            and errors[before].got == kind_of(value)
            and errors[before].path == path_text(at)
        ):
            # The member took the value by its class but not its kind (1.5 for an integer):
            # the union's own expectation explains best.
            errors[before] = error_at(at, self.expected, errors[before].got)


def by_tag(rule: Rule) -> tuple[str | None, Mapping[str, Rule]]:
    """The tag and members of the tagged union that checks an object in `rule`'s place.

    Its holder (a field, an array) looks the member up by the object's tag itself, one call
    instead of two (three through a union by kind); an object without a known tag goes to
    `rule`, which explains. ``(None, {})`` when objects there are not told apart by a tag.
    """
    if isinstance(rule, Kinds):
        rule = rule.by_class.get(dict, rule)
    if isinstance(rule, Tagged):
        return rule.tag, rule.members
    return None, {}


# --- the entry point ------------------------------------------------------------------------

# The generated rules module of each generated models module.
_RULES_OF: Final = {
    **dict.fromkeys(MODEL_MODULES, "realtime_sdk._wire._rules"),
    "realtime_sdk.events": "realtime_sdk._wire._event_rules",
}


def rule_named(name: str) -> Rule:
    """The generated rule of the REST request model called `name` (no class is created).

    Raises:
        TypeError: no request model has that name.
    """
    rules = importlib.import_module("realtime_sdk._wire._rules")
    rule = cast("Mapping[str, Rule]", rules.RULES).get(name)
    if rule is None:
        msg = f"no rules for {name!r}: not a generated model class"
        raise TypeError(msg)
    return rule


def rule_for(cls: Any) -> Rule:  # noqa: ANN401 - a model class or a tagged union form
    """The generated rule of a request model class, or of a tagged union of them.

    Raises:
        TypeError: `cls` is neither.
    """
    return _rule_for(cls)


@cache
def _rule_for(cls: Any) -> Rule:  # noqa: ANN401 - a model class or a tagged union form
    if is_union(cls):
        members = [m for m in union_members(cls) if m is not UnknownVariant]
        names = " | ".join(getattr(m, "__name__", "?") for m in members)
        module = _RULES_OF.get(getattr(members[0], "__module__", "")) if members else None
        if module is not None:
            rules = importlib.import_module(module)
            rule = cast("Mapping[str, Rule]", rules.TAGGED_RULES).get(names)
            if rule is not None:
                return rule
    else:
        module = _RULES_OF.get(getattr(cls, "__module__", ""))
        name = getattr(cls, "__name__", None)
        if module is not None and name is not None:
            rules = importlib.import_module(module)
            rule = cast("Mapping[str, Rule]", rules.RULES).get(name)
            if rule is not None:
                return rule
    msg = f"no rules for {cls!r}: not a generated model class"
    raise TypeError(msg)


def check(data: object, rule: Rule, *, strict: bool = False) -> list[FieldError]:
    """Every misfit of the JSON value `data` against `rule`, in order; empty when it fits.

    Args:
        data: the JSON-shaped value (dicts, lists, strings, numbers, bools, None).
        rule: the generated rule it must fit.
        strict: refuse keys the schema does not name, at the top level and below.
    """
    errors: list[FieldError] = Report(strict=True) if strict else []
    rule.check(data, None, errors)
    return errors


__all__ = [
    "ANY",
    "ANY_OBJECT",
    "BOOLEAN",
    "INTEGER",
    "NUMBER",
    "STRING",
    "Enum",
    "Field",
    "Integer",
    "Kinds",
    "ListOf",
    "MapOf",
    "Number",
    "Report",
    "Rule",
    "Shape",
    "Tagged",
    "Text",
    "check",
    "rule_for",
    "rule_named",
]
