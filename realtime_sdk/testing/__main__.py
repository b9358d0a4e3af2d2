"""``python -m realtime_sdk.testing``: serve the fake API until interrupted."""

from realtime_sdk.testing import main

if __name__ == "__main__":
    raise SystemExit(main())
