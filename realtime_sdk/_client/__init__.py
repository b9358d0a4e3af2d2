"""The client: `RealtimeClient` and everything a call needs on its way to the transport.

`RealtimeClient` (`_surface`: lifecycle and settings) inherits its public methods from
classes grouped by role: minting keys (`_keys`), creating and steering calls
(`_call_control`) and opening connections (`_connecting`), all over `_binding` (the session
and check-and-encode). A call is the request checked and encoded (`_binding`), then its
attempts (`_engine`: one retry loop with one deadline around one attempt), then the answer
read by pure functions (`_answers`). Beside them: settings declared once (`_config`), auth values (`_auth`),
per-call options (`_options`), what a family of clients shares (`_pool`), retry rules
(`_retry`), rate limits (`_ratelimit`), the attempt hook (`_attempts`), tracing through
that hook's seam (`_otel`), the retired beta shapes (`_retired`) and the Azure client
(`_azure`, loaded on first use). See docs/architecture.md.
"""

from realtime_sdk._client._surface import DEPRECATED, RealtimeClient

__all__ = ["DEPRECATED", "RealtimeClient"]
