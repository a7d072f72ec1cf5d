"""``vpcdoctor audit``: every function (or those matching a glob) against a few targets.

The audit itself is :mod:`vpcdoctor.diagnostics.audit` (the TUI's overview uses it too); this
command only opens the account, prints the rows and chooses the exit code.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from rich.console import Console

from vpcdoctor.commands._whatif import assume, print_banner, with_assumed
from vpcdoctor.diagnostics.audit import AuditRow, audit, default_targets
from vpcdoctor.diagnostics.report import (
    audit_json,
    audit_markdown,
    audit_summary,
    audit_summary_text,
    audit_table,
)
from vpcdoctor.sanitise import json_text

__all__ = ["AuditRow", "audit", "default_targets", "run"]  # re-exported for older imports


def report_context(args: argparse.Namespace, account: Any) -> Any:
    """Account, Region and snapshot age for the Markdown report."""
    from datetime import UTC, datetime

    from vpcdoctor.diagnostics.context import snapshot_context

    live = args.snapshot is None and not args.demo
    return snapshot_context(
        account,
        snapshot=args.snapshot,
        demo=bool(args.demo),
        loaded_at=datetime.now(UTC) if live else None,
    )


def run(args: argparse.Namespace) -> int:
    """Exit 1 when any check is unreachable, 3 when none is but some are unknown, else 0."""
    from vpcdoctor.graph.sources.opener import open_account

    account = open_account(
        snapshot=args.snapshot, demo=args.demo, profile=args.profile, region=args.region
    )
    account, assumed = assume(args, account)
    rows = audit(account, pattern=args.function, targets=args.target)
    fmt = getattr(args, "format", "text")
    if fmt == "json":
        document = with_assumed(audit_json(rows), assumed)
        sys.stdout.write(json_text(document) + "\n")
    elif fmt == "markdown":
        print_banner(assumed, markdown=True)
        sys.stdout.write(audit_markdown(rows, report_context(args, account)))
    else:
        print_banner(assumed)
        table = audit_table(rows)
        console = Console(highlight=False)
        if not console.is_terminal:
            # Into a pipe or a file there is no terminal width to fit: print the table at its
            # natural width, never cut at 80 columns (``audit | cat`` shows every warning).
            natural = Console(width=100_000).measure(table).maximum
            console = Console(highlight=False, width=max(natural, 40))
        console.print(table)
        console.print(audit_summary_text(rows))
    summary = audit_summary(rows)
    if summary["unreachable"]:
        return 1
    if summary["unknown"]:
        return 3
    return 0
