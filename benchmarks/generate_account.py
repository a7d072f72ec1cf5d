"""Write a large synthetic AWS account as an offline snapshot (deterministic by seed).

The output is the layout ``vpcdoctor export`` writes (``<service>/<kind>[@owner].json``), each
file shaped like the unmodified ``aws … --output json`` answer, so it loads through the normal
loader and its botocore shape validation. At ``--scale 1.0``:

* 50 VPCs, 3,000 subnets, 1,500 route tables (local, IGW, NAT, gateway-endpoint prefix-list,
  customer prefix-list, peering, transit-gateway and blackhole routes), 2,000 network ACLs;
* 5,000 security groups with 50,000 flattened rules (CIDR, prefix-list and group references);
* 20,000 network interfaces: Hyperplane ENIs shared per (subnet, security-group set), NAT
  gateway and interface-endpoint ENIs, instance ENIs;
* 2,040 Lambda functions (2,000 attached to a VPC), each with get-function-configuration;
* 40 peering connections, a transit gateway with two route tables and their routes;
* 300 private hosted zones with 100,000 records, Resolver endpoints, rules and associations,
  VPC DNS attributes, DHCP options, prefix lists with entries, load balancers, databases.

Usage::

    python benchmarks/generate_account.py OUT_DIR --seed 1 [--scale 1.0]

``OUT_DIR`` should be under ``/tmp`` or ``benchmarks/out/`` (gitignored): never commit it.
"""

from __future__ import annotations

import argparse
import hashlib
import ipaddress
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vpcdoctor.graph.live.export import cli_json, relative_file
from vpcdoctor.graph.model.kinds import KINDS_BY_NAME
from vpcdoctor.graph.sources.outputs import (
    local_route,
    network_acl_association,
    network_acl_entry,
    route,
    route_table_association,
    tags,
)
from vpcdoctor.graph.sources.shapes import strict_errors

ACCOUNT = "123456789012"
REGION = "ap-northeast-1"
AZS = (
    ("ap-northeast-1a", "apne1-az4"),
    ("ap-northeast-1c", "apne1-az1"),
    ("ap-northeast-1d", "apne1-az2"),
)
TS = "2025-06-01T09:00:00+00:00"
ARN_EC2 = f"arn:aws:ec2:{REGION}:{ACCOUNT}"
ARN_LAMBDA = f"arn:aws:lambda:{REGION}:{ACCOUNT}"
LAMBDA_TS = "2025-06-01T09:00:00.000+0000"
S3_PL = "pl-61a54008"
DDB_PL = "pl-78a54011"
ELB_ZONE = "Z14GRHDCWA56QT"
RUNTIMES = ("python3.12", "python3.11", "nodejs20.x", "java21", "provided.al2023")
INTERFACE_SERVICES = ("secretsmanager", "sts", "logs", "ecr.api", "ecr.dkr", "kms", "ssm")

SUBNETS_PER_VPC = 60
ROUTE_TABLES_PER_VPC = 30
SECURITY_GROUPS_PER_VPC = 100
LAMBDA_GROUPS_PER_VPC = 20
NACLS_PER_VPC = 40
PROFILES_PER_VPC = 10


@dataclass
class VpcPlan:
    """What the generator decided about one VPC, for the cross references."""

    index: int
    id: str
    cidr: ipaddress.IPv4Network
    subnet_ids: list[str] = field(default_factory=list)
    subnet_cidrs: list[ipaddress.IPv4Network] = field(default_factory=list)
    subnet_next_host: list[int] = field(default_factory=list)
    route_table_ids: list[str] = field(default_factory=list)
    sg_ids: list[str] = field(default_factory=list)
    lambda_sg_ids: list[str] = field(default_factory=list)
    nat_ids: list[str] = field(default_factory=list)
    igw_id: str = ""
    peers: dict[str, str] = field(default_factory=dict)
    """Peer VPC id → peering connection id (active ones)."""
    tgw_attached: bool = False
    profiles: list[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    """Lambda VpcConfigs used in this VPC: (subnet ids, security group ids)."""
    host_ips: list[str] = field(default_factory=list)

    def private_subnets(self) -> range:
        return range(3, len(self.subnet_ids))

    def az_of(self, j: int) -> int:
        return j % 3


class Generator:
    """Builds every output in memory, one kind at a time, and writes it."""

    def __init__(self, out: Path, *, seed: int, scale: float, check: bool = False) -> None:
        self.out = out
        self.check = check
        self.errors: list[str] = []
        """With ``check``: every way a written file is not exactly the AWS CLI's output."""
        self.seed = seed
        self.rng = random.Random(seed)
        self.scale = scale
        self.n_vpcs = self._n(50)
        if self.n_vpcs > 250:
            raise SystemExit("--scale too large: at most 250 VPCs fit in 10.0.0.0/8 here")
        self.n_functions = self._n(2000)
        self.n_enis = self._n(20000)
        self.n_zones = self._n(300)
        self.n_records = self._n(100000)
        self.vpcs: list[VpcPlan] = []
        self.files = 0
        self.bytes = 0
        self.counts: dict[str, int] = {}
        self.customer_pls: list[tuple[str, str, list[str]]] = []
        self.tgw_id = self.rid("tgw")
        self.tgw_rtbs = [self.rid("tgw-rtb", i) for i in range(2)]
        self.vpn_attachment = self.rid("tgw-attach", "vpn")
        self.function_names: list[str] = []
        self.lb_dns: list[tuple[str, str]] = []

    # ---- helpers -----------------------------------------------------------------------
    def _n(self, base: int) -> int:
        return max(1, round(base * self.scale))

    def rid(self, prefix: str, *parts: object, length: int = 17) -> str:
        """A stable, realistic-looking id (``vpc-0a1b…``) derived from seed and name."""
        digest = hashlib.blake2b(repr((self.seed, prefix, parts)).encode(), digest_size=16)
        return f"{prefix}-0{digest.hexdigest()[: length - 1]}"

    def write(self, service: str, name: str, data: dict[str, Any], owner: str = "") -> None:
        """One output where ``vpcdoctor export`` puts it, as the AWS CLI prints it."""
        kind = KINDS_BY_NAME[name]
        assert kind.service == service, (service, name)
        rel = relative_file(name, owner)
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = cli_json(data)
        path.write_text(text, encoding="utf-8")
        self.files += 1
        self.bytes += len(text)
        if self.check:
            self.errors += strict_errors(kind.service, kind.operation, data, rel)

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def next_ip(self, vpc: VpcPlan, j: int) -> str:
        host = vpc.subnet_next_host[j]
        vpc.subnet_next_host[j] = host + 1
        return str(vpc.subnet_cidrs[j].network_address + host)

    # ---- the account -------------------------------------------------------------------
    def run(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        self.write(
            "sts",
            "get-caller-identity",
            {
                "UserId": "AIDAEXAMPLEAUDITOR0001",
                "Account": ACCOUNT,
                "Arn": f"arn:aws:iam::{ACCOUNT}:user/network-auditor",
            },
        )
        self.plan_vpcs()
        self.prefix_lists()
        self.vpc_outputs()
        self.peering()
        self.gateways()
        self.endpoints_and_enis_prep()
        self.security_groups()
        self.route_tables()
        self.network_acls()
        self.transit_gateway()
        self.functions_and_enis()
        self.load_balancers_and_databases()
        self.route53()
        self.resolver()

    def plan_vpcs(self) -> None:
        for v in range(self.n_vpcs):
            vpc = VpcPlan(
                index=v, id=self.rid("vpc", v), cidr=ipaddress.IPv4Network(f"10.{v}.0.0/16")
            )
            for j in range(SUBNETS_PER_VPC):
                vpc.subnet_ids.append(self.rid("subnet", v, j))
                vpc.subnet_cidrs.append(ipaddress.IPv4Network(f"10.{v}.{4 * j}.0/22"))
                vpc.subnet_next_host.append(10)
            vpc.route_table_ids = [self.rid("rtb", v, k) for k in range(ROUTE_TABLES_PER_VPC)]
            vpc.sg_ids = [self.rid("sg", v, k) for k in range(SECURITY_GROUPS_PER_VPC)]
            vpc.lambda_sg_ids = vpc.sg_ids[1 : 1 + LAMBDA_GROUPS_PER_VPC]
            vpc.igw_id = self.rid("igw", v)
            vpc.nat_ids = [self.rid("nat", v, a) for a in range(3)]
            vpc.tgw_attached = v % 5 != 0 or v == 0
            self.vpcs.append(vpc)

    def prefix_lists(self) -> None:
        s3_cidrs = ["52.219.0.0/20", "52.219.16.0/22", "3.5.152.0/21", "52.219.136.0/22"]
        ddb_cidrs = ["52.94.8.0/24", "3.218.180.0/22"]
        self.write(
            "ec2",
            "describe-prefix-lists",
            {
                "PrefixLists": [
                    {
                        "PrefixListId": S3_PL,
                        "PrefixListName": f"com.amazonaws.{REGION}.s3",
                        "Cidrs": s3_cidrs,
                    },
                    {
                        "PrefixListId": DDB_PL,
                        "PrefixListName": f"com.amazonaws.{REGION}.dynamodb",
                        "Cidrs": ddb_cidrs,
                    },
                ]
            },
        )
        managed: list[dict[str, Any]] = []
        for pl, svc, cidrs in ((S3_PL, "s3", s3_cidrs), (DDB_PL, "dynamodb", ddb_cidrs)):
            managed.append(
                {
                    "PrefixListId": pl,
                    "AddressFamily": "IPv4",
                    "State": "create-complete",
                    "PrefixListArn": f"arn:aws:ec2:{REGION}:aws:prefix-list/{pl}",
                    "PrefixListName": f"com.amazonaws.{REGION}.{svc}",
                    "Tags": [],
                    "OwnerId": "AWS",
                }
            )
            self.write(
                "ec2",
                "get-managed-prefix-list-entries",
                {"Entries": [{"Cidr": c} for c in cidrs]},
                owner=pl,
            )
        for i in range(max(2, self._n(20))):
            pl = self.rid("pl", i)
            name = ("corp-onprem", "partner-vpn", "office-egress", "monitoring")[i % 4] + f"-{i}"
            cidrs = [f"192.168.{(i * 8 + e) % 256}.0/24" for e in range(1 + i % 6)]
            if i % 4 == 2:
                cidrs = [f"203.0.113.{e * 16}/28" for e in range(1 + i % 6)]
            self.customer_pls.append((pl, name, cidrs))
            managed.append(
                {
                    "PrefixListId": pl,
                    "AddressFamily": "IPv4",
                    "State": "create-complete",
                    "PrefixListArn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:prefix-list/{pl}",
                    "PrefixListName": name,
                    "MaxEntries": 10,
                    "Version": 1 + i % 3,
                    "Tags": tags(Name=name),
                    "OwnerId": ACCOUNT,
                }
            )
            self.write(
                "ec2",
                "get-managed-prefix-list-entries",
                {
                    "Entries": [
                        {"Cidr": c, "Description": f"{name} range {e}"} for e, c in enumerate(cidrs)
                    ]
                },
                owner=pl,
            )
        self.write("ec2", "describe-managed-prefix-lists", {"PrefixLists": managed})
        self.count("prefix lists", len(managed))

    def vpc_outputs(self) -> None:
        dhcp_default = self.rid("dopt", "default")
        dhcp_custom = self.rid("dopt", "corp")
        vpcs: list[dict[str, Any]] = []
        subnets: list[dict[str, Any]] = []
        for vpc in self.vpcs:
            v = vpc.index
            vpcs.append(
                {
                    "CidrBlock": str(vpc.cidr),
                    "DhcpOptionsId": dhcp_custom if v in (7, 19) else dhcp_default,
                    "State": "available",
                    "VpcId": vpc.id,
                    "OwnerId": ACCOUNT,
                    "InstanceTenancy": "default",
                    "CidrBlockAssociationSet": [
                        {
                            "AssociationId": self.rid("vpc-cidr-assoc", v),
                            "CidrBlock": str(vpc.cidr),
                            "CidrBlockState": {"State": "associated"},
                        }
                    ],
                    "IsDefault": False,
                    "Tags": tags(
                        Name=f"{('prod', 'stg', 'dev', 'shared', 'data')[v % 5]}-{v:02d}",
                        Environment=("prod", "staging", "dev", "shared", "data")[v % 5],
                    ),
                }
            )
            support = v != 13
            hostnames = v % 9 != 4
            self.write(
                "ec2",
                "describe-vpc-attribute-enableDnsSupport",
                {"VpcId": vpc.id, "EnableDnsSupport": {"Value": support}},
                owner=vpc.id,
            )
            self.write(
                "ec2",
                "describe-vpc-attribute-enableDnsHostnames",
                {"VpcId": vpc.id, "EnableDnsHostnames": {"Value": hostnames}},
                owner=vpc.id,
            )
            for j, (sid, cidr) in enumerate(zip(vpc.subnet_ids, vpc.subnet_cidrs, strict=True)):
                az, az_id = AZS[vpc.az_of(j)]
                public = j < 3
                subnets.append(
                    {
                        "AvailabilityZone": az,
                        "AvailabilityZoneId": az_id,
                        "AvailableIpAddressCount": 1019 - self.rng.randrange(0, 40),
                        "CidrBlock": str(cidr),
                        "DefaultForAz": False,
                        "MapPublicIpOnLaunch": public,
                        "State": "available",
                        "SubnetId": sid,
                        "VpcId": vpc.id,
                        "OwnerId": ACCOUNT,
                        "AssignIpv6AddressOnCreation": False,
                        "Ipv6CidrBlockAssociationSet": [],
                        "Tags": tags(Name=f"{'public' if public else 'private'}-{v:02d}-{j:02d}"),
                        "SubnetArn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{sid}",
                        "EnableDns64": False,
                        "Ipv6Native": False,
                        "PrivateDnsNameOptionsOnLaunch": {
                            "HostnameType": "ip-name",
                            "EnableResourceNameDnsARecord": False,
                            "EnableResourceNameDnsAAAARecord": False,
                        },
                    }
                )
        self.write("ec2", "describe-vpcs", {"Vpcs": vpcs})
        self.write("ec2", "describe-subnets", {"Subnets": subnets})
        self.write(
            "ec2",
            "describe-dhcp-options",
            {
                "DhcpOptions": [
                    {
                        "DhcpConfigurations": [
                            {
                                "Key": "domain-name",
                                "Values": [{"Value": f"{REGION}.compute.internal"}],
                            },
                            {
                                "Key": "domain-name-servers",
                                "Values": [{"Value": "AmazonProvidedDNS"}],
                            },
                        ],
                        "DhcpOptionsId": dhcp_default,
                        "OwnerId": ACCOUNT,
                        "Tags": [],
                    },
                    {
                        "DhcpConfigurations": [
                            {"Key": "domain-name", "Values": [{"Value": "corp.example.com"}]},
                            {
                                "Key": "domain-name-servers",
                                "Values": [{"Value": "192.168.10.2"}, {"Value": "192.168.11.2"}],
                            },
                        ],
                        "DhcpOptionsId": dhcp_custom,
                        "OwnerId": ACCOUNT,
                        "Tags": tags(Name="corp-dns"),
                    },
                ]
            },
        )
        self.count("vpcs", len(vpcs))
        self.count("subnets", len(subnets))

    def peering(self) -> None:
        pairs: list[tuple[int, int]] = []
        for v in range(0, self.n_vpcs - 1, 2):
            pairs.append((v, v + 1))
        for v in range(3, self.n_vpcs, 3):
            if len(pairs) >= max(1, self._n(40)):
                break
            pairs.append((0, v))
        out: list[dict[str, Any]] = []
        for n, (a, b) in enumerate(pairs):
            pcx = self.rid("pcx", a, b)
            status = "active"
            if n % 17 == 5:
                status = "pending-acceptance"
            elif n % 23 == 7:
                status = "deleted"
            va, vb = self.vpcs[a], self.vpcs[b]
            if status == "active":
                va.peers[vb.id] = pcx
                vb.peers[va.id] = pcx

            def side(p: VpcPlan) -> dict[str, Any]:
                return {
                    "CidrBlock": str(p.cidr),
                    "CidrBlockSet": [{"CidrBlock": str(p.cidr)}],
                    "OwnerId": ACCOUNT,
                    "PeeringOptions": {
                        "AllowDnsResolutionFromRemoteVpc": p.index == 0,
                        "AllowEgressFromLocalClassicLinkToRemoteVpc": False,
                        "AllowEgressFromLocalVpcToRemoteClassicLink": False,
                    },
                    "VpcId": p.id,
                    "Region": REGION,
                }

            out.append(
                {
                    "AccepterVpcInfo": side(vb),
                    "RequesterVpcInfo": side(va),
                    "Status": {"Code": status, "Message": status.replace("-", " ").title()},
                    "Tags": tags(Name=f"pcx-{a:02d}-{b:02d}"),
                    "VpcPeeringConnectionId": pcx,
                }
            )
        self.write("ec2", "describe-vpc-peering-connections", {"VpcPeeringConnections": out})
        self.count("peering connections", len(out))

    def gateways(self) -> None:
        igws: list[dict[str, Any]] = []
        nats: list[dict[str, Any]] = []
        addresses: list[dict[str, Any]] = []
        self.nat_enis: list[dict[str, Any]] = []
        for vpc in self.vpcs:
            state = "detached" if vpc.index == 11 else "available"
            igws.append(
                {
                    "Attachments": [{"State": state, "VpcId": vpc.id}],
                    "InternetGatewayId": vpc.igw_id,
                    "OwnerId": ACCOUNT,
                    "Tags": tags(Name=f"igw-{vpc.index:02d}"),
                }
            )
            for a, nat in enumerate(vpc.nat_ids):
                eni = self.rid("eni", "nat", vpc.index, a)
                alloc = self.rid("eipalloc", vpc.index, a)
                assoc = self.rid("eipassoc", vpc.index, a)
                private_ip = self.next_ip(vpc, a)
                public_ip = f"54.{64 + vpc.index // 64}.{vpc.index % 64 * 4 + a}.{10 + a}"
                nat_state = "failed" if (vpc.index, a) == (17, 1) else "available"
                nats.append(
                    {
                        "CreateTime": TS,
                        "NatGatewayAddresses": [
                            {
                                "AllocationId": alloc,
                                "NetworkInterfaceId": eni,
                                "PrivateIp": private_ip,
                                "PublicIp": public_ip,
                                "AssociationId": assoc,
                                "IsPrimary": True,
                                "Status": "succeeded",
                            }
                        ],
                        "NatGatewayId": nat,
                        "State": nat_state,
                        "SubnetId": vpc.subnet_ids[a],
                        "VpcId": vpc.id,
                        "Tags": tags(Name=f"nat-{vpc.index:02d}-{AZS[a][0][-1]}"),
                        "ConnectivityType": "public",
                        **(
                            {
                                "FailureCode": "Gateway.NotAttached",
                                "FailureMessage": "Network vpc is not attached to any IGW",
                            }
                            if nat_state == "failed"
                            else {}
                        ),
                    }
                )
                addresses.append(
                    {
                        "AllocationId": alloc,
                        "AssociationId": assoc,
                        "Domain": "vpc",
                        "NetworkInterfaceId": eni,
                        "NetworkInterfaceOwnerId": ACCOUNT,
                        "PrivateIpAddress": private_ip,
                        "PublicIp": public_ip,
                        "PublicIpv4Pool": "amazon",
                        "NetworkBorderGroup": REGION,
                    }
                )
                self.nat_enis.append(
                    self.eni(
                        vpc,
                        a,
                        eni,
                        private_ip,
                        interface_type="nat_gateway",
                        description=f"Interface for NAT Gateway {nat}",
                        groups=[],
                        requester=None,
                        managed=True,
                        public_ip=public_ip,
                        source_dest_check=False,
                        attachment=None,
                    )
                )
        self.write("ec2", "describe-internet-gateways", {"InternetGateways": igws})
        self.write("ec2", "describe-nat-gateways", {"NatGateways": nats})
        self.write("ec2", "describe-addresses", {"Addresses": addresses})
        self.write(
            "ec2",
            "describe-egress-only-internet-gateways",
            {
                "EgressOnlyInternetGateways": [
                    {
                        "Attachments": [{"State": "attached", "VpcId": self.vpcs[0].id}],
                        "EgressOnlyInternetGatewayId": self.rid("eigw", 0),
                        "Tags": tags(Name="eigw-shared"),
                    }
                ]
            },
        )
        self.count("NAT gateways", len(nats))

    def eni(
        self,
        vpc: VpcPlan,
        j: int,
        eni_id: str,
        ip: str,
        *,
        interface_type: str,
        description: str,
        groups: list[str],
        requester: str | None,
        managed: bool,
        public_ip: str | None = None,
        source_dest_check: bool = True,
        attachment: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        az = AZS[vpc.az_of(j)][0]
        dns = f"ip-{ip.replace('.', '-')}.{REGION}.compute.internal"
        out: dict[str, Any] = {
            "AvailabilityZone": az,
            "Description": description,
            "Groups": [{"GroupName": f"sg-name-{g[-6:]}", "GroupId": g} for g in groups],
            "InterfaceType": interface_type,
            "Ipv6Addresses": [],
            "MacAddress": "06:" + ":".join(eni_id[-10:][i : i + 2] for i in range(0, 10, 2)),
            "NetworkInterfaceId": eni_id,
            "OwnerId": ACCOUNT,
            "PrivateDnsName": dns,
            "PrivateIpAddress": ip,
            "PrivateIpAddresses": [
                {"Primary": True, "PrivateIpAddress": ip, "PrivateDnsName": dns}
            ],
            "RequesterManaged": managed,
            "SourceDestCheck": source_dest_check,
            "Status": "in-use",
            "SubnetId": vpc.subnet_ids[j],
            "TagSet": [],
            "VpcId": vpc.id,
        }
        if requester:
            out["RequesterId"] = requester
        if public_ip:
            assoc = {"IpOwnerId": "amazon", "PublicDnsName": "", "PublicIp": public_ip}
            out["Association"] = assoc
            out["PrivateIpAddresses"][0]["Association"] = assoc
        if attachment:
            out["Attachment"] = attachment
        self.count("network interfaces")
        return out

    def endpoints_and_enis_prep(self) -> None:
        endpoints: list[dict[str, Any]] = []
        self.vpce_enis: list[dict[str, Any]] = []
        self.gateway_endpoints: dict[tuple[str, str], str] = {}
        for vpc in self.vpcs:
            v = vpc.index
            for svc in ("s3", "dynamodb"):
                if svc == "dynamodb" and v % 2:
                    continue
                vpce = self.rid("vpce", v, svc)
                self.gateway_endpoints[(vpc.id, svc)] = vpce
                endpoints.append(
                    {
                        "VpcEndpointId": vpce,
                        "VpcEndpointType": "Gateway",
                        "VpcId": vpc.id,
                        "ServiceName": f"com.amazonaws.{REGION}.{svc}",
                        "State": "available",
                        "PolicyDocument": json.dumps(
                            {
                                "Version": "2008-10-17",
                                "Statement": [
                                    {
                                        "Effect": "Allow",
                                        "Principal": "*",
                                        "Action": "*",
                                        "Resource": "*",
                                    }
                                ],
                            }
                        ),
                        "RouteTableIds": vpc.route_table_ids[1:],
                        "SubnetIds": [],
                        "Groups": [],
                        "PrivateDnsEnabled": False,
                        "RequesterManaged": False,
                        "NetworkInterfaceIds": [],
                        "DnsEntries": [],
                        "CreationTimestamp": TS,
                        "Tags": tags(Name=f"{svc}-gw-{v:02d}"),
                        "OwnerId": ACCOUNT,
                    }
                )
            if v % 2:
                continue
            for n, svc in enumerate(INTERFACE_SERVICES):
                if (v + n) % 3 == 0:
                    continue
                vpce = self.rid("vpce", v, svc)
                enis = []
                for j in (3, 4, 5):
                    eni_id = self.rid("eni", "vpce", v, svc, j)
                    enis.append(eni_id)
                    self.vpce_enis.append(
                        self.eni(
                            vpc,
                            j,
                            eni_id,
                            self.next_ip(vpc, j),
                            interface_type="vpc_endpoint",
                            description=f"VPC Endpoint Interface {vpce}",
                            groups=[vpc.sg_ids[90]],
                            requester="727180483921",
                            managed=True,
                        )
                    )
                suffix = f"{vpce}-{eni_id[-8:]}.{svc}.{REGION}.vpce.amazonaws.com"
                endpoints.append(
                    {
                        "VpcEndpointId": vpce,
                        "VpcEndpointType": "Interface",
                        "VpcId": vpc.id,
                        "ServiceName": f"com.amazonaws.{REGION}.{svc}",
                        "State": "available" if (v, svc) != (4, "sts") else "pendingAcceptance",
                        "PolicyDocument": json.dumps(
                            {
                                "Statement": [
                                    {
                                        "Effect": "Allow",
                                        "Principal": "*",
                                        "Action": "*",
                                        "Resource": "*",
                                    }
                                ]
                            }
                        ),
                        "RouteTableIds": [],
                        "SubnetIds": [vpc.subnet_ids[j] for j in (3, 4, 5)],
                        "Groups": [{"GroupId": vpc.sg_ids[90], "GroupName": "vpce-https"}],
                        "IpAddressType": "ipv4",
                        "DnsOptions": {"DnsRecordIpType": "ipv4"},
                        "PrivateDnsEnabled": n % 4 != 3,
                        "RequesterManaged": False,
                        "NetworkInterfaceIds": enis,
                        "DnsEntries": [
                            {"DnsName": suffix, "HostedZoneId": "Z2E726K9Y6RL4W"},
                            {
                                "DnsName": f"{svc}.{REGION}.amazonaws.com",
                                "HostedZoneId": self.rid("Z", v, svc, length=14),
                            },
                        ],
                        "CreationTimestamp": TS,
                        "Tags": tags(Name=f"{svc}-{v:02d}"),
                        "OwnerId": ACCOUNT,
                    }
                )
        self.write("ec2", "describe-vpc-endpoints", {"VpcEndpoints": endpoints})
        self.count("VPC endpoints", len(endpoints))

    def security_groups(self) -> None:
        groups: list[dict[str, Any]] = []
        rules = 0
        pl_ids = [pl for pl, _, _ in self.customer_pls]
        for vpc in self.vpcs:
            v = vpc.index
            for k, sg in enumerate(vpc.sg_ids):
                rng = self.rng
                if k == 0:
                    name = "default"
                elif k <= LAMBDA_GROUPS_PER_VPC:
                    name = f"lambda-{v:02d}-{k:02d}"
                elif k == 90:
                    name = "vpce-https"
                else:
                    name = f"app-{v:02d}-{k:03d}"
                ingress: list[dict[str, Any]] = []
                egress: list[dict[str, Any]] = []
                if k == 0:
                    ingress.append(
                        {
                            "IpProtocol": "-1",
                            "IpRanges": [],
                            "Ipv6Ranges": [],
                            "PrefixListIds": [],
                            "UserIdGroupPairs": [{"GroupId": sg, "UserId": ACCOUNT}],
                        }
                    )
                elif k == 90:
                    ingress.append(self._perm("tcp", 443, 443, cidrs=[str(vpc.cidr), "10.0.0.0/8"]))
                else:
                    peers = rng.sample(vpc.sg_ids[1:], 3)
                    ingress.append(
                        self._perm("tcp", 443, 443, cidrs=[str(vpc.cidr), "172.16.0.0/12"])
                    )
                    ingress.append(self._perm("tcp", 8080, 8080, groups=peers[:2]))
                    ingress.append(self._perm("tcp", 5432, 5432, groups=peers[2:]))
                    ingress.append(
                        self._perm("tcp", 22, 22, cidrs=["10.0.0.0/8"], pls=[rng.choice(pl_ids)])
                    )
                    ingress.append(self._perm("udp", 53, 53, cidrs=[str(vpc.cidr)]))
                    ingress.append(self._perm("icmp", -1, -1, cidrs=["10.0.0.0/8"]))
                    if vpc.peers and k % 4 == 0:
                        peer_vpc_id, pcx = next(iter(vpc.peers.items()))
                        peer = next(p for p in self.vpcs if p.id == peer_vpc_id)
                        ingress.append(
                            {
                                "FromPort": 6379,
                                "IpProtocol": "tcp",
                                "IpRanges": [],
                                "Ipv6Ranges": [],
                                "PrefixListIds": [],
                                "ToPort": 6379,
                                "UserIdGroupPairs": [
                                    {
                                        "GroupId": peer.sg_ids[k],
                                        "UserId": ACCOUNT,
                                        "VpcId": peer.id,
                                        "VpcPeeringConnectionId": pcx,
                                        "PeeringStatus": "active",
                                    }
                                ],
                            }
                        )
                if k <= LAMBDA_GROUPS_PER_VPC and k % 7 == 6:
                    # A restricted Lambda group: no route to the internet through it.
                    egress.append(self._perm("tcp", 443, 443, cidrs=["10.0.0.0/8"]))
                    egress.append(self._perm("tcp", 5432, 5432, groups=vpc.sg_ids[30:32]))
                    egress.append(self._perm("tcp", 443, 443, pls=[S3_PL]))
                else:
                    egress.append(
                        {
                            "IpProtocol": "-1",
                            "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                            "Ipv6Ranges": [],
                            "PrefixListIds": [],
                            "UserIdGroupPairs": [],
                        }
                    )
                if k > LAMBDA_GROUPS_PER_VPC and k % 3 == 0:
                    egress.append(self._perm("udp", 53, 53, cidrs=[str(vpc.cidr)]))
                for perm in (*ingress, *egress):
                    rules += (
                        len(perm["IpRanges"])
                        + len(perm["Ipv6Ranges"])
                        + len(perm["PrefixListIds"])
                        + len(perm["UserIdGroupPairs"])
                    )
                groups.append(
                    {
                        "Description": "default VPC security group" if k == 0 else f"{name} group",
                        "GroupName": name,
                        "IpPermissions": ingress,
                        "OwnerId": ACCOUNT,
                        "GroupId": sg,
                        "IpPermissionsEgress": egress,
                        "Tags": [] if k == 0 else tags(Name=name),
                        "VpcId": vpc.id,
                        "SecurityGroupArn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{sg}",
                    }
                )
        self.write("ec2", "describe-security-groups", {"SecurityGroups": groups})
        self.count("security groups", len(groups))
        self.count("security group rules", rules)

    @staticmethod
    def _perm(
        proto: str,
        low: int,
        high: int,
        *,
        cidrs: list[str] | None = None,
        groups: list[str] | None = None,
        pls: list[str] | None = None,
    ) -> dict[str, Any]:
        return {
            "FromPort": low,
            "IpProtocol": proto,
            "ToPort": high,
            "IpRanges": [{"CidrIp": c, "Description": "generated"} for c in cidrs or ()],
            "Ipv6Ranges": [],
            "PrefixListIds": [{"PrefixListId": p} for p in pls or ()],
            "UserIdGroupPairs": [{"GroupId": g, "UserId": ACCOUNT} for g in groups or ()],
        }

    def route_tables(self) -> None:
        out: list[dict[str, Any]] = []
        n_routes = 0
        corp_pl = self.customer_pls[0][0]
        for vpc in self.vpcs:
            v = vpc.index
            private_by_az: dict[int, list[int]] = {0: [], 1: [], 2: []}
            for j in vpc.private_subnets():
                private_by_az[vpc.az_of(j)].append(j)
            private_rts = list(range(2, ROUTE_TABLES_PER_VPC))
            rt_subnets: dict[int, list[int]] = {k: [] for k in range(ROUTE_TABLES_PER_VPC)}
            rt_subnets[1] = [0, 1, 2]
            rts_by_az = {a: [k for k in private_rts if k % 3 == a] for a in range(3)}
            for a, subnets in private_by_az.items():
                for n, j in enumerate(subnets):
                    rts = rts_by_az[a]
                    if n < len(rts) * 2:
                        rt_subnets[rts[n % len(rts)]].append(j)
                    # The rest use the main route table (implicit association).
            for k, rtb in enumerate(vpc.route_table_ids):
                routes: list[dict[str, Any]] = [local_route(str(vpc.cidr))]
                if k == 1:
                    routes.append(route("0.0.0.0/0", GatewayId=vpc.igw_id))
                elif k > 1:
                    az = k % 3
                    if k % 10 != 7:
                        state = "active" if k % 13 != 4 else "blackhole"
                        routes.append(route("0.0.0.0/0", NatGatewayId=vpc.nat_ids[az], state=state))
                    if vpc.tgw_attached:
                        routes.append(route("10.0.0.0/8", TransitGatewayId=self.tgw_id))
                        routes.append(route(corp_pl, TransitGatewayId=self.tgw_id))
                    if k % 2 == 0:
                        for peer_id, pcx in vpc.peers.items():
                            peer = next(p for p in self.vpcs if p.id == peer_id)
                            routes.append(route(str(peer.cidr), VpcPeeringConnectionId=pcx))
                if k >= 1:
                    for svc in ("s3", "dynamodb"):
                        vpce = self.gateway_endpoints.get((vpc.id, svc))
                        if vpce:
                            routes.append(route(S3_PL if svc == "s3" else DDB_PL, GatewayId=vpce))
                associations: list[dict[str, Any]] = []
                if k == 0:
                    associations.append(
                        route_table_association(self.rid("rtbassoc", v, k), rtb, main=True)
                    )
                for j in rt_subnets[k]:
                    associations.append(
                        route_table_association(
                            self.rid("rtbassoc", v, k, j), rtb, vpc.subnet_ids[j]
                        )
                    )
                n_routes += len(routes)
                out.append(
                    {
                        "Associations": associations,
                        "PropagatingVgws": [],
                        "RouteTableId": rtb,
                        "Routes": routes,
                        "Tags": tags(
                            Name=["main", "public"][k] if k < 2 else f"private-{v:02d}-{k:02d}"
                        ),
                        "VpcId": vpc.id,
                        "OwnerId": ACCOUNT,
                    }
                )
        self.write("ec2", "describe-route-tables", {"RouteTables": out})
        self.count("route tables", len(out))
        self.count("routes", n_routes)

    def network_acls(self) -> None:
        out: list[dict[str, Any]] = []
        for vpc in self.vpcs:
            v = vpc.index
            custom = {k: [k - 1] for k in range(1, NACLS_PER_VPC)}
            for k in range(NACLS_PER_VPC):
                acl = self.rid("acl", v, k)
                entries: list[dict[str, Any]] = []
                for egress in (False, True):
                    if k == 0:
                        entries.append(network_acl_entry(100, egress, "-1", "allow", "0.0.0.0/0"))
                    else:
                        entries.append(
                            network_acl_entry(100, egress, "6", "allow", "0.0.0.0/0", (443, 443))
                        )
                        if not (egress is False and k % 13 == 5):
                            entries.append(
                                network_acl_entry(
                                    110, egress, "6", "allow", "0.0.0.0/0", (1024, 65535)
                                )
                            )
                        entries.append(network_acl_entry(120, egress, "-1", "allow", "10.0.0.0/8"))
                        entries.append(
                            network_acl_entry(130, egress, "17", "allow", str(vpc.cidr), (53, 53))
                        )
                        if k % 11 == 3:
                            entries.append(
                                network_acl_entry(
                                    90, egress, "6", "deny", "203.0.113.0/24", (443, 443)
                                )
                            )
                    entries.append(network_acl_entry(32767, egress, "-1", "deny", "0.0.0.0/0"))
                if k == 0:
                    subnets = [j for j in range(NACLS_PER_VPC - 1, SUBNETS_PER_VPC)]
                else:
                    subnets = custom[k]
                out.append(
                    {
                        "Associations": [
                            network_acl_association(
                                self.rid("aclassoc", v, j), acl, vpc.subnet_ids[j]
                            )
                            for j in subnets
                        ],
                        "Entries": entries,
                        "IsDefault": k == 0,
                        "NetworkAclId": acl,
                        "Tags": tags(Name=f"acl-{v:02d}-{k:02d}") if k else [],
                        "VpcId": vpc.id,
                        "OwnerId": ACCOUNT,
                    }
                )
        self.write("ec2", "describe-network-acls", {"NetworkAcls": out})
        self.count("network ACLs", len(out))

    def transit_gateway(self) -> None:
        self.write(
            "ec2",
            "describe-transit-gateways",
            {
                "TransitGateways": [
                    {
                        "TransitGatewayId": self.tgw_id,
                        "TransitGatewayArn": f"{ARN_EC2}:transit-gateway/{self.tgw_id}",
                        "State": "available",
                        "OwnerId": ACCOUNT,
                        "Description": "core",
                        "CreationTime": TS,
                        "Options": {
                            "AmazonSideAsn": 64512,
                            "AutoAcceptSharedAttachments": "disable",
                            "DefaultRouteTableAssociation": "enable",
                            "AssociationDefaultRouteTableId": self.tgw_rtbs[0],
                            "DefaultRouteTablePropagation": "enable",
                            "PropagationDefaultRouteTableId": self.tgw_rtbs[0],
                            "VpnEcmpSupport": "enable",
                            "DnsSupport": "enable",
                            "MulticastSupport": "disable",
                        },
                        "Tags": tags(Name="core-tgw"),
                    }
                ]
            },
        )
        attachments: list[dict[str, Any]] = []
        vpc_attachments: list[dict[str, Any]] = []
        routes: dict[str, list[dict[str, Any]]] = {r: [] for r in self.tgw_rtbs}
        for vpc in self.vpcs:
            if not vpc.tgw_attached:
                continue
            att = self.rid("tgw-attach", vpc.index)
            rtb = self.tgw_rtbs[0 if vpc.index else 1]
            attachments.append(
                {
                    "TransitGatewayAttachmentId": att,
                    "TransitGatewayId": self.tgw_id,
                    "TransitGatewayOwnerId": ACCOUNT,
                    "ResourceOwnerId": ACCOUNT,
                    "ResourceType": "vpc",
                    "ResourceId": vpc.id,
                    "State": "available",
                    "Association": {"TransitGatewayRouteTableId": rtb, "State": "associated"},
                    "CreationTime": TS,
                    "Tags": tags(Name=f"attach-{vpc.index:02d}"),
                }
            )
            vpc_attachments.append(
                {
                    "TransitGatewayAttachmentId": att,
                    "TransitGatewayId": self.tgw_id,
                    "VpcId": vpc.id,
                    "VpcOwnerId": ACCOUNT,
                    "State": "available",
                    "SubnetIds": [vpc.subnet_ids[j] for j in (3, 4, 5)],
                    "CreationTime": TS,
                    "Options": {
                        "DnsSupport": "enable",
                        "Ipv6Support": "disable",
                        "ApplianceModeSupport": "disable",
                    },
                    "Tags": [],
                }
            )
            for r in self.tgw_rtbs:
                if vpc.index % 7 == 3 and r == self.tgw_rtbs[0]:
                    continue  # propagation missing: a realistic gap
                routes[r].append(
                    {
                        "DestinationCidrBlock": str(vpc.cidr),
                        "TransitGatewayAttachments": [
                            {
                                "ResourceId": vpc.id,
                                "TransitGatewayAttachmentId": att,
                                "ResourceType": "vpc",
                            }
                        ],
                        "Type": "propagated",
                        "State": "active",
                    }
                )
        attachments.append(
            {
                "TransitGatewayAttachmentId": self.vpn_attachment,
                "TransitGatewayId": self.tgw_id,
                "TransitGatewayOwnerId": ACCOUNT,
                "ResourceOwnerId": ACCOUNT,
                "ResourceType": "vpn",
                "ResourceId": self.rid("vpn", 0),
                "State": "available",
                "Association": {
                    "TransitGatewayRouteTableId": self.tgw_rtbs[1],
                    "State": "associated",
                },
                "CreationTime": TS,
                "Tags": tags(Name="onprem-vpn"),
            }
        )
        for r in self.tgw_rtbs:
            routes[r].append(
                {
                    "DestinationCidrBlock": "192.168.0.0/16",
                    "TransitGatewayAttachments": [
                        {
                            "ResourceId": self.rid("vpn", 0),
                            "TransitGatewayAttachmentId": self.vpn_attachment,
                            "ResourceType": "vpn",
                        }
                    ],
                    "Type": "static",
                    "State": "active",
                }
            )
            routes[r].append(
                {"DestinationCidrBlock": "10.250.0.0/16", "Type": "static", "State": "blackhole"}
            )
            routes[r].append(
                {
                    "PrefixListId": self.customer_pls[1][0],
                    "TransitGatewayAttachments": [
                        {
                            "ResourceId": self.rid("vpn", 0),
                            "TransitGatewayAttachmentId": self.vpn_attachment,
                            "ResourceType": "vpn",
                        }
                    ],
                    "Type": "static",
                    "State": "active",
                }
            )
            self.write(
                "ec2",
                "search-transit-gateway-routes",
                {"Routes": routes[r], "AdditionalRoutesAvailable": False},
                owner=r,
            )
        self.write(
            "ec2",
            "describe-transit-gateway-attachments",
            {"TransitGatewayAttachments": attachments},
        )
        self.write(
            "ec2",
            "describe-transit-gateway-vpc-attachments",
            {"TransitGatewayVpcAttachments": vpc_attachments},
        )
        self.write(
            "ec2",
            "describe-transit-gateway-route-tables",
            {
                "TransitGatewayRouteTables": [
                    {
                        "TransitGatewayRouteTableId": r,
                        "TransitGatewayId": self.tgw_id,
                        "State": "available",
                        "DefaultAssociationRouteTable": n == 0,
                        "DefaultPropagationRouteTable": n == 0,
                        "CreationTime": TS,
                        "Tags": tags(Name=("spokes", "shared")[n]),
                    }
                    for n, r in enumerate(self.tgw_rtbs)
                ]
            },
        )

    def functions_and_enis(self) -> None:
        rng = self.rng
        enis: list[dict[str, Any]] = [*self.nat_enis, *self.vpce_enis]
        # Lambda VpcConfigs: a few per VPC, shared by many functions (Hyperplane ENIs are per
        # (subnet, security-group set), not per function).
        for vpc in self.vpcs:
            for p in range(PROFILES_PER_VPC):
                js = [3 + ((p * 3 + a * 7) % (SUBNETS_PER_VPC - 3)) for a in range(3)]
                js = [3 + ((j - 3) - (j - 3) % 3 + a) for a, j in enumerate(js)]
                if p % 5 == 4:
                    js = js[:1]  # single-AZ function: a warning, not an error
                sgs = rng.sample(vpc.lambda_sg_ids, 1 + p % 2)
                vpc.profiles.append((tuple(vpc.subnet_ids[j] for j in js), tuple(sgs)))
        configs: list[dict[str, Any]] = []
        used: dict[tuple[int, int], str] = {}
        for n in range(self.n_functions):
            vpc = self.vpcs[n % self.n_vpcs]
            p = rng.randrange(PROFILES_PER_VPC)
            subnet_ids, sg_ids = vpc.profiles[p]
            name = f"{('orders', 'billing', 'search', 'etl', 'auth', 'notify')[n % 6]}-{n:05d}"
            used.setdefault((vpc.index, p), name)
            configs.append(
                self._function(
                    n,
                    name,
                    {
                        "SubnetIds": list(subnet_ids),
                        "SecurityGroupIds": list(sg_ids),
                        "VpcId": vpc.id,
                        "Ipv6AllowedForDualStack": False,
                    },
                )
            )
        for n in range(max(1, self._n(40))):
            configs.append(self._function(self.n_functions + n, f"edge-{n:04d}", None))
        for (v, p), first in sorted(used.items()):
            vpc = self.vpcs[v]
            subnet_ids, sg_ids = vpc.profiles[p]
            for sid in subnet_ids:
                j = vpc.subnet_ids.index(sid)
                eni_id = self.rid("eni", "lambda", v, p, j)
                enis.append(
                    self.eni(
                        vpc,
                        j,
                        eni_id,
                        self.next_ip(vpc, j),
                        interface_type="lambda",
                        description=f"AWS Lambda VPC ENI-{first}-{eni_id[-8:]}",
                        groups=list(sg_ids),
                        requester=f"AROAEXAMPLELAMBDA{v:04d}:{first}",
                        managed=True,
                        attachment={
                            "AttachmentId": self.rid("ela-attach", v, p, j),
                            "AttachTime": TS,
                            "DeleteOnTermination": False,
                            "DeviceIndex": 1,
                            "InstanceOwnerId": "amazon-aws",
                            "Status": "attached",
                        },
                    )
                )
        list_functions = []
        for c in configs:
            name = c["FunctionName"]
            self.function_names.append(name)
            self.write("lambda", "get-function-configuration", c, owner=name)
            listed = {
                k: val
                for k, val in c.items()
                if k
                not in (
                    "State",
                    "StateReason",
                    "StateReasonCode",
                    "LastUpdateStatus",
                    "LastUpdateStatusReason",
                    "LastUpdateStatusReasonCode",
                )
            }
            list_functions.append(listed)
        self.write("lambda", "list-functions", {"Functions": list_functions})
        for n, name in enumerate(self.function_names[: self._n(60)]):
            if n % 3 == 0:
                self.write(
                    "lambda",
                    "get-function-concurrency",
                    {"ReservedConcurrentExecutions": n % 7},
                    owner=name,
                )
            self.write(
                "lambda",
                "list-provisioned-concurrency-configs",
                {
                    "ProvisionedConcurrencyConfigs": []
                    if n % 2
                    else [
                        {
                            "FunctionArn": f"{ARN_LAMBDA}:function:{name}:live",
                            "RequestedProvisionedConcurrentExecutions": 5,
                            "AvailableProvisionedConcurrentExecutions": 5,
                            "AllocatedProvisionedConcurrentExecutions": 5,
                            "Status": "READY",
                            "LastModified": LAMBDA_TS,
                        }
                    ]
                },
                owner=name,
            )
        self.count("functions", len(configs))
        # Instance ENIs fill the account up to the requested count.
        filler = self.n_enis - len(enis)
        for n in range(max(0, filler)):
            vpc = self.vpcs[n % self.n_vpcs]
            j = rng.randrange(SUBNETS_PER_VPC)
            inst = self.rid("i", vpc.index, n)
            ip = self.next_ip(vpc, j)
            vpc.host_ips.append(ip)
            enis.append(
                self.eni(
                    vpc,
                    j,
                    self.rid("eni", "inst", n),
                    ip,
                    interface_type="interface",
                    description="" if n % 5 else "Primary network interface",
                    groups=rng.sample(vpc.sg_ids[LAMBDA_GROUPS_PER_VPC + 1 :], 1 + n % 3),
                    requester=None,
                    managed=False,
                    public_ip=f"13.{112 + n // 65000}.{n // 250 % 256}.{n % 250 + 1}"
                    if j < 3
                    else None,
                    attachment={
                        "AttachTime": TS,
                        "AttachmentId": self.rid("eni-attach", n),
                        "DeleteOnTermination": True,
                        "DeviceIndex": 0,
                        "NetworkCardIndex": 0,
                        "InstanceId": inst,
                        "InstanceOwnerId": ACCOUNT,
                        "Status": "attached",
                    },
                )
            )
        self.write("ec2", "describe-network-interfaces", {"NetworkInterfaces": enis})

    def _function(self, n: int, name: str, vpc_config: dict[str, Any] | None) -> dict[str, Any]:
        state, reason_code, reason = "Active", None, None
        if n % 97 == 13:
            state, reason_code = "Failed", "SubnetOutOfIPAddresses"
            reason = "The function could not be created: no free IP addresses in the subnet."
        elif n % 89 == 7:
            state, reason_code, reason = "Pending", "Creating", "The function is being created."
        package = "Image" if n % 11 == 0 else "Zip"
        out: dict[str, Any] = {
            "FunctionName": name,
            "FunctionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}",
            "Role": f"arn:aws:iam::{ACCOUNT}:role/{name}-role",
            "CodeSize": 4096 + n,
            "Description": f"generated function {n}",
            "Timeout": 30,
            "MemorySize": 512,
            "LastModified": LAMBDA_TS,
            "CodeSha256": hashlib.sha256(name.encode()).hexdigest(),
            "Version": "$LATEST",
            "TracingConfig": {"Mode": "PassThrough"},
            "RevisionId": self.rid("rev", n, length=36),
            "PackageType": package,
            "Architectures": ["arm64" if n % 2 else "x86_64"],
            "EphemeralStorage": {"Size": 512},
            "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"},
            "LoggingConfig": {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"},
            "State": state,
            "LastUpdateStatus": "Successful",
        }
        if package == "Zip":
            out["Runtime"] = RUNTIMES[n % len(RUNTIMES)]
            out["Handler"] = "app.handler"
        if reason_code:
            out["StateReasonCode"] = reason_code
            out["StateReason"] = reason
        if vpc_config is not None:
            out["VpcConfig"] = vpc_config
        return out

    def load_balancers_and_databases(self) -> None:
        lbs: list[dict[str, Any]] = []
        dbs: list[dict[str, Any]] = []
        for n in range(self._n(100)):
            vpc = self.vpcs[n % self.n_vpcs]
            name = f"internal-api-{n:03d}"
            dns = f"internal-{name}-{1000000 + n}.{REGION}.elb.amazonaws.com"
            self.lb_dns.append((dns, vpc.id))
            lbs.append(
                {
                    "LoadBalancerArn": f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:"
                    f"loadbalancer/app/{name}/{self.rid('lb', n)[3:19]}",
                    "DNSName": dns,
                    "CanonicalHostedZoneId": ELB_ZONE,
                    "CreatedTime": TS,
                    "LoadBalancerName": name,
                    "Scheme": "internal",
                    "VpcId": vpc.id,
                    "State": {"Code": "active"},
                    "Type": "application",
                    "AvailabilityZones": [
                        {"ZoneName": AZS[a][0], "SubnetId": vpc.subnet_ids[3 + a]} for a in range(3)
                    ],
                    "SecurityGroups": [vpc.sg_ids[40 + n % 10]],
                    "IpAddressType": "ipv4",
                }
            )
            db = f"db-{n:03d}"
            dbs.append(
                {
                    "DBInstanceIdentifier": db,
                    "DBInstanceClass": "db.r6g.large",
                    "Engine": "postgres",
                    "DBInstanceStatus": "available",
                    "Endpoint": {
                        "Address": f"{db}.c1abcdefgh.{REGION}.rds.amazonaws.com",
                        "Port": 5432,
                        "HostedZoneId": "Z24O6O9L7SGTNB",
                    },
                    "VpcSecurityGroups": [
                        {"VpcSecurityGroupId": vpc.sg_ids[30 + n % 2], "Status": "active"}
                    ],
                    "DBSubnetGroup": {
                        "DBSubnetGroupName": f"dbsubnets-{vpc.index:02d}",
                        "VpcId": vpc.id,
                        "SubnetGroupStatus": "Complete",
                        "Subnets": [
                            {
                                "SubnetIdentifier": vpc.subnet_ids[6 + a],
                                "SubnetAvailabilityZone": {"Name": AZS[a][0]},
                                "SubnetStatus": "Active",
                            }
                            for a in range(3)
                        ],
                    },
                    "PubliclyAccessible": False,
                    "MultiAZ": n % 2 == 0,
                }
            )
        self.write("elbv2", "describe-load-balancers", {"LoadBalancers": lbs})
        self.write("rds", "describe-db-instances", {"DBInstances": dbs})

    def zone_names(self) -> Iterator[str]:
        teams = ("payments", "orders", "search", "identity", "data", "platform", "ml", "ops")
        for z in range(self.n_zones):
            if z == 0:
                yield f"secretsmanager.{REGION}.amazonaws.com"
            elif z == 1:
                yield "corp.internal"
            else:
                yield f"{teams[z % len(teams)]}{z:03d}.{('corp', 'svc', 'int')[z % 3]}.internal"

    def route53(self) -> None:
        zones: list[dict[str, Any]] = []
        per_zone = max(3, -(-self.n_records // self.n_zones))
        records_total = 0
        for z, name in enumerate(self.zone_names()):
            zid = self.rid("Z", "zone", z, length=21).replace("Z-0", "Z0").upper()
            fq = name + "."
            vpcs = [self.vpcs[(z * 7 + i) % self.n_vpcs] for i in range(1 + z % 5)]
            if z == 1:
                vpcs = self.vpcs[: max(1, self.n_vpcs // 2)]
            if z % 29 == 11:
                vpcs = []  # a zone associated with no VPC: the usual bug
            records: list[dict[str, Any]] = [
                {
                    "Name": fq,
                    "Type": "NS",
                    "TTL": 172800,
                    "ResourceRecords": [
                        {"Value": "ns-1536.awsdns-00.co.uk."},
                        {"Value": "ns-0.awsdns-00.com."},
                        {"Value": "ns-1024.awsdns-00.org."},
                        {"Value": "ns-512.awsdns-00.net."},
                    ],
                },
                {
                    "Name": fq,
                    "Type": "SOA",
                    "TTL": 900,
                    "ResourceRecords": [
                        {
                            "Value": "ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. "
                            "1 7200 900 1209600 86400"
                        }
                    ],
                },
            ]
            home = vpcs[0] if vpcs else self.vpcs[0]
            for r in range(per_zone - 2):
                kind = r % 10
                rname = f"host-{r:04d}.{fq}"
                if kind < 6:
                    ip = (
                        home.host_ips[(z * 31 + r) % len(home.host_ips)]
                        if home.host_ips
                        else str(home.cidr.network_address + 100 + r)
                    )
                    records.append(
                        {"Name": rname, "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": ip}]}
                    )
                elif kind == 6:
                    records.append(
                        {
                            "Name": f"svc-{r:04d}.{fq}",
                            "Type": "CNAME",
                            "TTL": 60,
                            "ResourceRecords": [{"Value": f"host-{r - 1:04d}.{fq}"}],
                        }
                    )
                elif kind == 7 and self.lb_dns:
                    dns, _ = self.lb_dns[(z + r) % len(self.lb_dns)]
                    records.append(
                        {
                            "Name": f"api-{r:04d}.{fq}",
                            "Type": "A",
                            "AliasTarget": {
                                "HostedZoneId": ELB_ZONE,
                                "DNSName": f"{dns}.",
                                "EvaluateTargetHealth": r % 2 == 0,
                            },
                        }
                    )
                elif kind == 8:
                    records.append(
                        {
                            "Name": f"w-{r // 20:04d}.{fq}",
                            "Type": "A",
                            "SetIdentifier": f"w{r}",
                            "Weight": 50,
                            "TTL": 60,
                            "ResourceRecords": [
                                {"Value": str(home.cidr.network_address + 200 + r % 50)}
                            ],
                        }
                    )
                else:
                    records.append(
                        {
                            "Name": f"txt-{r:04d}.{fq}",
                            "Type": "TXT",
                            "TTL": 300,
                            "ResourceRecords": [{"Value": f'"v=generated {r}"'}],
                        }
                    )
            records_total += len(records)
            self.write(
                "route53",
                "list-resource-record-sets",
                {"ResourceRecordSets": records, "IsTruncated": False, "MaxItems": "300"},
                owner=zid,
            )
            zone = {
                "Id": f"/hostedzone/{zid}",
                "Name": fq,
                "CallerReference": f"gen-{z}",
                "Config": {"Comment": f"generated zone {z}", "PrivateZone": True},
                "ResourceRecordSetCount": len(records),
            }
            zones.append(zone)
            self.write(
                "route53",
                "get-hosted-zone",
                {"HostedZone": zone, "VPCs": [{"VPCRegion": REGION, "VPCId": p.id} for p in vpcs]},
                owner=zid,
            )
        self.write(
            "route53",
            "list-hosted-zones",
            {"HostedZones": zones, "IsTruncated": False, "MaxItems": "100"},
        )
        self.count("hosted zones", len(zones))
        self.count("records", records_total)

    def resolver(self) -> None:
        hub = self.vpcs[0]
        endpoints: list[dict[str, Any]] = []
        out_ep = self.rid("rslvr-out", 0)
        in_ep = self.rid("rslvr-in", 0)
        for ep, direction in ((out_ep, "OUTBOUND"), (in_ep, "INBOUND")):
            ips = []
            for j in (3, 4):
                ips.append(
                    {
                        "IpId": self.rid("rni", ep, j),
                        "SubnetId": hub.subnet_ids[j],
                        "Ip": self.next_ip(hub, j),
                        "Status": "ATTACHED",
                        "StatusMessage": "This IP address is operational.",
                        "CreationTime": TS,
                        "ModificationTime": TS,
                    }
                )
            self.write(
                "route53resolver",
                "list-resolver-endpoint-ip-addresses",
                {"IpAddresses": ips, "MaxResults": 10},
                owner=ep,
            )
            endpoints.append(
                {
                    "Id": ep,
                    "CreatorRequestId": f"gen-{ep}",
                    "Arn": f"arn:aws:route53resolver:{REGION}:{ACCOUNT}:resolver-endpoint/{ep}",
                    "Name": direction.lower(),
                    "SecurityGroupIds": [hub.sg_ids[91]],
                    "Direction": direction,
                    "IpAddressCount": 2,
                    "HostVPCId": hub.id,
                    "Status": "OPERATIONAL",
                    "StatusMessage": "This Resolver Endpoint is operational.",
                    "CreationTime": TS,
                    "ModificationTime": TS,
                    "ResolverEndpointType": "IPV4",
                    "Protocols": ["Do53"],
                }
            )
        self.write(
            "route53resolver",
            "list-resolver-endpoints",
            {"ResolverEndpoints": endpoints, "MaxResults": 10},
        )
        rules: list[dict[str, Any]] = [
            {
                "Id": "rslvr-autodefined-rr-internet-resolver",
                "CreatorRequestId": "",
                "Arn": f"arn:aws:route53resolver:{REGION}:{ACCOUNT}:autodefined-rule/"
                "rslvr-autodefined-rr-internet-resolver",
                "DomainName": ".",
                "Status": "COMPLETE",
                "RuleType": "RECURSIVE",
                "Name": "Internet Resolver",
                "OwnerId": "Route 53 Resolver",
                "ShareStatus": "NOT_SHARED",
            }
        ]
        associations: list[dict[str, Any]] = []
        for n in range(max(2, self._n(30))):
            rule = self.rid("rslvr-rr", n)
            system = n % 10 == 9
            domain = (
                f"aws{n}.corp.example.com."
                if system
                else f"{('corp', 'dc', 'branch', 'legacy')[n % 4]}{n}.example.com."
            )
            if n == 0:
                domain = "corp.example.com."
            r: dict[str, Any] = {
                "Id": rule,
                "CreatorRequestId": f"gen-{rule}",
                "Arn": f"arn:aws:route53resolver:{REGION}:{ACCOUNT}:resolver-rule/{rule}",
                "DomainName": domain,
                "Status": "COMPLETE",
                "StatusMessage": "[Trace id: generated] Successfully created Resolver Rule.",
                "RuleType": "SYSTEM" if system else "FORWARD",
                "Name": f"rule-{n}",
                "OwnerId": ACCOUNT,
                "ShareStatus": "NOT_SHARED",
                "CreationTime": TS,
                "ModificationTime": TS,
            }
            if not system:
                r["TargetIps"] = [
                    {"Ip": "192.168.10.2", "Port": 53, "Protocol": "Do53"},
                    {"Ip": "192.168.11.2", "Port": 53, "Protocol": "Do53"},
                ]
                r["ResolverEndpointId"] = out_ep
            rules.append(r)
            for i in range(n % 3 * 10, self.n_vpcs, 1 + n % 3):
                vpc = self.vpcs[i]
                associations.append(
                    {
                        "Id": self.rid("rslvr-rrassoc", n, i),
                        "ResolverRuleId": rule,
                        "Name": f"rule-{n}-{vpc.index:02d}",
                        "VPCId": vpc.id,
                        "Status": "COMPLETE",
                        "StatusMessage": "",
                    }
                )
        self.write(
            "route53resolver", "list-resolver-rules", {"ResolverRules": rules, "MaxResults": 100}
        )
        self.write(
            "route53resolver",
            "list-resolver-rule-associations",
            {"ResolverRuleAssociations": associations, "MaxResults": 100},
        )
        self.count("resolver rules", len(rules))
        self.count("resolver rule associations", len(associations))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="directory to write (created; files replaced)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiply the resource counts (0.1 for a quick small account)",
    )
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument(
        "--check",
        action="store_true",
        help="also check every file against botocore's output shape, strictly (slow)",
    )
    args = parser.parse_args(argv)
    gen = Generator(args.out, seed=args.seed, scale=args.scale, check=args.check)
    gen.run()
    for error in gen.errors[:50]:
        print(error, file=sys.stderr)
    if gen.errors:
        print(f"{len(gen.errors)} problems", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"wrote {gen.files} files, {gen.bytes / 1e6:.1f} MB to {args.out}")
        for what, n in gen.counts.items():
            print(f"  {n:>7} {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
