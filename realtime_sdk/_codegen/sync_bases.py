"""Reading the async client's class hierarchy for its sync twin: the class, then its bases.

`RealtimeClient` inherits its public methods from base classes in other modules of the
package (grouped by what they do). The twin must cover every one of them, so the class's
bases are followed through the imports of each module, read with `ast` and never imported,
and put in Python's method resolution order: a member is taken from the first class that
defines it, as ``RealtimeClient.<name>`` finds it. Bases from outside the package (``object``,
``typing.Generic``) hold no public coroutines of the SDK and are not followed.
"""

import ast
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from realtime_sdk._codegen.sync_source import GenerationError, Imports, collect_imports, find_class

# Bases imported from modules under this package are followed; others are not.
PACKAGE_NAME: Final = "realtime_sdk"

# Reads a dotted module of the package: (its label for the header, its source text).
ModuleReader = Callable[[str], tuple[str, str]]


@dataclass(frozen=True)
class SourceClass:
    """One class of the hierarchy, with the module text it was read from."""

    name: str
    module: str  # dotted, as the twin would import from it ("" for the root's own text)
    label: str  # the path written into the generated header
    source: str
    node: ast.ClassDef
    imports: Imports

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.source.encode("utf-8")).hexdigest()


def class_hierarchy(
    source: str, *, name: str, label: str, read_module: ModuleReader
) -> list[SourceClass]:
    """The class ``name`` of ``source`` and its bases inside the package, in resolution order.

    Raises:
        GenerationError: the class or a base cannot be found, a base is imported relatively,
            or the bases have no consistent resolution order.
    """
    tree = ast.parse(source)
    root = SourceClass(name, "", label, source, find_class(tree, name), collect_imports(tree))
    sources: dict[str, tuple[str, str, ast.Module]] = {}
    linearised: dict[tuple[str, str], list[SourceClass]] = {}

    def linearise(cls: SourceClass) -> list[SourceClass]:
        key = (cls.module or label, cls.name)
        if key not in linearised:
            bases = [_read_base(cls, base, sources, read_module) for base in cls.node.bases]
            found = [base for base in bases if base is not None]
            linearised[key] = [cls, *_merge([*map(linearise, found), found], cls.name)]
        return linearised[key]

    return linearise(root)


def _read_base(
    cls: SourceClass,
    base: ast.expr,
    sources: dict[str, tuple[str, str, ast.Module]],
    read_module: ModuleReader,
) -> SourceClass | None:
    """The base class ``base`` of ``cls`` when it is defined inside the package, else None."""
    if isinstance(base, ast.Subscript):
        base = base.value  # Generic[T], or a generic base of the package
    if not isinstance(base, ast.Name):
        # A dotted base (module.Class) could hide coroutines the twin would miss.
        msg = f"{cls.name}: base {ast.unparse(base)} is not a plain name; import it by name"
        raise GenerationError(msg)
    if base.id in cls.imports.defined:
        node = find_class(ast.parse(cls.source), base.id)
        return SourceClass(base.id, cls.module, cls.label, cls.source, node, cls.imports)
    origin = cls.imports.imported.get(base.id)
    if origin is None:
        return None  # a builtin such as object or Exception
    module, level, imported = origin
    if level:
        msg = f"{cls.name}: base {base.id} is imported relatively; import it by its full name"
        raise GenerationError(msg)
    if imported is None or not module.startswith(f"{PACKAGE_NAME}."):
        return None
    if module not in sources:
        module_label, text = read_module(module)
        sources[module] = (module_label, text, ast.parse(text))
    module_label, text, tree = sources[module]
    try:
        node = find_class(tree, imported)
    except GenerationError:
        msg = f"{cls.name}: base {base.id} is not a class defined in {module_label}"
        raise GenerationError(msg) from None
    return SourceClass(imported, module, module_label, text, node, collect_imports(tree))


def _merge(sequences: list[list[SourceClass]], name: str) -> list[SourceClass]:
    """C3 merge, as Python orders a class's bases."""
    pending = [list(sequence) for sequence in sequences if sequence]
    merged: list[SourceClass] = []
    while pending:
        for sequence in pending:
            head = sequence[0]
            if not any(_same(head, other) for rest in pending for other in rest[1:]):
                break
        else:
            msg = f"{name}: its bases have no consistent method resolution order"
            raise GenerationError(msg)
        merged.append(head)
        pending = [[cls for cls in sequence if not _same(cls, head)] for sequence in pending]
        pending = [sequence for sequence in pending if sequence]
    return merged


def _same(one: SourceClass, other: SourceClass) -> bool:
    return (one.label, one.name) == (other.label, other.name)


def merge_imports(into: Imports, runtime: set[str], cls: SourceClass, names: set[str]) -> None:
    """Add where each of ``names`` (used by ``cls``'s members) comes from to ``into``.

    A name the root class's module defines stays ``defined`` (imported from the async
    client's module); one a base's module defines is imported from that module. A name
    imported at run time by any module is imported at run time by the twin.

    Raises:
        GenerationError: two modules bind one name to different things.
    """
    for name in names:
        if name in cls.imports.imported:
            origin = cls.imports.imported[name]
            if name in cls.imports.typing_only:
                into.typing_only.add(name)
            else:
                runtime.add(name)
        elif name in cls.imports.defined and not cls.module:
            into.defined.add(name)
            continue
        elif name in cls.imports.defined:
            origin = (cls.module, 0, name)
            runtime.add(name)
        else:
            continue  # unknown: render_imports names it
        known = into.imported.setdefault(name, origin)
        if known != origin or name in into.defined:
            msg = f"{name!r} means different things in the modules of {cls.name}'s hierarchy"
            raise GenerationError(msg)
