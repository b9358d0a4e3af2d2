"""The ``realtime-sdk`` command (also ``python -m realtime_sdk``): mint keys and control calls
from a shell.

Rooms: `_parser` (the grammar and its help), `_main` (dispatch and exit status), one module
per kind of command (`_keys`, `_calls`, `_watch`), and what they share: `_bodies` (the JSON
a command sends), `_connect` (which server, which client), `_output` (printing, masking),
`_retries` (retry lines) and `_exits` (exit statuses).
"""

from realtime_sdk._cli._main import main, run

__all__ = ["main", "run"]
