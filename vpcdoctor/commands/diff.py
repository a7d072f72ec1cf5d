"""``vpcdoctor diff OLD NEW``: every (function, target) whose verdict differs between two
snapshots, with the changed resources on its path. Exit codes: 0 no verdict changed, 1 some
changed, 2 bad input (an unreadable snapshot, an unknown function or target)."""

from __future__ import annotations

import argparse
import sys

from vpcdoctor.diagnostics.diff import diff, diff_markdown, diff_text
from vpcdoctor.graph.sources.opener import open_account
from vpcdoctor.sanitise import json_text


def run(args: argparse.Namespace) -> int:
    old = open_account(snapshot=args.old)
    new = open_account(snapshot=args.new)
    result = diff(
        old,
        new,
        functions=args.function,
        targets=args.target,
        old_name=args.old,
        new_name=args.new,
    )
    fmt = getattr(args, "format", "text")
    if fmt == "json":
        sys.stdout.write(json_text(result.to_json()) + "\n")
    elif fmt == "markdown":
        sys.stdout.write(diff_markdown(result))
    else:
        sys.stdout.write(diff_text(result))
    return result.exit_code
