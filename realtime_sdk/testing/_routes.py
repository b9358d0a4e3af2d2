"""Which operation a request path names, read from the SDK's operation table.

`realtime_sdk._spec.operations` imports no models, so reading it keeps the
fake an independent witness of the bodies while the paths are written down only once.
"""

import re
from typing import Any, Final, NamedTuple
from urllib.parse import unquote

from realtime_sdk._spec.operations import CALL_ID, OPERATIONS, Operation

API_PREFIX: Final = "/v1"


class Route(NamedTuple):
    """The operation a path names, and the call id in it (decoded) when it has one."""

    operation: Operation[Any, Any]
    call_id: str | None


_FIXED: Final = {f"{API_PREFIX}/{op.path}": op for op in OPERATIONS if not op.call_scoped}
# One encoded path segment stands for the call id: a `/` in it (even escaped as %2F on
# the client's side, which arrives as %2F here) never reaches another route.
_SCOPED: Final = tuple(
    (re.compile(re.escape(f"{API_PREFIX}/{op.path}").replace(re.escape(CALL_ID), "([^/]+)")), op)
    for op in OPERATIONS
    if op.call_scoped
)


def route(raw_path: str) -> Route | None:
    """The operation at a raw (still percent-encoded) request path, or None.

    Args:
        raw_path: the path as it came on the wire, without the query.

    Returns:
        The route, or None for a path that names no operation.
    """
    fixed = _FIXED.get(raw_path)
    if fixed is not None:
        return Route(fixed, None)
    for pattern, op in _SCOPED:
        match = pattern.fullmatch(raw_path)
        if match is not None:
            return Route(op, unquote(match.group(1)))
    return None


__all__ = ["API_PREFIX", "Route", "route"]


def api_path(path: str | None) -> str | None:
    """An endpoint path as a fault's filter holds it: ``/realtime/sessions``, no API prefix."""
    if path is None:
        return None
    path = "/" + path.lstrip("/")
    return path.removeprefix(API_PREFIX)
