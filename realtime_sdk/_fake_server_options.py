"""The fake server's command-line options, shared by ``realtime-sdk fake-server`` and
``python -m realtime_sdk.testing``.

Only argparse here, and outside `realtime_sdk.testing`: the main command parses these
options without importing the fake (aiohttp.web and the schema checker) unless asked.
"""

import argparse
from typing import Final

DEFAULT_PORT: Final = 8787


def add_server_options(parser: argparse.ArgumentParser) -> None:
    """Add the fake server's options to ``parser``."""
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help="port to bind; 0 picks a free one (default: %(default)s)",
    )
    parser.add_argument(
        "--api-key",
        default=None,
        help="accept only this bearer key (default: any non-empty key)",
    )
    parser.add_argument(
        "--allow-unknown-fields",
        action="store_true",
        help="accept body keys the spec does not list instead of answering 400",
    )
    parser.add_argument(
        "--retired-beta-endpoints",
        action="store_true",
        help="answer the two beta session endpoints with an error, as retired ones do",
    )
    parser.add_argument(
        "--retired-status",
        type=int,
        default=400,
        help="status for retired endpoints (default: %(default)s)",
    )
    parser.add_argument(
        "--max-records",
        type=int,
        default=1000,
        help="request records and keys kept in memory; counters at GET /_fake/stats (default: %(default)s)",
    )
    parser.add_argument(
        "--chaos-seed",
        type=int,
        default=None,
        metavar="N",
        help=(
            "inject a seeded random mix of faults into answers without a scripted one "
            "(5%% 5xx, 2%% 429, 2%% dropped connections, 1%% delays, 1%% malformed JSON)"
        ),
    )
