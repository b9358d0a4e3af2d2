"""The vendored spec: a facts-only cut of the official document, as its cutter writes it."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from realtime_sdk._codegen import vendor
from realtime_sdk._spec import load_spec


def with_prose(node: Any, *, in_properties: bool = False) -> Any:
    """A copy of a JSON value with prose keywords added wherever a schema may carry them."""
    if isinstance(node, list):
        return [with_prose(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {
        key: with_prose(value, in_properties=key == "properties" and not in_properties)
        for key, value in node.items()
    }
    if not in_properties:
        result["description"] = "Words of the upstream document, never copied."
        result["example"] = {"any": "example"}
        result["x-oaiMeta"] = {"name": "meta"}
    return result


def full_document() -> dict[str, Any]:
    """The vendored spec dressed as the official one: prose, other paths, unused schemas."""
    document = with_prose(load_spec())
    document["paths"]["/models"] = {"get": {"$ref": "#/components/schemas/Unrelated"}}
    document["components"]["schemas"]["Unrelated"] = {"type": "object"}
    return document


def test_the_vendored_copy_is_what_the_cutter_writes() -> None:
    """Cutting the vendored copy again gives it byte for byte: nothing stale, nothing extra."""
    vendored = vendor.VENDORED_SPEC.read_text(encoding="utf-8")
    assert vendor.render(json.loads(vendored)) == vendored


def test_a_full_document_cuts_down_to_the_vendored_copy() -> None:
    """Prose, other paths and unreachable schemas are all dropped, byte for byte."""
    document = full_document()
    before = copy.deepcopy(document)
    assert vendor.render(document) == vendor.VENDORED_SPEC.read_text(encoding="utf-8")
    assert document == before  # the input is left as it was


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


def test_help_describes_the_command_without_touching_the_spec(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`vendor --help` prints its usage and exits 0; the vendored copy is left as it was."""
    monkeypatch.setenv("COLUMNS", "200")  # one line per option: no wrapping inside a name
    before = vendor.VENDORED_SPEC.read_bytes()
    with pytest.raises(SystemExit) as exit_info:
        vendor.main(["--help"])
    assert exit_info.value.code == 0
    assert "openai/openai-openapi" in capsys.readouterr().out
    assert vendor.VENDORED_SPEC.read_bytes() == before


def test_an_unreadable_document_is_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A path that is not JSON: exit status 2 and one error line, the vendored copy untouched."""
    before = vendor.VENDORED_SPEC.read_bytes()
    (tmp_path / "openapi.yaml").write_text("openapi: 3.1.0\n")
    with pytest.raises(SystemExit) as exit_info:
        vendor.main([str(tmp_path / "openapi.yaml")])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.startswith("error: cannot read ")
    assert vendor.VENDORED_SPEC.read_bytes() == before
