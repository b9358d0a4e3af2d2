"""Cut the Realtime WebSocket event schemas out of the full OpenAPI document, without prose.

The roots are the two event unions (``RealtimeClientEvent``, ``RealtimeServerEvent``) and
every ``RealtimeClientEvent*``/``RealtimeServerEvent*`` schema, plus what they reference.
The fake API checks the events it sends against this copy; the REST subset lives beside it
in ``realtime-openapi.json``.

``python -m realtime_sdk._codegen.vendor_events PATH`` rewrites the copy from PATH (the full
official ``openapi.json``).
"""

import json
import sys
from pathlib import Path
from typing import Any, Final

from realtime_sdk._codegen.vendor import strip_prose

VENDORED_EVENTS: Final = Path(__file__).resolve().parent.parent / "_spec" / "realtime-events.json"
EVENT_PREFIXES: Final = ("RealtimeClientEvent", "RealtimeServerEvent")
_REF_PREFIX: Final = "#/components/schemas/"


def _refs(node: Any) -> list[str]:  # noqa: ANN401 - any JSON value
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
                found.append(ref.removeprefix(_REF_PREFIX))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def cut(document: dict[str, Any]) -> dict[str, Any]:
    """The event schemas and, transitively, every schema they reference, without prose."""
    schemas = document["components"]["schemas"]
    pending = [name for name in schemas if name.startswith(EVENT_PREFIXES)]
    wanted: set[str] = set()
    while pending:
        name = pending.pop()
        if name not in wanted:
            wanted.add(name)
            pending.extend(_refs(schemas[name]))
    subset = {
        "openapi": document["openapi"],
        "info": {k: v for k, v in document["info"].items() if k in {"title", "version"}},
        "components": {"schemas": {name: schemas[name] for name in sorted(wanted)}},
    }
    return strip_prose(subset)  # type: ignore[no-any-return]


def render(document: dict[str, Any]) -> str:
    """The vendored file's exact text."""
    return json.dumps(cut(document), indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    """Rewrite the vendored event schemas from the document at argv[0]."""
    if len(argv) != 1:
        sys.stderr.write(
            "usage: python -m realtime_sdk._codegen.vendor_events PATH/TO/openapi.json\n"
        )
        return 2
    document = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    VENDORED_EVENTS.write_text(render(document), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
