"""What every part of the generator shares: the account's constants, the plan of each VPC,
ids, the file writer and ENIs."""

from __future__ import annotations

import hashlib
import ipaddress
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vpcdoctor.graph.live.export import cli_json, relative_file
from vpcdoctor.graph.model.kinds import KINDS_BY_NAME
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


class GeneratorBase:
    """The generator's state and helpers; the parts add one area's outputs each."""

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
