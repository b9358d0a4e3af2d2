"""Every JSON rule of the SDK, stated as cattrs hooks, and the dumps/loads built on them.

Two sets of rules, one per direction of trust:

- **Requests** (what a program builds): the hooks only shape JSON into the arguments of
  the model classes, passing primitives and literals through unchanged (no coercion,
  ever); the models check their own fields when they are built (`_validators`), so a bad
  field is reported once, by the model, with its path.
- **Answers** (the server's word): the lenient converter's hooks check each value's JSON
  kind themselves and accept null for any property, new enum values and new union tags
  (kept as `UnknownVariant`); the models they build skip their own checks
  (`READING_RESPONSE`), which bind requests only.

Shared by both:

- ``X | Unset`` is X (a key that is absent is never structured);
- tagged unions pick their member from the table generated next to the models
  (`models.TAGGED_UNIONS`), unions of different JSON kinds from `models.MIXED_UNIONS`;
- model hooks are cattrs' own (`make_dict_structure_fn` / `make_dict_unstructure_fn`), with
  one small wrapper that keeps unknown keys in ``extra_fields`` and writes them back;
- unstructuring leaves out exactly the fields whose default is `UNSET`: tags and nulls are
  always written.

Three converters share these rules and differ in policy. The public `converter` reads
answers (and any JSON) leniently and losslessly. The request converter is strict about
what it knows (known tags only, closed enums, ranges) and keeps unknown keys, which are
sent as given; the strict-keys request converter refuses those too, suggesting the close
name.

Error messages name the path and the expectation, never the value.
"""

import difflib
from collections.abc import Callable, Iterator, Mapping, Sequence
from enum import Enum
from functools import cache
from typing import Any, Final, Literal, TypeVar, get_args, get_origin

import attrs
from cattrs.errors import ClassValidationError, IterableValidationError
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.json import JsonConverter, configure_converter, make_converter

from realtime_sdk import _json, models
from realtime_sdk._empty import EMPTY
from realtime_sdk._kinds import describe, describe_required, is_union, kind_of, union_members
from realtime_sdk._secret import Secret
from realtime_sdk._unknown import UnknownVariant
from realtime_sdk._unset import UNSET
from realtime_sdk._validators import MAX_DEPTH, READING_RESPONSE, json_misfit
from realtime_sdk.errors import FieldError, RequestValidationError, ResponseDecodeError

T = TypeVar("T")
Model = Any  # any generated attrs class; kept loose so dumps_request accepts each of them
Structure = Callable[[Any, Any], Any]

_EXTRA: Final = "extra_fields"
_AN_OBJECT: Final = "an object"
_NONE: Final = type(None)


class _Invalid(ValueError):  # noqa: N818 - an internal carrier; the public API wraps it
    """Raised by the hooks: field errors with paths relative to the value being structured."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors))


def _mismatch(expected: str, value: object) -> _Invalid:
    return _Invalid([FieldError("", expected, kind_of(value))])


class _Mode(Enum):
    LENIENT = "lenient"  # responses and models read back: keep whatever is new
    REQUEST = "request"  # strict on what we know; unknown keys pass through
    REQUEST_STRICT = "request-strict"  # ... and unknown keys are refused


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
    raise _mismatch(_STRING_OR_NULL, value)


def _read_integer(value: object, _: object) -> object:
    # An integral float (600.0) is an integer in JSON Schema 2020-12; kept as written.
    if type(value) is int or value is None or (type(value) is float and value.is_integer()):
        return value
    raise _mismatch(_INTEGER_OR_NULL, value)


def _read_number(value: object, _: object) -> object:
    if type(value) is float or type(value) is int or value is None:
        return value
    raise _mismatch(_NUMBER_OR_NULL, value)


def _read_boolean(value: object, _: object) -> object:
    if type(value) is bool or value is None:
        return value
    raise _mismatch(_BOOLEAN_OR_NULL, value)


def _read_secret(value: object, _: object) -> object:
    if type(value) is str:
        return Secret(value)
    if type(value) is Secret or value is None:
        return value
    raise _mismatch(_STRING_OR_NULL, value)


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


def _union_key(t: object) -> frozenset[Any]:
    return frozenset(union_members(t))


_TAGGED: Final = {_union_key(k): v for k, v in models.TAGGED_UNIONS.items()}
# The member an object without a tag is, where the spec lets exactly one member leave it out.
_UNTAGGED: Final = {_union_key(k): v for k, v in models.UNTAGGED_MEMBERS.items()}
_MIXED: Final = {_union_key(k): v for k, v in models.MIXED_UNIONS.items()}
_MODELS: Final = frozenset(models.REQUEST_MODELS | models.RESPONSE_MODELS)
# The Python class json.loads gives each JSON kind named in MIXED_UNIONS.
_KIND_CLASSES: Final[Mapping[str, tuple[type, ...]]] = {
    "str": (str,),
    "int": (int, float),  # an integral float is an integer
    "number": (float, int),
    "bool": (bool,),
    "array": (list,),
    "object": (dict,),
}


class _Rules:
    """The hook factories of one converter; `mode` decides the policy."""

    def __init__(self, converter: JsonConverter, mode: _Mode) -> None:
        self.c = converter
        self.mode = mode
        self.lenient = mode is _Mode.LENIENT
        # The unstructure hooks that write None as null themselves: `X | None` needs no wrapper.
        self.writes_null: set[Callable[[Any], Any]] = set()

    # --- structuring ---------------------------------------------------------------------

    def misfit(self, expected: str) -> Callable[[object], object]:
        """What a hook does with a value of the wrong JSON kind.

        A request's value goes on to the model, whose check names the field; an answer's
        is refused here (null aside: an answer may carry it for any property).
        """
        if not self.lenient:
            return identity  # cattrs' own pass-through
        expected_or_null = f"{expected} or null"

        def refuse(value: object) -> object:
            if value is None:
                return None
            raise _mismatch(expected_or_null, value)

        return refuse

    def literal(self, t: Any) -> Structure:  # noqa: ANN401 - a Literal form
        if not self.lenient:
            return _as_is  # the model's check says which values are allowed
        # An answer may carry an enum value newer than this SDK: its JSON kind is enough.
        values = get_args(t)
        kinds = frozenset(type(v) for v in values)
        if int in kinds:
            kinds |= {float}  # 24000.0 is the integer 24000
        refuse = self.misfit(describe(values[0].__class__))

        def structure(value: object, _: object) -> object:
            return value if value.__class__ in kinds else refuse(value)

        return structure

    def list_of(self, t: Any) -> Structure:  # noqa: ANN401 - a list form
        (item_type,) = get_args(t)
        item = self.c.get_structure_hook(item_type)

        misfit = self.misfit("an array")

        def structure(value: object, _: object) -> object:
            if type(value) is not list:
                return misfit(value)
            if item is _as_is:
                return list(value)  # a copy: the caller's list stays the caller's
            try:
                return [item(x, item_type) for x in value]
            except Exception:  # noqa: BLE001 - redone item by item to report every index
                return _each_item(value, item, item_type)

        return structure

    def dict_of(self, t: Any) -> Structure:  # noqa: ANN401 - a dict form
        _, value_type = get_args(t)
        item = self.c.get_structure_hook(value_type)

        misfit = self.misfit(_AN_OBJECT)

        def structure(value: object, _: object) -> object:
            if type(value) is not dict:
                return misfit(value)
            if item is _as_is:
                return dict(value)
            try:
                return {key: item(x, value_type) for key, x in value.items()}
            except Exception:  # noqa: BLE001 - redone value by value to report every key
                return _each_value(value, item, value_type)

        return structure

    def union(self, t: Any) -> Structure:  # noqa: ANN401 - a union form
        members = union_members(t)
        inner = self._union_members(members, t)
        if _NONE not in get_args(t) or inner is _as_is or self.lenient:
            return inner  # (a reading hook lets null by itself)

        def structure(value: object, _: object) -> object:
            return None if value is None else inner(value, None)

        return structure

    def _union_members(self, members: list[Any], t: object) -> Structure:
        if len(members) == 1:
            return self.c.get_structure_hook(members[0])
        key = frozenset(members)
        if key in _TAGGED:
            tag, table = _TAGGED[key]
            return self.tagged(tag, table, _UNTAGGED.get(key))
        if key in _MIXED:
            return self.mixed(_MIXED[key], t)
        if str in members and all(m is str or _is_literal(m) for m in members):
            return self.c.get_structure_hook(str)  # an open enum: any string
        msg = f"no rule for the union {t!r}: add it to the generator's tables"
        raise TypeError(msg)

    def tagged(
        self, tag: str, table: Mapping[str, type[Any]], untagged: type[Any] | None
    ) -> Structure:
        hooks = {value: (self.c.get_structure_hook(cls), cls) for value, cls in table.items()}
        default = (self.c.get_structure_hook(untagged), untagged) if untagged else None
        known = ", ".join(f'"{value}"' for value in table)
        lenient = self.lenient
        misfit = self.misfit(_AN_OBJECT)

        def structure(value: object, _: object) -> object:
            if type(value) is not dict:
                return misfit(value)
            found = value.get(tag)
            entry = hooks.get(found) if type(found) is str else None
            if entry is not None:
                return entry[0](value, entry[1])
            if default is not None and tag not in value:
                return default[0](value, default[1])
            if lenient:
                return UnknownVariant(data=value)
            got = "no tag" if tag not in value else f"an unknown {kind_of(found)}"
            raise _Invalid([FieldError(f".{tag}", f"one of {known}", got)])

        return structure

    def mixed(self, table: Mapping[str, object], t: object) -> Structure:
        by_class: dict[type, tuple[Structure, object]] = {}
        for kind, member in table.items():
            for cls in _KIND_CLASSES[kind]:
                by_class.setdefault(cls, (self.c.get_structure_hook(member), member))
        misfit = self.misfit(describe_required(t))

        def structure(value: object, _: object) -> object:
            entry = by_class.get(type(value))
            return misfit(value) if entry is None else entry[0](value, entry[1])

        return structure

    def model(self, cls: type[Any]) -> Structure:
        base = make_dict_structure_fn(cls, self.c, extra_fields=override(struct_hook=_as_is))
        names = tuple(a.name for a in attrs.fields(cls) if a.name != _EXTRA)
        known = frozenset(names)
        refuse = self.mode is _Mode.REQUEST_STRICT or (
            cls in models.CLOSED_MODELS and not self.lenient
        )

        # cattrs fills in a defaulted field whose key is absent; a constant (a tag, `object`)
        # is required by the schema all the same, and filling it in would make the model
        # differ from the JSON it was read from.
        constants = {
            a.name: describe_required(a.type)
            for a in attrs.fields(cls)
            if a.default is not UNSET and a.default is not attrs.NOTHING and a.name != _EXTRA
        }
        required = frozenset(constants)
        # One `in` for the common case of one constant (a tag): cheaper than a set method.
        single = next(iter(required)) if len(required) == 1 else None
        several = len(required) > 1
        lenient = self.lenient

        def structure(value: object, _: object) -> object:
            if type(value) is not dict:
                if value is None and lenient:
                    return None  # an answer may carry null for any property
                raise _mismatch(_AN_OBJECT, value)
            if (single is not None and single not in value) or (
                several and not required.issubset(value)
            ):
                missing = [
                    FieldError(f".{name}", f"{expected} (required)", "nothing")
                    for name, expected in constants.items()
                    if name not in value
                ]
                raise _Invalid(_with_other_errors(lambda: base(value, cls), missing))
            if known.issuperset(value):
                return base(value, cls)
            extra = {k: v for k, v in value.items() if k not in known}
            if refuse:
                raise _Invalid(_with_other_errors(lambda: base(value, cls), _unknown(extra, names)))
            if not lenient:
                # Sent as given, so they must encode as given; reported with the other errors.
                misfit = json_misfit(extra)
                if misfit is not None:
                    raise _Invalid(_with_other_errors(lambda: base(value, cls), [misfit]))
            return base({**value, _EXTRA: extra}, cls)

        return structure

    # --- unstructuring -------------------------------------------------------------------

    def model_unstructure(self, cls: type[Any]) -> Callable[[Any], dict[str, Any] | None]:
        # Only UNSET defaults are left out: a tag or a null is always written.
        omitted: dict[str, Any] = {
            a.name: override(omit_if_default=True) for a in attrs.fields(cls) if a.default is UNSET
        }
        base = make_dict_unstructure_fn(cls, self.c, extra_fields=override(omit=True), **omitted)

        def unstructure(obj: Any) -> dict[str, Any] | None:  # noqa: ANN401 - a model
            if obj is None:
                return None  # a null read from an answer: written back as null
            out = base(obj)
            extra = obj.extra_fields
            if extra is not EMPTY and extra:
                out.update(extra)
            return out

        self.writes_null.add(unstructure)
        return unstructure

    def list_unstructure(self, t: Any) -> Callable[[Any], Any]:  # noqa: ANN401 - a list form
        (item_type,) = get_args(t)
        item = self.c.get_unstructure_hook(item_type)

        def unstructure(value: Any) -> Any:  # noqa: ANN401 - a list (or null)
            if value is None:
                return None
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

        def unstructure(value: Any) -> Any:  # noqa: ANN401 - a map (or null)
            if value is None:
                return None
            if item is identity:
                return dict(value)  # JSON values already: a shallow copy
            return {key: item(x) for key, x in value.items()}

        self.writes_null.add(unstructure)
        return unstructure


def _each_item(value: list[Any], item: Structure, item_type: object) -> list[Any]:
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


def _each_value(value: dict[Any, Any], item: Structure, item_type: object) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    errors: list[FieldError] = []
    for key, raw in value.items():
        try:
            out[key] = item(raw, item_type)
        except Exception as exc:  # noqa: BLE001 - collected, reported together
            errors.extend(_field_errors(exc, f".{key}"))
    if errors:
        raise _Invalid(errors)
    return out


def _unknown(extra: Mapping[str, object], names: Sequence[str]) -> list[FieldError]:
    errors = []
    for key in extra:
        close = difflib.get_close_matches(key, names, n=1) if type(key) is str else []
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        errors.append(FieldError(f".{key}", f"a known field{hint}", "an unknown key"))
    return errors


def _with_other_errors(build: Callable[[], object], errors: list[FieldError]) -> list[FieldError]:
    """`errors`, after the errors that building the object from its known keys reports."""
    try:
        build()
    except Exception as exc:  # noqa: BLE001 - reported along with `errors`
        return _field_errors(exc, "") + errors
    return errors


# --- error translation ----------------------------------------------------------------------


def _field_errors(exc: BaseException, path: str) -> list[FieldError]:
    """Flatten cattrs' exception groups and our own carriers into FieldErrors with full paths."""
    if isinstance(exc, _Invalid):
        return [FieldError(path + e.path, e.expected, e.got) for e in exc.errors]
    if isinstance(exc, RequestValidationError):  # a model's validator: the path starts at a field
        return [
            FieldError(f"{path}.{e.path}" if e.path else path, e.expected, e.got)
            for e in exc.errors
        ]
    if isinstance(exc, ClassValidationError | IterableValidationError):
        out: list[FieldError] = []
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            where = f".{note.name}" if hasattr(note, "name") else f"[{note.index}]"
            if isinstance(sub, KeyError):  # cattrs reads o[name]: a required key is missing
                out.append(
                    FieldError(
                        path + where, f"{describe_required(note.type)} (required)", "nothing"
                    )
                )
            else:
                out.extend(_field_errors(sub, path + where))
        for sub in without:
            out.extend(_field_errors(sub, path))
        return out
    if isinstance(exc, KeyError):
        return [FieldError(path, "a value (required)", "nothing")]
    return [FieldError(path, "a valid value", type(exc).__name__)]


def _errors_of(exc: BaseException) -> list[FieldError]:
    return [FieldError(e.path.removeprefix("."), e.expected, e.got) for e in _field_errors(exc, "")]


# --- building the converters ----------------------------------------------------------------


def _unstructure_secret(value: Secret) -> str:
    return value.reveal()


class _ReadingConverter(JsonConverter):
    """The lenient converter: the models it builds leave the checking to its hooks."""

    def structure(self, obj: Any, cl: type[T]) -> T:  # noqa: ANN401 - any decoded JSON
        """Structure `obj` into `cl` with the rules of answers (see `READING_RESPONSE`)."""
        token = READING_RESPONSE.set(True)
        try:
            return super().structure(obj, cl)
        finally:
            READING_RESPONSE.reset(token)


def _build(mode: _Mode, *, detailed: bool = True) -> JsonConverter:
    # `detailed`: cattrs' error-collecting hooks, which say where each error is. The fast
    # twins skip that bookkeeping (and compile in about two thirds of the time); a value
    # they refuse is structured again by a detailed converter to report every error.
    options: dict[str, Any] = {"detailed_validation": detailed, "forbid_extra_keys": False}
    if mode is _Mode.LENIENT:
        converter: JsonConverter = _ReadingConverter(**options)
        configure_converter(converter)
    else:
        converter = make_converter(**options)
    rules = _Rules(converter, mode)
    converter.register_structure_hook(Any, _as_is)
    for cls in (str, int, float, bool, Secret):
        converter.register_structure_hook(cls, _READERS[cls] if rules.lenient else _as_is)
    converter.register_structure_hook_factory(_is_literal, rules.literal)
    converter.register_structure_hook_factory(_is_list, rules.list_of)
    converter.register_structure_hook_factory(_is_dict, rules.dict_of)
    converter.register_structure_hook_factory(is_union, rules.union)
    converter.register_structure_hook_factory(lambda t: t in _MODELS, rules.model)
    converter.register_structure_hook(UnknownVariant, lambda value, _: UnknownVariant(data=value))
    converter.register_unstructure_hook(Secret, _unstructure_secret)
    converter.register_unstructure_hook(UnknownVariant, lambda obj: dict(obj.data))
    converter.register_unstructure_hook_factory(is_union, rules.union_unstructure)
    converter.register_unstructure_hook_factory(_is_dict, rules.dict_unstructure)
    converter.register_unstructure_hook_factory(_is_list, rules.list_unstructure)
    converter.register_unstructure_hook_factory(lambda t: t in _MODELS, rules.model_unstructure)
    return converter


converter: Final = _build(_Mode.LENIENT)
"""Structures and unstructures every model, losslessly; the reader of responses."""

# The fast twins of the lenient and the request converter; each error they raise is
# reported by structuring the value again with a detailed one.
_reader: Final = _build(_Mode.LENIENT, detailed=False)
_request: Final = _build(_Mode.REQUEST, detailed=False)


@cache
def _detailed(mode: _Mode) -> JsonConverter:
    # Built on first use: a program that sends only valid requests never needs it, and
    # most never ask for strict keys.
    return converter if mode is _Mode.LENIENT else _build(mode)


def _structure(fast: JsonConverter, mode: _Mode, data: Any, cls: type[T]) -> T:  # noqa: ANN401 - any decoded JSON
    """Structure with `fast`; on failure, raise what the detailed converter reports."""
    try:
        return fast.structure(data, cls)
    except Exception as exc:  # noqa: BLE001 - any failure is explained by the detailed run
        failure: Exception = exc
    try:
        _detailed(mode).structure(data, cls)
    except Exception as exc:  # noqa: BLE001 - translated by the caller
        failure = exc
    raise failure


# --- the API --------------------------------------------------------------------------------


def _name(cls: object) -> str | None:
    return getattr(cls, "__name__", None)  # a union alias has none


def structure_request(data: Any, cls: type[T], *, strict: bool = False) -> T:  # noqa: ANN401 - any decoded JSON
    """Check a request in its wire shape against `cls` and build the model.

    Args:
        data: the JSON-shaped request (dicts, lists, strings, numbers).
        cls: the model it must fit.
        strict: refuse keys the SDK does not know instead of keeping them in ``extra_fields``.

    Returns:
        The model instance.

    Raises:
        RequestValidationError: naming the fields that do not fit, with their paths.
    """
    try:
        if strict:
            return _detailed(_Mode.REQUEST_STRICT).structure(data, cls)
        return _structure(_request, _Mode.REQUEST, data, cls)
    except Exception as exc:
        raise RequestValidationError(_errors_of(exc), model=_name(cls)) from exc


def dumps_request(
    request: Model | Mapping[str, Any], cls: type[Model], *, strict: bool = False
) -> bytes:
    """Validate a request once and encode it as compact JSON.

    A dict is checked against `cls` and its own encoding is sent, unknown keys included (a
    field newer than the SDK). A model was checked when it was built, so it is only
    encoded (``strict`` checks its unknown keys as well).

    Args:
        request: a model instance of `cls`, or a plain dict in the wire shape.
        cls: the request model the body must fit.
        strict: refuse keys the SDK does not know, with a did-you-mean suggestion.

    Returns:
        The UTF-8 JSON body.

    Raises:
        RequestValidationError: naming the fields that do not fit, with their paths.
    """
    return encode_payload(request_payload(request, cls, strict=strict), cls)


def request_payload(
    request: Model | Mapping[str, Any], cls: type[Model], *, strict: bool = False
) -> Any:  # noqa: ANN401 - the JSON value of any request
    """Validate a request once (as `dumps_request` does) and return it as a JSON-ready value.

    For bodies that are not one JSON document (a multipart form of JSON parts), whose
    parts are then encoded with `encode_payload`.

    Raises:
        RequestValidationError: naming the fields that do not fit, with their paths.
    """
    if isinstance(request, cls):
        payload: Any = converter.unstructure(request)
        if strict:
            structure_request(payload, cls, strict=True)
    elif isinstance(request, Mapping):
        payload = request if type(request) is dict else dict(request)
        structure_request(payload, cls, strict=strict)
    else:
        error = FieldError("", f"a {cls.__name__} or a dict", kind_of(request))
        raise RequestValidationError([error], model=cls.__name__)
    return payload


def encode_payload(payload: object, cls: type[Any]) -> bytes:
    """Encode a checked payload as compact JSON; `cls` names the model in an error.

    Raises:
        RequestValidationError: a checked value that still does not encode.
    """
    try:
        return _json.dumps(payload)
    except (TypeError, ValueError, RecursionError) as exc:
        # Checked values that still do not encode: a lone surrogate in a string, or a list
        # changed after its model was built. Say where.
        raise RequestValidationError([_unencodable(payload)], model=cls.__name__) from exc


def _walk(value: object) -> Iterator[tuple[str, object]]:
    """Each value at or below `value`, with its path, at most `MAX_DEPTH` deep."""
    stack: list[tuple[str, object, int]] = [("", value, 0)]
    while stack:
        where, item, depth = stack.pop()
        yield where, item
        if depth >= MAX_DEPTH:
            continue
        if isinstance(item, dict):
            stack.extend((f"{where}.{k}", v, depth + 1) for k, v in item.items())
        elif isinstance(item, list | tuple):
            stack.extend((f"{where}[{i}]", v, depth + 1) for i, v in enumerate(item))


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return True
    return False


def _unencodable(payload: object) -> FieldError:
    """Where a payload holds the first value JSON cannot encode."""
    error = json_misfit(payload)
    if error is not None:
        return FieldError(error.path.removeprefix("."), error.expected, error.got)
    for path, value in _walk(payload):
        texts = (
            [value] if isinstance(value, str) else list(value) if isinstance(value, dict) else []
        )
        if any(_has_lone_surrogate(t) for t in texts if isinstance(t, str)):
            return FieldError(path.removeprefix("."), "text UTF-8 can encode", "a lone surrogate")
    return FieldError("", "JSON values only", "a value JSON cannot encode")


def loads_response(data: bytes, cls: type[T]) -> T:
    """Decode a response body into its model, keeping whatever this SDK does not know.

    Raises:
        ResponseDecodeError: the body is not JSON or does not fit `cls`.
    """
    try:
        payload = _json.loads(data)
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
        return _structure(_reader, _Mode.LENIENT, data, cls)
    except Exception as exc:
        raise ResponseDecodeError(_errors_of(exc), model=_name(cls)) from exc


def from_json(data: bytes | str, cls: type[T]) -> T:
    """Parse JSON text and structure it into a model; see `from_dict`.

    Raises:
        ResponseDecodeError: the text is not JSON or does not fit `cls`.
        TypeError: `data` is neither bytes nor str (None, say).
    """
    given: object = data  # untyped callers pass anything
    if isinstance(given, str):
        return loads_response(given.encode("utf-8", "surrogatepass"), cls)
    if isinstance(given, bytes | bytearray | memoryview):
        return loads_response(bytes(given), cls)
    msg = f"from_json: expected the JSON text as bytes or str, got {type(given).__name__}"
    raise TypeError(msg)


def to_dict(obj: Any) -> Any:  # noqa: ANN401 - any model
    """The wire form of a model: UNSET fields left out, None as null, unknown keys kept."""
    return converter.unstructure(obj)


def to_json(obj: Any) -> bytes:  # noqa: ANN401 - any model
    """The compact JSON encoding of `to_dict(obj)`."""
    return _json.dumps(converter.unstructure(obj))


__all__ = [
    "ResponseDecodeError",
    "converter",
    "dumps_request",
    "encode_payload",
    "from_dict",
    "from_json",
    "loads_response",
    "request_payload",
    "structure_request",
    "to_dict",
    "to_json",
]
