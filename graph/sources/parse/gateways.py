"""Parsers of gateways: internet, egress-only and NAT gateways, VPC endpoints, peering
connections and transit gateways.
"""

from __future__ import annotations

from vpcdoctor.graph.model import (
    DnsEntry,
    EgressOnlyInternetGateway,
    EndpointType,
    GatewayAttachment,
    InternetGateway,
    IPNetwork,
    NatAddress,
    NatConnectivity,
    NatGateway,
    NatState,
    PeeringSide,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
    VpcEndpoint,
    VpcPeeringConnection,
    normalize_dns_name,
)
from vpcdoctor.graph.sources.parse.builder import AccountBuilder, _arn_hint, _parser
from vpcdoctor.graph.sources.parse.values import (
    Invalid,
    Item,
    _cidr,
    _cidr4,
    _cidr6,
    _enum,
    _ids,
    _items,
    _lower_first,
    _opt_ip4,
    _req,
    _str,
    _strs,
    _tags,
)


def _attachments(items: object) -> tuple[GatewayAttachment, ...]:
    if not isinstance(items, list):
        return ()
    return tuple(
        GatewayAttachment(vpc_id=a["VpcId"], state=str(a.get("State") or "attached"))
        for a in items
        if isinstance(a, dict) and a.get("VpcId")
    )


@_parser("describe-internet-gateways")
def _igws(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, g in _items(data, "InternetGateways"):
        igw_id = _req(g, "InternetGatewayId", base)
        igw = InternetGateway(
            id=igw_id,
            attachments=_attachments(g.get("Attachments")),
            owner_id=_str(g, "OwnerId"),
            tags=_tags(g.get("Tags")),
        )
        b.igws.add(igw_id, igw, src, base)


@_parser("describe-egress-only-internet-gateways")
def _eigws(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, g in _items(data, "EgressOnlyInternetGateways"):
        eigw_id = _req(g, "EgressOnlyInternetGatewayId", base)
        eigw = EgressOnlyInternetGateway(
            id=eigw_id, attachments=_attachments(g.get("Attachments")), tags=_tags(g.get("Tags"))
        )
        b.eigws.add(eigw_id, eigw, src, base)


@_parser("describe-nat-gateways")
def _nats(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, n in _items(data, "NatGateways"):
        nat_id = _req(n, "NatGatewayId", base)
        addresses = []
        for i, a in enumerate(n.get("NatGatewayAddresses") or ()):
            at = f"{base}.NatGatewayAddresses[{i}]"
            addresses.append(
                NatAddress(
                    private_ip=_opt_ip4(a, "PrivateIp", at),
                    public_ip=_opt_ip4(a, "PublicIp", at),
                    allocation_id=_str(a, "AllocationId"),
                    network_interface_id=_str(a, "NetworkInterfaceId"),
                    is_primary=a.get("IsPrimary", True) is not False,
                )
            )
        connectivity = n.get("ConnectivityType")
        nat = NatGateway(
            id=nat_id,
            vpc_id=_req(n, "VpcId", base),
            subnet_id=_req(n, "SubnetId", base),
            state=_enum(NatState, _req(n, "State", base), f"{base}.State"),
            connectivity=_enum(NatConnectivity, connectivity, f"{base}.ConnectivityType")
            if connectivity
            else NatConnectivity.PUBLIC,
            addresses=tuple(addresses),
            failure_code=_str(n, "FailureCode"),
            failure_message=_str(n, "FailureMessage"),
            tags=_tags(n.get("Tags")),
        )
        b.nats.add(nat_id, nat, src, base)


def _endpoint_type(e: Item, base: str) -> EndpointType:
    value = e.get("VpcEndpointType")
    if value:
        return _enum(EndpointType, value, f"{base}.VpcEndpointType")
    # AWS always says; moto leaves it out for CreateVpcEndpoint's default type (Gateway).
    if e.get("RouteTableIds"):
        return EndpointType.GATEWAY
    if e.get("SubnetIds") or e.get("NetworkInterfaceIds"):
        return EndpointType.INTERFACE
    raise Invalid(f"{base}.VpcEndpointType", "VpcEndpointType is missing")


@_parser("describe-vpc-endpoints")
def _endpoints(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, e in _items(data, "VpcEndpoints"):
        vpce_id = _req(e, "VpcEndpointId", base)
        endpoint = VpcEndpoint(
            id=vpce_id,
            vpc_id=_req(e, "VpcId", base),
            type=_endpoint_type(e, base),
            service_name=_req(e, "ServiceName", base),
            state=_lower_first(_str(e, "State") or "available"),
            route_table_ids=_strs(e.get("RouteTableIds")),
            subnet_ids=_strs(e.get("SubnetIds")),
            network_interface_ids=_strs(e.get("NetworkInterfaceIds")),
            security_group_ids=_ids(e.get("Groups"), "GroupId"),
            private_dns_enabled=bool(e.get("PrivateDnsEnabled")),
            policy_document=_str(e, "PolicyDocument"),
            dns_entries=tuple(
                DnsEntry(
                    dns_name=normalize_dns_name(d["DnsName"]),
                    hosted_zone_id=_str(d, "HostedZoneId"),
                )
                for d in e.get("DnsEntries") or ()
                if d.get("DnsName")
            ),
            owner_id=_str(e, "OwnerId"),
            tags=_tags(e.get("Tags")),
        )
        b.endpoints.add(vpce_id, endpoint, src, base)


def _peering_side(info: Item, base: str) -> PeeringSide:
    cidrs: list[IPNetwork] = []
    for i, c in enumerate(info.get("CidrBlockSet") or ()):
        if c.get("CidrBlock"):
            cidrs.append(_cidr4(c["CidrBlock"], f"{base}.CidrBlockSet[{i}].CidrBlock"))
    if not cidrs and info.get("CidrBlock"):
        cidrs.append(_cidr4(info["CidrBlock"], f"{base}.CidrBlock"))
    for i, c in enumerate(info.get("Ipv6CidrBlockSet") or ()):
        if c.get("Ipv6CidrBlock"):
            cidrs.append(_cidr6(c["Ipv6CidrBlock"], f"{base}.Ipv6CidrBlockSet[{i}].Ipv6CidrBlock"))
    return PeeringSide(
        vpc_id=_req(info, "VpcId", base),
        owner_id=_str(info, "OwnerId"),
        region=_str(info, "Region"),
        cidrs=tuple(cidrs),
    )


@_parser("describe-vpc-peering-connections")
def _peerings(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, p in _items(data, "VpcPeeringConnections"):
        pcx_id = _req(p, "VpcPeeringConnectionId", base)
        status = p.get("Status") or {}
        pcx = VpcPeeringConnection(
            id=pcx_id,
            requester=_peering_side(p.get("RequesterVpcInfo") or {}, f"{base}.RequesterVpcInfo"),
            accepter=_peering_side(p.get("AccepterVpcInfo") or {}, f"{base}.AccepterVpcInfo"),
            status=_req(status, "Code", f"{base}.Status"),
            tags=_tags(p.get("Tags")),
        )
        b.peerings.add(pcx_id, pcx, src, base)


@_parser("describe-transit-gateways")
def _tgws(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, t in _items(data, "TransitGateways"):
        tgw_id = _req(t, "TransitGatewayId", base)
        options = t.get("Options") or {}
        tgw = TransitGateway(
            id=tgw_id,
            state=_str(t, "State") or "available",
            owner_id=_str(t, "OwnerId"),
            association_default_route_table_id=_str(options, "AssociationDefaultRouteTableId"),
            propagation_default_route_table_id=_str(options, "PropagationDefaultRouteTableId"),
            tags=_tags(t.get("Tags")),
        )
        b.tgws.add(tgw_id, tgw, src, base)
        _arn_hint(b, _str(t, "TransitGatewayArn"))


@_parser("describe-transit-gateway-attachments")
def _tgw_attachments(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, a in _items(data, "TransitGatewayAttachments"):
        att_id = _req(a, "TransitGatewayAttachmentId", base)
        association = a.get("Association") or {}
        att = TransitGatewayAttachment(
            id=att_id,
            transit_gateway_id=_req(a, "TransitGatewayId", base),
            resource_type=_str(a, "ResourceType") or "vpc",
            resource_id=_str(a, "ResourceId"),
            state=_str(a, "State") or "available",
            association_route_table_id=_str(association, "TransitGatewayRouteTableId"),
            association_state=_str(association, "State"),
            resource_owner_id=_str(a, "ResourceOwnerId"),
            transit_gateway_owner_id=_str(a, "TransitGatewayOwnerId"),
            tags=_tags(a.get("Tags")),
        )
        b.tgw_attachments.add(att_id, att, src, base)


@_parser("describe-transit-gateway-vpc-attachments")
def _tgw_vpc_attachments(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, a in _items(data, "TransitGatewayVpcAttachments"):
        att_id = _req(a, "TransitGatewayAttachmentId", base)
        att = TransitGatewayAttachment(
            id=att_id,
            transit_gateway_id=_req(a, "TransitGatewayId", base),
            resource_type="vpc",
            resource_id=_str(a, "VpcId"),
            state=_str(a, "State") or "available",
            subnet_ids=_strs(a.get("SubnetIds")),
            resource_owner_id=_str(a, "VpcOwnerId"),
            tags=_tags(a.get("Tags")),
        )
        b.tgw_vpc_attachments.add(att_id, att, src, base)


@_parser("describe-transit-gateway-route-tables")
def _tgw_route_tables(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, t in _items(data, "TransitGatewayRouteTables"):
        rtb_id = _req(t, "TransitGatewayRouteTableId", base)
        table = TransitGatewayRouteTable(
            id=rtb_id,
            transit_gateway_id=_req(t, "TransitGatewayId", base),
            state=_str(t, "State") or "available",
            is_default_association=bool(t.get("DefaultAssociationRouteTable")),
            is_default_propagation=bool(t.get("DefaultPropagationRouteTable")),
            tags=_tags(t.get("Tags")),
        )
        b.tgw_rtbs.add(rtb_id, table, src, base)


def _tgw_route(r: Item, base: str) -> TransitGatewayRoute:
    destination = (
        _cidr(r["DestinationCidrBlock"], f"{base}.DestinationCidrBlock")
        if r.get("DestinationCidrBlock")
        else None
    )
    prefix_list = _str(r, "PrefixListId")
    if destination is None and prefix_list is None:
        raise Invalid(base, "route has neither DestinationCidrBlock nor PrefixListId")
    attachments = r.get("TransitGatewayAttachments") or ()
    # Batfish's TransitGatewayStaticRoutes (and the API for a static route) may name a single
    # TransitGatewayAttachmentId on the route itself.
    ids = _ids(attachments, "TransitGatewayAttachmentId")
    return TransitGatewayRoute(
        destination=destination,
        prefix_list_id=prefix_list,
        attachment_ids=ids,
        resource_ids=_ids(attachments, "ResourceId"),
        route_type=_str(r, "Type") or "static",
        state=_str(r, "State") or "active",
    )


@_parser("search-transit-gateway-routes")
def _tgw_routes(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    assert owner is not None
    coll = b.tgw_routes.setdefault(owner, b.collection(f"route of {owner} to"))
    for base, r in _items(data, "Routes"):
        route = _tgw_route(r, base)
        coll.add(route.destination_text, route, src, base)


@_parser("search-transit-gateway-routes-static")
def _tgw_static_routes(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    assert owner is not None
    coll = b.tgw_static_routes.setdefault(owner, b.collection(f"static route of {owner} to"))
    for base, r in _items(data, "Routes"):
        route = _tgw_route(r, base)
        if route.route_type == "static":  # Batfish keeps only static ones too
            coll.add(route.destination_text, route, src, base)
