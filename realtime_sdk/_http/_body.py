"""Reading a response body whose *decoded* size is capped, whatever its Content-Encoding.

The client's sessions do not let aiohttp decompress (``auto_decompress=False``): a gzip
body of 1 MB can inflate to 1 GB, and the cap has to bound what we end up holding, not
what crossed the wire. Here each compressed chunk is inflated with zlib's ``max_length``
set to what is left of the cap, so no step produces more than the cap, and inflating
stops as soon as the cap is passed.

Only the encodings the client asks for (`ACCEPT_ENCODING`) are decoded; any other one is
reported by name, for the caller to turn into an error.
"""

import zlib
from typing import Final, NamedTuple, Protocol

ACCEPT_ENCODING: Final = "gzip, deflate"
_IDENTITY: Final = frozenset({"", "identity"})
_GZIP: Final = frozenset({"gzip", "x-gzip"})
_DEFLATE: Final = "deflate"
_READ_CHUNK: Final = 64 * 1024


class ChunkSource(Protocol):
    """What a body is read from: aiohttp's ``response.content`` fits."""

    async def read(self, n: int = -1) -> bytes:
        """Up to ``n`` bytes; empty at the end of the body."""
        ...


class Body(NamedTuple):
    """A body as read: at most the cap, decoded.

    Attributes:
        data: the decoded bytes (at most the cap; for an undecodable body, what was
            received, cut to the cap).
        truncated: the decoded body was longer than the cap; the rest was not read.
        undecodable: the Content-Encoding that could not be decoded (unsupported, or
            the bytes do not decode), else None.
    """

    data: bytes
    truncated: bool = False
    undecodable: str | None = None


def needs_decoding(encoding: str | None) -> bool:
    """Whether a body with this ``Content-Encoding`` header is not plain bytes.

    Args:
        encoding: the header's value, or None when absent.

    Returns:
        False for no header or ``identity``.
    """
    return encoding is not None and encoding.strip().lower() not in _IDENTITY


async def read_capped(source: ChunkSource, encoding: str | None, cap: int) -> Body:
    """Read a whole body, decoding it, and stop once more than ``cap`` bytes came out.

    Args:
        source: the body stream.
        encoding: the response's ``Content-Encoding``, or None.
        cap: the most decoded bytes kept.

    Returns:
        The body; see `Body`.
    """
    name = (encoding or "").strip().lower()
    if name in _IDENTITY:
        return await _read_plain(source, cap)
    if name not in _GZIP and name != _DEFLATE:
        # Refused without reading on: the caller closes the connection.
        return Body(b"", undecodable=name)
    return await _read_inflated(source, name, cap)


async def _read_plain(source: ChunkSource, cap: int) -> Body:
    chunks: list[bytes] = []
    size = 0
    while chunk := await source.read(_READ_CHUNK):
        chunks.append(chunk)
        size += len(chunk)
        if size > cap:
            return Body(b"".join(chunks)[:cap], truncated=True)
    return Body(b"".join(chunks))


async def _read_inflated(source: ChunkSource, name: str, cap: int) -> Body:
    inflater: _Inflater | None = None
    out: list[bytes] = []
    size = 0
    while chunk := await source.read(_READ_CHUNK):
        if inflater is None:
            inflater = _Inflater(name, chunk[0])
        try:
            piece = inflater.feed(chunk, cap - size + 1)
        except zlib.error:
            return Body(b"", undecodable=name)
        out.append(piece)
        size += len(piece)
        if size > cap:
            return Body(b"".join(out)[:cap], truncated=True)
    if inflater is not None and not inflater.finished:
        return Body(b"", undecodable=name)  # the compressed stream stops half-way
    return Body(b"".join(out))


class _Inflater:
    """zlib inflation of one body, gzip members one after another, output bounded per call."""

    __slots__ = ("_wbits", "_zlib")

    def __init__(self, name: str, first_byte: int) -> None:
        if name == _DEFLATE:
            # RFC 9110 "deflate" is zlib-wrapped, but some servers send raw deflate: a
            # zlib stream's first byte names method 8 in its low bits.
            self._wbits = zlib.MAX_WBITS if first_byte & 0x0F == 8 else -zlib.MAX_WBITS  # noqa: PLR2004 - zlib's method number
        else:
            self._wbits = zlib.MAX_WBITS | 16
        self._zlib = zlib.decompressobj(self._wbits)

    @property
    def finished(self) -> bool:
        return self._zlib.eof

    def feed(self, data: bytes, budget: int) -> bytes:
        """Inflate ``data``; returns at most ``budget`` bytes (more input is then dropped)."""
        pieces: list[bytes] = []
        while data and budget > 0:
            if self._zlib.eof:
                # The next gzip member; trailing bytes after a zlib stream are an error.
                if self._wbits != zlib.MAX_WBITS | 16:
                    msg = "data after the end of the compressed stream"
                    raise zlib.error(msg)
                self._zlib = zlib.decompressobj(self._wbits)
            piece = self._zlib.decompress(data, budget)
            pieces.append(piece)
            budget -= len(piece)
            # What zlib did not take: held back by max_length, or past this member's end.
            data = self._zlib.unconsumed_tail or self._zlib.unused_data
        return b"".join(pieces)


__all__ = ["ACCEPT_ENCODING", "Body", "ChunkSource", "needs_decoding", "read_capped"]
