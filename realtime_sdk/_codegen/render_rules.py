"""Render the request rules of a spec IR: one `Shape` per object, as readable generated code.

The output (``realtime_sdk/_wire/_rules.py``, and ``_event_rules.py`` for the Realtime events) is
what `realtime_sdk._wire._validators` checks a request against: each field's JSON kind, enum,
range, pattern, item count, whether it is required and whether null fits, and the tag
table of each union. The text is laid out as ``ruff format`` would lay it out, so it is
stable without running ruff. See STYLE.md sections 4 and 9.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

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
    class_names,
    tagged_unions,
)

LINE_LENGTH: Final = 100
INDENT: Final = "    "

# What a rules module may import from the validator, in isort's order; each module imports
# the ones its rules use ("Rule" types the tables).
_NAMES: Final = (
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
    "Rule",
    "Shape",
    "Tagged",
    "Text",
)


def _imports(text: str) -> str:
    used = [name for name in _NAMES if name == "Rule" or re.search(rf"\b{name}\b", text)]
    names = "".join(f"{INDENT}{name},\n" for name in used)
    return (
        "from collections.abc import Mapping\n"
        "from typing import Final\n"
        "\n"
        f"from realtime_sdk._wire._validators import (\n{names})\n"
    )


_DOC: Final = (
    '"""The request rules of every {what}, as generated facts: one `Shape` per object.\n'
    "\n"
    "Read by `realtime_sdk._wire._validators`, which checks the JSON a request is sent as against\n"
    "them and reports every misfit at once. Answers are not held to them (they are read\n"
    "leniently by the converter). `RULES` maps each class and union name to its rule.\n"
    '"""\n'
)

_PRIMS: Final = {"str": "STRING", "Secret": "STRING", "int": "INTEGER", "float": "NUMBER"}


# --- a tiny layout engine: calls and dicts, laid out as ruff format does -------------------


@dataclass(frozen=True)
class Call:
    """``func(args...)``."""

    func: str
    args: tuple["Node", ...]


@dataclass(frozen=True)
class Dict:
    """``{key: value, ...}``, always one entry a line (its trailing comma keeps it so)."""

    items: tuple[tuple[str, "Node"], ...]


Node = str | Call | Dict


def _flat(node: Node) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, Call):
        return f"{node.func}({', '.join(_flat(a) for a in node.args)})"
    msg = "a dict is never laid out flat"
    raise TypeError(msg)


def _exploded(node: Node) -> bool:
    if isinstance(node, Dict):
        return True
    if isinstance(node, Call):
        return any(_exploded(a) for a in node.args)
    return False


def layout(node: Node, indent: str, prefix: str, suffix: str) -> str:
    """`node` after `prefix` at `indent`, followed by `suffix`, in ruff's layout."""
    if isinstance(node, str):
        return f"{indent}{prefix}{node}{suffix}"
    inner = indent + INDENT
    if isinstance(node, Dict):
        body = "".join(layout(value, inner, f"{key}: ", ",") + "\n" for key, value in node.items)
        return f"{indent}{prefix}{{\n{body}{indent}}}{suffix}"
    if not _exploded(node):
        one_line = f"{indent}{prefix}{_flat(node)}{suffix}"
        if len(one_line) <= LINE_LENGTH:
            return one_line
        hugged = inner + ", ".join(_flat(a) for a in node.args)
        if len(hugged) <= LINE_LENGTH:
            return f"{indent}{prefix}{node.func}(\n{hugged}\n{indent}){suffix}"
    body = "".join(layout(arg, inner, "", ",") + "\n" for arg in node.args)
    return f"{indent}{prefix}{node.func}(\n{body}{indent}){suffix}"


# --- rules from the IR ----------------------------------------------------------------------


def _q(text: str) -> str:
    # A JSON string literal is a valid Python one; ruff keeps double quotes.
    import json  # noqa: PLC0415 - only the renderer needs it

    return json.dumps(text)


def _value(value: str | int) -> str:
    return _q(value) if isinstance(value, str) else repr(value)


def _type_rule(t: TypeExpr) -> Node:  # noqa: PLR0911 - one branch per IR node kind
    if isinstance(t, Prim):
        if t.name == "bool":
            return "BOOLEAN"
        return "ANY" if t.name == "Any" else _PRIMS[t.name]
    if isinstance(t, OpenEnum):
        return "STRING"  # an open enum: the known values only guide readers
    if isinstance(t, Lit):
        return t.alias or Call("Enum", tuple(_value(v) for v in t.values))
    if isinstance(t, ListOf):
        return Call("ListOf", (_type_rule(t.item),))
    if isinstance(t, DictOf):
        if isinstance(t.value, Prim) and t.value.name == "Any":
            return "ANY_OBJECT"
        return Call("MapOf", (_type_rule(t.value),))
    if isinstance(t, ClassRef):
        return t.name
    if t.alias is not None:
        return t.alias
    return _union_rule(t)


def _union_rule(union: Tagged | Mixed) -> Node:
    if isinstance(union, Tagged):
        members = Dict(
            tuple(
                (_q(tag), member if isinstance(member, str) else _union_rule(member))
                for tag, member in union.members
            )
        )
        args: tuple[Node, ...] = (_q(union.tag), members)
        if union.untagged is not None:
            args += (f"untagged={union.untagged}",)
        return Call("Tagged", args)
    kinds = Dict(tuple((_q(kind), _type_rule(member)) for kind, member in union.members))
    return Call("Kinds", (kinds,))


def _field_rule(f: Field) -> Node:
    rule = _type_rule(f.type)
    bounded = f.minimum is not None or f.maximum is not None
    if bounded and isinstance(f.type, Prim) and f.type.name in ("int", "float"):
        func = "Integer" if f.type.name == "int" else "Number"
        rule = Call(func, (_num(f.minimum), _num(f.maximum)))
    elif bounded:
        msg = f"{f.pointer}: a range on a field that is not a number"
        raise SpecError(msg)
    if f.pattern is not None:
        if rule != "STRING":
            msg = f"{f.pointer}: a pattern on a field that is not a string"
            raise SpecError(msg)
        rule = Call("Text", (_q(f.pattern),))
    if f.min_items is not None:
        if not isinstance(rule, Call) or rule.func != "ListOf":
            msg = f"{f.pointer}: an item count on a field that is not an array"
            raise SpecError(msg)
        rule = Call("ListOf", (*rule.args, f"min_items={f.min_items}"))
    args: tuple[Node, ...] = (rule,)
    if f.required:
        args += ("required=True",)
    if f.nullable:
        args += ("nullable=True",)
    return Call("Field", args)


def _num(value: float | None) -> str:
    return repr(value)


def _shape(model: Model) -> str:
    fields = Dict(tuple((_q(f.name), _field_rule(f)) for f in model.fields))
    args: tuple[Node, ...] = (_q(model.name), fields)
    if model.closed:
        args += ("closed=True",)
    return layout(Call("Shape", args), "", f"{model.name}: Final = ", "")


def _blocks(ir: IR) -> Iterator[str]:
    for name, enum in ir.enums.items():
        if isinstance(enum, Lit):
            yield layout(_type_rule(Lit(enum.values)), "", f"{name}: Final = ", "")
    emitted: set[str] = set()
    pending = dict(ir.unions)
    for model in ir.models.values():
        yield _shape(model)
        emitted.add(model.name)
        for name, union in list(pending.items()):
            if set(class_names(union)) <= emitted:
                yield layout(_union_rule(union), "", f"{name}: Final = ", "")
                del pending[name]
    if pending:
        msg = f"unions left without their members: {sorted(pending)}"
        raise SpecError(msg)


def _tagged_table(ir: IR) -> str:
    # Every tagged union, named or inline, by its members' names: what `rule_for` looks up
    # when it is given a union form rather than a class.
    seen: dict[str, Node] = {}
    for t in tagged_unions(ir):
        key = _q(" | ".join(class_names(t)))
        seen.setdefault(key, t.alias or _union_rule(t))
    body = Dict(tuple(seen.items()))
    return layout(body, "", "TAGGED_RULES: Final[Mapping[str, Rule]] = ", "")


def render_rules(ir: IR, header: str, what: str = "request model") -> str:
    """The text of a rules module for `ir`, after the generated-file `header`."""
    blocks = "".join(f"\n{block}\n" for block in _blocks(ir))
    tagged = _tagged_table(ir)
    names = [*ir.models, *ir.unions]
    table = "".join(f"{INDENT}{_q(name)}: {name},\n" for name in names)
    return (
        header
        + _DOC.format(what=what)
        + "\n"
        + _imports(blocks + tagged)
        + blocks
        + "\nRULES: Final[Mapping[str, Rule]] = {\n"
        + table
        + "}\n"
        + '"""The rule of each class and union, by name."""\n'
        + "\n"
        + tagged
        + "\n"
        + '"""The rule of each tagged union, by the names of its members."""\n'
    )


__all__ = ["layout", "render_rules"]
