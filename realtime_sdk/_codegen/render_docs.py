"""The docstrings of generated fields and unions: schema facts and our notes, never spec prose.

Read by `realtime_sdk._codegen.render_models`. See STYLE.md sections 3 and 12.
"""

import json
from collections.abc import Iterable
from typing import Any, Final

from realtime_sdk._codegen import notes
from realtime_sdk._codegen.ir import (
    ClassRef,
    DictOf,
    Field,
    ListOf,
    Lit,
    Mixed,
    Model,
    OpenEnum,
    Prim,
    Tagged,
    TypeExpr,
    class_names,
)


def union_doc(union: Tagged | Mixed) -> str:
    if isinstance(union, Tagged):
        tags = ", ".join(f'"{tag}": {_member_doc(member)}' for tag, member in union.members)
        return f"Told apart by `{union.tag}`: {tags}; any other tag gives an `UnknownVariant`."
    kinds = "; ".join(f"{kind}: {_describe(member)}" for kind, member in union.members)
    return f"Told apart by JSON kind. {kinds}."


def _member_doc(member: str | Tagged) -> str:
    if isinstance(member, str):
        return f"`{member}`"
    names = " or ".join(f"`{name}`" for _, name in member.members)
    return f"{names} by `{member.tag}`"


def field_doc(model: Model, f: Field) -> str:  # noqa: C901 - one clause per schema fact
    parts = [_capital(_describe(f.type))]
    if f.minimum is not None and f.maximum is not None:
        parts.append(f"From {_num(f.minimum)} to {_num(f.maximum)}")
    elif f.minimum is not None:
        parts.append(f"At least {_num(f.minimum)}")
    elif f.maximum is not None:
        parts.append(f"At most {_num(f.maximum)}")
    if f.min_items is not None:
        parts.append(f"At least {f.min_items} item{'s' if f.min_items != 1 else ''}")
    if f.pattern is not None:
        parts.append(f"Matches ``{f.pattern}``")
    if f.constant:
        parts.append("Always sent")
    elif f.required:
        parts.append("Required")
    else:
        parts.append("Optional")
    if f.has_default and not f.constant:
        parts.append(f"server default: {json.dumps(f.default)}")
    text = _join_sentences(parts)
    note = notes.FIELD_NOTES.get(f"{model.name}.{f.name}") or notes.FIELD_NOTES.get(f.name)
    if note:
        text += " " + note
    if f.nullable:
        text += " " + notes.NULL_MEANINGS.get(f.name, "None is sent as null.")
    elif f.read_null:
        text += " " + _READ_NULL
    return text


# Conformance: an answer may carry null anywhere; a request may not, unless the spec says so.
_READ_NULL: Final = "A null in an answer is kept as None."


def _join_sentences(parts: list[str]) -> str:
    # "Optional" and "server default" read as one sentence; everything else stands alone.
    sentences: list[str] = []
    for part in parts:
        if part.startswith("server default") and sentences:
            sentences[-1] += "; " + part
        else:
            sentences.append(part)
    return " ".join(s.rstrip(".") + "." for s in sentences)


def _describe(t: TypeExpr) -> str:  # noqa: C901, PLR0911 - one branch per IR node kind
    if isinstance(t, Prim):
        return {
            "str": "a string",
            "int": "an integer",
            "float": "a number",
            "bool": "a boolean",
            "Any": "any JSON value",
            "Secret": "an ephemeral key, shown masked",
        }[t.name]
    if isinstance(t, Lit | OpenEnum) and t.alias is not None:
        open_note = ", or any other string" if isinstance(t, OpenEnum) else ""
        return f"{_article(t.alias)} `{t.alias}` value{open_note}"
    if isinstance(t, Lit):
        if len(t.values) == 1:
            return f"the constant {py(t.values[0])}"
        return f"one of {listing(t.values)}"
    if isinstance(t, OpenEnum):
        return f"any string; known values: {listing(t.values)}"
    if isinstance(t, ListOf):
        return f"a list of {_plural(_describe(t.item))}"
    if isinstance(t, DictOf):
        return f"a map from string to {_describe(t.value)}"
    if isinstance(t, ClassRef):
        return f"{_article(t.name)} `{t.name}`"
    if t.alias is not None:
        return f"{_article(t.alias)} `{t.alias}`"
    if isinstance(t, Tagged):
        names = " or ".join(f"`{name}`" for name in class_names(t))
        return f"{names}, by `{t.tag}`"
    return " or ".join(_describe(member) for _, member in t.members)


def _article(word: str) -> str:
    return "an" if word[:1] in "AEIOU" else "a"


def _plural(text: str) -> str:
    for article in ("an ", "a "):
        if text.startswith(article):
            return (
                "values: " + text
                if text.startswith(("an ephemeral",))
                else text[len(article) :] + "s"
            )
    return "values: " + text


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def listing(values: Iterable[str | int]) -> str:
    return ", ".join(py(value) for value in values)


def py(value: Any) -> str:  # noqa: ANN401 - any JSON scalar
    if isinstance(value, str):
        return json.dumps(value)
    return repr(value)


def _num(value: float | None) -> str:
    return repr(value)


__all__ = ["field_doc", "listing", "py", "union_doc"]
