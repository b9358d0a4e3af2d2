"""A ``multipart/form-data`` body (RFC 7578) built as bytes, so a retry resends the same bytes.

The client sends bytes it has already checked; aiohttp's `FormData` would stream a payload
object instead, which the transport's one-shot ``post(body: bytes)`` does not take.
"""

import secrets
from collections.abc import Sequence
from typing import NamedTuple


class Part(NamedTuple):
    """One form field: its name, content type and bytes."""

    name: str
    content_type: str
    data: bytes


def encode(parts: Sequence[Part]) -> tuple[str, bytes]:
    """Encode form fields with a random boundary that none of them contains.

    Args:
        parts: the fields, in order; names are plain ASCII field names.

    Returns:
        The ``Content-Type`` header value (with its boundary) and the body.
    """
    boundary = _boundary(parts)
    delimiter = f"--{boundary}\r\n".encode("ascii")
    chunks: list[bytes] = []
    for part in parts:
        chunks.append(delimiter)
        chunks.append(
            f'Content-Disposition: form-data; name="{part.name}"\r\n'
            f"Content-Type: {part.content_type}\r\n\r\n".encode("ascii")
        )
        chunks.append(part.data)
        chunks.append(b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode("ascii"))
    return f"multipart/form-data; boundary={boundary}", b"".join(chunks)


def _boundary(parts: Sequence[Part]) -> str:
    while True:
        # 32 hex digits: a clash with the content is all but impossible, and checked anyway.
        boundary = f"realtime-sdk-{secrets.token_hex(16)}"
        marker = boundary.encode("ascii")
        if not any(marker in part.data for part in parts):
            return boundary


__all__ = ["Part", "encode"]
