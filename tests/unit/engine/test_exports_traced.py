"""More traces from unmodified AWS CLI exports: a peering between two accounts (each side's own
view of it) and a dual-stack VPC whose network ACLs carry AWS's own 32767 / 32768 `*` rules.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support import exports as cli
from tests.support.exports import AZ, NO_DNS, REGION
from tests.unit.engine.test_multi_account_trace import APP, NET
from vpcdoctor.diagnostics.diagnose import check
from vpcdoctor.graph.engine.graph import build_graph
from vpcdoctor.graph.model.verdict import Verdict
from vpcdoctor.graph.sources.snapshot import load_snapshot

PCX = "pcx-0aa00000000000001"


def _write(root: Path, files: dict[str, dict[str, dict[str, Any]]], layout: str) -> Path:
    for account, docs in files.items():
        for name, doc in {**docs, **NO_DNS}.items():
            base = (
                root / account / REGION if layout == "folders" else root / f"export-{account[-1]}"
            )
            path = base / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(doc, indent=4))
    return root


def _sg(group: str, vpc: str, owner: str, ingress: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "GroupId": group,
        "GroupName": group,
        "Description": group,
        "VpcId": vpc,
        "OwnerId": owner,
        "IpPermissions": ingress,
        "IpPermissionsEgress": [
            {
                "IpProtocol": "-1",
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
            }
        ],
    }


def _eni(
    eni: str, subnet: str, vpc: str, owner: str, ip: str, group: str, **extra: Any
) -> dict[str, Any]:
    return {
        "NetworkInterfaceId": eni,
        "SubnetId": subnet,
        "VpcId": vpc,
        "AvailabilityZone": AZ,
        "InterfaceType": extra.pop("InterfaceType", "interface"),
        "Status": "in-use",
        "OwnerId": owner,
        "PrivateIpAddress": ip,
        "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": ip}],
        "Groups": [{"GroupId": group, "GroupName": group}],
        "SourceDestCheck": True,
        "TagSet": [],
        **extra,
    }


def _function(
    name: str, owner: str, subnet: str, vpc: str, group: str, *, ipv6: bool = False
) -> dict[str, Any]:
    return {
        "FunctionName": name,
        "FunctionArn": f"arn:aws:lambda:{REGION}:{owner}:function:{name}",
        "Runtime": "python3.12",
        "Role": f"arn:aws:iam::{owner}:role/{name}",
        "Handler": "app.handler",
        "State": "Active",
        "LastUpdateStatus": "Successful",
        "PackageType": "Zip",
        "VpcConfig": {
            "SubnetIds": [subnet],
            "SecurityGroupIds": [group],
            "VpcId": vpc,
            "Ipv6AllowedForDualStack": ipv6,
        },
    }


def _dns_attributes(vpc: str) -> dict[str, dict[str, Any]]:
    return {
        f"ec2/describe-vpc-attribute-enableDnsSupport@{vpc}.json": {
            "VpcId": vpc,
            "EnableDnsSupport": {"Value": True},
        },
        f"ec2/describe-vpc-attribute-enableDnsHostnames@{vpc}.json": {
            "VpcId": vpc,
            "EnableDnsHostnames": {"Value": True},
        },
    }


def _peering(view: str) -> dict[str, Any]:
    """describe-vpc-peering-connections as each side prints the same connection."""
    side = {
        "OwnerId": APP,
        "VpcId": "vpc-0aa0000000000spk",
        "Region": REGION,
        "CidrBlock": "10.1.0.0/16",
    }
    peer = {
        "OwnerId": NET,
        "VpcId": "vpc-0aa0000000000svc",
        "Region": REGION,
        "CidrBlock": "10.9.0.0/16",
    }
    return {
        "VpcPeeringConnectionId": PCX,
        "RequesterVpcInfo": side,
        "AccepterVpcInfo": peer,
        "Status": {"Code": "active", "Message": "Active"},
        "Tags": [{"Key": "Name", "Value": f"seen-from-{view}"}],
    }


def _peering_files(
    *, service_admits: bool, back_route: bool
) -> dict[str, dict[str, dict[str, Any]]]:
    spk, svc = "vpc-0aa0000000000spk", "vpc-0aa0000000000svc"
    ingress = (
        [
            {
                "IpProtocol": "tcp",
                "FromPort": 5432,
                "ToPort": 5432,
                "IpRanges": [{"CidrIp": "10.1.0.0/16"}],
            }
        ]
        if service_admits
        else []
    )
    svc_routes = [cli.local("10.9.0.0/16")] + (
        [cli.route("10.1.0.0/16", VpcPeeringConnectionId=PCX)] if back_route else []
    )
    return {
        APP: {
            "ec2/describe-vpcs.json": {"Vpcs": [cli.vpc(spk, APP, "10.1.0.0/16")]},
            "ec2/describe-subnets.json": {
                "Subnets": [cli.subnet("subnet-0aa000000000spk", spk, APP, "10.1.1.0/24")]
            },
            "ec2/describe-route-tables.json": {
                "RouteTables": [
                    cli.table(
                        "rtb-0aa000000000spk",
                        spk,
                        APP,
                        ["subnet-0aa000000000spk"],
                        [
                            cli.local("10.1.0.0/16"),
                            cli.route("10.9.0.0/16", VpcPeeringConnectionId=PCX),
                        ],
                    )
                ]
            },
            "ec2/describe-network-acls.json": {
                "NetworkAcls": [
                    cli.acl("acl-0aa000000000spk", spk, APP, ["subnet-0aa000000000spk"], ipv6=False)
                ]
            },
            "ec2/describe-security-groups.json": {
                "SecurityGroups": [_sg("sg-0aa00000000000fn", spk, APP, [])]
            },
            "ec2/describe-network-interfaces.json": {
                "NetworkInterfaces": [
                    _eni(
                        "eni-0aa00000000000fn",
                        "subnet-0aa000000000spk",
                        spk,
                        APP,
                        "10.1.1.10",
                        "sg-0aa00000000000fn",
                        InterfaceType="lambda",
                        RequesterManaged=True,
                    )
                ]
            },
            "ec2/describe-vpc-peering-connections.json": {
                "VpcPeeringConnections": [_peering("workload")]
            },
            "lambda/get-function-configuration@worker.json": _function(
                "worker", APP, "subnet-0aa000000000spk", spk, "sg-0aa00000000000fn"
            ),
            "sts/get-caller-identity.json": {
                "UserId": "AIDAEXAMPLE",
                "Account": APP,
                "Arn": f"arn:aws:iam::{APP}:user/export",
            },
            **_dns_attributes(spk),
        },
        NET: {
            "ec2/describe-vpcs.json": {"Vpcs": [cli.vpc(svc, NET, "10.9.0.0/16")]},
            "ec2/describe-subnets.json": {
                "Subnets": [cli.subnet("subnet-0aa000000000svc", svc, NET, "10.9.5.0/24")]
            },
            "ec2/describe-route-tables.json": {
                "RouteTables": [
                    cli.table(
                        "rtb-0aa000000000svc", svc, NET, ["subnet-0aa000000000svc"], svc_routes
                    )
                ]
            },
            "ec2/describe-network-acls.json": {
                "NetworkAcls": [
                    cli.acl("acl-0aa000000000svc", svc, NET, ["subnet-0aa000000000svc"], ipv6=False)
                ]
            },
            "ec2/describe-security-groups.json": {
                "SecurityGroups": [_sg("sg-0aa0000000000db1", svc, NET, ingress)]
            },
            "ec2/describe-network-interfaces.json": {
                "NetworkInterfaces": [
                    _eni(
                        "eni-0aa00000000000db",
                        "subnet-0aa000000000svc",
                        svc,
                        NET,
                        "10.9.5.20",
                        "sg-0aa0000000000db1",
                    )
                ]
            },
            "ec2/describe-vpc-peering-connections.json": {
                "VpcPeeringConnections": [_peering("network")]
            },
            "sts/get-caller-identity.json": {
                "UserId": "AIDAEXAMPLE",
                "Account": NET,
                "Arn": f"arn:aws:iam::{NET}:user/export",
            },
        },
    }


@pytest.mark.parametrize("layout", ["folders", "flat"])
def test_a_peering_between_two_accounts_seen_from_both_sides(tmp_path: Path, layout: str) -> None:
    account = load_snapshot(
        _write(tmp_path, _peering_files(service_admits=True, back_route=True), layout)
    )
    assert account.peering_connections[PCX].status == "active"  # two views, one connection
    result = check(build_graph(account), "worker", "10.9.5.20:5432")
    assert result.verdict is Verdict.REACHABLE, result.to_json()


@pytest.mark.parametrize(
    ("admits", "back", "blocking"),
    [
        (False, True, ("sg-0aa0000000000db1", "ENI_SG_RULES_MISMATCH")),
        (True, False, ("rtb-0aa000000000svc", "NO_ROUTE_TO_DESTINATION")),
    ],
)
def test_the_other_account_decides_the_ingress_and_the_way_back(
    tmp_path: Path, admits: bool, back: bool, blocking: tuple[str, str]
) -> None:
    account = load_snapshot(
        _write(tmp_path, _peering_files(service_admits=admits, back_route=back), "folders")
    )
    result = check(build_graph(account), "worker", "10.9.5.20:5432")
    assert result.verdict is Verdict.UNREACHABLE
    assert (
        result.blocking is not None and (result.blocking.resource, result.blocking.code) == blocking
    )


def _dual_stack(*, ipv6_allowed: bool) -> dict[str, dict[str, dict[str, Any]]]:
    vpc, priv, pub = "vpc-0aa00000000dual", "subnet-0aa0000000priv", "subnet-0aa00000000pub"
    doc = cli.vpc(vpc, APP, "10.4.0.0/16")
    doc["Ipv6CidrBlockAssociationSet"] = [
        {
            "AssociationId": "vpc-cidr-assoc-6",
            "Ipv6CidrBlock": "2600:1f18:aaaa:bb00::/56",
            "Ipv6CidrBlockState": {"State": "associated"},
        }
    ]

    def v6(subnet: dict[str, Any], block: str) -> dict[str, Any]:
        subnet["Ipv6CidrBlockAssociationSet"] = [
            {
                "AssociationId": f"subnet-cidr-assoc-{block[-5:-3]}",
                "Ipv6CidrBlock": block,
                "Ipv6CidrBlockState": {"State": "associated"},
            }
        ]
        return subnet

    return {
        APP: {
            "ec2/describe-vpcs.json": {"Vpcs": [doc]},
            "ec2/describe-subnets.json": {
                "Subnets": [
                    v6(cli.subnet(priv, vpc, APP, "10.4.1.0/24"), "2600:1f18:aaaa:bb01::/64"),
                    v6(cli.subnet(pub, vpc, APP, "10.4.0.0/24"), "2600:1f18:aaaa:bb00::/64"),
                ]
            },
            "ec2/describe-route-tables.json": {
                "RouteTables": [
                    cli.table(
                        "rtb-0aa0000000priv",
                        vpc,
                        APP,
                        [priv],
                        [
                            cli.local("10.4.0.0/16"),
                            {
                                "DestinationIpv6CidrBlock": "2600:1f18:aaaa:bb00::/56",
                                "GatewayId": "local",
                                "State": "active",
                                "Origin": "CreateRouteTable",
                            },
                            cli.route("0.0.0.0/0", NatGatewayId="nat-0aa00000000dual"),
                            {
                                "DestinationIpv6CidrBlock": "::/0",
                                "EgressOnlyInternetGatewayId": "eigw-0aa0000000dual",
                                "State": "active",
                                "Origin": "CreateRoute",
                            },
                        ],
                    ),
                    cli.table(
                        "rtb-0aa00000000pub",
                        vpc,
                        APP,
                        [pub],
                        [
                            cli.local("10.4.0.0/16"),
                            cli.route("0.0.0.0/0", GatewayId="igw-0aa00000000dual"),
                        ],
                    ),
                ]
            },
            "ec2/describe-network-acls.json": {
                "NetworkAcls": [cli.acl("acl-0aa00000000dual", vpc, APP, [priv, pub], ipv6=True)]
            },
            "ec2/describe-security-groups.json": {
                "SecurityGroups": [_sg("sg-0aa0000000dualfn", vpc, APP, [])]
            },
            "ec2/describe-network-interfaces.json": {
                "NetworkInterfaces": [
                    _eni(
                        "eni-0aa0000000dualfn",
                        priv,
                        vpc,
                        APP,
                        "10.4.1.10",
                        "sg-0aa0000000dualfn",
                        InterfaceType="lambda",
                        RequesterManaged=True,
                        Ipv6Addresses=[{"Ipv6Address": "2600:1f18:aaaa:bb01::10"}],
                    )
                ]
            },
            "ec2/describe-nat-gateways.json": {
                "NatGateways": [
                    {
                        "NatGatewayId": "nat-0aa00000000dual",
                        "VpcId": vpc,
                        "SubnetId": pub,
                        "State": "available",
                        "ConnectivityType": "public",
                        "NatGatewayAddresses": [
                            {
                                "AllocationId": "eipalloc-0aa0000000dual",
                                "PrivateIp": "10.4.0.10",
                                "PublicIp": "203.0.113.40",
                                "IsPrimary": True,
                            }
                        ],
                    }
                ]
            },
            "ec2/describe-internet-gateways.json": {
                "InternetGateways": [
                    {
                        "InternetGatewayId": "igw-0aa00000000dual",
                        "OwnerId": APP,
                        "Attachments": [{"VpcId": vpc, "State": "available"}],
                    }
                ]
            },
            "ec2/describe-egress-only-internet-gateways.json": {
                "EgressOnlyInternetGateways": [
                    {
                        "EgressOnlyInternetGatewayId": "eigw-0aa0000000dual",
                        "Attachments": [{"VpcId": vpc, "State": "attached"}],
                    }
                ]
            },
            "lambda/get-function-configuration@dual.json": _function(
                "dual", APP, priv, vpc, "sg-0aa0000000dualfn", ipv6=ipv6_allowed
            ),
            **_dns_attributes(vpc),
        }
    }


def test_an_unmodified_dual_stack_export_loads_and_both_families_are_walked(tmp_path: Path) -> None:
    account = load_snapshot(_write(tmp_path, _dual_stack(ipv6_allowed=True), "folders"))
    acl = account.network_acls["acl-0aa00000000dual"]
    assert {e.rule_number for e in acl.entries if e.is_default_deny} == {32767, 32768}
    graph = build_graph(account)
    assert check(graph, "dual", "1.1.1.1").verdict is Verdict.REACHABLE
    v6 = check(graph, "dual", "[2606:4700:4700::1111]:443")
    assert v6.verdict is Verdict.REACHABLE, v6.to_json()
    assert any(h.resource == "eigw-0aa0000000dual" for h in v6.paths[0].hops)


def test_ipv6_needs_the_function_to_allow_it(tmp_path: Path) -> None:
    account = load_snapshot(_write(tmp_path, _dual_stack(ipv6_allowed=False), "folders"))
    result = check(build_graph(account), "dual", "[2606:4700:4700::1111]:443")
    assert result.blocking is not None and result.blocking.code == "LAMBDA_IPV6_NOT_ALLOWED"
