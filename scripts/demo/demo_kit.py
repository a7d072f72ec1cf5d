"""Building blocks for the demo's later stories (make_demo.py's World, extended).

Network ACL entries as describe-network-acls prints them (AWS's own ``*`` rules as 32767 for
IPv4 and 32768 for IPv6), default security groups and ACLs, NAT gateways with their EIP and ENI,
transit gateway ENIs, and :func:`render_account`: the EC2 outputs of another account's World
(its own ``OwnerId`` everywhere), for an account exported beside the demo's own.

``demo`` is make_demo's module, passed in because make_demo runs as a script.
"""

from __future__ import annotations

import ipaddress
from types import ModuleType
from typing import Any


def acl_entry(number: int, action: str, egress: bool, block: str, **extra: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "Egress": egress,
        "Protocol": "-1",
        "RuleAction": action,
        "RuleNumber": number,
    }
    entry["Ipv6CidrBlock" if ":" in block else "CidrBlock"] = block
    entry.update(extra)
    return entry


def star_rules(*, ipv6: bool) -> list[dict[str, Any]]:
    rules = []
    for egress in (True, False):
        rules.append(acl_entry(32767, "deny", egress, "0.0.0.0/0"))
        if ipv6:
            rules.append(acl_entry(32768, "deny", egress, "::/0"))
    return rules


def default_acl(*, ipv6: bool) -> list[dict[str, Any]]:
    """A default network ACL; a VPC with an IPv6 block also gets AWS's #101 IPv6 rules."""
    rules = [acl_entry(100, "allow", e, "0.0.0.0/0") for e in (True, False)]
    if ipv6:
        rules += [acl_entry(101, "allow", e, "::/0") for e in (True, False)]
    return rules + star_rules(ipv6=ipv6)


def default_sg(w: Any, vkey: str, owner: str, *, ipv6: bool = False) -> None:
    gid = w.sg(f"default-{vkey}", vkey, "default", "default VPC security group", ingress=[])
    g = w.sgs[f"default-{vkey}"]
    g["ingress"] = [{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": gid, "UserId": owner}]}]
    if ipv6:
        g["egress"] = [all_out(ipv6=True)]


def all_out(*, ipv6: bool) -> dict[str, Any]:
    rule: dict[str, Any] = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    if ipv6:
        rule["Ipv6Ranges"] = [{"CidrIpv6": "::/0"}]
    return rule


def acl(w: Any, demo: ModuleType, key: str, vkey: str, subnets: list[str], **spec: Any) -> None:
    w.acls[key] = {
        "id": demo.rid("acl", key),
        "vpc": vkey,
        "default": spec.get("default", True),
        "name": spec.get("name"),
        "subnets": subnets,
        "entries": spec["entries"],
    }
    w.ids[f"acl:{key}"] = w.acls[key]["id"]


def local_route(demo: ModuleType, cidr: str) -> dict[str, Any]:
    if ":" in cidr:
        return {
            "DestinationIpv6CidrBlock": cidr,
            "GatewayId": "local",
            "Origin": "CreateRouteTable",
            "State": "active",
        }
    route: dict[str, Any] = demo.route(cidr, GatewayId="local", Origin="CreateRouteTable")
    return route


def v6_route(dest: str, **target: str) -> dict[str, Any]:
    return {"DestinationIpv6CidrBlock": dest, **target, "Origin": "CreateRoute", "State": "active"}


def nat_gateway(
    w: Any, demo: ModuleType, key: str, vkey: str, subnet: str, ip: str, day: str
) -> str:
    """A public NAT gateway with its EIP and its ENI (as make_demo's own ``nat``)."""
    name = f"{w.vpcs[vkey]['name']}-nat-{key[-2:]}"
    nid: str = demo.rid("nat", key)
    w.eip(key, ip, name=f"{name}-eip")
    w.eni(
        f"nat-{key}",
        subnet,
        kind="nat_gateway",
        description=f"Interface for NAT Gateway {nid}",
        groups=[],
        requester_managed=True,
        attachment=demo.service_attachment(f"nat-{key}", "amazon-aws", day),
        created_day=day,
        eip=key,
        source_dest_check=False,
    )
    w.eips[key]["eni"] = f"nat-{key}"
    w.nats[key] = {
        "id": nid,
        "vpc": vkey,
        "subnet": subnet,
        "name": name,
        "eip": key,
        "eni": f"nat-{key}",
        "created": day,
    }
    w.ids[f"nat:{key}"] = nid
    return nid


def tgw_enis(w: Any, attachment: str, subnets: list[str], day: str) -> None:
    for sub in subnets:
        w.eni(
            f"tgw-{attachment}-{sub}",
            sub,
            kind="transit_gateway",
            description=f"Network Interface for Transit Gateway Attachment {attachment}",
            groups=[],
            requester_managed=True,
            created_day=day,
            source_dest_check=False,
        )


def render_account(n: Any, demo: ModuleType, owner: str) -> dict[str, Any]:
    """The EC2 outputs of an account holding VPCs, subnets, route tables, IGWs, NAT gateways,
    default security groups and network ACLs, and service ENIs: make_demo's renderer, for
    another owner (a smaller account: no endpoints, Lambda ENIs, Elastic IPs of its own)."""
    region = demo.REGION
    V = {k: v["id"] for k, v in n.vpcs.items()}
    S = {k: v["id"] for k, v in n.subnets.items()}
    G = {k: v["id"] for k, v in n.sgs.items()}
    files: dict[str, Any] = {}
    vpcs = []
    for key, v in n.vpcs.items():
        vpcs.append(
            {
                "OwnerId": owner,
                "InstanceTenancy": "default",
                "CidrBlockAssociationSet": [
                    {
                        "AssociationId": demo.rid("vpc-cidr-assoc", key),
                        "CidrBlock": v["cidr"],
                        "CidrBlockState": {"State": "associated"},
                    }
                ],
                "IsDefault": False,
                "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
                "VpcId": v["id"],
                "State": "available",
                "CidrBlock": v["cidr"],
                "DhcpOptionsId": demo.rid("dopt", owner),
                "Tags": demo.tags(v["name"], Environment="shared"),
            }
        )
        files[f"ec2/describe-vpc-attribute-enableDnsSupport@{v['id']}.json"] = {
            "VpcId": v["id"],
            "EnableDnsSupport": {"Value": True},
        }
        files[f"ec2/describe-vpc-attribute-enableDnsHostnames@{v['id']}.json"] = {
            "VpcId": v["id"],
            "EnableDnsHostnames": {"Value": True},
        }
    files["ec2/describe-vpcs.json"] = {"Vpcs": vpcs}
    subnets = []
    for s in n.subnets.values():
        net = ipaddress.ip_network(s["cidr"])
        subnets.append(
            {
                "AvailabilityZoneId": demo.AZ_ID[s["az"]],
                "MapCustomerOwnedIpOnLaunch": False,
                "OwnerId": owner,
                "AssignIpv6AddressOnCreation": False,
                "Ipv6CidrBlockAssociationSet": [],
                "SubnetArn": f"arn:aws:ec2:{region}:{owner}:subnet/{s['id']}",
                "EnableDns64": False,
                "Ipv6Native": False,
                "PrivateDnsNameOptionsOnLaunch": {
                    "HostnameType": "ip-name",
                    "EnableResourceNameDnsARecord": False,
                    "EnableResourceNameDnsAAAARecord": False,
                },
                "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
                "SubnetId": s["id"],
                "State": "available",
                "VpcId": V[s["vpc"]],
                "CidrBlock": s["cidr"],
                "AvailableIpAddressCount": net.num_addresses - 5 - len(s.get("_used", ())),
                "AvailabilityZone": s["az"],
                "DefaultForAz": False,
                "MapPublicIpOnLaunch": s["public_ip"],
                "Tags": demo.tags(s["name"], Tier="public" if s["public_ip"] else "private"),
            }
        )
    files["ec2/describe-subnets.json"] = {"Subnets": subnets}
    tables = []
    for key, t in n.rtbs.items():
        assocs = []
        if t["main"]:
            assocs.append(
                {
                    "Main": True,
                    "RouteTableAssociationId": demo.rid("rtbassoc", key + "main"),
                    "RouteTableId": t["id"],
                    "AssociationState": {"State": "associated"},
                }
            )
        assocs += [
            {
                "Main": False,
                "RouteTableAssociationId": demo.rid("rtbassoc", key + sub),
                "RouteTableId": t["id"],
                "SubnetId": S[sub],
                "AssociationState": {"State": "associated"},
            }
            for sub in t["subnets"]
        ]
        tables.append(
            {
                "Associations": assocs,
                "PropagatingVgws": [],
                "RouteTableId": t["id"],
                "Routes": t["routes"],
                "Tags": demo.tags(t["name"]),
                "VpcId": V[t["vpc"]],
                "OwnerId": owner,
            }
        )
    files["ec2/describe-route-tables.json"] = {"RouteTables": tables}
    files["ec2/describe-internet-gateways.json"] = {
        "InternetGateways": [
            {
                "Attachments": [{"State": "available", "VpcId": V[g["vpc"]]}],
                "InternetGatewayId": g["id"],
                "OwnerId": owner,
                "Tags": demo.tags(g["name"]),
            }
            for g in n.igws.values()
        ]
    }
    files["ec2/describe-nat-gateways.json"] = {
        "NatGateways": [
            {
                "CreateTime": demo.ec2_time(g["created"], "02:40:18"),
                "NatGatewayAddresses": [
                    {
                        "AllocationId": n.eips[g["eip"]]["id"],
                        "NetworkInterfaceId": n.enis[g["eni"]]["id"],
                        "PrivateIp": n.enis[g["eni"]]["ip"],
                        "PublicIp": n.eips[g["eip"]]["public_ip"],
                        "AssociationId": n.eips[g["eip"]]["assoc"],
                        "IsPrimary": True,
                        "Status": "succeeded",
                    }
                ],
                "NatGatewayId": g["id"],
                "State": "available",
                "SubnetId": S[g["subnet"]],
                "VpcId": V[g["vpc"]],
                "Tags": demo.tags(g["name"]),
                "ConnectivityType": "public",
            }
            for g in n.nats.values()
        ]
    }
    files["ec2/describe-security-groups.json"] = {
        "SecurityGroups": [
            {
                "GroupId": g["id"],
                "IpPermissionsEgress": [_perm(r) for r in g["egress"]],
                "VpcId": V[g["vpc"]],
                "SecurityGroupArn": f"arn:aws:ec2:{region}:{owner}:security-group/{g['id']}",
                "OwnerId": owner,
                "GroupName": g["group_name"],
                "Description": g["description"],
                "IpPermissions": [_perm(r) for r in g["ingress"]],
            }
            for g in n.sgs.values()
        ]
    }
    files["ec2/describe-network-acls.json"] = {
        "NetworkAcls": [
            {
                "Associations": [
                    {
                        "NetworkAclAssociationId": demo.rid("aclassoc", key + s),
                        "NetworkAclId": a["id"],
                        "SubnetId": S[s],
                    }
                    for s in a["subnets"]
                ],
                "Entries": sorted(a["entries"], key=lambda e: (not e["Egress"], e["RuleNumber"])),
                "IsDefault": a["default"],
                "NetworkAclId": a["id"],
                "Tags": demo.tags(a["name"]) if a["name"] else [],
                "VpcId": V[a["vpc"]],
                "OwnerId": owner,
            }
            for key, a in n.acls.items()
        ]
    }
    enis = []
    for key, e in n.enis.items():
        sub = n.subnets[e["subnet"]]
        dns_name = f"ip-{e['ip'].replace('.', '-')}.{region}.compute.internal"
        primary: dict[str, Any] = {
            "Primary": True,
            "PrivateDnsName": dns_name,
            "PrivateIpAddress": e["ip"],
        }
        item: dict[str, Any] = {
            "AvailabilityZone": sub["az"],
            "Description": e["description"],
            "Groups": [{"GroupId": G[g], "GroupName": n.sgs[g]["group_name"]} for g in e["groups"]],
            "InterfaceType": e["kind"],
            "Ipv6Addresses": [],
            "MacAddress": demo.mac(key),
            "NetworkInterfaceId": e["id"],
            "OwnerId": owner,
            "PrivateDnsName": dns_name,
            "PrivateIpAddress": e["ip"],
            "PrivateIpAddresses": [primary],
            "RequesterManaged": e["requester_managed"],
            "SourceDestCheck": e["source_dest_check"],
            "Status": "in-use",
            "SubnetId": sub["id"],
            "TagSet": [],
            "VpcId": V[sub["vpc"]],
        }
        if e["attachment"]:
            item["Attachment"] = e["attachment"]
        if e["eip"]:
            eip = n.eips[e["eip"]]
            octets = eip["public_ip"].replace(".", "-")
            assoc = {
                "IpOwnerId": owner,
                "PublicDnsName": f"ec2-{octets}.{region}.compute.amazonaws.com",
                "PublicIp": eip["public_ip"],
                "AllocationId": eip["id"],
                "AssociationId": eip["assoc"],
            }
            item["Association"] = dict(assoc)
            primary["Association"] = {k: v for k, v in assoc.items() if k != "AllocationId"}
        enis.append(item)
    files["ec2/describe-network-interfaces.json"] = {"NetworkInterfaces": enis}
    files["ec2/describe-addresses.json"] = {
        "Addresses": [
            {
                "AllocationId": a["id"],
                "Domain": "vpc",
                "PublicIp": a["public_ip"],
                "PublicIpv4Pool": "amazon",
                "NetworkBorderGroup": region,
                "Tags": demo.tags(a["name"]),
                "AssociationId": a["assoc"],
                "NetworkInterfaceId": n.enis[a["eni"]]["id"],
                "NetworkInterfaceOwnerId": owner,
                "PrivateIpAddress": n.enis[a["eni"]]["ip"],
            }
            for a in n.eips.values()
        ]
    }
    files["ec2/describe-vpc-endpoints.json"] = {"VpcEndpoints": []}
    files["ec2/describe-vpc-peering-connections.json"] = {"VpcPeeringConnections": []}
    return files


def _perm(rule: dict[str, Any]) -> dict[str, Any]:
    p = dict(rule)
    for k in ("IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs"):
        p.setdefault(k, [])
    return p
