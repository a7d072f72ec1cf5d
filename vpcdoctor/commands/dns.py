"""``vpcdoctor dns NAME``: the VPC resolver's simulated answer, live probes, or both side by side.

Exit codes: 0 the name resolves to an answer; 1 it does not (NXDOMAIN, NODATA, SERVFAIL,
REFUSED, timeout); 3 not known (forwarded or public and not probed, unknown); 2 bad input.
With a simulation, its outcome decides, unless it is forwarded, public or unknown and a probe
was made: then the first probe's outcome decides.
"""

from __future__ import annotations

import argparse
import sys

from vpcdoctor.diagnostics.dns.model import DnsOutcome
from vpcdoctor.diagnostics.dns.names import parse_nameserver, validate_name
from vpcdoctor.diagnostics.dns.report import (
    AMAZON_DNS_LINK_LOCAL,
    NO_VPC_PROBE_ENV,
    DnsReport,
    dns_report,
    host_inside_vpc,
)
from vpcdoctor.errors import DnsError
from vpcdoctor.sanitise import json_text

__all__ = [
    "AMAZON_DNS_LINK_LOCAL",
    "NO_VPC_PROBE_ENV",
    "DnsOutcome",
    "DnsReport",
    "build_report",
    "exit_code",
    "host_inside_vpc",
    "run",
]

EXIT_ANSWER = 0
EXIT_NO_ANSWER = 1
EXIT_UNKNOWN = 3

_NO_ANSWER = (
    DnsOutcome.NXDOMAIN,
    DnsOutcome.NODATA,
    DnsOutcome.SERVFAIL,
    DnsOutcome.REFUSED,
    DnsOutcome.TIMEOUT,
)


def exit_code(outcome: DnsOutcome) -> int:
    if outcome is DnsOutcome.ANSWER:
        return EXIT_ANSWER
    if outcome in _NO_ANSWER:
        return EXIT_NO_ANSWER
    return EXIT_UNKNOWN


def run(args: argparse.Namespace) -> int:
    report = build_report(args)
    if args.format == "json":
        sys.stdout.write(json_text(report.to_json()) + "\n")
    else:
        print_text(report)
    return exit_code(report.deciding_outcome)


def build_report(args: argparse.Namespace) -> DnsReport:
    """Check the arguments, open the account when a function or VPC asks, and compose the
    report (``diagnostics.dns.report.dns_report``, the TUI's DNS pane's too)."""
    name = validate_name(args.name)
    nameservers = list(args.nameserver or [])
    for ns in nameservers:
        parse_nameserver(ns)
    if not args.timeout > 0 or args.timeout > 60:
        raise DnsError(f"--timeout {args.timeout}: give seconds above 0 and at most 60")
    if not 1 <= args.tries <= 10:
        raise DnsError(f"--tries {args.tries}: give a number of attempts from 1 to 10")
    function = getattr(args, "function", None)
    vpc_arg = getattr(args, "vpc", None)
    source_given = bool(getattr(args, "snapshot", None) or getattr(args, "demo", False))
    if not (function or vpc_arg) and not nameservers:
        hint = " (the snapshot alone does not say which VPC asks)" if source_given else ""
        raise DnsError(
            f"nothing to do for {name}: give --function NAME or --vpc VPC_ID to simulate the "
            f"VPC's resolver{hint}, and/or --nameserver IP[:PORT] to ask a server"
        )
    account = None
    if function or vpc_arg:
        from vpcdoctor.graph.sources.opener import open_account

        account = open_account(
            snapshot=getattr(args, "snapshot", None),
            demo=bool(getattr(args, "demo", False)),
            profile=getattr(args, "profile", None),
            region=getattr(args, "region", None),
            function=function,
        )
    return dns_report(
        name,
        account=account,
        function=function,
        vpc=vpc_arg,
        nameservers=nameservers,
        timeout=args.timeout,
        tries=args.tries,
    )


# --------------------------------------------------------------------------------------------
# Text output
# --------------------------------------------------------------------------------------------

_STATUS_MARK = {"pass": "✓", "fail": "✗", "unknown": "?", "skip": "–"}
_OUTCOME_STYLE = {
    DnsOutcome.ANSWER: "bold green",
    DnsOutcome.NXDOMAIN: "bold red",
    DnsOutcome.NODATA: "bold red",
    DnsOutcome.SERVFAIL: "bold red",
    DnsOutcome.REFUSED: "bold red",
    DnsOutcome.TIMEOUT: "bold red",
    DnsOutcome.FORWARDED: "bold yellow",
    DnsOutcome.PUBLIC: "bold cyan",
    DnsOutcome.UNKNOWN: "bold yellow",
}


def _clean(value: object, limit: int = 2000) -> str:
    from vpcdoctor.diagnostics.safe_text import clean

    return clean(value, limit=limit)


def print_text(report: DnsReport) -> None:
    """Answer first, then the steps, probes, disagreements and notes; every string literal."""
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)

    def line(*parts: tuple[str, str]) -> None:
        text = Text()
        for value, style in parts:
            text.append(_clean(value), style=style or None)
        console.print(text)

    res = report.resolution
    outcome = report.outcome
    where = ""
    if report.function:
        where = f" from function {report.function}"
        where += f" ({report.vpc_id})" if report.vpc_id else " (not in a VPC)"
    elif report.vpc_id:
        where = f" from {report.vpc_id}"
    label = "simulated" if res is not None else "probed"
    addresses = (
        list(res.addresses)
        if res is not None
        else (list(report.probes[0].addresses) if report.probes else [])
    )
    line(
        (report.name, "bold"),
        (where, ""),
        (f"  {outcome.upper()}", _OUTCOME_STYLE[outcome]),
        (f" ({label})", "dim"),
    )
    if addresses:
        line(("  → ", ""), (", ".join(addresses), "bold"))
    if res is not None:
        if res.forwarded_to:
            line(("  forwarded to ", ""), (", ".join(res.forwarded_to), "bold"))
        if res.canonical_name:
            line(("  canonical name ", "dim"), (res.canonical_name, ""))
        if res.target_resources:
            line(("  points at ", "dim"), (", ".join(res.target_resources), ""))
        if res.decided_by is not None:
            d = res.decided_by
            line(("  decided by ", "dim"), (f"{d.resource} ({d.kind}): {d.detail}", ""))
        if res.steps:
            console.print()
            line(("Resolution steps", "bold underline"))
            for step in res.steps:
                status = str(step.status)
                style = {"pass": "green", "fail": "red", "unknown": "yellow"}.get(status, "dim")
                line(
                    (f"  {_STATUS_MARK.get(status, '?')} {status:<7} ", style),
                    (step.code, "bold"),
                    (f"  {step.resource or '-'}", "dim"),
                )
                line(("      ", ""), (step.detail, ""))
                if step.fix:
                    line(("      fix: ", "cyan"), (step.fix, ""))
                if step.needs:
                    line(("      needs: ", "yellow"), (step.needs, ""))
    if report.probes:
        console.print()
        line(("Live probes", "bold underline"))
        for p in report.probes:
            line(
                (f"  {p.nameserver:<22} ", "bold"),
                (f"{p.outcome.upper():<9}", _OUTCOME_STYLE[p.outcome]),
                (f" {', '.join(p.addresses)}" if p.addresses else "", ""),
                (f"  TTL {p.ttl}" if p.ttl is not None else "", "dim"),
                (f"  {p.ms:.1f} ms" if p.ms is not None else "", "dim"),
                ("  (TCP)" if p.tcp else "", "dim"),
            )
            if p.code and p.code not in ("DNS_PROBE_ANSWER",):
                line(("      ", ""), (p.code, "bold"), (f"  {p.detail}", ""))
            elif p.detail:
                line(("      ", ""), (p.detail, "dim"))
            if p.cname_chain:
                line(("      via ", "dim"), (" → ".join(p.cname_chain), ""))
            if p.advice:
                line(("      ", ""), (p.advice, "italic"))
    if report.disagreements:
        console.print()
        line(("Simulation and probes disagree", "bold red underline"))
        for disagreement in report.disagreements:
            line(
                ("  ! ", "bold red"),
                (disagreement.code, "bold"),
                (f"  {disagreement.nameserver}", "dim"),
            )
            line(("      ", ""), (disagreement.detail, ""))
    for note in report.notes:
        console.print()
        line(("Note: ", "bold"), (note, ""))
    if (
        res is not None
        and not report.probes
        and outcome
        in (
            DnsOutcome.FORWARDED,
            DnsOutcome.PUBLIC,
        )
    ):
        target = res.forwarded_to[0] if res.forwarded_to else "IP"
        line(
            ("Only a probe knows the address: ", "dim"),
            (f"vpcdoctor dns {report.name} --nameserver {target}", ""),
        )
