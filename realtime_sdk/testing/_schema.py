"""A small JSON-Schema checker for the subset of keywords the vendored Realtime spec uses.

The fake API judges request bodies with this module and nothing from the SDK's models or
converter, so a converter bug cannot be hidden by the same bug on the server side. Each
schema is compiled once into nested closures; checking a body then costs one call per
node. The first problem found is reported, the way the real service answers with a single
error naming one parameter.

The schemas are the vendored spec's with the quirks table applied
(`realtime_sdk._spec.quirks`, shared with the code generator): the documented nulls, the
properties the service uses beyond the schema, and ``client_secret`` not required of a
request. An object inside a union may leave out a ``type`` tag the spec leaves optional
only where it is the one member that may: anywhere else, several members would fit it.

Keywords handled: ``type`` (``integer`` accepts ints and integral floats such as ``2.0``,
as JSON Schema 2020-12 does, never booleans),
``enum``, ``const``, ``properties``, ``required``, ``additionalProperties``, ``anyOf`` and
``oneOf`` (dispatched on the JSON kind, then on a ``type`` tag), ``nullable``, ``items``,
``minItems``, ``minimum``/``maximum``, ``pattern`` and ``$ref``. ``format``, ``default``,
``title`` and vendor extensions are annotations only.
"""

import json
import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Final

from realtime_sdk._spec import load_event_spec, load_spec, quirks

Checker = Callable[[object], None]

_REF_PREFIX: Final = "#/components/schemas/"

# What the messages call each JSON kind, with the article the sentence needs.
_KIND_WORDS: Final = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "integer": "an integer",
    "number": "a decimal",
    "boolean": "a boolean",
    "null": "null",
}


class SchemaViolation(Exception):  # noqa: N818 - a verdict about a body, not a program fault
    """One problem in a request body: where it is, what was wrong, and an error code.

    Attributes:
        path: Keys and list indexes from the body's root to the offending value.
        message: A sentence for the API's error body; it never repeats the value itself.
        code: The machine-readable error code (``invalid_type``, ``unknown_parameter``, ...).
    """

    def __init__(self, path: list[str | int], message: str, code: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.code = code

    @property
    def param(self) -> str | None:
        """The dotted parameter name the real service reports (``tools[0].name``)."""
        return format_param(self.path)


def format_param(path: list[str | int]) -> str | None:
    """Render a path the way OpenAI error bodies do: ``a.b[0].c``; None for the root."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or None


_KINDS: Final[dict[type, str]] = {
    type(None): "null",
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
}


def kind_of(value: object) -> str:
    """The JSON kind of a parsed value (booleans are not integers here)."""
    # json.loads builds exact built-in types, so a lookup by type is enough and fast.
    return _KINDS.get(type(value), type(value).__name__)


def _fail(message: str, code: str) -> SchemaViolation:
    # Paths are filled in on the way out of the nested checkers, so the happy path never
    # builds one.
    return SchemaViolation([], message, code)


def _quoted(path: list[str | int]) -> str:
    param = format_param(path)
    return f"'{param}'" if param else "the request body"


def finish(exc: SchemaViolation) -> SchemaViolation:
    """Fill the message placeholders once the full path is known."""
    exc.message = exc.message.replace("{param}", _quoted(exc.path))
    return exc


class SchemaCompiler:
    """Turns spec schemas into checkers, following `$ref`s into the component table.

    Args:
        components: The spec's ``components.schemas`` mapping.
        reject_unknown_fields: When true, an object schema that lists ``properties`` and
            says nothing about ``additionalProperties`` is closed, as the real service
            rejects keys it does not know; free-form objects (no ``properties``) stay open.
    """

    def __init__(self, components: Mapping[str, Any], *, reject_unknown_fields: bool) -> None:
        self._components = components
        self._reject_unknown = reject_unknown_fields
        self._by_name: dict[str, Checker] = {}

    def component(self, name: str) -> Checker:
        """The checker for one named component schema (compiled once)."""
        found = self._by_name.get(name)
        if found is None:
            found = self._compile(self._components[name])
            self._by_name[name] = found
        return found

    def _compile(self, schema: Mapping[str, Any]) -> Checker:
        ref = schema.get("$ref")
        if ref is not None:
            target = self.component(ref.removeprefix(_REF_PREFIX))
            return _nullable(target) if schema.get("nullable") else target
        checks: list[Checker] = []
        if "anyOf" in schema or "oneOf" in schema:
            checks.append(self._union(schema.get("anyOf") or schema["oneOf"]))
        kind = schema.get("type")
        if kind is not None:
            checks.append(_type_check(kind))
        if "const" in schema:
            checks.append(_enum_check([schema["const"]]))
        if "enum" in schema:
            checks.append(_enum_check(schema["enum"]))
        checks.extend(_bounds_checks(schema))
        if "pattern" in schema:
            checks.append(_pattern_check(schema["pattern"]))
        if kind == "array" or "items" in schema or "minItems" in schema:
            checks.append(self._array(schema))
        if kind == "object" or "properties" in schema:
            checks.append(self._object(schema))
        check = _chain(checks)
        return _nullable(check) if schema.get("nullable") else check

    def _array(self, schema: Mapping[str, Any]) -> Checker:
        items = schema.get("items")
        item_check = self._compile(items) if items is not None else None
        min_items = schema.get("minItems")

        def check(value: object) -> None:
            if not isinstance(value, list):
                return
            if min_items is not None and len(value) < min_items:
                msg = f"Invalid {{param}}: expected an array with at least {min_items} item(s)."
                raise _fail(msg, "empty_array" if min_items == 1 else "array_below_min_items")
            if item_check is not None:
                for index, item in enumerate(value):
                    try:
                        item_check(item)
                    except SchemaViolation as exc:
                        exc.path.insert(0, index)
                        raise

        return check

    def _object(self, schema: Mapping[str, Any]) -> Checker:
        props = {
            key: self._property(key, sub) for key, sub in (schema.get("properties") or {}).items()
        }
        required = tuple(schema.get("required") or ())
        extra = schema.get("additionalProperties")
        extra_check = self._compile(extra) if isinstance(extra, dict) else None
        closed = extra is False or (
            extra is None and self._reject_unknown and "properties" in schema
        )
        return _object_check(props, required, extra_check, closed=closed)

    def _property(self, key: str, schema: Mapping[str, Any]) -> Checker:
        del key  # nulls come from the schema itself, quirks included
        return self._compile(schema)

    def _union(self, members: list[Mapping[str, Any]]) -> Checker:
        branches = [
            (self._compile(member), self._kinds(member), self._tags(member)) for member in members
        ]
        all_kinds = set().union(*(kinds for _, kinds, _ in branches))
        expected = " or ".join(_KIND_WORDS.get(kind, kind) for kind in sorted(all_kinds))
        # Dispatch tables built once: the members that can take each JSON kind, and for
        # objects with several tagged members, the member for each tag.
        by_kind: dict[str, list[Checker]] = {}
        for kind in _KIND_WORDS:
            fits = [
                branch
                for branch, kinds, _ in branches
                if not kinds or kind in kinds or (kind == "integer" and "number" in kinds)
            ]
            if fits:
                by_kind[kind] = fits
        object_members = [
            (branch, tags) for branch, kinds, tags in branches if not kinds or "object" in kinds
        ]
        by_tag: dict[str, Checker] | None = None
        untagged: Checker | None = None
        if len(object_members) > 1 and all(tags for _, tags in object_members):
            by_tag = {tag: branch for branch, tags in object_members for tag in tags}
            optional = [
                branch
                for (branch, _, tags), member in zip(branches, members, strict=True)
                if tags and not self._requires_tag(member)
            ]
            untagged = optional[0] if len(optional) == 1 else None

        return _union_check(by_kind, by_tag, expected, untagged)

    def _requires_tag(self, schema: Mapping[str, Any]) -> bool:
        ref = schema.get("$ref")
        if ref is not None:
            return self._requires_tag(self._components[ref.removeprefix(_REF_PREFIX)])
        return "type" in (schema.get("required") or ())

    def _kinds(self, schema: Mapping[str, Any]) -> frozenset[str]:
        """JSON kinds a schema can accept; empty means any kind."""
        ref = schema.get("$ref")
        if ref is not None:
            return self._kinds(self._components[ref.removeprefix(_REF_PREFIX)])
        if "type" in schema:
            found = {schema["type"]}
        elif "anyOf" in schema or "oneOf" in schema:
            parts = [self._kinds(member) for member in schema.get("anyOf") or schema["oneOf"]]
            if any(not part for part in parts):
                return frozenset()
            found = set().union(*parts)
        elif "properties" in schema:
            found = {"object"}
        else:
            return frozenset()
        if schema.get("nullable"):
            found.add("null")
        return frozenset(found)

    def _tags(self, schema: Mapping[str, Any]) -> frozenset[str]:
        """The values a member's ``type`` property may take (its discriminator tags)."""
        ref = schema.get("$ref")
        if ref is not None:
            return self._tags(self._components[ref.removeprefix(_REF_PREFIX)])
        tag = (schema.get("properties") or {}).get("type") or {}
        if "const" in tag:
            return frozenset({tag["const"]})
        return frozenset(value for value in tag.get("enum") or () if isinstance(value, str))


def _union_check(
    by_kind: Mapping[str, list[Checker]],
    by_tag: Mapping[str, Checker] | None,
    expected: str,
    untagged: Checker | None,
) -> Checker:
    def check(value: object) -> None:
        kind = kind_of(value)
        fits = by_kind.get(kind)
        if fits is None and isinstance(value, float) and value.is_integer():
            fits = by_kind.get("integer")  # 2.0 is an integer in JSON Schema 2020-12
        if fits is None:
            got = _KIND_WORDS.get(kind, kind)
            msg = f"Invalid type for {{param}}: expected {expected}, but got {got} instead."
            raise _fail(msg, "invalid_type")
        if by_tag is not None and isinstance(value, dict):
            if untagged is not None and "type" not in value:
                untagged(value)
                return
            _tagged_member(value, by_tag)(value)
            return
        if len(fits) == 1:
            fits[0](value)
            return
        first: SchemaViolation | None = None
        for branch in fits:
            try:
                branch(value)
            except SchemaViolation as exc:
                first = first or exc
            else:
                return
        assert first is not None
        raise first

    return check


def _tagged_member(value: dict[Any, Any], by_tag: Mapping[str, Checker]) -> Checker:
    if "type" not in value:
        msg = "Missing required parameter: {param}."
        raise SchemaViolation(["type"], msg, "missing_required_parameter")
    tag = value["type"]
    member = by_tag.get(tag) if isinstance(tag, str) else None
    if member is None:
        supported = ", ".join(f"'{known}'" for known in sorted(by_tag))
        msg = f"Invalid value for {{param}}. Supported values are: {supported}."
        raise SchemaViolation(["type"], msg, "invalid_value")
    return member


def _object_check(
    props: Mapping[str, Checker],
    required: tuple[str, ...],
    extra_check: Checker | None,
    *,
    closed: bool,
) -> Checker:
    def check(value: object) -> None:
        if not isinstance(value, dict):
            return
        for key in required:
            if key not in value:
                msg = "Missing required parameter: {param}."
                raise SchemaViolation([key], msg, "missing_required_parameter")
        for key, item in value.items():
            sub_check = props.get(key)
            if sub_check is None:
                if closed:
                    msg = "Unknown parameter: {param}."
                    raise SchemaViolation([key], msg, "unknown_parameter")
                sub_check = extra_check
                if sub_check is None:
                    continue
            try:
                sub_check(item)
            except SchemaViolation as exc:
                exc.path.insert(0, key)
                raise

    return check


def _chain(checks: list[Checker]) -> Checker:
    if not checks:
        return _accept_anything
    if len(checks) == 1:
        return checks[0]

    def check(value: object) -> None:
        for one in checks:
            one(value)

    return check


def _accept_anything(value: object) -> None:
    del value


def _nullable(inner: Checker) -> Checker:
    def check(value: object) -> None:
        if value is not None:
            inner(value)

    return check


_ACCEPTED: Final[dict[str, tuple[type, ...]]] = {
    "integer": (int,),
    "number": (int, float),
    "string": (str,),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}


def _type_check(kind: str) -> Checker:
    accepted = _ACCEPTED.get(kind)
    if accepted is None:  # pragma: no cover - the spec uses only the kinds above
        msg = f"unsupported schema type {kind!r}"
        raise ValueError(msg)
    bool_ok = kind == "boolean"
    expected = _KIND_WORDS[kind]
    # JSON Schema 2020-12, which OpenAPI 3.1 uses: a number with no fraction (2.0) is an
    # integer too.
    integral = kind == "integer"

    def check(value: object) -> None:
        if isinstance(value, accepted) and (bool_ok or not isinstance(value, bool)):
            return
        if integral and isinstance(value, float) and value.is_integer():
            return
        got = _KIND_WORDS.get(kind_of(value), "something else")
        msg = f"Invalid type for {{param}}: expected {expected}, but got {got} instead."
        raise _fail(msg, "invalid_type")

    return check


def _enum_check(values: list[Any]) -> Checker:
    # Compare exact types as well as values: `True == 1` in Python, but a JSON boolean is not
    # the integer the schema asks for (an integral decimal is, and is compared as one).
    allowed = frozenset((type(value), value) for value in values)
    supported = ", ".join(
        f"'{value}'" if isinstance(value, str) else json.dumps(value) for value in values
    )

    def check(value: object) -> None:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # numbers compare by value in JSON Schema: 2.0 is 2
        if isinstance(value, (dict, list)) or (type(value), value) not in allowed:
            msg = f"Invalid value for {{param}}. Supported values are: {supported}."
            raise _fail(msg, "invalid_value")

    return check


def _bounds_checks(schema: Mapping[str, Any]) -> list[Checker]:
    low = schema.get("minimum")
    high = schema.get("maximum")
    if low is None and high is None:
        return []
    noun = "integer" if schema.get("type") == "integer" else "decimal"

    def check(value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return
        if low is not None and value < low:
            msg = f"Invalid {{param}}: {noun} below minimum value. Expected a value >= {low}."
            raise _fail(msg, f"{noun}_below_min_value")
        if high is not None and value > high:
            msg = f"Invalid {{param}}: {noun} above maximum value. Expected a value <= {high}."
            raise _fail(msg, f"{noun}_above_max_value")

    return [check]


def _pattern_check(pattern: str) -> Checker:
    compiled = re.compile(pattern)

    def check(value: object) -> None:
        if isinstance(value, str) and compiled.search(value) is None:
            msg = f"Invalid {{param}}: expected a string matching the pattern '{pattern}'."
            raise _fail(msg, "invalid_value")

    return check


@cache
def compiler(*, reject_unknown_fields: bool) -> SchemaCompiler:
    """The shared compiler over the vendored spec, one per strictness setting."""
    components = quirks.apply(load_spec())["components"]["schemas"]
    return SchemaCompiler(components, reject_unknown_fields=reject_unknown_fields)


def validate(name: str, body: object, *, reject_unknown_fields: bool = True) -> None:
    """Check a parsed body against a named component schema of the vendored spec.

    Args:
        name: A key of ``components.schemas`` (``RealtimeCreateClientSecretRequest``).
        body: The parsed JSON value.
        reject_unknown_fields: Whether keys the schema does not list are an error.

    Raises:
        SchemaViolation: The first problem found, with its path filled in.
    """
    try:
        compiler(reject_unknown_fields=reject_unknown_fields).component(name)(body)
    except SchemaViolation as exc:
        raise finish(exc) from None


@cache
def _event_compiler() -> SchemaCompiler:
    """A strict compiler over the event schemas, sharing the quirked REST schemas they reach."""
    events = load_event_spec()["components"]["schemas"]
    rest = quirks.apply(load_spec())["components"]["schemas"]
    return SchemaCompiler({**events, **rest}, reject_unknown_fields=True)


def validate_event(body: object, *, union: str = "RealtimeServerEvent") -> None:
    """Check a parsed WebSocket event against one of the spec's event unions (by its tag).

    Args:
        body: The parsed JSON value.
        union: ``RealtimeServerEvent`` (what the fake sends) or ``RealtimeClientEvent``.

    Raises:
        SchemaViolation: The first problem found, with its path filled in.
    """
    try:
        _event_compiler().component(union)(body)
    except SchemaViolation as exc:
        raise finish(exc) from None
