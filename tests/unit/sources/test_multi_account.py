"""Several accounts and Regions in one snapshot: attribution, views merged, conflicts only
within one account and Region, Lambda names that collide (AWS CLI output shapes throughout)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vpcdoctor.errors import FunctionNotFound, SnapshotError
from vpcdoctor.graph.model import Origin
from vpcdoctor.graph.model.targets import find_function
from vpcdoctor.graph.sources import unused_files
from vpcdoctor.graph.sources.snapshot import load_snapshot

NET, APP = "111111111111", "222222222222"
R1, R2 = "ap-northeast-1", "us-east-1"
TGW = "tgw-0aa0000000000001"
ATT = "tgw-attach-0aa000000000001"


def write(path: Path, doc: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=4))


def vpc(vpc_id: str, owner: str, cidr: str) -> dict[str, Any]:
    return {
        "VpcId": vpc_id,
        "OwnerId": owner,
        "CidrBlock": cidr,
        "State": "available",
        "IsDefault": False,
        "DhcpOptionsId": "dopt-1",
        "InstanceTenancy": "default",
    }


def subnet(
    subnet_id: str, vpc_id: str, owner: str, az: str, cidr: str, **extra: Any
) -> dict[str, Any]:
    return {
        "SubnetId": subnet_id,
        "VpcId": vpc_id,
        "OwnerId": owner,
        "AvailabilityZone": az,
        "CidrBlock": cidr,
        "State": "available",
        "AvailableIpAddressCount": 250,
        **extra,
    }


def attachment(view: str, **extra: Any) -> dict[str, Any]:
    """describe-transit-gateway-attachments as each account prints the same attachment."""
    doc = {
        "TransitGatewayAttachmentId": ATT,
        "TransitGatewayId": TGW,
        "TransitGatewayOwnerId": NET,
        "ResourceOwnerId": APP,
        "ResourceType": "vpc",
        "ResourceId": "vpc-0bb0000000000001",
        "State": "available",
        "CreationTime": "2024-05-01T10:00:00+00:00",
        "Tags": [],
    }
    if view == NET:
        doc["Association"] = {
            "TransitGatewayRouteTableId": "tgw-rtb-0aa000000000001",
            "State": "associated",
        }
        doc["Tags"] = [{"Key": "Name", "Value": "app-spoke"}, {"Key": "team", "Value": "net"}]
    else:
        doc["Tags"] = [{"Key": "Name", "Value": "to-hub"}, {"Key": "cost", "Value": "app"}]
    doc.update(extra)
    return doc


def function(name: str, account: str, region: str) -> dict[str, Any]:
    return {
        "FunctionName": name,
        "FunctionArn": f"arn:aws:lambda:{region}:{account}:function:{name}",
        "Runtime": "python3.12",
        "Role": f"arn:aws:iam::{account}:role/fn",
        "Handler": "app.handler",
        "MemorySize": 128,
        "Timeout": 30,
        "PackageType": "Zip",
        "VpcConfig": {"SubnetIds": [], "SecurityGroupIds": []},
    }


@pytest.fixture
def two_accounts(tmp_path: Path) -> Path:
    """A network account (TGW owner) and an app account, each export in its own folder."""
    snap = tmp_path / "snap"
    write(
        snap / NET / R1 / "ec2/describe-vpcs.json",
        {"Vpcs": [vpc("vpc-0aa0000000000001", NET, "10.0.0.0/16")]},
    )
    write(
        snap / NET / R1 / "ec2/describe-transit-gateway-attachments.json",
        {"TransitGatewayAttachments": [attachment(NET)]},
    )
    write(
        snap / APP / R1 / "ec2/describe-vpcs.json",
        {"Vpcs": [vpc("vpc-0bb0000000000001", APP, "10.1.0.0/16")]},
    )
    write(
        snap / APP / R1 / "ec2/describe-transit-gateway-attachments.json",
        {"TransitGatewayAttachments": [attachment(APP)]},
    )
    # A subnet shared by the network account with the app account: both list it.
    shared = subnet(
        "subnet-0aa0000000000001", "vpc-0aa0000000000001", NET, "ap-northeast-1a", "10.0.1.0/24"
    )
    write(
        snap / NET / R1 / "ec2/describe-subnets.json",
        {"Subnets": [{**shared, "Tags": [{"Key": "Name", "Value": "shared-a"}]}]},
    )
    write(snap / APP / R1 / "ec2/describe-subnets.json", {"Subnets": [shared]})
    write(
        snap / APP / R1 / "lambda/list-functions.json", {"Functions": [function("orders", APP, R1)]}
    )
    write(
        snap / APP / R2 / "lambda/list-functions.json",
        {"Functions": [function("orders", APP, R2), function("billing", APP, R2)]},
    )
    write(
        snap / NET / R1 / "lambda/list-functions.json", {"Functions": [function("router", NET, R1)]}
    )
    return snap


def test_resources_are_attributed_to_account_and_region(two_accounts: Path) -> None:
    account = load_snapshot(two_accounts)
    assert account.accounts == (NET, APP) and account.regions == (R1, R2)
    assert account.origin_of("vpc-0aa0000000000001") == Origin(NET, R1)
    assert account.origin_of("vpc-0bb0000000000001") == Origin(APP, R1)
    # the shared subnet belongs to its owner, whoever exported it; its AZ names the Region
    assert account.origin_of("subnet-0aa0000000000001") == Origin(NET, R1)
    # the attachment belongs to the TGW owner
    assert account.origin_of(ATT) == Origin(NET, R1)
    # the primary account owns the most functions (3 of 4); the Regions tie (2 and 2): the
    # lowest name wins
    assert (account.account_id, account.region) == (APP, R1)


def test_views_of_one_resource_are_merged(two_accounts: Path) -> None:
    account = load_snapshot(two_accounts)
    att = account.transit_gateway_attachments[ATT]
    # the association comes from the TGW owner's view; the other view lacks it
    assert att.association_route_table_id == "tgw-rtb-0aa000000000001"
    assert att.association_state == "associated"
    assert att.transit_gateway_owner_id == NET and att.resource_owner_id == APP
    # tags merged; on a clash (Name) the owner's view wins
    assert dict(att.tags) == {"Name": "app-spoke", "team": "net", "cost": "app"}
    shared = account.subnets["subnet-0aa0000000000001"]
    assert shared.name == "shared-a"  # the participant's view has no tags


def test_the_same_merge_whichever_view_is_read_first(tmp_path: Path) -> None:
    results = []
    for first, second in ((NET, APP), (APP, NET)):
        snap = tmp_path / f"{first}-first"
        # folder names sort the first view first
        write(
            snap / f"a-{first}" / first / "tgw.json",
            {"TransitGatewayAttachments": [attachment(first)]},
        )
        write(
            snap / f"b-{second}" / second / "tgw.json",
            {"TransitGatewayAttachments": [attachment(second)]},
        )
        results.append(load_snapshot(snap).transit_gateway_attachments[ATT])
    assert results[0] == results[1]


def test_two_contents_from_the_same_account_and_region_conflict(tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    write(snap / APP / R1 / "a/tgw.json", {"TransitGatewayAttachments": [attachment(APP)]})
    write(
        snap / APP / R1 / "b/tgw.json",
        {"TransitGatewayAttachments": [attachment(APP, State="deleted")]},
    )
    with pytest.raises(SnapshotError) as info:
        load_snapshot(snap)
    text = str(info.value)
    assert "appears twice with different content" in text
    assert "a/tgw.json" in text and "b/tgw.json" in text


def test_flat_layout_attributes_by_owner_id_and_manifest(tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    write(
        snap / "describe-vpcs.json",
        {
            "Vpcs": [
                vpc("vpc-0aa0000000000001", NET, "10.0.0.0/16"),
                vpc("vpc-0bb0000000000001", APP, "10.1.0.0/16"),
            ]
        },
    )
    write(
        snap / "describe-nat-gateways.json",
        {
            "NatGateways": [
                {
                    "NatGatewayId": "nat-0aa0000000000001",
                    "State": "available",
                    "VpcId": "vpc-0aa0000000000001",
                    "SubnetId": "subnet-0aa0000000000001",
                    "ConnectivityType": "public",
                }
            ]
        },
    )
    write(snap / "manifest.json", {"vpcdoctor": "0", "account": APP, "region": R1})
    account = load_snapshot(snap)
    assert account.origin_of("vpc-0aa0000000000001") == Origin(NET, R1)  # its OwnerId
    assert account.origin_of("vpc-0bb0000000000001") == Origin(APP, R1)
    assert account.origin_of("nat-0aa0000000000001") == Origin(APP, R1)  # no owner: manifest
    assert (account.account_id, account.region) == (APP, R1)
    assert account.accounts == (NET, APP)


def test_folder_manifest_and_identity_name_the_exporting_account(tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    nat = {
        "NatGateways": [
            {
                "NatGatewayId": "nat-0aa0000000000001",
                "State": "available",
                "VpcId": "vpc-1",
                "SubnetId": "subnet-1",
            }
        ]
    }
    write(snap / "network" / "nat.json", nat)
    write(
        snap / "network" / "sts.json",
        {"UserId": "AIDA", "Account": NET, "Arn": f"arn:aws:iam::{NET}:user/x"},
    )
    nat2 = json.loads(json.dumps(nat))
    nat2["NatGateways"][0]["NatGatewayId"] = "nat-0bb0000000000001"
    write(snap / "app" / "eu-west-1" / "nat.json", nat2)
    write(snap / "app" / "manifest.json", {"vpcdoctor": "0", "account": APP, "region": R2})
    account = load_snapshot(snap)
    assert account.origin_of("nat-0aa0000000000001") == Origin(NET, None)
    assert account.origin_of("nat-0bb0000000000001") == Origin(APP, "eu-west-1")


def test_the_account_owning_the_functions_is_the_snapshots_account(tmp_path: Path) -> None:
    """Two exports with their own identity; only the workload account has functions. The
    network export is read first (its folder sorts first) and names its account in ARNs."""
    snap = tmp_path / "snap"
    for folder, owner in (("a-network", NET), ("b-workload", APP)):
        write(
            snap / folder / "sts" / "get-caller-identity.json",
            {"UserId": "AROA:x", "Account": owner, "Arn": f"arn:aws:sts::{owner}:assumed-role/r/x"},
        )
    hub = {
        "TransitGatewayId": TGW,
        "TransitGatewayArn": f"arn:aws:ec2:{R1}:{NET}:transit-gateway/{TGW}",
        "State": "available",
        "OwnerId": NET,
    }
    write(snap / "a-network" / "ec2" / "describe-transit-gateways.json", {"TransitGateways": [hub]})
    write(
        snap / "b-workload" / "lambda" / "list-functions.json",
        {"Functions": [function("orders", APP, R1)]},
    )
    account = load_snapshot(snap)
    assert account.accounts == (NET, APP)
    assert account.account_id == APP


def test_colliding_function_names_are_keyed_by_arn(two_accounts: Path) -> None:
    account = load_snapshot(two_accounts)
    arn1 = f"arn:aws:lambda:{R1}:{APP}:function:orders"
    arn2 = f"arn:aws:lambda:{R2}:{APP}:function:orders"
    assert set(account.functions) == {arn1, arn2, "billing", "router"}
    assert account.origin_of(arn2) == Origin(APP, R2)
    assert account.origin_of("router") == Origin(NET, R1)
    assert find_function(account, arn1).arn == arn1
    assert find_function(account, arn2 + ":live").arn == arn2  # a qualified ARN
    assert find_function(account, "billing").name == "billing"
    assert find_function(account, f"arn:aws:lambda:{R2}:{APP}:function:billing").name == "billing"
    with pytest.raises(FunctionNotFound) as info:
        find_function(account, "orders")
    assert arn1 in str(info.value) and arn2 in str(info.value)
    assert "2 Lambda functions are named 'orders'" in str(info.value)


def test_per_function_outputs_go_to_the_function_of_their_account(two_accounts: Path) -> None:
    write(
        two_accounts / APP / R2 / "lambda/get-function-concurrency@orders.json",
        {"ReservedConcurrentExecutions": 7},
    )
    account = load_snapshot(two_accounts)
    assert account.functions[f"arn:aws:lambda:{R2}:{APP}:function:orders"].reserved_concurrency == 7
    r1 = account.functions[f"arn:aws:lambda:{R1}:{APP}:function:orders"]
    assert r1.reserved_concurrency is None and not r1.concurrency_known


def test_unused_files_say_why(two_accounts: Path) -> None:
    (two_accounts / "README.md").write_text("notes")
    write(two_accounts / "list.json", {"Nope": 1})
    (two_accounts / "empty.json").write_text("")
    account = load_snapshot(two_accounts)
    why = {Path(s.path).name: s.note for s in unused_files(account)}
    assert why["README.md"] == "not used: not a .json file"
    assert why["list.json"].startswith("not used: not a recognised AWS CLI output")
    assert why["empty.json"] == "not used: empty file"
    assert all(s.kind is None for s in unused_files(account))


def peering(view: str) -> dict[str, Any]:
    """describe-vpc-peering-connections as each side prints a cross-account peering."""
    doc: dict[str, Any] = {
        "VpcPeeringConnectionId": "pcx-0aa0000000000001",
        "Status": {"Code": "active", "Message": "Active"},
        "RequesterVpcInfo": {"VpcId": "vpc-0aa0000000000001", "OwnerId": NET, "Region": R1,
                             "CidrBlock": "10.0.0.0/16"},
        "AccepterVpcInfo": {"VpcId": "vpc-0bb0000000000001", "OwnerId": APP, "Region": R1},
        "Tags": [{"Key": "Name", "Value": f"seen-from-{view}"}],
    }  # fmt: skip
    if view == APP:  # the accepter sees its own CIDR, the requester's too
        doc["AccepterVpcInfo"]["CidrBlock"] = "10.1.0.0/16"
    return doc


def test_peering_and_shared_tgw_seen_from_both_sides(tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    tgw = {"TransitGatewayId": TGW, "OwnerId": NET, "State": "available",
           "TransitGatewayArn": f"arn:aws:ec2:{R1}:{NET}:transit-gateway/{TGW}"}  # fmt: skip
    owner_view = {**tgw, "Options": {"AssociationDefaultRouteTableId": "tgw-rtb-0aa000000000001"}}
    for view, tgw_doc in ((NET, owner_view), (APP, tgw)):
        write(snap / view / R1 / "pcx.json", {"VpcPeeringConnections": [peering(view)]})
        write(snap / view / R1 / "tgw.json", {"TransitGateways": [tgw_doc]})
    account = load_snapshot(snap)
    pcx = account.peering_connections["pcx-0aa0000000000001"]
    assert [str(c) for c in pcx.accepter.cidrs] == ["10.1.0.0/16"]  # only one view had it
    assert dict(pcx.tags) == {"Name": f"seen-from-{NET}"}  # the requester (owner) view wins
    assert account.origin_of("pcx-0aa0000000000001") == Origin(NET, R1)
    shared = account.transit_gateways[TGW]
    assert shared.association_default_route_table_id == "tgw-rtb-0aa000000000001"
    assert account.origin_of(TGW) == Origin(NET, R1)
