"""The ``realtime-sdk`` command (also ``python -m realtime_sdk``)."""

from realtime_sdk._cli._main import main, run

__all__ = ["main", "run"]
