"""Every JSON rule of the SDK: cattrs converters for the generated models, dumps and loads.

Three converters share one set of hook factories and differ only in policy:

- the public `converter` (responses, and any model read back) is lenient and lossless:
  unknown keys go to ``extra_fields``, unknown tags to `UnknownVariant`, unknown enum values
  and values outside request ranges are kept, and unstructuring writes all of them back;
- the request converter is strict about what it knows (no coercion, closed enums, known
  tags only, ranges, patterns) and passes unknown keys through to the wire;
- the strict-keys request converter also rejects unknown keys, suggesting the close name.
Neither side coerces: a JSON kind that does not fit is an error on both.

Unions dispatch on data tables generated into `models` (`TAGGED_UNIONS`, `MIXED_UNIONS`):
there is no per-union code and no trying of members in order. Error messages name the path
and the expected kind, never the value. See STYLE.md section 4.

Speed: each model gets a generated structure hook (primitive and enum checks inline, the
object filled through its slots) and a generated unstructure hook (``is UNSET`` tests).
cattrs' detailed-validation hook is built and run only when a value does not fit, to name
every bad path; `benchmarks/bench_codec.py` measures the result against openai-python.
"""

import difflib
import json
import linecache
import math
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from enum import Enum
from functools import cache
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any, Final, Literal, TypeVar, get_args, get_origin

import attrs
from cattrs.errors import ClassValidationError, IterableValidationError
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, override
from cattrs.preconf.json import JsonConverter, make_converter

from realtime_sdk import models
from realtime_sdk._secret import Secret
from realtime_sdk._unset import UNSET, Unset
from realtime_sdk._validators import kind_of
from realtime_sdk.errors import FieldError, RealtimeSDKError, RequestValidationError

T = TypeVar("T")
Model = Any  # any generated attrs class; kept loose so dumps_request accepts each of them

_NONE_TYPE: Final = type(None)
_A_STRING: Final = "a string"
_AN_INTEGER: Final = "an integer"
_A_NUMBER: Final = "a number"
_A_BOOLEAN: Final = "a boolean"
_AN_ARRAY: Final = "an array"
_AN_OBJECT: Final = "an object"
_EXTRA: Final = "extra_fields"
_STRING_KEYS: Final = "string keys"


class ResponseDecodeError(RealtimeSDKError, ValueError):
    """A response body that is not JSON or does not fit its model.

    `errors` lists each misfit with its path and expectation; like every message of the
    SDK it never contains a value from the body.
    """

    errors: tuple[FieldError, ...]

    def __init__(self, errors: Sequence[FieldError], *, model: str | None = None) -> None:
        self.errors = tuple(errors)
        self.model = model
        where = f" for {model}" if model else ""
        lines = "".join(f"\n  {error}" for error in self.errors)
        super().__init__(f"response body does not fit{where}:{lines}")


class _Invalid(ValueError):  # noqa: N818 - an internal carrier; the public API wraps it
    """Raised by our hooks: field errors with paths relative to the value being structured.

    Callers of `converter.structure` may see it; its message lists the misfits, no values.
    """

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors))


def _mismatch(expected: str, value: object) -> _Invalid:
    return _Invalid([FieldError("", expected, kind_of(value))])


class _Mode(Enum):
    LENIENT = "lenient"  # responses and models read back: keep whatever is new
    REQUEST = "request"  # strict on what we know; unknown keys pass through
    REQUEST_STRICT = "request-strict"  # ... and unknown keys are rejected


# --- describing expectations -------------------------------------------------------------


def _describe(t: Any) -> str:  # noqa: ANN401, C901, PLR0911 - any type form; one branch per form
    if t is str:
        return "a string"
    if t is Secret:
        return "a string"
    if t is bool:
        return "a boolean"
    if t is int:
        return "an integer"
    if t is float:
        return "a number"
    if get_origin(t) is Literal and len(get_args(t)) == 1:
        return json.dumps(get_args(t)[0])
    if get_origin(t) is Literal:
        return "one of " + ", ".join(json.dumps(v) for v in get_args(t))
    if get_origin(t) is list:
        return "an array"
    if get_origin(t) is dict or attrs.has(t):
        return "an object"
    if _is_union(t):
        args = [a for a in get_args(t) if a is not _NONE_TYPE and a != Unset]
        parts = dict.fromkeys(_describe(a) for a in args)
        text = " or ".join(parts) if len(args) > 1 else _describe(args[0])
        return text + (" or null" if _NONE_TYPE in get_args(t) else "")
    return "a JSON value"


def _describe_required(t: Any) -> str:  # noqa: ANN401 - any type form
    # A missing key: name the kind it needs, not the null that only an answer may carry.
    if _is_union(t) and _NONE_TYPE in get_args(t):
        rest = tuple(a for a in get_args(t) if a is not _NONE_TYPE)
        return _describe(rest[0] if len(rest) == 1 else typing.Union[rest])  # noqa: UP007 - built at runtime
    return _describe(t)


def _is_union(t: object) -> bool:
    return get_origin(t) in (typing.Union, types.UnionType)


def _is_literal(t: object) -> bool:
    return get_origin(t) is Literal


def _is_list(t: object) -> bool:
    return get_origin(t) is list


def _is_dict(t: object) -> bool:
    return get_origin(t) is dict


# --- primitive hooks: no coercion, ever ----------------------------------------------------


def _structure_str(value: object, _: object) -> str:
    if type(value) is str:
        return value
    raise _mismatch(_A_STRING, value)


def _structure_int(value: object, _: object) -> int:
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        # JSON Schema 2020-12 (OpenAPI 3.1): 600.0 is an integer. Kept as the float it is,
        # so it goes out and round-trips as written.
        return value  # type: ignore[return-value]  # an integral float stands for an int
    raise _mismatch(_AN_INTEGER, value)


def _structure_float(value: object, _: object) -> float:
    # An int stays an int: 1 and 1.0 are different JSON texts, and the round trip is exact.
    if (type(value) is float and math.isfinite(value)) or type(value) is int:
        return value
    raise _mismatch(_A_NUMBER, value)


def _structure_bool(value: object, _: object) -> bool:
    if type(value) is bool:
        return value
    raise _mismatch(_A_BOOLEAN, value)


def _structure_secret(value: object, _: object) -> Secret:
    if type(value) is str:
        return Secret(value)
    raise _mismatch(_A_STRING, value)


def _unstructure_secret(value: Secret) -> str:
    return value.reveal()


# The primitive hooks that accept exactly one class (and return the value unchanged).
_PRIMITIVE_CLASSES: Final[Mapping[object, type]] = {
    _structure_str: str,
    _structure_int: int,
    _structure_bool: bool,
}


# The same, as conditions the generated model code tests inline (``{v}`` is the value).
_PRIMITIVE_CHECKS: Final[Mapping[object, str]] = {
    _structure_str: "{v}.__class__ is str",
    _structure_int: "{v}.__class__ is int",
    _structure_bool: "{v}.__class__ is bool",
    # x - x == 0.0 holds for exactly the finite floats (inf - inf and NaN - NaN are NaN).
    _structure_float: "(({v}).__class__ is float and v - v == 0.0 or v.__class__ is int)",
}


# --- the factories ------------------------------------------------------------------------


def _union_key(args: Sequence[Any]) -> frozenset[Any]:
    return frozenset(args)


_TAGGED: Final = {_union_key(get_args(k)): v for k, v in models.TAGGED_UNIONS.items()}
# Conformance: the member read when a union's tag is absent, and the fields whose
# None only an answer may carry (requests refuse it; the annotation says `| None` for both).
_UNTAGGED: Final = {_union_key(get_args(k)): v for k, v in models.UNTAGGED_MEMBERS.items()}
_NULL_ONLY_IN_ANSWERS: Final = models.NULL_ONLY_IN_ANSWERS
_MIXED: Final = {_union_key(get_args(k)): v for k, v in models.MIXED_UNIONS.items()}
_MODELS: Final = frozenset(models.REQUEST_MODELS | models.RESPONSE_MODELS)


_CLASS_KINDS: Final[Mapping[type, str]] = {
    str: "str",
    bool: "bool",
    int: "int",
    float: "number",
    list: "array",
    dict: "object",
}


class _Hooks:
    """The hook factories of one converter; `mode` decides the policy."""

    def __init__(self, converter: JsonConverter, mode: _Mode) -> None:
        self.c = converter
        self.mode = mode
        self.lenient = mode is _Mode.LENIENT

    # literals: closed enums on requests, any value of the same JSON kind on responses
    def literal(self, t: Any) -> Callable[[object, object], object]:  # noqa: ANN401 - a Literal form
        values = get_args(t)
        allowed = frozenset(values)
        kinds = frozenset(type(v) for v in values)
        expected = _describe(t)
        lenient = self.lenient
        if len(kinds) == 1:
            (only,) = kinds
            # The common case, all strings: one type test and one set lookup.

            # An integral float is the integer it equals; 24000.0 == 24000 in a set.
            integral = only is int

            def structure_one_kind(value: object, _: object) -> object:
                if (
                    value.__class__ is only
                    or (integral and value.__class__ is float and value.is_integer())
                ) and (lenient or value in allowed):
                    return value
                got = kind_of(value)
                raise _Invalid(
                    [FieldError("", expected, f"another {got}" if type(value) is only else got)]
                )

            structure_one_kind.literal = (only, allowed)  # type: ignore[attr-defined]
            return structure_one_kind
        typed = frozenset((type(v), v) for v in values)

        def structure(value: object, _: object) -> object:
            kind = type(value)
            if (kind, value) in typed or (lenient and kind in kinds):
                return value
            got = kind_of(value)
            raise _Invalid([FieldError("", expected, f"another {got}" if kind in kinds else got)])

        return structure

    def list_of(self, t: Any) -> Callable[[object, object], object]:  # noqa: ANN401 - a list form
        (item_type,) = get_args(t)
        item = self.c.get_structure_hook(item_type)

        def structure(value: object, _: object) -> list[Any]:
            if type(value) is not list:
                raise _mismatch(_AN_ARRAY, value)
            if not value:
                return []  # common (no tools) and cheaper than an empty comprehension
            try:
                return [item(x, item_type) for x in value]
            except Exception:  # noqa: BLE001 - redone item by item to report every index
                return _collect_items(value, item, item_type)

        return structure

    def dict_of(self, t: Any) -> Callable[[object, object], object]:  # noqa: ANN401 - a dict form
        _, value_type = get_args(t)
        if value_type is Any:
            return self._dict_of_any()
        item = self.c.get_structure_hook(value_type)

        def structure(value: object, _: object) -> dict[str, Any]:
            if type(value) is not dict:
                raise _mismatch(_AN_OBJECT, value)
            out: dict[str, Any] = {}
            errors: list[FieldError] = []
            for key, raw in value.items():
                if type(key) is not str:
                    # JSON would turn it into a string, perhaps one the dict already has.
                    errors.append(_non_string_key_error("", key))
                    continue
                try:
                    out[key] = item(raw, value_type)
                except Exception as exc:  # noqa: BLE001 - collected, reported together
                    errors.extend(_field_errors(exc, f".{key}"))
            if errors:
                raise _Invalid(errors)
            return out

        return structure

    def _dict_of_any(self) -> Callable[[object, object], object]:
        lenient = self.lenient

        def structure_any(value: object, _: object) -> object:
            if type(value) is not dict:
                raise _mismatch(_AN_OBJECT, value)
            if not lenient:
                error = _non_string_key("", value)
                if error is not None:
                    raise _Invalid([error])
            return dict(value)  # a copy: the caller's dict stays the caller's

        return structure_any

    def union(self, t: Any) -> Callable[[object, object], object]:  # noqa: ANN401 - a union form
        args = get_args(t)
        nullable = _NONE_TYPE in args
        rest = [a for a in args if a is not _NONE_TYPE and a != Unset]
        inner = self._union_body(rest, t)
        if not nullable:
            return inner
        expected = _describe(t)

        def structure(value: object, _: object) -> object:
            if value is None:
                return None
            try:
                return inner(value, None)
            except _Invalid as exc:
                if (
                    len(exc.errors) == 1
                    and exc.errors[0].path == ""
                    and exc.errors[0].expected != _STRING_KEYS  # about the contents, not the kind
                ):
                    raise _mismatch(expected, value) from None
                raise

        return structure

    def _union_body(self, rest: list[Any], t: Any) -> Callable[[object, object], object]:  # noqa: ANN401 - a union form
        if len(rest) == 1:
            # Every hook here ignores its second argument, so the member's hook serves as is.
            return self.c.get_structure_hook(rest[0])
        key = _union_key(rest)
        if key in _TAGGED:
            tag, table = _TAGGED[key]
            return self.tagged(tag, table, _UNTAGGED.get(key))
        if key in _MIXED:
            return self.mixed(_MIXED[key])
        if str in rest and all(a is str or get_origin(a) is Literal for a in rest):
            return _structure_str  # an open enum: any string, the Literal only guides readers
        msg = f"no rule for the union {t!r}: add it to the generator's tables"
        raise TypeError(msg)

    def tagged(
        self, tag: str, table: Mapping[str, type[Any]], untagged: type[Any] | None = None
    ) -> Callable[[object, object], object]:
        hooks = {value: (self.c.get_structure_hook(cls), cls) for value, cls in table.items()}
        default = (self.c.get_structure_hook(untagged), untagged) if untagged else None
        known = ", ".join(json.dumps(value) for value in table)
        lenient = self.lenient

        def structure(value: object, _: object) -> object:
            if type(value) is not dict:
                raise _mismatch(_AN_OBJECT, value)
            found = value.get(tag)
            entry = hooks.get(found) if type(found) is str else None
            if entry is not None:
                return entry[0](value, entry[1])
            if default is not None and tag not in value:
                return default[0](value, default[1])
            if lenient:
                return models.UnknownVariant(data=value)
            got = "no tag" if found is None and tag not in value else f"an unknown {kind_of(found)}"
            raise _Invalid([FieldError(f".{tag}", f"one of {known}", got)])

        # Read by the generated model code, which picks a known tag's hook inline.
        structure.tagged = (tag, {value: hook for value, (hook, _) in hooks.items()})  # type: ignore[attr-defined]
        return structure

    def mixed(self, table: Mapping[str, object]) -> Callable[[object, object], object]:
        hooks: dict[str, tuple[Callable[[object, object], object], object]] = {
            kind: (self.c.get_structure_hook(t), t) for kind, t in table.items()
        }
        expected = " or ".join(dict.fromkeys(_describe(t) for t in table.values()))
        if "number" in hooks:  # JSON has one number type: an integer fits a number member
            hooks.setdefault("int", hooks["number"])
        elif "int" in hooks:  # ... and an integral float fits an integer member
            int_hook, int_type = hooks["int"]

            def integral(value: object, t: object) -> object:
                if type(value) is float and value.is_integer():
                    return int_hook(value, t)
                raise _mismatch(expected, value)

            hooks["number"] = (integral, int_type)
        # Keyed by the Python class json.loads produces for each JSON kind: one dict lookup.
        by_class = {cls: hooks[kind] for cls, kind in _CLASS_KINDS.items() if kind in hooks}

        def structure(value: object, _: object) -> object:
            entry = by_class.get(value.__class__)
            if entry is None:
                raise _mismatch(expected, value)
            return entry[0](value, entry[1])

        # Read by the generated model code, which checks the common members inline.
        structure.members = tuple((cls, hook) for cls, (hook, _) in by_class.items())  # type: ignore[attr-defined]
        return structure

    def model(self, cls: type[Any]) -> Callable[[object, object], object]:
        """A generated fast path; any misfit re-runs cattrs' detailed hook for the report."""
        detailed: list[Callable[[object, object], object]] = []

        def slow(value: object, _: object) -> object:
            # Built on the first misfit only: most programs never need it, and it halves
            # the work of prebuild().
            if not detailed:
                detailed.append(self.model_detailed(cls))
            return detailed[0](value, None)

        reject = self.mode is _Mode.REQUEST_STRICT or (
            cls in models.CLOSED_MODELS and not self.lenient
        )
        known = [a.name for a in attrs.fields(cls) if a.name != _EXTRA]
        scope: dict[str, Any] = {
            "__cl": cls,
            "_slow": slow,
            "_known": frozenset(known),
            "EMPTY": models.EMPTY,
        }
        # The object is built as an instance of a mutable twin of the class and then given
        # its real class (see `_mutable_twin`); the field validators run after.
        scope["_new"] = object.__new__
        scope["__twin"] = _mutable_twin(cls)
        body: list[str] = []
        checks: list[str] = []
        optional = False
        for a in attrs.fields(cls):
            if a.name == _EXTRA:
                continue
            field_lines, field_optional = self._field_lines(
                a, scope, nullable=self._null_ok(cls, a)
            )
            body += field_lines
            optional = optional or field_optional
            # Ranges and patterns are facts about what may be sent; a response is the
            # server's word, so a wider range there (a newer server) must not break reading.
            if a.validator is not None and not self.lenient:
                scope[f"v_{a.name}"], scope[f"a_{a.name}"] = a.validator, a
                checks.append(f"        v_{a.name}(obj, a_{a.name}, obj.{a.name})")
        # Every known key is looked up once, so the dict holds no other key exactly when its
        # size is the number of known fields found: cheaper than a set test on its keys.
        found = f"{len(known)} - missing" if optional else str(len(known))
        if reject:
            unknown = "        return _slow(o, None)"
        elif self.lenient:
            unknown = f"        obj.{_EXTRA} = {{k: v for k, v in o.items() if k not in _known}}"
        else:
            # Sent as given, so checked to encode as given (see `_passed_through`).
            scope["_passed_through"] = _passed_through
            unknown = f"        obj.{_EXTRA} = _passed_through(o, _known)"
        name = f"structure_{cls.__name__}"
        lines = [
            f"def {name}(o, _=None):",
            "    if o.__class__ is not dict:",
            "        return _slow(o, None)",
            "    try:",
            "        obj = _new(__twin)",
            *(["        missing = 0"] if optional else []),
            *body,
            f"        if len(o) == {found}:",
            f"            obj.{_EXTRA} = EMPTY",
            "        else:",
            "    " + unknown,
            "        obj.__class__ = __cl",
            *checks,
            "        return obj",
            "    except Exception:",
            "        return _slow(o, None)",
        ]
        return _compile("\n".join(lines), name, scope)  # type: ignore[return-value]

    def _null_ok(self, cls: type[Any], a: "attrs.Attribute[Any]") -> bool:
        """Whether None fits the field: as annotated, except where only answers carry it."""
        args = get_args(a.type) if _is_union(a.type) else (a.type,)
        return _NONE_TYPE in args and (
            self.lenient or a.name not in _NULL_ONLY_IN_ANSWERS.get(cls, ())
        )

    def _field_lines(
        self, a: "attrs.Attribute[Any]", scope: dict[str, Any], *, nullable: bool
    ) -> tuple[list[str], bool]:
        """The statements that fill one field from ``o``, and whether the field is optional."""
        args = get_args(a.type) if _is_union(a.type) else (a.type,)
        rest = [t for t in args if t is not _NONE_TYPE and t != Unset]
        inner: Any = rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]  # noqa: UP007 - built at runtime
        hook = self.c.get_structure_hook(inner)
        scope[f"h_{a.name}"] = hook
        check = self._inline_check(hook, a.name, scope)
        # The value is bound to ``v`` first; the common case is tested inline and the hook
        # only runs to accept or explain the rest.
        value = f"h_{a.name}(v, None)"
        if check is not None:
            value = f"(v if {check.format(v='v')} else {value})"
        tagged: tuple[str, dict[str, object]] | None = getattr(hook, "tagged", None)
        if tagged is not None:
            # A known tag goes straight to its model's hook; anything else (no tag, an
            # unknown one, not an object) takes the union's own hook, which decides.
            tag, scope[f"t_{a.name}"] = tagged
            value = (
                f"(e(v, None) if v.__class__ is dict and "
                f"(e := t_{a.name}.get(v.get({tag!r}))) is not None else {value})"
            )
        if nullable:
            value = f"(None if v is None else {value})"
        key = repr(a.name)
        target = f"obj.{a.name}"
        if a.default is not UNSET:
            # Required, constants included: a constant (a tag, `mode: "explicit"`) defaults to
            # its value for people building models, but JSON that lacks it does not fit, and
            # filling it in would make the model differ from the dict sent as given.
            return [f"        v = o[{key}]", f"        {target} = {value}"], False
        scope[f"d_{a.name}"] = a.default
        return [
            f"        if {key} in o:",
            f"            v = o[{key}]",
            f"            {target} = {value}",
            "        else:",
            f"            {target} = d_{a.name}",
            "            missing += 1",
        ], True

    def _inline_check(self, hook: object, name: str, scope: dict[str, Any]) -> str | None:
        """A condition on ``{v}`` that is true when `hook` would return the value unchanged."""
        primitive = _PRIMITIVE_CHECKS.get(hook)
        if primitive is not None:
            return primitive
        members: tuple[tuple[type, object], ...] | None = getattr(hook, "members", None)
        if members is not None:
            return self._inline_mixed(members, name, scope)
        literal: tuple[type, frozenset[object]] | None = getattr(hook, "literal", None)
        if literal is None:
            return None
        scope[f"k_{name}"], scope[f"l_{name}"] = literal
        if self.lenient:
            return f"{{v}}.__class__ is k_{name}"
        return f"({{v}}.__class__ is k_{name} and v in l_{name})"

    def _inline_mixed(
        self, members: tuple[tuple[type, object], ...], name: str, scope: dict[str, Any]
    ) -> str | None:
        """The inline check of a union told apart by JSON kind: any member's own check.

        A member's check is used only when it accepts nothing but the class that the union
        hands to that member, so a value passing it is what the union hook would return.
        """
        checks: list[str] = []
        for index, (cls, member) in enumerate(members):
            literal: tuple[type, frozenset[object]] | None = getattr(member, "literal", None)
            own = literal[0] if literal is not None else _PRIMITIVE_CLASSES.get(member)
            if own is not cls:
                continue  # a float member (also takes ints), a model, a list...
            check = self._inline_check(member, f"{name}_{index}", scope)
            if check is not None:
                checks.append(check if not checks else check.replace("{v}", "v"))
        return f"({' or '.join(checks)})" if checks else None

    def _null_refused(self, cls: type[Any]) -> dict[str, Any]:
        """Overrides giving fields whose None this mode refuses their hook without None."""
        out: dict[str, Any] = {}
        for a in attrs.fields(cls):
            if a.name != _EXTRA and _NONE_TYPE in get_args(a.type) and not self._null_ok(cls, a):
                rest = tuple(t for t in get_args(a.type) if t is not _NONE_TYPE)
                inner: Any = rest[0] if len(rest) == 1 else typing.Union[rest]  # noqa: UP007 - built at runtime
                out[a.name] = override(struct_hook=self.c.get_structure_hook(inner))
        return out

    def model_detailed(self, cls: type[Any]) -> Callable[[object, object], object]:
        """cattrs' generated hook with per-attribute errors, plus our unknown-key rules."""
        names = tuple(a.name for a in attrs.fields(cls) if a.name != _EXTRA)
        known = frozenset(names)
        skip: dict[str, Any] = {_EXTRA: override(omit=True), **self._null_refused(cls)}
        base = make_dict_structure_fn(
            cls,
            self.c,
            _cattrs_forbid_extra_keys=False,
            _cattrs_detailed_validation=True,
            **skip,
        )
        closed = cls in models.CLOSED_MODELS
        reject = self.mode is _Mode.REQUEST_STRICT or (closed and not self.lenient)
        setter = object.__setattr__
        # cattrs fills a defaulted field that is absent; a constant must be present.
        constants = [
            (a.name, f"{_describe_required(a.type)} (required)")
            for a in attrs.fields(cls)
            if a.default is not attrs.NOTHING and a.default is not UNSET and a.name != _EXTRA
        ]

        def structure(value: object, _: object) -> object:
            if type(value) is not dict:
                raise _mismatch(_AN_OBJECT, value)
            missing = [FieldError(f".{n}", e, "nothing") for n, e in constants if n not in value]
            if missing:
                try:
                    base(value, cls)
                except Exception as exc:  # noqa: BLE001 - reported along with the missing keys
                    missing += _field_errors(exc, "")
                raise _Invalid(missing)
            if value.keys() <= known:
                return base(value, cls)
            extra = {k: v for k, v in value.items() if k not in known}
            if reject:
                errors = [_unknown_key(key, names) for key in extra]
                try:
                    base(value, cls)
                except Exception as exc:  # noqa: BLE001 - reported along with the unknown keys
                    errors = _field_errors(exc, "") + errors
                raise _Invalid(errors)
            if not self.lenient:
                extra = _checked_pass_through(value, known, lambda: base(value, cls))
            obj = base(value, cls)
            # The object is frozen; this is its construction, completed with the unknown keys.
            setter(obj, _EXTRA, extra)
            return obj

        return structure

    def model_unstructure(self, cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
        # Generated per class like cattrs does, but UNSET is tested with `is` (cattrs' `!=`
        # calls attrs' __ne__ for every nested object), nulls and union members are handled
        # inline, and unknown keys are merged back.
        lines = [f"def unstructure_{cls.__name__}(o):", "    res = {}"]
        scope: dict[str, Any] = {"UNSET": UNSET, "_fallback": self.c.unstructure}
        for a in attrs.fields(cls):
            if a.name == _EXTRA:
                continue
            args = get_args(a.type) if _is_union(a.type) else (a.type,)
            rest = [t for t in args if t is not _NONE_TYPE and t != Unset]
            value = self._value_expr(a.name, rest, scope)
            if _NONE_TYPE in args and value != "v":
                value = f"(None if v is None else {value})"
            lines.append(f"    v = o.{a.name}")
            if a.default is UNSET:
                lines.append(f"    if v is not UNSET: res[{a.name!r}] = {value}")
            else:
                lines.append(f"    res[{a.name!r}] = {value}")
        lines += ["    if o.extra_fields: res.update(o.extra_fields)", "    return res"]
        return _compile("\n".join(lines), f"unstructure_{cls.__name__}", scope)

    def _value_expr(self, name: str, members: list[Any], scope: dict[str, Any]) -> str:
        if len(members) == 1:
            hook = self.c.get_unstructure_hook(members[0])
            if hook is identity:
                return "v"
            scope[f"h_{name}"] = hook
            return f"h_{name}(v)"
        table = self._member_table(members)
        if table is None:
            return "v"
        scope[f"t_{name}"] = table
        return f"t_{name}.get(v.__class__, _fallback)(v)"

    def _member_table(self, members: list[Any]) -> dict[type, Callable[[Any], Any]] | None:
        if not any(attrs.has(a) or get_origin(a) in (list, dict) for a in members):
            return None  # strings, numbers, literals: written as they are
        table: dict[type, Callable[[Any], Any]] = dict.fromkeys(
            (str, int, float, bool, _NONE_TYPE), identity
        )
        for a in members:
            if attrs.has(a):
                table[a] = self.c.get_unstructure_hook(a)
        return table

    def union_unstructure(self, t: Any) -> Callable[[Any], Any]:  # noqa: ANN401 - a union form
        args = [a for a in get_args(t) if a is not _NONE_TYPE and a != Unset]
        table = self._member_table(args)
        if table is None:
            return identity
        fallback = self.c.unstructure

        def unstructure(value: Any) -> Any:  # noqa: ANN401 - any member
            return table.get(value.__class__, fallback)(value)

        return unstructure

    def list_unstructure(self, t: Any) -> Callable[[Any], Any]:  # noqa: ANN401 - a list form
        (item_type,) = get_args(t)
        item = self.c.get_unstructure_hook(item_type)
        if item is identity:
            return _as_list
        return lambda value: [item(x) for x in _as_list(value)]

    def dict_unstructure(self, t: Any) -> Callable[[Any], Any]:  # noqa: ANN401 - a dict form
        _, value_type = get_args(t)
        item = identity if value_type is Any else self.c.get_unstructure_hook(value_type)
        if item is identity:
            return _as_dict
        return lambda value: {k: item(x) for k, x in _as_dict(value).items()}


# Only a list (or tuple) is written as an array and only a mapping as an object: list("ab"),
# list({}) or dict([]) would quietly turn a wrong-kind field value into a valid-looking one.
def _as_list(value: Any) -> list[Any]:  # noqa: ANN401 - any field value
    if not isinstance(value, list | tuple):
        msg = f"expected a list, got {type(value).__name__}"
        raise TypeError(msg)
    return list(value)


def _as_dict(value: Any) -> dict[Any, Any]:  # noqa: ANN401 - any field value
    if not isinstance(value, Mapping):
        msg = f"expected a mapping, got {type(value).__name__}"
        raise TypeError(msg)
    return dict(value)


_TWINS: Final[dict[type[Any], type[Any]]] = {}


def _mutable_twin(cls: type[Any]) -> type[Any]:
    """A subclass of a frozen model that may be written to, used only while building one.

    Setting a slot through the frozen class costs a descriptor call per field; on this
    twin a plain attribute store is specialised by the interpreter into a direct slot
    write, several times cheaper. The twin adds no slots, so the finished object is handed
    its real class (``obj.__class__ = cls``) and nothing of the twin remains. Both setattr
    and delattr must be object's own: if either is overridden, the interpreter treats
    stores as overridden and stops specialising them.
    """
    namespace = {
        "__slots__": (),
        "__setattr__": object.__setattr__,
        "__delattr__": object.__delattr__,
        "__module__": __name__,
    }
    twin = _TWINS.get(cls)
    if twin is None:
        twin = _TWINS[cls] = type(f"_Mutable{cls.__name__}", (cls,), namespace)
    return twin


def _compile(source: str, name: str, scope: dict[str, Any]) -> Callable[[Any], Any]:
    filename = f"<realtime_sdk converter {name}>"
    # Registered like cattrs' own generated code, so tracebacks and debuggers show the source.
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    code = compile(source, filename, "exec")
    exec(code, scope)  # noqa: S102 - our own generated source, as cattrs does
    return scope[name]  # type: ignore[no-any-return]


def _non_string_key_error(path: str, key: object) -> FieldError:
    # The key itself is not shown: it is data, and may not even print.
    return FieldError(path, _STRING_KEYS, f"a key of kind {kind_of(key)}")


def _non_string_key(path: str, value: object) -> FieldError | None:
    """The first object at or below `value` with a key that is not a string, if any.

    JSON encoders turn such a key into text, so ``{1: "a", "1": "b"}`` would go out with
    the same key twice; a request is sent as given, so it is refused instead.
    """
    for where, item, _ in _walk(path, value):
        if isinstance(item, dict):
            for key in item:
                if type(key) is not str:
                    return _non_string_key_error(where, key)
    return None


def _passed_through(value: dict[Any, Any], known: frozenset[str]) -> dict[Any, Any]:
    """The keys of a request dict that the SDK does not know, checked to encode as given."""
    extra = {k: v for k, v in value.items() if k not in known}
    for key, item in extra.items():
        error = (
            _non_string_key_error("", key)
            if type(key) is not str
            else _non_string_key(f".{key}", item)
        )
        if error is not None:
            raise _Invalid([error])
    return extra


def _checked_pass_through(
    value: dict[Any, Any], known: frozenset[str], build: Callable[[], object]
) -> dict[Any, Any]:
    """`_passed_through`, reporting the other fields' errors too when it fails."""
    try:
        return _passed_through(value, known)
    except _Invalid as invalid:
        try:
            build()
        except Exception as exc:  # noqa: BLE001 - reported along with the keys
            invalid.errors[:0] = _field_errors(exc, "")
        raise


def _unknown_key(key: str, names: Sequence[str]) -> FieldError:
    close = difflib.get_close_matches(key, names, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return FieldError(f".{key}", f"a known field{hint}", "an unknown key")


def _collect_items(
    value: list[Any], item: Callable[[object, object], object], item_type: object
) -> list[Any]:
    out: list[Any] = []
    errors: list[FieldError] = []
    for index, raw in enumerate(value):
        try:
            out.append(item(raw, item_type))
        except Exception as exc:  # noqa: BLE001 - collected, reported together
            errors.extend(_field_errors(exc, f"[{index}]"))
    if errors:
        raise _Invalid(errors)
    return out


# --- error translation --------------------------------------------------------------------


def _field_errors(exc: BaseException, path: str) -> list[FieldError]:
    """Flatten cattrs' exception groups and our own carriers into FieldErrors with full paths."""
    if isinstance(exc, _Invalid):
        return [FieldError(path + e.path, e.expected, e.got) for e in exc.errors]
    if isinstance(exc, RequestValidationError):  # an attrs validator: path is the attribute
        return [FieldError(f"{path}.{e.path}", e.expected, e.got) for e in exc.errors]
    if isinstance(exc, ClassValidationError | IterableValidationError):
        out: list[FieldError] = []
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            where = f".{note.name}" if hasattr(note, "name") else f"[{note.index}]"
            if isinstance(sub, KeyError):  # cattrs reads o[name]: a required key is missing
                out.append(
                    FieldError(
                        path + where, f"{_describe_required(note.type)} (required)", "nothing"
                    )
                )
            else:
                out.extend(_field_errors(sub, path + where))
        for sub in without:
            out.extend(_field_errors(sub, path))
        return out
    if isinstance(exc, KeyError):
        return [FieldError(path, "a value (required)", "nothing")]
    if isinstance(exc, TypeError) and "__init__() missing" in str(exc):
        return [FieldError(path, "every required field", "some missing")]
    return [FieldError(path, "a valid value", type(exc).__name__)]


def _public_path(path: str) -> str:
    return path.removeprefix(".")


def _errors_of(exc: BaseException) -> list[FieldError]:
    return [FieldError(_public_path(e.path), e.expected, e.got) for e in _field_errors(exc, "")]


# --- building the converters --------------------------------------------------------------


def _build(mode: _Mode) -> JsonConverter:
    converter = make_converter(detailed_validation=True, forbid_extra_keys=False)
    hooks = _Hooks(converter, mode)
    for cls, structure in (
        (str, _structure_str),
        (int, _structure_int),
        (float, _structure_float),
        (bool, _structure_bool),
        (Secret, _structure_secret),
    ):
        converter.register_structure_hook(cls, structure)
    converter.register_unstructure_hook(Secret, _unstructure_secret)
    converter.register_structure_hook_factory(_is_literal, hooks.literal)
    converter.register_structure_hook_factory(_is_list, hooks.list_of)
    converter.register_structure_hook_factory(_is_dict, hooks.dict_of)
    converter.register_structure_hook_factory(_is_union, hooks.union)
    converter.register_unstructure_hook_factory(_is_union, hooks.union_unstructure)
    converter.register_unstructure_hook_factory(_is_list, hooks.list_unstructure)
    converter.register_unstructure_hook_factory(_is_dict, hooks.dict_unstructure)
    converter.register_structure_hook_factory(lambda t: t in _MODELS, hooks.model)
    converter.register_unstructure_hook_factory(lambda t: t in _MODELS, hooks.model_unstructure)
    converter.register_structure_hook(
        models.UnknownVariant, lambda value, _: models.UnknownVariant(data=value)
    )
    converter.register_unstructure_hook(models.UnknownVariant, lambda obj: obj.data)
    return converter


converter: Final = _build(_Mode.LENIENT)
"""Structures and unstructures every model, losslessly; the reader of responses."""

_request: Final = _build(_Mode.REQUEST)


@cache
def _request_strict() -> JsonConverter:
    # Built on first use: most programs never ask for strict keys.
    return _build(_Mode.REQUEST_STRICT)


def prebuild() -> None:
    """Build the hooks of the three endpoints' models now, so the first call does not pay."""
    for request, response in models.OPERATIONS.values():
        _request.get_structure_hook(request)
        converter.get_unstructure_hook(request)
        converter.get_structure_hook(response)
        converter.get_unstructure_hook(response)


# --- the API ------------------------------------------------------------------------------


def _name(cls: object) -> str | None:
    return getattr(cls, "__name__", None)  # a union alias has none


# Built once: json.dumps with any non-default option builds a new encoder on every call.
_ENCODER: Final = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)


# For request bodies, the C encoder behind it, also built once (JSONEncoder.encode makes a
# new one per call). It has no circular-reference check: a cycle ends in RecursionError,
# which dumps_request reports at its path like any other value JSON cannot encode.
def _request_encoder() -> Callable[[object, int], Sequence[str]] | None:
    if c_make_encoder is None:  # pragma: no cover - a Python without the _json module
        return None
    markers = indent = None  # no cycle check, one line
    sort_keys = skip_keys = allow_nan = False
    encoder: Callable[[object, int], Sequence[str]] = c_make_encoder(
        markers,
        _ENCODER.default,
        encode_basestring,
        indent,
        ":",
        ",",
        sort_keys,
        skip_keys,
        allow_nan,
    )
    return encoder


_REQUEST_ENCODER: Final = _request_encoder()


def _encode(payload: object) -> bytes:
    return _ENCODER.encode(payload).encode()


def _encode_request(payload: object) -> bytes:
    if _REQUEST_ENCODER is None:  # pragma: no cover - a Python without the _json module
        return _encode(payload)
    return "".join(_REQUEST_ENCODER(payload, 0)).encode()


def structure_request(data: Any, cls: type[T], *, strict: bool = False) -> T:  # noqa: ANN401 - any decoded JSON
    """Check a request in its wire shape against `cls` and build the model.

    Args:
        data: the JSON-shaped request (dicts, lists, strings, numbers).
        cls: the model it must fit.
        strict: reject keys the SDK does not know instead of keeping them in ``extra_fields``.

    Returns:
        The model instance.

    Raises:
        RequestValidationError: listing every field that does not fit, with its path.
    """
    target = _request_strict() if strict else _request
    try:
        return target.structure(data, cls)
    except Exception as exc:
        raise RequestValidationError(_errors_of(exc), model=_name(cls)) from exc


def dumps_request(
    request: Model | Mapping[str, Any], cls: type[Model], *, strict: bool = False
) -> bytes:
    """Validate a request and encode it as compact JSON.

    Args:
        request: a model instance of `cls`, or a plain dict in the wire shape. Keys of a
            dict that this SDK does not know are sent unchanged (a field newer than the SDK).
        cls: the request model the body must fit.
        strict: reject unknown dict keys instead of passing them through, with a
            did-you-mean suggestion.

    Returns:
        The UTF-8 JSON body.

    Raises:
        RequestValidationError: listing every field that does not fit, with its path.
    """
    if type(request) is dict:  # the common case, ahead of the ABC check below
        payload: Any = request
    elif isinstance(request, cls):
        try:
            payload = converter.unstructure(request)
        except (AttributeError, TypeError, ValueError, KeyError):
            # attrs does not check types, so a field may hold a value of the wrong kind
            # (``expires_after="x"``); read the model field by field instead, and let the
            # check below name that field.
            payload = _fields_as_wire(request)
    elif isinstance(request, Mapping):
        payload = dict(request)
    else:
        error = FieldError("", f"a {cls.__name__} or a dict", kind_of(request))
        raise RequestValidationError([error], model=cls.__name__)
    structure_request(payload, cls, strict=strict)
    try:
        return _encode_request(payload)
    except (TypeError, ValueError, RecursionError) as exc:
        # Only pass-through values can get here (a set, a NaN under an unknown key, nesting
        # deeper than the encoder's stack); say where.
        error = _unencodable(payload)
        raise RequestValidationError([error], model=cls.__name__) from exc


def _fields_as_wire(value: object) -> object:
    """A model's fields as plain JSON-shaped data, without trusting their types."""
    if isinstance(value, models.UnknownVariant):
        return dict(value.data)
    if attrs.has(type(value)):
        out: dict[str, object] = {}
        fields: tuple[attrs.Attribute[Any], ...] = attrs.fields(type(value))  # type: ignore[arg-type]  # attrs.has() narrowed it
        for a in fields:
            item = getattr(value, a.name)
            if a.name == _EXTRA:
                out.update(item if isinstance(item, Mapping) else {})
            elif item is not UNSET:
                out[a.name] = _fields_as_wire(item)
        return out
    if isinstance(value, Secret):
        return value.reveal()
    if isinstance(value, list | tuple):
        return [_fields_as_wire(item) for item in value]
    if isinstance(value, dict):
        return {key: _fields_as_wire(item) for key, item in value.items()}
    return value


# Deeper than this, pass-through JSON is refused before the encoder runs out of stack.
_MAX_DEPTH: Final = 200


def _is_unicode(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _walk(path: str, value: object) -> Iterator[tuple[str, object, int]]:
    """Each value at or below `value`, in order, with its path (``.key``, ``[i]``) and depth.

    Uses its own stack, not recursion, and goes no deeper than `_MAX_DEPTH` + 1.
    """
    stack: list[tuple[str, object, int]] = [(path, value, 0)]
    while stack:
        where, item, depth = stack.pop()
        yield where, item, depth
        if depth > _MAX_DEPTH:
            continue
        if isinstance(item, dict):
            stack.extend((f"{where}.{k}", v, depth + 1) for k, v in reversed(list(item.items())))
        elif isinstance(item, list | tuple):
            stack.extend(
                (f"{where}[{i}]", v, depth + 1) for i, v in reversed(list(enumerate(item)))
            )


def _unencodable(payload: object) -> FieldError:
    """Where a payload holds the first value JSON cannot encode."""
    for path, value, depth in _walk("", payload):
        error = _misfit(_public_path(path), value, depth)
        if error is not None:
            return error
    return FieldError("", "JSON values only", "a value JSON cannot encode")


def _misfit(path: str, value: object, depth: int) -> FieldError | None:  # noqa: PLR0911 - one return per kind
    if depth > _MAX_DEPTH:
        return FieldError(path, f"JSON nested at most {_MAX_DEPTH} deep", "deeper nesting")
    if isinstance(value, float) and not math.isfinite(value):
        return FieldError(path, "a finite number", "NaN or infinity")
    if isinstance(value, str):
        return (
            None
            if _is_unicode(value)
            else FieldError(path, "text UTF-8 can encode", "a lone surrogate")
        )
    if isinstance(value, dict):
        for key in value:
            if type(key) is not str:  # refused before encoding too (see `_passed_through`)
                return _non_string_key_error(path, key)
            if not _is_unicode(key):
                # The key itself is not shown: it could not be printed either.
                return FieldError(path, "keys UTF-8 can encode", "a lone surrogate")
        return None
    if isinstance(value, list | tuple | int | float | bool | None):
        return None
    return FieldError(path, "JSON values only", kind_of(value))


# The decoder's scanner, called directly: JSONDecoder.decode wraps it in two Python calls
# and two regular-expression matches for the surrounding whitespace.
# (An attribute JSONDecoder sets on itself; the type stubs do not list it.)
_SCAN: Final[Callable[[str, int], tuple[Any, int]]] = vars(json.JSONDecoder())["scan_once"]
_JSON_WHITESPACE: Final = " \t\n\r"


def _parse(data: bytes) -> Any:  # noqa: ANN401 - any JSON
    # json.loads(bytes) first sniffs the encoding in Python. An object whose second byte is
    # not NUL is UTF-8 by the same rules, so that case skips the sniffing; anything else
    # (a BOM, UTF-16/32, not an object, trailing text) goes through json.loads unchanged,
    # which also raises its usual errors.
    if data[:1] == b"{" and data[1:2] != b"\x00":
        text = data.decode("utf-8", "surrogatepass")
        try:
            value, end = _SCAN(text, 0)
        except StopIteration:  # the scanner's word for "not JSON"; json.loads explains
            return json.loads(data)
        if end == len(text) or not text[end:].strip(_JSON_WHITESPACE):
            return value
    return json.loads(data)


def loads_response(data: bytes, cls: type[T]) -> T:
    """Decode a response body into its model, keeping whatever this SDK does not know.

    Args:
        data: the raw body.
        cls: the response model.

    Returns:
        The structured model.

    Raises:
        ResponseDecodeError: the body is not JSON or does not fit `cls`.
    """
    try:
        payload = _parse(data)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        # RecursionError: JSON nested deeper than the decoder's stack (a hostile body).
        error = FieldError("", "a JSON document", "text that is not JSON")
        raise ResponseDecodeError([error], model=_name(cls)) from exc
    return from_dict(payload, cls)


def from_dict(data: Any, cls: type[T]) -> T:  # noqa: ANN401 - any decoded JSON
    """Structure decoded JSON into a model, leniently and losslessly (as responses are read).

    Raises:
        ResponseDecodeError: the data does not fit `cls`.
    """
    try:
        return converter.structure(data, cls)
    except Exception as exc:
        raise ResponseDecodeError(_errors_of(exc), model=_name(cls)) from exc


def from_json(data: bytes | str, cls: type[T]) -> T:
    """Parse JSON text and structure it into a model; see `from_dict`.

    Raises:
        ResponseDecodeError: the text is not JSON or does not fit `cls`.
    """
    return loads_response(data.encode() if isinstance(data, str) else data, cls)


def to_dict(obj: Any) -> Any:  # noqa: ANN401 - any model
    """The wire form of a model: UNSET fields left out, None as null, unknown keys kept."""
    return converter.unstructure(obj)


def to_json(obj: Any) -> bytes:  # noqa: ANN401 - any model
    """The compact JSON encoding of `to_dict(obj)`."""
    return _encode(converter.unstructure(obj))


__all__ = [
    "ResponseDecodeError",
    "converter",
    "dumps_request",
    "from_dict",
    "from_json",
    "loads_response",
    "prebuild",
    "structure_request",
    "to_dict",
    "to_json",
]
