"""moto in server mode on 127.0.0.1 for live-mode tests, and scenario builders.

The server runs in the test process (``ThreadedMotoServer``, port 0), so the tests talk to it
over real HTTP exactly as vpcdoctor talks to AWS (``AWS_ENDPOINT_URL``), and the scenario
builders can reach moto's backends directly where its API falls short of AWS.

Workarounds for moto 5.2 (each one noted where it is applied):

* moto's Lambda reports ``VpcConfig.VpcId`` as the fixed placeholder ``vpc-123abc``:
  :func:`patch_moto_lambda_vpc_id` makes it the VPC of the first configured subnet, as AWS does.
* moto's Lambda creates no Hyperplane ENI: :func:`add_lambda_enis` adds one (in use) per subnet
  through moto's EC2 backend (``interface_type = "lambda"``, ``requester_managed = True``).
* moto's Lambda does not implement ListProvisionedConcurrencyConfigs (HTTP 404): the collector
  records a gap for it, which the tests expect.
* moto's Lambda needs no docker for ``create_function`` (a zip is stored, never run).
* moto ignores MaxResults/NextToken on describe_network_interfaces, describe_route_tables and
  list_functions: pagination is also tested with a fake paginated client.
"""

from __future__ import annotations

import io
import json
import os
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3

ACCOUNT = "123456789012"
REGION = "ap-northeast-1"
AZ_A = f"{REGION}a"
AZ_C = f"{REGION}c"
FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}
SECRET_VALUE = "s3cr3t-do-not-export"
MOTO_LACKS = (
    "describe-vpc-block-public-access-options",
    "describe-vpc-block-public-access-exclusions",
)
"""Kinds moto 5.2 does not serve (HTTP error): the collector records a gap for each."""


class MotoServer:
    """A moto server on 127.0.0.1 (a free port)."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:  # 127.0.0.1 only
            response.read()

    def requests(self) -> int:
        """Not tracked by moto; counted by the collector's guard instead."""
        raise NotImplementedError

    def stop(self) -> None:
        self._server.stop()


@contextmanager
def patch_moto_lambda_vpc_id() -> Iterator[None]:
    """Make moto's Lambda report the real VpcId (moto 5.2 answers ``vpc-123abc``)."""
    from moto.awslambda.models import LambdaFunction
    from moto.ec2.models import ec2_backends

    original = LambdaFunction.vpc_config

    def vpc_config(self: Any) -> dict[str, Any] | None:
        config = original.fget(self)  # type: ignore[attr-defined]
        if not config or not config.get("SubnetIds"):
            return config
        backend = ec2_backends[self.account_id][self.region]
        try:
            subnet = backend.get_subnet(config["SubnetIds"][0])
        except Exception:
            return config
        return {**config, "VpcId": subnet.vpc_id}

    LambdaFunction.vpc_config = property(vpc_config)  # type: ignore[assignment,method-assign]
    try:
        yield
    finally:
        LambdaFunction.vpc_config = original  # type: ignore[method-assign]


def add_lambda_enis(
    function_name: str, subnet_ids: list[str], group_ids: list[str], region: str = REGION
) -> list[str]:
    """Hyperplane ENIs as AWS creates them for a VPC function (moto does not)."""
    from moto.ec2.models import ec2_backends

    backend = ec2_backends[ACCOUNT][region]
    ids = []
    for subnet_id in subnet_ids:
        eni = backend.create_network_interface(
            subnet=subnet_id,
            private_ip_address=[],
            group_ids=group_ids,
            description=f"AWS Lambda VPC ENI-{function_name}",
        )
        eni.interface_type = "lambda"
        eni.requester_managed = True
        # Lambda's ENIs are attached (Status in-use, an ela-attach attachment); a created moto
        # ENI is "available", which the engine rightly reads as "Lambda is not using it".
        eni.status = "in-use"
        ids.append(eni.id)
    return ids


def clients(endpoint: str, region: str = REGION) -> dict[str, Any]:
    """Unguarded clients for building scenarios (the code under test never uses these)."""
    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
    )
    return {
        name: session.client(name, endpoint_url=endpoint)
        for name in (
            "ec2",
            "lambda",
            "iam",
            "route53",
            "route53resolver",
            "sts",
            "elbv2",
            "elasticache",
            "opensearch",
            "rds",
        )
    }


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return 'ok'\n")
    return buf.getvalue()


@dataclass
class Scenario:
    vpc_id: str
    public_subnet: str
    private_subnets: list[str]
    fn_sg: str
    endpoint_sg: str
    nat_id: str
    igw_id: str
    public_rtb: str
    private_rtb: str
    s3_endpoint: str
    zone_id: str
    resolver_endpoint: str | None
    resolver_rule: str | None
    prefix_list: str
    function: str = "orders-api"
    lambda_enis: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def build_scenario(endpoint: str, *, extra_vpcs: int = 0, region: str = REGION) -> Scenario:
    """A VPC Lambda in two private subnets (two AZs) behind a NAT, with an S3 gateway endpoint,
    an interface endpoint, a private hosted zone, a Resolver forwarding rule and a
    customer-managed prefix list; plus ``extra_vpcs`` unrelated VPCs (each with subnets, route
    tables, groups, a function and a zone) to make the account larger."""
    c = clients(endpoint, region)
    ec2 = c["ec2"]
    notes: list[str] = []
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsSupport={"Value": True})
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    public = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24", AvailabilityZone=f"{region}a")[
        "Subnet"
    ]["SubnetId"]
    private = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
        for cidr, az in (("10.0.1.0/24", f"{region}a"), ("10.0.2.0/24", f"{region}c"))
    ]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    public_rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public_rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=public_rtb, SubnetId=public)
    alloc = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=public, AllocationId=alloc)["NatGateway"]["NatGatewayId"]
    notes.append("moto: the NAT gateway's private IP may fall outside its subnet")
    private_rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=private_rtb, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    for subnet in private:
        ec2.associate_route_table(RouteTableId=private_rtb, SubnetId=subnet)
    s3 = ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=f"com.amazonaws.{region}.s3",
        VpcEndpointType="Gateway",
        RouteTableIds=[private_rtb],
    )["VpcEndpoint"]["VpcEndpointId"]
    fn_sg = ec2.create_security_group(GroupName="orders-api", Description="fn", VpcId=vpc)[
        "GroupId"
    ]
    ep_sg = ec2.create_security_group(GroupName="endpoints", Description="vpce", VpcId=vpc)[
        "GroupId"
    ]
    ec2.authorize_security_group_ingress(
        GroupId=ep_sg,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "UserIdGroupPairs": [{"GroupId": fn_sg}],
            }
        ],
    )
    pl = ec2.create_managed_prefix_list(
        PrefixListName="corp-networks",
        AddressFamily="IPv4",
        MaxEntries=5,
        Entries=[{"Cidr": "192.168.0.0/16", "Description": "on-prem"}],
    )["PrefixList"]["PrefixListId"]
    ec2.authorize_security_group_ingress(
        GroupId=ep_sg,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "PrefixListIds": [{"PrefixListId": pl}],
            }
        ],
    )
    ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=f"com.amazonaws.{region}.secretsmanager",
        VpcEndpointType="Interface",
        SubnetIds=private,
        SecurityGroupIds=[ep_sg],
        PrivateDnsEnabled=True,
    )
    # A custom NACL on the private subnets: allow all out, ephemeral ports in.
    acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    ec2.create_network_acl_entry(
        NetworkAclId=acl,
        RuleNumber=100,
        Protocol="-1",
        RuleAction="allow",
        Egress=True,
        CidrBlock="0.0.0.0/0",
    )
    ec2.create_network_acl_entry(
        NetworkAclId=acl,
        RuleNumber=100,
        Protocol="6",
        RuleAction="allow",
        Egress=False,
        CidrBlock="0.0.0.0/0",
        PortRange={"From": 1024, "To": 65535},
    )
    for subnet in private:
        assoc = next(
            a["NetworkAclAssociationId"]
            for n in ec2.describe_network_acls()["NetworkAcls"]
            for a in n.get("Associations", [])
            if a["SubnetId"] == subnet
        )
        ec2.replace_network_acl_association(AssociationId=assoc, NetworkAclId=acl)

    role = c["iam"].create_role(RoleName="orders-api-role", AssumeRolePolicyDocument="{}")["Role"][
        "Arn"
    ]
    c["lambda"].create_function(
        FunctionName="orders-api",
        Runtime="python3.12",
        Role=role,
        Handler="handler.handler",
        Code={"ZipFile": _zip()},
        VpcConfig={"SubnetIds": private, "SecurityGroupIds": [fn_sg]},
        Environment={"Variables": {"DB_PASSWORD": SECRET_VALUE}},
    )
    enis = add_lambda_enis("orders-api", private, [fn_sg], region)
    zone = (
        c["route53"]
        .create_hosted_zone(
            Name="corp.internal",
            CallerReference="corp",
            HostedZoneConfig={"PrivateZone": True, "Comment": "corp"},
            VPC={"VPCRegion": region, "VPCId": vpc},
        )["HostedZone"]["Id"]
        .rsplit("/", 1)[-1]
    )
    c["route53"].change_resource_record_sets(
        HostedZoneId=zone,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "CREATE",
                    "ResourceRecordSet": {
                        "Name": "api.corp.internal",
                        "Type": "A",
                        "TTL": 60,
                        "ResourceRecords": [{"Value": "10.0.2.50"}],
                    },
                }
            ]
        },
    )
    resolver_ep: str | None = None
    rule: str | None = None
    try:
        resolver = c["route53resolver"]
        resolver_ep = resolver.create_resolver_endpoint(
            CreatorRequestId="out",
            Name="outbound",
            SecurityGroupIds=[fn_sg],
            Direction="OUTBOUND",
            IpAddresses=[{"SubnetId": s} for s in private],
        )["ResolverEndpoint"]["Id"]
        rule = resolver.create_resolver_rule(
            CreatorRequestId="onprem",
            Name="onprem",
            RuleType="FORWARD",
            DomainName="onprem.example.com",
            TargetIps=[{"Ip": "192.168.10.2", "Port": 53}],
            ResolverEndpointId=resolver_ep,
        )["ResolverRule"]["Id"]
        resolver.associate_resolver_rule(ResolverRuleId=rule, VPCId=vpc, Name="onprem")
    except Exception as error:  # pragma: no cover - depends on moto's coverage
        notes.append(f"moto: resolver scenario skipped: {error}")
    for index in range(extra_vpcs):
        _extra_vpc(c, index, region, role)
    return Scenario(
        vpc_id=vpc,
        public_subnet=public,
        private_subnets=private,
        fn_sg=fn_sg,
        endpoint_sg=ep_sg,
        nat_id=nat,
        igw_id=igw,
        public_rtb=public_rtb,
        private_rtb=private_rtb,
        s3_endpoint=s3,
        zone_id=zone,
        resolver_endpoint=resolver_ep,
        resolver_rule=rule,
        prefix_list=pl,
        lambda_enis=enis,
        notes=notes,
    )


def _extra_vpc(c: dict[str, Any], index: int, region: str, role: str) -> None:
    """An unrelated VPC with two subnets, a route table, two groups, a VPC function, a zone."""
    ec2 = c["ec2"]
    second = 100 + index
    vpc = ec2.create_vpc(CidrBlock=f"10.{second}.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{second}.{n}.0/24", AvailabilityZone=az)[
            "Subnet"
        ]["SubnetId"]
        for n, az in ((1, f"{region}a"), (2, f"{region}c"))
    ]
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    for subnet in subnets:
        ec2.associate_route_table(RouteTableId=rtb, SubnetId=subnet)
    groups = [
        ec2.create_security_group(GroupName=f"g{index}-{n}", Description="x", VpcId=vpc)["GroupId"]
        for n in range(2)
    ]
    name = f"other-{index}"
    c["lambda"].create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role,
        Handler="handler.handler",
        Code={"ZipFile": _zip()},
        VpcConfig={"SubnetIds": subnets, "SecurityGroupIds": groups[:1]},
    )
    add_lambda_enis(name, subnets, groups[:1], region)
    c["route53"].create_hosted_zone(
        Name=f"svc{index}.internal",
        CallerReference=f"svc{index}",
        HostedZoneConfig={"PrivateZone": True},
        VPC={"VPCRegion": region, "VPCId": vpc},
    )


def env_for(endpoint: str) -> dict[str, str]:
    """Environment variables that point boto3 at moto with fake credentials."""
    return {**FAKE_ENV, "AWS_ENDPOINT_URL": endpoint}


def clean_environ() -> dict[str, str]:
    """The current environment without any real AWS configuration."""
    drop = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")
    return {k: v for k, v in os.environ.items() if k not in drop}


def dumps(data: Any) -> str:
    return json.dumps(data, sort_keys=True, default=str)


# --------------------------------------------------------------------------------------------
# pytest fixtures (import them into a test module:
# ``from tests.support.moto_server import moto, aws``)
# --------------------------------------------------------------------------------------------

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def moto() -> Iterator[MotoServer]:
    """One moto server on 127.0.0.1 for the session, with the Lambda VpcId workaround."""
    server = MotoServer()
    with patch_moto_lambda_vpc_id():
        yield server
    server.stop()


@pytest.fixture
def aws(moto: MotoServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> MotoServer:
    """A fresh moto state and an environment that points boto3 at it with fake credentials."""
    moto.reset()
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_ENDPOINT_URL_EC2",
        "AWS_ENDPOINT_URL_LAMBDA",
        "AWS_ENDPOINT_URL_STS",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env_for(moto.url).items():
        monkeypatch.setenv(name, value)
    empty = tmp_path / "aws-config"
    empty.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return moto


__all__ = [
    "ACCOUNT",
    "AZ_A",
    "AZ_C",
    "MOTO_LACKS",
    "REGION",
    "SECRET_VALUE",
    "MotoServer",
    "Scenario",
    "add_lambda_enis",
    "aws",
    "build_scenario",
    "clean_environ",
    "clients",
    "dumps",
    "env_for",
    "moto",
    "patch_moto_lambda_vpc_id",
]
