"""Results of DNS resolution: simulated from the snapshot, or probed on real name servers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from vpcdoctor.graph.model.jsonshape import JsonRecord, JsonShape, is_none, key, opt, shape
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
class DecidedBy(JsonRecord):
    resource: str
    kind: HopKind
    """``private-hosted-zone``, ``resolver-rule``, ``vpc``, ``vpc-endpoint``, ``db-instance``…"""
    detail: str

    JSON: ClassVar[JsonShape] = shape("resource", "kind", "detail")


STEP_JSON = shape("resource", "status", "code", "detail", "kind", opt("fix"), opt("needs"))
"""A resolution step in ``dns --format json``: DESIGN's four keys, then kind, fix, needs."""


def step_json(step: Hop) -> dict[str, Any]:
    """A resolution step in ``dns --format json`` (:data:`STEP_JSON`)."""
    return STEP_JSON.render(step)


def steps_json(steps: tuple[Hop, ...]) -> list[dict[str, Any]]:
    return [STEP_JSON.render(s) for s in steps]


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolution(JsonRecord):
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

    JSON: ClassVar[JsonShape] = shape(
        "name",
        key("vpc", attr="vpc_id"),
        "outcome",
        "addresses",
        "decided_by",
        "forwarded_to",
        key("steps", encode=steps_json),
        "canonical_name",
        "target_resources",
    )

    @property
    def deciding_step(self) -> Hop | None:
        """The step a negative outcome rests on: the first failing one, else the first unknown."""
        for status in (HopStatus.FAIL, HopStatus.UNKNOWN):
            for step in self.steps:
                if step.status is status:
                    return step
        return None


def _milliseconds(ms: float | None) -> float | None:
    return None if ms is None else round(ms, 1)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProbeResult(JsonRecord):
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

    JSON: ClassVar[JsonShape] = shape(
        "nameserver",
        "outcome",
        "addresses",
        key("ms", encode=_milliseconds),
        opt("code"),
        opt("cname_chain"),
        opt("tcp"),
        key("ttl", omit=is_none),
        opt("detail"),
        opt("advice"),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Disagreement(JsonRecord):
    """The simulation and a live probe give different answers for the same name."""

    nameserver: str
    code: str
    """``DNS_DISAGREE_STALE_RECORD``, ``DNS_DISAGREE_SHADOWED``, ``DNS_DISAGREE_NOT_ASSOCIATED``,
    ``DNS_DISAGREE_MISSING_RECORD``, ``DNS_DISAGREE_OUTCOME``."""
    detail: str

    JSON: ClassVar[JsonShape] = shape("nameserver", "code", "detail")
