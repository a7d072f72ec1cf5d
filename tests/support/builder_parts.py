"""The pieces of the test account builder: defaults AWS applies, rules, entries, and the
route-table, network-ACL and security-group builders (see :mod:`tests.support.builders`)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from vpcdoctor.graph.model import (
    Gap,
    NetworkAclEntry,
    Origin,
    PortRange,
    Route,
    RouteOrigin,
    RouteState,
    RouteTargetType,
    RuleAction,
    SecurityGroupRule,
    Subnet,
    Vpc,
    protocol_number,
)

REGION = "ap-northeast-1"

_TARGET_PREFIXES: tuple[tuple[str, RouteTargetType], ...] = (
    ("local", RouteTargetType.LOCAL),
    ("igw-", RouteTargetType.INTERNET_GATEWAY),
    ("eigw-", RouteTargetType.EGRESS_ONLY_INTERNET_GATEWAY),
    ("nat-", RouteTargetType.NAT_GATEWAY),
    ("i-", RouteTargetType.INSTANCE),
    ("eni-", RouteTargetType.NETWORK_INTERFACE),
    ("pcx-", RouteTargetType.VPC_PEERING),
    ("tgw-", RouteTargetType.TRANSIT_GATEWAY),
    ("vgw-", RouteTargetType.VIRTUAL_PRIVATE_GATEWAY),
    ("vpce-", RouteTargetType.VPC_ENDPOINT),
)


def target_type(target_id: str) -> RouteTargetType:
    for prefix, kind in _TARGET_PREFIXES:
        if target_id.startswith(prefix):
            return kind
    return RouteTargetType.UNKNOWN


def net(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return ipaddress.ip_network(text, strict=False)


def ports(value: int | tuple[int, int] | None) -> PortRange:
    if value is None:
        return PortRange()
    if isinstance(value, int):
        return PortRange(low=value, high=value)
    return PortRange(low=value[0], high=value[1])


def sg_rule(
    peer: str,
    *,
    egress: bool,
    protocol: str | int = "tcp",
    port: int | tuple[int, int] | None = None,
    peering_status: str | None = None,
    referenced_vpc_id: str | None = None,
) -> SecurityGroupRule:
    """One SG rule; ``peer`` is a CIDR, a prefix-list id (``pl-``) or a group id (``sg-``)."""
    proto = protocol_number(protocol)
    rng = PortRange() if proto == "-1" else ports(port)
    kwargs: dict[str, Any] = {}
    if peer.startswith("pl-"):
        kwargs["prefix_list_id"] = peer
    elif peer.startswith("sg-") or "/sg-" in peer:
        user, _, group = peer.rpartition("/")
        kwargs["referenced_group_id"] = group
        kwargs["referenced_user_id"] = user or None
        kwargs["peering_status"] = peering_status
        kwargs["referenced_vpc_id"] = referenced_vpc_id
    else:
        kwargs["cidr"] = net(peer)
    return SecurityGroupRule(egress=egress, protocol=proto, ports=rng, **kwargs)


ALLOW_ALL_EGRESS = (sg_rule("0.0.0.0/0", egress=True, protocol="-1"),)


def acl_entry(
    number: int,
    action: str,
    cidr: str,
    *,
    egress: bool,
    protocol: str | int = "-1",
    port: int | tuple[int, int] | None = None,
) -> NetworkAclEntry:
    proto = protocol_number(protocol)
    rng = PortRange() if proto == "-1" else ports(port)
    return NetworkAclEntry(
        rule_number=number,
        egress=egress,
        protocol=proto,
        action=RuleAction(action),
        cidr=net(cidr),
        ports=rng,
    )


def _default_entries() -> list[NetworkAclEntry]:
    """The default ACL: #100 allow all and * deny, both directions (IPv4)."""
    return [
        acl_entry(100, "allow", "0.0.0.0/0", egress=False),
        acl_entry(32767, "deny", "0.0.0.0/0", egress=False),
        acl_entry(100, "allow", "0.0.0.0/0", egress=True),
        acl_entry(32767, "deny", "0.0.0.0/0", egress=True),
    ]


@dataclass
class RouteTableBuilder:
    """Returned by :meth:`AccountBuilder.route_table`; chain ``.route(dest, target)``."""

    id: str
    vpc_id: str
    routes: list[Route] = field(default_factory=list)
    subnet_ids: list[str] = field(default_factory=list)
    is_main: bool = False

    def route(
        self,
        destination: str,
        target: str,
        *,
        state: str = "active",
        origin: str = "CreateRoute",
    ) -> RouteTableBuilder:
        """Add a route; ``destination`` is a CIDR or a prefix-list id (``pl-…``)."""
        is_pl = destination.startswith("pl-")
        self.routes.append(
            Route(
                destination=None if is_pl else net(destination),
                prefix_list_id=destination if is_pl else None,
                target_type=target_type(target),
                target_id=target,
                state=RouteState(state),
                origin=RouteOrigin(origin),
            )
        )
        return self

    def associate(self, *subnet_ids: str) -> RouteTableBuilder:
        self.subnet_ids.extend(subnet_ids)
        return self


@dataclass
class AclBuilder:
    """Returned by :meth:`AccountBuilder.network_acl`; chain ``.inbound()`` / ``.outbound()``."""

    id: str
    vpc_id: str
    is_default: bool = False
    entries: list[NetworkAclEntry] = field(default_factory=list)
    subnet_ids: list[str] = field(default_factory=list)

    def inbound(
        self,
        number: int,
        action: str,
        cidr: str,
        *,
        protocol: str | int = "-1",
        port: int | tuple[int, int] | None = None,
    ) -> AclBuilder:
        self.entries.append(
            acl_entry(number, action, cidr, egress=False, protocol=protocol, port=port)
        )
        return self

    def outbound(
        self,
        number: int,
        action: str,
        cidr: str,
        *,
        protocol: str | int = "-1",
        port: int | tuple[int, int] | None = None,
    ) -> AclBuilder:
        self.entries.append(
            acl_entry(number, action, cidr, egress=True, protocol=protocol, port=port)
        )
        return self


@dataclass
class SgBuilder:
    """Returned by :meth:`AccountBuilder.security_group`; chain ``.ingress()`` / ``.egress()``."""

    id: str
    vpc_id: str | None
    name: str
    ingress_rules: list[SecurityGroupRule] = field(default_factory=list)
    egress_rules: list[SecurityGroupRule] | None = None

    def ingress(
        self,
        peer: str,
        *,
        protocol: str | int = "tcp",
        port: int | tuple[int, int] | None = None,
        **kw: Any,
    ) -> SgBuilder:
        self.ingress_rules.append(sg_rule(peer, egress=False, protocol=protocol, port=port, **kw))
        return self

    def egress(
        self,
        peer: str,
        *,
        protocol: str | int = "tcp",
        port: int | tuple[int, int] | None = None,
        **kw: Any,
    ) -> SgBuilder:
        if self.egress_rules is None:
            self.egress_rules = []
        self.egress_rules.append(sg_rule(peer, egress=True, protocol=protocol, port=port, **kw))
        return self

    def no_egress(self) -> SgBuilder:
        """Remove AWS's default allow-all egress rule."""
        self.egress_rules = []
        return self


class BuilderState:
    """What the builder collects; the parts (:mod:`.builder_network`, :mod:`.builder_transit`)
    add resources to it and :class:`~tests.support.builders.AccountBuilder` builds from it."""

    region: str
    account_id: str
    vpcs: dict[str, Vpc]
    subnets: dict[str, Subnet]
    route_tables: dict[str, RouteTableBuilder]
    acls: dict[str, AclBuilder]
    sgs: dict[str, SgBuilder]
    resources: dict[str, dict[str, Any]]
    origins: dict[str, Origin]
    gaps: list[Gap]
    present: set[str] | None
    _eni_counter: int
