"""Reading the async client for its sync twin: the rename table, what the source imports,
and each parameter, annotation and docstring as the twin writes it.

The source is parsed with `ast`, never imported. `render_sync` puts the pieces together.
"""

import ast
import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

ASYNC_CLASS: Final = "RealtimeClient"
# Every entry must be used by a run, so a renamed source method cannot slip through unnoticed.
RENAMES: Final = {
    "RealtimeClient": "SyncRealtimeClient",
    "aclose": "close",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
}
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


class GenerationError(Exception):
    """The async client's source has a shape this generator has no rule for."""


@dataclass
class Imports:
    """Where each name the source module can see comes from."""

    # local name -> (module, level, imported name or None for `import module`)
    imported: dict[str, tuple[str, int, str | None]] = field(default_factory=dict)
    defined: set[str] = field(default_factory=set)
    # names imported under `if TYPE_CHECKING:` (the model classes): the twin does the same
    typing_only: set[str] = field(default_factory=set)


@dataclass
class Renamer:
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


def find_class(tree: ast.Module, name: str = ASYNC_CLASS) -> ast.ClassDef:
    """The top-level class ``name`` of the source, or a `GenerationError`."""
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return node
    msg = f"no top-level class {name} in the source"
    raise GenerationError(msg)


def collect_imports(tree: ast.Module) -> Imports:
    """Where each top-level name of the source comes from (imported, or defined there)."""
    found = Imports()
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


def _collect_import(node: ast.Import, found: Imports) -> None:
    for alias in node.names:
        if alias.asname is None:
            # `import a.b` binds `a`; only the top package is reachable by that name.
            top = alias.name.split(".")[0]
            found.imported[top] = (top, 0, None)
        else:
            found.imported[alias.asname] = (alias.name, 0, None)


def _collect_from(node: ast.ImportFrom, found: Imports) -> list[str]:
    names = [alias.asname or alias.name for alias in node.names]
    for alias, local in zip(node.names, names, strict=True):
        found.imported[local] = (node.module or "", node.level, alias.name)
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"


def expression(node: ast.expr, renamer: Renamer, used_names: set[str]) -> str:
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
class Param:
    text: str  # "name: Annotation = default", or a marker: "*", "/"
    call: str | None  # how the twin passes it on: "name", "name=name", "*name", "**name"


def parameters(
    qualname: str,
    args: ast.arguments,
    renamer: Renamer,
    used_names: set[str],
    *,
    skip: frozenset[str] = frozenset(),
) -> list[Param]:
    """The parameters after ``self`` as the twin declares them and passes them on."""
    positional = [*args.posonlyargs, *args.args]
    if not positional or positional[0].arg != "self":
        msg = f"{qualname}: the first parameter must be self"
        raise GenerationError(msg)
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += args.defaults

    def text(arg: ast.arg, default: ast.expr | None, prefix: str = "") -> str:
        return _param_text(qualname, arg, default, prefix, renamer=renamer, used_names=used_names)

    params: list[Param] = []
    for index, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
        if index:
            params.append(Param(text(arg, default), arg.arg))
        if index + 1 == len(args.posonlyargs):
            params.append(Param("/", None))
    if args.vararg is not None:
        params.append(Param(text(args.vararg, None, "*"), f"*{args.vararg.arg}"))
    elif args.kwonlyargs:
        params.append(Param("*", None))
    params += [
        Param(text(arg, default), f"{arg.arg}={arg.arg}")
        for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True)
        if arg.arg not in skip
    ]
    if args.kwarg is not None:
        params.append(Param(text(args.kwarg, None, "**"), f"**{args.kwarg.arg}"))
    return params


def _param_text(
    qualname: str,
    arg: ast.arg,
    default: ast.expr | None,
    prefix: str,
    *,
    renamer: Renamer,
    used_names: set[str],
) -> str:
    if arg.annotation is None:
        msg = f"{qualname}: parameter {arg.arg!r} has no annotation"
        raise GenerationError(msg)
    text = f"{prefix}{arg.arg}: {expression(arg.annotation, renamer, used_names)}"
    if default is not None:
        text += f" = {expression(default, renamer, used_names)}"
    return text


def twin_docstring(
    node: ast.FunctionDef | ast.AsyncFunctionDef, source: str, renamer: Renamer
) -> str:
    """The source docstring as the twin carries it, indented, renamed, async-only entries gone."""
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


def check_plain(node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
    """Refuse what has no sync rule: decorators, a missing return annotation, a generator."""
    qualname = f"{ASYNC_CLASS}.{node.name}"
    if node.decorator_list:
        msg = f"{qualname}: decorated methods have no sync rule"
        raise GenerationError(msg)
    if node.returns is None:
        msg = f"{qualname} has no return annotation"
        raise GenerationError(msg)
    if any(isinstance(child, ast.Yield | ast.YieldFrom) for child in own_nodes(node)):
        msg = f"{qualname} is an async generator, which has no sync rule"
        raise GenerationError(msg)


def own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function body, not descending into nested functions or classes."""
    for child in ast.iter_child_nodes(node):
        yield child
        if not isinstance(
            child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef
        ):
            yield from own_nodes(child)
