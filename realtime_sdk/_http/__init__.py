"""The aiohttp users: the pooled session and one POST (`_transport`), body caps and
decoding (`_body`), proxies (`_proxy`), headers held out of sight (`_headers`) and the
masking of keys in whatever a server sent back (`_scrub`)."""
