"""The checks of the generated models: each field's JSON type, enum and range.

Every model checks its fields when it is built, so a bad value fails at the line that
built it, and a model that exists is known to fit the schema: the converter encodes a
model without checking it a second time.

Each model class is declared with ``field_transformer=typed``: when the class is created,
`typed` derives every field's *check* from its annotation (``float | Unset``,
``list[RealtimeTool]``, ``Literal["auto"] | TracingConfiguration``), so the annotation is
the one statement of a field's type. A check is a function of the value that returns
``None`` when it fits and a `FieldError` (path relative to the value) when it does not.
Facts the annotation cannot carry (ranges, item counts, patterns) are the explicit
validators `in_range`, `min_items` and `matches`, run after the type check passes.

The checks run in one pass per object, `check_fields` (every model's
``__attrs_post_init__``), which reports every bad field of the object together and lets
the common case through on one set lookup per field.

These are the rules for what a program builds and sends. A response is the server's word
and is read by the converter's lenient hooks instead: while they build models
(`READING_RESPONSE` is set), `check_fields` does nothing, so reading an answer pays nothing
for rules that bind requests only.

Messages name the field and the expectation, never the value: a key pasted into the wrong
field must not be echoed.
"""

import json
import math
import re
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Final, Literal, cast, get_args, get_origin

import attrs
from attrs import AttrsInstance

from realtime_sdk._empty import EMPTY
from realtime_sdk._kinds import describe, is_union, kind_of, union_members
from realtime_sdk._secret import Secret
from realtime_sdk._unknown import UnknownVariant
from realtime_sdk._unset import UNSET, Unset
from realtime_sdk.errors import FieldError, RequestValidationError

Check = Callable[[object], FieldError | None]
Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

NULL_WHEN_READ: Final[Mapping[str, str]] = {"realtime_sdk.null": "when read"}
"""attrs metadata of a field whose None only an answer may carry (a class requests use too)."""

READING_RESPONSE: Final[ContextVar[bool]] = ContextVar(
    "realtime_sdk_reading_response", default=False
)
"""True while the converter builds models from a response (or any JSON read leniently)."""

# Pass-through JSON deeper than this is refused: encoders would run out of stack.
MAX_DEPTH: Final = 200


def _misfit(expected: str, value: object) -> FieldError:
    return FieldError("", expected, kind_of(value))


def _nested(prefix: str, error: FieldError) -> FieldError:
    return FieldError(prefix + error.path, error.expected, error.got)


# --- primitive checks -----------------------------------------------------------------------


def _string(value: object) -> FieldError | None:
    return None if type(value) is str else _misfit("a string", value)


def _integer(value: object) -> FieldError | None:
    # type() and not isinstance(): a bool is no number in JSON. An integral float (600.0)
    # is an integer in JSON Schema 2020-12, the spec's dialect; it is kept as written.
    if type(value) is int or (type(value) is float and value.is_integer()):
        return None
    return _misfit("an integer", value)


def _number(value: object) -> FieldError | None:
    # An int stays an int: 1 and 1.0 are different JSON texts, and the round trip is exact.
    if type(value) is int or (type(value) is float and math.isfinite(value)):
        return None
    return _misfit("a number", value)


def _boolean(value: object) -> FieldError | None:
    return None if type(value) is bool else _misfit("a boolean", value)


def _secret(value: object) -> FieldError | None:
    return None if type(value) is Secret else _misfit("a string", value)


STRING: Final[Check] = _string
INTEGER: Final[Check] = _integer
NUMBER: Final[Check] = _number
BOOLEAN: Final[Check] = _boolean
SECRET: Final[Check] = _secret


def to_secret(value: object) -> object:
    """attrs converter of key fields: a plain str is wrapped, so its repr stays masked."""
    return Secret(value) if type(value) is str else value


def _span(low: float | None, high: float | None, what: str) -> str:
    if low is not None and high is not None:
        return f"{what} from {low} to {high}"
    if low is not None:
        return f"{what} of at least {low}"
    return f"{what} of at most {high}"


def in_range(low: float | None, high: float | None, *, integer: bool = False) -> Validator:
    """Refuse numbers outside ``[low, high]`` (run after the type check)."""
    expected = _span(low, high, "an integer" if integer else "a number")

    def check(_inst: object, attribute: "attrs.Attribute[Any]", value: Any) -> None:  # noqa: ANN401 - a checked number
        if (low is not None and value < low) or (high is not None and value > high):
            _fail(attribute, FieldError("", expected, f"{kind_of(value)} out of range"))

    return check


def min_items(count: int) -> Validator:
    """Refuse lists with fewer than `count` items."""
    expected = f"at least {count} item{'s' if count != 1 else ''}"

    def check(_inst: object, attribute: "attrs.Attribute[Any]", value: Any) -> None:  # noqa: ANN401 - a checked list
        if len(value) < count:
            _fail(attribute, FieldError("", expected, f"{len(value)} items"))

    return check


def matches(pattern: str) -> Validator:
    """Refuse strings in which `pattern` does not match (JSON Schema's search)."""
    regex = re.compile(pattern)
    expected = f"a string matching {pattern}"

    def check(_inst: object, attribute: "attrs.Attribute[Any]", value: Any) -> None:  # noqa: ANN401 - a checked str
        if regex.search(value) is None:
            _fail(attribute, FieldError("", expected, "a string that does not match"))

    return check


def _quoted(value: object) -> str:
    return json.dumps(value)


def one_of(*values: str | int) -> Check:
    """One of a closed set of values."""
    allowed = frozenset(values)
    kinds: frozenset[type] = frozenset(type(v) for v in values)
    if int in kinds:
        kinds |= {float}  # 24000.0 is the integer 24000 (and equal to it in a set)
    listing = ", ".join(_quoted(v) for v in values)
    expected = listing if len(values) == 1 else f"one of {listing}"

    def check(value: object) -> FieldError | None:
        kind = type(value)
        # The kind first: a list is unhashable, and True == 1.
        if kind in kinds and value in allowed:
            return None
        got = kind_of(value)
        return FieldError("", expected, f"another {got}" if kind in kinds else got)

    return check


def instance(cls: type[Any]) -> Check:
    """A model of class `cls` (already checked when it was built)."""
    expected = f"a {cls.__name__}"

    def check(value: object) -> FieldError | None:
        return None if isinstance(value, cls) else _misfit(expected, value)

    return check


def variant(*classes: type[Any]) -> Check:
    """One member of a tagged union (an `UnknownVariant`, a tag read from a newer answer, is not)."""
    members = frozenset(classes)
    expected = "one of " + ", ".join(cls.__name__ for cls in classes)
    defaults = [attrs.fields_dict(cls)["type"].default for cls in classes]
    tags = ", ".join(_quoted(tag) for tag in defaults if isinstance(tag, str))

    def check(value: object) -> FieldError | None:
        kind = type(value)
        if kind in members:
            return None
        if any(isinstance(value, cls) for cls in classes):
            return None
        if kind is UnknownVariant:
            # Requests take known tags only: say which, where the tag is.
            got = f"an unknown {kind_of(cast('UnknownVariant', value).type)}"
            return FieldError(".type", f"one of {tags}", got)
        return _misfit(expected, value)

    return check


def either(*checks: Check, expected: str) -> Check:
    """A union told apart by JSON kind: the value fits one of the member checks."""

    def check(value: object) -> FieldError | None:
        errors = []
        for member in checks:
            error = member(value)
            if error is None:
                return None
            errors.append(error)
        # A member of the right kind with the wrong value explains best ("inf", not "infinite").
        near = [e for e in errors if e.got is not None and e.got.startswith("another ")]
        return near[0] if len(near) == 1 else _misfit(expected, value)

    return check


def list_of(item: Check) -> Check:
    """An array (a list or tuple) whose items fit `item`."""

    def check(value: object) -> FieldError | None:
        if type(value) is not list and type(value) is not tuple:
            return _misfit("an array", value)
        for index, x in enumerate(cast("list[object]", value)):
            error = item(x)
            if error is not None:
                return _nested(f"[{index}]", error)
        return None

    return check


def dict_of(item: Check) -> Check:
    """A JSON object used as a map: string keys, values that fit `item`."""

    def check(value: object) -> FieldError | None:
        if not isinstance(value, Mapping):
            return _misfit("an object", value)
        for key, x in cast("Mapping[object, object]", value).items():
            if type(key) is not str:
                return _non_string_key("", key)
            error = item(x)
            if error is not None:
                return _nested(f".{key}", error)
        return None

    return check


# --- any JSON value -------------------------------------------------------------------------


def _non_string_key(path: str, key: object) -> FieldError:
    # The key itself is not shown: it is data, and may not even print.
    return FieldError(path, "string keys", f"a key of kind {kind_of(key)}")


def json_misfit(value: object, path: str = "") -> FieldError | None:
    """The first part of a value that JSON cannot carry as given, with its path, if any.

    JSON encoders would turn a non-string key into text (so ``{1: "a", "1": "b"}`` goes out
    with the same key twice) and NaN into an error or a null: a value is sent as given, or
    refused here. Walks with its own stack, at most `MAX_DEPTH` deep.
    """
    stack: list[tuple[str, object, int]] = [(path, value, 0)]
    while stack:
        where, item, depth = stack.pop()
        kind = type(item)
        if kind is str or kind is int or kind is bool or item is None:
            continue
        if kind is float:
            if not math.isfinite(cast("float", item)):
                return FieldError(where, "a finite number", "NaN or infinity")
            continue
        if depth >= MAX_DEPTH:
            return FieldError(where, f"JSON nested at most {MAX_DEPTH} deep", "deeper nesting")
        if isinstance(item, Mapping):
            for key, x in cast("Mapping[object, object]", item).items():
                if type(key) is not str:
                    return _non_string_key(where, key)
                stack.append((f"{where}.{key}", x, depth + 1))
        elif kind is list or kind is tuple:
            items = cast("list[object]", item)
            stack.extend((f"{where}[{i}]", x, depth + 1) for i, x in enumerate(items))
        else:
            return FieldError(where, "JSON values only", kind_of(item))
    return None


def _json_object(value: object) -> FieldError | None:
    if not isinstance(value, Mapping):
        return _misfit("an object", value)
    return json_misfit(value)


JSON: Final[Check] = json_misfit
"""Any JSON value."""

JSON_OBJECT: Final[Check] = _json_object
"""A JSON object of any shape (a JSON Schema, metadata)."""


# --- the field checks -----------------------------------------------------------------------


def _fail(attribute: "attrs.Attribute[Any]", error: FieldError) -> None:
    nested = FieldError(attribute.name + error.path, error.expected, error.got)
    raise RequestValidationError([nested])


@dataclass(frozen=True, slots=True)
class FieldRule:
    """How `check_fields` checks one field.

    Values of a class in `passing`, and the enum `values`, are known to fit: they are let
    through on one set lookup, the common case of every model built. Any other value goes
    to `validate`, an attrs-style validator that raises `RequestValidationError`.
    """

    passing: frozenset[type]
    kinds: frozenset[type]
    values: frozenset[object]
    validate: Validator


_THEN: Final = "realtime_sdk.then"  # the attrs metadata key of a field's explicit validator


def field(
    check: Check,
    *,
    optional: bool = False,
    nullable: bool = False,
    then: Validator | None = None,
    exact: frozenset[type] = frozenset(),
    values: frozenset[object] = frozenset(),
) -> FieldRule:
    """The rule of one field: UNSET when `optional`, None when `nullable`, else `check`.

    `then` (a range, an item count, a pattern) runs on values that passed `check`; values
    of a class in `exact`, and the enum `values`, are known to pass `check`.
    """
    passing = set(exact if then is None else ())
    if optional:
        passing.add(type(UNSET))
    if nullable:
        passing.add(type(None))

    def validate(inst: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
        if value is UNSET:
            error = check(value)
            expected = error.expected if error is not None else "a value"
            _fail(attribute, FieldError("", f"{expected} (required)", "nothing"))
        error = check(value)
        if error is not None:
            # A value of the wrong kind where null would do too: say so (not for contents).
            if (
                nullable
                and error.path == ""
                and error.got == kind_of(value)
                and not error.expected.endswith("or null")
            ):
                error = FieldError("", f"{error.expected} or null", error.got)
            _fail(attribute, error)
        elif then is not None:
            then(inst, attribute, value)

    return FieldRule(frozenset(passing), frozenset(type(v) for v in values), values, validate)


# The fields of each model class with their rules, in field order; made on first use.
_PLANS: Final[dict[type, tuple[tuple[str, "attrs.Attribute[Any]", FieldRule], ...]]] = {}


def _plan(cls: type) -> tuple[tuple[str, "attrs.Attribute[Any]", FieldRule], ...]:
    plan = tuple((a.name, a, _rule_of(a)) for a in attrs.fields(cast("type[AttrsInstance]", cls)))
    _PLANS[cls] = plan
    return plan


def check_fields(inst: object) -> None:
    """Every model's ``__attrs_post_init__``: check each field, and report every bad one.

    Does nothing while the converter reads an answer (`READING_RESPONSE`): its hooks
    apply the lenient rules of responses themselves.

    Raises:
        RequestValidationError: listing each field that does not fit, with its path.
    """
    if READING_RESPONSE.get():
        return
    cls = type(inst)
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _plan(cls)
    errors: list[FieldError] = []
    for name, attribute, rule in plan:
        value = getattr(inst, name)
        kind = value.__class__
        if kind in rule.passing or (kind in rule.kinds and value in rule.values):
            continue
        try:
            rule.validate(inst, attribute, value)
        except RequestValidationError as exc:
            errors.extend(exc.errors)
    if errors:
        raise RequestValidationError(errors)


# --- checks derived from annotations --------------------------------------------------------

_SIMPLE: Final[Mapping[object, Check]] = {
    str: STRING,
    int: INTEGER,
    float: NUMBER,
    bool: BOOLEAN,
    Secret: SECRET,
    Any: JSON,
}


def check_for(t: Any) -> Check:  # noqa: ANN401, PLR0911 - any type form; one branch per form
    """The check of a value of type `t` (``None`` and `Unset` are the field's business)."""
    simple = _SIMPLE.get(t)
    if simple is not None:
        return simple
    origin = get_origin(t)
    if origin is Literal:
        return one_of(*get_args(t))
    if origin is list:
        (item,) = get_args(t)
        return list_of(check_for(item))
    if origin is dict:
        _, value = get_args(t)
        return JSON_OBJECT if value is Any else dict_of(check_for(value))
    if attrs.has(t):
        return instance(t)
    if is_union(t):
        members = union_members(t)
        if len(members) == 1:
            return check_for(members[0])
        if str in members and all(m is str or get_origin(m) is Literal for m in members):
            return STRING  # an open enum: the known values only guide readers
        classes = [m for m in members if attrs.has(m)]
        others = [check_for(m) for m in members if not attrs.has(m)]
        if len(classes) > 1 or UnknownVariant in classes:
            tagged = variant(*(c for c in classes if c is not UnknownVariant))
            return either(*others, tagged, expected=describe(t)) if others else tagged
        return either(*others, *(instance(c) for c in classes), expected=describe(t))
    msg = f"no check for the type {t!r}"
    raise TypeError(msg)


def _passing(t: Any) -> tuple[frozenset[type], frozenset[object]]:  # noqa: ANN401, PLR0911 - any type form; one return per form
    """The classes whose every value passes `check_for(t)`, and the enum values that do."""
    if t in (str, int, bool, Secret):
        return frozenset({t}), frozenset()
    if t is float:
        return frozenset({int}), frozenset()  # a float must also be finite
    if get_origin(t) is Literal:
        return frozenset(), frozenset(get_args(t))
    if attrs.has(t):
        return frozenset() if t is UnknownVariant else frozenset({t}), frozenset()
    if is_union(t):
        members = union_members(t)
        if str in members:
            return frozenset({str}), frozenset()  # an open enum
        classes: set[type] = set()
        values: set[object] = set()
        for member in members:
            member_classes, member_values = _passing(member)
            classes |= member_classes
            values |= member_values
        return frozenset(classes), frozenset(values)
    return frozenset(), frozenset()  # lists, maps, any JSON: checked item by item


def _rule_of(a: "attrs.Attribute[Any]") -> FieldRule:
    """The rule of one field, from its annotation and its explicit validator, if any."""
    then = a.metadata.get(_THEN)
    if a.name == "extra_fields":
        # Its validator is `extra_keys`; the shared empty default needs no look.
        return FieldRule(frozenset({type(EMPTY)}), frozenset(), frozenset(), then or extra_keys)
    args = get_args(a.type) if is_union(a.type) else (a.type,)
    rest = union_members(a.type) if is_union(a.type) else [a.type]
    inner: Any = rest[0] if len(rest) == 1 else a.type
    exact, values = _passing(inner)
    return field(
        check_for(inner),
        optional=Unset in args,
        # The annotation says `| None` for answers; a request may send null only where the
        # spec gives it a meaning.
        nullable=type(None) in args and not NULL_WHEN_READ.items() <= a.metadata.items(),
        then=then,
        exact=exact,
        values=values,
    )


def _holds_secret(t: object) -> bool:
    return t is Secret or (is_union(t) and Secret in get_args(t))


def typed(_cls: type, fields: list["attrs.Attribute[Any]"]) -> list["attrs.Attribute[Any]"]:
    """attrs field transformer: move each explicit validator into `check_fields`' rule.

    A field's rule is derived from its annotation when the class is first instantiated
    (most classes of a program are only ever read from answers, which need none), so
    creating the classes stays cheap. Key fields also get the converter that wraps a
    plain str in a `Secret`.
    """
    out = []
    for a in fields:
        changes: dict[str, Any] = {}
        if a.validator is not None:
            # Run by `check_fields` after the type check, not by attrs for every object.
            changes["validator"] = None
            changes["metadata"] = {**a.metadata, _THEN: a.validator}
        if a.name != "extra_fields" and _holds_secret(a.type):
            changes["converter"] = to_secret
        out.append(a.evolve(**changes) if changes else a)
    return out


def extra_keys(inst: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    """Check the unknown-key store: JSON under string keys that are not the class's fields."""
    if not value:
        return
    if not isinstance(value, Mapping):
        _fail(attribute, _misfit("a mapping of unknown JSON keys", value))
    names = attrs.fields_dict(cast("type[AttrsInstance]", type(inst)))
    for key in cast("Mapping[object, object]", value):
        if type(key) is not str:
            _fail(attribute, _non_string_key("", key))
        if key in names and key != attribute.name:  # a JSON key "extra_fields" is unknown too
            _fail(
                attribute,
                FieldError("", "keys that are not fields of this class", "a known field name"),
            )
    error = json_misfit(value)
    if error is not None:
        # Reported at the key itself: to the user it is a field of the object.
        raise RequestValidationError(
            [FieldError(error.path.removeprefix("."), error.expected, error.got)]
        )


__all__ = [
    "BOOLEAN",
    "INTEGER",
    "JSON",
    "JSON_OBJECT",
    "MAX_DEPTH",
    "NUMBER",
    "READING_RESPONSE",
    "SECRET",
    "STRING",
    "FieldRule",
    "check_fields",
    "check_for",
    "dict_of",
    "either",
    "extra_keys",
    "field",
    "in_range",
    "instance",
    "json_misfit",
    "list_of",
    "matches",
    "min_items",
    "one_of",
    "to_secret",
    "typed",
    "variant",
]
