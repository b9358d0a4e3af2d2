"""Warnings raised on the user's behalf point at the user's line, not at the SDK's."""

import inspect
import os
import threading
import warnings
from typing import Final

# The name of the sync facade's event loop threads (`realtime_sdk._sync._portal`).
SYNC_LOOP_THREAD: Final = "realtime-sdk-sync-loop"
_PACKAGE_DIR: Final = os.path.dirname(os.path.abspath(__file__)) + os.sep  # noqa: PTH100, PTH120 - compared with code object file names, which are plain strings


def warn_caller(message: str, category: type[Warning]) -> None:
    """Warn with the first frame outside this package as the warning's location.

    The same setting is reached through different depths of SDK frames (`RealtimeClient`,
    `SyncRealtimeClient`, the command line), so a fixed ``stacklevel`` would be right for
    one path only. (Python 3.12's ``skip_file_prefixes`` does this; 3.11 lacks it.)

    On the sync facade's loop thread it does nothing: no frame there is the caller's, and
    the generated sync twin of a method that warns on its first line (see
    ``_codegen/render_sync.py``) has already given the warning on the caller's thread.
    """
    if threading.current_thread().name == SYNC_LOOP_THREAD:
        return
    level = 1
    frame = inspect.currentframe()
    # Start at the caller of this function: stacklevel 1 names that frame.
    frame = frame.f_back if frame is not None else None
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE_DIR):  # noqa: PTH100 - see above
        frame = frame.f_back
        level += 1
    del frame  # frames hold their locals alive; drop the reference at once
    warnings.warn(message, category, stacklevel=level + 1)
