"""Results of DNS resolution: simulated from the snapshot, or probed on real name servers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from vpcdoctor.graph.verdict import Hop


class DnsOutcome(StrEnum):
    """DESIGN.md's ``outcome`` values."""

    ANSWER = "answer"
    NXDOMAIN = "nxdomain"
    NODATA = "nodata"
    FORWARDED = "forwarded"
    """A Resolver rule forwards the name; only a probe knows the answer."""
    PUBLIC = "public"
    """Public DNS decides; only a probe knows the answer."""
    SERVFAIL = "servfail"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True, kw_only=True)
class DecidedBy:
    resource: str
    kind: str
    """``private-hosted-zone``, ``resolver-rule``, ``vpc``, ``vpc-endpoint``, ``public-dns``…"""
    detail: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolution:
    """What the VPC's resolver would answer for one name (the simulation)."""

    name: str
    vpc_id: str | None
    outcome: DnsOutcome
    addresses: tuple[str, ...] = ()
    decided_by: DecidedBy | None = None
    forwarded_to: tuple[str, ...] = ()
    """``ip:port`` of the forward rule's targets."""
    steps: tuple[Hop, ...] = ()
    """Each step of the resolution as a hop with evidence (same shape as reachability hops)."""
    canonical_name: str | None = None
    """End of the CNAME / alias chain, when there was one."""
    target_resources: tuple[str, ...] = ()
    """Resources the answer points at (a load balancer ARN, a vpce id, an RDS endpoint)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "vpc": self.vpc_id,
            "outcome": str(self.outcome),
            "addresses": list(self.addresses),
            "decided_by": None
            if self.decided_by is None
            else {
                "resource": self.decided_by.resource,
                "kind": self.decided_by.kind,
                "detail": self.decided_by.detail,
            },
            "forwarded_to": list(self.forwarded_to),
            "steps": [
                {
                    "resource": s.resource,
                    "status": str(s.status),
                    "code": s.code,
                    "detail": s.detail,
                }
                for s in self.steps
            ],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ProbeResult:
    """One live query to one name server."""

    nameserver: str
    """``ip:port``."""
    outcome: DnsOutcome
    addresses: tuple[str, ...] = ()
    cname_chain: tuple[str, ...] = ()
    ttl: int | None = None
    ms: float | None = None
    detail: str = ""
    advice: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "nameserver": self.nameserver,
            "outcome": str(self.outcome),
            "addresses": list(self.addresses),
            "ms": None if self.ms is None else round(self.ms, 1),
        }
        if self.cname_chain:
            out["cname_chain"] = list(self.cname_chain)
        if self.ttl is not None:
            out["ttl"] = self.ttl
        if self.detail:
            out["detail"] = self.detail
        if self.advice:
            out["advice"] = self.advice
        return out
