"""The vendored, facts-only copy of the Realtime part of the OpenAPI spec (no prose).

Used by the code generator and by the fake API's independent request validation.
"""

import json
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def load_spec() -> dict[str, Any]:
    """The vendored spec as parsed JSON; callers must not mutate it."""
    text = files(__name__).joinpath("realtime-openapi.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@cache
def load_event_spec() -> dict[str, Any]:
    """The vendored Realtime event schemas (``realtime-events.json``); do not mutate."""
    text = files(__name__).joinpath("realtime-events.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]
