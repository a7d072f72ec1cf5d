"""Simulated resolution (placeholder until the DNS work lands: everything is "public")."""

from __future__ import annotations

from vpcdoctor.diagnostics.dns.model import DnsOutcome, Resolution
from vpcdoctor.graph.model import Account, normalize_dns_name
from vpcdoctor.graph.verdict import Hop, HopStatus


def simulate(account: Account, vpc_id: str | None, name: str) -> Resolution:
    """Answer ``name`` as the resolver of ``vpc_id`` would (``None``: outside any VPC)."""
    del account
    host = normalize_dns_name(name)
    step = Hop(
        resource=None,
        kind="dns",
        status=HopStatus.UNKNOWN,
        code="DNS_NOT_SIMULATED",
        detail=f"{host}: DNS simulation is not available; treated as a public name.",
        needs="a live probe: vpcdoctor dns NAME --nameserver IP",
    )
    return Resolution(name=host, vpc_id=vpc_id, outcome=DnsOutcome.PUBLIC, steps=(step,))
