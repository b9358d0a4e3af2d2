"""Cut an OpenAPI document down to the facts realtime_sdk needs: the Realtime REST paths,
the ``realtime.call.incoming`` webhook, every component schema they reach, and no prose;
and, into a file of its own, the Realtime event schemas.

``python -m realtime_sdk._codegen.vendor PATH`` rewrites the vendored copy from PATH, which
may be the full official ``openapi.json`` or an already cut subset.
"""

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

VENDORED_SPEC: Final = Path(__file__).resolve().parent.parent / "_spec" / "realtime-openapi.json"
VENDORED_EVENTS: Final = VENDORED_SPEC.with_name("realtime-events.json")

# The Realtime event unions (the GA ones, not RealtimeBeta*): every schema they reach is cut
# into the events spec, from which ``events.py`` is generated.
EVENT_ROOTS: Final = ("RealtimeClientEvent", "RealtimeServerEvent")

REALTIME_PATHS: Final = (
    "/realtime/client_secrets",
    "/realtime/sessions",
    "/realtime/transcription_sessions",
    "/realtime/translations/client_secrets",
    "/realtime/calls",
    "/realtime/calls/{call_id}/accept",
    "/realtime/calls/{call_id}/refer",
    "/realtime/calls/{call_id}/reject",
    "/realtime/calls/{call_id}/hangup",
)
# The webhooks whose payloads the SDK reads (the document's top-level ``webhooks`` map).
REALTIME_WEBHOOKS: Final = ("realtime_call_incoming",)

# Prose and rendering hints: docs are written in our own words, so none of this carries over.
# Only removed where it is a keyword, never where it names a property (a tool has a
# `description` property).
_DROPPED_KEYWORDS: Final = frozenset(
    {
        "description",
        "summary",
        "example",
        "examples",
        "termsOfService",
        "contact",
        "x-oaiMeta",
        "x-oaiExpandable",
        "x-oaiTypeLabel",
    }
)
_SCHEMA_REF_PREFIX: Final = "#/components/schemas/"


def strip_prose(node: Any, *, in_properties: bool = False) -> Any:  # noqa: ANN401 - any JSON value
    """Return a copy of a JSON value without prose keywords; property names are kept."""
    if isinstance(node, dict):
        return {
            key: strip_prose(value, in_properties=key == "properties" and not in_properties)
            for key, value in node.items()
            if in_properties or key not in _DROPPED_KEYWORDS
        }
    if isinstance(node, list):
        return [strip_prose(item) for item in node]
    return node


def _refs(node: Any) -> Iterator[str]:  # noqa: ANN401 - any JSON value
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_SCHEMA_REF_PREFIX):
            yield ref.removeprefix(_SCHEMA_REF_PREFIX)
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def cut(document: dict[str, Any]) -> dict[str, Any]:
    """Keep the Realtime paths and webhooks and, transitively, every schema they reference.

    A document without a ``webhooks`` map (an older cut) keeps none.
    """
    paths = {path: document["paths"][path] for path in REALTIME_PATHS}
    webhooks = {
        name: document["webhooks"][name]
        for name in REALTIME_WEBHOOKS
        if name in document.get("webhooks", {})
    }
    all_schemas = document["components"]["schemas"]
    wanted: set[str] = set()
    pending = [*_refs(paths), *_refs(webhooks)]
    while pending:
        name = pending.pop()
        if name not in wanted:
            wanted.add(name)
            pending.extend(_refs(all_schemas[name]))
    components: dict[str, Any] = {
        "schemas": {name: all_schemas[name] for name in sorted(wanted)},
    }
    if "securitySchemes" in document.get("components", {}):
        components["securitySchemes"] = document["components"]["securitySchemes"]
    subset = {
        "openapi": document["openapi"],
        "info": {k: v for k, v in document["info"].items() if k in {"title", "version"}},
        "servers": document.get("servers", []),
        "security": document.get("security", []),
        "paths": paths,
        **({"webhooks": webhooks} if webhooks else {}),
        "components": components,
    }
    return strip_prose(subset)  # type: ignore[no-any-return]


def cut_events(document: dict[str, Any]) -> dict[str, Any]:
    """Keep the Realtime event unions and, transitively, every schema they reference."""
    all_schemas = document["components"]["schemas"]
    wanted: set[str] = set()
    pending = list(EVENT_ROOTS)
    while pending:
        name = pending.pop()
        if name not in wanted:
            wanted.add(name)
            pending.extend(_refs(all_schemas[name]))
    subset = {
        "openapi": document["openapi"],
        "info": {k: v for k, v in document["info"].items() if k in {"title", "version"}},
        "components": {"schemas": {name: all_schemas[name] for name in sorted(wanted)}},
    }
    return strip_prose(subset)  # type: ignore[no-any-return]


def render_events(document: dict[str, Any]) -> str:
    """The vendored events file's exact text."""
    return json.dumps(cut_events(document), indent=1, ensure_ascii=False) + "\n"


def render(document: dict[str, Any]) -> str:
    """The vendored file's exact text: sorted keys would lose the spec's order, so keep it."""
    return json.dumps(cut(document), indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    """Rewrite the vendored spec from the document at argv[0]."""
    if len(argv) != 1:
        sys.stderr.write("usage: python -m realtime_sdk._codegen.vendor PATH/TO/openapi.json\n")
        return 2
    document = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    VENDORED_SPEC.write_text(render(document), encoding="utf-8")
    if EVENT_ROOTS[0] in document["components"]["schemas"]:  # the full spec, not a cut
        VENDORED_EVENTS.write_text(render_events(document), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
