"""VPCs, subnets, route tables, security groups, network ACLs and prefix lists."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from vpcdoctor.graph.model.base import (
    _NO_TAGS,
    ALL_PORTS,
    PROTOCOL_NAMES,
    IPAddress,
    IPNetwork,
    PortRange,
    RouteOrigin,
    RouteState,
    RouteTargetType,
    RuleAction,
    Tags,
    _name,
)

# --------------------------------------------------------------------------------------------
# VPC, subnets, routing
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Vpc:
    id: str
    owner_id: str | None = None
    cidrs: tuple[ipaddress.IPv4Network, ...] = ()
    """Associated IPv4 CIDR blocks, primary first, secondary after."""
    ipv6_cidrs: tuple[ipaddress.IPv6Network, ...] = ()
    is_default: bool = False
    state: str | None = None
    dhcp_options_id: str | None = None
    enable_dns_support: bool | None = None
    """None: describe-vpc-attribute was not exported."""
    enable_dns_hostnames: bool | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def name(self) -> str:
        return _name(self.tags, self.id)

    @property
    def resolver_ip(self) -> ipaddress.IPv4Address | None:
        """The Amazon-provided DNS server: the primary CIDR's base address plus two."""
        if not self.cidrs:
            return None
        return self.cidrs[0].network_address + 2

    def contains(self, ip: IPAddress) -> bool:
        nets: tuple[IPNetwork, ...] = (*self.cidrs, *self.ipv6_cidrs)
        return any(ip.version == n.version and ip in n for n in nets)


@dataclass(frozen=True, slots=True, kw_only=True)
class Subnet:
    id: str
    vpc_id: str
    az: str
    az_id: str | None = None
    cidr: ipaddress.IPv4Network | None = None
    ipv6_cidrs: tuple[ipaddress.IPv6Network, ...] = ()
    available_ips: int | None = None
    map_public_ip_on_launch: bool = False
    ipv6_native: bool = False
    owner_id: str | None = None
    state: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def name(self) -> str:
        return _name(self.tags, self.id)

    @property
    def is_dual_stack(self) -> bool:
        return self.cidr is not None and bool(self.ipv6_cidrs)


@dataclass(frozen=True, slots=True, kw_only=True)
class Route:
    destination: IPNetwork | None
    """The destination CIDR; None for a prefix-list route."""
    prefix_list_id: str | None = None
    target_type: RouteTargetType
    target_id: str
    """``local``, ``igw-…``, ``nat-…``, ``pcx-…``, ``i-…``, ``eni-…``, ``vpce-…``…"""
    state: RouteState = RouteState.ACTIVE
    origin: RouteOrigin = RouteOrigin.CREATE_ROUTE

    @property
    def destination_text(self) -> str:
        return self.prefix_list_id if self.prefix_list_id else str(self.destination)

    def __str__(self) -> str:
        state = "" if self.state is RouteState.ACTIVE else f" ({self.state})"
        return f"{self.destination_text} → {self.target_id}{state}"


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteTable:
    id: str
    vpc_id: str
    routes: tuple[Route, ...] = ()
    subnet_ids: tuple[str, ...] = ()
    """Explicitly associated subnets."""
    is_main: bool = False
    gateway_ids: tuple[str, ...] = ()
    """Edge associations (an IGW or VGW associated for ingress routing)."""
    propagating_vgws: tuple[str, ...] = ()
    """VGWs whose routes propagate into this table (``PropagatingVgws``); their routes appear in
    ``routes`` with origin ``EnableVgwRoutePropagation``."""
    owner_id: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def name(self) -> str:
        return _name(self.tags, self.id)


# --------------------------------------------------------------------------------------------
# Security groups and network ACLs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityGroupRule:
    """One source or destination of a security group rule (AWS's lists are flattened)."""

    egress: bool
    protocol: str
    """Protocol number as a string; ``-1`` means all."""
    ports: PortRange = ALL_PORTS
    cidr: IPNetwork | None = None
    prefix_list_id: str | None = None
    referenced_group_id: str | None = None
    referenced_user_id: str | None = None
    referenced_vpc_id: str | None = None
    peering_status: str | None = None
    description: str | None = None
    rule_id: str | None = None

    @property
    def peer_text(self) -> str:
        if self.cidr is not None:
            return str(self.cidr)
        if self.prefix_list_id:
            return self.prefix_list_id
        if self.referenced_group_id:
            return self.referenced_group_id
        return "?"

    def __str__(self) -> str:
        proto = PROTOCOL_NAMES.get(self.protocol, self.protocol)
        direction = "to" if self.egress else "from"
        return f"{proto} {self.ports} {direction} {self.peer_text}"


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityGroup:
    id: str
    vpc_id: str | None
    name: str
    description: str = ""
    ingress: tuple[SecurityGroupRule, ...] = ()
    egress: tuple[SecurityGroupRule, ...] = ()
    owner_id: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)


DEFAULT_RULE_NUMBERS: frozenset[int] = frozenset({32767, 32768})
"""Rule numbers AWS prints for the `*` (default deny) rules: 32767 for IPv4, 32768 for IPv6.
User rules are 1-32766."""


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkAclEntry:
    rule_number: int
    egress: bool
    protocol: str
    action: RuleAction
    cidr: IPNetwork
    ports: PortRange = ALL_PORTS
    icmp_type: int | None = None
    icmp_code: int | None = None

    @property
    def is_default_deny(self) -> bool:
        """The ``*`` rule AWS adds to every ACL: 32767 (IPv4) or 32768 (IPv6)."""
        return self.rule_number in DEFAULT_RULE_NUMBERS

    def __str__(self) -> str:
        number = "*" if self.is_default_deny else str(self.rule_number)
        proto = PROTOCOL_NAMES.get(self.protocol, self.protocol)
        direction = "out" if self.egress else "in"
        return f"#{number} {direction} {proto} {self.ports} {self.cidr} {self.action}"


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkAcl:
    id: str
    vpc_id: str
    is_default: bool = False
    entries: tuple[NetworkAclEntry, ...] = ()
    """All entries, sorted by (egress, rule number)."""
    subnet_ids: tuple[str, ...] = ()
    owner_id: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def name(self) -> str:
        return _name(self.tags, self.id)

    def rules(self, *, egress: bool) -> tuple[NetworkAclEntry, ...]:
        """Entries of one direction in evaluation order (ascending rule number)."""
        return tuple(e for e in self.entries if e.egress == egress)


@dataclass(frozen=True, slots=True, kw_only=True)
class PrefixList:
    id: str
    name: str = ""
    address_family: str | None = None
    owner_id: str | None = None
    max_entries: int | None = None
    aws_managed: bool = False
    entries: tuple[IPNetwork, ...] | None = None
    """None: the entries were not exported (a gap, not an empty list)."""
