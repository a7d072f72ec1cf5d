"""Results of DNS resolution: simulated from the snapshot, or probed on real name servers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from vpcdoctor.graph.model.named import NamedResource
from vpcdoctor.graph.model.verdict import Hop, HopKind, HopStatus


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
    kind: HopKind
    """``private-hosted-zone``, ``resolver-rule``, ``vpc``, ``vpc-endpoint``, ``db-instance``…"""
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
    named: NamedResource | None = None
    """The resource the answer's name is an endpoint of (R12): what ``check`` traces to, with
    its security groups and, when its interfaces are not in the snapshot, its subnets."""

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
            "steps": [step_json(s) for s in self.steps],
            "canonical_name": self.canonical_name,
            "target_resources": list(self.target_resources),
        }

    @property
    def deciding_step(self) -> Hop | None:
        """The step a negative outcome rests on: the first failing one, else the first unknown."""
        for status in (HopStatus.FAIL, HopStatus.UNKNOWN):
            for step in self.steps:
                if step.status is status:
                    return step
        return None


def step_json(step: Hop) -> dict[str, Any]:
    """A resolution step in ``dns --format json``: DESIGN's four keys, then kind, fix, needs."""
    out: dict[str, Any] = {
        "resource": step.resource,
        "status": str(step.status),
        "code": step.code,
        "detail": step.detail,
        "kind": step.kind,
    }
    if step.fix:
        out["fix"] = step.fix
    if step.needs:
        out["needs"] = step.needs
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class ProbeResult:
    """One live query to one name server."""

    nameserver: str
    """``ip:port`` of the server queried (and the one that answered: queries go to it alone)."""
    outcome: DnsOutcome
    addresses: tuple[str, ...] = ()
    cname_chain: tuple[str, ...] = ()
    """The names from the query name to the canonical name, when CNAMEs were followed."""
    ttl: int | None = None
    """Smallest TTL of the records that made the answer (or of the SOA for a negative one)."""
    ms: float | None = None
    """Time from the first query to the final response, all rdtypes and chain steps included."""
    detail: str = ""
    advice: str = ""
    code: str = ""
    """Finer than ``outcome``: ``DNS_PROBE_WRONG_ID``, ``DNS_PROBE_MALFORMED``,
    ``DNS_PROBE_UNREACHABLE``, ``DNS_PROBE_CNAME_LOOP``… (DESIGN's outcomes stay the same)."""
    tcp: bool = False
    """True when the answer came over TCP (the UDP answer was truncated)."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "nameserver": self.nameserver,
            "outcome": str(self.outcome),
            "addresses": list(self.addresses),
            "ms": None if self.ms is None else round(self.ms, 1),
        }
        if self.code:
            out["code"] = self.code
        if self.cname_chain:
            out["cname_chain"] = list(self.cname_chain)
        if self.tcp:
            out["tcp"] = True
        if self.ttl is not None:
            out["ttl"] = self.ttl
        if self.detail:
            out["detail"] = self.detail
        if self.advice:
            out["advice"] = self.advice
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Disagreement:
    """The simulation and a live probe give different answers for the same name."""

    nameserver: str
    code: str
    """``DNS_DISAGREE_STALE_RECORD``, ``DNS_DISAGREE_SHADOWED``, ``DNS_DISAGREE_NOT_ASSOCIATED``,
    ``DNS_DISAGREE_MISSING_RECORD``, ``DNS_DISAGREE_OUTCOME``."""
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"nameserver": self.nameserver, "code": self.code, "detail": self.detail}
