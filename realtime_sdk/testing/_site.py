"""A TCP site for aiohttp.web that counts the connections its listening socket accepts."""

import asyncio
from collections.abc import Callable

from aiohttp import web


class CountingSite(web.BaseSite):
    """A TCP site that counts every connection the listening socket accepts."""

    __slots__ = ("_bound_port", "_host", "_on_connect", "_port")

    def __init__(
        self, runner: web.BaseRunner, host: str, port: int, on_connect: Callable[[], None]
    ) -> None:
        # A deep backlog: benchmarks open hundreds of connections at once.
        super().__init__(runner, backlog=1024)
        self._host = host
        self._port = port
        self._bound_port = port
        self._on_connect = on_connect

    @property
    def name(self) -> str:
        return f"http://{self._host}:{self._bound_port}"

    @property
    def port(self) -> int:
        return self._bound_port

    async def start(self) -> None:
        await super().start()
        server = self._runner.server
        assert server is not None
        on_connect = self._on_connect

        # The protocol factory runs once per accepted connection, so this counts TCP
        # connections, not requests: keep-alive reuse does not add to it.
        def protocol_factory() -> asyncio.Protocol:
            on_connect()
            return server()

        loop = asyncio.get_running_loop()
        listener = await loop.create_server(
            protocol_factory, self._host, self._port, backlog=self._backlog
        )
        self._server = listener
        self._bound_port = listener.sockets[0].getsockname()[1]
