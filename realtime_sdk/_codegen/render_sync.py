"""Render ``_sync_client.py`` (the blocking `SyncRealtimeClient`) from the source of ``_client.py``.

The async client is read with `ast`, never imported: no import side effects, and
annotations keep their source form. Every public coroutine of `RealtimeClient`, plus
``aclose``/``__aenter__``/``__aexit__``, gets a typed ``def`` twin with the same
parameters, return annotation and docstring, whose body hands the call to
`realtime_sdk._sync_support.Portal`. See STYLE.md sections 6 and 9.

``python -m realtime_sdk._codegen`` rewrites the output; ``--check`` diffs it and exits 1
on drift.
"""

import ast
import builtins
import copy
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

PACKAGE: Final = Path(__file__).resolve().parent.parent
SOURCE: Final = PACKAGE / "_client" / "_surface.py"
OUTPUT: Final = PACKAGE / "_sync_client.py"
SOURCE_MODULE: Final = "realtime_sdk._client"
SOURCE_LABEL: Final = "realtime_sdk/_client/_surface.py"
REGENERATE: Final = "python -m realtime_sdk._codegen"

ASYNC_CLASS: Final = "RealtimeClient"
# Every entry must be used by a run, so a renamed source method cannot slip through unnoticed.
RENAMES: Final = {
    "RealtimeClient": "SyncRealtimeClient",
    "aclose": "close",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
}
LIFECYCLE: Final = frozenset({"aclose", "__aenter__", "__aexit__"})
# Plain methods that return a new client sharing this one's pool: the twin wraps the new
# async client in a facade sharing this facade's loop thread (`derive_facade`).
DERIVERS: Final = frozenset({"with_options"})
# Plain methods returning an async context manager over a live resource (a connection): the
# twin wraps it in the blocking manager named here (module, class), driven by the portal.
CONNECTORS: Final = {"connect": ("realtime_sdk._sync_realtime", "SyncRealtimeConnectionManager")}
# Parameters the twin leaves out: they can only fail there. An aiohttp session belongs to
# the event loop that made it, and the facade runs its calls on a loop of its own.
ASYNC_ONLY_PARAMETERS: Final = {"__init__": frozenset({"session"})}
# Docstring entries that describe the async side only: the facade has no event loop of the
# caller's to mismatch (it raises RuntimeError if called from its own loop thread).
ASYNC_ONLY_RAISES: Final = frozenset({"EventLoopMismatchError"})
# Phrases of the async docstrings rewritten for the twin, as (async text, sync text).
SYNC_PHRASES: Final = (
    ("Open the client in the running loop and return it.", "Open the client and return it."),
    ("\n\n        A session passed in by the caller is left open: its owner closes it.", ""),
    ("``async with client.connect(", "``with client.connect("),
    ("``async with`` (or ``await manager.enter()``)", "``with`` (or ``manager.enter()``)"),
    (
        "``async with`` it to get the `RealtimeConnection`",
        "``with`` it to get the `SyncRealtimeConnection`",
    ),
)
# The name the generated class uses for its runtime; it cannot clash with a parameter.
PORTAL_ATTR: Final = "_portal"
LINE_LENGTH: Final = 100

CLASS_DOCSTRING: Final = '''"""Blocking twin of `RealtimeClient`: the same constructor and methods, without ``await``.

    Calls run on a private event loop thread that lives as long as this client, so its
    connection pool and keep-alive connections are reused from call to call. It works from
    plain scripts, from several threads at once and from code that already runs an event
    loop (a notebook, a sync helper inside an async framework). Close it with `close()` or
    a ``with`` block; one never closed is closed when it is collected or at exit.
    """'''


class GenerationError(Exception):
    """The async client's source has a shape this generator has no rule for."""


@dataclass
class _Imports:
    """Where each name the source module can see comes from."""

    # local name -> (module, level, imported name or None for `import module`)
    imported: dict[str, tuple[str, int, str | None]] = field(default_factory=dict)
    defined: set[str] = field(default_factory=set)
    # names imported under `if TYPE_CHECKING:` (the model classes): the twin does the same
    typing_only: set[str] = field(default_factory=set)


@dataclass
class _Renamer:
    """Applies `RENAMES` and remembers which entries were used."""

    used: set[str] = field(default_factory=set)

    def name(self, name: str) -> str:
        if name in RENAMES:
            self.used.add(name)
            return RENAMES[name]
        return name

    @staticmethod
    def text(text: str) -> str:
        # Prose mentions (``aclose()`` in a docstring) follow the rename but do not count as a
        # use: only a real definition proves the table still matches the source.
        return _RENAME_PATTERN.sub(lambda match: RENAMES[match.group(0)], text)


_RENAME_PATTERN: Final = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(old) for old in RENAMES) + r")(?!\w)"
)


def render(source_path: Path = SOURCE) -> str:
    """Render the text of ``_sync_client.py`` from the async client's source file.

    Args:
        source_path: the async client module to read.

    Returns:
        The complete module text.

    Raises:
        GenerationError: the source has a shape with no sync rule.
    """
    return render_source(source_path.read_text(encoding="utf-8"))


def render_source(  # noqa: C901 - one branch per kind of class member, read top to bottom
    source: str,
    *,
    module: str = SOURCE_MODULE,
    source_label: str = SOURCE_LABEL,
) -> str:
    """Render the facade module from the async client's source text.

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
    tree = ast.parse(source)
    imports = _collect_imports(tree)
    cls = _find_class(tree)
    renamer = _Renamer()
    renamer.name(ASYNC_CLASS)
    used_names: set[str] = set()

    methods: list[str] = []
    init = None
    twins: set[str] = set()
    coroutines: set[str] = set()
    derives = False
    connectors: list[tuple[str, str]] = []
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            init = node
        elif isinstance(node, ast.AsyncFunctionDef) and _wants_twin(node.name):
            coroutines.add(node.name)
            methods.append(_render_method(node, source, renamer, used_names))
            twins.add(node.name)
        elif isinstance(node, ast.FunctionDef) and _is_public(node.name) and _is_property(node):
            methods.append(_render_property(node, source, renamer, used_names))
        elif isinstance(node, ast.FunctionDef) and node.name in DERIVERS:
            methods.append(_render_deriver(node, source, renamer, used_names))
            derives = True
        elif isinstance(node, ast.FunctionDef) and node.name in CONNECTORS:
            methods.append(_render_connector(node, source, renamer, used_names))
            connectors.append(CONNECTORS[node.name])
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _is_public(node.name):
            kind = "coroutine" if isinstance(node, ast.AsyncFunctionDef) else "method"
            msg = f"{ASYNC_CLASS}.{node.name}: no sync rule for this public {kind}"
            raise GenerationError(msg)
    if init is None:
        msg = f"{ASYNC_CLASS} has no __init__ for the facade to mirror"
        raise GenerationError(msg)
    missing = sorted(coroutines - twins)
    if missing:  # pragma: no cover - every coroutine above either gets a twin or raises
        msg = f"public coroutines without a sync twin: {', '.join(missing)}"
        raise GenerationError(msg)
    unused = sorted(set(RENAMES) - renamer.used)
    if unused:
        msg = f"rename table entries unused by {source_label}: {', '.join(unused)}"
        raise GenerationError(msg)
    constructor = _render_init(init, source, renamer, used_names)

    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
    return (
        _header(source_label, digest)
        + '\n"""The blocking `SyncRealtimeClient`, generated from the async `RealtimeClient`."""\n\n'
        + _render_imports(used_names, imports, module, derives=derives, extra=connectors)
        + f"\n\nclass {RENAMES[ASYNC_CLASS]}:\n    {CLASS_DOCSTRING}\n\n"
        + "\n".join([constructor, *methods])
    )


# The Azure twin: a subclass of the sync client whose constructor builds the Azure client.
AZURE_SOURCE: Final = PACKAGE / "_client" / "_azure.py"
AZURE_OUTPUT: Final = PACKAGE / "_sync_azure.py"
AZURE_MODULE: Final = "realtime_sdk._client._azure"
AZURE_LABEL: Final = "realtime_sdk/_client/_azure.py"
AZURE_CLASS: Final = "AzureRealtimeClient"
SYNC_AZURE_CLASS: Final = "SyncAzureRealtimeClient"

AZURE_DOCSTRING: Final = '''"""Blocking twin of `AzureRealtimeClient`: `SyncRealtimeClient` for an Azure OpenAI resource.

    The same methods as `SyncRealtimeClient` (they are inherited), on a private event loop
    thread of its own; only the constructor differs.
    """'''


def render_azure(source_path: Path = AZURE_SOURCE) -> str:
    """Render ``_sync_azure.py`` from the Azure client's source file.

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
    imports = _collect_imports(tree)
    cls = _find_class(tree, AZURE_CLASS)
    renamer = _Renamer()
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
        + _render_imports(
            used_names,
            imports,
            AZURE_MODULE,
            async_class=AZURE_CLASS,
            extra=[(SOURCE_MODULE.replace("_client", "_sync_client"), sync_base)],
        )
        + f"\n\nclass {SYNC_AZURE_CLASS}({sync_base}):\n    {AZURE_DOCSTRING}\n\n"
        + "\n".join([constructor, *members])
    )


def _header(source_label: str, digest: str) -> str:
    return (
        f"# GENERATED by realtime_sdk/_codegen/render_sync.py from {source_label}: do not edit.\n"
        f"# Source sha256: {digest}\n"
        f"# Regenerate with: {REGENERATE}\n"
    )


def _is_public(name: str) -> bool:
    return not name.startswith("_")


def _wants_twin(name: str) -> bool:
    return _is_public(name) or name in LIFECYCLE


def _find_class(tree: ast.Module, name: str = ASYNC_CLASS) -> ast.ClassDef:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return node
    msg = f"no top-level class {name} in the source"
    raise GenerationError(msg)


def _collect_imports(tree: ast.Module) -> _Imports:
    found = _Imports()
    for node in tree.body:
        if isinstance(node, ast.Import):
            _collect_import(node, found)
        elif isinstance(node, ast.ImportFrom):
            _collect_from(node, found)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            for inner in node.body:
                if isinstance(inner, ast.ImportFrom):
                    found.typing_only.update(_collect_from(inner, found))
        elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            found.defined.add(node.name)
        elif isinstance(node, ast.Assign):
            found.defined.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            found.defined.add(node.target.id)
    return found


def _collect_import(node: ast.Import, found: _Imports) -> None:
    for alias in node.names:
        if alias.asname is None:
            # `import a.b` binds `a`; only the top package is reachable by that name.
            top = alias.name.split(".")[0]
            found.imported[top] = (top, 0, None)
        else:
            found.imported[alias.asname] = (alias.name, 0, None)


def _collect_from(node: ast.ImportFrom, found: _Imports) -> list[str]:
    names = [alias.asname or alias.name for alias in node.names]
    for alias, local in zip(node.names, names, strict=True):
        found.imported[local] = (node.module or "", node.level, alias.name)
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"


# --- expressions --------------------------------------------------------------------------


def _expression(node: ast.expr, renamer: _Renamer, used_names: set[str]) -> str:
    """Source text of an annotation or default, renamed, with double-quoted strings.

    `ast.unparse` writes strings with single quotes, which ruff's formatter would change;
    strings are swapped for placeholders and written back with JSON's double quotes.
    """
    node = copy.deepcopy(node)
    strings: list[str] = []
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            child.id = renamer.name(child.id)
            used_names.add(child.id)
        elif isinstance(child, ast.Constant) and isinstance(child.value, str):
            strings.append(json.dumps(renamer.text(child.value), ensure_ascii=False))
            child.value = _placeholder(len(strings) - 1)
    text = ast.unparse(node)
    for index, literal in enumerate(strings):
        text = text.replace(repr(_placeholder(index)), literal)
    return text


def _placeholder(index: int) -> str:
    return f"__realtime_sdk_string_{index}__"


@dataclass(frozen=True)
class _Param:
    text: str  # "name: Annotation = default", or a marker: "*", "/"
    call: str | None  # how the twin passes it on: "name", "name=name", "*name", "**name"


def _params(
    qualname: str,
    args: ast.arguments,
    renamer: _Renamer,
    used_names: set[str],
    *,
    skip: frozenset[str] = frozenset(),
) -> list[_Param]:
    positional = [*args.posonlyargs, *args.args]
    if not positional or positional[0].arg != "self":
        msg = f"{qualname}: the first parameter must be self"
        raise GenerationError(msg)
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += args.defaults

    def text(arg: ast.arg, default: ast.expr | None, prefix: str = "") -> str:
        return _param_text(qualname, arg, default, prefix, renamer=renamer, used_names=used_names)

    params: list[_Param] = []
    for index, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
        if index:
            params.append(_Param(text(arg, default), arg.arg))
        if index + 1 == len(args.posonlyargs):
            params.append(_Param("/", None))
    if args.vararg is not None:
        params.append(_Param(text(args.vararg, None, "*"), f"*{args.vararg.arg}"))
    elif args.kwonlyargs:
        params.append(_Param("*", None))
    params += [
        _Param(text(arg, default), f"{arg.arg}={arg.arg}")
        for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True)
        if arg.arg not in skip
    ]
    if args.kwarg is not None:
        params.append(_Param(text(args.kwarg, None, "**"), f"**{args.kwarg.arg}"))
    return params


def _param_text(
    qualname: str,
    arg: ast.arg,
    default: ast.expr | None,
    prefix: str,
    *,
    renamer: _Renamer,
    used_names: set[str],
) -> str:
    if arg.annotation is None:
        msg = f"{qualname}: parameter {arg.arg!r} has no annotation"
        raise GenerationError(msg)
    text = f"{prefix}{arg.arg}: {_expression(arg.annotation, renamer, used_names)}"
    if default is not None:
        text += f" = {_expression(default, renamer, used_names)}"
    return text


# --- methods ------------------------------------------------------------------------------


def _signature(name: str, params: Sequence[_Param], returns: str) -> str:
    one_line = f"    def {name}(self) -> {returns}:"
    if not params and len(one_line) <= LINE_LENGTH:
        return one_line + "\n"
    # One parameter per line with a trailing comma: ruff keeps this layout (magic comma).
    lines = [f"    def {name}(", "        self,"]
    lines += [f"        {param.text}," for param in params]
    lines.append(f"    ) -> {returns}:")
    return "\n".join(lines) + "\n"


def _call(prefix: str, arguments: Sequence[str], indent: str = "        ") -> str:
    one_line = f"{indent}{prefix}({arguments[0]})"
    if len(arguments) == 1 and len(one_line) <= LINE_LENGTH:
        return one_line + "\n"
    # Expanded with a trailing comma, which ruff's formatter keeps as it is.
    lines = [f"{indent}{prefix}("]
    lines += [f"{indent}    {argument}," for argument in arguments]
    lines.append(f"{indent})")
    return "\n".join(lines) + "\n"


def _docstring(node: ast.FunctionDef | ast.AsyncFunctionDef, source: str, renamer: _Renamer) -> str:
    qualname = f"{ASYNC_CLASS}.{node.name}"
    first = node.body[0] if node.body else None
    if not (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        msg = f"{qualname} has no docstring to carry over"
        raise GenerationError(msg)
    literal = ast.get_source_segment(source, first.value)
    assert literal is not None
    text = _for_sync(literal, ASYNC_ONLY_PARAMETERS.get(node.name, frozenset()))
    # The twin sits at the same depth as its source, so the literal's indentation still fits.
    return f"        {renamer.text(text)}\n"


def _for_sync(docstring: str, dropped: frozenset[str]) -> str:
    """An async docstring as the twin's: no entries for dropped parameters or async-only errors.

    Works on Google-style sections: an entry is a line ``name: text`` under ``Args:`` or
    ``Raises:`` and the lines indented deeper below it; a section left empty goes too.
    """
    for async_text, sync_text in SYNC_PHRASES:
        docstring = docstring.replace(async_text, sync_text)
    out: list[str] = []
    section = ""
    skipping_below: int | None = None  # the indentation of the entry being left out
    for line in docstring.split("\n"):
        indent = _indent(line)
        stripped = line.strip()
        if skipping_below is not None:
            if stripped and indent > skipping_below:
                continue
            skipping_below = None
        if stripped in ("Args:", "Raises:", "Returns:"):
            section = stripped
        entry = stripped.split(":", 1)[0]
        if (section == "Args:" and entry in dropped) or (
            section == "Raises:" and entry in ASYNC_ONLY_RAISES
        ):
            skipping_below = indent
            continue
        out.append(line)
    lines = _without_empty_sections(out)
    if len(lines) == 2 and lines[1].strip() == '"""':  # noqa: PLR2004 - a summary and the quotes
        lines = [lines[0] + '"""']  # one line left: written as one, as ruff formats it
    return "\n".join(lines)


def _without_empty_sections(lines: list[str]) -> list[str]:
    out: list[str] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        header = line.strip() in ("Args:", "Raises:")
        # A header whose next line is not deeper (a blank line, the closing quotes) is empty.
        if header and not (following.strip() and _indent(following) > _indent(line)):
            if out and not out[-1].strip():
                out.pop()  # the blank line that separated it
            continue
        out.append(line)
    return out


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _check_plain(node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
    qualname = f"{ASYNC_CLASS}.{node.name}"
    if node.decorator_list:
        msg = f"{qualname}: decorated methods have no sync rule"
        raise GenerationError(msg)
    if node.returns is None:
        msg = f"{qualname} has no return annotation"
        raise GenerationError(msg)
    if any(isinstance(child, ast.Yield | ast.YieldFrom) for child in _own_nodes(node)):
        msg = f"{qualname} is an async generator, which has no sync rule"
        raise GenerationError(msg)


def _own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function body, not descending into nested functions or classes."""
    for child in ast.iter_child_nodes(node):
        yield child
        if not isinstance(
            child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef
        ):
            yield from _own_nodes(child)


def _render_method(
    node: ast.AsyncFunctionDef,
    source: str,
    renamer: _Renamer,
    used_names: set[str],
) -> str:
    _check_plain(node)
    assert node.returns is not None
    qualname = f"{ASYNC_CLASS}.{node.name}"
    name = renamer.name(node.name)
    params = _params(qualname, node.args, renamer, used_names)
    returns = _expression(node.returns, renamer, used_names)
    head = (
        _signature(name, params, returns)
        + _docstring(node, source, renamer)
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
        return head + _call(run, arguments) + "        return self\n"
    if returns == "None":
        return head + _call(run, arguments)
    return head + _call(f"return {run}", arguments)


# The SDK's warning helper: a coroutine may call it as its first statement only.
WARN_CALLER: Final = "warn_caller"


def _leading_warning(node: ast.AsyncFunctionDef, renamer: _Renamer, used_names: set[str]) -> str:
    """The twin's copy of a ``warn_caller(...)`` statement that follows the docstring.

    A coroutine runs on the facade's loop thread, where no frame is the caller's (there,
    ``warn_caller`` does nothing): the twin gives the warning on the caller's thread. A
    ``warn_caller`` anywhere else in a coroutine would be lost that way, so it is refused.
    """
    qualname = f"{ASYNC_CLASS}.{node.name}"
    leading = node.body[1] if len(node.body) > 1 else None
    found = ""
    for child in _own_nodes(node):
        if not (
            isinstance(child, ast.Call)
            and isinstance(child.func, ast.Name)
            and child.func.id == WARN_CALLER
        ):
            continue
        if not (isinstance(leading, ast.Expr) and leading.value is child):
            msg = f"{qualname}: {WARN_CALLER}() must be the first statement after the docstring"
            raise GenerationError(msg)
        arguments = [_expression(arg, renamer, used_names) for arg in child.args]
        arguments += [
            f"{keyword.arg}={_expression(keyword.value, renamer, used_names)}"
            for keyword in child.keywords
        ]
        found = _call(_expression(child.func, renamer, used_names), arguments)
    return found


def _is_property(node: ast.FunctionDef) -> bool:
    return [ast.unparse(decorator) for decorator in node.decorator_list] == ["property"]


def _render_property(
    node: ast.FunctionDef,
    source: str,
    renamer: _Renamer,
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
    if _params(qualname, node.args, renamer, used_names):
        msg = f"{qualname}: a property takes only self"
        raise GenerationError(msg)
    returns = _expression(node.returns, renamer, used_names)
    return (
        "    @property\n"
        + _signature(node.name, [], returns)
        + _docstring(node, source, renamer)
        + f"        return self.{PORTAL_ATTR}.client.{node.name}\n"
    )


def _render_deriver(
    node: ast.FunctionDef,
    source: str,
    renamer: _Renamer,
    used_names: set[str],
) -> str:
    """A method returning a derived client returns a facade over it, on the same loop thread.

    The async method only builds objects (no I/O, no loop), so it runs on the caller's thread.
    """
    _check_plain(node)
    assert node.returns is not None
    qualname = f"{ASYNC_CLASS}.{node.name}"
    returns = _expression(node.returns, renamer, used_names)
    if returns != "Self":
        msg = f"{qualname} must return Self to get a derived facade"
        raise GenerationError(msg)
    params = _params(qualname, node.args, renamer, used_names)
    head = _signature(node.name, params, returns) + _docstring(node, source, renamer)
    arguments = [param.call for param in params if param.call is not None]
    lines = ["        return derive_facade(", "            self,"]
    lines.append(f"            self.{PORTAL_ATTR}.client.{node.name}(")
    lines += [f"                {argument}," for argument in arguments]
    lines += ["            ),", "        )"]
    return head + "\n".join(lines) + "\n"


def _render_connector(
    node: ast.FunctionDef,
    source: str,
    renamer: _Renamer,
    used_names: set[str],
) -> str:
    """A method returning a connection manager returns the blocking manager over it.

    The async method only checks its arguments and builds the manager (no I/O, no loop), so
    it runs on the caller's thread; the handshake runs on the loop thread at ``with``.
    """
    _check_plain(node)
    qualname = f"{ASYNC_CLASS}.{node.name}"
    _, returns = CONNECTORS[node.name]
    params = _params(qualname, node.args, renamer, used_names)
    head = _signature(node.name, params, returns) + _docstring(node, source, renamer)
    arguments = [param.call for param in params if param.call is not None]
    lines = [f"        return {returns}(", f"            self.{PORTAL_ATTR},"]
    lines.append(f"            self.{PORTAL_ATTR}.client.{node.name}(")
    lines += [f"                {argument}," for argument in arguments]
    lines += ["            ),", "        )"]
    return head + "\n".join(lines) + "\n"


def _render_init(
    node: ast.FunctionDef,
    source: str,
    renamer: _Renamer,
    used_names: set[str],
    target: str = ASYNC_CLASS,
) -> str:
    _check_plain(node)
    params = _params(
        f"{target}.__init__",
        node.args,
        renamer,
        used_names,
        skip=ASYNC_ONLY_PARAMETERS["__init__"],
    )
    head = _signature("__init__", params, "None") + _docstring(node, source, renamer)
    arguments = [target, *(param.call for param in params if param.call is not None)]
    return head + _call(f"self.{PORTAL_ATTR} = Portal", arguments)


# --- imports ------------------------------------------------------------------------------

_SECTIONS: Final = ("future", "stdlib", "thirdparty", "firstparty", "local")


@dataclass(frozen=True)
class _ImportLine:
    """One imported name: ``from module import name as local`` (or ``import module as local``)."""

    module: str
    level: int
    name: str | None
    local: str

    @property
    def aliased(self) -> bool:
        return self.local != (self.name or self.module)


def _render_imports(
    used_names: Iterable[str],
    imports: _Imports,
    module: str,
    *,
    derives: bool = False,
    async_class: str = ASYNC_CLASS,
    extra: Iterable[tuple[str, str]] = (),
) -> str:
    """Import lines for every name the signatures use, grouped and sorted as ruff's isort does."""
    lines: set[_ImportLine] = {
        _ImportLine(module, 0, async_class, async_class),
        _ImportLine("realtime_sdk._sync_support", 0, "Portal", "Portal"),
    }
    lines.update(_ImportLine(origin, 0, name, name) for origin, name in extra)
    if derives:
        lines.add(_ImportLine("realtime_sdk._sync_support", 0, "derive_facade", "derive_facade"))
    own = RENAMES[ASYNC_CLASS]
    typing_only: set[_ImportLine] = set()
    for name in sorted(set(used_names)):
        if name == own or hasattr(builtins, name):
            continue
        if name in imports.imported:
            origin, level, imported = imports.imported[name]
            line = _ImportLine(origin, level, imported, name)
            (typing_only if name in imports.typing_only else lines).add(line)
        elif name in imports.defined:
            lines.add(_ImportLine(module, 0, name, name))
        else:
            msg = (
                f"{name!r} appears in a signature but is neither imported nor defined in the source"
            )
            raise GenerationError(msg)
    first_party = module.split(".", maxsplit=1)[0]
    if not typing_only:
        return _render_sections(lines, first_party)
    # As in the source: the classes named only in annotations are not imported at run time.
    lines.add(_ImportLine("__future__", 0, "annotations", "annotations"))
    lines.add(_ImportLine("typing", 0, "TYPE_CHECKING", "TYPE_CHECKING"))
    block = _render_sections(typing_only, first_party, indent="    ")
    indented = "".join(f"    {line}\n" if line else "\n" for line in block.splitlines())
    return _render_sections(lines, first_party) + "\nif TYPE_CHECKING:\n" + indented


def _render_sections(lines: Iterable[_ImportLine], first_party: str, indent: str = "") -> str:
    by_section: dict[str, list[_ImportLine]] = {section: [] for section in _SECTIONS}
    for line in lines:
        by_section[_section(line, first_party)].append(line)
    return "\n".join(_render_section(entries, indent) for entries in by_section.values() if entries)


def _section(line: _ImportLine, first_party: str) -> str:
    top = line.module.split(".")[0]
    if line.level:
        return "local"
    if top == "__future__":
        return "future"
    if top in sys.stdlib_module_names:
        return "stdlib"
    if top == first_party:
        return "firstparty"
    return "thirdparty"


def _render_section(entries: Iterable[_ImportLine], indent: str = "") -> str:
    straight: list[tuple[tuple[int, str], str]] = []
    # ruff keeps `import a as b` members on lines of their own; plain members share a line.
    statements: dict[tuple[int, str, str], list[_ImportLine]] = {}
    for entry in entries:
        if entry.name is None:
            text = f"import {entry.module}" + (f" as {entry.local}" if entry.aliased else "")
            straight.append(((0, entry.module.lower()), text))
            continue
        group = entry.local if entry.aliased else ""
        statements.setdefault((entry.level, entry.module, group), []).append(entry)
    froms: list[tuple[tuple[int, str], tuple[int, str], str]] = []
    for (level, origin, _), members in statements.items():
        members.sort(key=lambda entry: _member_key(entry.name or ""))
        names = [
            entry.name + (f" as {entry.local}" if entry.aliased else "")
            for entry in members
            if entry.name is not None
        ]
        where = "." * level + origin
        one_line = f"from {where} import {', '.join(names)}"
        if len(indent) + len(one_line) > LINE_LENGTH:
            one_line = f"from {where} import (\n" + "".join(f"    {n},\n" for n in names) + ")"
        froms.append((_module_key(level, origin), _member_key(members[0].name or ""), one_line))
    text = "".join(f"{line}\n" for _, line in sorted(straight))
    return text + "".join(f"{line}\n" for *_, line in sorted(froms))


def _module_key(level: int, module: str) -> tuple[int, str]:
    # ruff puts the furthest relative import first; modules compare case-insensitively.
    return (-level, module.lower())


def _member_key(name: str) -> tuple[int, str]:
    # ruff's order-by-type: CONSTANTS, then Classes, then everything else.
    if name.isupper() and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)
