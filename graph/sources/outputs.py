"""AWS CLI output documents built in code: the pieces every snapshot writer of ours shares.

The benchmark generator (``benchmarks/generate_account.py``), the tests that write a snapshot
the way a user exports one (``tests/support/exports.py``) and, as it moves onto them, the demo
generator build the same items: routes, route-table and network-ACL associations, ACL entries,
tags. Each function here returns one item exactly as ``aws ec2 describe-… --output json``
prints it (the strict check in :mod:`.shapes` proves it), so the loader reads the files as it
reads a user's. The module lives in the package, not under ``tests/`` or ``benchmarks/``,
because the tests, the benchmarks and the demo script all import it and it needs no test
dependency; the loader never does.
"""

from __future__ import annotations

from typing import Any

Item = dict[str, Any]


def tags(**kv: str) -> list[dict[str, str]]:
    """``Tags``: ``[{"Key": …, "Value": …}]`` in the order given."""
    return [{"Key": k, "Value": v} for k, v in kv.items()]


def destination(dest: str) -> Item:
    """A route's destination member: a prefix list id, an IPv6 or an IPv4 CIDR."""
    if dest.startswith("pl-"):
        return {"DestinationPrefixListId": dest}
    if ":" in dest:
        return {"DestinationIpv6CidrBlock": dest}
    return {"DestinationCidrBlock": dest}


def route(dest: str, *, state: str = "active", origin: str = "CreateRoute", **target: str) -> Item:
    """One entry of a table's ``Routes``; ``target`` is its one target member
    (``GatewayId=``, ``NatGatewayId=``, ``TransitGatewayId=``, ``VpcPeeringConnectionId=`` …)."""
    return {**destination(dest), **target, "Origin": origin, "State": state}


def local_route(cidr: str) -> Item:
    """The ``local`` route AWS puts in every table for each VPC CIDR."""
    return route(cidr, GatewayId="local", origin="CreateRouteTable")


def route_table_association(
    association_id: str, rtb: str, subnet: str | None = None, *, main: bool = False
) -> Item:
    """One of a table's ``Associations``: the VPC's main one, or a subnet's explicit one."""
    item: Item = {"Main": main, "RouteTableAssociationId": association_id, "RouteTableId": rtb}
    if subnet is not None:
        item["SubnetId"] = subnet
    item["AssociationState"] = {"State": "associated"}
    return item


def network_acl_association(association_id: str, acl: str, subnet: str) -> Item:
    """One of a network ACL's ``Associations``."""
    return {"NetworkAclAssociationId": association_id, "NetworkAclId": acl, "SubnetId": subnet}


def network_acl_entry(
    number: int,
    egress: bool,
    protocol: str,
    action: str,
    cidr: str,
    ports: tuple[int, int] | None = None,
) -> Item:
    """One of a network ACL's ``Entries`` (``protocol`` as AWS writes it: ``-1``, ``6``, ``17``;
    an IPv6 ``cidr`` is an ``Ipv6CidrBlock``)."""
    entry: Item = {
        "Ipv6CidrBlock" if ":" in cidr else "CidrBlock": cidr,
        "Egress": egress,
        "Protocol": protocol,
        "RuleAction": action,
        "RuleNumber": number,
    }
    if ports:
        entry["PortRange"] = {"From": ports[0], "To": ports[1]}
    return entry


__all__ = [
    "destination",
    "local_route",
    "network_acl_association",
    "network_acl_entry",
    "route",
    "route_table_association",
    "tags",
]
