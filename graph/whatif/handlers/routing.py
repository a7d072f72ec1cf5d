"""Routes, route tables and their associations, subnets, NAT and internet gateways, addresses."""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from typing import Any

from vpcdoctor.errors import WhatIfError
from vpcdoctor.graph.model import (
    ElasticIp,
    GatewayAttachment,
    InternetGateway,
    NatAddress,
    NatConnectivity,
    NatGateway,
    NatState,
    Route,
    RouteOrigin,
    RouteState,
    RouteTable,
    RouteTargetType,
    Subnet,
)
from vpcdoctor.graph.whatif.registry import handles
from vpcdoctor.graph.whatif.workspace import Workspace, route

#: Route target parameters and the mapping that must hold the target.
_TARGETS: tuple[tuple[str, str | None], ...] = (
    ("NatGatewayId", "nat_gateways"),
    ("TransitGatewayId", "transit_gateways"),
    ("VpcPeeringConnectionId", "peering_connections"),
    ("NetworkInterfaceId", "network_interfaces"),
    ("InstanceId", "instances"),
    ("EgressOnlyInternetGatewayId", "egress_only_internet_gateways"),
    ("VpcEndpointId", "vpc_endpoints"),
    ("GatewayId", None),
    ("CarrierGatewayId", None),
    ("LocalGatewayId", None),
    ("CoreNetworkArn", None),
)
_DESTINATIONS = ("DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId")


def _destination_key(r: Route) -> str:
    return r.prefix_list_id if r.prefix_list_id else str(r.destination)


def _check_target(ws: Workspace, rtb: RouteTable, p: dict[str, Any]) -> str:
    given = [k for k, _ in _TARGETS if p.get(k)]
    if len(given) != 1:
        names = ", ".join("--" + k for k in given) or "none"
        raise WhatIfError(f"a route needs exactly one target (given: {names})")
    key = given[0]
    value = str(p[key])
    mapping = dict(_TARGETS)[key]
    if key == "GatewayId":
        if value.startswith("igw-"):
            igw = ws.get("internet_gateways", value)
            if not igw.attached_to(rtb.vpc_id):
                raise WhatIfError(
                    f"{value} is not attached to {rtb.vpc_id} (aws ec2 attach-internet-gateway "
                    f"--internet-gateway-id {value} --vpc-id {rtb.vpc_id})"
                )
        elif value.startswith("vpce-"):
            ws.get("vpc_endpoints", value)
        return value
    if mapping is not None:
        target = ws.get(mapping, value)
        vpc = getattr(target, "vpc_id", None)
        if mapping == "peering_connections":
            if target.peer_of(rtb.vpc_id) is None:
                raise WhatIfError(f"{value} does not connect {rtb.vpc_id}")
        elif vpc is not None and vpc != rtb.vpc_id:
            raise WhatIfError(f"{value} is in {vpc}, not in {rtb.vpc_id} (the route table's VPC)")
    return value


def _state(ws: Workspace, p: dict[str, Any]) -> str:
    nat = ws.maps["nat_gateways"].get(str(p.get("NatGatewayId")))
    if nat is not None and nat.state in (NatState.FAILED, NatState.DELETED, NatState.DELETING):
        return "blackhole"
    return "active"


def _new_route(ws: Workspace, rtb: RouteTable, p: dict[str, Any]) -> Route:
    dests = [k for k in _DESTINATIONS if p.get(k)]
    if len(dests) != 1:
        raise WhatIfError(
            "a route needs exactly one destination (--destination-cidr-block, "
            "--destination-ipv6-cidr-block or --destination-prefix-list-id)"
        )
    if dests[0] == "DestinationPrefixListId":
        ws.get("prefix_lists", str(p["DestinationPrefixListId"]))
    _check_target(ws, rtb, p)
    raw: dict[str, Any] = {k: p[k] for k in (*_DESTINATIONS, *dict(_TARGETS)) if p.get(k)}
    raw["State"] = _state(ws, p)
    raw["Origin"] = "CreateRoute"
    for key in ("DestinationCidrBlock", "DestinationIpv6CidrBlock"):
        if key in raw:
            try:
                ipaddress.ip_network(str(raw[key]), strict=True)
            except ValueError:
                raise WhatIfError(f"{raw[key]!r} is not a CIDR block") from None
    return route(raw)


@handles("ec2", "create-route")
def create_route(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    rtb: RouteTable = ws.get("route_tables", p["RouteTableId"])
    new = _new_route(ws, rtb, p)
    key = _destination_key(new)
    if any(_destination_key(r) == key for r in rtb.routes):
        raise WhatIfError(
            f"{rtb.id} already has a route to {key} (RouteAlreadyExists): use aws ec2 replace-route"
        )
    ws.put("route_tables", rtb.id, replace(rtb, routes=(*rtb.routes, new)))
    return {"Return": True}


def _existing(rtb: RouteTable, p: dict[str, Any]) -> int:
    wanted = next((str(p[k]) for k in _DESTINATIONS if p.get(k)), None)
    if wanted is None:
        raise WhatIfError("name the route by its destination (--destination-cidr-block …)")
    for i, r in enumerate(rtb.routes):
        if _destination_key(r) == wanted or (
            r.destination is not None and str(r.destination) == _normal(wanted)
        ):
            return i
    raise WhatIfError(f"{rtb.id} has no route to {wanted} (InvalidRoute.NotFound)")


def _normal(cidr: str) -> str:
    try:
        return str(ipaddress.ip_network(cidr, strict=False))
    except ValueError:
        return cidr


@handles("ec2", "replace-route")
def replace_route(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    rtb: RouteTable = ws.get("route_tables", p["RouteTableId"])
    i = _existing(rtb, p)
    new = _new_route(ws, rtb, p)
    routes = list(rtb.routes)
    routes[i] = new
    ws.put("route_tables", rtb.id, replace(rtb, routes=tuple(routes)))
    return {}


@handles("ec2", "delete-route")
def delete_route(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    rtb: RouteTable = ws.get("route_tables", p["RouteTableId"])
    i = _existing(rtb, p)
    if rtb.routes[i].target_type is RouteTargetType.LOCAL:
        raise WhatIfError(f"the local route of {rtb.id} cannot be deleted")
    routes = rtb.routes[:i] + rtb.routes[i + 1 :]
    ws.put("route_tables", rtb.id, replace(rtb, routes=routes))
    return {}


@handles("ec2", "create-route-table")
def create_route_table(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    vpc = ws.get("vpcs", p["VpcId"])
    local = tuple(
        Route(
            destination=cidr,
            target_type=RouteTargetType.LOCAL,
            target_id="local",
            state=RouteState.ACTIVE,
            origin=RouteOrigin.CREATE_ROUTE_TABLE,
        )
        for cidr in (*vpc.cidrs, *vpc.ipv6_cidrs)
    )
    rtb_id = ws.new_id("rtb")
    ws.put("route_tables", rtb_id, RouteTable(id=rtb_id, vpc_id=vpc.id, routes=local))
    return {"RouteTable": {"RouteTableId": rtb_id, "VpcId": vpc.id}}


def _explicit_table(ws: Workspace, subnet_id: str) -> RouteTable | None:
    for rtb in ws.maps["route_tables"].values():
        if subnet_id in rtb.subnet_ids:
            return rtb  # type: ignore[no-any-return]
    return None


@handles("ec2", "associate-route-table")
def associate_route_table(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    rtb: RouteTable = ws.get("route_tables", p["RouteTableId"])
    if p.get("GatewayId"):
        gateway = str(p["GatewayId"])
        if gateway.startswith("igw-"):
            ws.get("internet_gateways", gateway)
        ws.put("route_tables", rtb.id, replace(rtb, gateway_ids=(*rtb.gateway_ids, gateway)))
        return {"AssociationId": ws.new_id("rtbassoc"), "AssociationState": {"State": "associated"}}
    if not p.get("SubnetId"):
        raise WhatIfError("aws ec2 associate-route-table needs --subnet-id or --gateway-id")
    subnet: Subnet = ws.get("subnets", p["SubnetId"])
    if subnet.vpc_id != rtb.vpc_id:
        raise WhatIfError(f"{subnet.id} is in {subnet.vpc_id}, {rtb.id} in {rtb.vpc_id}")
    current = _explicit_table(ws, subnet.id)
    if current is not None:
        raise WhatIfError(
            f"{subnet.id} is already associated with {current.id} (Resource.AlreadyAssociated): "
            "use aws ec2 replace-route-table-association"
        )
    ws.put("route_tables", rtb.id, replace(rtb, subnet_ids=(*rtb.subnet_ids, subnet.id)))
    assoc = ws.new_id("rtbassoc")
    ws.rtb_associations[assoc] = (rtb.id, subnet.id)
    return {"AssociationId": assoc, "AssociationState": {"State": "associated"}}


@handles("ec2", "replace-route-table-association")
def replace_route_table_association(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    assoc = str(p["AssociationId"])
    new: RouteTable = ws.get("route_tables", p["RouteTableId"])
    known = ws.rtb_associations.get(assoc)
    if known is None:
        raise WhatIfError(
            f"{assoc}: no route-table association of that id is known (the snapshot records "
            "association ids only where describe-route-tables was exported with them)"
        )
    old_id, subnet_id = known
    old: RouteTable = ws.get("route_tables", old_id)
    if new.vpc_id != old.vpc_id:
        raise WhatIfError(f"{new.id} is in {new.vpc_id}, the association in {old.vpc_id}")
    ws.put(
        "route_tables",
        old.id,
        replace(old, subnet_ids=tuple(s for s in old.subnet_ids if s != subnet_id)),
    )
    new = ws.get("route_tables", new.id)
    ws.put("route_tables", new.id, replace(new, subnet_ids=(*new.subnet_ids, subnet_id)))
    fresh = ws.new_id("rtbassoc")
    del ws.rtb_associations[assoc]
    ws.rtb_associations[fresh] = (new.id, subnet_id)
    return {"NewAssociationId": fresh, "AssociationState": {"State": "associated"}}


@handles("ec2", "create-subnet")
def create_subnet(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    vpc = ws.get("vpcs", p["VpcId"])
    if not p.get("CidrBlock"):
        raise WhatIfError("aws ec2 create-subnet needs --cidr-block in a what-if")
    try:
        cidr = ipaddress.IPv4Network(str(p["CidrBlock"]), strict=True)
    except ValueError:
        raise WhatIfError(f"{p['CidrBlock']!r} is not an IPv4 CIDR block") from None
    if not any(cidr.subnet_of(c) for c in vpc.cidrs):
        raise WhatIfError(f"{cidr} is not inside {vpc.id}'s CIDR blocks (InvalidSubnet.Range)")
    for other in ws.maps["subnets"].values():
        if other.vpc_id == vpc.id and other.cidr is not None and other.cidr.overlaps(cidr):
            raise WhatIfError(f"{cidr} overlaps {other.id} ({other.cidr}) (InvalidSubnet.Conflict)")
    az = str(p.get("AvailabilityZone") or "")
    if not az:
        zones = sorted({s.az for s in ws.maps["subnets"].values() if s.vpc_id == vpc.id})
        if not zones:
            raise WhatIfError("give --availability-zone: the VPC has no subnet to take it from")
        az = zones[0]
    subnet_id = ws.new_id("subnet")
    subnet = Subnet(
        id=subnet_id,
        vpc_id=vpc.id,
        az=az,
        cidr=cidr,
        available_ips=max(cidr.num_addresses - 5, 0),
        state="available",
        owner_id=vpc.owner_id,
    )
    ws.put("subnets", subnet_id, subnet)
    return {"Subnet": {"SubnetId": subnet_id, "VpcId": vpc.id, "CidrBlock": str(cidr)}}


@handles("ec2", "allocate-address")
def allocate_address(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    allocation = ws.new_id("eipalloc")
    ip = ws.public_ip()
    ws.put("elastic_ips", allocation, ElasticIp(allocation_id=allocation, public_ip=ip))
    return {"AllocationId": allocation, "PublicIp": str(ip), "Domain": "vpc"}


@handles("ec2", "create-nat-gateway")
def create_nat_gateway(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    subnet: Subnet = ws.get("subnets", p["SubnetId"])
    private = p.get("ConnectivityType") == "private"
    addresses: list[NatAddress] = []
    allocation = p.get("AllocationId")
    if not private:
        if not allocation:
            raise WhatIfError("a public NAT gateway needs --allocation-id (an Elastic IP)")
        eip = ws.get("elastic_ips", str(allocation))
        if eip.network_interface_id or eip.association_id:
            raise WhatIfError(f"{allocation} is already associated (Resource.AlreadyAssociated)")
    nat_id = ws.new_id("nat")
    eni_id = ws.new_id("eni")
    private_ip = ws.free_ip(subnet)
    if allocation:
        eip = ws.get("elastic_ips", str(allocation))
        ws.put(
            "elastic_ips",
            str(allocation),
            replace(eip, network_interface_id=eni_id, private_ip=private_ip),
        )
        addresses.append(
            NatAddress(
                private_ip=private_ip,
                public_ip=eip.public_ip,
                allocation_id=str(allocation),
                network_interface_id=eni_id,
            )
        )
    else:
        addresses.append(NatAddress(private_ip=private_ip, network_interface_id=eni_id))
    nat = NatGateway(
        id=nat_id,
        vpc_id=subnet.vpc_id,
        subnet_id=subnet.id,
        state=NatState.AVAILABLE,
        connectivity=NatConnectivity.PRIVATE if private else NatConnectivity.PUBLIC,
        addresses=tuple(addresses),
    )
    ws.put("nat_gateways", nat_id, nat)
    from vpcdoctor.graph.model import NetworkInterface

    ws.put(
        "network_interfaces",
        eni_id,
        NetworkInterface(
            id=eni_id,
            subnet_id=subnet.id,
            vpc_id=subnet.vpc_id,
            az=subnet.az,
            interface_type="nat_gateway",
            requester_managed=True,
            description=f"Interface for NAT Gateway {nat_id}",
            status="in-use",
            private_ips=(private_ip,) if private_ip is not None else (),
            public_ip=addresses[0].public_ip,
            elastic_ip_allocation_id=str(allocation) if allocation else None,
            source_dest_check=False,
        ),
    )
    return {
        "NatGateway": {
            "NatGatewayId": nat_id,
            "SubnetId": subnet.id,
            "VpcId": subnet.vpc_id,
            "State": "pending",
        }
    }


@handles("ec2", "create-internet-gateway")
def create_internet_gateway(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    igw_id = ws.new_id("igw")
    ws.put("internet_gateways", igw_id, InternetGateway(id=igw_id))
    return {"InternetGateway": {"InternetGatewayId": igw_id}}


@handles("ec2", "attach-internet-gateway")
def attach_internet_gateway(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    igw: InternetGateway = ws.get("internet_gateways", p["InternetGatewayId"])
    vpc = ws.get("vpcs", p["VpcId"])
    if any(a.attached for a in igw.attachments):
        raise WhatIfError(f"{igw.id} is already attached (Resource.AlreadyAssociated)")
    for other in ws.maps["internet_gateways"].values():
        if other.id != igw.id and other.attached_to(vpc.id):
            raise WhatIfError(f"{vpc.id} already has {other.id} attached")
    attachment = GatewayAttachment(vpc_id=vpc.id, state="available")
    ws.put("internet_gateways", igw.id, replace(igw, attachments=(attachment,)))
    return {}
