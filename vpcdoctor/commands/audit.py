"""``vpcdoctor audit``: every function (or those matching a glob) against a few targets."""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys

from rich.console import Console

from vpcdoctor.diagnostics.diagnose import check, endpoint_services
from vpcdoctor.diagnostics.report import (
    AuditRow,
    audit_json,
    audit_markdown,
    audit_summary,
    audit_summary_text,
    audit_table,
)
from vpcdoctor.errors import FunctionNotFound, TargetError
from vpcdoctor.graph.model import Account, EndpointType, LambdaFunction
from vpcdoctor.graph.targets import parse_target
from vpcdoctor.graph.verdict import Target


def default_targets(account: Account, fn: LambdaFunction) -> list[str]:
    """The internet, S3, and each AWS service the function's VPC has an endpoint for."""
    targets = ["internet", "s3"]
    vpc_id = fn.vpc.vpc_id if fn.vpc else None
    if fn.vpc is not None and vpc_id is None and fn.vpc.subnet_ids:
        subnet = account.subnets.get(fn.vpc.subnet_ids[0])
        vpc_id = subnet.vpc_id if subnet else None
    if vpc_id is not None:
        services = sorted(
            {
                v.service_short_name
                for v in account.vpc_endpoints.values()
                if v.vpc_id == vpc_id and v.type in (EndpointType.INTERFACE, EndpointType.GATEWAY)
            }
        )
        targets += [s for s in services if s not in targets]
    return targets


def _vpc_of(account: Account, fn: LambdaFunction) -> str | None:
    if fn.vpc is None or not fn.vpc.subnet_ids:
        return None
    if fn.vpc.vpc_id:
        return str(fn.vpc.vpc_id)
    subnet = account.subnets.get(fn.vpc.subnet_ids[0])
    return subnet.vpc_id if subnet else None


def audit(
    account: Account, *, pattern: str | None = None, targets: list[str] | None = None
) -> list[AuditRow]:
    """Check every function matching ``pattern`` against ``targets`` (or the defaults)."""
    services = endpoint_services(account)
    parsed: list[Target] | None = None
    if targets:
        parsed = [parse_target(t, services=services) for t in targets]  # bad input fails early
    names = sorted(account.functions)
    if pattern:
        names = [n for n in names if fnmatch.fnmatchcase(n, pattern)]
        if not names:
            raise FunctionNotFound(
                f"no Lambda function matches {pattern!r} "
                f"({len(account.functions)} functions in the account)"
            )
    rows = []
    for name in names:
        fn = account.functions[name]
        wanted: list[Target | str] = list(parsed) if parsed else list(default_targets(account, fn))
        try:
            results = tuple(check(account, name, t) for t in wanted)
        except TargetError as error:  # e.g. a default target the parser refuses: report, go on
            rows.append(
                AuditRow(function=name, vpc=_vpc_of(account, fn), results=(), error=str(error))
            )
            continue
        rows.append(AuditRow(function=name, vpc=_vpc_of(account, fn), results=results))
    return rows


def run(args: argparse.Namespace) -> int:
    """Exit 1 when any check is unreachable, 3 when none is but some are unknown, else 0."""
    from vpcdoctor.graph.source import open_account

    account = open_account(
        snapshot=args.snapshot, demo=args.demo, profile=args.profile, region=args.region
    )
    rows = audit(account, pattern=args.function, targets=args.target)
    fmt = getattr(args, "format", "text")
    if fmt == "json":
        sys.stdout.write(json.dumps(audit_json(rows), indent=2, ensure_ascii=False) + "\n")
    elif fmt == "markdown":
        sys.stdout.write(audit_markdown(rows))
    else:
        console = Console(highlight=False)
        console.print(audit_table(rows))
        console.print(audit_summary_text(rows))
    summary = audit_summary(rows)
    if summary["unreachable"]:
        return 1
    if summary["unknown"]:
        return 3
    return 0
