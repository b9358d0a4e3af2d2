"""Render the REST models as modules split by use, and ``models.py``, which re-exports them.

Each module of `placement.MODULES` becomes ``realtime_sdk/_models/<name>.py`` with its
classes, enums, unions and tables (what the converter dispatches on), importing what it
uses from the modules before it. ``realtime_sdk/models.py`` names every model for users
and type checkers, and loads each from its module on first use (PEP 562), so importing a
model creates only the classes of its module and the ones before it. See STYLE.md 3 and 9.
"""

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Final

from realtime_sdk._codegen import render_models
from realtime_sdk._codegen.ir import IR
from realtime_sdk._codegen.placement import MODULES, PACKAGE_NAME, Module, Placement, place
from realtime_sdk._codegen.render_models import INDENT, LINE_LENGTH, SPEC_PATH, header
from realtime_sdk._codegen.spec import build_ir, effective_spec, load_document

FACADE_OUTPUT: Final = render_models.PACKAGE / "models.py"
PACKAGE_DIR: Final = render_models.PACKAGE / "_models"
PACKAGE_OUTPUT: Final = PACKAGE_DIR / "__init__.py"


def module_output(module: Module) -> Path:
    """Where a models module is written."""
    return PACKAGE_DIR / f"{module.name}.py"


@functools.cache
def _built(spec_path: Path) -> tuple[IR, Placement, str]:
    ir = build_ir(effective_spec(load_document(spec_path)))
    digest = hashlib.sha256(spec_path.read_bytes()).hexdigest()
    return ir, place(ir), digest


def _part(ir: IR, placement: Placement, module: Module) -> IR:
    """The piece of `ir` that lives in `module`."""
    return IR(
        models={n: ir.models[n] for n in placement.names_in(module, ir.models)},
        enums={n: ir.enums[n] for n in placement.names_in(module, ir.enums)},
        unions={n: ir.unions[n] for n in placement.names_in(module, ir.unions)},
        event_roots={e: c for e, c in ir.event_roots.items() if placement.home[c] == module.name},
    )


# --- one module -----------------------------------------------------------------------------

# The names a module may use from outside the generated modules, by the module they come from.
_RUNTIME: Final = {
    "realtime_sdk._empty": ("EMPTY",),
    "realtime_sdk._repr": ("model_repr",),
    "realtime_sdk._secret": ("Secret",),
    "realtime_sdk._tokens": (
        "ClientSecretHelpers",
        "SessionSecretHelpers",
        "TranscriptionSecretHelpers",
    ),
    "realtime_sdk._unknown": ("UnknownVariant",),
    "realtime_sdk._unset": ("UNSET", "Unset"),
}
_TYPING: Final = ("Any", "ClassVar", "Final", "Literal", "TypeAlias")


def _identifiers(body: str) -> set[str]:
    """The names the code of `body` uses: docstrings and string literals left out."""
    code = re.sub(r'"""[\s\S]*?"""', "", body)
    code = re.sub(r'"[^"\n]*"', "", code)
    return set(re.findall(r"\b[A-Za-z_]\w*\b", code))


def _from_import(module: str, names: Iterable[str], indent: str = "") -> str:
    """One ``from`` import in ruff's layout: one line when it fits, else one name a line."""
    ordered = sorted(names, key=lambda n: (not n.isupper(), n.lower()))
    line = f"{indent}from {module} import {', '.join(ordered)}"
    if len(line) <= LINE_LENGTH:
        return line
    body = "".join(f"{indent}{INDENT}{name},\n" for name in ordered)
    return f"{indent}from {module} import (\n{body}{indent})"


def _imports(body: str, placement: Placement, module: Module) -> str:
    used = _identifiers(body)
    lines = ["from collections.abc import Mapping"]
    lines.append(_from_import("typing", [n for n in _TYPING if n in used]))
    lines += ["", "import attrs", ""] if "attrs" in used else [""]
    first_party: dict[str, list[str]] = {
        source: [n for n in names if n in used] for source, names in _RUNTIME.items()
    }
    for other in placement.modules:
        if other is module:
            break
        names = [n for n in sorted(used) if placement.home.get(n) == other.name]
        first_party[other.qualified] = names
    lines.extend(_from_import(src, names) for src, names in sorted(first_party.items()) if names)
    return "\n".join(lines) + "\n"


def render_module(module: Module, spec_path: Path = SPEC_PATH) -> str:
    """The text of one models module.

    Raises:
        SpecError: the spec has a shape the generator has no rule, name or module for.
    """
    ir, placement, digest = _built(spec_path)
    body = render_models.module_body(ir, _part(ir, placement, module), reexport=False)
    doc = f'"""{module.doc}\n\nGenerated; ``realtime_sdk.models`` re-exports every name.\n"""\n'
    imports = _imports(body, placement, module)
    if body.startswith("\n\n@"):
        imports += "\n"  # ruff's two blank lines before a class
    # PYI051 (`Literal[...] | str`): open enums list their known values on purpose.
    noqa = re.search(r"Literal\[[^\]]*\]\s*\|\s*str", body) is not None
    return header(digest, noqa=noqa) + doc + "\n" + imports.removesuffix("\n") + body


# --- the package and the facade ------------------------------------------------------------


def render_package(spec_path: Path = SPEC_PATH) -> str:
    """The text of ``realtime_sdk/_models/__init__.py``: the list of the modules."""
    _, _, digest = _built(spec_path)
    names = "".join(f'{INDENT}"{m.qualified}",\n' for m in MODULES)
    return (
        header(digest, noqa=False)
        + '"""The REST models, one module per use (see ``realtime_sdk.models``)."""\n'
        + "\nfrom typing import Final\n"
        + f"\nMODULES: Final = (\n{names})\n"
        + '"""Every models module, in dependency order."""\n'
        + '\n__all__ = ["MODULES"]\n'
    )


_FACADE_DOC: Final = (
    '"""Typed models for the OpenAI Realtime REST API: one attrs class per object shape.\n\n'
    "Plain typed data: keyword-only, slotted and mutable, with no checks of their own.\n"
    "Required fields have their own type, nullable ones take `None`, optional ones default\n"
    "to `UNSET` and are left out of the JSON. Requests are checked as the JSON they are sent\n"
    "as, by the rules generated beside these classes (`realtime_sdk.validate`). Answers may\n"
    "carry enum values, tags, keys and nulls this SDK does not expect: they are kept\n"
    "(`extra_fields`, `UnknownVariant`, a `None` in the field) and written back unchanged.\n\n"
    "The classes live in generated modules under ``realtime_sdk._models``, split by use;\n"
    "each name here is loaded from its module when first used, so a program creates only\n"
    "the classes it needs. The tables (`MODELS`, `TAGGED_UNIONS`, ...) merge every module's.\n"
    '"""\n'
)

# The tables every module has, merged here on first use (which loads every module).
_MERGED: Final = {
    "MODELS": "frozenset[type[Any]]",
    "REQUEST_MODELS": "frozenset[type[Any]]",
    "RESPONSE_MODELS": "frozenset[type[Any]]",
    "TAGGED_UNIONS": "Mapping[object, tuple[str, Mapping[str, object]]]",
    "MIXED_UNIONS": "Mapping[object, Mapping[str, object]]",
    "UNTAGGED_MEMBERS": "Mapping[object, type[Any]]",
}

_FACADE_CODE: Final = '''
_SETS: Final = ("MODELS", "REQUEST_MODELS", "RESPONSE_MODELS")
_MAPS: Final = ("TAGGED_UNIONS", "MIXED_UNIONS", "UNTAGGED_MEMBERS")


def __getattr__(name: str) -> Any:  # noqa: ANN401 - any model, alias or table
    """Load `name` from its module on first use (PEP 562); later reads find it here."""
    home = _HOMES.get(name)
    if home is not None:
        value = getattr(importlib.import_module(f"realtime_sdk._models.{home}"), name)
    elif name in _SETS:
        value = frozenset().union(*_every(name))
    elif name in _MAPS:
        value = {key: item for table in _every(name) for key, item in table.items()}
    else:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    globals()[name] = value
    return value


def _every(name: str) -> list[Any]:
    return [getattr(importlib.import_module(module), name) for module in MODULES]


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

'''


def render_facade(spec_path: Path = SPEC_PATH) -> str:
    """The text of ``realtime_sdk/models.py``."""
    ir, placement, digest = _built(spec_path)
    homes = {name: placement.home[name] for name in [*ir.enums, *ir.models, *ir.unions]}
    homes["WEBHOOK_EVENTS"] = placement.home[next(iter(ir.event_roots.values()))]
    lines = [
        "",
        "import importlib",
        "from typing import TYPE_CHECKING, Any, Final",
        "",
        "from realtime_sdk._empty import EMPTY",
        "from realtime_sdk._models import MODULES",
        "from realtime_sdk._unknown import UnknownVariant",
        "",
        "if TYPE_CHECKING:",
        f"{INDENT}from collections.abc import Mapping",
        "",
    ]
    for module in sorted(MODULES, key=lambda m: m.qualified):  # ruff's order: by module name
        names = [n for n in homes if homes[n] == module.name]
        lines.append(_from_import(module.qualified, names, INDENT))
    lines.append("")
    lines.extend(f"{INDENT}{name}: {annotation}" for name, annotation in _MERGED.items())
    lines.append("")
    lines.append("_HOMES: Final = {")
    lines.extend(f'{INDENT}"{name}": "{home}",' for name, home in sorted(homes.items()))
    lines.append("}")
    lines.append(f'"""The module (under ``{PACKAGE_NAME}``) of each name."""')
    text = "\n".join(lines) + "\n" + _FACADE_CODE
    public = ["EMPTY", "UnknownVariant", *homes, *_MERGED]
    return header(digest, noqa=False) + _FACADE_DOC + text + render_models.all_block(public)


def targets() -> list[tuple[Path, Callable[[], str]]]:
    """Every file of the split models: its path and a function rendering its text."""
    out: list[tuple[Path, Callable[[], str]]] = [
        (FACADE_OUTPUT, render_facade),
        (PACKAGE_OUTPUT, render_package),
    ]
    out.extend((module_output(m), functools.partial(render_module, m)) for m in MODULES)
    return out


__all__ = [
    "FACADE_OUTPUT",
    "PACKAGE_OUTPUT",
    "module_output",
    "render_facade",
    "render_module",
    "render_package",
    "targets",
]
