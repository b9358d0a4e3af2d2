"""The package version: the one place it is written (hatchling reads it for the wheel's metadata).

A literal rather than `importlib.metadata`: importing that costs a fresh process more than
the rest of this package's own modules do.
"""

__version__ = "0.1.0.dev0"

# The name on the package index (the import name is realtime_sdk, the command realtime-sdk).
DISTRIBUTION = "realtime-control-sdk"
