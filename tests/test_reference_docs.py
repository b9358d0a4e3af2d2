"""The API reference lists every public member of RealtimeClient, whichever base defines it."""

import re
from pathlib import Path

from realtime_sdk import RealtimeClient

CLIENTS_PAGE = Path(__file__).resolve().parent.parent / "docs" / "reference" / "clients.md"


def _public_members_in_order(cls: type) -> list[str]:
    """Public names as ``cls.<name>`` finds them: the class first, then its bases (MRO)."""
    names: list[str] = []
    for owner in cls.__mro__:
        names += [name for name in vars(owner) if not name.startswith("_") and name not in names]
    return names


def _listed_members(page: str, identifier: str) -> list[str]:
    block = page.split(f"::: {identifier}\n", 1)[1].split(":::", 1)[0]
    members = block.split("members:\n", 1)[1]
    return re.findall(r"^ +- (\w+)$", members, flags=re.MULTILINE)


def test_the_reference_lists_every_realtime_client_member_in_order():
    """mkdocstrings shows the listed members only: the list is every public one, in MRO order."""
    page = CLIENTS_PAGE.read_text(encoding="utf-8")
    assert _listed_members(page, "realtime_sdk.RealtimeClient") == _public_members_in_order(
        RealtimeClient
    )
