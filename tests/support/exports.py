"""AWS CLI output documents for tests that write a snapshot the way users export one (the
JSON each ``aws … --output json`` call prints), so the loader and its botocore shape check read
them exactly as a user's files. The items (routes, associations, ACL entries) are the ones the
benchmark generator writes too: :mod:`vpcdoctor.graph.sources.outputs`."""

from __future__ import annotations

from typing import Any

from vpcdoctor.graph.sources.outputs import local_route as local
from vpcdoctor.graph.sources.outputs import (
    network_acl_association,
    network_acl_entry,
    route,
    route_table_association,
)

REGION = "ap-northeast-1"
AZ = f"{REGION}a"


def table(
    rtb: str, vpc: str, owner: str, subnets: list[str], routes: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "RouteTableId": rtb,
        "VpcId": vpc,
        "OwnerId": owner,
        "Routes": routes,
        "Associations": [
            route_table_association(f"rtbassoc-{rtb[4:]}{i}", rtb, s) for i, s in enumerate(subnets)
        ],
        "PropagatingVgws": [],
        "Tags": [],
    }


def acl(
    acl: str, vpc: str, owner: str, subnets: list[str], *, ipv6: bool = False
) -> dict[str, Any]:
    """A default network ACL (allow all, then AWS's deny-all; with ``ipv6`` the ``::/0`` pair
    a dual-stack VPC's default ACL also holds, 101 and 32768)."""
    rules = [(100, "allow", "0.0.0.0/0"), (32767, "deny", "0.0.0.0/0")]
    if ipv6:
        rules += [(101, "allow", "::/0"), (32768, "deny", "::/0")]
    entries = [
        network_acl_entry(n, e, "-1", a, cidr) for e in (True, False) for n, a, cidr in rules
    ]
    return {
        "NetworkAclId": acl,
        "VpcId": vpc,
        "OwnerId": owner,
        "IsDefault": True,
        "Entries": entries,
        "Associations": [
            network_acl_association(f"aclassoc-{acl[4:]}{i}", acl, s) for i, s in enumerate(subnets)
        ],
        "Tags": [],
    }


def subnet(subnet: str, vpc: str, owner: str, cidr: str) -> dict[str, Any]:
    return {
        "SubnetId": subnet,
        "VpcId": vpc,
        "OwnerId": owner,
        "AvailabilityZone": AZ,
        "AvailabilityZoneId": "apne1-az4",
        "CidrBlock": cidr,
        "State": "available",
        "AvailableIpAddressCount": 250,
        "MapPublicIpOnLaunch": False,
        "SubnetArn": f"arn:aws:ec2:{REGION}:{owner}:subnet/{subnet}",
    }


def vpc(vpc: str, owner: str, cidr: str) -> dict[str, Any]:
    return {
        "VpcId": vpc,
        "OwnerId": owner,
        "CidrBlock": cidr,
        "State": "available",
        "IsDefault": False,
        "DhcpOptionsId": "dopt-0aa0000000000001",
        "InstanceTenancy": "default",
        "CidrBlockAssociationSet": [
            {
                "AssociationId": f"vpc-cidr-assoc-{vpc[4:]}",
                "CidrBlock": cidr,
                "CidrBlockState": {"State": "associated"},
            }
        ],
    }


NO_DNS = {
    # What an export of an account without private zones or Resolver rules holds.
    "route53/list-hosted-zones.json": {"HostedZones": [], "IsTruncated": False, "MaxItems": "100"},
    "route53resolver/list-resolver-rules.json": {"ResolverRules": []},
    "route53resolver/list-resolver-rule-associations.json": {"ResolverRuleAssociations": []},
    "route53resolver/list-resolver-endpoints.json": {"ResolverEndpoints": []},
}


__all__ = ["AZ", "NO_DNS", "REGION", "acl", "local", "route", "subnet", "table", "vpc"]
