"""``realtime-sdk call ACTION CALL_ID``: accept, refer, reject or hang up a call."""

import argparse
from collections.abc import Mapping
from typing import Any, Final, TextIO

from realtime_sdk._calls import call_id_segment
from realtime_sdk._cli._bodies import build_call_request
from realtime_sdk._cli._connect import open_client
from realtime_sdk._client._attempts import AttemptHook
from realtime_sdk._spec import operations
from realtime_sdk._wire._requests import structure_request

# The call actions: the endpoint each one calls, and the word the success line uses.
CALL_ACTIONS: Final[dict[str, tuple[operations.Operation[Any, None], str]]] = {
    "accept": (operations.ACCEPT_CALL, "accepted"),
    "refer": (operations.REFER_CALL, "referred"),
    "reject": (operations.REJECT_CALL, "rejected"),
    "hangup": (operations.HANGUP_CALL, "hung up"),
}


def change_call(
    args: argparse.Namespace,
    env: Mapping[str, str],
    inp: TextIO,
    out: TextIO,
    report: AttemptHook,
) -> None:
    """``realtime-sdk call ACTION CALL_ID``: everything that can be refused is checked first."""
    endpoint, done = CALL_ACTIONS[args.action]
    call_id_segment(args.call_id)
    body = build_call_request(args, inp)
    request = (
        None
        if body is None
        else structure_request(body, endpoint.request, strict=getattr(args, "strict", False))
    )
    with open_client(args, env, report) as (client, fake):
        if fake is not None:
            # The embedded fake knows no calls: make this one ready for the action.
            fake.add_incoming_call(call_id=args.call_id)
            if args.action == "refer":
                fake.calls[args.call_id].state = "active"
        method = getattr(client, endpoint.method)
        if request is None:
            method(args.call_id)
        else:
            method(args.call_id, request)
    target = f" to {args.target_uri}" if args.action == "refer" else ""
    out.write(f"{done} call {args.call_id}{target}\n")
