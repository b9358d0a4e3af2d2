"""Generated files match their generators, carry the right header, and none is orphaned."""

import hashlib
import json
import re
from pathlib import Path

import pytest

from realtime_sdk._codegen import placement, render_models, render_modules
from realtime_sdk._codegen.__main__ import MARKER, diff, main, targets
from realtime_sdk._codegen.ir import SpecError, class_names
from realtime_sdk._codegen.render_models import render_ir
from realtime_sdk._codegen.render_rules import render_rules
from realtime_sdk._codegen.spec import build_ir, effective_spec, load_document
from tests.test_vendor import full_document

PACKAGE = Path(render_models.__file__).resolve().parent.parent


def test_models_files_match_a_fresh_rendering() -> None:
    """models.py and every module under _models/ are byte for byte what the generator renders."""
    for output, render in render_modules.targets():
        assert output.read_text(encoding="utf-8") == render(), output.name


def test_every_target_is_up_to_date() -> None:
    """No registered target shows drift (what `python -m realtime_sdk._codegen --check` checks)."""
    stale = {t.output.name: "".join(diff(t)) for t in targets() if diff(t)}
    assert stale == {}


def test_check_mode_exits_zero_without_drift(capsys: pytest.CaptureFixture[str]) -> None:
    """`--check` prints nothing and exits 0 when every file is current."""
    assert main(["--check"]) == 0
    assert capsys.readouterr().out == ""


def test_check_mode_reports_drift(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--check` prints a unified diff and exits 1 when a generated file was edited."""
    sessions = placement.MODULES[0]
    edited = tmp_path / "sessions.py"
    edited.write_text(
        render_modules.render_module(sessions).replace("class ServerVad:", "class Edited:")
    )
    monkeypatch.setattr(
        render_modules,
        "module_output",
        lambda m: edited if m is sessions else render_modules.PACKAGE_DIR / f"{m.name}.py",
    )
    assert main(["--check"]) == 1
    out = capsys.readouterr().out
    assert "-class Edited:" in out
    assert "+class ServerVad:" in out


def test_no_orphaned_generated_files() -> None:
    """Every file under realtime_sdk/ with the generated marker is a known target, and vice versa."""
    marked = {
        path.resolve()
        for path in PACKAGE.rglob("*.py")
        if MARKER in path.read_text(encoding="utf-8")
        and "_codegen" not in path.relative_to(PACKAGE).parts
    }
    known = {t.output.resolve() for t in targets() if t.output.exists()}
    assert marked == known


def test_header_records_the_vendored_spec_hash() -> None:
    """The sha256 in models.py's header is the vendored spec file's."""
    header = render_modules.FACADE_OUTPUT.read_text(encoding="utf-8").splitlines()[:3]
    match = re.fullmatch(r"# Source sha256: ([0-9a-f]{64})", header[1])
    assert match is not None
    assert match.group(1) == hashlib.sha256(render_models.SPEC_PATH.read_bytes()).hexdigest()
    assert header[0].startswith(MARKER)
    assert header[2] == "# Regenerate with: python -m realtime_sdk._codegen"


def test_full_spec_renders_the_same_models(tmp_path: Path) -> None:
    """A spec full of prose and examples gives the same models; only the hash differs."""
    full = tmp_path / "openapi.json"
    full.write_text(json.dumps(full_document()), encoding="utf-8")
    for module in placement.MODULES:
        from_full = render_modules.render_module(module, full).splitlines()
        committed = render_modules.module_output(module).read_text(encoding="utf-8").splitlines()
        assert from_full[0] == committed[0]
        assert from_full[2:] == committed[2:]


GOLDEN = sorted((Path(__file__).parent / "data" / "codegen" / "models").glob("*.json"))


@pytest.mark.parametrize("case", GOLDEN, ids=lambda p: p.stem)
def test_golden_fragment(case: Path) -> None:
    """A tiny spec fragment renders the expected snippets, or fails with the expected error."""
    data = json.loads(case.read_text(encoding="utf-8"))
    document = {"components": {"schemas": data["schemas"]}}
    if "error" in data:
        with pytest.raises(SpecError, match=re.escape(data["error"])):
            build_ir(document, data["names"])
        return
    ir = build_ir(document, data["names"])
    text = render_ir(ir, "0" * 64, data["docs"])
    for snippet in data["expect"]:
        assert snippet in text
    rules = render_rules(ir, "")
    for snippet in data.get("rules", ()):
        assert snippet in rules


def test_each_models_module_imports_only_the_modules_before_it() -> None:
    """The split models form a chain: a module imports from earlier modules, never later ones."""
    order = [module.qualified for module in placement.MODULES]
    for position, module in enumerate(placement.MODULES):
        text = render_modules.module_output(module).read_text(encoding="utf-8")
        imported = re.findall(r"^from (realtime_sdk\._models\.\w+) import", text, re.MULTILINE)
        assert all(order.index(name) < position for name in imported), module.name


def test_a_class_no_module_reaches_fails_the_placement() -> None:
    """A spec class that none of the modules' roots reach is an error, not a silent drop."""
    ir = build_ir(effective_spec(load_document(render_models.SPEC_PATH)))
    with pytest.raises(SpecError, match="no module's roots reach"):
        placement.place(ir, placement.MODULES[:1])


def test_a_union_lives_with_or_after_its_members() -> None:
    """Every union alias is placed in a module that holds or imports each of its members."""
    ir = build_ir(effective_spec(load_document(render_models.SPEC_PATH)))
    placed = placement.place(ir)
    order = [module.name for module in placement.MODULES]
    for name, union in ir.unions.items():
        for member in class_names(union):
            assert order.index(placed.home[member]) <= order.index(placed.home[name]), name
