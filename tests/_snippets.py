"""The Python snippets of the README and the docs site, found once for the tests that run
them and type-check them.

A snippet is a fenced ``python`` block. Its id is ``FILE#N``: the file relative to the
repository and its place among that file's Python blocks, counting from 1.
"""

import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_BLOCK = re.compile(r"^```python\n(.*?)^```", flags=re.DOTALL | re.MULTILINE)
# A block that opens with a file name ("# test_tokens.py") is a file for pytest:
# test_readme_commands.py copies those into a directory and runs pytest there.
_FILE_NAME = re.compile(r"# ([\w.-]+\.py)\b")


@dataclass(frozen=True)
class Snippet:
    """One fenced Python block: where it is and its text."""

    path: Path
    index: int
    line: int
    code: str

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(REPO).as_posix()}#{self.index}"

    @property
    def module(self) -> str:
        """A module name for the snippet as a file (for mypy)."""
        stem = re.sub(r"\W", "_", self.path.relative_to(REPO).with_suffix("").as_posix())
        return f"snippet_{stem}_{self.index}"

    @property
    def file_name(self) -> str | None:
        """The file name the block opens with, for blocks that are whole files."""
        match = _FILE_NAME.match(self.code)
        return match.group(1) if match else None


def documents() -> list[Path]:
    """The README, every page of the docs site, and the figures pages it includes."""
    return [
        REPO / "README.md",
        *sorted((REPO / "docs").rglob("*.md")),
        REPO / "benchmarks" / "README.md",
        REPO / "tests" / "reliability" / "README.md",
    ]


def snippets() -> list[Snippet]:
    found = []
    for path in documents():
        text = path.read_text(encoding="utf-8")
        for index, match in enumerate(_BLOCK.finditer(text), start=1):
            line = text.count("\n", 0, match.start(1)) + 1
            found.append(Snippet(path, index, line, match.group(1)))
    return found
