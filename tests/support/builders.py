"""A small fluent builder of :class:`Account` objects in code, for tests.

Everything is written in AWS's own words (ids, CIDRs, states) and defaults to what AWS does:
a VPC gets its main route table (with the ``local`` route for every CIDR) and its default
network ACL (allow all, both directions); a security group without explicit egress gets AWS's
default allow-all egress rule; a subnet uses the main table and the default ACL until
associated. A route's target type follows from its id prefix (``igw-``, ``nat-``, ``pcx-`` …).

Example::

    b = AccountBuilder()
    b.vpc("vpc-1", "10.0.0.0/16")
    b.subnet("subnet-a", "vpc-1", "10.0.1.0/24", az="ap-northeast-1a")
    b.route_table("rtb-a", "vpc-1", subnets=["subnet-a"]).route("0.0.0.0/0", "nat-1")
    b.security_group("sg-fn", "vpc-1")
    b.function("orders", subnets=["subnet-a"], security_groups=["sg-fn"])
    account = b.build()
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field, replace
from typing import Any

from vpcdoctor.graph.model import (
    Account,
    BlockPublicAccessExclusion,
    BlockPublicAccessOptions,
    DnsEntry,
    EgressOnlyInternetGateway,
    ElasticIp,
    EndpointType,
    Gap,
    GatewayAttachment,
    HostedZone,
    Instance,
    InternetGateway,
    LambdaFunction,
    LambdaState,
    NatAddress,
    NatConnectivity,
    NatGateway,
    NatState,
    NetworkAcl,
    NetworkAclEntry,
    NetworkInterface,
    Origin,
    PeeringSide,
    PortRange,
    PrefixList,
    RecordSet,
    Route,
    RouteOrigin,
    RouteState,
    RouteTable,
    RouteTargetType,
    RuleAction,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    TargetGroup,
    TargetHealth,
    TgwAssociation,
    TgwPropagation,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
    Vpc,
    VpcConfig,
    VpcEndpoint,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
    VpnRoute,
    VpnTunnel,
    ZoneVpc,
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


class AccountBuilder:
    """Collects resources, then :meth:`build` makes the indexed :class:`Account`."""

    def __init__(self, *, region: str = REGION, account_id: str = "111122223333") -> None:
        self.region = region
        self.account_id = account_id
        self.vpcs: dict[str, Vpc] = {}
        self.subnets: dict[str, Subnet] = {}
        self.route_tables: dict[str, RouteTableBuilder] = {}
        self.acls: dict[str, AclBuilder] = {}
        self.sgs: dict[str, SgBuilder] = {}
        self.resources: dict[str, dict[str, Any]] = {
            "internet_gateways": {},
            "egress_only_internet_gateways": {},
            "nat_gateways": {},
            "vpc_endpoints": {},
            "network_interfaces": {},
            "elastic_ips": {},
            "prefix_lists": {},
            "peering_connections": {},
            "transit_gateways": {},
            "transit_gateway_attachments": {},
            "transit_gateway_route_tables": {},
            "functions": {},
            "hosted_zones": {},
            "instances": {},
            "vpn_connections": {},
            "vpn_gateways": {},
            "block_public_access": {},
            "block_public_access_exclusions": {},
            "target_groups": {},
        }
        self.origins: dict[str, Origin] = {}
        self.gaps: list[Gap] = []
        self.present: set[str] | None = None
        self._eni_counter = 0

    # ---- VPC, subnets, routing ----------------------------------------------------------
    def vpc(
        self,
        vpc_id: str,
        *cidrs: str,
        ipv6: tuple[str, ...] = (),
        dns_support: bool | None = True,
        dns_hostnames: bool | None = True,
        main_route_table: str | None = None,
        default_acl: str | None = None,
    ) -> Vpc:
        """A VPC with its main route table (local routes) and its default allow-all ACL."""
        vpc = Vpc(
            id=vpc_id,
            owner_id=self.account_id,
            cidrs=tuple(ipaddress.IPv4Network(c) for c in (cidrs or ("10.0.0.0/16",))),
            ipv6_cidrs=tuple(ipaddress.IPv6Network(c) for c in ipv6),
            state="available",
            enable_dns_support=dns_support,
            enable_dns_hostnames=dns_hostnames,
        )
        self.vpcs[vpc_id] = vpc
        main = self.route_table(main_route_table or f"rtb-main-{vpc_id}", vpc_id)
        main.is_main = True
        acl = self.network_acl(default_acl or f"acl-default-{vpc_id}", vpc_id, default=True)
        acl.entries = _default_entries()
        return vpc

    def subnet(
        self,
        subnet_id: str,
        vpc_id: str,
        cidr: str,
        *,
        az: str = f"{REGION}a",
        ipv6: tuple[str, ...] = (),
        available_ips: int | None = 200,
    ) -> Subnet:
        subnet = Subnet(
            id=subnet_id,
            vpc_id=vpc_id,
            az=az,
            cidr=ipaddress.IPv4Network(cidr),
            ipv6_cidrs=tuple(ipaddress.IPv6Network(c) for c in ipv6),
            available_ips=available_ips,
            state="available",
            owner_id=self.account_id,
        )
        self.subnets[subnet_id] = subnet
        return subnet

    def route_table(
        self,
        rtb_id: str,
        vpc_id: str,
        *,
        subnets: tuple[str, ...] | list[str] = (),
        local: bool = True,
    ) -> RouteTableBuilder:
        """A route table with the VPC's local routes (``local=False`` to write them yourself)."""
        if rtb_id in self.route_tables:
            return self.route_tables[rtb_id].associate(*subnets)
        rtb = RouteTableBuilder(id=rtb_id, vpc_id=vpc_id, subnet_ids=list(subnets))
        if local and vpc_id in self.vpcs:
            vpc = self.vpcs[vpc_id]
            for cidr in (*vpc.cidrs, *vpc.ipv6_cidrs):
                rtb.routes.append(
                    Route(
                        destination=cidr,
                        target_type=RouteTargetType.LOCAL,
                        target_id="local",
                        origin=RouteOrigin.CREATE_ROUTE_TABLE,
                    )
                )
        self.route_tables[rtb_id] = rtb
        return rtb

    def main_route_table(self, vpc_id: str) -> RouteTableBuilder:
        return next(r for r in self.route_tables.values() if r.is_main and r.vpc_id == vpc_id)

    def network_acl(
        self,
        acl_id: str,
        vpc_id: str,
        *,
        subnets: tuple[str, ...] | list[str] = (),
        default: bool = False,
    ) -> AclBuilder:
        """A custom ACL: denies everything until rules are added (the final ``*`` entries)."""
        if acl_id in self.acls:
            self.acls[acl_id].subnet_ids.extend(subnets)
            return self.acls[acl_id]
        acl = AclBuilder(id=acl_id, vpc_id=vpc_id, is_default=default, subnet_ids=list(subnets))
        self.acls[acl_id] = acl
        return acl

    def default_acl(self, vpc_id: str) -> AclBuilder:
        return next(a for a in self.acls.values() if a.is_default and a.vpc_id == vpc_id)

    def internet_gateway(
        self, igw_id: str, vpc_id: str | None, *, state: str = "available"
    ) -> InternetGateway:
        igw = InternetGateway(
            id=igw_id,
            attachments=() if vpc_id is None else (GatewayAttachment(vpc_id=vpc_id, state=state),),
        )
        self.resources["internet_gateways"][igw_id] = igw
        return igw

    def egress_only_internet_gateway(self, eigw_id: str, vpc_id: str) -> EgressOnlyInternetGateway:
        eigw = EgressOnlyInternetGateway(
            id=eigw_id, attachments=(GatewayAttachment(vpc_id=vpc_id, state="attached"),)
        )
        self.resources["egress_only_internet_gateways"][eigw_id] = eigw
        return eigw

    def nat_gateway(
        self,
        nat_id: str,
        subnet_id: str,
        *,
        state: str = "available",
        connectivity: str = "public",
        public_ip: str | None = "203.0.113.10",
        private_ip: str | None = None,
        failure_code: str | None = None,
    ) -> NatGateway:
        subnet = self.subnets[subnet_id]
        if private_ip is None and subnet.cidr is not None:
            private_ip = str(subnet.cidr.network_address + 100)
        nat = NatGateway(
            id=nat_id,
            vpc_id=subnet.vpc_id,
            subnet_id=subnet_id,
            state=NatState(state),
            connectivity=NatConnectivity(connectivity),
            addresses=(
                NatAddress(
                    private_ip=ipaddress.IPv4Address(private_ip) if private_ip else None,
                    public_ip=ipaddress.IPv4Address(public_ip)
                    if public_ip and connectivity == "public"
                    else None,
                ),
            ),
            failure_code=failure_code,
        )
        self.resources["nat_gateways"][nat_id] = nat
        return nat

    # ---- security ---------------------------------------------------------------------------
    def security_group(
        self, sg_id: str, vpc_id: str | None, *, name: str | None = None
    ) -> SgBuilder:
        """A group with no inbound rules and AWS's default allow-all outbound rule."""
        sg = SgBuilder(id=sg_id, vpc_id=vpc_id, name=name or sg_id)
        self.sgs[sg_id] = sg
        return sg

    def prefix_list(
        self,
        pl_id: str,
        *cidrs: str,
        name: str = "",
        entries_known: bool = True,
        aws_managed: bool = True,
    ) -> PrefixList:
        pl = PrefixList(
            id=pl_id,
            name=name or pl_id,
            aws_managed=aws_managed,
            entries=tuple(net(c) for c in cidrs) if entries_known else None,
        )
        self.resources["prefix_lists"][pl_id] = pl
        return pl

    # ---- interfaces -------------------------------------------------------------------------
    def eni(
        self,
        eni_id: str,
        subnet_id: str,
        ip: str,
        *,
        security_groups: tuple[str, ...] | list[str] = (),
        interface_type: str = "interface",
        public_ip: str | None = None,
        instance_id: str | None = None,
        source_dest_check: bool = True,
        description: str = "",
        ipv6: tuple[str, ...] = (),
    ) -> NetworkInterface:
        subnet = self.subnets[subnet_id]
        eni = NetworkInterface(
            id=eni_id,
            subnet_id=subnet_id,
            vpc_id=subnet.vpc_id,
            az=subnet.az,
            interface_type=interface_type,
            requester_managed=interface_type in ("lambda", "nat_gateway", "vpc_endpoint"),
            description=description,
            status="in-use",
            private_ips=(ipaddress.ip_address(ip),),
            ipv6_addresses=tuple(ipaddress.IPv6Address(a) for a in ipv6),
            public_ip=ipaddress.IPv4Address(public_ip) if public_ip else None,
            security_group_ids=tuple(security_groups),
            instance_id=instance_id,
            source_dest_check=source_dest_check,
        )
        self.resources["network_interfaces"][eni_id] = eni
        return eni

    def elastic_ip(
        self, allocation_id: str, public_ip: str, *, eni_id: str | None = None
    ) -> ElasticIp:
        private = None
        if eni_id is not None:
            eni = self.resources["network_interfaces"][eni_id]
            private = eni.primary_ip
        eip = ElasticIp(
            allocation_id=allocation_id,
            public_ip=ipaddress.IPv4Address(public_ip),
            association_id=f"eipassoc-{allocation_id}" if eni_id else None,
            network_interface_id=eni_id,
            private_ip=private,
        )
        self.resources["elastic_ips"][allocation_id] = eip
        return eip

    def instance(
        self,
        instance_id: str,
        subnet_id: str,
        ip: str,
        *,
        security_groups: tuple[str, ...] | list[str] = (),
        state: str = "running",
        source_dest_check: bool = True,
        public_ip: str | None = None,
        eni_id: str | None = None,
    ) -> Instance:
        eni_id = eni_id or f"eni-{instance_id}"
        self.eni(
            eni_id,
            subnet_id,
            ip,
            security_groups=security_groups,
            instance_id=instance_id,
            source_dest_check=source_dest_check,
            public_ip=public_ip,
        )
        subnet = self.subnets[subnet_id]
        inst = Instance(
            id=instance_id,
            state=state,
            subnet_id=subnet_id,
            vpc_id=subnet.vpc_id,
            private_ip=ipaddress.ip_address(ip),
            public_ip=ipaddress.IPv4Address(public_ip) if public_ip else None,
            network_interface_ids=(eni_id,),
            security_group_ids=tuple(security_groups),
            source_dest_check=source_dest_check,
        )
        self.resources["instances"][instance_id] = inst
        return inst

    # ---- endpoints ----------------------------------------------------------------------------
    def gateway_endpoint(
        self,
        vpce_id: str,
        vpc_id: str,
        service: str,
        *,
        route_tables: tuple[str, ...] | list[str] = (),
        prefix_list_id: str | None = None,
        state: str = "available",
    ) -> VpcEndpoint:
        """A gateway endpoint; adds the ``pl-… → vpce-…`` route to each route table, as AWS does."""
        pl_id = prefix_list_id or f"pl-{service}"
        for rtb in route_tables:
            self.route_tables[rtb].route(pl_id, vpce_id)
        vpce = VpcEndpoint(
            id=vpce_id,
            vpc_id=vpc_id,
            type=EndpointType.GATEWAY,
            service_name=f"com.amazonaws.{self.region}.{service}",
            state=state,
            route_table_ids=tuple(route_tables),
        )
        self.resources["vpc_endpoints"][vpce_id] = vpce
        return vpce

    def interface_endpoint(
        self,
        vpce_id: str,
        vpc_id: str,
        service: str,
        *,
        subnets: tuple[str, ...] | list[str] = (),
        security_groups: tuple[str, ...] | list[str] = (),
        private_dns: bool = True,
        state: str = "available",
        create_enis: bool = True,
    ) -> VpcEndpoint:
        """An interface endpoint with one ENI per subnet (address ``.50 + n`` of the subnet)."""
        eni_ids: list[str] = []
        for n, subnet_id in enumerate(subnets):
            eni_id = f"eni-{vpce_id}-{n}"
            eni_ids.append(eni_id)
            if create_enis:
                cidr = self.subnets[subnet_id].cidr
                assert cidr is not None
                self.eni(
                    eni_id,
                    subnet_id,
                    str(cidr.network_address + 50 + n),
                    security_groups=security_groups,
                    interface_type="vpc_endpoint",
                    description=f"VPC Endpoint Interface {vpce_id}",
                )
        vpce = VpcEndpoint(
            id=vpce_id,
            vpc_id=vpc_id,
            type=EndpointType.INTERFACE,
            service_name=f"com.amazonaws.{self.region}.{service}",
            state=state,
            subnet_ids=tuple(subnets),
            network_interface_ids=tuple(eni_ids),
            security_group_ids=tuple(security_groups),
            private_dns_enabled=private_dns,
            dns_entries=(
                DnsEntry(dns_name=f"{vpce_id}.{service}.{self.region}.vpce.amazonaws.com"),
            ),
        )
        self.resources["vpc_endpoints"][vpce_id] = vpce
        return vpce

    # ---- peering, transit gateway ---------------------------------------------------------------
    def peering(
        self,
        pcx_id: str,
        requester_vpc: str,
        accepter_vpc: str,
        *,
        status: str = "active",
        accepter_region: str | None = None,
        accepter_owner: str | None = None,
    ) -> VpcPeeringConnection:
        def side(vpc_id: str, region: str | None, owner: str | None) -> PeeringSide:
            vpc = self.vpcs.get(vpc_id)
            return PeeringSide(
                vpc_id=vpc_id,
                owner_id=owner or self.account_id,
                region=region or self.region,
                cidrs=tuple(vpc.cidrs) if vpc else (),
            )

        pcx = VpcPeeringConnection(
            id=pcx_id,
            requester=side(requester_vpc, None, None),
            accepter=side(accepter_vpc, accepter_region, accepter_owner),
            status=status,
        )
        self.resources["peering_connections"][pcx_id] = pcx
        return pcx

    def transit_gateway(
        self, tgw_id: str, *, state: str = "available", default_route_table: str | None = None
    ) -> TransitGateway:
        tgw = TransitGateway(
            id=tgw_id,
            state=state,
            association_default_route_table_id=default_route_table,
            propagation_default_route_table_id=default_route_table,
        )
        self.resources["transit_gateways"][tgw_id] = tgw
        return tgw

    def tgw_vpc_attachment(
        self,
        attach_id: str,
        tgw_id: str,
        vpc_id: str,
        *,
        subnets: tuple[str, ...] | list[str] | None,
        route_table: str | None,
        state: str = "available",
        resource_type: str = "vpc",
    ) -> TransitGatewayAttachment:
        att = TransitGatewayAttachment(
            id=attach_id,
            transit_gateway_id=tgw_id,
            resource_type=resource_type,
            resource_id=vpc_id,
            state=state,
            association_route_table_id=route_table,
            association_state="associated" if route_table else None,
            subnet_ids=None if subnets is None else tuple(subnets),
        )
        self.resources["transit_gateway_attachments"][attach_id] = att
        return att

    def tgw_route_table(
        self, rtb_id: str, tgw_id: str, routes: list[tuple[str, str]] | None
    ) -> TransitGatewayRouteTable:
        """``routes``: (CIDR, attachment id or ``blackhole``); None: routes not exported."""
        tr: tuple[TransitGatewayRoute, ...] | None = None
        if routes is not None:
            tr = tuple(
                TransitGatewayRoute(
                    destination=net(cidr),
                    attachment_ids=() if att == "blackhole" else (att,),
                    state="blackhole" if att == "blackhole" else "active",
                )
                for cidr, att in routes
            )
        rtb = TransitGatewayRouteTable(id=rtb_id, transit_gateway_id=tgw_id, routes=tr)
        self.resources["transit_gateway_route_tables"][rtb_id] = rtb
        return rtb

    def tgw_propagation(
        self,
        rtb_id: str,
        attachment_id: str,
        *,
        resource_type: str = "vpc",
        resource_id: str | None = None,
        state: str = "enabled",
        association: bool = False,
    ) -> TransitGatewayRouteTable:
        """Add a propagation (or, with ``association``, an association) of an attachment to a
        TGW route table made with :meth:`tgw_route_table`."""
        rtb = self.resources["transit_gateway_route_tables"][rtb_id]
        if association:
            entry: Any = TgwAssociation(
                attachment_id=attachment_id,
                resource_type=resource_type,
                resource_id=resource_id,
                state="associated" if state == "enabled" else state,
            )
            rtb = replace(rtb, associations=(*(rtb.associations or ()), entry))
        else:
            entry = TgwPropagation(
                attachment_id=attachment_id,
                resource_type=resource_type,
                resource_id=resource_id,
                state=state,
            )
            rtb = replace(rtb, propagations=(*(rtb.propagations or ()), entry))
        self.resources["transit_gateway_route_tables"][rtb_id] = rtb
        return rtb

    # ---- VPN, Block Public Access, ELB, origins -------------------------------------------
    def vpn_gateway(
        self, vgw_id: str, vpc_id: str | None = None, state: str = "available"
    ) -> VpnGateway:
        vgw = VpnGateway(
            id=vgw_id,
            state=state,
            attachments=(GatewayAttachment(vpc_id=vpc_id, state="attached"),) if vpc_id else (),
            amazon_side_asn=64512,
        )
        self.resources["vpn_gateways"][vgw_id] = vgw
        return vgw

    def vpn_connection(
        self,
        vpn_id: str,
        *,
        vgw: str | None = None,
        tgw: str | None = None,
        tunnels: tuple[str, ...] | None = ("UP", "UP"),
        routes: tuple[str, ...] = (),
        state: str = "available",
    ) -> VpnConnection:
        """``tunnels``: the status of each (``UP`` / ``DOWN``); None: telemetry not exported."""
        vpn = VpnConnection(
            id=vpn_id,
            state=state,
            type="ipsec.1",
            vpn_gateway_id=vgw,
            transit_gateway_id=tgw,
            customer_gateway_id="cgw-0000000000000001",
            static_routes_only=bool(routes),
            routes=tuple(VpnRoute(destination=net(c), state="available") for c in routes),
            tunnels=None
            if tunnels is None
            else tuple(
                VpnTunnel(outside_ip=f"203.0.113.{i + 1}", status=s) for i, s in enumerate(tunnels)
            ),
        )
        self.resources["vpn_connections"][vpn_id] = vpn
        return vpn

    def block_public_access(
        self, mode: str, *, account_id: str | None = None, region: str | None = None
    ) -> BlockPublicAccessOptions:
        options = BlockPublicAccessOptions(
            account_id=account_id or self.account_id, region=region or self.region, mode=mode
        )
        self.resources["block_public_access"][options.key] = options
        return options

    def bpa_exclusion(
        self, exclusion_id: str, resource_id: str, mode: str, *, state: str = "create-complete"
    ) -> BlockPublicAccessExclusion:
        kind = "subnet" if resource_id.startswith("subnet-") else "vpc"
        excl = BlockPublicAccessExclusion(
            id=exclusion_id,
            mode=mode,
            resource_arn=f"arn:aws:ec2:{self.region}:{self.account_id}:{kind}/{resource_id}",
            resource_id=resource_id,
            state=state,
            account_id=self.account_id,
            region=self.region,
        )
        self.resources["block_public_access_exclusions"][exclusion_id] = excl
        return excl

    def target_group(
        self,
        arn: str,
        vpc_id: str,
        *,
        port: int = 80,
        targets: tuple[tuple[str, str], ...] | None = (),
        load_balancers: tuple[str, ...] = (),
    ) -> TargetGroup:
        """``targets``: (target id, health state); None: describe-target-health not exported."""
        group = TargetGroup(
            arn=arn,
            name=arn.rsplit("/", 2)[-2] if "/" in arn else arn,
            protocol="HTTP",
            port=port,
            target_type="ip",
            vpc_id=vpc_id,
            load_balancer_arns=load_balancers,
            health=None
            if targets is None
            else tuple(TargetHealth(target_id=t, port=port, state=s) for t, s in targets),
        )
        self.resources["target_groups"][arn] = group
        return group

    def origin(self, resource_id: str, account: str | None, region: str | None) -> None:
        """Attribute a resource to another account or Region than the builder's own."""
        self.origins[resource_id] = Origin(account, region)

    # ---- DNS ------------------------------------------------------------------------------------
    def hosted_zone(
        self,
        zone_id: str,
        name: str,
        *,
        vpcs: tuple[str, ...] | None = (),
        records: dict[str, str] | None = None,
        private: bool = True,
    ) -> HostedZone:
        """``records``: name → A value (one address each)."""
        recs = (
            None
            if records is None
            else tuple(
                RecordSet(name=n.rstrip(".").lower(), type="A", ttl=60, values=(v,))
                for n, v in records.items()
            )
        )
        zone = HostedZone(
            id=zone_id,
            name=name.rstrip(".").lower(),
            private=private,
            vpcs=None if vpcs is None else tuple(ZoneVpc(vpc_id=v) for v in vpcs),
            records=recs,
        )
        self.resources["hosted_zones"][zone_id] = zone
        return zone

    # ---- Lambda ---------------------------------------------------------------------------------
    def function(
        self,
        name: str,
        *,
        subnets: tuple[str, ...] | list[str] = (),
        security_groups: tuple[str, ...] | list[str] = (),
        state: str | None = "Active",
        state_reason_code: str | None = None,
        state_reason: str | None = None,
        ipv6: bool = False,
        enis: bool = True,
        package_type: str = "Zip",
    ) -> LambdaFunction:
        """A function; with ``enis`` each (subnet, SG set) gets its Hyperplane ENI if none yet."""
        vpc_id = self.subnets[subnets[0]].vpc_id if subnets else None
        fn = LambdaFunction(
            name=name,
            arn=f"arn:aws:lambda:{self.region}:{self.account_id}:function:{name}",
            runtime="python3.12",
            package_type=package_type,
            vpc=VpcConfig(
                subnet_ids=tuple(subnets),
                security_group_ids=tuple(security_groups),
                vpc_id=vpc_id,
                ipv6_allowed_for_dual_stack=ipv6,
            )
            if subnets
            else None,
            state=LambdaState(state) if state else None,
            state_reason_code=state_reason_code,
            state_reason=state_reason,
        )
        self.resources["functions"][name] = fn
        if enis:
            existing = {
                (e.subnet_id, frozenset(e.security_group_ids))
                for e in self.resources["network_interfaces"].values()
                if e.is_lambda
            }
            for subnet_id in subnets:
                if (subnet_id, frozenset(security_groups)) in existing:
                    continue
                cidr = self.subnets[subnet_id].cidr
                assert cidr is not None
                self._eni_counter += 1
                self.eni(
                    f"eni-lambda{self._eni_counter:03d}",
                    subnet_id,
                    str(cidr.network_address + 10 + self._eni_counter),
                    security_groups=security_groups,
                    interface_type="lambda",
                    description=f"AWS Lambda VPC ENI-{name}",
                )
        return fn

    def gap(self, kind: str, reason: str = "AccessDenied", iam_action: str | None = None) -> None:
        self.gaps.append(Gap(kind=kind, reason=reason, iam_action=iam_action))

    # ---- build ------------------------------------------------------------------------
    def build(self) -> Account:
        route_tables = {
            r.id: RouteTable(
                id=r.id,
                vpc_id=r.vpc_id,
                routes=tuple(r.routes),
                subnet_ids=tuple(r.subnet_ids),
                is_main=r.is_main,
            )
            for r in self.route_tables.values()
        }
        acls = {
            a.id: NetworkAcl(
                id=a.id,
                vpc_id=a.vpc_id,
                is_default=a.is_default,
                entries=tuple(
                    sorted(
                        [
                            *a.entries,
                            *(
                                []
                                if a.is_default
                                else [
                                    acl_entry(32767, "deny", "0.0.0.0/0", egress=False),
                                    acl_entry(32767, "deny", "0.0.0.0/0", egress=True),
                                ]
                            ),
                        ],
                        key=lambda e: (e.egress, e.rule_number),
                    )
                ),
                subnet_ids=tuple(a.subnet_ids),
            )
            for a in self.acls.values()
        }
        sgs = {
            s.id: SecurityGroup(
                id=s.id,
                vpc_id=s.vpc_id,
                name=s.name,
                ingress=tuple(s.ingress_rules),
                egress=ALL_EGRESS_DEFAULT if s.egress_rules is None else tuple(s.egress_rules),
                owner_id=self.account_id,
            )
            for s in self.sgs.values()
        }
        present = self.present
        if present is None:
            present = {
                "describe-vpcs",
                "describe-subnets",
                "describe-route-tables",
                "describe-internet-gateways",
                "describe-nat-gateways",
                "describe-vpc-endpoints",
                "describe-security-groups",
                "describe-network-acls",
                "describe-network-interfaces",
                "describe-addresses",
                "list-functions",
                "get-function-configuration",
                "describe-prefix-lists",
                "describe-vpc-peering-connections",
                "describe-instances",
                "describe-vpc-attribute-enableDnsSupport",
                "describe-vpc-attribute-enableDnsHostnames",
            }
        return Account.build(
            account_id=self.account_id,
            region=self.region,
            vpcs=dict(self.vpcs),
            subnets=dict(self.subnets),
            route_tables=route_tables,
            network_acls=acls,
            security_groups=sgs,
            present=frozenset(present),
            gaps=tuple(self.gaps),
            origins=dict(self.origins),
            accounts=tuple(
                sorted({self.account_id, *(o.account for o in self.origins.values() if o.account)})
            ),
            regions=tuple(
                sorted({self.region, *(o.region for o in self.origins.values() if o.region)})
            ),
            **{k: dict(v) for k, v in self.resources.items()},
        )


ALL_EGRESS_DEFAULT = ALLOW_ALL_EGRESS


def private_vpc_with_nat(
    b: AccountBuilder | None = None, *, nat_state: str = "available", two_azs: bool = True
) -> AccountBuilder:
    """The textbook layout: private subnets → NAT gateway in a public subnet → IGW.

    Ids: vpc-1 (10.0.0.0/16), subnet-pub-a (10.0.0.0/24, rtb-pub: 0/0 → igw-1), subnet-priv-a
    (10.0.1.0/24) and subnet-priv-c (10.0.2.0/24) on rtb-priv (0/0 → nat-1 in subnet-pub-a),
    sg-fn (default egress), function ``fn`` in the private subnets.
    """
    b = b or AccountBuilder()
    b.vpc("vpc-1", "10.0.0.0/16")
    b.subnet("subnet-pub-a", "vpc-1", "10.0.0.0/24", az=f"{REGION}a")
    b.subnet("subnet-priv-a", "vpc-1", "10.0.1.0/24", az=f"{REGION}a")
    privs = ["subnet-priv-a"]
    if two_azs:
        b.subnet("subnet-priv-c", "vpc-1", "10.0.2.0/24", az=f"{REGION}c")
        privs.append("subnet-priv-c")
    b.internet_gateway("igw-1", "vpc-1")
    b.route_table("rtb-pub", "vpc-1", subnets=["subnet-pub-a"]).route("0.0.0.0/0", "igw-1")
    b.nat_gateway("nat-1", "subnet-pub-a", state=nat_state)
    b.route_table("rtb-priv", "vpc-1", subnets=privs).route("0.0.0.0/0", "nat-1")
    b.security_group("sg-fn", "vpc-1")
    b.function("fn", subnets=privs, security_groups=["sg-fn"])
    return b
