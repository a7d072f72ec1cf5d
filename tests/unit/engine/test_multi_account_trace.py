"""One trace across two accounts, from their own AWS CLI exports (issue 13 item 7).

The network account (111111111111) owns a transit gateway shared through RAM and the egress
VPC (NAT gateway, internet gateway); the workload account (222222222222) owns the spoke VPC and
the function. Each account's export sees the TGW attachment from its own side (the workload
view lacks the association). The snapshot is laid out as users have it: in account folders, and
flat (every output naming its OwnerId). The trace leaves the spoke, crosses the shared transit
gateway into the other account's egress VPC, leaves through its NAT, and its reply comes back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support import exports as cli
from tests.support.exports import AZ, NO_DNS, REGION
from vpcdoctor.diagnostics.diagnose import check
from vpcdoctor.graph.engine.graph import build_graph
from vpcdoctor.graph.model.verdict import Direction, Verdict
from vpcdoctor.graph.sources.snapshot import load_snapshot

NET, APP = "111111111111", "222222222222"
TGW = "tgw-0aa00000000000001"
ATT_SPOKE = "tgw-attach-0aa0000000000001"
ATT_EGRESS = "tgw-attach-0aa0000000000002"
RT_SPOKES = "tgw-rtb-0aa0000000000001"
RT_EGRESS = "tgw-rtb-0aa0000000000002"


def _attachment(att: str, vpc: str, owner_view: str, *, associated: str | None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "TransitGatewayAttachmentId": att,
        "TransitGatewayId": TGW,
        "TransitGatewayOwnerId": NET,
        "ResourceOwnerId": APP if vpc == "vpc-0aa0000000000spk" else NET,
        "ResourceType": "vpc",
        "ResourceId": vpc,
        "State": "available",
        "Tags": [{"Key": "Name", "Value": f"seen-from-{owner_view}"}],
    }
    if associated is not None:
        doc["Association"] = {"TransitGatewayRouteTableId": associated, "State": "associated"}
    return doc


def _spoke_files(*, spoke_return: bool) -> dict[str, dict[str, Any]]:
    vpc, subnet = "vpc-0aa0000000000spk", "subnet-0aa000000000spk"
    return {
        "ec2/describe-vpcs.json": {"Vpcs": [cli.vpc(vpc, APP, "10.1.0.0/16")]},
        "ec2/describe-subnets.json": {"Subnets": [cli.subnet(subnet, vpc, APP, "10.1.1.0/24")]},
        "ec2/describe-route-tables.json": {
            "RouteTables": [
                cli.table(
                    "rtb-0aa000000000spk",
                    vpc,
                    APP,
                    [subnet],
                    [cli.local("10.1.0.0/16"), cli.route("0.0.0.0/0", TransitGatewayId=TGW)],
                )
            ]
        },
        "ec2/describe-network-acls.json": {
            "NetworkAcls": [cli.acl("acl-0aa000000000spk", vpc, APP, [subnet])]
        },
        "ec2/describe-security-groups.json": {
            "SecurityGroups": [
                {
                    "GroupId": "sg-0aa00000000000fn",
                    "GroupName": "fn",
                    "Description": "fn",
                    "VpcId": vpc,
                    "OwnerId": APP,
                    "IpPermissions": [],
                    "IpPermissionsEgress": [
                        {
                            "IpProtocol": "-1",
                            "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                            "Ipv6Ranges": [],
                            "PrefixListIds": [],
                            "UserIdGroupPairs": [],
                        }
                    ],
                }
            ]
        },
        "ec2/describe-network-interfaces.json": {
            "NetworkInterfaces": [
                {
                    "NetworkInterfaceId": "eni-0aa00000000000fn",
                    "SubnetId": subnet,
                    "VpcId": vpc,
                    "AvailabilityZone": AZ,
                    "InterfaceType": "lambda",
                    "RequesterManaged": True,
                    "RequesterId": "AROAEXAMPLE:lambda",
                    "Description": "AWS Lambda VPC ENI-worker",
                    "Status": "in-use",
                    "OwnerId": APP,
                    "PrivateIpAddress": "10.1.1.10",
                    "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": "10.1.1.10"}],
                    "Groups": [{"GroupId": "sg-0aa00000000000fn", "GroupName": "fn"}],
                    "Attachment": {
                        "AttachmentId": "ela-attach-0aa0000000000001",
                        "Status": "attached",
                        "InstanceOwnerId": "amazon-aws",
                    },
                    "SourceDestCheck": True,
                    "TagSet": [],
                }
            ]
        },
        "ec2/describe-transit-gateway-attachments.json": {
            "TransitGatewayAttachments": [_attachment(ATT_SPOKE, vpc, "workload", associated=None)]
        },
        "ec2/describe-transit-gateway-vpc-attachments.json": {
            "TransitGatewayVpcAttachments": [
                {
                    "TransitGatewayAttachmentId": ATT_SPOKE,
                    "TransitGatewayId": TGW,
                    "VpcId": vpc,
                    "VpcOwnerId": APP,
                    "State": "available",
                    "SubnetIds": [subnet],
                }
            ]
        },
        "lambda/get-function-configuration@worker.json": {
            "FunctionName": "worker",
            "FunctionArn": f"arn:aws:lambda:{REGION}:{APP}:function:worker",
            "Runtime": "python3.12",
            "Role": f"arn:aws:iam::{APP}:role/worker",
            "Handler": "app.handler",
            "MemorySize": 256,
            "Timeout": 30,
            "State": "Active",
            "LastUpdateStatus": "Successful",
            "PackageType": "Zip",
            "VpcConfig": {
                "SubnetIds": [subnet],
                "SecurityGroupIds": ["sg-0aa00000000000fn"],
                "VpcId": vpc,
            },
        },
        "sts/get-caller-identity.json": {
            "UserId": "AIDAEXAMPLE",
            "Account": APP,
            "Arn": f"arn:aws:iam::{APP}:user/export",
        },
        f"ec2/describe-vpc-attribute-enableDnsSupport@{vpc}.json": {
            "VpcId": vpc,
            "EnableDnsSupport": {"Value": True},
        },
        f"ec2/describe-vpc-attribute-enableDnsHostnames@{vpc}.json": {
            "VpcId": vpc,
            "EnableDnsHostnames": {"Value": True},
        },
    }


def _network_files(*, return_route: bool) -> dict[str, dict[str, Any]]:
    vpc, tgw_subnet, pub = (
        "vpc-0aa0000000000egr",
        "subnet-0aa000000000tgw",
        "subnet-0aa000000000pub",
    )
    pub_routes = [cli.local("10.9.0.0/16"), cli.route("0.0.0.0/0", GatewayId="igw-0aa000000000egr")]
    if return_route:
        pub_routes.append(cli.route("10.1.0.0/16", TransitGatewayId=TGW))
    return {
        "ec2/describe-vpcs.json": {"Vpcs": [cli.vpc(vpc, NET, "10.9.0.0/16")]},
        "ec2/describe-subnets.json": {
            "Subnets": [
                cli.subnet(tgw_subnet, vpc, NET, "10.9.0.0/24"),
                cli.subnet(pub, vpc, NET, "10.9.1.0/24"),
            ]
        },
        "ec2/describe-route-tables.json": {
            "RouteTables": [
                cli.table(
                    "rtb-0aa000000000tgw",
                    vpc,
                    NET,
                    [tgw_subnet],
                    [
                        cli.local("10.9.0.0/16"),
                        cli.route("0.0.0.0/0", NatGatewayId="nat-0aa000000000egr"),
                    ],
                ),
                cli.table("rtb-0aa000000000pub", vpc, NET, [pub], pub_routes),
            ]
        },
        "ec2/describe-network-acls.json": {
            "NetworkAcls": [cli.acl("acl-0aa000000000egr", vpc, NET, [tgw_subnet, pub])]
        },
        "ec2/describe-security-groups.json": {"SecurityGroups": []},
        "ec2/describe-network-interfaces.json": {"NetworkInterfaces": []},
        "ec2/describe-nat-gateways.json": {
            "NatGateways": [
                {
                    "NatGatewayId": "nat-0aa000000000egr",
                    "VpcId": vpc,
                    "SubnetId": pub,
                    "State": "available",
                    "ConnectivityType": "public",
                    "NatGatewayAddresses": [
                        {
                            "AllocationId": "eipalloc-0aa00000000001",
                            "NetworkInterfaceId": "eni-0aa0000000000nat",
                            "PrivateIp": "10.9.1.10",
                            "PublicIp": "203.0.113.10",
                            "IsPrimary": True,
                        }
                    ],
                }
            ]
        },
        "ec2/describe-internet-gateways.json": {
            "InternetGateways": [
                {
                    "InternetGatewayId": "igw-0aa000000000egr",
                    "OwnerId": NET,
                    "Attachments": [{"VpcId": vpc, "State": "available"}],
                    "Tags": [],
                }
            ]
        },
        "ec2/describe-transit-gateways.json": {
            "TransitGateways": [
                {
                    "TransitGatewayId": TGW,
                    "TransitGatewayArn": f"arn:aws:ec2:{REGION}:{NET}:transit-gateway/{TGW}",
                    "State": "available",
                    "OwnerId": NET,
                    "Options": {
                        "AssociationDefaultRouteTableId": RT_SPOKES,
                        "PropagationDefaultRouteTableId": RT_SPOKES,
                    },
                }
            ]
        },
        "ec2/describe-transit-gateway-attachments.json": {
            "TransitGatewayAttachments": [
                _attachment(ATT_SPOKE, "vpc-0aa0000000000spk", "network", associated=RT_SPOKES),
                _attachment(ATT_EGRESS, vpc, "network", associated=RT_EGRESS),
            ]
        },
        "ec2/describe-transit-gateway-vpc-attachments.json": {
            "TransitGatewayVpcAttachments": [
                {
                    "TransitGatewayAttachmentId": ATT_EGRESS,
                    "TransitGatewayId": TGW,
                    "VpcId": vpc,
                    "VpcOwnerId": NET,
                    "State": "available",
                    "SubnetIds": [tgw_subnet],
                }
            ]
        },
        "ec2/describe-transit-gateway-route-tables.json": {
            "TransitGatewayRouteTables": [
                {
                    "TransitGatewayRouteTableId": t,
                    "TransitGatewayId": TGW,
                    "State": "available",
                    "DefaultAssociationRouteTable": t == RT_SPOKES,
                    "DefaultPropagationRouteTable": t == RT_SPOKES,
                }
                for t in (RT_SPOKES, RT_EGRESS)
            ]
        },
        f"ec2/search-transit-gateway-routes@{RT_SPOKES}.json": {
            "Routes": [
                {
                    "DestinationCidrBlock": "0.0.0.0/0",
                    "TransitGatewayAttachments": [
                        {
                            "ResourceId": vpc,
                            "TransitGatewayAttachmentId": ATT_EGRESS,
                            "ResourceType": "vpc",
                        }
                    ],
                    "Type": "static",
                    "State": "active",
                }
            ],
            "AdditionalRoutesAvailable": False,
        },
        f"ec2/search-transit-gateway-routes@{RT_EGRESS}.json": {
            "Routes": [
                {
                    "DestinationCidrBlock": "10.1.0.0/16",
                    "TransitGatewayAttachments": [
                        {
                            "ResourceId": "vpc-0aa0000000000spk",
                            "TransitGatewayAttachmentId": ATT_SPOKE,
                            "ResourceType": "vpc",
                        }
                    ],
                    "Type": "propagated",
                    "State": "active",
                }
            ],
            "AdditionalRoutesAvailable": False,
        },
        "sts/get-caller-identity.json": {
            "UserId": "AIDAEXAMPLE",
            "Account": NET,
            "Arn": f"arn:aws:iam::{NET}:user/export",
        },
    }


def _write(root: Path, layout: str, *, return_route: bool = True) -> Path:
    for account, files in (
        (APP, _spoke_files(spoke_return=True)),
        (NET, _network_files(return_route=return_route)),
    ):
        for name, doc in {**files, **NO_DNS}.items():
            if layout == "folders":
                path = root / account / REGION / name
            else:  # flat: one folder per account's export, no account-named folders
                path = root / f"export-{account[-1]}" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(doc, indent=4))
    return root


@pytest.mark.parametrize("layout", ["folders", "flat"])
def test_centralized_egress_across_two_accounts(tmp_path: Path, layout: str) -> None:
    account = load_snapshot(_write(tmp_path, layout))
    assert set(account.accounts) >= {NET, APP}
    assert account.origin_of("vpc-0aa0000000000spk").account == APP
    assert account.origin_of("vpc-0aa0000000000egr").account == NET
    # the two views of the spoke attachment are one resource, with the TGW owner's association
    assert account.transit_gateway_attachments[ATT_SPOKE].association_route_table_id == RT_SPOKES
    result = check(build_graph(account), "worker", "api.stripe.com")
    assert result.verdict is Verdict.REACHABLE, result.to_json()
    request = [h.resource for h in result.paths[0].hops if h.direction is Direction.REQUEST]
    assert "nat-0aa000000000egr" in request and "igw-0aa000000000egr" in request


@pytest.mark.parametrize("layout", ["folders", "flat"])
def test_the_other_accounts_missing_return_route_is_found(tmp_path: Path, layout: str) -> None:
    account = load_snapshot(_write(tmp_path, layout, return_route=False))
    result = check(build_graph(account), "worker", "api.stripe.com")
    assert result.verdict is Verdict.UNREACHABLE
    assert result.blocking is not None
    assert (result.blocking.resource, result.blocking.code) == (
        "rtb-0aa000000000pub",
        "RESPONSE_RTB_HAS_NO_ROUTE_TO_TRANSIT_GATEWAY",
    )


@pytest.mark.parametrize("layout", ["folders", "flat"])
def test_one_accounts_eni_export_does_not_speak_for_the_other(tmp_path: Path, layout: str) -> None:
    """An address in the egress VPC that no ENI holds: unreachable when the network account's
    describe-network-interfaces is there, unknown when only the workload account's is."""
    root = _write(tmp_path, layout)
    target = "10.9.1.50:443"
    result = check(build_graph(load_snapshot(root)), "worker", target)
    assert result.verdict is Verdict.UNREACHABLE, result.to_json()
    folder = root / NET / REGION if layout == "folders" else root / f"export-{NET[-1]}"
    (folder / "ec2/describe-network-interfaces.json").unlink()
    account = load_snapshot(root)
    assert account.has("describe-network-interfaces")
    assert not account.has("describe-network-interfaces", NET)
    result = check(build_graph(account), "worker", target)
    assert result.verdict is Verdict.UNKNOWN, result.to_json()


def test_the_association_is_unknown_without_the_tgw_owners_export(tmp_path: Path) -> None:
    """The workload account's view of its attachment has no association (only the TGW owner
    prints it): without the owner's describe-transit-gateway-attachments the verdict is
    unknown, not "associated with no route table"."""
    root = _write(tmp_path, "folders")
    (root / NET / REGION / "ec2/describe-transit-gateway-attachments.json").unlink()
    result = check(build_graph(load_snapshot(root)), "worker", "api.stripe.com")
    assert result.verdict is Verdict.UNKNOWN, result.to_json()
    assert not any(
        h.code == "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION" for p in result.paths for h in p.hops
    )


def test_an_export_of_unknown_account_does_not_vouch_for_one_that_exported_itself(
    tmp_path: Path,
) -> None:
    """Found by the deletion fuzz test: without the workload export's get-caller-identity, its
    (unattributed) TGW attachments listing vouched for the network account, whose own export
    lacked them: the spoke's missing association read 'unreachable' instead of 'unknown'."""
    import shutil

    from vpcdoctor.graph.sources.opener import demo_snapshot_dir

    snap = tmp_path / "snap"
    shutil.copytree(demo_snapshot_dir(), snap)
    (snap / "739204815562" / "ec2" / "describe-transit-gateway-attachments.json").unlink()
    whole = check(load_snapshot(snap), "shipping-quotes", "api.stripe.com")
    # only the TGW owner's export lists the association: without it, undecided
    assert str(whole.verdict) == "unknown", whole.blocking
    (snap / "sts" / "get-caller-identity.json").unlink()
    result = check(load_snapshot(snap), "shipping-quotes", "api.stripe.com")
    assert str(result.verdict) == "unknown", result.blocking
