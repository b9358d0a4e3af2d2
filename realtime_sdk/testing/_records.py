"""What the fake remembers of its traffic: the request records, and the one rule that bounds
every memory it keeps (records, minted keys, calls, peers) to the newest ``max_records``."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from realtime_sdk.testing._offer import OfferError

_T = TypeVar("_T")
_K = TypeVar("_K")


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedRequest:
    """One request as the fake saw it, with the status it chose to answer.

    Attributes:
        method: The HTTP method.
        path: The request path on the wire, such as ``/v1/realtime/client_secrets``.
        headers: A read-only, case-insensitive copy of the request headers (left out of
            ``repr`` because it holds the API key).
        body: The raw body bytes.
        json: The parsed body, or None when it was not valid JSON.
        status: The status answered, or None when the connection was dropped.
        fault: The injected fault's label (``status_503``, ``drop``, ...), or None.
        request_id: The ``x-request-id`` the answer carried.
        query: The raw query string on the wire (``api-version=...``), empty when none.
        form: The fields of a ``multipart/form-data`` body (name to text), or None when
            the body is not one (or could not be parsed).
    """

    method: str
    path: str
    headers: CIMultiDictProxy[str] = field(repr=False)
    body: bytes
    json: Any
    status: int | None
    fault: str | None
    request_id: str
    query: str = ""
    form: Mapping[str, str] | None = None


@dataclass(slots=True)
class Incoming:
    """What the handler learned about one request before deciding how to answer."""

    request: web.Request
    raw: bytes
    parsed: object
    parse_error: bool
    request_id: str
    form: dict[str, str] | None = None
    form_error: OfferError | None = None

    def record(self, status: int | None, fault: str | None) -> RecordedRequest:
        """The record of this request, answered with ``status`` (None: dropped)."""
        request = self.request
        return RecordedRequest(
            method=request.method,
            path=request.path,
            headers=CIMultiDictProxy(CIMultiDict(request.headers)),
            body=self.raw,
            json=self.parsed,
            status=status,
            fault=fault,
            request_id=self.request_id,
            query=request.rel_url.raw_query_string,
            form=self.form,
        )


def keep_newest(records: list[_T] | dict[_K, _T], limit: int | None) -> None:
    """Forget the oldest entries beyond ``limit`` (None keeps all).

    A list is oldest first; a dict is oldest first in insertion order, so moving a key to
    the end (pop, then set) marks it as the newest.
    """
    if limit is None or len(records) <= limit:
        return
    excess = len(records) - limit
    if isinstance(records, list):
        del records[:excess]
        return
    for key in list(records)[:excess]:
        del records[key]


def note_peer(
    peers: dict[tuple[object, ...], None], request: web.Request, limit: int | None
) -> bool:
    """Remember the client address a request came from; True when it is a new connection.

    A keep-alive connection carries many requests from one address and port, and no two
    open connections share both, so new addresses are new connections. ``peers`` is an
    ordered set, least recently used first, so the oldest idle peers are the ones forgotten.
    """
    transport = request.transport
    peer = transport.get_extra_info("peername") if transport is not None else None
    key = tuple(peer) if isinstance(peer, tuple | list) else (peer,)
    new = key not in peers
    peers.pop(key, None)
    peers[key] = None
    # At least one: with max_records=0 a keep-alive connection still counts once.
    keep_newest(peers, None if limit is None else max(limit, 1))
    return new
