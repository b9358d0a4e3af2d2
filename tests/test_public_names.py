"""The client, transport and config modules use only what aiohttp (and the rest) export.

A private name of another package (``session._loop``, an import from
``aiohttp.http_exceptions``, which aiohttp does not export from its top level) can break or
change meaning in any minor release; this reads the modules' syntax trees and fails on any.
"""

import ast
from pathlib import Path

import aiohttp
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "realtime_sdk"
CHECKED = [
    *(f"_client/{path.name}" for path in sorted((PACKAGE / "_client").glob("*.py"))),
    *(f"_http/{path.name}" for path in sorted((PACKAGE / "_http").glob("*.py"))),
    "webhooks.py",
    "_webhook_events.py",
    "testing/_webhooks.py",
    "_realtime/_codec.py",
    "_realtime/_connection.py",
    "_realtime/_reopen.py",
    "_realtime/_settings.py",
    "_sync/_connection.py",
]


def _private_uses(source: str) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            name = node.attr
            private = name.startswith("_") and not (name.startswith("__") and name.endswith("__"))
            owner = node.value
            # Our own objects (self._x) and our own private modules (_transport.x) are fine.
            ours = isinstance(owner, ast.Name) and owner.id == "self"
            if private and not ours:
                found.append(f"line {node.lineno}: .{name}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "hasattr", "setattr"}
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and str(node.args[1].value).startswith("_")
        ):
            found.append(f"line {node.lineno}: {node.func.id}(..., {node.args[1].value!r})")
        elif isinstance(node, ast.ImportFrom) and node.module:
            top, _, rest = node.module.partition(".")
            private_names = any(alias.name.startswith("_") for alias in node.names)
            # aiohttp's submodules are its internals: what it exports is on `aiohttp` itself.
            if top != "realtime_sdk" and (private_names or (top == "aiohttp" and rest)):
                found.append(f"line {node.lineno}: from {node.module} import ...")
            if top == "aiohttp":
                missing = [a.name for a in node.names if a.name not in aiohttp.__all__]
                found.extend(f"line {node.lineno}: aiohttp.{name} not exported" for name in missing)
        elif isinstance(node, ast.Import):
            found.extend(
                f"line {node.lineno}: import {alias.name}"
                for alias in node.names
                if alias.name.startswith("aiohttp.")
            )
    return found


@pytest.mark.parametrize("module", CHECKED)
def test_no_private_name_of_another_package(module: str) -> None:
    """No attribute of anything but ``self`` starts with ``_``; imports are top-level and exported."""
    assert _private_uses((PACKAGE / module).read_text()) == []


@pytest.mark.parametrize(
    "snippet",
    [
        "owner = session._loop",
        'owner = getattr(session, "_loop", None)',
        "from aiohttp.http_exceptions import HttpProcessingError",
        "import aiohttp.helpers",
        "from aiohttp import _http_parser",
    ],
)
def test_the_check_finds_each_kind_of_private_use(snippet: str) -> None:
    """The scan itself works on the shapes it exists for."""
    assert _private_uses(snippet)
