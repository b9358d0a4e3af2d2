"""The client: `RealtimeClient` and everything a call needs on its way to the transport.

Rooms (see docs/architecture.md): `_surface` (the public client: methods and lifecycle),
settings (`_config`), auth values (`_auth`), per-call options (`_options`), the pool a
family of clients shares (`_pool`), retry rules (`_retry`), rate limits (`_ratelimit`),
the attempt hook (`_attempts`), tracing (`_otel`) and the Azure client (`_azure`, loaded
on first use).
"""

from realtime_sdk._client._surface import DEPRECATED, RealtimeClient

__all__ = ["DEPRECATED", "RealtimeClient"]
