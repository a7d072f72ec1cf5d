"""VPC endpoints, VPC attributes, peering and transit gateways."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from vpcdoctor.errors import WhatIfError
from vpcdoctor.graph.model import (
    DnsEntry,
    EndpointType,
    NetworkInterface,
    RouteTable,
    TransitGatewayRoute,
    VpcEndpoint,
)
from vpcdoctor.graph.whatif.registry import handles
from vpcdoctor.graph.whatif.workspace import Workspace, route


def _flag(value: Any, option: str) -> bool:
    """``{"Value": true}`` as a bool (the value is optional in the model, not in a change)."""
    if not isinstance(value, dict) or not isinstance(value.get("Value"), bool):
        raise WhatIfError(f"{option} needs Value=true or Value=false")
    return bool(value["Value"])


def _prefix_list_of(ws: Workspace, service_name: str) -> str | None:
    for pl in ws.maps["prefix_lists"].values():
        if pl.name == service_name:
            return str(pl.id)
    return None


def _add_gateway_routes(ws: Workspace, endpoint: VpcEndpoint, rtb_ids: list[str]) -> None:
    """A gateway endpoint's route in each table (what AWS adds: prefix list → vpce)."""
    pl = _prefix_list_of(ws, endpoint.service_name)
    for rtb_id in rtb_ids:
        rtb: RouteTable = ws.get("route_tables", rtb_id)
        if rtb.vpc_id != endpoint.vpc_id:
            raise WhatIfError(f"{rtb_id} is in {rtb.vpc_id}, {endpoint.id} in {endpoint.vpc_id}")
        if pl is None:
            raise WhatIfError(
                f"the snapshot lacks the prefix list of {endpoint.service_name} "
                "(aws ec2 describe-prefix-lists), so the endpoint's route cannot be added"
            )
        if any(r.prefix_list_id == pl for r in rtb.routes):
            raise WhatIfError(f"{rtb_id} already has a route to {pl} (RouteAlreadyExists)")
        new = route(
            {
                "DestinationPrefixListId": pl,
                "GatewayId": endpoint.id,
                "State": "active",
                "Origin": "CreateRoute",
            }
        )
        ws.put("route_tables", rtb_id, replace(rtb, routes=(*rtb.routes, new)))


def _remove_gateway_routes(ws: Workspace, endpoint: VpcEndpoint, rtb_ids: list[str]) -> None:
    for rtb_id in rtb_ids:
        rtb: RouteTable = ws.get("route_tables", rtb_id)
        if rtb_id not in endpoint.route_table_ids:
            raise WhatIfError(f"{endpoint.id} is not associated with {rtb_id}")
        routes = tuple(r for r in rtb.routes if r.target_id != endpoint.id)
        ws.put("route_tables", rtb_id, replace(rtb, routes=routes))


def _endpoint_enis(
    ws: Workspace, endpoint_id: str, subnet_ids: list[str], groups: tuple[str, ...]
) -> tuple[str, ...]:
    """One requester-managed interface per subnet (what AWS creates for an interface endpoint)."""
    out: list[str] = []
    for subnet_id in subnet_ids:
        subnet = ws.get("subnets", subnet_id)
        eni_id = ws.new_id("eni")
        ip = ws.free_ip(subnet)
        if ip is None:
            raise WhatIfError(f"{subnet_id} has no free address for the endpoint's interface")
        ws.put(
            "network_interfaces",
            eni_id,
            NetworkInterface(
                id=eni_id,
                subnet_id=subnet.id,
                vpc_id=subnet.vpc_id,
                az=subnet.az,
                interface_type="vpc_endpoint",
                requester_managed=True,
                description=f"VPC Endpoint Interface {endpoint_id}",
                status="in-use",
                private_ips=(ip,),
                security_group_ids=groups,
            ),
        )
        out.append(eni_id)
    return tuple(out)


def _one_per_az(ws: Workspace, subnet_ids: list[str]) -> None:
    seen: dict[str, str] = {}
    for subnet_id in subnet_ids:
        az = ws.get("subnets", subnet_id).az
        if az in seen:
            raise WhatIfError(
                f"{subnet_id} and {seen[az]} are both in {az}: an interface endpoint takes one "
                "subnet per Availability Zone (DuplicateSubnetsInSameZone)"
            )
        seen[az] = subnet_id


def _groups(ws: Workspace, ids: list[str], vpc_id: str) -> tuple[str, ...]:
    for group_id in ids:
        group = ws.get("security_groups", group_id)
        if group.vpc_id is not None and group.vpc_id != vpc_id:
            raise WhatIfError(f"{group_id} is in {group.vpc_id}, not in {vpc_id}")
    return tuple(ids)


def _dns_entries(endpoint_id: str, service_name: str) -> tuple[DnsEntry, ...]:
    parts = service_name.split(".")
    if len(parts) < 4:
        return ()
    region, service = parts[2], ".".join(parts[3:])
    return (DnsEntry(dns_name=f"{endpoint_id}.{service}.{region}.vpce.amazonaws.com"),)


@handles("ec2", "create-vpc-endpoint")
def create_vpc_endpoint(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    vpc = ws.get("vpcs", str(p["VpcId"]))
    kind = EndpointType(str(p.get("VpcEndpointType") or "Gateway"))
    if kind not in (EndpointType.GATEWAY, EndpointType.INTERFACE):
        raise WhatIfError(f"a what-if creates Gateway and Interface endpoints, not {kind}")
    service = str(p["ServiceName"])
    for other in ws.maps["vpc_endpoints"].values():
        if (
            other.vpc_id == vpc.id
            and other.service_name == service
            and kind is (EndpointType.GATEWAY)
            and other.type is EndpointType.GATEWAY
        ):
            raise WhatIfError(
                f"{vpc.id} already has the gateway endpoint {other.id} for {service}: use aws "
                f"ec2 modify-vpc-endpoint --vpc-endpoint-id {other.id} --add-route-table-ids …"
            )
    endpoint_id = ws.new_id("vpce")
    rtb_ids = [str(r) for r in p.get("RouteTableIds") or []]
    subnet_ids = [str(s) for s in p.get("SubnetIds") or []]
    groups: tuple[str, ...] = ()
    enis: tuple[str, ...] = ()
    if kind is EndpointType.INTERFACE:
        if rtb_ids:
            raise WhatIfError("an interface endpoint takes --subnet-ids, not --route-table-ids")
        _one_per_az(ws, subnet_ids)
        groups = _groups(ws, [str(g) for g in p.get("SecurityGroupIds") or []], vpc.id)
        if not groups:
            default = [
                g.id
                for g in ws.maps["security_groups"].values()
                if g.vpc_id == vpc.id and g.name == "default"
            ]
            groups = tuple(default[:1])
        enis = _endpoint_enis(ws, endpoint_id, subnet_ids, groups)
    elif subnet_ids:
        raise WhatIfError("a gateway endpoint takes --route-table-ids, not --subnet-ids")
    endpoint = VpcEndpoint(
        id=endpoint_id,
        vpc_id=vpc.id,
        type=kind,
        service_name=service,
        state="available",
        route_table_ids=tuple(rtb_ids),
        subnet_ids=tuple(subnet_ids),
        network_interface_ids=enis,
        security_group_ids=groups,
        private_dns_enabled=bool(p.get("PrivateDnsEnabled", kind is EndpointType.INTERFACE)),
        policy_document=p.get("PolicyDocument"),
        dns_entries=_dns_entries(endpoint_id, service) if kind is EndpointType.INTERFACE else (),
        owner_id=vpc.owner_id,
    )
    ws.put("vpc_endpoints", endpoint_id, endpoint)
    if kind is EndpointType.GATEWAY:
        _add_gateway_routes(ws, endpoint, rtb_ids)
    return {"VpcEndpoint": {"VpcEndpointId": endpoint_id, "VpcId": vpc.id, "State": "available"}}


@handles("ec2", "modify-vpc-endpoint")
def modify_vpc_endpoint(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    endpoint: VpcEndpoint = ws.get("vpc_endpoints", str(p["VpcEndpointId"]))
    add_rtb = [str(r) for r in p.get("AddRouteTableIds") or []]
    remove_rtb = [str(r) for r in p.get("RemoveRouteTableIds") or []]
    if (add_rtb or remove_rtb) and endpoint.type is not EndpointType.GATEWAY:
        raise WhatIfError(f"{endpoint.id} is an {endpoint.type} endpoint: it has no route tables")
    for rtb_id in add_rtb:
        if rtb_id in endpoint.route_table_ids:
            raise WhatIfError(f"{endpoint.id} is already associated with {rtb_id}")
    _remove_gateway_routes(ws, endpoint, remove_rtb)
    _add_gateway_routes(ws, endpoint, add_rtb)
    rtbs = tuple(r for r in endpoint.route_table_ids if r not in remove_rtb) + tuple(add_rtb)
    subnets = list(endpoint.subnet_ids)
    enis = list(endpoint.network_interface_ids)
    for subnet_id in [str(s) for s in p.get("RemoveSubnetIds") or []]:
        if subnet_id not in subnets:
            raise WhatIfError(f"{endpoint.id} has no interface in {subnet_id}")
        subnets.remove(subnet_id)
        for eni_id in list(enis):
            eni = ws.maps["network_interfaces"].get(eni_id)
            if eni is not None and eni.subnet_id == subnet_id:
                enis.remove(eni_id)
                del ws.maps["network_interfaces"][eni_id]
    groups = list(endpoint.security_group_ids)
    for group_id in [str(g) for g in p.get("RemoveSecurityGroupIds") or []]:
        if group_id not in groups:
            raise WhatIfError(f"{endpoint.id} does not use {group_id}")
        groups.remove(group_id)
    added_groups = _groups(
        ws, [str(g) for g in p.get("AddSecurityGroupIds") or []], endpoint.vpc_id
    )
    groups += [g for g in added_groups if g not in groups]
    add_subnets = [str(s) for s in p.get("AddSubnetIds") or []]
    if add_subnets:
        if endpoint.type is not EndpointType.INTERFACE:
            raise WhatIfError(f"{endpoint.id} is a {endpoint.type} endpoint: it has no subnets")
        _one_per_az(ws, subnets + add_subnets)
        enis += _endpoint_enis(ws, endpoint.id, add_subnets, tuple(groups))
        subnets += add_subnets
    for eni_id in enis:
        eni = ws.maps["network_interfaces"].get(eni_id)
        if eni is not None and tuple(eni.security_group_ids) != tuple(groups):
            ws.put("network_interfaces", eni_id, replace(eni, security_group_ids=tuple(groups)))
    changes: dict[str, Any] = {
        "route_table_ids": rtbs,
        "subnet_ids": tuple(subnets),
        "network_interface_ids": tuple(enis),
        "security_group_ids": tuple(groups),
    }
    if "PrivateDnsEnabled" in p:
        changes["private_dns_enabled"] = bool(p["PrivateDnsEnabled"])
    if p.get("ResetPolicy"):
        changes["policy_document"] = None
    if p.get("PolicyDocument"):
        changes["policy_document"] = str(p["PolicyDocument"])
    ws.put("vpc_endpoints", endpoint.id, replace(endpoint, **changes))
    return {"Return": True}


@handles("ec2", "modify-vpc-attribute")
def modify_vpc_attribute(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    vpc = ws.get("vpcs", str(p["VpcId"]))
    given = [
        k
        for k in ("EnableDnsSupport", "EnableDnsHostnames", "EnableNetworkAddressUsageMetrics")
        if k in p
    ]
    if len(given) != 1:
        raise WhatIfError("aws ec2 modify-vpc-attribute changes exactly one attribute per call")
    key = given[0]
    if key == "EnableNetworkAddressUsageMetrics":
        return {}
    value = _flag(p[key], key)
    field = "enable_dns_support" if key == "EnableDnsSupport" else "enable_dns_hostnames"
    if field == "enable_dns_hostnames" and value and vpc.enable_dns_support is False:
        raise WhatIfError(
            f"{vpc.id}: enableDnsHostnames needs enableDnsSupport on first "
            "(aws ec2 modify-vpc-attribute --enable-dns-support)"
        )
    ws.put("vpcs", vpc.id, replace(vpc, **{field: value}))
    return {}


@handles("ec2", "accept-vpc-peering-connection")
def accept_peering(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    pcx = ws.get("peering_connections", str(p["VpcPeeringConnectionId"]))
    if pcx.status != "pending-acceptance":
        raise WhatIfError(f"{pcx.id} is {pcx.status}, not pending-acceptance")
    ws.put("peering_connections", pcx.id, replace(pcx, status="active"))
    return {
        "VpcPeeringConnection": {"VpcPeeringConnectionId": pcx.id, "Status": {"Code": "active"}}
    }


@handles("ec2", "modify-transit-gateway-vpc-attachment")
def modify_tgw_vpc_attachment(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    att = ws.get("transit_gateway_attachments", str(p["TransitGatewayAttachmentId"]))
    if att.resource_type != "vpc":
        raise WhatIfError(f"{att.id} attaches a {att.resource_type}, not a VPC")
    if att.subnet_ids is None:
        raise WhatIfError(
            f"the snapshot lacks {att.id}'s subnets (aws ec2 describe-transit-gateway-vpc-"
            "attachments): export them to try this change"
        )
    subnets = [s for s in att.subnet_ids if s not in (p.get("RemoveSubnetIds") or [])]
    for subnet_id in p.get("AddSubnetIds") or []:
        subnet = ws.get("subnets", str(subnet_id))
        if att.resource_id and subnet.vpc_id != att.resource_id:
            raise WhatIfError(f"{subnet_id} is not in {att.resource_id}")
        if any(ws.get("subnets", s).az == subnet.az for s in subnets):
            raise WhatIfError(f"{att.id} already has a subnet in {subnet.az}")
        subnets.append(str(subnet_id))
    ws.put("transit_gateway_attachments", att.id, replace(att, subnet_ids=tuple(subnets)))
    return {}


@handles("ec2", "create-transit-gateway-route")
def create_tgw_route(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    import ipaddress

    table = ws.get("transit_gateway_route_tables", str(p["TransitGatewayRouteTableId"]))
    if table.routes is None:
        raise WhatIfError(
            f"the snapshot lacks {table.id}'s routes (aws ec2 search-transit-gateway-routes): "
            "export them to try a route"
        )
    try:
        destination = ipaddress.ip_network(str(p["DestinationCidrBlock"]), strict=True)
    except ValueError:
        raise WhatIfError(f"{p['DestinationCidrBlock']!r} is not a CIDR block") from None
    if any(r.destination == destination and r.route_type == "static" for r in table.routes):
        raise WhatIfError(f"{table.id} already has a static route to {destination}")
    attachments: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    if p.get("TransitGatewayAttachmentId"):
        att = ws.get("transit_gateway_attachments", str(p["TransitGatewayAttachmentId"]))
        if att.transit_gateway_id != table.transit_gateway_id:
            raise WhatIfError(
                f"{att.id} is on {att.transit_gateway_id}, not on {table.transit_gateway_id}"
            )
        attachments = (att.id,)
        resources = (att.resource_id,) if att.resource_id else ()
    elif not p.get("Blackhole"):
        raise WhatIfError(
            "a transit gateway route needs --transit-gateway-attachment-id or --blackhole"
        )
    new = TransitGatewayRoute(
        destination=destination,
        attachment_ids=attachments,
        resource_ids=resources,
        route_type="static",
        state="blackhole" if p.get("Blackhole") else "active",
    )
    routes = (*(r for r in table.routes if r.destination != destination), new)
    ws.put("transit_gateway_route_tables", table.id, replace(table, routes=routes))
    return {"Route": {"DestinationCidrBlock": str(destination), "Type": "static"}}


@handles("ec2", "associate-transit-gateway-route-table")
def associate_tgw_route_table(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    table = ws.get("transit_gateway_route_tables", str(p["TransitGatewayRouteTableId"]))
    att = ws.get("transit_gateway_attachments", str(p["TransitGatewayAttachmentId"]))
    if att.transit_gateway_id != table.transit_gateway_id:
        raise WhatIfError(
            f"{att.id} is on {att.transit_gateway_id}, {table.id} on {table.transit_gateway_id}"
        )
    if att.association_route_table_id and att.association_state in (
        None,
        "associated",
        "associating",
    ):
        raise WhatIfError(
            f"{att.id} is already associated with {att.association_route_table_id} "
            "(Resource.AlreadyAssociated): disassociate it first"
        )
    ws.put(
        "transit_gateway_attachments",
        att.id,
        replace(att, association_route_table_id=table.id, association_state="associated"),
    )
    return {"Association": {"TransitGatewayRouteTableId": table.id, "State": "associated"}}
