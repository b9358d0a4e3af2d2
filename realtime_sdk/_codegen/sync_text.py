"""Writing the sync twin's text so that ruff's formatter and isort leave it as it is:
signatures and calls one item per line with a trailing comma, import blocks in isort order.
"""

import builtins
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from realtime_sdk._codegen.sync_source import GenerationError, Imports, Param

LINE_LENGTH: Final = 100
_SECTIONS: Final = ("future", "stdlib", "thirdparty", "firstparty", "local")


def signature_text(name: str, params: Sequence[Param], returns: str) -> str:
    """A ``def`` line for the twin, one parameter per line when it has any."""
    one_line = f"    def {name}(self) -> {returns}:"
    if not params and len(one_line) <= LINE_LENGTH:
        return one_line + "\n"
    # One parameter per line with a trailing comma: ruff keeps this layout (magic comma).
    lines = [f"    def {name}(", "        self,"]
    lines += [f"        {param.text}," for param in params]
    lines.append(f"    ) -> {returns}:")
    return "\n".join(lines) + "\n"


def call_text(prefix: str, arguments: Sequence[str], indent: str = "        ") -> str:
    """``prefix(arguments)``, expanded one argument per line when it does not fit."""
    one_line = f"{indent}{prefix}({arguments[0]})"
    if len(arguments) == 1 and len(one_line) <= LINE_LENGTH:
        return one_line + "\n"
    # Expanded with a trailing comma, which ruff's formatter keeps as it is.
    lines = [f"{indent}{prefix}("]
    lines += [f"{indent}    {argument}," for argument in arguments]
    lines.append(f"{indent})")
    return "\n".join(lines) + "\n"


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


def render_imports(
    used_names: Iterable[str],
    imports: Imports,
    module: str,
    *,
    own: str,
    fixed: Iterable[tuple[str, str]],
) -> str:
    """Import lines for every name the signatures use, grouped and sorted as ruff's isort does.

    Args:
        used_names: the names the emitted signatures use.
        imports: where each name the source module sees comes from.
        module: the source's dotted module (names it defines are imported from it).
        own: the class being generated, which needs no import.
        fixed: (module, name) pairs imported whatever the signatures use.

    Raises:
        GenerationError: a used name is neither imported nor defined in the source.
    """
    lines = {_ImportLine(origin, 0, name, name) for origin, name in fixed}
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
