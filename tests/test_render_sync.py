"""Golden and failure tests for the sync facade generator (realtime_sdk/_codegen/render_sync.py)."""

import ast
import hashlib
import textwrap
from pathlib import Path

import pytest

from realtime_sdk._codegen import render_sync
from realtime_sdk._codegen.__main__ import Target, diff
from realtime_sdk._codegen.render_sync import GenerationError, render_source

DATA = Path(__file__).parent / "data" / "codegen" / "sync"
SAMPLE = DATA / "client_source.txt"
EXPECTED = DATA / "sync_client_expected.txt"
SAMPLE_LABEL = "tests/data/codegen/sync/client_source.txt"

# The smallest source the generator accepts; failure tests add one thing to it.
MINIMAL = '''
from types import TracebackType
from typing import Self


class RealtimeClient:
    def __init__(self, api_key: str | None = None) -> None:
        """Store the key."""

    async def __aenter__(self) -> Self:
        """Open."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close."""

    async def aclose(self) -> None:
        """Close."""
'''


def render_sample() -> str:
    return render_source(SAMPLE.read_text(encoding="utf-8"), source_label=SAMPLE_LABEL)


def with_member(member: str, source: str = MINIMAL) -> str:
    return source + textwrap.indent(textwrap.dedent(member), "    ")


def test_sample_matches_golden_output():
    """The sample client renders to exactly the committed golden facade."""
    assert render_sample() == EXPECTED.read_text(encoding="utf-8")


def test_output_is_deterministic():
    """Two renderings of the same source are identical."""
    assert render_sample() == render_sample()


def test_header_names_source_digest_and_command():
    """The header says do-not-edit, names the source with its sha256, and the regenerate command."""
    source = SAMPLE.read_text(encoding="utf-8")
    header = render_sample().splitlines()[:3]
    assert "do not edit" in header[0]
    assert SAMPLE_LABEL in header[0]
    assert header[1] == f"# Source sha256: {hashlib.sha256(source.encode()).hexdigest()}"
    assert header[2] == "# Regenerate with: python -m realtime_sdk._codegen"


def test_every_public_coroutine_has_a_twin():
    """Each public coroutine and lifecycle method of the sample appears renamed as a plain def."""
    tree = ast.parse(render_sample())
    cls = next(node for node in tree.body if isinstance(node, ast.ClassDef))
    defs = {node.name: node for node in cls.body if isinstance(node, ast.FunctionDef)}
    assert set(defs) == {
        "__init__",
        "base_url",
        "__enter__",
        "__exit__",
        "close",
        "create_realtime_client_secret",
        "ping",
    }
    assert not any(isinstance(node, ast.AsyncFunctionDef) for node in ast.walk(cls))


def test_comment_change_touches_only_the_digest():
    """A comment-only change to the source changes the digest line and nothing else."""
    source = SAMPLE.read_text(encoding="utf-8")
    before = render_source(source).splitlines()
    after = render_source(source + "# a comment\n").splitlines()
    assert [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] == [1]


def test_missing_class_fails():
    """A source without RealtimeClient is an error naming the class."""
    with pytest.raises(GenerationError, match="no top-level class RealtimeClient"):
        render_source("class Other:\n    pass\n")


def test_unused_rename_entry_fails():
    """A source without aclose leaves a rename entry unused, which is an error naming it."""
    source = MINIMAL.replace("async def aclose", "async def _aclose")
    with pytest.raises(GenerationError, match=r"unused.*aclose"):
        render_source(source)


def test_prose_mention_does_not_count_as_a_rename_use():
    """A docstring that mentions aclose does not satisfy the rename table on its own."""
    source = MINIMAL.replace("async def aclose", "async def _aclose").replace(
        '"""Open."""', '"""Open; see aclose."""'
    )
    with pytest.raises(GenerationError, match=r"unused.*aclose"):
        render_source(source)


def test_public_sync_method_fails():
    """A public non-async method has no sync rule and stops the run, naming it."""
    source = with_member(
        '''
        def copy(self) -> "RealtimeClient":
            """Copy."""
            return self
        '''
    )
    with pytest.raises(GenerationError, match=r"RealtimeClient\.copy: no sync rule"):
        render_source(source)


def test_deriver_must_return_self():
    """with_options gets a derived-facade twin only when it returns Self."""
    source = with_member(
        '''
        def with_options(self) -> "RealtimeClient":
            """Copy."""
            return self
        '''
    )
    with pytest.raises(GenerationError, match=r"with_options must return Self"):
        render_source(source)


def test_async_generator_fails():
    """A public async generator has no twin rule and stops the run."""
    source = with_member(
        '''
        async def stream(self) -> object:
            """Stream."""
            yield 1
        '''
    )
    with pytest.raises(GenerationError, match=r"stream is an async generator"):
        render_source(source)


def test_decorated_coroutine_fails():
    """A decorated public coroutine (an overload, say) stops the run."""
    source = with_member(
        '''
        @staticmethod
        async def ping() -> None:
            """Ping."""
        '''
    )
    with pytest.raises(GenerationError, match=r"ping: decorated methods"):
        render_source(source)


def test_property_with_setter_fails():
    """A property setter is not a read-only property, so it has no rule."""
    source = with_member(
        '''
        @property
        def name(self) -> str:
            """Name."""
            return ""

        @name.setter
        def name(self, value: str) -> None:
            """Set."""
        '''
    )
    with pytest.raises(GenerationError, match=r"name: no sync rule"):
        render_source(source)


def test_missing_annotation_fails():
    """A parameter without an annotation is an error naming it."""
    source = with_member(
        '''
        async def ping(self, count) -> None:
            """Ping."""
        '''
    )
    with pytest.raises(GenerationError, match="parameter 'count' has no annotation"):
        render_source(source)


def test_missing_return_annotation_fails():
    """A coroutine without a return annotation is an error naming it."""
    source = with_member(
        '''
        async def ping(self):
            """Ping."""
        '''
    )
    with pytest.raises(GenerationError, match=r"ping has no return annotation"):
        render_source(source)


def test_missing_docstring_fails():
    """A public coroutine without a docstring is an error: the twin would have none."""
    source = with_member(
        """
        async def ping(self) -> None:
            return None
        """
    )
    with pytest.raises(GenerationError, match=r"ping has no docstring"):
        render_source(source)


def test_unknown_name_in_signature_fails():
    """A name that the source neither imports nor defines is an error naming it."""
    source = with_member(
        '''
        async def ping(self) -> Pong:
            """Ping."""
        '''
    )
    with pytest.raises(GenerationError, match="'Pong' appears in a signature"):
        render_source(source)


def test_exit_that_could_suppress_fails():
    """An __aexit__ returning bool is refused: the facade never swallows exceptions."""
    source = MINIMAL.replace(
        "tb: TracebackType | None,\n    ) -> None:", "tb: TracebackType | None,\n    ) -> bool:"
    )
    with pytest.raises(GenerationError, match="__aexit__ must return None"):
        render_source(source)


def test_string_defaults_use_double_quotes():
    """String literals in defaults and annotations are written with double quotes."""
    source = "from typing import Literal\n" + with_member(
        '''
        async def ping(self, mode: Literal['a', "b"] = 'a') -> None:
            """Ping."""
        '''
    )
    assert 'mode: Literal["a", "b"] = "a",' in render_source(source)


def test_aliased_import_is_kept():
    """A name imported under an alias is imported the same way by the facade."""
    source = "from decimal import Decimal as Dec\n" + with_member(
        '''
        async def ping(self) -> Dec:
            """Ping."""
        '''
    )
    assert "from decimal import Decimal as Dec\n" in render_source(source)


def test_a_leading_warning_is_given_by_the_twin_on_the_callers_thread():
    """A warn_caller(...) right after the docstring is repeated first thing in the twin."""
    source = "from realtime_sdk._warn import warn_caller\nWHY = 'old'\n" + with_member(
        '''
        async def old(self) -> None:
            """Old."""
            warn_caller(WHY, DeprecationWarning)
        '''
    )
    rendered = render_source(source)
    twin = rendered[rendered.index("    def old(self) -> None:") :]
    assert twin.splitlines()[1:6] == [
        '        """Old."""',
        "        warn_caller(",
        "            WHY,",
        "            DeprecationWarning,",
        "        )",
    ]
    assert "from realtime_sdk._warn import warn_caller\n" in rendered
    assert "from realtime_sdk._client import WHY, RealtimeClient\n" in rendered


def test_a_warning_anywhere_else_in_a_coroutine_fails():
    """warn_caller after the first statement would be lost on the loop thread: refused."""
    source = "from realtime_sdk._warn import warn_caller\n" + with_member(
        '''
        async def old(self, flag: bool) -> None:
            """Old."""
            if flag:
                warn_caller("why", DeprecationWarning)
        '''
    )
    with pytest.raises(GenerationError, match=r"old: warn_caller\(\) must be the first statement"):
        render_source(source)


def test_check_reports_drift(tmp_path):
    """The --check diff is non-empty for a stale output and empty for a fresh one."""
    output = tmp_path / "_sync_client.py"
    target = Target(output, lambda: render_sync.render(SAMPLE))
    output.write_text("stale\n", encoding="utf-8")
    assert diff(target)
    output.write_text(render_sync.render(SAMPLE), encoding="utf-8")
    assert diff(target) == []


AZURE_MINIMAL = '''
from realtime_sdk._client import RealtimeClient


class AzureRealtimeClient(RealtimeClient):
    def __init__(self, api_key: str | None = None, *, api_version: str | None = None) -> None:
        """Resolve."""
'''


def test_azure_twin_mirrors_only_the_constructor():
    """The Azure twin subclasses SyncRealtimeClient and hands its arguments to the Azure client."""
    text = render_sync.render_azure_source(AZURE_MINIMAL)
    tree = ast.parse(text)
    [cls] = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    assert cls.name == "SyncAzureRealtimeClient"
    assert [ast.unparse(base) for base in cls.bases] == ["SyncRealtimeClient"]
    assert [node.name for node in cls.body if isinstance(node, ast.FunctionDef)] == ["__init__"]
    assert "Portal(\n            AzureRealtimeClient,\n            api_key,\n" in text
    assert "api_version=api_version," in text


def test_azure_public_method_fails():
    """A public method on the Azure client has no twin rule and stops the run, naming it."""
    source = (
        AZURE_MINIMAL
        + '''
    def region(self) -> str:
        """Where."""
        return ""
'''
    )
    with pytest.raises(GenerationError, match=r"AzureRealtimeClient\.region: no sync rule"):
        render_sync.render_azure_source(source)


def test_async_only_errors_leave_the_twin_docstring():
    """An EventLoopMismatchError entry (and a Raises section it leaves empty) is not carried over."""
    source = with_member(
        '''
        async def ping(self, n: int) -> None:
            """Ping.

            Args:
                n: how many
                    times, at most.

            Raises:
                EventLoopMismatchError: called from
                    another event loop.
            """

        async def pong(self) -> None:
            """Pong.

            Raises:
                ValueError: bad.
                EventLoopMismatchError: another loop.
            """
        '''
    )
    rendered = render_source(source)
    assert "EventLoopMismatchError" not in rendered
    assert (
        '"""Ping.\n\n        Args:\n            n: how many\n                times, at most.\n        """'
        in (rendered)
    )
    assert '"""Pong.\n\n        Raises:\n            ValueError: bad.\n        """' in rendered


def _subclassing(bases: str, prelude: str = "") -> str:
    """MINIMAL with `RealtimeClient` deriving from ``bases`` and ``prelude`` before it."""
    head, body = MINIMAL.split("\nclass RealtimeClient:\n", 1)
    return f"{head}\n{prelude}\nclass RealtimeClient({bases}):\n{body}"


def _twin_names(rendered: str) -> list[str]:
    tree = ast.parse(rendered)
    cls = next(node for node in tree.body if isinstance(node, ast.ClassDef))
    return [node.name for node in cls.body if isinstance(node, ast.FunctionDef)]


def test_a_base_in_the_same_source_gets_twins_after_the_class_own_members():
    """A base's coroutines get twins too, after the class's own; the class's override wins."""
    base = textwrap.dedent(
        '''
        class Group:
            async def ping(self) -> None:
                """Ping from the base."""

            async def aclose(self) -> None:
                """Overridden by the class."""
        '''
    )
    rendered = render_source(_subclassing("Group", base))
    assert _twin_names(rendered) == ["__init__", "__enter__", "__exit__", "close", "ping"]
    assert "Overridden by the class" not in rendered
    assert "Ping from the base." in rendered


def test_a_base_imported_from_the_package_is_read_and_named_in_the_header():
    """A base's module is read and its sha256 is in the header; bases giving no member are not."""
    prelude = "from realtime_sdk._client._connecting import Connecting\n"
    rendered = render_source(_subclassing("Connecting", prelude))
    assert "connect" in _twin_names(rendered)
    header = rendered.splitlines()[:4]
    digest = hashlib.sha256(
        (render_sync.PACKAGE / "_client" / "_connecting.py").read_bytes()
    ).hexdigest()
    # Connecting's own bases (BoundClient, the attempt engine) hold private methods only.
    assert header[2] == f"# Base source sha256: {digest} realtime_sdk/_client/_connecting.py"
    assert header[3] == "# Regenerate with: python -m realtime_sdk._codegen"


def test_a_public_method_of_a_base_without_a_sync_rule_fails():
    """A base's public plain method is refused like one of the class's own."""
    base = "class Group:\n    def helper(self) -> int:\n        return 1\n"
    with pytest.raises(GenerationError, match=r"RealtimeClient\.helper: no sync rule"):
        render_source(_subclassing("Group", base))


@pytest.mark.parametrize(
    ("bases", "prelude", "message"),
    [
        ("_groups.Group", "from realtime_sdk._client import _groups\n", "is not a plain name"),
        ("Group", "from ._groups import Group\n", "imported relatively"),
        ("Missing", "from realtime_sdk._client._keys import Missing\n", "is not a class defined"),
    ],
    ids=["dotted", "relative", "missing"],
)
def test_a_base_the_generator_cannot_follow_fails(bases, prelude, message):
    """A base whose coroutines could be missed (dotted, relative, not found) stops the run."""
    with pytest.raises(GenerationError, match=message):
        render_source(_subclassing(bases, prelude))


def test_a_name_bound_differently_by_two_modules_of_the_hierarchy_fails():
    """The twin imports each name once: two modules meaning different things by it stop the run."""
    prelude = (
        "from decimal import Decimal as QueryValue\n"
        "from realtime_sdk._client._connecting import Connecting\n"
    )
    source = _subclassing("Connecting", prelude) + textwrap.indent(
        '\nasync def ping(self, value: QueryValue) -> None:\n    """Ping."""\n', "    "
    )
    with pytest.raises(GenerationError, match="'QueryValue' means different things"):
        render_source(source)
