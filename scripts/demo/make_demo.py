"""Generate the bundled demo account: raw AWS CLI JSON outputs under ``snapshot/``.

Run ``python scripts/demo/make_demo.py`` from the repository root. The output is deterministic
(identifiers are hashes of stable names), so re-running it only changes what the code changes.
The JSON files are what ships; this script is how they were made and how they are checked:
``--check`` validates every file against botocore's output shape for its operation (unknown
keys, wrong types, enum values and required members, except pagination members that the AWS
CLI drops when it merges pages) and cross-checks references (every subnet, security group,
route target and ENI named somewhere exists).

The stories the data tells are in ``STORIES.md``; the verdicts a correct engine must reach are
in ``expected.json`` (written by hand, read by the engine's tests).
"""

# ruff: noqa: E501  (data tables: one resource per line reads better than wrapped literals)
from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import shutil
import sys
import uuid
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEMO = ROOT / "graph" / "demo"
sys.path.insert(0, str(HERE))
import named_story  # noqa: E402  (the named-resource stories, beside this script)
import stories_network  # noqa: E402  (stories 18-19: the network account and a dual-stack VPC)

OUT = DEMO / "snapshot"

ACCOUNT = "482917365014"
REGION = "ap-northeast-1"
AZ_ID = {
    "ap-northeast-1a": "apne1-az4",
    "ap-northeast-1c": "apne1-az1",
    "ap-northeast-1d": "apne1-az2",
}
S3_PL = "pl-61a54008"
DDB_PL = "pl-78a54011"
# AWS-managed prefix lists of ap-northeast-1 (describe-prefix-lists).
S3_CIDRS = [
    "3.5.152.0/21",
    "52.219.0.0/20",
    "52.219.16.0/22",
    "52.219.68.0/22",
    "52.219.136.0/22",
    "52.219.152.0/22",
    "52.219.162.0/23",
    "52.219.172.0/22",
    "52.219.176.0/22",
    "52.219.195.0/24",
    "52.219.196.0/22",
    "52.219.200.0/24",
]
DDB_CIDRS = ["52.94.8.0/24", "52.119.160.0/20"]
ELB_ZONE = "Z14GRHDCWA56QT"  # canonical hosted zone of ALBs in ap-northeast-1
VPCE_ZONE = "Z2E726K9Y6RL4W"  # *.vpce.amazonaws.com zone of ap-northeast-1
RDS_SUFFIX = "cx8q2vduvb4e.ap-northeast-1.rds.amazonaws.com"


# --------------------------------------------------------------------------------------------
# Deterministic identifiers
# --------------------------------------------------------------------------------------------


def _h(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def rid(prefix: str, name: str) -> str:
    """``prefix-0`` + 16 hex: AWS's 17-hex-digit resource id format."""
    return f"{prefix}-0{_h(prefix + name)[:16]}"


def hex17(prefix: str, name: str) -> str:
    return f"{prefix}-{_h(prefix + name)[:17]}"


def zone_id(name: str) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    digest = int(_h("zone" + name), 16)
    chars = []
    for _ in range(19):
        digest, r = divmod(digest, len(alphabet))
        chars.append(alphabet[r])
    return "Z0" + "".join(chars)


def uid(name: str) -> str:
    return str(uuid.UUID(_h("uuid" + name)[:32], version=4))


def mac(name: str) -> str:
    h = _h("mac" + name)
    return "06:" + ":".join(h[i : i + 2] for i in range(0, 10, 2))


def sha256_b64(name: str) -> str:
    return base64.b64encode(hashlib.sha256(("code" + name).encode()).digest()).decode()


def tags(name: str, **extra: str) -> list[dict[str, str]]:
    out = [{"Key": "Name", "Value": name}]
    out += [{"Key": k, "Value": v} for k, v in extra.items()]
    return out


def ec2_time(day: str, clock: str = "02:14:31") -> str:
    """EC2 timestamps as the AWS CLI v2 prints them."""
    return f"{day}T{clock}+00:00"


# --------------------------------------------------------------------------------------------
# The account, as plain Python records; rendered to AWS shapes further down
# --------------------------------------------------------------------------------------------


class World:
    def __init__(self) -> None:
        self.vpcs: dict[str, dict[str, Any]] = {}
        self.subnets: dict[str, dict[str, Any]] = {}
        self.rtbs: dict[str, dict[str, Any]] = {}
        self.igws: dict[str, dict[str, Any]] = {}
        self.nats: dict[str, dict[str, Any]] = {}
        self.sgs: dict[str, dict[str, Any]] = {}
        self.acls: dict[str, dict[str, Any]] = {}
        self.enis: dict[str, dict[str, Any]] = {}
        self.eips: dict[str, dict[str, Any]] = {}
        self.vpces: dict[str, dict[str, Any]] = {}
        self.pcxs: dict[str, dict[str, Any]] = {}
        self.functions: dict[str, dict[str, Any]] = {}
        self._next_ip: dict[str, int] = {}
        self.ids: dict[str, str] = {}
        """Friendly key → AWS id, for STORIES/expected and the report."""

    # ---- helpers --------------------------------------------------------------------
    def ip_in(self, subnet_key: str, seed: str) -> str:
        sub = self.subnets[subnet_key]
        net = ipaddress.ip_network(sub["cidr"])
        used = sub.setdefault("_used", set())
        # spread addresses like AWS does (not sequential), deterministic by seed
        size = net.num_addresses
        start = int(_h("ip" + seed), 16) % (size - 5) + 4
        for step in range(size):
            offset = (start + step * 7) % size
            if offset < 4 or offset == size - 1:
                continue
            ip = str(net.network_address + offset)
            if ip not in used:
                used.add(ip)
                return ip
        raise RuntimeError(f"subnet {subnet_key} is full")

    def vpc(
        self,
        key: str,
        name: str,
        cidr: str,
        *,
        hostnames: bool = True,
        default: bool = False,
        created: str = "2023-04-11",
    ) -> str:
        vid = rid("vpc", key)
        self.vpcs[key] = {
            "id": vid,
            "name": name,
            "cidr": cidr,
            "hostnames": hostnames,
            "default": default,
            "created": created,
        }
        self.ids[f"vpc:{key}"] = vid
        return vid

    def subnet(
        self,
        key: str,
        vpc: str,
        name: str,
        az: str,
        cidr: str,
        *,
        public_ip: bool = False,
        default: bool = False,
    ) -> str:
        sid = rid("subnet", key)
        self.subnets[key] = {
            "id": sid,
            "vpc": vpc,
            "name": name,
            "az": "ap-northeast-1" + az,
            "cidr": cidr,
            "public_ip": public_ip,
            "default": default,
        }
        self.ids[f"subnet:{key}"] = sid
        return sid

    def rtb(
        self,
        key: str,
        vpc: str,
        name: str | None,
        routes: list[dict[str, Any]],
        *,
        subnets: Sequence[str] = (),
        main: bool = False,
        vgw: str | None = None,
    ) -> str:
        tid = rid("rtb", key)
        self.rtbs[key] = {
            "id": tid,
            "vpc": vpc,
            "name": name,
            "routes": routes,
            "subnets": list(subnets),
            "main": main,
            "vgw": vgw,
        }
        self.ids[f"rtb:{key}"] = tid
        return tid

    def sg(
        self,
        key: str,
        vpc: str,
        group_name: str,
        description: str,
        *,
        ingress: Sequence[dict[str, Any]] = (),
        egress: list[dict[str, Any]] | None = None,
        name_tag: str | None = None,
    ) -> str:
        gid = rid("sg", key)
        if egress is None:
            egress = [ALL_OUT]
        self.sgs[key] = {
            "id": gid,
            "vpc": vpc,
            "group_name": group_name,
            "description": description,
            "ingress": list(ingress),
            "egress": list(egress),
            "name_tag": name_tag,
        }
        self.ids[f"sg:{key}"] = gid
        return gid

    def eni(
        self,
        key: str,
        subnet: str,
        *,
        kind: str,
        description: str,
        groups: list[str],
        requester_id: str | None = None,
        requester_managed: bool = False,
        attachment: dict[str, Any] | None = None,
        created_day: str = "2024-06-03",
        eip: str | None = None,
        source_dest_check: bool = True,
        ip: str | None = None,
    ) -> str:
        eid = rid("eni", key)
        if ip is None:
            ip = self.ip_in(subnet, key)
        else:
            self.subnets[subnet].setdefault("_used", set()).add(ip)
        self.enis[key] = {
            "id": eid,
            "subnet": subnet,
            "kind": kind,
            "description": description,
            "groups": list(groups),
            "requester_id": requester_id,
            "requester_managed": requester_managed,
            "attachment": attachment,
            "ip": ip,
            "eip": eip,
            "created": created_day,
            "source_dest_check": source_dest_check,
        }
        self.ids[f"eni:{key}"] = eid
        return eid

    def eip(self, key: str, public_ip: str, *, name: str) -> str:
        aid = rid("eipalloc", key)
        self.eips[key] = {
            "id": aid,
            "public_ip": public_ip,
            "name": name,
            "eni": None,
            "assoc": rid("eipassoc", key),
        }
        self.ids[f"eip:{key}"] = aid
        return aid


ALL_OUT = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}


def tcp(
    port: int,
    *,
    cidr: str | None = None,
    group: str | None = None,
    pl: str | None = None,
    description: str | None = None,
    to: int | None = None,
    proto: str = "tcp",
) -> dict[str, Any]:
    rule: dict[str, Any] = {"IpProtocol": proto, "FromPort": port, "ToPort": to or port}
    if cidr:
        rng: dict[str, Any] = {"CidrIp": cidr}
        if description:
            rng["Description"] = description
        rule["IpRanges"] = [rng]
    if group:
        pair: dict[str, Any] = {"GroupId": group, "UserId": ACCOUNT}
        if description:
            pair["Description"] = description
        rule["UserIdGroupPairs"] = [pair]
    if pl:
        pli: dict[str, Any] = {"PrefixListId": pl}
        if description:
            pli["Description"] = description
        rule["PrefixListIds"] = [pli]
    return rule


def route(dest: str, **target: str) -> dict[str, Any]:
    r: dict[str, Any] = {}
    if dest.startswith("pl-"):
        r["DestinationPrefixListId"] = dest
    else:
        r["DestinationCidrBlock"] = dest
    r.update(target)
    r.setdefault("Origin", "CreateRoute")
    r.setdefault("State", "active")
    return r


def lambda_attachment(key: str, day: str) -> dict[str, Any]:
    return {
        "AttachTime": ec2_time(day, "05:41:12"),
        "AttachmentId": rid("ela-attach", key),
        "DeleteOnTermination": False,
        "DeviceIndex": 1,
        "NetworkCardIndex": 0,
        "InstanceOwnerId": "amazon-aws",
        "Status": "attached",
    }


def service_attachment(key: str, owner: str, day: str) -> dict[str, Any]:
    return {
        "AttachTime": ec2_time(day, "03:12:40"),
        "AttachmentId": rid("ela-attach", key),
        "DeleteOnTermination": False,
        "DeviceIndex": 1,
        "NetworkCardIndex": 0,
        "InstanceOwnerId": owner,
        "Status": "attached",
    }


def instance_attachment(key: str, instance: str, day: str) -> dict[str, Any]:
    return {
        "AttachTime": ec2_time(day, "09:03:55"),
        "AttachmentId": rid("eni-attach", key),
        "DeleteOnTermination": True,
        "DeviceIndex": 0,
        "NetworkCardIndex": 0,
        "InstanceId": instance,
        "InstanceOwnerId": ACCOUNT,
        "Status": "attached",
    }


# --------------------------------------------------------------------------------------------
# Building the account
# --------------------------------------------------------------------------------------------


def build() -> tuple[World, dict[str, Any]]:
    w = World()
    extra: dict[str, Any] = {}

    # ---- VPCs -------------------------------------------------------------------------------
    w.vpc("default", "", "172.31.0.0/16", default=True, created="2019-02-18")
    w.vpc("prod-core", "prod-core", "10.20.0.0/16", created="2022-09-05")
    w.vpc("data-lake", "data-lake", "10.30.0.0/16", created="2023-06-19")
    w.vpc("billing", "billing", "10.40.0.0/16", created="2023-02-27")
    w.vpc("reporting", "reporting", "10.50.0.0/16", hostnames=False, created="2024-01-22")
    w.vpc("analytics", "analytics", "10.60.0.0/16", created="2024-08-07")
    w.vpc("legacy-erp", "legacy-erp", "10.90.0.0/16", created="2021-11-30")
    vgw = rid("vgw", "prod-core-dx")
    w.ids["vgw:prod-core"] = vgw

    # ---- subnets ----------------------------------------------------------------------------
    for az, cidr in (("a", "172.31.32.0/20"), ("c", "172.31.0.0/20"), ("d", "172.31.16.0/20")):
        w.subnet(f"default-1{az}", "default", "", az, cidr, public_ip=True, default=True)
    core = [
        ("core-public-1a", "prod-core-public-1a", "a", "10.20.0.0/24"),
        ("core-public-1c", "prod-core-public-1c", "c", "10.20.1.0/24"),
        ("core-public-1d", "prod-core-public-1d", "d", "10.20.2.0/24"),
        ("core-app-1a", "prod-core-app-1a", "a", "10.20.10.0/24"),
        ("core-app-1c", "prod-core-app-1c", "c", "10.20.11.0/24"),
        ("core-app-1d", "prod-core-app-1d", "d", "10.20.12.0/24"),
        ("core-db-1a", "prod-core-db-1a", "a", "10.20.20.0/24"),
        ("core-db-1c", "prod-core-db-1c", "c", "10.20.21.0/24"),
        ("core-db-1d", "prod-core-db-1d", "d", "10.20.22.0/24"),
        ("core-worker-1a", "prod-core-worker-1a", "a", "10.20.30.0/24"),
        ("core-worker-1c", "prod-core-worker-1c", "c", "10.20.31.0/24"),
        ("core-batch-1a", "prod-core-batch-1a", "a", "10.20.32.0/24"),
        ("core-batch-1c", "prod-core-batch-1c", "c", "10.20.33.0/24"),
        ("core-etl-1a", "prod-core-etl-1a", "a", "10.20.34.0/24"),
        ("core-etl-1c", "prod-core-etl-1c", "c", "10.20.35.0/24"),
        ("core-etl-nat-1a", "prod-core-etl-nat-1a", "a", "10.20.36.0/28"),
        ("core-media-1a", "prod-core-media-1a", "a", "10.20.38.0/24"),
        ("core-media-1c", "prod-core-media-1c", "c", "10.20.39.0/24"),
        ("core-fanout-1a", "prod-core-fanout-1a", "a", "10.20.60.0/28"),
        ("core-fanout-1c", "prod-core-fanout-1c", "c", "10.20.60.16/28"),
    ]
    for key, name, az, cidr in core:
        w.subnet(key, "prod-core", name, az, cidr, public_ip=key.startswith("core-public"))
    for key, name, az, cidr in (
        ("lake-ingest-1a", "data-lake-ingest-1a", "a", "10.30.0.0/24"),
        ("lake-ingest-1c", "data-lake-ingest-1c", "c", "10.30.1.0/24"),
        ("lake-index-1a", "data-lake-index-1a", "a", "10.30.2.0/24"),
        ("lake-index-1c", "data-lake-index-1c", "c", "10.30.3.0/24"),
    ):
        w.subnet(key, "data-lake", name, az, cidr)
    for key, name, az, cidr in (
        ("bill-public-1a", "billing-public-1a", "a", "10.40.0.0/24"),
        ("bill-public-1c", "billing-public-1c", "c", "10.40.1.0/24"),
        ("bill-app-1a", "billing-app-1a", "a", "10.40.10.0/24"),
        ("bill-app-1c", "billing-app-1c", "c", "10.40.11.0/24"),
        ("bill-db-1a", "billing-db-1a", "a", "10.40.20.0/24"),
        ("bill-db-1c", "billing-db-1c", "c", "10.40.21.0/24"),
    ):
        w.subnet(key, "billing", name, az, cidr, public_ip=key.startswith("bill-public"))
    for key, name, az, cidr in (
        ("rep-app-1a", "reporting-app-1a", "a", "10.50.0.0/24"),
        ("rep-app-1c", "reporting-app-1c", "c", "10.50.1.0/24"),
    ):
        w.subnet(key, "reporting", name, az, cidr)
    for key, name, az, cidr in (
        ("ana-public-1a", "analytics-public-1a", "a", "10.60.0.0/24"),
        ("ana-public-1c", "analytics-public-1c", "c", "10.60.1.0/24"),
        ("ana-app-1a", "analytics-app-1a", "a", "10.60.10.0/24"),
        ("ana-app-1c", "analytics-app-1c", "c", "10.60.11.0/24"),
    ):
        w.subnet(key, "analytics", name, az, cidr, public_ip=key.startswith("ana-public"))
    for key, name, az, cidr in (
        ("erp-1a", "legacy-erp-1a", "a", "10.90.1.0/24"),
        ("erp-1c", "legacy-erp-1c", "c", "10.90.2.0/24"),
    ):
        w.subnet(key, "legacy-erp", name, az, cidr)

    # ---- internet gateways ------------------------------------------------------------------
    igw = {}
    for vkey, name in (
        ("default", ""),
        ("prod-core", "prod-core-igw"),
        ("billing", "billing-igw"),
        ("analytics", "analytics-igw"),
    ):
        igw[vkey] = rid("igw", vkey)
        w.igws[vkey] = {"id": igw[vkey], "vpc": vkey, "name": name}
        w.ids[f"igw:{vkey}"] = igw[vkey]

    # ---- elastic IPs and NAT gateways ---------------------------------------------------------
    def nat(key: str, vpc: str, subnet: str, name: str, public_ip: str, day: str) -> str:
        nid = rid("nat", key)
        w.eip(key, public_ip, name=f"{name}-eip")
        w.eni(
            f"nat-{key}",
            subnet,
            kind="nat_gateway",
            description=f"Interface for NAT Gateway {nid}",
            groups=[],
            requester_managed=True,
            attachment=service_attachment(f"nat-{key}", "amazon-aws", day),
            created_day=day,
            eip=key,
            source_dest_check=False,
        )
        w.eips[key]["eni"] = f"nat-{key}"
        w.nats[key] = {
            "id": nid,
            "vpc": vpc,
            "subnet": subnet,
            "name": name,
            "eip": key,
            "eni": f"nat-{key}",
            "created": day,
        }
        w.ids[f"nat:{key}"] = nid
        return nid

    nat_core_1a = nat(
        "core-1a", "prod-core", "core-public-1a", "prod-core-nat-1a", "13.112.84.17", "2022-09-06"
    )
    nat_core_1c = nat(
        "core-1c", "prod-core", "core-public-1c", "prod-core-nat-1c", "54.238.61.204", "2022-09-06"
    )
    nat_core_1d = nat(
        "core-1d", "prod-core", "core-public-1d", "prod-core-nat-1d", "18.176.23.95", "2022-09-06"
    )
    # Story 3: the ETL team's own NAT gateway, created in a /28 that was never associated with the
    # public route table: it has an EIP and is "available", but its subnet has no IGW route.
    nat_etl = nat(
        "core-etl", "prod-core", "core-etl-nat-1a", "etl-nat", "35.72.140.8", "2024-10-15"
    )
    nat_bill_1a = nat(
        "bill-1a", "billing", "bill-public-1a", "billing-nat-1a", "52.68.201.33", "2023-02-28"
    )
    nat_bill_1c = nat(
        "bill-1c", "billing", "bill-public-1c", "billing-nat-1c", "3.113.57.162", "2023-02-28"
    )
    nat_ana_1a = nat(
        "ana-1a", "analytics", "ana-public-1a", "analytics-nat-1a", "43.206.12.89", "2024-08-07"
    )
    nat_ana_1c = nat(
        "ana-1c", "analytics", "ana-public-1c", "analytics-nat-1c", "57.180.33.214", "2024-08-07"
    )
    # Story 5: batch-nat was deleted in a cost clean-up; its EIP released, its route left behind.
    nat_deleted = rid("nat", "core-batch-deleted")
    w.ids["nat:core-batch-deleted"] = nat_deleted

    # ---- VPC endpoints (ids first: routes refer to them) ----------------------------------
    vpce = {
        k: rid("vpce", k)
        for k in (
            "core-s3",
            "core-ddb",
            "core-secretsmanager",
            "core-sts",
            "lake-s3",
            "lake-ddb",
            "bill-s3",
            "rep-s3",
            "rep-secretsmanager",
            "rep-sts",
            "ana-s3",
        )
    }
    for k, v in vpce.items():
        w.ids[f"vpce:{k}"] = v
    pcx = rid("pcx", "analytics-legacy-erp")
    w.ids["pcx:analytics-legacy-erp"] = pcx

    def local(cidr: str) -> dict[str, Any]:
        return route(cidr, GatewayId="local", Origin="CreateRouteTable")

    # ---- route tables -------------------------------------------------------------------------
    w.rtb(
        "default-main",
        "default",
        None,
        [local("172.31.0.0/16"), route("0.0.0.0/0", GatewayId=igw["default"])],
        main=True,
    )
    core_gw = [route(S3_PL, GatewayId=vpce["core-s3"]), route(DDB_PL, GatewayId=vpce["core-ddb"])]
    onprem = route("192.168.0.0/16", GatewayId=vgw, Origin="EnableVgwRoutePropagation")
    w.rtb(
        "core-main",
        "prod-core",
        "prod-core-main (private, local only)",
        [local("10.20.0.0/16")],
        main=True,
    )
    w.rtb(
        "core-public",
        "prod-core",
        "prod-core-public",
        [local("10.20.0.0/16"), *core_gw, route("0.0.0.0/0", GatewayId=igw["prod-core"])],
        subnets=["core-public-1a", "core-public-1c", "core-public-1d"],
    )
    for az, n in (("1a", nat_core_1a), ("1c", nat_core_1c), ("1d", nat_core_1d)):
        subs = [f"core-app-{az}"]
        if az in ("1a", "1c"):
            subs += [f"core-media-{az}", f"core-fanout-{az}"]
        w.rtb(
            f"core-app-{az}",
            "prod-core",
            f"prod-core-app-{az}",
            [local("10.20.0.0/16"), *core_gw, onprem, route("0.0.0.0/0", NatGatewayId=n)],
            subnets=subs,
            vgw=vgw,
        )
    # Story 4: the worker route tables came from a module whose 1c instance lost its NAT route.
    w.rtb(
        "core-worker-1a",
        "prod-core",
        "prod-core-worker-1a",
        [local("10.20.0.0/16"), *core_gw, route("0.0.0.0/0", NatGatewayId=nat_core_1a)],
        subnets=["core-worker-1a"],
    )
    w.rtb(
        "core-worker-1c",
        "prod-core",
        "prod-core-worker-1c",
        [local("10.20.0.0/16"), *core_gw],
        subnets=["core-worker-1c"],
    )
    # Story 5: blackhole default route to the deleted batch NAT gateway.
    w.rtb(
        "core-batch",
        "prod-core",
        "prod-core-batch",
        [
            local("10.20.0.0/16"),
            *core_gw,
            route("0.0.0.0/0", NatGatewayId=nat_deleted, State="blackhole"),
        ],
        subnets=["core-batch-1a", "core-batch-1c"],
    )
    # Story 3: ETL subnets route to the ETL NAT gateway, which itself sits in a subnet that uses
    # the main route table (local only).
    w.rtb(
        "core-etl",
        "prod-core",
        "prod-core-etl",
        [local("10.20.0.0/16"), *core_gw, route("0.0.0.0/0", NatGatewayId=nat_etl)],
        subnets=["core-etl-1a", "core-etl-1c"],
    )
    # db subnets and core-etl-nat-1a: no explicit association → prod-core-main.

    w.rtb("lake-main", "data-lake", "data-lake-main", [local("10.30.0.0/16")], main=True)
    w.rtb(
        "lake-ingest",
        "data-lake",
        "data-lake-ingest",
        [
            local("10.30.0.0/16"),
            route(S3_PL, GatewayId=vpce["lake-s3"]),
            route(DDB_PL, GatewayId=vpce["lake-ddb"]),
        ],
        subnets=["lake-ingest-1a", "lake-ingest-1c"],
    )
    # Story 8b: the index route table was added later and only associated with the S3 endpoint.
    w.rtb(
        "lake-index",
        "data-lake",
        "data-lake-index",
        [local("10.30.0.0/16"), route(S3_PL, GatewayId=vpce["lake-s3"])],
        subnets=["lake-index-1a", "lake-index-1c"],
    )

    w.rtb("bill-main", "billing", "billing-main", [local("10.40.0.0/16")], main=True)
    w.rtb(
        "bill-public",
        "billing",
        "billing-public",
        [local("10.40.0.0/16"), route("0.0.0.0/0", GatewayId=igw["billing"])],
        subnets=["bill-public-1a", "bill-public-1c"],
    )
    for az, n in (("1a", nat_bill_1a), ("1c", nat_bill_1c)):
        w.rtb(
            f"bill-app-{az}",
            "billing",
            f"billing-app-{az}",
            [
                local("10.40.0.0/16"),
                route(S3_PL, GatewayId=vpce["bill-s3"]),
                route("0.0.0.0/0", NatGatewayId=n),
            ],
            subnets=[f"bill-app-{az}"],
        )

    w.rtb("rep-main", "reporting", "reporting-main", [local("10.50.0.0/16")], main=True)
    w.rtb(
        "rep-app",
        "reporting",
        "reporting-app",
        [local("10.50.0.0/16"), route(S3_PL, GatewayId=vpce["rep-s3"])],
        subnets=["rep-app-1a", "rep-app-1c"],
    )

    w.rtb("ana-main", "analytics", "analytics-main", [local("10.60.0.0/16")], main=True)
    w.rtb(
        "ana-public",
        "analytics",
        "analytics-public",
        [local("10.60.0.0/16"), route("0.0.0.0/0", GatewayId=igw["analytics"])],
        subnets=["ana-public-1a", "ana-public-1c"],
    )
    for az, n in (("1a", nat_ana_1a), ("1c", nat_ana_1c)):
        w.rtb(
            f"ana-app-{az}",
            "analytics",
            f"analytics-app-{az}",
            [
                local("10.60.0.0/16"),
                route(S3_PL, GatewayId=vpce["ana-s3"]),
                route("10.90.0.0/16", VpcPeeringConnectionId=pcx),
                route("0.0.0.0/0", NatGatewayId=n),
            ],
            subnets=[f"ana-app-{az}"],
        )
    # Story 13: legacy-erp's table never got the route back to analytics (10.60.0.0/16 → pcx).
    w.rtb(
        "erp",
        "legacy-erp",
        "legacy-erp-private",
        [local("10.90.0.0/16")],
        subnets=["erp-1a", "erp-1c"],
    )
    w.rtb("erp-main", "legacy-erp", "legacy-erp-main", [local("10.90.0.0/16")], main=True)

    # ---- security groups ------------------------------------------------------------------
    for vkey in w.vpcs:
        w.sg(
            f"default-{vkey}",
            vkey,
            "default",
            "default VPC security group",
            ingress=[],
            egress=None,
        )
    # default groups admit themselves
    for vkey in w.vpcs:
        g = w.sgs[f"default-{vkey}"]
        g["ingress"] = [
            {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": g["id"], "UserId": ACCOUNT}]}
        ]

    sg_app = w.sg(
        "lambda-app", "prod-core", "lambda-app", "Shared group for prod-core application Lambdas"
    )
    sg_invoice = w.sg(
        "lambda-invoice-renderer",
        "prod-core",
        "lambda-invoice-renderer",
        "invoice-renderer Lambda (created by the invoicing stack)",
    )
    sg_fixed = w.sg(
        "lambda-fixed-ip-caller",
        "prod-core",
        "lambda-fixed-ip-caller",
        "fixed-ip-caller Lambda: outbound to the payment provider from a fixed IP",
    )
    sg_proxy = rid("sg", "rds-proxy-orders")
    sg_aurora = rid("sg", "aurora-orders")
    sg_ledger = w.sg(
        "lambda-ledger-writer",
        "prod-core",
        "lambda-ledger-writer",
        "ledger-writer Lambda: database only",
        egress=[tcp(5432, group=sg_proxy, description="PostgreSQL via orders-db-proxy")],
    )
    sg_vpce = w.sg(
        "vpce-prod-core",
        "prod-core",
        "vpce-prod-core",
        "Interface endpoints of prod-core",
        ingress=[
            tcp(443, group=sg_app, description="HTTPS from lambda-app"),
            tcp(443, group=sg_fixed, description="HTTPS from fixed-ip-caller"),
        ],
    )
    # merge the two 443 rules into one permission with two pairs, as EC2 reports them
    rules = w.sgs["vpce-prod-core"]["ingress"]
    rules[0]["UserIdGroupPairs"] += rules[1]["UserIdGroupPairs"]
    del rules[1]
    sg_alb = w.sg(
        "alb-corp-api",
        "prod-core",
        "alb-corp-api",
        "internal-corp-api ALB",
        ingress=[tcp(443, group=sg_app, description="HTTPS from lambda-app")],
    )
    w.sg(
        "rds-proxy-orders",
        "prod-core",
        "rds-proxy-orders",
        "orders-db-proxy",
        ingress=[tcp(5432, group=sg_app, description="lambda-app")],
        egress=[tcp(5432, group=sg_aurora, description="to orders-db")],
    )
    w.sgs["rds-proxy-orders"]["ingress"][0]["UserIdGroupPairs"].append(
        {"Description": "ledger-writer", "GroupId": sg_ledger, "UserId": ACCOUNT}
    )
    w.sg(
        "aurora-orders",
        "prod-core",
        "aurora-orders",
        "orders-db Aurora PostgreSQL cluster",
        ingress=[tcp(5432, group=sg_proxy, description="from orders-db-proxy")],
    )
    sg_res_out = w.sg(
        "resolver-outbound",
        "prod-core",
        "resolver-outbound",
        "Route 53 Resolver outbound endpoint",
        egress=[
            tcp(53, cidr="192.168.10.0/24", description="on-prem DNS"),
            tcp(53, cidr="192.168.10.0/24", description="on-prem DNS", proto="udp"),
        ],
    )
    sg_res_in = w.sg(
        "resolver-inbound",
        "prod-core",
        "resolver-inbound",
        "Route 53 Resolver inbound endpoint",
        ingress=[
            tcp(53, cidr="192.168.0.0/16", description="on-prem resolvers"),
            tcp(53, cidr="192.168.0.0/16", description="on-prem resolvers", proto="udp"),
        ],
    )
    sg_render = w.sg("render-farm", "prod-core", "render-farm", "render-farm Auto Scaling group")
    sg_lake = w.sg(
        "lambda-data-lake",
        "data-lake",
        "lambda-data-lake",
        "data-lake Lambdas",
        egress=[
            tcp(443, pl=S3_PL, description="S3 gateway endpoint"),
            tcp(443, pl=DDB_PL, description="DynamoDB gateway endpoint"),
            tcp(443, cidr="0.0.0.0/0", description="HTTPS"),
        ],
    )
    sg_aurora_bill = rid("sg", "aurora-billing")
    sg_bill = w.sg(
        "lambda-billing",
        "billing",
        "lambda-billing",
        "billing Lambdas",
        egress=[
            tcp(5432, group=sg_aurora_bill, description="billing-db"),
            tcp(443, cidr="0.0.0.0/0", description="HTTPS APIs"),
        ],
    )
    w.sg(
        "aurora-billing",
        "billing",
        "aurora-billing",
        "billing-db Aurora PostgreSQL cluster",
        ingress=[tcp(5432, group=sg_bill, description="from billing Lambdas")],
    )
    sg_rep = w.sg("lambda-reporting", "reporting", "lambda-reporting", "reporting Lambdas")
    sg_vpce_rep = w.sg(
        "vpce-reporting",
        "reporting",
        "vpce-reporting",
        "Interface endpoints of reporting",
        ingress=[tcp(443, cidr="10.50.0.0/16", description="HTTPS from the VPC")],
    )
    sg_ana = w.sg("lambda-analytics", "analytics", "lambda-analytics", "analytics Lambdas")
    sg_erp = w.sg(
        "erp-app",
        "legacy-erp",
        "erp-app",
        "ERP application server",
        ingress=[
            tcp(8443, cidr="10.60.0.0/16", description="analytics VPC over pcx"),
            tcp(22, cidr="10.90.0.0/16", description="ssh from the VPC"),
        ],
    )
    del (
        sg_res_out,
        sg_res_in,
        sg_render,
        sg_lake,
        sg_rep,
        sg_vpce_rep,
        sg_ana,
        sg_erp,
        sg_alb,
        sg_invoice,
        sg_vpce,
    )

    # ---- network ACLs ---------------------------------------------------------------------
    allow_all = [
        {
            "CidrBlock": "0.0.0.0/0",
            "Egress": True,
            "Protocol": "-1",
            "RuleAction": "allow",
            "RuleNumber": 100,
        },
        {
            "CidrBlock": "0.0.0.0/0",
            "Egress": True,
            "Protocol": "-1",
            "RuleAction": "deny",
            "RuleNumber": 32767,
        },
        {
            "CidrBlock": "0.0.0.0/0",
            "Egress": False,
            "Protocol": "-1",
            "RuleAction": "allow",
            "RuleNumber": 100,
        },
        {
            "CidrBlock": "0.0.0.0/0",
            "Egress": False,
            "Protocol": "-1",
            "RuleAction": "deny",
            "RuleNumber": 32767,
        },
    ]
    custom = {"media-1a", "media-1c"}
    for vkey in w.vpcs:
        subs = [
            s
            for s, d in w.subnets.items()
            if d["vpc"] == vkey and not any(s == f"core-{c}" for c in custom)
        ]
        w.acls[f"default-{vkey}"] = {
            "id": rid("acl", f"default-{vkey}"),
            "vpc": vkey,
            "default": True,
            "entries": allow_all,
            "subnets": subs,
            "name": None,
        }
        w.ids[f"acl:default-{vkey}"] = w.acls[f"default-{vkey}"]["id"]
    # Story 7: a "hardening" NACL on the media subnets denies inbound TCP 1024-65535, which is
    # exactly where the return traffic of every outbound connection arrives.
    w.acls["core-media"] = {
        "id": rid("acl", "core-media"),
        "vpc": "prod-core",
        "default": False,
        "name": "prod-core-media-hardened",
        "subnets": ["core-media-1a", "core-media-1c"],
        "entries": [
            {
                "CidrBlock": "0.0.0.0/0",
                "Egress": True,
                "Protocol": "-1",
                "RuleAction": "allow",
                "RuleNumber": 100,
            },
            {
                "CidrBlock": "0.0.0.0/0",
                "Egress": True,
                "Protocol": "-1",
                "RuleAction": "deny",
                "RuleNumber": 32767,
            },
            {
                "CidrBlock": "10.20.0.0/16",
                "Egress": False,
                "PortRange": {"From": 443, "To": 443},
                "Protocol": "6",
                "RuleAction": "allow",
                "RuleNumber": 100,
            },
            {
                "CidrBlock": "0.0.0.0/0",
                "Egress": False,
                "PortRange": {"From": 1024, "To": 65535},
                "Protocol": "6",
                "RuleAction": "deny",
                "RuleNumber": 110,
            },
            {
                "CidrBlock": "10.20.0.0/16",
                "Egress": False,
                "Protocol": "1",
                "IcmpTypeCode": {"Code": -1, "Type": -1},
                "RuleAction": "allow",
                "RuleNumber": 120,
            },
            {
                "CidrBlock": "0.0.0.0/0",
                "Egress": False,
                "Protocol": "-1",
                "RuleAction": "deny",
                "RuleNumber": 32767,
            },
        ],
    }
    w.ids["acl:core-media"] = w.acls["core-media"]["id"]

    stories_network.build(w, extra, sys.modules[__name__])
    extra["vgw"] = vgw
    build_services(w, extra)
    build_functions(w, extra)
    named_story.build(w)
    return w, extra


# --------------------------------------------------------------------------------------------
# Service-owned network interfaces: endpoints, the internal ALB, RDS, Resolver, instances
# --------------------------------------------------------------------------------------------

ALB_ID = "4f1e0d6c9b8a7e21"
ALB_NAME = "corp-api"
ALB_DNS = f"internal-{ALB_NAME}-1841290537.{REGION}.elb.amazonaws.com"


def build_services(w: World, extra: dict[str, Any]) -> None:
    ids = w.ids
    # interface endpoints: one ENI per subnet
    iface = {
        "core-secretsmanager": (
            "prod-core",
            "secretsmanager",
            ["core-app-1a", "core-app-1c", "core-app-1d"],
            "vpce-prod-core",
            "2022-10-03",
        ),
        "core-sts": (
            "prod-core",
            "sts",
            ["core-app-1a", "core-app-1c", "core-app-1d"],
            "vpce-prod-core",
            "2022-10-03",
        ),
        "rep-secretsmanager": (
            "reporting",
            "secretsmanager",
            ["rep-app-1a", "rep-app-1c"],
            "vpce-reporting",
            "2024-01-23",
        ),
        "rep-sts": (
            "reporting",
            "sts",
            ["rep-app-1a", "rep-app-1c"],
            "vpce-reporting",
            "2024-01-23",
        ),
    }
    extra["iface"] = {}
    for key, (vpc, service, subnets, sg, day) in iface.items():
        vid = ids[f"vpce:{key}"]
        enis = []
        for sub in subnets:
            ek = f"{key}-{sub}"
            w.eni(
                ek,
                sub,
                kind="vpc_endpoint",
                description=f"VPC Endpoint Interface {vid}",
                groups=[sg],
                requester_managed=True,
                created_day=day,
            )
            enis.append(ek)
        extra["iface"][key] = {
            "vpc": vpc,
            "service": service,
            "subnets": subnets,
            "sg": sg,
            "enis": enis,
            "day": day,
        }
    # internal ALB behind api.corp.internal
    extra["alb_enis"] = []
    for sub in ("core-app-1a", "core-app-1c", "core-app-1d"):
        ek = f"alb-{sub}"
        w.eni(
            ek,
            sub,
            kind="interface",
            description=f"ELB app/{ALB_NAME}/{ALB_ID}",
            groups=["alb-corp-api"],
            requester_id="amazon-elb",
            requester_managed=True,
            attachment=service_attachment(ek, "amazon-elb", "2023-03-14"),
            created_day="2023-03-14",
        )
        extra["alb_enis"].append(ek)
    # Aurora instances and the RDS Proxy
    for key, sub, sg, day in (
        ("orders-db-instance-1", "core-db-1a", "aurora-orders", "2022-09-20"),
        ("orders-db-instance-2", "core-db-1c", "aurora-orders", "2022-09-20"),
        ("billing-db-instance-1", "bill-db-1a", "aurora-billing", "2023-03-01"),
        ("billing-db-instance-2", "bill-db-1c", "aurora-billing", "2023-03-01"),
        ("orders-db-proxy-1a", "core-db-1a", "rds-proxy-orders", "2023-05-10"),
        ("orders-db-proxy-1c", "core-db-1c", "rds-proxy-orders", "2023-05-10"),
    ):
        w.eni(
            key,
            sub,
            kind="interface",
            description="RDSNetworkInterface",
            groups=[sg],
            requester_id="amazon-rds",
            requester_managed=True,
            attachment=service_attachment(key, "amazon-rds", day),
            created_day=day,
        )
    # Route 53 Resolver endpoints (seed 000, pattern B-2)
    extra["resolver"] = {}
    for direction, key, sg in (
        ("OUTBOUND", "rslvr-out", "resolver-outbound"),
        ("INBOUND", "rslvr-in", "resolver-inbound"),
    ):
        eid = hex17(key, "prod-core")
        ids[f"resolver:{key}"] = eid
        ips = []
        for sub in ("core-app-1a", "core-app-1c"):
            rni = hex17("rni", eid + sub)
            ek = f"{key}-{sub}"
            w.eni(
                ek,
                sub,
                kind="interface",
                description=f"Route 53 Resolver: {eid}:{rni}",
                groups=[sg],
                requester_managed=True,
                attachment=service_attachment(ek, "amazon-aws", "2023-07-04"),
                created_day="2023-07-04",
            )
            ips.append({"rni": rni, "subnet": sub, "eni": ek})
        extra["resolver"][key] = {"id": eid, "direction": direction, "sg": sg, "ips": ips}
    # render-farm instances fill both /28 "fanout" subnets (story 15): 11 usable addresses each
    extra["instances"] = []
    for sub in ("core-fanout-1a", "core-fanout-1c"):
        for n in range(11):
            ik = f"render-{sub}-{n}"
            inst = rid("i", ik)
            w.eni(
                ik,
                sub,
                kind="interface",
                description="",
                groups=["render-farm"],
                attachment=instance_attachment(ik, inst, "2024-11-02"),
                created_day="2024-11-02",
            )
    # the ERP application server in legacy-erp
    inst = rid("i", "erp-app")
    ids["instance:erp-app"] = inst
    w.eni(
        "erp-app",
        "erp-1a",
        kind="interface",
        description="",
        groups=["erp-app"],
        attachment=instance_attachment("erp-app", inst, "2021-12-01"),
        created_day="2021-12-01",
        ip="10.90.1.25",
    )


# --------------------------------------------------------------------------------------------
# Lambda functions
# --------------------------------------------------------------------------------------------

FUNCTIONS: list[dict[str, Any]] = [
    # name, VPC subnets, security groups, and what else the story needs
    {
        "name": "webhook-relay",
        "subnets": [],
        "sgs": [],
        "runtime": "nodejs20.x",
        "memory": 256,
        "timeout": 10,
        "created": "2022-06-14",
        "description": "Relays SaaS webhooks to EventBridge (no VPC)",
    },
    {
        "name": "orders-api",
        "subnets": ["core-app-1a", "core-app-1c", "core-app-1d"],
        "sgs": ["lambda-app"],
        "runtime": "python3.12",
        "memory": 1024,
        "timeout": 29,
        "created": "2022-10-04",
        "description": "Orders REST API (API Gateway), Aurora via RDS Proxy",
        "reserved": 100,
        "provisioned": [("live", 5)],
    },
    {
        "name": "catalog-client",
        "subnets": ["core-app-1a", "core-app-1c", "core-app-1d"],
        "sgs": ["lambda-app"],
        "runtime": "python3.12",
        "memory": 512,
        "timeout": 15,
        "created": "2023-03-20",
        "reserved": None,
        "description": "Calls the internal catalog API at https://api.corp.internal",
        "provisioned": [],
    },
    {
        "name": "directory-sync",
        "subnets": ["core-app-1a", "core-app-1c", "core-app-1d"],
        "sgs": ["lambda-app"],
        "runtime": "python3.12",
        "memory": 256,
        "timeout": 120,
        "created": "2023-07-10",
        "reserved": None,
        "description": "Syncs users from the on-prem LDAP (ldap.onprem.local)",
    },
    {
        "name": "tax-calculator",
        "subnets": ["core-app-1a"],
        "sgs": ["lambda-app"],
        "runtime": "java21",
        "memory": 2048,
        "timeout": 30,
        "created": "2023-09-12",
        "reserved": None,
        "description": "Consumption-tax calculation service",
        "provisioned": [],
    },
    {
        "name": "public-subnet",
        "subnets": ["core-public-1a", "core-public-1c"],
        "sgs": ["lambda-app"],
        "runtime": "python3.12",
        "memory": 256,
        "timeout": 15,
        "created": "2024-02-05",
        "reserved": None,
        "description": "Creates Stripe payment intents (placed in the public subnets)",
    },
    {
        "name": "fixed-ip-caller",
        "subnets": ["core-public-1a", "core-public-1c"],
        "sgs": ["lambda-fixed-ip-caller"],
        "runtime": "nodejs20.x",
        "memory": 256,
        "timeout": 15,
        "created": "2024-03-18",
        "reserved": None,
        "description": "Calls the payment provider that allow-lists our source IP (EIP on the Lambda ENI)",
    },
    {
        "name": "etl-loader",
        "subnets": ["core-etl-1a", "core-etl-1c"],
        "sgs": ["lambda-app"],
        "runtime": "python3.11",
        "memory": 3008,
        "timeout": 900,
        "created": "2024-10-15",
        "description": "Loads partner feeds from an external SFTP-over-HTTPS API",
        "reserved": 10,
    },
    {
        "name": "inventory-sync",
        "subnets": ["core-worker-1a", "core-worker-1c"],
        "sgs": ["lambda-app"],
        "runtime": "python3.12",
        "memory": 512,
        "timeout": 300,
        "created": "2024-04-22",
        "description": "Pulls stock levels from the supplier API every 5 minutes",
    },
    {
        "name": "nightly-batch",
        "subnets": ["core-batch-1a", "core-batch-1c"],
        "sgs": ["lambda-app"],
        "runtime": "python3.12",
        "memory": 1769,
        "timeout": 900,
        "created": "2023-11-08",
        "description": "Nightly settlement export to the bank's SFTP gateway",
        "reserved": 5,
    },
    {
        "name": "ledger-writer",
        "subnets": ["core-app-1a", "core-app-1c", "core-app-1d"],
        "sgs": ["lambda-ledger-writer"],
        "runtime": "python3.12",
        "memory": 512,
        "timeout": 30,
        "created": "2024-05-27",
        "description": "Writes ledger entries to Aurora via RDS Proxy; also archives to S3",
        "reserved": 20,
    },
    {
        "name": "image-resizer",
        "subnets": ["core-media-1a", "core-media-1c"],
        "sgs": ["lambda-app"],
        "runtime": "nodejs20.x",
        "memory": 1536,
        "timeout": 60,
        "created": "2024-07-01",
        "description": "Resizes product images from S3 and fetches remote images",
        "reserved": 50,
    },
    {
        "name": "invoice-renderer",
        "subnets": ["core-app-1a", "core-app-1c", "core-app-1d"],
        "sgs": ["lambda-invoice-renderer"],
        "runtime": "python3.12",
        "memory": 1024,
        "timeout": 60,
        "created": "2024-09-09",
        "reserved": None,
        "description": "Renders invoices; reads the signing key from Secrets Manager",
    },
    {
        "name": "thumbnail-fanout",
        "subnets": ["core-fanout-1a", "core-fanout-1c"],
        "sgs": ["lambda-app"],
        "runtime": "python3.12",
        "memory": 1024,
        "timeout": 120,
        "created": "2025-01-20",
        "description": "Fan-out thumbnail generation (hundreds of concurrent invocations)",
        "state": ("Failed", "SubnetOutOfIPAddresses"),
    },
    {
        "name": "s3-ingest",
        "subnets": ["lake-ingest-1a", "lake-ingest-1c"],
        "sgs": ["lambda-data-lake"],
        "runtime": "python3.12",
        "memory": 2048,
        "timeout": 300,
        "created": "2023-06-20",
        "description": "Ingests raw events to S3 and indexes them in DynamoDB",
    },
    {
        "name": "search-indexer",
        "subnets": ["lake-index-1a", "lake-index-1c"],
        "sgs": ["lambda-data-lake"],
        "runtime": "python3.12",
        "memory": 1024,
        "timeout": 300,
        "created": "2024-12-02",
        "description": "Builds the search index from S3 objects into DynamoDB",
    },
    {
        "name": "billing-reconciler",
        "subnets": ["bill-app-1a", "bill-app-1c"],
        "sgs": ["lambda-billing"],
        "runtime": "python3.12",
        "memory": 1024,
        "timeout": 300,
        "created": "2023-03-02",
        "reserved": None,
        "description": "Reconciles card settlements against billing-db (Aurora PostgreSQL)",
        "provisioned": [],
    },
    {
        "name": "report-builder",
        "subnets": ["rep-app-1a", "rep-app-1c"],
        "sgs": ["lambda-reporting"],
        "runtime": "python3.12",
        "memory": 2048,
        "timeout": 600,
        "created": "2024-01-25",
        "description": "Builds monthly reports; credentials from Secrets Manager, output to S3",
    },
    {
        "name": "dashboard-api",
        "subnets": ["ana-app-1a", "ana-app-1c"],
        "sgs": ["lambda-analytics"],
        "runtime": "nodejs20.x",
        "memory": 512,
        "timeout": 29,
        "created": "2024-08-12",
        "description": "Analytics dashboard backend; reads the catalog from https://api.corp.internal",
    },
    {
        "name": "hr-sync",
        "subnets": ["ana-app-1a", "ana-app-1c"],
        "sgs": ["lambda-analytics"],
        "runtime": "python3.12",
        "memory": 256,
        "timeout": 120,
        "created": "2024-08-19",
        "description": "Reads the HR directory from ldap.onprem.local",
    },
    {
        "name": "erp-connector",
        "subnets": ["ana-app-1a", "ana-app-1c"],
        "sgs": ["lambda-analytics"],
        "runtime": "java21",
        "memory": 1024,
        "timeout": 60,
        "created": "2024-09-02",
        "description": "Pulls sales orders from the legacy ERP (10.90.1.25:8443) over VPC peering",
    },
]

FUNCTIONS += stories_network.FUNCTIONS

ROLE = {"webhook-relay": "webhook-relay-role"}


def build_functions(w: World, extra: dict[str, Any]) -> None:
    """Each (subnet, security-group set) gets one Hyperplane ENI, shared by the functions that
    use the pair; its description names the function that created it (the first one)."""
    by_pair: dict[tuple[str, frozenset[str]], list[str]] = defaultdict(list)
    for fn in sorted(FUNCTIONS, key=lambda f: f["created"]):
        w.functions[fn["name"]] = fn
        if fn.get("state", ("Active",))[0] != "Active":
            continue  # a Failed function has no ENI: Lambda could not create one
        for sub in fn["subnets"]:
            by_pair[(sub, frozenset(fn["sgs"]))].append(fn["name"])
    extra["hyperplane"] = {}
    for (sub, sgs), names in sorted(by_pair.items()):
        first = names[0]
        key = f"lambda-{sub}-{'-'.join(sorted(sgs))}"
        day = w.functions[first]["created"]
        w.eni(
            key,
            sub,
            kind="lambda",
            description=f"AWS Lambda VPC ENI-{first}-{uid(key)}",
            groups=sorted(sgs),
            requester_id=f"AROAXBQ4VJ3M{_h('req' + first)[:9].upper()}:{ACCOUNT}",
            requester_managed=False,
            attachment=lambda_attachment(key, day),
            created_day=day,
        )
        extra["hyperplane"][(sub, sgs)] = {"eni": key, "functions": names}
    # Story 14: an EIP associated with each of fixed-ip-caller's Hyperplane ENIs (seed 002)
    for sub, ip in (("core-public-1a", "13.231.47.120"), ("core-public-1c", "52.196.88.241")):
        ek = extra["hyperplane"][(sub, frozenset({"lambda-fixed-ip-caller"}))]["eni"]
        ekey = f"fixed-ip-{sub}"
        w.eip(ekey, ip, name=f"fixed-ip-caller-{sub[-2:]}")
        w.eips[ekey]["eni"] = ek
        w.enis[ek]["eip"] = ekey


# --------------------------------------------------------------------------------------------
# Rendering: the exact output shapes of the AWS CLI calls
# --------------------------------------------------------------------------------------------


def _ec2_tags(name: str | None, **extra: str) -> list[dict[str, str]]:
    return tags(name, **extra) if name else [{"Key": k, "Value": v} for k, v in extra.items()]


def render(w: World, extra: dict[str, Any]) -> dict[str, Any]:
    files: dict[str, Any] = {}
    V = {k: v["id"] for k, v in w.vpcs.items()}
    S = {k: v["id"] for k, v in w.subnets.items()}
    G = {k: v["id"] for k, v in w.sgs.items()}
    dopt = rid("dopt", "default")
    w.ids["dopt:default"] = dopt

    # ---- VPCs and attributes ----------------------------------------------------------------
    vpcs = []
    for key, v in w.vpcs.items():
        item: dict[str, Any] = {
            "OwnerId": ACCOUNT,
            "InstanceTenancy": "default",
            "CidrBlockAssociationSet": [
                {
                    "AssociationId": rid("vpc-cidr-assoc", key),
                    "CidrBlock": v["cidr"],
                    "CidrBlockState": {"State": "associated"},
                }
            ],
            "IsDefault": v["default"],
            "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
            "VpcId": v["id"],
            "State": "available",
            "CidrBlock": v["cidr"],
            "DhcpOptionsId": dopt,
        }
        if v["name"]:
            item["Tags"] = tags(v["name"], Environment="prod" if key != "default" else "none")
        vpcs.append(item)
        files[f"ec2/describe-vpc-attribute-enableDnsSupport@{v['id']}.json"] = {
            "VpcId": v["id"],
            "EnableDnsSupport": {"Value": True},
        }
        files[f"ec2/describe-vpc-attribute-enableDnsHostnames@{v['id']}.json"] = {
            "VpcId": v["id"],
            "EnableDnsHostnames": {"Value": v["hostnames"]},
        }
    files["ec2/describe-vpcs.json"] = {"Vpcs": vpcs}

    # ---- subnets ------------------------------------------------------------------------------
    subnets = []
    for key, s in w.subnets.items():
        net = ipaddress.ip_network(s["cidr"])
        used = len(s.get("_used", ()))
        item = {
            "AvailabilityZoneId": AZ_ID[s["az"]],
            "MapCustomerOwnedIpOnLaunch": False,
            "OwnerId": ACCOUNT,
            "AssignIpv6AddressOnCreation": False,
            "Ipv6CidrBlockAssociationSet": [],
            "SubnetArn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{s['id']}",
            "EnableDns64": False,
            "Ipv6Native": False,
            "PrivateDnsNameOptionsOnLaunch": {
                "HostnameType": "ip-name",
                "EnableResourceNameDnsARecord": False,
                "EnableResourceNameDnsAAAARecord": False,
            },
            "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
            "SubnetId": s["id"],
            "State": "available",
            "VpcId": V[s["vpc"]],
            "CidrBlock": s["cidr"],
            "AvailableIpAddressCount": net.num_addresses - 5 - used,
            "AvailabilityZone": s["az"],
            "DefaultForAz": s["default"],
            "MapPublicIpOnLaunch": s["public_ip"],
        }
        if s["name"]:
            tier = "public" if "public" in key else "private"
            item["Tags"] = tags(s["name"], Tier=tier)
        subnets.append(item)
    files["ec2/describe-subnets.json"] = {"Subnets": subnets}

    # ---- route tables ---------------------------------------------------------------------------
    rtbs = []
    for key, t in w.rtbs.items():
        assocs = []
        if t["main"]:
            assocs.append(
                {
                    "Main": True,
                    "RouteTableAssociationId": rid("rtbassoc", key + "main"),
                    "RouteTableId": t["id"],
                    "AssociationState": {"State": "associated"},
                }
            )
        for sub in t["subnets"]:
            assocs.append(
                {
                    "Main": False,
                    "RouteTableAssociationId": rid("rtbassoc", key + sub),
                    "RouteTableId": t["id"],
                    "SubnetId": S[sub],
                    "AssociationState": {"State": "associated"},
                }
            )
        item = {
            "Associations": assocs,
            "PropagatingVgws": [{"GatewayId": t["vgw"]}] if t["vgw"] else [],
            "RouteTableId": t["id"],
            "Routes": t["routes"],
            "Tags": _ec2_tags(t["name"]),
            "VpcId": V[t["vpc"]],
            "OwnerId": ACCOUNT,
        }
        rtbs.append(item)
    files["ec2/describe-route-tables.json"] = {"RouteTables": rtbs}

    # ---- internet gateways ----------------------------------------------------------------------
    files["ec2/describe-internet-gateways.json"] = {
        "InternetGateways": [
            {
                "Attachments": [{"State": "available", "VpcId": V[g["vpc"]]}],
                "InternetGatewayId": g["id"],
                "OwnerId": ACCOUNT,
                "Tags": _ec2_tags(g["name"]),
            }
            for g in w.igws.values()
        ]
    }

    # ---- NAT gateways ---------------------------------------------------------------------------
    nats = []
    for n in w.nats.values():
        e = w.eips[n["eip"]]
        eni = w.enis[n["eni"]]
        nats.append(
            {
                "CreateTime": ec2_time(n["created"], "02:40:18"),
                "NatGatewayAddresses": [
                    {
                        "AllocationId": e["id"],
                        "NetworkInterfaceId": eni["id"],
                        "PrivateIp": eni["ip"],
                        "PublicIp": e["public_ip"],
                        "AssociationId": e["assoc"],
                        "IsPrimary": True,
                        "Status": "succeeded",
                    }
                ],
                "NatGatewayId": n["id"],
                "State": "available",
                "SubnetId": S[n["subnet"]],
                "VpcId": V[n["vpc"]],
                "Tags": tags(n["name"]),
                "ConnectivityType": "public",
            }
        )
    files["ec2/describe-nat-gateways.json"] = {"NatGateways": nats}

    # ---- VPC endpoints ---------------------------------------------------------------------------
    gw_routes: dict[str, list[str]] = defaultdict(list)
    for t in w.rtbs.values():
        for r in t["routes"]:
            if r.get("GatewayId", "").startswith("vpce-"):
                gw_routes[r["GatewayId"]].append(t["id"])
    policy = json.dumps(
        {
            "Version": "2008-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}],
        }
    )
    endpoints = []
    gateway_keys = {
        "core-s3": ("prod-core", "s3"),
        "core-ddb": ("prod-core", "dynamodb"),
        "lake-s3": ("data-lake", "s3"),
        "lake-ddb": ("data-lake", "dynamodb"),
        "bill-s3": ("billing", "s3"),
        "rep-s3": ("reporting", "s3"),
        "ana-s3": ("analytics", "s3"),
    }
    for key, (vpc, service) in gateway_keys.items():
        vid = w.ids[f"vpce:{key}"]
        endpoints.append(
            {
                "VpcEndpointId": vid,
                "VpcEndpointType": "Gateway",
                "VpcId": V[vpc],
                "ServiceName": f"com.amazonaws.{REGION}.{service}",
                "State": "available",
                "PolicyDocument": policy,
                "RouteTableIds": sorted(gw_routes[vid]),
                "SubnetIds": [],
                "Groups": [],
                "IpAddressType": "ipv4",
                "PrivateDnsEnabled": False,
                "RequesterManaged": False,
                "NetworkInterfaceIds": [],
                "DnsEntries": [],
                "CreationTimestamp": ec2_time(w.vpcs[vpc]["created"], "06:12:44"),
                "Tags": tags(f"{vpc}-{service}"),
                "OwnerId": ACCOUNT,
            }
        )
    for key, spec in extra["iface"].items():
        vid = w.ids[f"vpce:{key}"]
        suffix = _h("dns" + vid)[:8]
        svc = spec["service"]
        dns = [
            {
                "DnsName": f"{vid}-{suffix}.{svc}.{REGION}.vpce.amazonaws.com",
                "HostedZoneId": VPCE_ZONE,
            }
        ]
        for sub in spec["subnets"]:
            dns.append(
                {
                    "DnsName": f"{vid}-{suffix}-{w.subnets[sub]['az']}.{svc}.{REGION}.vpce.amazonaws.com",
                    "HostedZoneId": VPCE_ZONE,
                }
            )
        dns.append(
            {"DnsName": f"{svc}.{REGION}.amazonaws.com", "HostedZoneId": zone_id("vpce-phz" + vid)}
        )
        endpoints.append(
            {
                "VpcEndpointId": vid,
                "VpcEndpointType": "Interface",
                "VpcId": V[spec["vpc"]],
                "ServiceName": f"com.amazonaws.{REGION}.{svc}",
                "State": "available",
                "PolicyDocument": policy,
                "RouteTableIds": [],
                "SubnetIds": [S[s] for s in spec["subnets"]],
                "Groups": [
                    {"GroupId": G[spec["sg"]], "GroupName": w.sgs[spec["sg"]]["group_name"]}
                ],
                "IpAddressType": "ipv4",
                "DnsOptions": {"DnsRecordIpType": "ipv4"},
                "PrivateDnsEnabled": True,
                "RequesterManaged": False,
                "NetworkInterfaceIds": [w.enis[e]["id"] for e in spec["enis"]],
                "DnsEntries": dns,
                "CreationTimestamp": ec2_time(spec["day"], "07:30:02"),
                "Tags": tags(f"{spec['vpc']}-{svc}"),
                "OwnerId": ACCOUNT,
            }
        )
    files["ec2/describe-vpc-endpoints.json"] = {"VpcEndpoints": endpoints}

    # ---- security groups ------------------------------------------------------------------------
    def perm(rule: dict[str, Any]) -> dict[str, Any]:
        p = dict(rule)
        for k in ("IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs"):
            p.setdefault(k, [])
        return p

    sgs = []
    for g in w.sgs.values():
        item = {
            "GroupId": g["id"],
            "IpPermissionsEgress": [perm(r) for r in g["egress"]],
            "VpcId": V[g["vpc"]],
            "SecurityGroupArn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{g['id']}",
            "OwnerId": ACCOUNT,
            "GroupName": g["group_name"],
            "Description": g["description"],
            "IpPermissions": [perm(r) for r in g["ingress"]],
        }
        if g["group_name"] != "default":
            item["Tags"] = tags(g["group_name"])
        sgs.append(item)
    files["ec2/describe-security-groups.json"] = {"SecurityGroups": sgs}

    # ---- network ACLs --------------------------------------------------------------------------
    acls = []
    for key, a in w.acls.items():
        acls.append(
            {
                "Associations": [
                    {
                        "NetworkAclAssociationId": rid("aclassoc", key + s),
                        "NetworkAclId": a["id"],
                        "SubnetId": S[s],
                    }
                    for s in a["subnets"]
                ],
                "Entries": sorted(a["entries"], key=lambda e: (not e["Egress"], e["RuleNumber"])),
                "IsDefault": a["default"],
                "NetworkAclId": a["id"],
                "Tags": _ec2_tags(a["name"]),
                "VpcId": V[a["vpc"]],
                "OwnerId": ACCOUNT,
            }
        )
    files["ec2/describe-network-acls.json"] = {"NetworkAcls": acls}

    # ---- network interfaces --------------------------------------------------------------------
    enis = []
    for key, e in w.enis.items():
        sub = w.subnets[e["subnet"]]
        dns_name = f"ip-{e['ip'].replace('.', '-')}.{REGION}.compute.internal"
        primary: dict[str, Any] = {
            "Primary": True,
            "PrivateDnsName": dns_name,
            "PrivateIpAddress": e["ip"],
        }
        item = {
            "AvailabilityZone": sub["az"],
            "Description": e["description"],
            "Groups": [{"GroupId": G[g], "GroupName": w.sgs[g]["group_name"]} for g in e["groups"]],
            "InterfaceType": e["kind"],
            "Ipv6Addresses": [],
            "MacAddress": mac(key),
            "NetworkInterfaceId": e["id"],
            "OwnerId": ACCOUNT,
            "PrivateDnsName": dns_name,
            "PrivateIpAddress": e["ip"],
            "PrivateIpAddresses": [primary],
            "RequesterManaged": e["requester_managed"],
            "SourceDestCheck": e["source_dest_check"],
            "Status": "in-use",
            "SubnetId": sub["id"],
            "TagSet": [],
            "VpcId": V[sub["vpc"]],
        }
        if e["requester_id"]:
            item["RequesterId"] = e["requester_id"]
        if e["attachment"]:
            item["Attachment"] = e["attachment"]
        if e["eip"]:
            eip = w.eips[e["eip"]]
            octets = eip["public_ip"].replace(".", "-")
            assoc = {
                "IpOwnerId": ACCOUNT,
                "PublicDnsName": f"ec2-{octets}.{REGION}.compute.amazonaws.com",
                "PublicIp": eip["public_ip"],
                "AllocationId": eip["id"],
                "AssociationId": eip["assoc"],
            }
            item["Association"] = dict(assoc)
            primary["Association"] = {k: v for k, v in assoc.items() if k != "AllocationId"}
        enis.append(item)
    files["ec2/describe-network-interfaces.json"] = {"NetworkInterfaces": enis}

    # ---- elastic IPs -------------------------------------------------------------------------------
    addrs = []
    for a in w.eips.values():
        item = {
            "AllocationId": a["id"],
            "Domain": "vpc",
            "PublicIp": a["public_ip"],
            "PublicIpv4Pool": "amazon",
            "NetworkBorderGroup": REGION,
            "Tags": tags(a["name"]),
        }
        if a["eni"]:
            e = w.enis[a["eni"]]
            item.update(
                {
                    "AssociationId": a["assoc"],
                    "NetworkInterfaceId": e["id"],
                    "NetworkInterfaceOwnerId": ACCOUNT,
                    "PrivateIpAddress": e["ip"],
                }
            )
        addrs.append(item)
    files["ec2/describe-addresses.json"] = {"Addresses": addrs}

    # ---- prefix lists, peering, DHCP options ------------------------------------------------------
    files["ec2/describe-prefix-lists.json"] = {
        "PrefixLists": [
            {
                "Cidrs": S3_CIDRS,
                "PrefixListId": S3_PL,
                "PrefixListName": f"com.amazonaws.{REGION}.s3",
            },
            {
                "Cidrs": DDB_CIDRS,
                "PrefixListId": DDB_PL,
                "PrefixListName": f"com.amazonaws.{REGION}.dynamodb",
            },
        ]
    }

    def side(vkey: str) -> dict[str, Any]:
        return {
            "CidrBlock": w.vpcs[vkey]["cidr"],
            "CidrBlockSet": [{"CidrBlock": w.vpcs[vkey]["cidr"]}],
            "OwnerId": ACCOUNT,
            "PeeringOptions": {
                "AllowDnsResolutionFromRemoteVpc": False,
                "AllowEgressFromLocalClassicLinkToRemoteVpc": False,
                "AllowEgressFromLocalVpcToRemoteClassicLink": False,
            },
            "VpcId": V[vkey],
            "Region": REGION,
        }

    files["ec2/describe-vpc-peering-connections.json"] = {
        "VpcPeeringConnections": [
            {
                "AccepterVpcInfo": side("legacy-erp"),
                "RequesterVpcInfo": side("analytics"),
                "Status": {"Code": "active", "Message": "Active"},
                "Tags": tags("analytics-to-legacy-erp"),
                "VpcPeeringConnectionId": w.ids["pcx:analytics-legacy-erp"],
            }
        ]
    }
    files["ec2/describe-dhcp-options.json"] = {
        "DhcpOptions": [
            {
                "DhcpConfigurations": [
                    {"Key": "domain-name", "Values": [{"Value": f"{REGION}.compute.internal"}]},
                    {"Key": "domain-name-servers", "Values": [{"Value": "AmazonProvidedDNS"}]},
                ],
                "DhcpOptionsId": dopt,
                "OwnerId": ACCOUNT,
                "Tags": [],
            }
        ]
    }

    render_lambda(w, files)
    render_dns(w, extra, files)
    render_elb_rds(w, extra, files)
    named_story.render(w, files, region=REGION, account=ACCOUNT, alb_arn=w.ids["alb:corp-api"])
    files["sts/get-caller-identity.json"] = {
        "UserId": "AROAXBQ4VJ3MKZ7P2LEWN:sato.k",
        "Account": ACCOUNT,
        "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/NetworkReadOnly/sato.k",
    }
    stories_network.render(w, extra, files, sys.modules[__name__])
    return files


HANDLER = {
    "python": "app.handler",
    "nodejs": "index.handler",
    "java": "com.kumotrading.Handler::handleRequest",
}


def render_lambda(w: World, files: dict[str, Any]) -> None:
    listed = []
    for fn in FUNCTIONS:
        name = fn["name"]
        arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"
        family = next(k for k in HANDLER if fn["runtime"].startswith(k))
        item: dict[str, Any] = {
            "FunctionName": name,
            "FunctionArn": arn,
            "Runtime": fn["runtime"],
            "Role": f"arn:aws:iam::{ACCOUNT}:role/{name}-exec",
            "Handler": HANDLER[family],
            "CodeSize": 18_000 + int(_h("size" + name)[:5], 16) % 9_000_000,
            "Description": fn["description"],
            "Timeout": fn["timeout"],
            "MemorySize": fn["memory"],
            "LastModified": f"{fn['created']}T04:{int(_h('m' + name)[:2], 16) % 60:02d}:09.512+0000",
            "CodeSha256": sha256_b64(name),
            "Version": "$LATEST",
        }
        if fn["subnets"]:
            vpc = w.subnets[fn["subnets"][0]]["vpc"]
            item["VpcConfig"] = {
                "SubnetIds": [w.subnets[s]["id"] for s in fn["subnets"]],
                "SecurityGroupIds": [w.sgs[g]["id"] for g in fn["sgs"]],
                "VpcId": w.vpcs[vpc]["id"],
                "Ipv6AllowedForDualStack": False,
            }
        item.update(
            {
                "TracingConfig": {"Mode": "PassThrough"},
                "RevisionId": uid("rev" + name),
                "PackageType": "Zip",
                "Architectures": ["x86_64" if family == "java" else "arm64"],
                "EphemeralStorage": {"Size": 512},
                "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"},
                "LoggingConfig": {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"},
            }
        )
        listed.append(item)
        config = dict(item)
        state, code = fn.get("state", ("Active", None))
        config["State"] = state
        if code:
            sub = w.subnets[fn["subnets"][0]]["id"]
            reason = (
                f"Lambda was unable to create a network interface for the function: subnet {sub} "
                "does not have any available IP addresses."
            )
            config["StateReason"] = reason
            config["StateReasonCode"] = code
        config["LastUpdateStatus"] = "Successful"
        config["RuntimeVersionConfig"] = {
            "RuntimeVersionArn": f"arn:aws:lambda:{REGION}::runtime:{_h('rt' + fn['runtime'])}"
        }
        files[f"lambda/get-function-configuration@{name}.json"] = config
        if "reserved" in fn:
            # no reservation: the API answers with no members, which `vpcdoctor export` writes as {}
            files[f"lambda/get-function-concurrency@{name}.json"] = (
                {} if fn["reserved"] is None else {"ReservedConcurrentExecutions": fn["reserved"]}
            )
        if "provisioned" in fn:
            files[f"lambda/list-provisioned-concurrency-configs@{name}.json"] = {
                "ProvisionedConcurrencyConfigs": [
                    {
                        "FunctionArn": f"{arn}:{alias}",
                        "RequestedProvisionedConcurrentExecutions": n,
                        "AvailableProvisionedConcurrentExecutions": n,
                        "AllocatedProvisionedConcurrentExecutions": n,
                        "Status": "READY",
                        "LastModified": "2025-01-10T02:11:54+0000",
                    }
                    for alias, n in fn["provisioned"]
                ]
            }
    files["lambda/list-functions.json"] = {"Functions": listed}


PHZ = "corp.internal"
PUBLIC_ZONE = "kumo-trading.co.jp"
ONPREM = "onprem.local"
ONPREM_DNS = ["192.168.10.2", "192.168.10.3"]


def render_dns(w: World, extra: dict[str, Any], files: dict[str, Any]) -> None:
    phz, pub = zone_id(PHZ), zone_id(PUBLIC_ZONE)
    w.ids["zone:corp.internal"], w.ids["zone:public"] = phz, pub
    zones = [
        {
            "Id": f"/hostedzone/{phz}",
            "Name": f"{PHZ}.",
            "CallerReference": "terraform-20230314021744812300000001",
            "Config": {"Comment": "Internal service names (prod-core)", "PrivateZone": True},
            "ResourceRecordSetCount": 6,
        },
        {
            "Id": f"/hostedzone/{pub}",
            "Name": f"{PUBLIC_ZONE}.",
            "CallerReference": "RISWorkflow-RD:2f1c9a52-6b1e-4d8b-9c1f-0a7e5d3b2c11",
            "Config": {"Comment": "HostedZone created by Route53 Registrar", "PrivateZone": False},
            "ResourceRecordSetCount": 4,
        },
    ]
    files["route53/list-hosted-zones.json"] = {"HostedZones": zones}
    files[f"route53/get-hosted-zone@{phz}.json"] = {
        "HostedZone": zones[0],
        "VPCs": [{"VPCRegion": REGION, "VPCId": w.vpcs["prod-core"]["id"]}],
    }
    pub_ns = [
        "ns-1337.awsdns-39.org.",
        "ns-862.awsdns-43.net.",
        "ns-1810.awsdns-34.co.uk.",
        "ns-42.awsdns-05.com.",
    ]
    files[f"route53/get-hosted-zone@{pub}.json"] = {
        "HostedZone": zones[1],
        "DelegationSet": {"NameServers": [n.rstrip(".") for n in pub_ns]},
    }
    phz_ns = [
        "ns-1536.awsdns-00.co.uk.",
        "ns-0.awsdns-00.com.",
        "ns-1024.awsdns-00.org.",
        "ns-512.awsdns-00.net.",
    ]
    files[f"route53/list-resource-record-sets@{phz}.json"] = {
        "ResourceRecordSets": [
            {
                "Name": f"{PHZ}.",
                "Type": "NS",
                "TTL": 172800,
                "ResourceRecords": [{"Value": n} for n in phz_ns],
            },
            {
                "Name": f"{PHZ}.",
                "Type": "SOA",
                "TTL": 900,
                "ResourceRecords": [
                    {
                        "Value": "ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"
                    }
                ],
            },
            {
                "Name": f"api.{PHZ}.",
                "Type": "A",
                "AliasTarget": {
                    "HostedZoneId": ELB_ZONE,
                    "DNSName": f"dualstack.{ALB_DNS}.",
                    "EvaluateTargetHealth": True,
                },
            },
            {
                "Name": f"db.{PHZ}.",
                "Type": "CNAME",
                "TTL": 60,
                "ResourceRecords": [{"Value": f"orders-db-proxy.proxy-{RDS_SUFFIX}"}],
            },
            {
                "Name": f"erp.{PHZ}.",
                "Type": "A",
                "TTL": 300,
                "ResourceRecords": [{"Value": "10.90.1.25"}],
            },
            {
                "Name": f"legacy-api.{PHZ}.",
                "Type": "CNAME",
                "TTL": 300,
                "ResourceRecords": [{"Value": f"api.{PHZ}"}],
            },
        ]
    }
    files[f"route53/list-resource-record-sets@{pub}.json"] = {
        "ResourceRecordSets": [
            {
                "Name": f"{PUBLIC_ZONE}.",
                "Type": "NS",
                "TTL": 172800,
                "ResourceRecords": [{"Value": n} for n in pub_ns],
            },
            {
                "Name": f"{PUBLIC_ZONE}.",
                "Type": "SOA",
                "TTL": 900,
                "ResourceRecords": [
                    {
                        "Value": "ns-1337.awsdns-39.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"
                    }
                ],
            },
            {
                "Name": f"shop.{PUBLIC_ZONE}.",
                "Type": "CNAME",
                "TTL": 300,
                "ResourceRecords": [{"Value": "d3k9q2r7x1v8mz.cloudfront.net"}],
            },
            {
                "Name": f"www.{PUBLIC_ZONE}.",
                "Type": "CNAME",
                "TTL": 300,
                "ResourceRecords": [{"Value": f"shop.{PUBLIC_ZONE}"}],
            },
        ]
    }

    # ---- Route 53 Resolver ----------------------------------------------------------------------
    eps = []
    for key, r in extra["resolver"].items():
        eps.append(
            {
                "Id": r["id"],
                "CreatorRequestId": f"terraform-{key}-20230704031240",
                "Arn": f"arn:aws:route53resolver:{REGION}:{ACCOUNT}:resolver-endpoint/{r['id']}",
                "Name": f"prod-core-{r['direction'].lower()}",
                "SecurityGroupIds": [w.sgs[r["sg"]]["id"]],
                "Direction": r["direction"],
                "IpAddressCount": len(r["ips"]),
                "HostVPCId": w.vpcs["prod-core"]["id"],
                "Status": "OPERATIONAL",
                "StatusMessage": "This Resolver Endpoint is operational.",
                "CreationTime": "2023-07-04T03:12:40.712283Z",
                "ModificationTime": "2023-07-04T03:12:40.712283Z",
                "ResolverEndpointType": "IPV4",
                "Protocols": ["Do53"],
            }
        )
        files[f"route53resolver/list-resolver-endpoint-ip-addresses@{r['id']}.json"] = {
            "IpAddresses": [
                {
                    "IpId": ip["rni"],
                    "SubnetId": w.subnets[ip["subnet"]]["id"],
                    "Ip": w.enis[ip["eni"]]["ip"],
                    "Status": "ATTACHED",
                    "StatusMessage": "This IP address is operational.",
                    "CreationTime": "2023-07-04T03:12:40.712283Z",
                    "ModificationTime": "2023-07-04T03:13:57.208114Z",
                }
                for ip in r["ips"]
            ]
        }
    files["route53resolver/list-resolver-endpoints.json"] = {"ResolverEndpoints": eps}
    rule = hex17("rslvr-rr", ONPREM)
    w.ids["rule:onprem.local"] = rule
    out = extra["resolver"]["rslvr-out"]["id"]
    auto = "rslvr-autodefined-rr-internet-resolver"
    files["route53resolver/list-resolver-rules.json"] = {
        "ResolverRules": [
            {
                "Id": rule,
                "CreatorRequestId": "terraform-20230704032215",
                "Arn": f"arn:aws:route53resolver:{REGION}:{ACCOUNT}:resolver-rule/{rule}",
                "DomainName": f"{ONPREM}.",
                "Status": "COMPLETE",
                "StatusMessage": "[Trace id: 1-6494a5c7-2d4b1f7a3c9e8b6d5f0a1e2c] Successfully created Resolver Rule.",
                "RuleType": "FORWARD",
                "Name": "forward-onprem-local",
                "TargetIps": [{"Ip": ip, "Port": 53, "Protocol": "Do53"} for ip in ONPREM_DNS],
                "ResolverEndpointId": out,
                "OwnerId": ACCOUNT,
                "ShareStatus": "NOT_SHARED",
                "CreationTime": "2023-07-04T03:22:15.401772Z",
                "ModificationTime": "2023-07-04T03:22:15.401772Z",
            },
            {
                "Id": auto,
                "CreatorRequestId": "",
                "Arn": f"arn:aws:route53resolver:{REGION}:{ACCOUNT}:autodefined-rule/{auto}",
                "DomainName": ".",
                "Status": "COMPLETE",
                "RuleType": "RECURSIVE",
                "Name": "Internet Resolver",
                "OwnerId": "Route 53 Resolver",
                "ShareStatus": "NOT_SHARED",
            },
        ]
    }
    assocs = [
        {
            "Id": hex17("rslvr-rrassoc", ONPREM + "prod-core"),
            "ResolverRuleId": rule,
            "Name": "onprem-local-prod-core",
            "VPCId": w.vpcs["prod-core"]["id"],
            "Status": "COMPLETE",
            "StatusMessage": "",
        }
    ]
    for v in w.vpcs.values():
        assocs.append(
            {
                "Id": f"rslvr-autodefined-assoc-{v['id']}-internet-resolver",
                "ResolverRuleId": auto,
                "Name": "System Rule Association",
                "VPCId": v["id"],
                "Status": "COMPLETE",
                "StatusMessage": "",
            }
        )
    files["route53resolver/list-resolver-rule-associations.json"] = {
        "ResolverRuleAssociations": assocs
    }
    w.ids["rrassoc:onprem.local/prod-core"] = assocs[0]["Id"]


def render_elb_rds(w: World, extra: dict[str, Any], files: dict[str, Any]) -> None:
    arn = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/{ALB_NAME}/{ALB_ID}"
    w.ids["alb:corp-api"] = arn
    files["elbv2/describe-load-balancers.json"] = {
        "LoadBalancers": [
            {
                "LoadBalancerArn": arn,
                "DNSName": ALB_DNS,
                "CanonicalHostedZoneId": ELB_ZONE,
                "CreatedTime": "2023-03-14T03:12:40.120000+00:00",
                "LoadBalancerName": ALB_NAME,
                "Scheme": "internal",
                "VpcId": w.vpcs["prod-core"]["id"],
                "State": {"Code": "active"},
                "Type": "application",
                "AvailabilityZones": [
                    {
                        "ZoneName": w.subnets[s]["az"],
                        "SubnetId": w.subnets[s]["id"],
                        "LoadBalancerAddresses": [],
                    }
                    for s in ("core-app-1a", "core-app-1c", "core-app-1d")
                ],
                "SecurityGroups": [w.sgs["alb-corp-api"]["id"]],
                "IpAddressType": "ipv4",
            }
        ]
    }

    kms = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{uid('kms-rds')}"
    clusters, instances = [], []
    for cid, vpc, sg, subs, day, members in (
        (
            "orders-db",
            "prod-core",
            "aurora-orders",
            ["core-db-1a", "core-db-1c", "core-db-1d"],
            "2022-09-20",
            ["orders-db-instance-1", "orders-db-instance-2"],
        ),
        (
            "billing-db",
            "billing",
            "aurora-billing",
            ["bill-db-1a", "bill-db-1c"],
            "2023-03-01",
            ["billing-db-instance-1", "billing-db-instance-2"],
        ),
    ):
        w.ids[f"cluster:{cid}"] = cid
        group = f"{cid}-subnets"
        sgid = w.sgs[sg]["id"]
        clusters.append(
            {
                "AllocatedStorage": 1,
                "AvailabilityZones": sorted({w.subnets[s]["az"] for s in subs}),
                "BackupRetentionPeriod": 7,
                "DatabaseName": cid.split("-")[0],
                "DBClusterIdentifier": cid,
                "DBClusterParameterGroup": "default.aurora-postgresql15",
                "DBSubnetGroup": group,
                "Status": "available",
                "EarliestRestorableTime": "2025-01-21T18:05:12.411000+00:00",
                "Endpoint": f"{cid}.cluster-{RDS_SUFFIX}",
                "ReaderEndpoint": f"{cid}.cluster-ro-{RDS_SUFFIX}",
                "MultiAZ": True,
                "Engine": "aurora-postgresql",
                "EngineVersion": "15.4",
                "LatestRestorableTime": "2025-01-28T06:41:30.090000+00:00",
                "Port": 5432,
                "MasterUsername": "postgres",
                "PreferredBackupWindow": "17:00-17:30",
                "PreferredMaintenanceWindow": "sun:18:00-sun:18:30",
                "ReadReplicaIdentifiers": [],
                "DBClusterMembers": [
                    {
                        "DBInstanceIdentifier": m,
                        "IsClusterWriter": i == 0,
                        "DBClusterParameterGroupStatus": "in-sync",
                        "PromotionTier": 1,
                    }
                    for i, m in enumerate(members)
                ],
                "VpcSecurityGroups": [{"VpcSecurityGroupId": sgid, "Status": "active"}],
                "HostedZoneId": "Z24O6O9L7SGTNB",
                "StorageEncrypted": True,
                "KmsKeyId": kms,
                "DbClusterResourceId": "cluster-" + _h("cr" + cid)[:26].upper(),
                "DBClusterArn": f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster:{cid}",
                "AssociatedRoles": [],
                "IAMDatabaseAuthenticationEnabled": False,
                "ClusterCreateTime": f"{day}T05:02:11.734000+00:00",
                "EngineMode": "provisioned",
                "DeletionProtection": True,
                "HttpEndpointEnabled": False,
                "CopyTagsToSnapshot": True,
                "CrossAccountClone": False,
                "DomainMemberships": [],
                "TagList": [],
                "AutoMinorVersionUpgrade": True,
                "NetworkType": "IPV4",
                "StorageType": "aurora",
            }
        )
        for i, m in enumerate(members):
            sub = subs[i]
            instances.append(
                {
                    "DBInstanceIdentifier": m,
                    "DBInstanceClass": "db.r6g.large",
                    "Engine": "aurora-postgresql",
                    "DBInstanceStatus": "available",
                    "MasterUsername": "postgres",
                    "Endpoint": {
                        "Address": f"{m}.{RDS_SUFFIX}",
                        "Port": 5432,
                        "HostedZoneId": "Z24O6O9L7SGTNB",
                    },
                    "AllocatedStorage": 1,
                    "InstanceCreateTime": f"{day}T05:14:38.502000+00:00",
                    "PreferredBackupWindow": "17:00-17:30",
                    "BackupRetentionPeriod": 7,
                    "DBSecurityGroups": [],
                    "VpcSecurityGroups": [{"VpcSecurityGroupId": sgid, "Status": "active"}],
                    "DBParameterGroups": [
                        {
                            "DBParameterGroupName": "default.aurora-postgresql15",
                            "ParameterApplyStatus": "in-sync",
                        }
                    ],
                    "AvailabilityZone": w.subnets[sub]["az"],
                    "DBSubnetGroup": {
                        "DBSubnetGroupName": group,
                        "DBSubnetGroupDescription": f"{cid} subnets",
                        "VpcId": w.vpcs[vpc]["id"],
                        "SubnetGroupStatus": "Complete",
                        "Subnets": [
                            {
                                "SubnetIdentifier": w.subnets[s]["id"],
                                "SubnetAvailabilityZone": {"Name": w.subnets[s]["az"]},
                                "SubnetOutpost": {},
                                "SubnetStatus": "Active",
                            }
                            for s in subs
                        ],
                    },
                    "PreferredMaintenanceWindow": "sun:18:00-sun:18:30",
                    "PendingModifiedValues": {},
                    "MultiAZ": False,
                    "EngineVersion": "15.4",
                    "AutoMinorVersionUpgrade": True,
                    "ReadReplicaDBInstanceIdentifiers": [],
                    "LicenseModel": "postgresql-license",
                    "OptionGroupMemberships": [
                        {"OptionGroupName": "default:aurora-postgresql-15", "Status": "in-sync"}
                    ],
                    "PubliclyAccessible": False,
                    "StorageType": "aurora",
                    "DbInstancePort": 0,
                    "DBClusterIdentifier": cid,
                    "StorageEncrypted": True,
                    "KmsKeyId": kms,
                    "DbiResourceId": "db-" + _h("dbi" + m)[:26].upper(),
                    "CACertificateIdentifier": "rds-ca-rsa2048-g1",
                    "DomainMemberships": [],
                    "CopyTagsToSnapshot": False,
                    "MonitoringInterval": 0,
                    "PromotionTier": 1,
                    "DBInstanceArn": f"arn:aws:rds:{REGION}:{ACCOUNT}:db:{m}",
                    "IAMDatabaseAuthenticationEnabled": False,
                    "PerformanceInsightsEnabled": False,
                    "DeletionProtection": False,
                    "AssociatedRoles": [],
                    "TagList": [],
                    "CustomerOwnedIpEnabled": False,
                    "BackupTarget": "region",
                    "NetworkType": "IPV4",
                    "CertificateDetails": {
                        "CAIdentifier": "rds-ca-rsa2048-g1",
                        "ValidTill": "2026-01-20T05:12:00+00:00",
                    },
                    "IsStorageConfigUpgradeAvailable": False,
                }
            )
    files["rds/describe-db-clusters.json"] = {"DBClusters": clusters}
    files["rds/describe-db-instances.json"] = {"DBInstances": instances}
    prx = rid("prx", "orders-db-proxy")
    files["rds/describe-db-proxies.json"] = {
        "DBProxies": [
            {
                "DBProxyName": "orders-db-proxy",
                "DBProxyArn": f"arn:aws:rds:{REGION}:{ACCOUNT}:db-proxy:{prx}",
                "Status": "available",
                "EngineFamily": "POSTGRESQL",
                "VpcId": w.vpcs["prod-core"]["id"],
                "VpcSecurityGroupIds": [w.sgs["rds-proxy-orders"]["id"]],
                "VpcSubnetIds": [
                    w.subnets[s]["id"] for s in ("core-db-1a", "core-db-1c", "core-db-1d")
                ],
                "Auth": [
                    {
                        "Description": "orders app user",
                        "AuthScheme": "SECRETS",
                        "SecretArn": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:orders-db/app-Xk3Pq9",
                        "IAMAuth": "DISABLED",
                        "ClientPasswordAuthType": "POSTGRES_SCRAM_SHA_256",
                    }
                ],
                "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/orders-db-proxy-role",
                "Endpoint": f"orders-db-proxy.proxy-{RDS_SUFFIX}",
                "RequireTLS": True,
                "IdleClientTimeout": 1800,
                "DebugLogging": False,
                "CreatedDate": "2023-05-10T02:48:19.554000+00:00",
                "UpdatedDate": "2023-05-10T02:55:02.106000+00:00",
            }
        ]
    }
    w.ids["proxy:orders-db-proxy"] = "orders-db-proxy"


# --------------------------------------------------------------------------------------------
# Checking: botocore output shapes (strict) and references
# --------------------------------------------------------------------------------------------

def check(out: Path) -> list[str]:
    import botocore.session

    sys.path.insert(0, str(ROOT))
    from vpcdoctor.graph.model.kinds import KINDS_BY_NAME
    from vpcdoctor.graph.sources.shapes import check_strictly as _check_shape

    session = botocore.session.get_session()
    errors: list[str] = []
    for path in sorted(out.rglob("*.json")):
        rel = path.relative_to(out)
        stem = path.stem.split("@")[0]
        kind = KINDS_BY_NAME.get(stem)
        if kind is None or kind.service != rel.parts[-2]:  # [account/]service/file
            errors.append(f"{rel}: no kind named {stem} for service {rel.parts[-2]}")
            continue
        data = json.loads(path.read_text())
        missing = [k for k in kind.keys if k not in data]
        if missing and not (data == {} and kind.owner_in_filename):  # {}: named by the file
            errors.append(f"{rel}: lacks the keys {missing} that identify {kind.name}")
        if kind.owner_in_filename and "@" not in path.stem:
            errors.append(f"{rel}: {kind.name} needs @<{kind.owner_hint}> in its file name")
        model = session.get_service_model(kind.service).operation_model(kind.operation)
        _check_shape(model.output_shape, data, str(rel), errors, top=True)
    return errors


def check_references(w: World, files: dict[str, Any], *others: World) -> list[str]:
    """Every id named in one output exists in the output that lists it (``others``: the other
    accounts of the snapshot)."""
    errors: list[str] = []
    ids = set()
    for world in (w, *others):
        for coll in (
            world.vpcs,
            world.subnets,
            world.rtbs,
            world.igws,
            world.nats,
            world.sgs,
            world.acls,
            world.enis,
            world.eips,
        ):
            ids |= {v["id"] for v in coll.values()}
    ids |= {v["VpcEndpointId"] for v in files["ec2/describe-vpc-endpoints.json"]["VpcEndpoints"]}
    ids |= {
        w.ids["pcx:analytics-legacy-erp"],
        w.ids["vgw:prod-core"],
        S3_PL,
        DDB_PL,
        "local",
        w.ids["nat:core-batch-deleted"],
    }
    text = json.dumps(files)
    import re

    for m in set(
        re.findall(
            r'"((?:vpc|subnet|rtb|igw|nat|sg|acl|eni|eipalloc|vpce|pcx|vgw|pl)-[0-9a-f]{8,17})"',
            text,
        )
    ):
        if m not in ids:
            errors.append(f"dangling reference {m}")
    # every subnet has exactly one NACL and at most one explicit route table
    for world in (w, *others):
        for key in world.subnets:
            n = sum(key in a["subnets"] for a in world.acls.values())
            if n != 1:
                errors.append(f"subnet {key} is in {n} network ACLs")
            r = sum(key in t["subnets"] for t in world.rtbs.values())
            if r > 1:
                errors.append(f"subnet {key} has {r} explicit route tables")
    for key, s in w.subnets.items():
        if "vpc" in s and any(
            w.enis[e]["subnet"] == key and w.sgs.get(g, {}).get("vpc") not in (None, s["vpc"])
            for e in w.enis
            for g in w.enis[e]["groups"]
        ):
            errors.append(f"subnet {key} has an ENI with a security group of another VPC")
    for fn in FUNCTIONS:
        vpcs = {w.subnets[s]["vpc"] for s in fn["subnets"]} | {w.sgs[g]["vpc"] for g in fn["sgs"]}
        if len(vpcs) > 1:
            errors.append(f"function {fn['name']} spans VPCs {vpcs}")
    return errors


# --------------------------------------------------------------------------------------------
# Expected verdicts: the acceptance cases of the engine, DNS and checklist issues
# --------------------------------------------------------------------------------------------


def expected(w: World, extra: dict[str, Any]) -> dict[str, Any]:
    I = w.ids  # noqa: E741
    S = {k: v["id"] for k, v in w.subnets.items()}

    def ip(eni_key: str) -> str:
        address: str = w.enis[eni_key]["ip"]
        return address

    proxy_ip = ip("orders-db-proxy-1a")
    billing_writer_ip = ip("billing-db-instance-1")
    alb_ips = sorted(ip(e) for e in extra["alb_enis"])
    sm_ips = sorted(ip(e) for e in extra["iface"]["core-secretsmanager"]["enis"])
    web = "api.stripe.com"
    cases: list[dict[str, Any]] = []

    def case(
        fn: str,
        target: str,
        verdict: str,
        blocking: str | None,
        code: str,
        story: str,
        failing: list[str] | None = None,
    ) -> None:
        c: dict[str, Any] = {
            "function": fn,
            "target": target,
            "verdict": verdict,
            "blocking_resource": blocking,
            "code_hint": code,
        }
        if failing is not None:
            c["failing_subnets"] = [S[s] for s in failing]
        c["story"] = story
        cases.append(c)

    R, U, K = "reachable", "unreachable", "unknown"
    # 1 public-subnet
    st = "Lambda in public subnets: 0.0.0.0/0 goes to the IGW, but a Hyperplane ENI never has a public IP"
    case(
        "public-subnet",
        web,
        U,
        I["igw:prod-core"],
        "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
        st,
        ["core-public-1a", "core-public-1c"],
    )
    case(
        "public-subnet",
        "1.1.1.1:443",
        U,
        I["igw:prod-core"],
        "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
        st,
        ["core-public-1a", "core-public-1c"],
    )
    case(
        "public-subnet",
        "s3",
        R,
        None,
        "",
        "the public route table is associated with the S3 gateway "
        "endpoint: S3 works while the internet does not",
    )
    case(
        "public-subnet",
        "secretsmanager",
        R,
        None,
        "",
        "the Secrets Manager interface endpoint admits lambda-app",
    )
    # 2 orders-api (healthy)
    st = (
        "healthy: private subnets, a NAT gateway per AZ, gateway and interface endpoints, RDS Proxy"
    )
    for t in (
        web,
        "1.1.1.1:443",
        "s3",
        "dynamodb",
        "secretsmanager",
        "sts",
        "https://secretsmanager.ap-northeast-1.amazonaws.com",
        f"{proxy_ip}:5432",
    ):
        case("orders-api", t, R, None, "", st)
    # 3 etl-loader
    st = "the ETL NAT gateway sits in a subnet that uses the main route table (no IGW route)"
    case(
        "etl-loader",
        web,
        U,
        I["nat:core-etl"],
        "NO_ROUTE_TO_DESTINATION",
        st,
        ["core-etl-1a", "core-etl-1c"],
    )
    case("etl-loader", "s3", R, None, "", "S3 takes the gateway endpoint route, not the NAT")
    # 4 inventory-sync
    st = "the 1c worker route table has no 0.0.0.0/0 route: one AZ works, the other does not"
    case(
        "inventory-sync",
        web,
        U,
        I["rtb:core-worker-1c"],
        "NO_ROUTE_TO_DESTINATION",
        st,
        ["core-worker-1c"],
    )
    case("inventory-sync", "s3", R, None, "", "both worker tables carry the S3 prefix-list route")
    # 5 nightly-batch
    st = "0.0.0.0/0 is a blackhole route to a NAT gateway deleted in a clean-up"
    case(
        "nightly-batch",
        web,
        U,
        I["rtb:core-batch"],
        "BAD_STATE_ROUTE",
        st,
        ["core-batch-1a", "core-batch-1c"],
    )
    case(
        "nightly-batch",
        "s3",
        R,
        None,
        "",
        "the S3 prefix-list route is more specific than the blackhole",
    )
    # 6 ledger-writer
    st = "the function's security group allows egress only to the RDS Proxy on 5432"
    case("ledger-writer", f"{proxy_ip}:5432", R, None, "", "the database path itself is fine")
    case("ledger-writer", web, U, I["sg:lambda-ledger-writer"], "ENI_SG_RULES_MISMATCH", st)
    case(
        "ledger-writer",
        "s3",
        U,
        I["sg:lambda-ledger-writer"],
        "ENI_SG_RULES_MISMATCH",
        st + " (no rule for the S3 prefix list)",
    )
    case(
        "ledger-writer",
        "secretsmanager",
        U,
        I["sg:lambda-ledger-writer"],
        "ENI_SG_RULES_MISMATCH",
        st,
    )
    # 7 image-resizer
    st = "the media subnets' NACL denies inbound TCP 1024-65535: every reply is dropped"
    case(
        "image-resizer",
        web,
        U,
        I["acl:core-media"],
        "SUBNET_ACL_RESTRICTION",
        st,
        ["core-media-1a", "core-media-1c"],
    )
    case(
        "image-resizer",
        "s3",
        U,
        I["acl:core-media"],
        "SUBNET_ACL_RESTRICTION",
        st,
        ["core-media-1a", "core-media-1c"],
    )
    case(
        "image-resizer",
        f"{proxy_ip}:5432",
        U,
        I["acl:core-media"],
        "SUBNET_ACL_RESTRICTION",
        st,
        ["core-media-1a", "core-media-1c"],
    )
    # 8 data lake
    st = "no NAT by design: S3 and DynamoDB through gateway endpoints"
    case("s3-ingest", "s3", R, None, "", st)
    case("s3-ingest", "dynamodb", R, None, "", st)
    case(
        "s3-ingest",
        web,
        U,
        I["rtb:lake-ingest"],
        "NO_ROUTE_TO_DESTINATION",
        st + "; nothing else leaves the VPC",
        ["lake-ingest-1a", "lake-ingest-1c"],
    )
    st = "the index route table is associated with the S3 endpoint but not with the DynamoDB endpoint"
    case(
        "search-indexer",
        "dynamodb",
        U,
        I["rtb:lake-index"],
        "NO_ROUTE_TO_DESTINATION",
        st,
        ["lake-index-1a", "lake-index-1c"],
    )
    case("search-indexer", "s3", R, None, "", "S3 still works through its gateway endpoint")
    # 9 invoice-renderer
    st = "the Secrets Manager endpoint's security group admits lambda-app, not this function's own group"
    case(
        "invoice-renderer", "secretsmanager", U, I["sg:vpce-prod-core"], "ENI_SG_RULES_MISMATCH", st
    )
    case(
        "invoice-renderer",
        "secretsmanager.ap-northeast-1.amazonaws.com",
        U,
        I["sg:vpce-prod-core"],
        "ENI_SG_RULES_MISMATCH",
        st,
    )
    case("invoice-renderer", web, R, None, "", "the internet path through the NAT is fine")
    # 10 report-builder
    st = (
        "interface endpoints with private DNS, but enableDnsHostnames is off: the service name "
        "resolves to public IPs and the VPC has no way out"
    )
    case(
        "report-builder",
        "secretsmanager",
        U,
        I["vpc:reporting"],
        "DNS_PRIVATE_DNS_NEEDS_DNS_HOSTNAMES",
        st,
        ["rep-app-1a", "rep-app-1c"],
    )
    case(
        "report-builder",
        "sts",
        U,
        I["vpc:reporting"],
        "DNS_PRIVATE_DNS_NEEDS_DNS_HOSTNAMES",
        st,
        ["rep-app-1a", "rep-app-1c"],
    )
    case("report-builder", "s3", R, None, "", "the S3 gateway endpoint needs no DNS attribute")
    # 11 dashboard-api
    st = "corp.internal exists but is associated with prod-core only: NXDOMAIN in analytics"
    case(
        "dashboard-api",
        "https://api.corp.internal",
        U,
        I["zone:corp.internal"],
        "DNS_PHZ_NOT_ASSOCIATED",
        st,
    )
    case("dashboard-api", web, R, None, "", "analytics has a NAT gateway per AZ")
    # 12 hr-sync
    st = "the onprem.local forward rule is associated with prod-core only"
    case(
        "hr-sync", "ldap.onprem.local:636", U, I["rule:onprem.local"], "DNS_RULE_NOT_ASSOCIATED", st
    )
    # 13 erp-connector
    st = "peering is active and analytics routes 10.90.0.0/16 to it, but legacy-erp has no route back"
    case(
        "erp-connector",
        "10.90.1.25:8443",
        U,
        I["rtb:erp"],
        "NO_ROUTE_TO_DESTINATION",
        st,
        ["ana-app-1a", "ana-app-1c"],
    )
    case("erp-connector", web, R, None, "", "internet through the analytics NAT gateways")
    # 14 fixed-ip-caller
    st = "Elastic IPs associated with the function's Hyperplane ENIs in public subnets (seed 002's trick)"
    case("fixed-ip-caller", web, R, None, "EIP_ON_LAMBDA_ENI", st + ": works, with a warning")
    case(
        "fixed-ip-caller",
        "1.1.1.1:443",
        R,
        None,
        "EIP_ON_LAMBDA_ENI",
        st + ": works, with a warning",
    )
    # 15 thumbnail-fanout
    st = "Failed (SubnetOutOfIPAddresses): both /28 subnets are full"
    case("thumbnail-fanout", web, U, "thumbnail-fanout", "LAMBDA_STATE_FAILED", st)
    case("thumbnail-fanout", "s3", U, "thumbnail-fanout", "LAMBDA_STATE_FAILED", st)
    # 16 tax-calculator
    case(
        "tax-calculator",
        web,
        R,
        None,
        "SINGLE_AZ",
        "one subnet (ap-northeast-1a): reachable, warn single AZ",
    )
    # 17 billing-reconciler
    st = "Aurora PostgreSQL with no RDS Proxy and no reserved concurrency (a connection storm waiting to happen)"
    case(
        "billing-reconciler",
        f"{billing_writer_ip}:5432",
        R,
        None,
        "",
        st + "; the path itself is fine",
    )
    case("billing-reconciler", web, R, None, "", "internet through the billing NAT gateways")
    # healthy extras
    case(
        "webhook-relay", web, R, None, "", "not in a VPC: Lambda's own network reaches the internet"
    )
    case("webhook-relay", "s3", R, None, "", "not in a VPC: public AWS endpoints are reachable")
    case(
        "webhook-relay",
        f"{proxy_ip}:5432",
        U,
        "webhook-relay",
        "LAMBDA_NOT_IN_VPC",
        "not in a VPC: no private IP of any VPC is reachable",
    )
    st = "healthy: corp.internal is associated with prod-core; alias to the internal ALB whose SG admits lambda-app"
    case("catalog-client", "https://api.corp.internal", R, None, "", st)
    case(
        "catalog-client",
        "legacy-api.corp.internal:443",
        R,
        None,
        "",
        st + " (CNAME inside the zone)",
    )
    case(
        "directory-sync",
        "ldap.onprem.local:636",
        K,
        I["rule:onprem.local"],
        "DNS_FORWARDED",
        "the associated forward rule sends onprem.local to 192.168.10.2/.3: the address is only known by probing",
    )

    named_story.cases(case, w, RDS_SUFFIX)
    R53 = I["zone:corp.internal"]
    dns = [*named_story.dns_cases(w, [ip(k) for k in named_story.PROXY_ENIS]),
        {
            "name": "api.corp.internal",
            "function": "catalog-client",
            "outcome": "answer",
            "decided_by": R53,
            "addresses": alb_ips,
        },
        {
            "name": "legacy-api.corp.internal",
            "function": "catalog-client",
            "outcome": "answer",
            "decided_by": R53,
            "addresses": alb_ips,
        },
        {
            "name": "erp.corp.internal",
            "function": "orders-api",
            "outcome": "answer",
            "decided_by": R53,
            "addresses": ["10.90.1.25"],
        },
        {
            "name": "missing.corp.internal",
            "function": "catalog-client",
            "outcome": "nxdomain",
            "decided_by": R53,
            "addresses": [],
        },
        {
            "name": "api.corp.internal",
            "function": "dashboard-api",
            "outcome": "nxdomain",
            "decided_by": R53,
            "addresses": [],
        },
        {
            "name": "ldap.onprem.local",
            "function": "directory-sync",
            "outcome": "forwarded",
            "decided_by": I["rule:onprem.local"],
            "addresses": [],
            "forwarded_to": [f"{x}:53" for x in ONPREM_DNS],
        },
        {
            "name": "ldap.onprem.local",
            "function": "hr-sync",
            "outcome": "nxdomain",
            "decided_by": I["rule:onprem.local"],
            "addresses": [],
        },
        {
            "name": "secretsmanager.ap-northeast-1.amazonaws.com",
            "function": "invoice-renderer",
            "outcome": "answer",
            "decided_by": I["vpce:core-secretsmanager"],
            "addresses": sm_ips,
        },
        {
            "name": "secretsmanager.ap-northeast-1.amazonaws.com",
            "function": "report-builder",
            "outcome": "public",
            "decided_by": I["vpc:reporting"],
            "addresses": [],
        },
        {
            "name": "api.stripe.com",
            "function": "orders-api",
            "outcome": "public",
            "decided_by": None,
            "addresses": [],
        },
    ]
    checklist = []

    def step(fn: str, sid: str, status: str) -> None:
        checklist.append({"function": fn, "step": sid, "status": status})

    for sid, status in (
        ("public-subnet", "ok"),
        ("multi-az", "ok"),
        ("ip-headroom", "ok"),
        ("db-connections", "ok"),
        ("lambda-state", "ok"),
        ("cold-start", "ok"),
    ):
        step("orders-api", sid, status)
    step("public-subnet", "public-subnet", "fail")
    step("public-subnet", "multi-az", "ok")
    step("public-subnet", "lambda-state", "ok")
    step("fixed-ip-caller", "public-subnet", "warn")
    step("tax-calculator", "multi-az", "warn")
    step("tax-calculator", "lambda-state", "ok")
    step("thumbnail-fanout", "ip-headroom", "fail")
    step("thumbnail-fanout", "lambda-state", "fail")
    step("thumbnail-fanout", "multi-az", "ok")
    step("billing-reconciler", "db-connections", "warn")
    step("billing-reconciler", "multi-az", "ok")
    step("ledger-writer", "db-connections", "ok")
    step("webhook-relay", "vpc-needed", "ok")
    for sid in ("public-subnet", "multi-az", "ip-headroom"):
        step("webhook-relay", sid, "not-applicable")
    for fn in (
        "etl-loader",
        "inventory-sync",
        "nightly-batch",
        "image-resizer",
        "invoice-renderer",
        "report-builder",
        "dashboard-api",
        "hr-sync",
        "erp-connector",
        "s3-ingest",
        "search-indexer",
    ):
        step(fn, "public-subnet", "ok")
        step(fn, "multi-az", "ok")
        step(fn, "lambda-state", "ok")
    cases += stories_network.cases(w, extra)
    checklist += stories_network.checklist()
    return {
        "account_id": ACCOUNT,
        "region": REGION,
        "snapshot": "snapshot",
        "notes": (
            "Verdicts are what a correct engine must reach by AWS's rules (knowledge-facts.md, "
            "Decision rules R0-R10). code_hint is advisory; blocking_resource is the id of the "
            "resource a fix must change (a Lambda-state block names the function). Targets "
            "without a port mean 443. Generated by make_demo.py with the ids of the snapshot."
        ),
        "cases": cases,
        "dns": dns,
        "checklist": checklist,
    }


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------


def write(files: dict[str, Any], out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    for rel, data in sorted(files.items()):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=4, ensure_ascii=False) + "\n")


def main(argv: list[str]) -> int:
    w, extra = build()
    files = render(w, extra)
    if "--check" not in argv:
        write(files, OUT)
        (DEMO / "ids.json").write_text(json.dumps(w.ids, indent=2, sort_keys=True) + "\n")
        (DEMO / "expected.json").write_text(json.dumps(expected(w, extra), indent=2) + "\n")
    errors = check(OUT) + check_references(w, files, *stories_network.worlds(extra))
    errors += stories_network.check(w, files)
    for e in errors:
        print(e, file=sys.stderr)
    print(
        f"{len(files)} files, {len(w.functions)} functions, {len(w.enis)} ENIs, "
        f"{len(errors)} problems",
        file=sys.stderr,
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
