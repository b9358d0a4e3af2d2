"""The vendored spec: a facts-only cut of the shared spec, kept in step with it."""

import json
from pathlib import Path

import pytest

from realtime_sdk._codegen import vendor
from realtime_sdk._spec import load_spec

SHARED_SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec" / "realtime-openapi.json"


def test_vendored_copy_matches_the_shared_spec() -> None:
    """Cutting the shared spec again gives the vendored file byte for byte."""
    if not SHARED_SPEC.exists():
        pytest.skip(f"no shared spec beside the checkout at {SHARED_SPEC}")
    document = json.loads(SHARED_SPEC.read_text(encoding="utf-8"))
    assert vendor.render(document) == vendor.VENDORED_SPEC.read_text(encoding="utf-8")


def test_prose_keywords_are_gone_but_property_names_stay() -> None:
    """No description or example keyword is left; a property called description is kept."""
    spec = load_spec()
    text = json.dumps(spec)
    assert '"example"' not in text
    assert '"summary"' not in text
    tool = spec["components"]["schemas"]["RealtimeFunctionTool"]
    assert "description" in tool["properties"]
    assert "description" not in tool


def test_cut_follows_refs_transitively() -> None:
    """Every schema reachable from the three paths is kept, and nothing else."""
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1", "description": "prose"},
        "paths": {
            path: {"post": {"summary": "s", "x": {"$ref": "#/components/schemas/A"}}}
            for path in vendor.REALTIME_PATHS
        },
        "components": {
            "schemas": {
                "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {"type": "string", "description": "prose"},
                "Unused": {"type": "integer"},
            }
        },
    }
    subset = vendor.cut(document)
    assert subset["components"]["schemas"] == {
        "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}},
        "B": {"type": "string"},
    }
    assert subset["info"] == {"title": "t", "version": "1"}
