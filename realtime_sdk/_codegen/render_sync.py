"""Render ``_sync/_client.py`` (the blocking `SyncRealtimeClient`) from the async client's source.

The async client is read with `ast`, never imported: no import side effects, and
annotations keep their source form. Every public coroutine of `RealtimeClient` and of the
base classes it inherits from inside the package (followed through their imports, in
Python's method resolution order), plus ``aclose``/``__aenter__``/``__aexit__``, gets a
typed ``def`` twin with the same parameters, return annotation and docstring, whose body
hands the call to `realtime_sdk._sync._portal.Portal`. See STYLE.md sections 6 and 9.

This module holds the facts of the twin (where, what is renamed or dropped) and emits its
members; `sync_bases` finds the classes, `sync_source` reads each member and `sync_text`
writes the formatted text.

``python -m realtime_sdk._codegen`` rewrites the output; ``--check`` diffs it and exits 1
on drift.
"""

import ast
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from realtime_sdk._codegen.sync_bases import SourceClass, class_hierarchy, merge_imports
from realtime_sdk._codegen.sync_source import (
    ASYNC_CLASS,
    ASYNC_ONLY_PARAMETERS,
    RENAMES,
    GenerationError,
    Imports,
    Renamer,
    check_plain,
    collect_imports,
    expression,
    find_class,
    own_nodes,
    parameters,
    twin_docstring,
)
from realtime_sdk._codegen.sync_text import call_text, render_imports, signature_text

__all__ = ["GenerationError", "render", "render_azure", "render_azure_source", "render_source"]

PACKAGE: Final = Path(__file__).resolve().parent.parent
# The class's module; its bases inside the package are found from its imports (`sync_bases`).
SOURCE: Final = PACKAGE / "_client" / "_surface.py"
OUTPUT: Final = PACKAGE / "_sync" / "_client.py"
SOURCE_MODULE: Final = "realtime_sdk._client"
SOURCE_LABEL: Final = "realtime_sdk/_client/_surface.py"
REGENERATE: Final = "python -m realtime_sdk._codegen"
# The facade's runtime, hand-written: `Portal` runs the calls, `derive_facade` wraps derived clients.
RUNTIME_MODULE: Final = "realtime_sdk._sync._portal"
SYNC_MODULE: Final = "realtime_sdk._sync._client"

LIFECYCLE: Final = frozenset({"aclose", "__aenter__", "__aexit__"})
# Plain methods that return a new client sharing this one's pool: the twin wraps the new
# async client in a facade sharing this facade's loop thread (`derive_facade`).
DERIVERS: Final = frozenset({"with_options"})
# Plain methods returning an async context manager over a live resource (a connection): the
# twin wraps it in the blocking manager named here (module, class), driven by the portal.
CONNECTORS: Final = {"connect": ("realtime_sdk._sync._connection", "SyncRealtimeConnectionManager")}
# The name the generated class uses for its runtime; it cannot clash with a parameter.
PORTAL_ATTR: Final = "_portal"

CLASS_DOCSTRING: Final = '''"""Blocking twin of `RealtimeClient`: the same constructor and methods, without ``await``.

    Calls run on a private event loop thread that lives as long as this client, so its
    connection pool and keep-alive connections are reused from call to call. It works from
    plain scripts, from several threads at once and from code that already runs an event
    loop (a notebook, a sync helper inside an async framework). Close it with `close()` or
    a ``with`` block; one never closed is closed when it is collected or at exit.
    """'''


def render(source_path: Path = SOURCE) -> str:
    """Render the text of ``_sync/_client.py`` from the async client's source file.

    Args:
        source_path: the async client module to read.

    Returns:
        The complete module text.

    Raises:
        GenerationError: the source has a shape with no sync rule.
    """
    return render_source(source_path.read_text(encoding="utf-8"))


def render_source(
    source: str,
    *,
    module: str = SOURCE_MODULE,
    source_label: str = SOURCE_LABEL,
) -> str:
    """Render the facade module from the async client's source text.

    The class's bases defined inside the package are read too (`sync_bases`): their public
    coroutines get twins as the class's own do, in Python's method resolution order.

    Args:
        source: Python source defining ``class RealtimeClient``.
        module: the dotted module the facade imports the async client from.
        source_label: the source path written into the header.

    Returns:
        The complete module text, ruff-format stable.

    Raises:
        GenerationError: no `RealtimeClient`, a public member with no sync rule, a
            missing annotation, a name that cannot be imported, or an unused rename.
    """
    classes = class_hierarchy(
        source, name=ASYNC_CLASS, label=source_label, read_module=_read_module
    )
    twin = _Twin()
    twin.renamer.name(ASYNC_CLASS)
    seen: set[str] = set()
    for cls in classes:
        # Python's order: a member comes from the first class of the hierarchy defining it.
        nodes = [
            node
            for node in cls.node.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name not in seen
        ]
        seen.update(node.name for node in nodes)
        twin.add(cls, nodes)
    if twin.init is None:
        msg = f"{ASYNC_CLASS} has no __init__ for the facade to mirror"
        raise GenerationError(msg)
    unused = sorted(set(RENAMES) - twin.renamer.used)
    if unused:
        msg = f"rename table entries unused by {source_label}: {', '.join(unused)}"
        raise GenerationError(msg)
    constructor = twin.constructor(*twin.init)
    twin.imports.typing_only -= twin.runtime

    return (
        _header(source_label, classes[0].digest, _base_sources(twin.sources))
        + '\n"""The blocking `SyncRealtimeClient`, generated from the async `RealtimeClient`."""\n\n'
        + render_imports(
            twin.used_names,
            twin.imports,
            module,
            own=RENAMES[ASYNC_CLASS],
            fixed=[
                (module, ASYNC_CLASS),
                (RUNTIME_MODULE, "Portal"),
                *([(RUNTIME_MODULE, "derive_facade")] if twin.derives else []),
                *twin.connectors,
            ],
        )
        + f"\n\nclass {RENAMES[ASYNC_CLASS]}:\n    {CLASS_DOCSTRING}\n\n"
        + "\n".join([constructor, *twin.methods])
    )


@dataclass
class _Twin:
    """The twin's members as they are rendered, class by class of the hierarchy."""

    renamer: Renamer = field(default_factory=Renamer)
    imports: Imports = field(default_factory=Imports)
    runtime: set[str] = field(default_factory=set)  # names some source imports at run time
    used_names: set[str] = field(default_factory=set)
    methods: list[str] = field(default_factory=list)
    init: tuple[ast.FunctionDef, SourceClass] | None = None
    derives: bool = False
    connectors: list[tuple[str, str]] = field(default_factory=list)
    # The classes a member was taken from: their modules' digests go into the header.
    sources: list[SourceClass] = field(default_factory=list)

    def add(self, cls: SourceClass, nodes: list[ast.FunctionDef | ast.AsyncFunctionDef]) -> None:
        """Render the members ``nodes`` of ``cls``: one branch per kind, read top to bottom."""
        used: set[str] = set()
        text, renamer = cls.source, self.renamer
        before = len(self.methods)
        for node in nodes:
            if isinstance(node, ast.FunctionDef) and node.name == "__init__":
                self.init = (node, cls)
            elif isinstance(node, ast.AsyncFunctionDef) and _wants_twin(node.name):
                self.methods.append(_render_method(node, text, renamer, used))
            elif isinstance(node, ast.FunctionDef) and _is_public(node.name) and _is_property(node):
                self.methods.append(_render_property(node, text, renamer, used))
            elif isinstance(node, ast.FunctionDef) and node.name in DERIVERS:
                self.methods.append(_render_deriver(node, text, renamer, used))
                self.derives = True
            elif isinstance(node, ast.FunctionDef) and node.name in CONNECTORS:
                self.methods.append(_render_connector(node, text, renamer, used))
                self.connectors.append(CONNECTORS[node.name])
            elif _is_public(node.name):
                kind = "coroutine" if isinstance(node, ast.AsyncFunctionDef) else "method"
                msg = f"{ASYNC_CLASS}.{node.name}: no sync rule for this public {kind}"
                raise GenerationError(msg)
        if len(self.methods) > before or (self.init is not None and self.init[1] is cls):
            self.sources.append(cls)
        self._use(cls, used)

    def constructor(self, node: ast.FunctionDef, cls: SourceClass) -> str:
        used: set[str] = set()
        text = _render_init(node, cls.source, self.renamer, used)
        self._use(cls, used)
        return text

    def _use(self, cls: SourceClass, used: set[str]) -> None:
        merge_imports(self.imports, self.runtime, cls, used)
        self.used_names |= used


# The Azure twin: a subclass of the sync client whose constructor builds the Azure client.
AZURE_SOURCE: Final = PACKAGE / "_client" / "_azure.py"
AZURE_OUTPUT: Final = PACKAGE / "_sync" / "_azure.py"
AZURE_MODULE: Final = "realtime_sdk._client._azure"
AZURE_LABEL: Final = "realtime_sdk/_client/_azure.py"
AZURE_CLASS: Final = "AzureRealtimeClient"
SYNC_AZURE_CLASS: Final = "SyncAzureRealtimeClient"

AZURE_DOCSTRING: Final = '''"""Blocking twin of `AzureRealtimeClient`: `SyncRealtimeClient` for an Azure OpenAI resource.

    The same methods as `SyncRealtimeClient` (they are inherited), on a private event loop
    thread of its own; only the constructor differs.
    """'''


def render_azure(source_path: Path = AZURE_SOURCE) -> str:
    """Render ``_sync/_azure.py`` from the Azure client's source file.

    Returns:
        The complete module text.

    Raises:
        GenerationError: the source has a shape with no sync rule.
    """
    return render_azure_source(source_path.read_text(encoding="utf-8"))


def render_azure_source(source: str) -> str:
    """Render the Azure facade: a `SyncRealtimeClient` subclass with a mirrored constructor.

    Only ``__init__`` and read-only properties are mirrored; every method is inherited
    from `SyncRealtimeClient`, whose portal then drives the Azure client.

    Raises:
        GenerationError: no `AzureRealtimeClient`, or a public method with no sync rule.
    """
    tree = ast.parse(source)
    imports = collect_imports(tree)
    cls = find_class(tree, AZURE_CLASS)
    renamer = Renamer()
    used_names: set[str] = set()
    init = None
    members: list[str] = []
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            init = node
        elif isinstance(node, ast.FunctionDef) and _is_public(node.name) and _is_property(node):
            members.append(_render_property(node, source, renamer, used_names))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _is_public(node.name):
            msg = f"{AZURE_CLASS}.{node.name}: no sync rule (only __init__ and properties)"
            raise GenerationError(msg)
    if init is None:
        msg = f"{AZURE_CLASS} has no __init__ for the facade to mirror"
        raise GenerationError(msg)
    constructor = _render_init(init, source, renamer, used_names, target=AZURE_CLASS)
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
    sync_base = RENAMES[ASYNC_CLASS]
    used_names.discard(sync_base)
    return (
        _header(AZURE_LABEL, digest)
        + f'\n"""The blocking `{SYNC_AZURE_CLASS}`, generated from the async `{AZURE_CLASS}`."""\n\n'
        + render_imports(
            used_names,
            imports,
            AZURE_MODULE,
            own=sync_base,
            fixed=[
                (AZURE_MODULE, AZURE_CLASS),
                (RUNTIME_MODULE, "Portal"),
                (SYNC_MODULE, sync_base),
            ],
        )
        + f"\n\nclass {SYNC_AZURE_CLASS}({sync_base}):\n    {AZURE_DOCSTRING}\n\n"
        + "\n".join([constructor, *members])
    )


def _header(source_label: str, digest: str, bases: str = "") -> str:
    return (
        f"# GENERATED by realtime_sdk/_codegen/render_sync.py from {source_label}: do not edit.\n"
        f"# Source sha256: {digest}\n" + bases + f"# Regenerate with: {REGENERATE}\n"
    )


def _base_sources(classes: list[SourceClass]) -> str:
    """One header line per other module a member was taken from, with its sha256.

    A base that gave no member (the attempt engine: only private methods) is left out, so a
    change to it does not touch the twin; a public coroutine added to it would, as drift.
    """
    root = classes[0].label
    modules = {cls.label: cls.digest for cls in classes if cls.label != root}
    return "".join(f"# Base source sha256: {digest} {label}\n" for label, digest in modules.items())


def _read_module(module: str) -> tuple[str, str]:
    """The header label and source text of a dotted module of the package (a base's home)."""
    relative = Path(*module.split("."))
    for path in (relative.with_suffix(".py"), relative / "__init__.py"):
        if (PACKAGE.parent / path).is_file():
            return path.as_posix(), (PACKAGE.parent / path).read_text(encoding="utf-8")
    msg = f"no source file for module {module} under {PACKAGE.parent}"
    raise GenerationError(msg)


def _is_public(name: str) -> bool:
    return not name.startswith("_")


def _wants_twin(name: str) -> bool:
    return _is_public(name) or name in LIFECYCLE


def _render_method(
    node: ast.AsyncFunctionDef,
    source: str,
    renamer: Renamer,
    used_names: set[str],
) -> str:
    check_plain(node)
    assert node.returns is not None
    qualname = f"{ASYNC_CLASS}.{node.name}"
    name = renamer.name(node.name)
    params = parameters(qualname, node.args, renamer, used_names)
    returns = expression(node.returns, renamer, used_names)
    head = (
        signature_text(name, params, returns)
        + twin_docstring(node, source, renamer)
        + _leading_warning(node, renamer, used_names)
    )
    if node.name == "aclose":
        if params:
            msg = f"{qualname} takes parameters; close() would have to drop them"
            raise GenerationError(msg)
        return head + f"        self.{PORTAL_ATTR}.close()\n"
    if node.name == "__aexit__":
        if returns != "None":
            msg = f"{qualname} must return None: the facade never suppresses exceptions"
            raise GenerationError(msg)
        return head + "        self.close()\n"
    target = f"{ASYNC_CLASS}.{node.name}"
    arguments = [target, *(param.call for param in params if param.call is not None)]
    run = f"self.{PORTAL_ATTR}.run"
    if node.name == "__aenter__":
        if params:
            msg = f"{qualname} takes parameters; __enter__ cannot"
            raise GenerationError(msg)
        return head + call_text(run, arguments) + "        return self\n"
    if returns == "None":
        return head + call_text(run, arguments)
    return head + call_text(f"return {run}", arguments)


# The SDK's warning helper: a coroutine may call it as its first statement only.
WARN_CALLER: Final = "warn_caller"


def _leading_warning(node: ast.AsyncFunctionDef, renamer: Renamer, used_names: set[str]) -> str:
    """The twin's copy of a ``warn_caller(...)`` statement that follows the docstring.

    A coroutine runs on the facade's loop thread, where no frame is the caller's (there,
    ``warn_caller`` does nothing): the twin gives the warning on the caller's thread. A
    ``warn_caller`` anywhere else in a coroutine would be lost that way, so it is refused.
    """
    qualname = f"{ASYNC_CLASS}.{node.name}"
    leading = node.body[1] if len(node.body) > 1 else None
    found = ""
    for child in own_nodes(node):
        if not (
            isinstance(child, ast.Call)
            and isinstance(child.func, ast.Name)
            and child.func.id == WARN_CALLER
        ):
            continue
        if not (isinstance(leading, ast.Expr) and leading.value is child):
            msg = f"{qualname}: {WARN_CALLER}() must be the first statement after the docstring"
            raise GenerationError(msg)
        arguments = [expression(arg, renamer, used_names) for arg in child.args]
        arguments += [
            f"{keyword.arg}={expression(keyword.value, renamer, used_names)}"
            for keyword in child.keywords
        ]
        found = call_text(expression(child.func, renamer, used_names), arguments)
    return found


def _is_property(node: ast.FunctionDef) -> bool:
    return [ast.unparse(decorator) for decorator in node.decorator_list] == ["property"]


def _render_property(
    node: ast.FunctionDef,
    source: str,
    renamer: Renamer,
    used_names: set[str],
) -> str:
    """A read-only property reads the same property of the async client.

    Reading plain state from another thread is safe; anything that needs the loop is a
    coroutine on the async side and gets a method twin instead.
    """
    qualname = f"{ASYNC_CLASS}.{node.name}"
    if node.returns is None:
        msg = f"{qualname} has no return annotation"
        raise GenerationError(msg)
    if parameters(qualname, node.args, renamer, used_names):
        msg = f"{qualname}: a property takes only self"
        raise GenerationError(msg)
    returns = expression(node.returns, renamer, used_names)
    return (
        "    @property\n"
        + signature_text(node.name, [], returns)
        + twin_docstring(node, source, renamer)
        + f"        return self.{PORTAL_ATTR}.client.{node.name}\n"
    )


def _render_deriver(
    node: ast.FunctionDef,
    source: str,
    renamer: Renamer,
    used_names: set[str],
) -> str:
    """A method returning a derived client returns a facade over it, on the same loop thread.

    The async method only builds objects (no I/O, no loop), so it runs on the caller's thread.
    """
    check_plain(node)
    assert node.returns is not None
    qualname = f"{ASYNC_CLASS}.{node.name}"
    returns = expression(node.returns, renamer, used_names)
    if returns != "Self":
        msg = f"{qualname} must return Self to get a derived facade"
        raise GenerationError(msg)
    params = parameters(qualname, node.args, renamer, used_names)
    head = signature_text(node.name, params, returns) + twin_docstring(node, source, renamer)
    arguments = [param.call for param in params if param.call is not None]
    lines = ["        return derive_facade(", "            self,"]
    lines.append(f"            self.{PORTAL_ATTR}.client.{node.name}(")
    lines += [f"                {argument}," for argument in arguments]
    lines += ["            ),", "        )"]
    return head + "\n".join(lines) + "\n"


def _render_connector(
    node: ast.FunctionDef,
    source: str,
    renamer: Renamer,
    used_names: set[str],
) -> str:
    """A method returning a connection manager returns the blocking manager over it.

    The async method only checks its arguments and builds the manager (no I/O, no loop), so
    it runs on the caller's thread; the handshake runs on the loop thread at ``with``.
    """
    check_plain(node)
    qualname = f"{ASYNC_CLASS}.{node.name}"
    _, returns = CONNECTORS[node.name]
    params = parameters(qualname, node.args, renamer, used_names)
    head = signature_text(node.name, params, returns) + twin_docstring(node, source, renamer)
    arguments = [param.call for param in params if param.call is not None]
    lines = [f"        return {returns}(", f"            self.{PORTAL_ATTR},"]
    lines.append(f"            self.{PORTAL_ATTR}.client.{node.name}(")
    lines += [f"                {argument}," for argument in arguments]
    lines += ["            ),", "        )"]
    return head + "\n".join(lines) + "\n"


def _render_init(
    node: ast.FunctionDef,
    source: str,
    renamer: Renamer,
    used_names: set[str],
    target: str = ASYNC_CLASS,
) -> str:
    check_plain(node)
    params = parameters(
        f"{target}.__init__",
        node.args,
        renamer,
        used_names,
        skip=ASYNC_ONLY_PARAMETERS["__init__"],
    )
    head = signature_text("__init__", params, "None") + twin_docstring(node, source, renamer)
    arguments = [target, *(param.call for param in params if param.call is not None)]
    return head + call_text(f"self.{PORTAL_ATTR} = Portal", arguments)
