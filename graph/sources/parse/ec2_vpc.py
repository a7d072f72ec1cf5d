"""Parsers of VPCs, their DNS attributes, subnets, route tables, prefix lists and DHCP
options.
"""

from __future__ import annotations

import ipaddress

from vpcdoctor.graph.model import (
    DhcpOptions,
    IPNetwork,
    PrefixList,
    Route,
    RouteOrigin,
    RouteState,
    RouteTable,
    RouteTargetType,
    Subnet,
    Vpc,
)
from vpcdoctor.graph.sources.parse.builder import AccountBuilder, _parser
from vpcdoctor.graph.sources.parse.merge import Collection
from vpcdoctor.graph.sources.parse.values import (
    Invalid,
    Item,
    _associated,
    _cidr,
    _cidr4,
    _cidr6,
    _enum,
    _ids,
    _items,
    _req,
    _str,
    _tags,
    region_of_az,
)


@_parser("describe-vpcs")
def _vpcs(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, v in _items(data, "Vpcs"):
        vpc_id = _req(v, "VpcId", base)
        primary = v.get("CidrBlock")
        cidrs: list[ipaddress.IPv4Network] = []
        assoc = v.get("CidrBlockAssociationSet")
        if isinstance(assoc, list) and assoc:
            for i, a in enumerate(assoc):
                if a.get("CidrBlock") and _associated(a, "CidrBlockState"):
                    cidrs.append(
                        _cidr4(a["CidrBlock"], f"{base}.CidrBlockAssociationSet[{i}].CidrBlock")
                    )
        if primary:
            first = _cidr4(primary, f"{base}.CidrBlock")
            cidrs = [first, *(c for c in cidrs if c != first)]
        ipv6: list[ipaddress.IPv6Network] = []
        for i, a in enumerate(v.get("Ipv6CidrBlockAssociationSet") or ()):
            if a.get("Ipv6CidrBlock") and _associated(a, "Ipv6CidrBlockState"):
                ipv6.append(
                    _cidr6(
                        a["Ipv6CidrBlock"], f"{base}.Ipv6CidrBlockAssociationSet[{i}].Ipv6CidrBlock"
                    )
                )
        vpc = Vpc(
            id=vpc_id,
            owner_id=_str(v, "OwnerId"),
            cidrs=tuple(cidrs),
            ipv6_cidrs=tuple(ipv6),
            is_default=bool(v.get("IsDefault")),
            state=_str(v, "State"),
            dhcp_options_id=_str(v, "DhcpOptionsId"),
            tags=_tags(v.get("Tags")),
        )
        b.vpcs.add(vpc_id, vpc, src, base)


@_parser("describe-vpc-attribute-enableDnsSupport", "describe-vpc-attribute-enableDnsHostnames")
def _vpc_attribute(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    vpc_id = _req(data, "VpcId", "")
    coll = b.vpc_attrs.setdefault(vpc_id, Collection(f"DNS attribute of {vpc_id}:"))
    for attr in ("EnableDnsSupport", "EnableDnsHostnames"):
        value = data.get(attr)
        if isinstance(value, dict) and isinstance(value.get("Value"), bool):
            coll.add(attr, value["Value"], src, f"{attr}.Value")


@_parser("describe-subnets")
def _subnets(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, s in _items(data, "Subnets"):
        subnet_id = _req(s, "SubnetId", base)
        az = _req(s, "AvailabilityZone", base)
        region = region_of_az(az)
        if region:
            b.az_regions.add(region)
        cidr = _cidr4(s["CidrBlock"], f"{base}.CidrBlock") if s.get("CidrBlock") else None
        ipv6 = tuple(
            _cidr6(a["Ipv6CidrBlock"], f"{base}.Ipv6CidrBlockAssociationSet[{i}].Ipv6CidrBlock")
            for i, a in enumerate(s.get("Ipv6CidrBlockAssociationSet") or ())
            if a.get("Ipv6CidrBlock") and _associated(a, "Ipv6CidrBlockState")
        )
        subnet = Subnet(
            id=subnet_id,
            vpc_id=_req(s, "VpcId", base),
            az=az,
            az_id=_str(s, "AvailabilityZoneId"),
            cidr=cidr,
            ipv6_cidrs=ipv6,
            available_ips=s.get("AvailableIpAddressCount"),
            map_public_ip_on_launch=bool(s.get("MapPublicIpOnLaunch")),
            ipv6_native=bool(s.get("Ipv6Native")),
            owner_id=_str(s, "OwnerId"),
            state=_str(s, "State"),
            tags=_tags(s.get("Tags")),
        )
        b.subnets.add(subnet_id, subnet, src, base)


_ROUTE_TARGETS: tuple[tuple[str, RouteTargetType], ...] = (
    ("NatGatewayId", RouteTargetType.NAT_GATEWAY),
    ("TransitGatewayId", RouteTargetType.TRANSIT_GATEWAY),
    ("VpcPeeringConnectionId", RouteTargetType.VPC_PEERING),
    ("EgressOnlyInternetGatewayId", RouteTargetType.EGRESS_ONLY_INTERNET_GATEWAY),
    ("CarrierGatewayId", RouteTargetType.CARRIER_GATEWAY),
    ("LocalGatewayId", RouteTargetType.LOCAL_GATEWAY),
    ("CoreNetworkArn", RouteTargetType.CORE_NETWORK),
    # A route to a NAT instance names both the instance and its ENI: the instance decides.
    ("InstanceId", RouteTargetType.INSTANCE),
    ("NetworkInterfaceId", RouteTargetType.NETWORK_INTERFACE),
)
_GATEWAY_PREFIXES: tuple[tuple[str, RouteTargetType], ...] = (
    ("igw-", RouteTargetType.INTERNET_GATEWAY),
    ("vgw-", RouteTargetType.VIRTUAL_PRIVATE_GATEWAY),
    ("vpce-", RouteTargetType.VPC_ENDPOINT),
)


def _route_target(r: Item) -> tuple[RouteTargetType, str]:
    for key, target_type in _ROUTE_TARGETS:
        value = r.get(key)
        if value:
            return target_type, value
    gateway = r.get("GatewayId")
    if gateway:
        if gateway == "local":
            return RouteTargetType.LOCAL, "local"
        for prefix, target_type in _GATEWAY_PREFIXES:
            if gateway.startswith(prefix):
                return target_type, gateway
        return RouteTargetType.UNKNOWN, gateway
    for key in ("OdbNetworkArn", "IpAddress"):
        if r.get(key):
            return RouteTargetType.UNKNOWN, str(r[key])
    return RouteTargetType.UNKNOWN, "unknown"


def _route(r: Item, base: str) -> Route:
    destination: IPNetwork | None = None
    prefix_list = _str(r, "DestinationPrefixListId")
    if r.get("DestinationCidrBlock"):
        destination = _cidr4(r["DestinationCidrBlock"], f"{base}.DestinationCidrBlock")
    elif r.get("DestinationIpv6CidrBlock"):
        destination = _cidr6(r["DestinationIpv6CidrBlock"], f"{base}.DestinationIpv6CidrBlock")
    elif prefix_list is None:
        raise Invalid(
            base,
            "route has no destination (DestinationCidrBlock, DestinationIpv6CidrBlock or "
            "DestinationPrefixListId)",
        )
    target_type, target_id = _route_target(r)
    state = r.get("State")
    origin = r.get("Origin")
    return Route(
        destination=destination,
        prefix_list_id=prefix_list if destination is None else None,
        target_type=target_type,
        target_id=target_id,
        state=_enum(RouteState, state, f"{base}.State") if state else RouteState.ACTIVE,
        origin=_enum(RouteOrigin, origin, f"{base}.Origin") if origin else RouteOrigin.CREATE_ROUTE,
    )


@_parser("describe-route-tables")
def _route_tables(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, t in _items(data, "RouteTables"):
        rtb_id = _req(t, "RouteTableId", base)
        is_main = False
        subnets: list[str] = []
        gateways: list[str] = []
        for a in t.get("Associations") or ():
            if not _associated(a, "AssociationState"):
                continue
            if a.get("Main"):
                is_main = True
            if a.get("SubnetId"):
                subnets.append(a["SubnetId"])
            if a.get("GatewayId"):
                gateways.append(a["GatewayId"])
        routes = tuple(
            _route(r, f"{base}.Routes[{i}]") for i, r in enumerate(t.get("Routes") or ())
        )
        table = RouteTable(
            id=rtb_id,
            vpc_id=_req(t, "VpcId", base),
            routes=routes,
            subnet_ids=tuple(subnets),
            is_main=is_main,
            gateway_ids=tuple(gateways),
            propagating_vgws=_ids(t.get("PropagatingVgws"), "GatewayId"),
            owner_id=_str(t, "OwnerId"),
            tags=_tags(t.get("Tags")),
        )
        b.route_tables.add(rtb_id, table, src, base)


@_parser("describe-managed-prefix-lists")
def _managed_prefix_lists(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, p in _items(data, "PrefixLists"):
        pl_id = _req(p, "PrefixListId", base)
        pl = PrefixList(
            id=pl_id,
            name=_str(p, "PrefixListName") or "",
            address_family=_str(p, "AddressFamily"),
            owner_id=_str(p, "OwnerId"),
            max_entries=p.get("MaxEntries"),
            aws_managed=p.get("OwnerId") == "AWS",
        )
        b.managed_pls.add(pl_id, pl, src, base)


@_parser("describe-prefix-lists")
def _aws_prefix_lists(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, p in _items(data, "PrefixLists"):
        pl_id = _req(p, "PrefixListId", base)
        cidrs = p.get("Cidrs")
        entries = (
            tuple(_cidr(c, f"{base}.Cidrs[{i}]") for i, c in enumerate(cidrs))
            if isinstance(cidrs, list)
            else None
        )
        pl = PrefixList(
            id=pl_id,
            name=_str(p, "PrefixListName") or "",
            owner_id="AWS",
            aws_managed=True,
            entries=entries,
        )
        b.aws_pls.add(pl_id, pl, src, base)


@_parser("get-managed-prefix-list-entries")
def _prefix_list_entries(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    assert owner is not None
    coll = b.pl_entries.setdefault(owner, Collection(f"entry of {owner}"))
    for base, e in _items(data, "Entries"):
        cidr = _cidr(_req(e, "Cidr", base), f"{base}.Cidr")
        coll.add(str(cidr), cidr, src, base)


@_parser("describe-dhcp-options")
def _dhcp(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, d in _items(data, "DhcpOptions"):
        dopt_id = _req(d, "DhcpOptionsId", base)
        servers: tuple[str, ...] = ()
        domain: str | None = None
        for c in d.get("DhcpConfigurations") or ():
            values = tuple(
                v["Value"] for v in c.get("Values") or () if isinstance(v.get("Value"), str)
            )
            if c.get("Key") == "domain-name-servers":
                servers = values
            elif c.get("Key") == "domain-name" and values:
                domain = values[0]
        options = DhcpOptions(
            id=dopt_id, domain_name_servers=servers, domain_name=domain, tags=_tags(d.get("Tags"))
        )
        b.dhcp.add(dopt_id, options, src, base)
