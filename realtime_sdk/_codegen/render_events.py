"""Render ``events.py`` and ``_event_rules.py`` from the Realtime event schemas of the spec.

The roots are the GA event unions (`vendor.EVENT_ROOTS`): every client and server event,
told apart by ``type``. A class whose text would be the same as in ``models.py`` (the
session settings a ``session.update`` carries, say) is imported from there rather than
defined twice, so one `RealtimeSessionCreateRequestGA` serves REST calls and events; so
are the enums and unions written the same over such classes, and their tables.
See STYLE.md sections 3, 4 and 9.
"""

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from realtime_sdk._codegen import names, notes, render_models
from realtime_sdk._codegen.ir import IR, Lit, Model, OpenEnum, SpecError, class_names
from realtime_sdk._codegen.render_rules import render_rules
from realtime_sdk._codegen.spec import build_ir, effective_spec, load_document, require_tags
from realtime_sdk._codegen.vendor import VENDORED_EVENTS
from realtime_sdk._spec import quirks

SPEC_LABEL: Final = "realtime_sdk/_spec/realtime-events.json"
OUTPUT: Final = render_models.PACKAGE / "events.py"
RULES_OUTPUT: Final = render_models.PACKAGE / "_wire" / "_event_rules.py"
INDENT: Final = "    "

_MODULE_DOC: Final = (
    '"""Typed Realtime events: every client and server event of a Realtime connection.\n'
    "\n"
    "Plain typed data, as in `realtime_sdk.models` (whose classes it shares where the shapes\n"
    "are the same). `parse_server_event` reads what the server sends leniently (an event\n"
    "type newer than this SDK gives an `UnknownVariant` with its payload); `encode_client_event`\n"
    "checks an event against the spec's rules, reporting every bad field, and encodes it.\n"
    "Imported only by code that uses events: ``import realtime_sdk`` does not load it.\n"
    '"""\n'
)

_ENTRY_POINTS: Final = """
from realtime_sdk._event_codec import (
    encode_client_event,
    parse_client_event,
    parse_server_event,
)
"""


def effective_events(document: dict[str, Any]) -> dict[str, Any]:
    """The event schemas with the meaningful nulls allowed and ambiguous tags required."""
    doc = quirks.documented_nulls(document)
    require_tags(doc["components"]["schemas"])
    return doc


def _inline_names(document: dict[str, Any]) -> dict[str, str]:
    # The curated names of the REST models, for the inline shapes the events share.
    schemas = document["components"]["schemas"]
    prefix = "#/components/schemas/"
    shared = {
        pointer: name
        for pointer, name in names.INLINE_NAMES.items()
        if pointer.removeprefix(prefix).split("/", 1)[0] in schemas
    }
    return shared | names.EVENT_INLINE_NAMES


def build_events_ir(path: Path = VENDORED_EVENTS) -> IR:
    """The IR of the vendored event schemas."""
    document = json.loads(path.read_text(encoding="utf-8"))
    ir = build_ir(effective_events(document), _inline_names(document))
    for model in ir.models.values():
        for f in model.fields:
            f.read_null = True  # every event may be read (a relay reads client events too)
    return ir


def _class_doc(model: Model) -> str:
    if model.name in notes.CLASS_DOCS:
        return notes.CLASS_DOCS[model.name]
    tag = model.tag[1] if model.tag else None
    if model.name.startswith("RealtimeClientEvent") and tag:
        return f'The client event "{tag}", sent to the server.'
    if model.name.startswith("RealtimeServerEvent") and tag:
        return f'The server event "{tag}", sent by the server.'
    if tag:
        return f'The "{tag}" member of its union.'
    return f"An object of the Realtime events, with {len(model.fields)} known fields."


def _shared(ir: IR, rest: IR) -> set[str]:
    """The classes whose fields are the same in ``models.py``, down to every class they use."""
    same = {
        name
        for name, model in ir.models.items()
        if name in rest.models
        and name not in render_models.MIXINS
        and _fields(model) == _fields(rest.models[name])
    }
    changed = True
    while changed:
        changed = False
        for name in list(same):
            used = {c for f in ir.models[name].fields for c in class_names(f.type)}
            if not used <= same:
                same.discard(name)
                changed = True
    return same


def _fields(model: Model) -> list[str]:
    return [render_models.field_line(f) for f in model.fields]


def _shared_aliases(ir: IR, rest: IR, classes: set[str]) -> set[str]:
    """The enums and unions written the same in ``models.py``, over shared classes only."""
    same = {
        name
        for name, enum in ir.enums.items()
        if name in rest.enums and _enum_text(name, enum) == _enum_text(name, rest.enums[name])
    }
    same |= {
        name
        for name, union in ir.unions.items()
        if name in rest.unions
        and set(class_names(union)) <= classes
        and render_models.union_alias(name, union)
        == render_models.union_alias(name, rest.unions[name])
    }
    return same


def _enum_text(name: str, enum: Lit | OpenEnum) -> str:
    return "".join(render_models.enum_block(IR(enums={name: enum})))


def render(path: Path = VENDORED_EVENTS) -> str:
    """Render the text of ``events.py``.

    Raises:
        SpecError: the events have a shape the generator has no rule or name for.
    """
    ir = build_events_ir(path)
    rest = build_ir(effective_spec(load_document(render_models.SPEC_PATH)))
    shared = _shared(ir, rest)
    shared |= _shared_aliases(ir, rest, shared)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return "".join(_module(ir, shared, digest))


def render_rules_module(path: Path = VENDORED_EVENTS) -> str:
    """Render the text of ``_event_rules.py``: the rules of every event class."""
    ir = build_events_ir(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    head = render_models.header(digest, SPEC_LABEL, generator="render_events.py", noqa=False)
    return render_rules(ir, head, what="Realtime event")


def _module(ir: IR, shared: set[str], digest: str) -> Iterator[str]:
    body = "".join(_body(ir, shared))
    yield render_models.header(digest, SPEC_LABEL, generator="render_events.py")
    yield _MODULE_DOC
    imports = _imports(body, shared)
    if body.startswith("\n\n@"):
        imports += "\n"  # ruff's two blank lines before a class
    yield "\n" + imports.removesuffix("\n")  # the body brings its blank lines
    yield body


def _used(text: str, name: str) -> bool:
    return re.search(rf"\b{name}\b", text) is not None


def _imports(body: str, shared: set[str]) -> str:
    typing_names = [
        n for n in ("Any", "ClassVar", "Final", "Literal", "TypeAlias") if _used(body, n)
    ]
    lines = ["from collections.abc import Mapping", f"from typing import {', '.join(typing_names)}"]
    lines += ["", "import attrs", ""]
    lines.append("from realtime_sdk._empty import EMPTY")
    lines.append(_ENTRY_POINTS.strip())
    lines.append("from realtime_sdk._repr import model_repr")
    if _used(body, "Secret"):
        lines.append("from realtime_sdk._secret import Secret")
    lines.append("from realtime_sdk._unknown import UnknownVariant")
    unset = [n for n in ("UNSET", "Unset") if _used(body, n)]
    if unset:
        lines.append(f"from realtime_sdk._unset import {', '.join(unset)}")
    if shared:
        items = "".join(f"{INDENT}{name},\n" for name in sorted(shared, key=str.lower))
        lines.append(f"from realtime_sdk.models import (\n{items})")
    return "\n".join(lines) + "\n"


def _body(ir: IR, shared: set[str]) -> Iterator[str]:
    docs = {name: _class_doc(model) for name, model in ir.models.items()}
    yield from render_models.enum_block(
        IR(enums={n: e for n, e in ir.enums.items() if n not in shared})
    )
    emitted: set[str] = set()
    pending = {n: u for n, u in ir.unions.items() if n not in shared}
    for model in ir.models.values():
        if model.name not in shared:
            yield render_models.class_block(model, docs)
        emitted.add(model.name)
        for name, union in list(pending.items()):
            if set(class_names(union)) <= emitted:
                yield render_models.union_alias(name, union)
                del pending[name]
    if pending:
        msg = f"unions left without their members: {sorted(pending)}"
        raise SpecError(msg)
    yield "\n\nClientEvent: TypeAlias = RealtimeClientEvent\n"
    yield '"""Any client event (an `UnknownVariant` stands for a type this SDK does not know)."""\n'
    yield "\nServerEvent: TypeAlias = RealtimeServerEvent\n"
    yield '"""Any server event; one of a type newer than this SDK is read as an `UnknownVariant`."""\n'
    # The tables of the shared unions are the REST modules' (a converter reads both).
    yield render_models.union_tables(ir, [n for n in ir.unions if n not in shared])
    yield "\n" + render_models.set_assign("MODELS", [n for n in ir.models if n not in shared])
    yield '\n"""Every class this module defines (the shared ones are in `realtime_sdk.models`)."""\n'
    public = [
        "ClientEvent",
        "ServerEvent",
        "EMPTY",
        "UnknownVariant",
        *ir.enums,
        *ir.models,
        *ir.unions,
        "TAGGED_UNIONS",
        "MIXED_UNIONS",
        "UNTAGGED_MEMBERS",
        "MODELS",
        "encode_client_event",
        "parse_client_event",
        "parse_server_event",
    ]
    yield render_models.all_block(public)


def docs_for(ir: IR) -> Mapping[str, str]:
    """The class docstrings the events use (for tests)."""
    return {name: _class_doc(model) for name, model in ir.models.items()}


__all__ = ["build_events_ir", "render", "render_rules_module"]
