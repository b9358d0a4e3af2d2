"""The fake's listening socket: bound here, then served by aiohttp's public `web.SockSite`.

Binding it ourselves tells us the port at once (0 picks a free one) and lets a bind
failure surface before aiohttp is involved.
"""

import os
import socket
from typing import Final

# A deep backlog: benchmarks open hundreds of connections at once.
BACKLOG: Final = 1024


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` and listening.

    Args:
        host: A name or address of this host, such as ``127.0.0.1``.
        port: The port; 0 lets the system pick a free one.

    Returns:
        The listening socket; whoever serves it closes it.

    Raises:
        OSError: the address cannot be resolved or bound (a port in use, say).
    """
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        if os.name == "posix":
            # As asyncio's own servers do: a restarted fake can take its port back at once
            # while old connections linger in TIME_WAIT.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(BACKLOG)
    except BaseException:
        sock.close()
        raise
    return sock


class CannotListenError(OSError):
    """The fake could not bind its address: a port in use, or an address not on this host."""

    def __init__(self, host: str, port: int, cause: OSError) -> None:
        reason = os.strerror(cause.errno) if cause.errno else str(cause)
        super().__init__(cause.errno, f"cannot listen on {host}:{port}: {reason}")

    def __str__(self) -> str:
        return str(self.strerror)
