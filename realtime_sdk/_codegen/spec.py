"""Read the Realtime spec into a small IR (classes, fields, unions, enums) for the renderers.

The spec is first cut to the Realtime paths and webhooks (``vendor.cut``), then given the quirks shared with
the fake API (`realtime_sdk._spec.quirks`) and the generator's own marks (`effective_spec`):
that document is what the models implement (the IR itself is `realtime_sdk._codegen.ir`). Answers are read leniently: every field of a
class an answer can hold also takes None there (`Field.read_null`).
"""

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from realtime_sdk._codegen import names, notes, vendor
from realtime_sdk._codegen.ir import (
    IR,
    ClassRef,
    DictOf,
    Field,
    ListOf,
    Lit,
    Mixed,
    Model,
    OpenEnum,
    Prim,
    SpecError,
    Tagged,
    TypeExpr,
    answer_roots,
    class_names,
    reachable,
)
from realtime_sdk._spec import quirks

SCHEMAS: Final = "#/components/schemas/"
# The key the generator reserves for unknown JSON keys; a spec property of this name would clash.
EXTRA_FIELDS: Final = "extra_fields"
# Marks a string property as holding an ephemeral key (set by the patches in notes.py).
SECRET_MARK: Final = "x-realtime-sdk-secret"  # noqa: S105 - a marker name, not a secret


# --- loading and patching ---------------------------------------------------------------


def load_document(path: Path) -> dict[str, Any]:
    """Read a spec file (the vendored subset or the full official one) and cut it to facts."""
    return vendor.cut(json.loads(path.read_text(encoding="utf-8")))


def effective_spec(document: dict[str, Any]) -> dict[str, Any]:
    """Apply the shared quirks and the generator's marks to a cut spec; the models implement it."""
    try:
        doc = quirks.apply(document)
    except quirks.QuirkError as exc:
        raise SpecError(str(exc)) from None
    for pointer in notes.SECRETS:
        prop = quirks.resolve(doc, pointer)
        if prop.get("type") != "string":
            msg = f"{pointer}: a secret must be a string property"
            raise SpecError(msg)
        prop[SECRET_MARK] = True
    require_tags(doc["components"]["schemas"])
    return doc


def _union_members(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in schema.get("oneOf", schema.get("anyOf", ())) if m.get("type") != "null"]


def _tag_value(obj: dict[str, Any], tag: str = "type") -> str | None:
    prop = obj.get("properties", {}).get(tag)
    if not isinstance(prop, dict):
        return None
    if "const" in prop:
        return str(prop["const"])
    enum = prop.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str):
        return enum[0]
    return None


def require_tags(schemas: dict[str, Any]) -> None:
    """Require the tag of union members that would otherwise be told apart by nothing."""

    # A union member whose tag the spec leaves optional can be read without it only when it
    # is the one such member: an object without a tag is then that member. Where two or more
    # leave it optional (the three audio formats) such an object fits several and cannot be
    # told apart, so the tag is required there.
    def deref(node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref")
        return schemas[ref.removeprefix(SCHEMAS)] if isinstance(ref, str) else node

    def visit(node: Any) -> None:  # noqa: ANN401 - any JSON value
        if isinstance(node, dict):
            members = [deref(m) for m in _union_members(node)]
            untagged = [
                m
                for m in members
                if _is_object(m)
                and _tag_value(m) is not None
                and "type" not in m.get("required", ())
            ]
            if len(untagged) > 1:
                for member in untagged:
                    member.setdefault("required", []).insert(0, "type")
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(schemas)


def _is_object(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "object" or "properties" in schema


# --- building the IR --------------------------------------------------------------------


@dataclass
class _Resolved:
    type: TypeExpr
    nullable: bool = False
    default: Any = None
    has_default: bool = False
    minimum: float | None = None
    maximum: float | None = None
    min_items: int | None = None
    pattern: str | None = None


_PRIMS: Final = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_KINDS: Final = {"str": "str", "int": "int", "float": "number", "bool": "bool"}


class _Builder:
    def __init__(self, document: dict[str, Any], inline_names: Mapping[str, str]) -> None:
        self.doc = document
        self.inline_names = inline_names
        self.schemas: dict[str, Any] = document["components"]["schemas"]
        self.ir = IR()
        self.components: dict[str, _Resolved] = {}
        self.shapes: dict[str, str] = {}  # class name -> canonical JSON of its shape
        self.used_names: set[str] = set()

    # names ---------------------------------------------------------------------------
    def inline_name(self, pointer: str) -> str:
        try:
            name = self.inline_names[pointer]
        except KeyError:
            msg = f"no curated name for the inline shape at {pointer}; add one to names.py"
            raise SpecError(msg) from None
        self.used_names.add(pointer)
        return name

    # resolution ----------------------------------------------------------------------
    def component(self, name: str) -> _Resolved:
        if name not in self.components:
            schema = self.schemas[name]
            self.components[name] = self.resolve(schema, SCHEMAS + name, own_name=name)
        return self.components[name]

    def resolve(  # noqa: C901, PLR0911 - one branch per schema keyword
        self, schema: dict[str, Any], pointer: str, own_name: str | None = None
    ) -> _Resolved:
        if "$ref" in schema:
            base = self.component(schema["$ref"].removeprefix(SCHEMAS))
            return _with_facts(copy.copy(base), schema)
        if len(schema.get("allOf", ())) == 1:
            # A one-member allOf only wraps a reference to give it a title of its own.
            inner = {k: v for k, v in schema.items() if k != "allOf"} | schema["allOf"][0]
            return self.resolve(inner, pointer, own_name)
        if schema.get("nullable") is True:
            inner = {k: v for k, v in schema.items() if k != "nullable"}
            resolved = self.resolve(inner, pointer, own_name)
            resolved.nullable = True
            return _with_facts(resolved, schema)
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                return _with_facts(self.union(schema, keyword, pointer, own_name), schema)
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            return _with_facts(_Resolved(self.object(schema, pointer, own_name)), schema)
        if kind == "array" or "items" in schema:
            item = self.resolve(schema["items"], pointer + "/items")
            if item.nullable:
                msg = f"{pointer}: nullable array items are not supported"
                raise SpecError(msg)
            return _with_facts(_Resolved(ListOf(item.type)), schema)
        if "const" in schema:
            return _with_facts(_Resolved(Lit((schema["const"],), own_name)), schema)
        if "enum" in schema:
            return _with_facts(_Resolved(Lit(tuple(schema["enum"]), own_name)), schema)
        if kind in _PRIMS:
            name = "Secret" if schema.get(SECRET_MARK) else _PRIMS[kind]
            return _with_facts(_Resolved(Prim(name)), schema)
        if kind is None:
            return _with_facts(_Resolved(Prim("Any")), schema)
        msg = f"{pointer}: unsupported schema type {kind!r}"
        raise SpecError(msg)

    def union(  # noqa: C901 - enum, tagged and mixed unions share the member walk
        self, schema: dict[str, Any], keyword: str, pointer: str, own_name: str | None
    ) -> _Resolved:
        raw = schema[keyword]
        nullable = any(m.get("type") == "null" for m in raw)
        members = [(i, m) for i, m in enumerate(raw) if m.get("type") != "null"]
        if len(members) == 1:
            index, only = members[0]
            # A wrapper such as anyOf [X, null]: the component's own name goes to X.
            resolved = self.resolve(only, f"{pointer}/{keyword}/{index}", own_name)
            resolved.nullable = resolved.nullable or nullable
            return resolved
        resolved_members = [(self.resolve(m, f"{pointer}/{keyword}/{i}"), m) for i, m in members]
        types = [r.type for r, _ in resolved_members]
        if any(r.nullable for r, _ in resolved_members):
            msg = f"{pointer}: a nullable member inside a union is not supported"
            raise SpecError(msg)
        if all(isinstance(t, Lit | OpenEnum | Prim) and _is_string(t) for t in types):
            values: list[str] = []
            for t in types:
                if isinstance(t, Lit | OpenEnum):
                    values.extend(str(v) for v in t.values if str(v) not in values)
            alias = own_name or self.optional_name(pointer)
            enum: Lit | OpenEnum
            if any(isinstance(t, Prim | OpenEnum) for t in types):
                enum = OpenEnum(tuple(values), alias)
            else:
                enum = Lit(tuple(values), alias)
            if alias is not None:
                self.register(self.ir.enums, alias, enum, pointer)
            return _Resolved(enum, nullable)
        alias = own_name or self.inline_name(pointer)
        objects = [t for t in types if isinstance(t, ClassRef | Tagged)]
        others = [t for t in types if not isinstance(t, ClassRef | Tagged)]
        object_part = self.tagged(objects, pointer, alias if not others else None)
        if not others:
            assert object_part is not None
            self.register(self.ir.unions, alias, object_part, pointer)
            return _Resolved(object_part, nullable)
        kinds: list[tuple[str, TypeExpr]] = []
        for t in others:
            kind = _kind(t, pointer)
            if any(k == kind for k, _ in kinds):
                msg = f"{pointer}: two union members of JSON kind {kind}"
                raise SpecError(msg)
            kinds.append((kind, t))
        if object_part is not None:
            kinds.append(("object", object_part))
        mixed = Mixed(tuple(kinds), alias)
        self.register(self.ir.unions, alias, mixed, pointer)
        return _Resolved(mixed, nullable)

    def register(self, table: dict[str, Any], name: str, value: object, pointer: str) -> None:
        if table.get(name, value) != value:
            msg = f"{pointer}: name {name} is already used by a different union or enum"
            raise SpecError(msg)
        table[name] = value

    def optional_name(self, pointer: str) -> str | None:
        if pointer in self.inline_names:
            return self.inline_name(pointer)
        return None

    def tagged(
        self, objects: Sequence[TypeExpr], pointer: str, alias: str | None
    ) -> Tagged | ClassRef | None:
        if not objects:
            return None
        members: list[tuple[str, str | Tagged]] = []
        untagged: list[str] = []
        for obj in objects:
            if isinstance(obj, Tagged):
                members.extend(obj.members)
                untagged.extend([obj.untagged] if obj.untagged else [])
                continue
            assert isinstance(obj, ClassRef)
            model = self.ir.models[obj.name]
            tag_field = next((f for f in model.fields if f.name == "type"), None)
            value = _single_value(tag_field.type) if tag_field else None
            if value is None:
                if len(objects) == 1:
                    return obj  # a lone object without a tag needs no dispatch
                msg = f"{pointer}: union member {obj.name} has no single-valued `type` tag"
                raise SpecError(msg)
            assert tag_field is not None
            members.append((value, obj.name))
            if not tag_field.required:
                untagged.append(obj.name)
        if len(untagged) > 1:
            msg = f"{pointer}: members {untagged} may all leave out their tag"
            raise SpecError(msg)
        final = self.group_tags(members, pointer)
        for value, member in final:
            for class_name in [member] if isinstance(member, str) else class_names(member):
                self.ir.models[class_name].tag = ("type", value)
        return Tagged("type", tuple(final), alias, untagged[0] if untagged else None)

    def group_tags(
        self, members: list[tuple[str, str | Tagged]], pointer: str
    ) -> list[tuple[str, str | Tagged]]:
        """One entry per tag value; members that share one are told apart by `second_tag`."""
        grouped: dict[str, list[str | Tagged]] = {}
        for value, member in members:
            grouped.setdefault(value, []).append(member)
        return [
            (value, group[0] if len(group) == 1 else self.second_tag(group, pointer))
            for value, group in grouped.items()
        ]

    def second_tag(self, group: Sequence[str | Tagged], pointer: str) -> Tagged:
        """The members sharing one `type`, told apart by another required constant."""
        if not all(isinstance(m, str) for m in group):
            msg = f"{pointer}: a shared tag among nested unions"
            raise SpecError(msg)
        models = [self.ir.models[str(m)] for m in group]
        for candidate in models[0].fields:
            if candidate.name == "type":
                continue
            values = []
            for model in models:
                f = next((f for f in model.fields if f.name == candidate.name), None)
                value = _single_value(f.type) if f is not None and f.required else None
                values.append(value)
            if None not in values and len(set(values)) == len(values):
                pairs = tuple((str(v), m.name) for v, m in zip(values, models, strict=True))
                return Tagged(candidate.name, pairs)
        msg = f"{pointer}: duplicate tags among {[m.name for m in models]}"
        raise SpecError(msg)

    def object(self, schema: dict[str, Any], pointer: str, own_name: str | None) -> TypeExpr:
        props = schema.get("properties")
        extra = schema.get("additionalProperties")
        if not props:
            if isinstance(extra, dict):
                value = self.resolve(extra, pointer + "/additionalProperties")
                return DictOf(value.type)
            return DictOf(Prim("Any"))
        if isinstance(extra, dict):
            msg = f"{pointer}: properties together with an additionalProperties schema"
            raise SpecError(msg)
        name = own_name or self.inline_name(pointer)
        shape = _shape(schema)
        if name in self.shapes:
            if self.shapes[name] != shape:
                msg = f"{pointer}: name {name} is already used by a different shape"
                raise SpecError(msg)
            self.ir.models[name].pointers.append(pointer)
            return ClassRef(name)
        self.shapes[name] = shape
        required = set(schema.get("required", ()))
        fields: list[Field] = []
        for prop_name, prop in props.items():
            if prop_name == EXTRA_FIELDS:
                msg = f"{pointer}: property {EXTRA_FIELDS!r} clashes with the unknown-key store"
                raise SpecError(msg)
            r = self.resolve(prop, f"{pointer}/properties/{prop_name}")
            # Only the schema's own `required` (plus the ambiguous tags of `_require_tags`)
            # makes a field required. A required field with one allowed value (a required
            # tag, `mode: "explicit"`) is a constant: models default to it, and JSON without
            # it does not fit. An optional one (`LegacyTranscriptionTurnDetection.type`)
            # stays optional and is sent only when given.
            is_required = prop_name in required
            fields.append(
                Field(
                    name=prop_name,
                    type=r.type,
                    required=is_required,
                    nullable=r.nullable,
                    pointer=f"{pointer}/properties/{prop_name}",
                    default=r.default,
                    has_default=r.has_default,
                    minimum=r.minimum,
                    maximum=r.maximum,
                    min_items=r.min_items,
                    pattern=r.pattern,
                    constant=is_required and not r.nullable and _single_value(r.type) is not None,
                )
            )
        # Emitted leaves first: every class a field refers to was registered above.
        # `additionalProperties: false` is the schema forbidding other keys, so a request may
        # be refused for them; an answer keeps them (the rules bind requests only).
        self.ir.models[name] = Model(
            name, [pointer], fields, closed=schema.get("additionalProperties") is False
        )
        return ClassRef(name)


def _with_facts(resolved: _Resolved, schema: dict[str, Any]) -> _Resolved:
    # Ranges, item counts and patterns are limits the schema states, so a request may be
    # refused for them; answers are not held to them (a newer server may widen them).
    if "default" in schema and not resolved.has_default:
        resolved.default = schema["default"]
        resolved.has_default = True
    if "minimum" in schema:
        resolved.minimum = schema["minimum"]
    if "maximum" in schema:
        resolved.maximum = schema["maximum"]
    if "minItems" in schema:
        resolved.min_items = schema["minItems"]
    if "pattern" in schema:
        resolved.pattern = schema["pattern"]
    return resolved


def _is_string(t: TypeExpr) -> bool:
    if isinstance(t, Prim):
        return t.name == "str"
    if isinstance(t, OpenEnum):
        return True
    return isinstance(t, Lit) and all(isinstance(v, str) for v in t.values)


def _single_value(t: TypeExpr) -> str | None:
    if isinstance(t, Lit) and len(t.values) == 1 and isinstance(t.values[0], str):
        return t.values[0]
    return None


def _kind(t: TypeExpr, pointer: str) -> str:
    if isinstance(t, Prim) and t.name in _KINDS:
        return _KINDS[t.name]
    if isinstance(t, Lit):
        return "str" if all(isinstance(v, str) for v in t.values) else "int"
    if isinstance(t, OpenEnum):
        return "str"
    if isinstance(t, ListOf):
        return "array"
    if isinstance(t, DictOf):
        return "object"
    msg = f"{pointer}: cannot tell union members apart by JSON kind"
    raise SpecError(msg)


_SHAPE_NOISE: Final = frozenset({"title", "default", "nullable"})


def _shape(schema: dict[str, Any]) -> str:
    # Titles and defaults belong to where a shape is used, not to the shape itself.
    def clean(node: Any, *, top: bool) -> Any:  # noqa: ANN401 - any JSON value
        if isinstance(node, dict):
            return {
                k: clean(v, top=False) for k, v in node.items() if not (top and k in _SHAPE_NOISE)
            }
        if isinstance(node, list):
            return [clean(v, top=False) for v in node]
        return node

    return json.dumps(clean(schema, top=True), sort_keys=True)


def build_ir(document: dict[str, Any], inline_names: Mapping[str, str] = names.INLINE_NAMES) -> IR:
    """Build the IR of an effective spec (see `effective_spec`), roots in path order.

    A document without ``paths`` (a golden-test fragment) builds every component schema.
    """
    builder = _Builder(document, inline_names)
    _add_roots(builder, document)
    for name in builder.schemas:
        resolved = builder.component(name)
        if isinstance(resolved.type, Lit | OpenEnum) and resolved.type.alias == name:
            builder.register(builder.ir.enums, name, resolved.type, SCHEMAS + name)
    unused = set(inline_names) - builder.used_names
    if unused:
        msg = f"names.py has entries for shapes the spec no longer has: {sorted(unused)}"
        raise SpecError(msg)
    _read_nulls(builder.ir)
    return builder.ir


def _add_roots(builder: _Builder, document: dict[str, Any]) -> None:
    """Build the operations' and webhooks' classes first, in path order, and record them."""
    for path in vendor.REALTIME_PATHS if "paths" in document else ():
        operation = document["paths"][path]["post"]
        request = _body_schema(operation.get("requestBody"))
        response = _answer_schema(operation["responses"])
        for root in (request, response):
            if root is not None:
                builder.component(root)
        if request is not None and response is not None:
            builder.ir.roots[operation["operationId"]] = (request, response)
        elif request is not None:
            builder.ir.request_roots[operation["operationId"]] = request
    for name in vendor.REALTIME_WEBHOOKS if "webhooks" in document else ():
        payload = _body_schema(document["webhooks"][name]["post"]["requestBody"])
        if payload is None:
            msg = f"webhook {name}: no JSON payload schema"
            raise SpecError(msg)
        builder.component(payload)
        event = _tag_value(document["components"]["schemas"][payload])
        builder.ir.event_roots[event or name] = payload


# The media types whose body schema is a model: a multipart form's schema describes its
# parts (RealtimeCallCreateRequest: the SDP offer and the session as JSON).
_MODEL_MEDIA: Final = ("application/json", "multipart/form-data")


def _body_schema(body: Mapping[str, Any] | None) -> str | None:
    """The component a request body refers to, or None when it has none (or only text)."""
    content = (body or {}).get("content", {})
    for media in _MODEL_MEDIA:
        ref = content.get(media, {}).get("schema", {}).get("$ref")
        if isinstance(ref, str):
            return ref.removeprefix(SCHEMAS)
    return None


def _answer_schema(responses: Mapping[str, Any]) -> str | None:
    """The component of a JSON success answer, or None for an empty or SDP answer."""
    for status, answer in responses.items():
        if status.startswith("2"):
            ref = answer.get("content", {}).get("application/json", {}).get("schema", {})
            if isinstance(ref.get("$ref"), str):
                return str(ref["$ref"]).removeprefix(SCHEMAS)
    return None


def _read_nulls(ir: IR) -> None:
    # An answer may carry null in any property (the server's word, which must not break a
    # read): every field of a class an answer can hold takes None when read.
    for response in answer_roots(ir):
        for name in reachable(ir, response):
            for f in ir.models[name].fields:
                f.read_null = True
