"""Internals of the fake Realtime API; the public face is `realtime_sdk.testing`."""
