"""Output recorded from a moto server (real HTTP on 127.0.0.1) loads as a snapshot.

Resources are created with boto3 against moto, the describe/list responses are dumped as files
the way the AWS CLI would print them (``ResponseMetadata`` dropped, timestamps as ISO strings),
and the directory is loaded offline.
"""

from __future__ import annotations

import datetime
import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vpcdoctor.graph.model import (
    Account,
    NatState,
    RouteTargetType,
)
from vpcdoctor.graph.sources.snapshot import load_snapshot

pytestmark = pytest.mark.moto

REGION = "ap-northeast-1"


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def _client(service: str, url: str) -> Any:
    import boto3

    return boto3.client(
        service,
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        aws_session_token="testing",
    )


def _cli_json(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(type(value))


def _dump(directory: Path, name: str, response: dict[str, Any]) -> None:
    response = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(response, default=_cli_json, indent=2))


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return 1\n")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def recorded(
    moto_url: str, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, str]]:
    ec2 = _client("ec2", moto_url)
    # moto's backends are process-wide: other tests' resources may be there too, so names
    # are unique and assertions look only at what this fixture created.
    suffix = uuid.uuid4().hex[:8]
    ids: dict[str, str] = {"function": f"orders-api-{suffix}"}
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    ec2.associate_vpc_cidr_block(VpcId=vpc, CidrBlock="10.41.0.0/16")
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    private = ec2.create_subnet(VpcId=vpc, CidrBlock="10.40.1.0/24", AvailabilityZone=f"{REGION}a")
    public = ec2.create_subnet(VpcId=vpc, CidrBlock="10.40.101.0/24", AvailabilityZone=f"{REGION}c")
    ids["vpc"], ids["private"] = vpc, private["Subnet"]["SubnetId"]
    ids["public"] = public["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    ids["igw"] = igw
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=ids["public"], AllocationId=eip)["NatGateway"]
    ids["nat"] = nat["NatGatewayId"]
    public_rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public_rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=public_rtb, SubnetId=ids["public"])
    private_rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(
        RouteTableId=private_rtb, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=ids["nat"]
    )
    ec2.associate_route_table(RouteTableId=private_rtb, SubnetId=ids["private"])
    ids["private_rtb"], ids["public_rtb"] = private_rtb, public_rtb
    sg = ec2.create_security_group(GroupName=f"lambda-{suffix}", Description="fn", VpcId=vpc)[
        "GroupId"
    ]
    ec2.authorize_security_group_ingress(
        GroupId=sg,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "10.40.0.0/16"}],
            },
        ],
    )
    ids["sg"] = sg
    endpoint = ec2.create_vpc_endpoint(
        VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.s3", RouteTableIds=[private_rtb]
    )["VpcEndpoint"]["VpcEndpointId"]
    ids["vpce"] = endpoint
    eni = ec2.create_network_interface(SubnetId=ids["private"], Groups=[sg])
    ids["eni"] = eni["NetworkInterface"]["NetworkInterfaceId"]
    acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    ec2.create_network_acl_entry(
        NetworkAclId=acl,
        RuleNumber=100,
        Protocol="6",
        RuleAction="allow",
        Egress=False,
        CidrBlock="0.0.0.0/0",
        PortRange={"From": 1024, "To": 65535},
    )
    ids["acl"] = acl

    iam = _client("iam", moto_url)
    role = iam.create_role(
        RoleName=f"fn-role-{suffix}",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )["Role"]["Arn"]
    lam = _client("lambda", moto_url)
    lam.create_function(
        FunctionName=ids["function"],
        Runtime="python3.12",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": _zip()},
        VpcConfig={"SubnetIds": [ids["private"]], "SecurityGroupIds": [sg]},
        Environment={"Variables": {"DB_PASSWORD": "moto-secret-value"}},
        MemorySize=256,
    )
    r53 = _client("route53", moto_url)
    zone = r53.create_hosted_zone(
        Name="corp.internal.",
        CallerReference=f"ref-{suffix}",
        HostedZoneConfig={"Comment": "corp", "PrivateZone": True},
        VPC={"VPCRegion": REGION, "VPCId": vpc},
    )["HostedZone"]["Id"]
    zone_id = zone.rsplit("/", 1)[-1]
    r53.change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "CREATE",
                    "ResourceRecordSet": {
                        "Name": "api.corp.internal.",
                        "Type": "A",
                        "TTL": 60,
                        "ResourceRecords": [{"Value": "10.40.1.50"}],
                    },
                }
            ]
        },
    )
    ids["zone"] = zone_id

    snap = tmp_path_factory.mktemp("moto-snapshot")
    _dump(snap, "ec2/describe-vpcs.json", ec2.describe_vpcs())
    for attribute in ("enableDnsSupport", "enableDnsHostnames"):
        _dump(
            snap,
            f"ec2/describe-vpc-attribute-{attribute}@{vpc}.json",
            ec2.describe_vpc_attribute(VpcId=vpc, Attribute=attribute),
        )
    _dump(snap, "ec2/describe-subnets.json", ec2.describe_subnets())
    _dump(snap, "ec2/describe-route-tables.json", ec2.describe_route_tables())
    _dump(snap, "ec2/describe-internet-gateways.json", ec2.describe_internet_gateways())
    _dump(snap, "ec2/describe-nat-gateways.json", ec2.describe_nat_gateways())
    _dump(snap, "ec2/describe-vpc-endpoints.json", ec2.describe_vpc_endpoints())
    _dump(snap, "ec2/describe-security-groups.json", ec2.describe_security_groups())
    _dump(snap, "ec2/describe-network-acls.json", ec2.describe_network_acls())
    _dump(snap, "ec2/describe-network-interfaces.json", ec2.describe_network_interfaces())
    _dump(snap, "ec2/describe-addresses.json", ec2.describe_addresses())
    _dump(snap, "ec2/describe-dhcp-options.json", ec2.describe_dhcp_options())
    _dump(snap, "ec2/describe-prefix-lists.json", ec2.describe_prefix_lists())
    _dump(snap, "ec2/describe-managed-prefix-lists.json", ec2.describe_managed_prefix_lists())
    _dump(snap, "ec2/describe-instances.json", ec2.describe_instances())
    _dump(snap, "lambda/list-functions.json", lam.list_functions())
    _dump(
        snap,
        f"lambda/get-function-configuration@{ids['function']}.json",
        lam.get_function_configuration(FunctionName=ids["function"]),
    )
    _dump(
        snap,
        f"lambda/get-function@{ids['function']}.json",
        lam.get_function(FunctionName=ids["function"]),
    )
    _dump(snap, "route53/list-hosted-zones.json", r53.list_hosted_zones())
    _dump(snap, f"route53/get-hosted-zone@{zone_id}.json", r53.get_hosted_zone(Id=zone_id))
    _dump(
        snap,
        f"route53/list-resource-record-sets@{zone_id}.json",
        r53.list_resource_record_sets(HostedZoneId=zone_id),
    )
    _dump(snap, "sts/get-caller-identity.json", _client("sts", moto_url).get_caller_identity())
    return snap, ids


@pytest.fixture(scope="module")
def account(recorded: tuple[Path, dict[str, str]]) -> Account:
    return load_snapshot(recorded[0])


def test_moto_output_loads_with_its_resources(
    account: Account, recorded: tuple[Path, dict[str, str]]
) -> None:
    _, ids = recorded
    vpc = account.vpcs[ids["vpc"]]
    assert [str(c) for c in vpc.cidrs][:1] == ["10.40.0.0/16"]
    assert vpc.enable_dns_support is True and vpc.enable_dns_hostnames is True
    assert account.subnets[ids["private"]].az == f"{REGION}a"
    assert account.internet_gateways[ids["igw"]].attached_to(ids["vpc"])
    assert account.nat_gateways[ids["nat"]].state in (NatState.AVAILABLE, NatState.PENDING)
    rtb = account.route_table_for(ids["private"])
    assert rtb is not None and rtb.id == ids["private_rtb"]
    default = next(r for r in rtb.routes if str(r.destination) == "0.0.0.0/0")
    assert default.target_type is RouteTargetType.NAT_GATEWAY and default.target_id == ids["nat"]
    public = account.route_table_for(ids["public"])
    assert public is not None
    assert any(r.target_type is RouteTargetType.INTERNET_GATEWAY for r in public.routes)
    assert account.main_route_table(ids["vpc"]) is not None
    sg = account.security_groups[ids["sg"]]
    assert any(r.ports.contains(443) and str(r.cidr) == "10.40.0.0/16" for r in sg.ingress)
    assert account.vpc_endpoints[ids["vpce"]].service_short_name == "s3"
    assert account.network_interfaces[ids["eni"]].security_group_ids == (ids["sg"],)
    acl = account.network_acls[ids["acl"]]
    assert any(e.rule_number == 100 and e.ports.contains(2000) for e in acl.entries)
    fn = account.functions[ids["function"]]
    assert fn.vpc is not None and fn.vpc.subnet_ids == (ids["private"],)
    assert fn.memory_mb == 256
    zone = account.hosted_zones[ids["zone"]]
    assert zone.private and zone.name == "corp.internal"
    assert zone.records is not None
    assert any(r.name == "api.corp.internal" and r.values == ("10.40.1.50",) for r in zone.records)
    assert account.account_id is not None and account.region == REGION


def test_moto_output_never_keeps_the_environment(account: Account) -> None:
    assert "moto-secret-value" not in repr(account.functions)
