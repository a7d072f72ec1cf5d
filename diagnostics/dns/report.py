"""The DNS answer as ``vpcdoctor dns`` and the TUI's DNS pane show it: one composition, two views.

:func:`dns_report` validates the name and the name servers, simulates the VPC's resolver (with
an account and a function or VPC), probes (the servers given; else the VPC resolver, but only
when this host is inside the VPC: it answers nowhere else, and a laptop's answer would
contradict the simulation for no reason), and lists where the probes contradict the
simulation. A probe never changes the simulated answer: it is reported beside it.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from vpcdoctor.diagnostics.dns.model import (
    DecidedBy,
    Disagreement,
    DnsOutcome,
    ProbeResult,
    Resolution,
    steps_json,
)
from vpcdoctor.diagnostics.dns.names import parse_nameserver, validate_name
from vpcdoctor.errors import DnsError
from vpcdoctor.graph.model.jsonshape import JsonRecord, JsonShape, is_none, key, shape
from vpcdoctor.graph.model.verdict import Hop

if TYPE_CHECKING:
    from vpcdoctor.graph.model import Account

AMAZON_DNS_LINK_LOCAL = "169.254.169.253"

NO_VPC_PROBE_ENV = "VPCDOCTOR_NO_VPC_RESOLVER_PROBE"
"""Set to 1 to never probe the VPC resolver automatically (tests, laptops on overlapping CIDRs)."""

_ONLY_PROBES_KNOW = (DnsOutcome.FORWARDED, DnsOutcome.PUBLIC, DnsOutcome.UNKNOWN)


class _Absent:
    """A key the document leaves out (not None: None is a value the document shows)."""

    __slots__ = ()


_ABSENT = _Absent()


def _absent(value: object) -> bool:
    return value is _ABSENT


@dataclass(slots=True)
class DnsReport(JsonRecord):
    """Everything found about one name: the simulation, the probes, where they disagree."""

    name: str
    vpc_id: str | None
    function: str | None
    resolution: Resolution | None
    probes: list[ProbeResult] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Where the answers come from, and why a server was not asked."""

    @property
    def outcome(self) -> DnsOutcome:
        """DESIGN's ``outcome``: the simulation's, or the first probe's when only probing."""
        if self.resolution is not None:
            return self.resolution.outcome
        return self.probes[0].outcome if self.probes else DnsOutcome.UNKNOWN

    @property
    def deciding_outcome(self) -> DnsOutcome:
        """What decides for the person: the simulation's outcome, unless only a probe can know
        (forwarded, public, unknown) and one was made."""
        outcome = self.outcome
        if self.resolution is not None and outcome in _ONLY_PROBES_KNOW and self.probes:
            return self.probes[0].outcome
        return outcome

    # ---- the document's values: the simulation's, else the first probe's ------------------
    @property
    def shown_name(self) -> str:
        return self.resolution.name if self.resolution is not None else self.name

    @property
    def shown_vpc(self) -> str | None:
        return self.resolution.vpc_id if self.resolution is not None else self.vpc_id

    @property
    def addresses(self) -> tuple[str, ...]:
        if self.resolution is not None:
            return self.resolution.addresses
        return self.probes[0].addresses if self.probes else ()

    @property
    def decided_by(self) -> DecidedBy | None:
        return self.resolution.decided_by if self.resolution is not None else None

    @property
    def forwarded_to(self) -> tuple[str, ...]:
        return self.resolution.forwarded_to if self.resolution is not None else ()

    @property
    def steps(self) -> tuple[Hop, ...]:
        return self.resolution.steps if self.resolution is not None else ()

    @property
    def canonical_name(self) -> str | _Absent | None:
        """Only a simulation has these keys (None included); a probe alone leaves them out."""
        return self.resolution.canonical_name if self.resolution is not None else _ABSENT

    @property
    def target_resources(self) -> tuple[str, ...] | _Absent:
        return self.resolution.target_resources if self.resolution is not None else _ABSENT

    # DESIGN's keys first, in its order; vpcdoctor's additions after them.
    JSON: ClassVar[JsonShape] = shape(
        key("name", attr="shown_name"),
        key("vpc", attr="shown_vpc"),
        "outcome",
        "addresses",
        "decided_by",
        "forwarded_to",
        key("steps", encode=steps_json),
        "probes",
        key("canonical_name", omit=_absent),
        key("target_resources", omit=_absent),
        key("function", omit=is_none),
        "disagreements",
        "notes",
    )


def dns_report(
    name: str,
    *,
    account: Account | None = None,
    function: str | None = None,
    vpc: str | None = None,
    nameservers: Sequence[str] = (),
    probe: bool = True,
    timeout: float = 2.0,
    tries: int = 2,
) -> DnsReport:
    """Simulate and/or probe ``name`` (see the module's docstring).

    Args:
        name: the name as typed (validated here).
        account: the account to simulate in (with ``function`` or ``vpc``).
        function: the function whose VPC asks.
        vpc: the VPC that asks (when no function is given).
        nameservers: ``ip[:port]`` servers to probe; none: the VPC resolver, from inside only.
        probe: False to simulate only (the TUI's pane probes on demand).
        timeout: seconds per query attempt.
        tries: attempts per server.

    Raises:
        DnsError: a bad name or name server, or a VPC the account does not have.
        FunctionNotFound: ``function`` is not in the account.
    """
    name = validate_name(name)
    servers = list(nameservers)
    for server in servers:
        parse_nameserver(server)
    report = DnsReport(name=name, vpc_id=None, function=function, resolution=None)
    if account is not None and (function or vpc):
        from vpcdoctor.diagnostics.dns.simulate import simulate

        vpc_id = vpc_of(account, function, vpc)
        report.vpc_id = vpc_id
        report.resolution = simulate(account, vpc_id, name)
        if probe and not servers and vpc_id is not None:
            servers = vpc_resolver_servers(account, vpc_id, report.notes)
    if probe and servers:
        from vpcdoctor.diagnostics.dns import probe as probe_module

        report.probes = list(probe_module.probe(name, servers, timeout=timeout, tries=tries))
        if nameservers and report.resolution is not None:
            report.notes.append(
                "These answers are from this host, not from inside the VPC: the simulation is "
                "what the function's resolver answers, and a probe never changes it."
            )
    if report.resolution is not None and report.probes:
        from vpcdoctor.diagnostics.dns.compare import disagreements

        report.disagreements = disagreements(report.resolution, report.probes)
    return report


def vpc_of(account: Account, function: str | None, vpc: str | None) -> str | None:
    """The VPC that asks: the function's (None when it is not in a VPC), else ``vpc``."""
    if function:
        from vpcdoctor.graph.model.targets import find_function

        return account.function_vpc(find_function(account, function))
    if vpc is None:
        return None
    if vpc not in account.vpcs:
        known = ", ".join(sorted(account.vpcs)[:8]) or "none"
        safe = vpc.encode("ascii", "backslashreplace").decode()
        raise DnsError(f"VPC {safe!r} is not in the account (VPCs: {known})")
    return vpc


def vpc_resolver_servers(account: Account, vpc_id: str, notes: list[str]) -> list[str]:
    """The VPC resolver's addresses when this host is inside the VPC; otherwise a note saying
    why it was not asked (and no server)."""
    vpc = account.vpcs.get(vpc_id)
    if vpc is None or vpc.resolver_ip is None:
        notes.append(
            f"{vpc_id} has no resolver address in the snapshot: name a server to ask instead."
        )
        return []
    servers = [str(vpc.resolver_ip), AMAZON_DNS_LINK_LOCAL]
    local = host_inside_vpc(vpc)
    if local is None:
        notes.append(
            f"The VPC resolver ({', '.join(servers)}) was not probed: it only answers inside "
            f"{vpc_id}, and this host is not in it. Run vpcdoctor from inside the VPC, or name "
            "another server to ask (--nameserver IP[:PORT]; in the TUI, the Name servers box)."
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
