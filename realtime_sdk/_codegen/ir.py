"""The generator's IR: the type expressions, fields, classes and unions the renderers write.

`realtime_sdk._codegen.spec` builds it from the spec; the renderers read it, with the few
queries here (which classes a root reaches, every tagged union, the classes a type names).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


class SpecError(Exception):
    """The spec has a shape the generator does not handle, or names.py/notes.py is out of date."""


# --- type expressions -------------------------------------------------------------------


@dataclass(frozen=True)
class Prim:
    """A JSON primitive: str, int, float, bool, Any, or Secret (a str holding a key)."""

    name: str


@dataclass(frozen=True)
class Lit:
    """A closed enum (or a constant when it has one value)."""

    values: tuple[str | int, ...]
    alias: str | None = None


@dataclass(frozen=True)
class OpenEnum:
    """Any string, with known values listed for readers and IDEs."""

    values: tuple[str, ...]
    alias: str | None = None


@dataclass(frozen=True)
class ListOf:
    """A JSON array."""

    item: "TypeExpr"


@dataclass(frozen=True)
class DictOf:
    """A JSON object used as a map."""

    value: "TypeExpr"


@dataclass(frozen=True)
class ClassRef:
    """An object shape, emitted as an attrs class."""

    name: str


@dataclass(frozen=True)
class Tagged:
    """Objects told apart by a tag property; unknown tags become `UnknownVariant`."""

    tag: str
    # (tag value, class name), or (tag value, a union of the members that share that value,
    # told apart by a second property: the conversation items "message" by `role`)
    members: tuple[tuple[str, "str | Tagged"], ...]
    alias: str | None = None
    # The one member whose tag the spec leaves optional, read when the tag is absent (an
    # object without it cannot be any sibling, as they all require theirs).
    untagged: str | None = None


@dataclass(frozen=True)
class Mixed:
    """Members told apart by JSON kind (str, int, array, object)."""

    members: tuple[tuple[str, "TypeExpr"], ...]  # (kind, type), in spec order
    alias: str | None = None


TypeExpr = Prim | Lit | OpenEnum | ListOf | DictOf | ClassRef | Tagged | Mixed


@dataclass
class Field:
    """One property of an object."""

    name: str
    type: TypeExpr
    required: bool
    nullable: bool
    pointer: str
    default: Any = None
    has_default: bool = False
    minimum: float | None = None
    maximum: float | None = None
    min_items: int | None = None
    pattern: str | None = None
    constant: bool = False  # required with a single allowed value: defaulted to it, always sent
    read_null: bool = False  # None accepted when an answer is read, whatever the spec says


@dataclass
class Model:
    """One attrs class."""

    name: str
    pointers: list[str]
    fields: list[Field]
    closed: bool = False  # additionalProperties: false in the spec
    tag: tuple[str, str] | None = None  # (property, value) when a tagged-union member


@dataclass
class IR:
    """Everything render_models needs, in emission order."""

    models: dict[str, Model] = field(default_factory=dict)
    enums: dict[str, Lit | OpenEnum] = field(default_factory=dict)
    unions: dict[str, Tagged | Mixed] = field(default_factory=dict)
    roots: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # operationId: (request, response), for operations that answer with JSON
    # operationId: request class, for operations whose answer is not JSON (SDP text or empty)
    request_roots: dict[str, str] = field(default_factory=dict)
    # event type: payload class, for the webhooks the SDK reads (as leniently as answers)
    event_roots: dict[str, str] = field(default_factory=dict)
    spec_sha256: str = ""


def request_roots(ir: IR) -> list[str]:
    """Every class a request body starts from."""
    return [request for request, _ in ir.roots.values()] + list(ir.request_roots.values())


def answer_roots(ir: IR) -> list[str]:
    """Every class read from the service: JSON answers and webhook payloads."""
    return [response for _, response in ir.roots.values()] + list(ir.event_roots.values())


def reachable(ir: IR, root: str) -> set[str]:
    """Names of the classes reachable from one root class."""
    seen: set[str] = set()
    pending = [root]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for f in ir.models[name].fields:
            pending.extend(class_names(f.type))
    return seen


def tagged_unions(ir: IR) -> Iterator[Tagged]:
    """Every tagged union of the IR, named or inline, nested ones after their parent."""
    seen: set[Tagged] = set()
    for union in ir.unions.values():
        pending = [union] if isinstance(union, Tagged) else [t for _, t in union.members]
        while pending:
            t = pending.pop(0)
            if isinstance(t, Tagged) and t not in seen:
                seen.add(t)
                yield t
                pending.extend(m for _, m in t.members if isinstance(m, Tagged))


def class_names(t: TypeExpr) -> Iterator[str]:
    """Every class a type expression mentions."""
    if isinstance(t, ClassRef):
        yield t.name
    elif isinstance(t, Tagged):
        for _, member in t.members:
            if isinstance(member, str):
                yield member
            else:
                yield from class_names(member)
    elif isinstance(t, Mixed):
        for _, part in t.members:
            yield from class_names(part)
    elif isinstance(t, ListOf):
        yield from class_names(t.item)
    elif isinstance(t, DictOf):
        yield from class_names(t.value)


__all__ = [
    "IR",
    "ClassRef",
    "DictOf",
    "Field",
    "ListOf",
    "Lit",
    "Mixed",
    "Model",
    "OpenEnum",
    "Prim",
    "SpecError",
    "Tagged",
    "TypeExpr",
    "answer_roots",
    "class_names",
    "reachable",
    "request_roots",
    "tagged_unions",
]
