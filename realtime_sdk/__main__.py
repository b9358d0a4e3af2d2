"""``python -m realtime_sdk``: the same command line as ``realtime-sdk``."""

from realtime_sdk._cli import main

if __name__ == "__main__":
    main()
