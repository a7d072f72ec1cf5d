"""Hops, paths and verdicts: what the engine answers, in the shape of DESIGN.md's JSON contract.

A :class:`CheckResult` is one answer to "can function F reach target T": one :class:`PathResult`
per subnet of the function's VpcConfig, each a sequence of :class:`Hop` s that carry the
evidence (the exact route, rule or DNS step that decided them). ``to_json()`` produces exactly
the ``check --format json`` document from each record's ``JSON`` shape (:mod:`.jsonshape`);
nothing else should hand-build that dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar

from vpcdoctor.graph.model.commands import Command
from vpcdoctor.graph.model.jsonshape import JsonRecord, JsonShape, equals, key, opt, shape, texts


class HopStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    SKIP = "skip"


class HopKind(StrEnum):
    """What a hop is about: one value per node kind of the graph (and DNS steps)."""

    LAMBDA = "lambda"
    ENI = "eni"
    SUBNET = "subnet"
    VPC = "vpc"
    ROUTE_TABLE = "route-table"
    SECURITY_GROUP = "security-group"
    NETWORK_ACL = "network-acl"
    INTERNET_GATEWAY = "internet-gateway"
    EGRESS_ONLY_INTERNET_GATEWAY = "egress-only-internet-gateway"
    NAT_GATEWAY = "nat-gateway"
    INSTANCE = "instance"
    VPC_ENDPOINT = "vpc-endpoint"
    PEERING_CONNECTION = "peering-connection"
    TRANSIT_GATEWAY = "transit-gateway"
    TRANSIT_GATEWAY_ATTACHMENT = "transit-gateway-attachment"
    TRANSIT_GATEWAY_ROUTE_TABLE = "transit-gateway-route-table"
    VIRTUAL_PRIVATE_GATEWAY = "virtual-private-gateway"
    VPN_CONNECTION = "vpn-connection"
    DIRECT_CONNECT_GATEWAY = "direct-connect-gateway"
    CARRIER_GATEWAY = "carrier-gateway"
    LOCAL_GATEWAY = "local-gateway"
    CORE_NETWORK = "core-network"
    PREFIX_LIST = "prefix-list"
    BLOCK_PUBLIC_ACCESS = "block-public-access"
    INTERNET = "internet"
    AWS_SERVICE = "aws-service"
    TARGET = "target"
    DATABASE = "database"
    LOAD_BALANCER = "load-balancer"
    CACHE = "cache"
    SEARCH_DOMAIN = "search-domain"
    DNS = "dns"
    HOSTED_ZONE = "hosted-zone"
    PRIVATE_HOSTED_ZONE = "private-hosted-zone"
    PUBLIC_HOSTED_ZONE = "public-hosted-zone"
    RESOLVER_RULE = "resolver-rule"
    RESOLVER_ENDPOINT = "resolver-endpoint"
    DHCP_OPTIONS = "dhcp-options"
    RESOURCE = "resource"
    # What decided a name of the account's own resources (DecidedBy.kind, R12), and a hop may
    # carry when the resolution decided the path: the resource's type.
    DB_INSTANCE = "db-instance"
    DB_CLUSTER = "db-cluster"
    DB_PROXY = "db-proxy"
    CACHE_CLUSTER = "cache-cluster"
    REPLICATION_GROUP = "replication-group"
    OPENSEARCH_DOMAIN = "opensearch-domain"
    # The checklist's own words and older records.
    FUNCTION = "function"
    NAT_INSTANCE = "nat-instance"
    ELASTIC_IP = "elastic-ip"

    @property
    def label(self) -> str:
        """The short name a person reads on a path (``NAT``, ``NACL``, ``route table``)."""
        return _KIND_LABELS.get(self, self.value.replace("-", " "))


_KIND_LABELS: dict[HopKind, str] = {
    HopKind.LAMBDA: "λ",
    HopKind.ENI: "ENI",
    HopKind.VPC: "VPC",
    HopKind.SECURITY_GROUP: "SG",
    HopKind.NETWORK_ACL: "NACL",
    HopKind.NAT_GATEWAY: "NAT",
    HopKind.INTERNET_GATEWAY: "IGW",
    HopKind.EGRESS_ONLY_INTERNET_GATEWAY: "EIGW",
    HopKind.VPC_ENDPOINT: "endpoint",
    HopKind.PEERING_CONNECTION: "peering",
    HopKind.TRANSIT_GATEWAY: "TGW",
    HopKind.TRANSIT_GATEWAY_ATTACHMENT: "TGW attachment",
    HopKind.TRANSIT_GATEWAY_ROUTE_TABLE: "TGW route table",
    HopKind.VIRTUAL_PRIVATE_GATEWAY: "VGW",
    HopKind.VPN_CONNECTION: "VPN",
    HopKind.DIRECT_CONNECT_GATEWAY: "DX gateway",
    HopKind.BLOCK_PUBLIC_ACCESS: "block public access",
    HopKind.DNS: "DNS",
    HopKind.PRIVATE_HOSTED_ZONE: "private zone",
    HopKind.HOSTED_ZONE: "hosted zone",
    HopKind.RESOLVER_RULE: "resolver rule",
    HopKind.RESOLVER_ENDPOINT: "resolver endpoint",
    HopKind.AWS_SERVICE: "AWS service",
    HopKind.FUNCTION: "λ",
    HopKind.NAT_INSTANCE: "NAT instance",
    HopKind.ELASTIC_IP: "EIP",
}


def kind_for_id(resource_id: str) -> HopKind:
    """The kind a resource id implies (``nat-…`` → NAT gateway, ``tgw-attach-…`` → attachment)."""
    for prefix, kind in _KIND_BY_PREFIX:
        if resource_id.startswith(prefix):
            return kind
    return HopKind.RESOURCE


_KIND_BY_PREFIX: tuple[tuple[str, HopKind], ...] = (
    ("igw-", HopKind.INTERNET_GATEWAY),
    ("eigw-", HopKind.EGRESS_ONLY_INTERNET_GATEWAY),
    ("nat-", HopKind.NAT_GATEWAY),
    ("pcx-", HopKind.PEERING_CONNECTION),
    ("tgw-attach-", HopKind.TRANSIT_GATEWAY_ATTACHMENT),
    ("tgw-rtb-", HopKind.TRANSIT_GATEWAY_ROUTE_TABLE),
    ("tgw-", HopKind.TRANSIT_GATEWAY),
    ("vgw-", HopKind.VIRTUAL_PRIVATE_GATEWAY),
    ("vpn-", HopKind.VPN_CONNECTION),
    ("dxgw-", HopKind.DIRECT_CONNECT_GATEWAY),
    ("cagw-", HopKind.CARRIER_GATEWAY),
    ("lgw-", HopKind.LOCAL_GATEWAY),
    ("vpce-", HopKind.VPC_ENDPOINT),
    ("eni-", HopKind.ENI),
    ("i-", HopKind.INSTANCE),
    ("sg-", HopKind.SECURITY_GROUP),
    ("acl-", HopKind.NETWORK_ACL),
    ("rtb-", HopKind.ROUTE_TABLE),
    ("subnet-", HopKind.SUBNET),
    ("vpc-", HopKind.VPC),
    ("pl-", HopKind.PREFIX_LIST),
    ("rslvr-rr-", HopKind.RESOLVER_RULE),
    ("rslvr-autodefined-rr-", HopKind.RESOLVER_RULE),
    ("rslvr-in-", HopKind.RESOLVER_ENDPOINT),
    ("rslvr-out-", HopKind.RESOLVER_ENDPOINT),
    ("lambda:", HopKind.LAMBDA),
)


class Direction(StrEnum):
    """Which way a hop's packet travels: the request the function opens, or its reply."""

    REQUEST = "request"
    REPLY = "reply"


class Verdict(StrEnum):
    REACHABLE = "reachable"
    UNREACHABLE = "unreachable"
    UNKNOWN = "unknown"

    @property
    def exit_code(self) -> int:
        """Exit code of ``vpcdoctor check``: 0 reachable, 1 unreachable, 3 unknown."""
        return {Verdict.REACHABLE: 0, Verdict.UNREACHABLE: 1, Verdict.UNKNOWN: 3}[self]


class TargetKind(StrEnum):
    INTERNET = "internet"
    """A public address or a public name."""
    AWS_SERVICE = "aws-service"
    PRIVATE_IP = "private-ip"
    """An address inside an RFC 1918 / ULA range (this VPC, a peer, on-prem)."""
    HOSTNAME = "hostname"
    """A name whose answer the DNS simulation decides (private zone, forwarded, public)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Target(JsonRecord):
    """A parsed TARGET argument."""

    input: str
    """Exactly what the user typed."""
    host: str
    """Host name or IP literal (no brackets), lower case."""
    port: int = 443
    kind: TargetKind
    service: str | None = None
    """AWS service short name (``s3``, ``secretsmanager``, ``ecr.api``) for service targets."""
    ip: str | None = None
    """The IP literal, when the target is an address."""
    protocol: str = "tcp"

    JSON: ClassVar[JsonShape] = shape(
        "input", "host", "port", "kind", opt("service"), key("protocol", omit=equals("tcp"))
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence(JsonRecord):
    """One fact behind a hop: a resource and the exact thing about it that decided."""

    resource: str
    """A resource id the user can paste into the console."""
    text: str
    """The route, rule, entry or value, e.g. ``0.0.0.0/0 → igw-0abc`` or ``#100 out tcp 443``."""

    JSON: ClassVar[JsonShape] = shape("resource", "text")


@dataclass(frozen=True, slots=True, kw_only=True)
class FixOption(JsonRecord):
    """One way to fix a hop: commands to run in order, what it costs, what else it changes."""

    summary: str
    """One line for a person: what this option does."""
    commands: tuple[Command, ...] = ()
    """Runnable AWS CLI commands, in order (empty when the option is advice only)."""
    cost: str | None = None
    """What it costs, from knowledge/prices.toml (a NAT gateway per hour and per GB…)."""
    affects: tuple[str, ...] = ()
    """Other resources the change also affects (functions on the same route table or group)."""

    JSON: ClassVar[JsonShape] = shape(
        "summary", key("commands", encode=texts), opt("cost"), opt("affects")
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Hop(JsonRecord):
    """One step of a path, with the resource and rule that decided it."""

    resource: str | None
    """Resource id (``eni-…``, ``rtb-…``, ``sg-…``, ``acl-…``, ``Z0…``, a function name…); None
    when nothing in the account decided, e.g. public DNS."""
    kind: HopKind
    """What the hop is about (a str-valued enum: JSON shows its value, ``route-table``), and
    its short label for a person (``HopKind.label``)."""
    status: HopStatus
    code: str
    """Reachability-Analyzer-style code, e.g. ``NO_ROUTE_TO_DESTINATION``, ``DNS_NXDOMAIN``."""
    detail: str
    """One sentence for a person, naming the ids involved."""
    evidence: tuple[Evidence, ...] = ()
    fix: str | None = None
    """What to change, preferably as an AWS CLI command with the real ids."""
    needs: str | None = None
    """For ``unknown`` hops: the export or IAM permission that would settle it."""
    direction: Direction = Direction.REQUEST
    """The request the function opens, or the reply coming back (NACLs and routes are
    stateless: the reply is checked on its own way back)."""
    subnet: str | None = None
    """The subnet whose route table, network ACL or interface this hop is about, when any."""
    fixes: tuple[FixOption, ...] = ()
    """The fix as ranked options (cheapest and narrowest first), each runnable AWS CLI commands;
    ``fix`` is their text. Empty when the fix is advice only."""

    JSON: ClassVar[JsonShape] = shape(
        "resource",
        "kind",
        "status",
        "code",
        "detail",
        opt("evidence"),
        opt("fix"),
        opt("needs"),
        opt("fixes"),
    )

    @property
    def commands(self) -> tuple[Command, ...]:
        """The best option's commands (what ``--plan`` applies and the copy key copies)."""
        return self.fixes[0].commands if self.fixes else ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PathResult(JsonRecord):
    """The path from one subnet of the function's VpcConfig (or none, outside a VPC)."""

    subnet: str | None
    az: str | None
    verdict: Verdict
    hops: tuple[Hop, ...]

    JSON: ClassVar[JsonShape] = shape("subnet", "az", "verdict", "hops")

    @property
    def blocking(self) -> Hop | None:
        """The first hop that failed, else the first unknown one."""
        for hop in self.hops:
            if hop.status is HopStatus.FAIL:
                return hop
        for hop in self.hops:
            if hop.status is HopStatus.UNKNOWN:
                return hop
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Warning(JsonRecord):
    code: str
    detail: str
    resource: str | None = None

    JSON: ClassVar[JsonShape] = shape("code", "detail", opt("resource"))


BLOCKING_JSON = shape(
    "resource", "code", "detail", key("fix", encode=lambda fix: fix or ""), opt("needs")
)
"""The verdict's ``blocking`` object: the deciding hop in short (``fix`` always present)."""


def combine(verdicts: list[Verdict] | tuple[Verdict, ...]) -> Verdict:
    """Overall verdict: reachable only if every path is; any unreachable path makes it
    unreachable; otherwise unknown."""
    if not verdicts:
        return Verdict.UNKNOWN
    if any(v is Verdict.UNREACHABLE for v in verdicts):
        return Verdict.UNREACHABLE
    if all(v is Verdict.REACHABLE for v in verdicts):
        return Verdict.REACHABLE
    return Verdict.UNKNOWN


def path_verdict(hops: tuple[Hop, ...] | list[Hop]) -> Verdict:
    """A path is unreachable at its first failing hop, unknown if any hop is unknown."""
    if any(h.status is HopStatus.FAIL for h in hops):
        return Verdict.UNREACHABLE
    if any(h.status is HopStatus.UNKNOWN for h in hops):
        return Verdict.UNKNOWN
    return Verdict.REACHABLE


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckResult(JsonRecord):
    """The answer to "can this function reach this target"."""

    function: str
    target: Target
    verdict: Verdict
    paths: tuple[PathResult, ...]
    warnings: tuple[Warning, ...] = ()
    dns: tuple[Hop, ...] = field(default=())
    """The DNS resolution steps, when the target was a host name (also the first hops)."""
    notes: tuple[str, ...] = ()
    """What the snapshot held that was not used (files set aside, with why), so a user sees
    what was ignored."""

    JSON: ClassVar[JsonShape] = shape(
        "function",
        "target",
        "verdict",
        "paths",
        key("blocking", encode=BLOCKING_JSON),
        "warnings",
        opt("notes"),  # after DESIGN's keys, and only when the snapshot held something unused
    )

    @property
    def blocking(self) -> Hop | None:
        """The hop that decided a non-reachable verdict (first failing path first)."""
        if self.verdict is Verdict.REACHABLE:
            return None
        ordered = sorted(self.paths, key=lambda p: p.verdict is not Verdict.UNREACHABLE)
        for path in ordered:
            if path.blocking is not None:
                return path.blocking
        return None

    @property
    def failing_subnets(self) -> tuple[str, ...]:
        return tuple(
            p.subnet for p in self.paths if p.verdict is not Verdict.REACHABLE and p.subnet
        )
