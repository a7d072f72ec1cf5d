"""``vpcdoctor dns NAME``: the VPC resolver's simulated answer, live probes, or both side by side.

Exit codes: 0 the name resolves to an answer; 1 it does not (NXDOMAIN, NODATA, SERVFAIL,
REFUSED, timeout); 3 not known (forwarded or public and not probed, unknown); 2 bad input.
With a simulation, its outcome decides, unless it is forwarded, public or unknown and a probe
was made: then the first probe's outcome decides.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import sys
from dataclasses import dataclass, field
from typing import Any

from vpcdoctor.diagnostics.dns.compare import disagreements
from vpcdoctor.diagnostics.dns.model import (
    Disagreement,
    DnsOutcome,
    ProbeResult,
    Resolution,
)
from vpcdoctor.diagnostics.dns.names import parse_nameserver, validate_name
from vpcdoctor.errors import DnsError
from vpcdoctor.sanitise import json_text

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
_ONLY_PROBES_KNOW = (DnsOutcome.FORWARDED, DnsOutcome.PUBLIC, DnsOutcome.UNKNOWN)

AMAZON_DNS_LINK_LOCAL = "169.254.169.253"

NO_VPC_PROBE_ENV = "VPCDOCTOR_NO_VPC_RESOLVER_PROBE"
"""Set to 1 to never probe the VPC resolver automatically (tests, laptops on overlapping CIDRs)."""


def exit_code(outcome: DnsOutcome) -> int:
    if outcome is DnsOutcome.ANSWER:
        return EXIT_ANSWER
    if outcome in _NO_ANSWER:
        return EXIT_NO_ANSWER
    return EXIT_UNKNOWN


@dataclass(slots=True)
class DnsReport:
    """Everything ``vpcdoctor dns`` found, ready to print or serialise."""

    name: str
    vpc_id: str | None
    function: str | None
    resolution: Resolution | None
    probes: list[ProbeResult] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> DnsOutcome:
        """DESIGN's ``outcome``: the simulation's, or the first probe's when only probing."""
        if self.resolution is not None:
            return self.resolution.outcome
        return self.probes[0].outcome if self.probes else DnsOutcome.UNKNOWN

    @property
    def deciding_outcome(self) -> DnsOutcome:
        """What the exit code follows (see the module docstring)."""
        outcome = self.outcome
        if self.resolution is not None and outcome in _ONLY_PROBES_KNOW and self.probes:
            return self.probes[0].outcome
        return outcome

    def to_json(self) -> dict[str, Any]:
        if self.resolution is not None:
            out = self.resolution.to_json()
        else:
            first = self.probes[0] if self.probes else None
            out = {
                "name": self.name,
                "vpc": self.vpc_id,
                "outcome": str(self.outcome),
                "addresses": list(first.addresses) if first else [],
                "decided_by": None,
                "forwarded_to": [],
                "steps": [],
            }
        # DESIGN's keys first, in its order; vpcdoctor's additions after them.
        design = ("name", "vpc", "outcome", "addresses", "decided_by", "forwarded_to", "steps")
        out = {
            **{k: out[k] for k in design},
            "probes": [p.to_json() for p in self.probes],
            **{k: v for k, v in out.items() if k not in design},
        }
        if self.function is not None:
            out["function"] = self.function
        out["disagreements"] = [d.to_json() for d in self.disagreements]
        out["notes"] = list(self.notes)
        return out


def run(args: argparse.Namespace) -> int:
    report = build_report(args)
    if args.format == "json":
        sys.stdout.write(json_text(report.to_json()) + "\n")
    else:
        print_text(report)
    return exit_code(report.deciding_outcome)


def build_report(args: argparse.Namespace) -> DnsReport:
    """Validate, simulate and probe as the arguments ask (raises DnsError on bad input)."""
    from vpcdoctor.diagnostics.dns.probe import probe
    from vpcdoctor.diagnostics.dns.simulate import simulate

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
    report = DnsReport(name=name, vpc_id=None, function=function, resolution=None)
    if function or vpc_arg:
        from vpcdoctor.graph.sources.opener import open_account

        account = open_account(
            snapshot=getattr(args, "snapshot", None),
            demo=bool(getattr(args, "demo", False)),
            profile=getattr(args, "profile", None),
            region=getattr(args, "region", None),
            function=function,
        )
        vpc_id = _vpc_of(account, function, vpc_arg)
        report.vpc_id = vpc_id
        report.resolution = simulate(account, vpc_id, name)
        if not nameservers and vpc_id is not None:
            nameservers = _vpc_resolver_servers(account, vpc_id, report.notes)
    if nameservers:
        report.probes = probe(name, nameservers, timeout=args.timeout, tries=args.tries)
    if report.resolution is not None and report.probes:
        report.disagreements = disagreements(report.resolution, report.probes)
    return report


def _vpc_of(account: Any, function: str | None, vpc_arg: str | None) -> str | None:
    if function:
        from vpcdoctor.graph.model.targets import find_function

        fn = find_function(account, function)
        if not fn.in_vpc:
            return None
        assert fn.vpc is not None
        if fn.vpc.vpc_id:
            return str(fn.vpc.vpc_id)
        subnet = account.subnets.get(fn.vpc.subnet_ids[0])
        return str(subnet.vpc_id) if subnet is not None else None
    assert vpc_arg is not None
    if vpc_arg not in account.vpcs:
        known = ", ".join(sorted(account.vpcs)[:8]) or "none"
        safe = vpc_arg.encode("ascii", "backslashreplace").decode()
        raise DnsError(f"VPC {safe!r} is not in the account (VPCs: {known})")
    return vpc_arg


def _vpc_resolver_servers(account: Any, vpc_id: str, notes: list[str]) -> list[str]:
    """The VPC resolver's addresses, when this host is inside the VPC; otherwise a note."""
    vpc = account.vpcs.get(vpc_id)
    if vpc is None or vpc.resolver_ip is None:
        return []
    servers = [str(vpc.resolver_ip), AMAZON_DNS_LINK_LOCAL]
    local = host_inside_vpc(vpc)
    if local is None:
        notes.append(
            f"The VPC resolver ({', '.join(servers)}) was not probed: it only answers inside "
            f"{vpc_id}, and this host is not in it. Run vpcdoctor from inside the VPC, or pass "
            "--nameserver to ask another server."
        )
        return []
    notes.append(
        f"This host ({local}) is inside {vpc_id}: probing the VPC resolver "
        f"({', '.join(servers)}), which answers only inside the VPC."
    )
    return servers


def host_inside_vpc(vpc: Any) -> str | None:
    """This host's source address towards the VPC resolver, when it lies in the VPC's CIDRs.

    A UDP ``connect`` only picks a route and a source address; no packet is sent.
    """
    if os.environ.get(NO_VPC_PROBE_ENV, "") not in ("", "0"):
        return None
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect((str(vpc.resolver_ip), 53))
            local = sock.getsockname()[0]
    except OSError:
        return None
    try:
        inside = vpc.contains(ipaddress.ip_address(local))
    except ValueError:
        return None
    return str(local) if inside else None


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
