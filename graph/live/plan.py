"""What to read: a full collection of the region, or the scoped plan of one function's path
(only what that path can touch, with filters, so the number of calls does not grow with the
size of the account).
"""

from __future__ import annotations

from collections.abc import Sequence

from vpcdoctor.errors import CollectionError, FunctionNotFound
from vpcdoctor.graph.live.requests import (
    FILTER_VALUES_MAX,
    FULL_KINDS,
    LIST_PARAMS,
    Request,
    _domain_requests,
    _elb_requests,
    _f,
    _function_requests,
    _tgw_route_requests,
    _vpc_attribute_requests,
    _zone_id,
    _zone_requests,
)
from vpcdoctor.graph.live.runner import (
    _Runner,
)

# --------------------------------------------------------------------------------------------
# Planning: what to read
# --------------------------------------------------------------------------------------------


def _referenced_prefix_lists(r: _Runner) -> set[str]:
    ids: set[str] = set()
    for rtb in r.items("describe-route-tables"):
        for route in rtb.get("Routes") or []:
            if route.get("DestinationPrefixListId"):
                ids.add(route["DestinationPrefixListId"])
    for sg in r.items("describe-security-groups"):
        for perm in (sg.get("IpPermissions") or []) + (sg.get("IpPermissionsEgress") or []):
            for pl in perm.get("PrefixListIds") or []:
                if pl.get("PrefixListId"):
                    ids.add(pl["PrefixListId"])
    return ids


def _prefix_list_entry_requests(r: _Runner) -> list[Request]:
    """Entries of customer-managed prefix lists used in routes or security groups."""
    referenced = _referenced_prefix_lists(r)
    # AWS service lists come with their CIDRs from describe-prefix-lists; one without them
    # (seen in emulators) is asked for its entries like a customer-managed one.
    aws_lists = {
        pl.get("PrefixListId") for pl in r.items("describe-prefix-lists") if pl.get("Cidrs")
    }
    managed = {pl.get("PrefixListId"): pl for pl in r.items("describe-managed-prefix-lists")}
    wanted: set[str] = set()
    for pl_id in referenced:
        info = managed.get(pl_id)
        if info is not None:
            if info.get("OwnerId") != "AWS" or pl_id not in aws_lists:
                wanted.add(pl_id)
        elif pl_id not in aws_lists:
            wanted.add(pl_id)  # unknown owner: ask (a denial becomes a gap naming it)
    return [
        Request("get-managed-prefix-list-entries", pl, {"PrefixListId": pl})
        for pl in sorted(wanted)
    ]


def _plan_full(r: _Runner) -> None:
    r.run([Request(name, None, LIST_PARAMS.get(name, {})) for name in FULL_KINDS])
    second: list[Request] = []
    for vpc in r.items("describe-vpcs"):
        second += _vpc_attribute_requests(vpc["VpcId"])
    for fn in r.items("list-functions"):
        if (fn.get("VpcConfig") or {}).get("SubnetIds"):
            second += _function_requests(fn["FunctionName"])
    for zone in r.items("list-hosted-zones"):
        if (zone.get("Config") or {}).get("PrivateZone"):
            second += _zone_requests(_zone_id(zone["Id"]))
    for ep in r.items("list-resolver-endpoints"):
        second.append(
            Request(
                "list-resolver-endpoint-ip-addresses", ep["Id"], {"ResolverEndpointId": ep["Id"]}
            )
        )
    second += _prefix_list_entry_requests(r)
    second += _tgw_route_requests(
        rt["TransitGatewayRouteTableId"] for rt in r.items("describe-transit-gateway-route-tables")
    )
    second += _elb_requests(
        (lb["LoadBalancerArn"] for lb in r.items("describe-load-balancers")),
        (tg["TargetGroupArn"] for tg in r.items("describe-target-groups")),
    )
    second += _domain_requests(d["DomainName"] for d in r.items("list-domain-names"))
    r.run(second)


def _vpc_requests(vpc_ids: Sequence[str]) -> list[Request]:
    """VPC-scoped lists for these VPCs (filtered by vpc-id: size of the VPCs, not the account)."""
    v = list(vpc_ids)
    return [
        Request("describe-vpcs", None, {"Filters": [_f("vpc-id", v)]}),
        Request("describe-subnets", None, {"Filters": [_f("vpc-id", v)]}),
        Request("describe-route-tables", None, {"Filters": [_f("vpc-id", v)]}),
        Request("describe-security-groups", None, {"Filters": [_f("vpc-id", v)]}),
        Request("describe-network-acls", None, {"Filters": [_f("vpc-id", v)]}),
        Request("describe-network-interfaces", None, {"Filters": [_f("vpc-id", v)]}),
        Request("describe-instances", None, {"Filters": [_f("vpc-id", v)]}),
        Request("describe-nat-gateways", None, {"Filter": [_f("vpc-id", v)]}),
        Request("describe-vpc-endpoints", None, {"Filters": [_f("vpc-id", v)]}),
        Request("describe-internet-gateways", None, {"Filters": [_f("attachment.vpc-id", v)]}),
    ]


def _plan_scoped(r: _Runner, function: str) -> None:
    fn_requests = _function_requests(function)
    first = r.run(fn_requests)
    config = first[fn_requests[0]]
    if config is None:
        gap = r.gaps.get(("get-function-configuration", function))
        reason = gap.reason if gap else "unknown error"
        if "ResourceNotFound" in reason:
            raise FunctionNotFound(
                f"no Lambda function {function!r} in region {r.region}: check the name and --region"
            )
        raise CollectionError(
            f"cannot read Lambda function {function!r} ({reason}); grant "
            "lambda:GetFunctionConfiguration or collect without --function"
        )
    vpc_config = config.get("VpcConfig") or {}
    vpc_id = vpc_config.get("VpcId")
    if not vpc_id or not vpc_config.get("SubnetIds"):
        return  # not attached to a VPC: the engine says so; nothing else to read
    zones_by_vpc = Request(
        "get-hosted-zone",
        None,
        {"VPCId": vpc_id, "VPCRegion": r.region},
        discovery="list-hosted-zones-by-vpc",
    )
    region_lists = [
        Request("describe-prefix-lists"),
        Request("list-hosted-zones"),
        Request("list-resolver-rules"),
        Request("list-resolver-endpoints"),
        Request(
            "list-resolver-rule-associations",
            None,
            {"Filters": [{"Name": "VPCId", "Values": [vpc_id]}]},
        ),
        zones_by_vpc,
        Request("describe-load-balancers"),
        Request("describe-db-instances"),
        Request("describe-db-clusters"),
        Request("describe-db-proxies"),
        Request("describe-db-subnet-groups"),
        # account-wide switches and services reached by name (region lists, one call each)
        Request("describe-vpc-block-public-access-options"),
        Request("describe-vpc-block-public-access-exclusions"),
        Request("describe-target-groups"),
        Request("describe-cache-clusters", None, LIST_PARAMS["describe-cache-clusters"]),
        Request("describe-replication-groups"),
        Request("describe-cache-subnet-groups"),
        Request("list-domain-names"),
        Request("describe-vpn-gateways", None, {"Filters": [_f("attachment.vpc-id", [vpc_id])]}),
    ]
    pcx_requests = [
        Request(
            "describe-vpc-peering-connections",
            None,
            {"Filters": [_f("requester-vpc-info.vpc-id", [vpc_id])]},
        ),
        Request(
            "describe-vpc-peering-connections",
            None,
            {"Filters": [_f("accepter-vpc-info.vpc-id", [vpc_id])]},
        ),
    ]
    tgw_vpc = [
        Request(
            "describe-transit-gateway-vpc-attachments", None, {"Filters": [_f("vpc-id", [vpc_id])]}
        ),
    ]
    b = r.run(
        [
            *_vpc_requests([vpc_id]),
            *_vpc_attribute_requests(vpc_id),
            *region_lists,
            *pcx_requests,
            *tgw_vpc,
        ]
    )

    # ---- phase C: what the function's VPC names ----------------------------------------
    routes = [
        route for rtb in r.items("describe-route-tables") for route in rtb.get("Routes") or []
    ]
    pcx_ids = {rt["VpcPeeringConnectionId"] for rt in routes if rt.get("VpcPeeringConnectionId")}
    tgw_ids = {rt["TransitGatewayId"] for rt in routes if rt.get("TransitGatewayId")}
    tgw_ids |= {
        a["TransitGatewayId"]
        for a in r.items("describe-transit-gateway-vpc-attachments")
        if a.get("TransitGatewayId")
    }
    eigw_ids = {
        rt["EgressOnlyInternetGatewayId"] for rt in routes if rt.get("EgressOnlyInternetGatewayId")
    }
    peer_vpcs: set[str] = set()
    for pcx in r.items("describe-vpc-peering-connections"):
        if pcx.get("VpcPeeringConnectionId") not in pcx_ids:
            continue
        for side in ("RequesterVpcInfo", "AccepterVpcInfo"):
            info = pcx.get(side) or {}
            if (
                info.get("VpcId")
                and info.get("VpcId") != vpc_id
                and info.get("Region", r.region) == r.region
            ):
                peer_vpcs.add(info["VpcId"])
    dhcp_ids = {v["DhcpOptionsId"] for v in r.items("describe-vpcs") if v.get("DhcpOptionsId")}
    dhcp_ids.discard("default")

    c: list[Request] = []
    if tgw_ids:
        tg = sorted(tgw_ids)
        c += [
            Request("describe-transit-gateways", None, {"Filters": [_f("transit-gateway-id", tg)]}),
            Request(
                "describe-transit-gateway-route-tables",
                None,
                {"Filters": [_f("transit-gateway-id", tg)]},
            ),
            Request(
                "describe-transit-gateway-attachments",
                None,
                {"Filters": [_f("transit-gateway-id", tg)]},
            ),
            Request(
                "describe-transit-gateway-vpc-attachments",
                None,
                {"Filters": [_f("transit-gateway-id", tg)]},
            ),
        ]
    if eigw_ids:
        c.append(
            Request(
                "describe-egress-only-internet-gateways",
                None,
                {"EgressOnlyInternetGatewayIds": sorted(eigw_ids)},
            )
        )
    if dhcp_ids:
        c.append(
            Request("describe-dhcp-options", None, {"Filters": [_f("dhcp-options-id", dhcp_ids)]})
        )
    referenced_pl = _referenced_prefix_lists(r)
    if referenced_pl:
        c.append(
            Request(
                "describe-managed-prefix-lists",
                None,
                {"Filters": [_f("prefix-list-id", referenced_pl)]},
            )
        )
    eni_ids = [
        eni["NetworkInterfaceId"]
        for eni in r.items("describe-network-interfaces")
        if eni.get("InterfaceType") in ("lambda", "nat_gateway")
        or eni.get("SubnetId") in set(vpc_config.get("SubnetIds") or [])
    ]
    for start in range(0, len(eni_ids), FILTER_VALUES_MAX):
        chunk = eni_ids[start : start + FILTER_VALUES_MAX]
        c.append(
            Request("describe-addresses", None, {"Filters": [_f("network-interface-id", chunk)]})
        )
    # Zones associated with the VPC (ListHostedZonesByVPC); if that is denied, every private
    # zone of the account (grows with the account, but only in that degraded case).
    by_vpc = b.get(zones_by_vpc)
    if by_vpc is not None:
        zone_ids = {_zone_id(z["HostedZoneId"]) for z in by_vpc.get("HostedZoneSummaries") or []}
    else:
        zone_ids = {
            _zone_id(z["Id"])
            for z in r.items("list-hosted-zones")
            if (z.get("Config") or {}).get("PrivateZone")
        }
    for zone in sorted(zone_ids):
        c += _zone_requests(zone)
    associated_rules = {a.get("ResolverRuleId") for a in r.items("list-resolver-rule-associations")}
    endpoints = {
        rule["ResolverEndpointId"]
        for rule in r.items("list-resolver-rules")
        if rule.get("Id") in associated_rules and rule.get("ResolverEndpointId")
    }
    for ep in sorted(endpoints):
        c.append(Request("list-resolver-endpoint-ip-addresses", ep, {"ResolverEndpointId": ep}))
    if peer_vpcs:
        c += _vpc_requests(sorted(peer_vpcs))
    vgw_ids = {g["VpnGatewayId"] for g in r.items("describe-vpn-gateways") if g.get("VpnGatewayId")}
    if vgw_ids:
        c.append(
            Request("describe-vpn-connections", None, {"Filters": [_f("vpn-gateway-id", vgw_ids)]})
        )
    if tgw_ids:
        c.append(
            Request(
                "describe-transit-gateway-peering-attachments",
                None,
                {"Filters": [_f("transit-gateway-id", tgw_ids)]},
            )
        )
    r.run(c)

    # ---- phase D: per-resource details of what C found ---------------------------------
    d: list[Request] = []
    d += _prefix_list_entry_requests(r)
    if tgw_ids:
        d += _tgw_route_requests(
            rt["TransitGatewayRouteTableId"]
            for rt in r.items("describe-transit-gateway-route-tables")
        )
        tgw_peer_vpcs = {
            a["VpcId"]
            for a in r.items("describe-transit-gateway-vpc-attachments")
            if a.get("VpcId") and a["VpcId"] != vpc_id and a["VpcId"] not in peer_vpcs
        }
        if tgw_peer_vpcs:
            d += _vpc_requests(sorted(tgw_peer_vpcs))
        vpn_ids = {
            a["ResourceId"]
            for a in r.items("describe-transit-gateway-attachments")
            if a.get("ResourceType") == "vpn" and a.get("ResourceId")
        }
        if vpn_ids:
            d.append(
                Request("describe-vpn-connections", None, {"VpnConnectionIds": sorted(vpn_ids)})
            )
    # Load balancers and target groups in the VPCs the path can reach (names resolve to them).
    in_scope = {v["VpcId"] for v in r.items("describe-vpcs")} | {vpc_id}
    d += _elb_requests(
        (
            lb["LoadBalancerArn"]
            for lb in r.items("describe-load-balancers")
            if lb.get("VpcId") in in_scope
        ),
        (
            tg["TargetGroupArn"]
            for tg in r.items("describe-target-groups")
            if tg.get("VpcId") in in_scope
        ),
    )
    d += _domain_requests(x["DomainName"] for x in r.items("list-domain-names"))
    r.run(d)
