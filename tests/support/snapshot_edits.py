"""Copies of the demo snapshot with one thing changed, as a day-later export would show it.

Each edit changes the JSON exactly as the AWS CLI would print the changed account (a route gone
from ``describe-route-tables``, a rule gone from ``describe-security-groups``, a VPC gone from
``get-hosted-zone``'s ``VPCs``, a NAT gateway ``failed`` in ``describe-nat-gateways``).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEMO = Path(__file__).resolve().parents[2] / "graph" / "demo" / "snapshot"


def copy_demo(dest: Path) -> Path:
    shutil.copytree(DEMO, dest)
    return dest


def edit(snapshot: Path, relative: str, change: Callable[[Any], None]) -> None:
    path = snapshot / relative
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def remove_route(snapshot: Path, rtb_id: str, destination: str) -> None:
    def change(data: Any) -> None:
        for table in data["RouteTables"]:
            if table["RouteTableId"] == rtb_id:
                before = len(table["Routes"])
                table["Routes"] = [
                    r for r in table["Routes"] if r.get("DestinationCidrBlock") != destination
                ]
                assert len(table["Routes"]) == before - 1
                return
        raise AssertionError(rtb_id)

    edit(snapshot, "ec2/describe-route-tables.json", change)


def remove_sg_rule(snapshot: Path, group_id: str, *, egress: bool, cidr: str) -> None:
    key = "IpPermissionsEgress" if egress else "IpPermissions"

    def change(data: Any) -> None:
        for group in data["SecurityGroups"]:
            if group["GroupId"] == group_id:
                for perm in group[key]:
                    perm["IpRanges"] = [r for r in perm.get("IpRanges", []) if r["CidrIp"] != cidr]
                group[key] = [
                    p
                    for p in group[key]
                    if p.get("IpRanges")
                    or p.get("UserIdGroupPairs")
                    or p.get("PrefixListIds")
                    or p.get("Ipv6Ranges")
                ]
                return
        raise AssertionError(group_id)

    edit(snapshot, "ec2/describe-security-groups.json", change)


def _zone_file(snapshot: Path, zone_id: str) -> str:
    for path in sorted((snapshot / "route53").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "VPCs" in data and data.get("HostedZone", {}).get("Id", "").endswith(zone_id):
            return str(path.relative_to(snapshot))
    raise AssertionError(zone_id)


def remove_zone_association(snapshot: Path, zone_id: str, vpc_id: str) -> None:
    def change(data: Any) -> None:
        before = len(data["VPCs"])
        data["VPCs"] = [v for v in data["VPCs"] if v["VPCId"] != vpc_id]
        assert len(data["VPCs"]) == before - 1

    edit(snapshot, _zone_file(snapshot, zone_id), change)


def fail_nat(snapshot: Path, nat_id: str) -> None:
    def change(data: Any) -> None:
        for nat in data["NatGateways"]:
            if nat["NatGatewayId"] == nat_id:
                nat["State"] = "failed"
                nat["FailureCode"] = "InsufficientFreeAddressesInSubnet"
                nat["FailureMessage"] = "Subnet has insufficient free addresses"
                return
        raise AssertionError(nat_id)

    edit(snapshot, "ec2/describe-nat-gateways.json", change)
