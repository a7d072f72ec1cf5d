"""Demo stories across accounts and address families (STORIES.md 18 and 19).

**18. Centralized egress through the network account.** Kumo Trading's network team runs the
account ``739204815562``: a transit gateway shared with the workload account through RAM, and an
egress VPC (TGW attachment subnets → a NAT gateway per AZ in public subnets → the IGW, and routes
back to each spoke through the TGW). The workload account's ``fulfillment`` spoke has no IGW and
no NAT: ``0.0.0.0/0 → tgw``. It grew a secondary CIDR (10.101.0.0/16) when its subnets ran short
of addresses, and ``carrier-tracking`` runs there; the network team never added the secondary
CIDR to the egress VPC's public route table, so the replies to it leave through the IGW and die.
``shipping-quotes``, in the primary CIDR, works.

The network account is its own export, in a folder named as its account id (DESIGN.md, "Several
accounts and Regions in one snapshot"), with its own ``sts/get-caller-identity.json``. Each
account sees the TGW and the spoke's attachment from its own side, as the AWS CLI prints them:
the workload account sees the shared TGW (``OwnerId`` the network account), its own attachment
without an association and with its own tags, and no TGW route tables; the network account sees
every attachment with its association, the route tables and their routes.

**19. A dual-stack VPC** is :mod:`stories_dualstack`.

make_demo.py calls :func:`build`, :func:`render`, :func:`cases` and :func:`checklist`; ``demo`` is
make_demo's module (its World, helpers and constants), passed in because make_demo runs as a
script.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import demo_kit as kit
import stories_dualstack

NET = "739204815562"
"""The network account (Kumo Trading network team)."""
NET_DIR = NET
"""Its export inside the demo snapshot: a folder named as its account id."""
SPOKE_CIDR, SPOKE_CIDR_2, EGRESS_CIDR = "10.100.0.0/16", "10.101.0.0/16", "10.200.0.0/16"

FUNCTIONS: list[dict[str, Any]] = [
    {
        "name": "shipping-quotes",
        "subnets": ["ful-app-1a", "ful-app-1c"],
        "sgs": ["lambda-fulfillment"],
        "runtime": "python3.12",
        "memory": 512,
        "timeout": 30,
        "created": "2024-03-11",
        "description": (
            "Rates parcels with the carriers' APIs (internet through the network account's "
            "egress VPC)"
        ),
    },
    {
        "name": "carrier-tracking",
        "subnets": ["ful-app-ext-1a", "ful-app-ext-1c"],
        "sgs": ["lambda-fulfillment"],
        "runtime": "python3.12",
        "memory": 256,
        "timeout": 60,
        "created": "2025-02-12",
        "description": "Polls carrier tracking APIs (subnets in the secondary CIDR 10.101.0.0/16)",
    },
    *stories_dualstack.FUNCTIONS,
]


# --------------------------------------------------------------------------------------------
# Building: the workload account's two VPCs (into make_demo's World) and the network account
# --------------------------------------------------------------------------------------------


def build(w: Any, extra: dict[str, Any], demo: ModuleType) -> None:
    """Add the spoke and the dual-stack VPC to ``w``; build the network account beside it."""
    tgw = demo.rid("tgw", "kumo-network-hub")
    att_spoke = demo.rid("tgw-attach", "fulfillment")
    att_egress = demo.rid("tgw-attach", "network-egress")
    rt_spokes, rt_egress = demo.rid("tgw-rtb", "spokes"), demo.rid("tgw-rtb", "egress")
    w.ids.update(
        {
            "tgw:hub": tgw,
            "tgw-attach:fulfillment": att_spoke,
            "tgw-attach:egress": att_egress,
            "tgw-rtb:spokes": rt_spokes,
            "tgw-rtb:egress": rt_egress,
        }
    )
    _build_spoke(w, demo, tgw, att_spoke)
    stories_dualstack.build(w, demo)
    net = demo.World()
    _build_network(net, demo, tgw, att_egress)
    w.ids.update({f"{NET}:{k}": v for k, v in net.ids.items()})
    extra["network"] = net


def _build_spoke(w: Any, demo: ModuleType, tgw: str, attachment: str) -> None:
    w.vpc("fulfillment", "fulfillment", SPOKE_CIDR, created="2024-03-04")
    for key, name, az, cidr in (
        ("ful-tgw-1a", "fulfillment-tgw-1a", "a", "10.100.0.0/28"),
        ("ful-tgw-1c", "fulfillment-tgw-1c", "c", "10.100.0.16/28"),
        ("ful-app-1a", "fulfillment-app-1a", "a", "10.100.10.0/24"),
        ("ful-app-1c", "fulfillment-app-1c", "c", "10.100.11.0/24"),
        ("ful-app-ext-1a", "fulfillment-app-ext-1a", "a", "10.101.10.0/24"),
        ("ful-app-ext-1c", "fulfillment-app-ext-1c", "c", "10.101.11.0/24"),
    ):
        w.subnet(key, "fulfillment", name, az, cidr)
    w.rtb(
        "ful-main",
        "fulfillment",
        "fulfillment-main",
        [kit.local_route(demo, SPOKE_CIDR)],
        main=True,
    )
    # No IGW, no NAT: everything that is not local goes to the shared transit gateway.
    w.rtb(
        "ful-private",
        "fulfillment",
        "fulfillment-private",
        [
            kit.local_route(demo, SPOKE_CIDR),
            kit.local_route(demo, SPOKE_CIDR_2),
            demo.route("0.0.0.0/0", TransitGatewayId=tgw),
        ],
        subnets=["ful-app-1a", "ful-app-1c", "ful-app-ext-1a", "ful-app-ext-1c"],
    )
    w.rtbs["ful-main"]["routes"].append(kit.local_route(demo, SPOKE_CIDR_2))
    kit.default_sg(w, "fulfillment", demo.ACCOUNT)
    w.sg("lambda-fulfillment", "fulfillment", "lambda-fulfillment", "fulfillment Lambdas")
    subnets = [k for k, s in w.subnets.items() if s["vpc"] == "fulfillment"]
    kit.acl(
        w, demo, "default-fulfillment", "fulfillment", subnets, entries=kit.default_acl(ipv6=False)
    )
    kit.tgw_enis(w, attachment, ["ful-tgw-1a", "ful-tgw-1c"], "2024-03-05")


def _build_network(n: Any, demo: ModuleType, tgw: str, attachment: str) -> None:
    """The network account's egress VPC (keys prefixed ``net-``: ids never collide)."""
    n.vpc("net-egress", "network-egress", EGRESS_CIDR, created="2023-11-06")
    for key, name, az, cidr in (
        ("net-tgw-1a", "egress-tgw-1a", "a", "10.200.0.0/28"),
        ("net-tgw-1c", "egress-tgw-1c", "c", "10.200.0.16/28"),
        ("net-public-1a", "egress-public-1a", "a", "10.200.1.0/24"),
        ("net-public-1c", "egress-public-1c", "c", "10.200.2.0/24"),
    ):
        n.subnet(key, "net-egress", name, az, cidr, public_ip=key.startswith("net-public"))
    igw = demo.rid("igw", "net-egress")
    n.igws["net-egress"] = {"id": igw, "vpc": "net-egress", "name": "network-egress-igw"}
    n.ids["igw:net-egress"] = igw
    nats = {
        az: kit.nat_gateway(
            n, demo, f"net-egress-{az}", "net-egress", f"net-public-{az}", ip, "2023-11-06"
        )
        for az, ip in (("1a", "18.181.44.203"), ("1c", "52.192.150.77"))
    }
    local = kit.local_route(demo, EGRESS_CIDR)
    n.rtb("net-main", "net-egress", "network-egress-main", [local], main=True)
    for az, nat in nats.items():
        n.rtb(
            f"net-tgw-{az}",
            "net-egress",
            f"egress-tgw-{az}",
            [local, demo.route("0.0.0.0/0", NatGatewayId=nat)],
            subnets=[f"net-tgw-{az}"],
        )
    # Story 18: the route back to the spoke covers its primary CIDR only; 10.101.0.0/16 (the
    # secondary CIDR added in 2025) was never added, so its replies follow 0.0.0.0/0 to the IGW.
    n.rtb(
        "net-public",
        "net-egress",
        "egress-public",
        [
            local,
            demo.route(SPOKE_CIDR, TransitGatewayId=tgw),
            demo.route("0.0.0.0/0", GatewayId=igw),
        ],
        subnets=["net-public-1a", "net-public-1c"],
    )
    kit.default_sg(n, "net-egress", NET)
    kit.acl(
        n,
        demo,
        "default-net-egress",
        "net-egress",
        list(n.subnets),
        entries=kit.default_acl(ipv6=False),
    )
    kit.tgw_enis(n, attachment, ["net-tgw-1a", "net-tgw-1c"], "2023-11-07")


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


def render(w: Any, extra: dict[str, Any], files: dict[str, Any], demo: ModuleType) -> None:
    """Add what make_demo's renderer does not know (IPv6, a secondary CIDR, the shared TGW) to
    the workload account's files, and write the network account's export under ``NET_DIR``."""
    stories_dualstack.render(w, files, demo)
    vpcs = {v["VpcId"]: v for v in files["ec2/describe-vpcs.json"]["Vpcs"]}
    spoke = vpcs[w.vpcs["fulfillment"]["id"]]
    spoke["CidrBlockAssociationSet"].append(
        {
            "AssociationId": demo.rid("vpc-cidr-assoc", "fulfillment-2"),
            "CidrBlock": SPOKE_CIDR_2,
            "CidrBlockState": {"State": "associated"},
        }
    )
    net = extra["network"]
    I = w.ids  # noqa: E741
    spoke_subnets = [w.subnets[k]["id"] for k in ("ful-tgw-1a", "ful-tgw-1c")]
    egress_subnets = [net.subnets[k]["id"] for k in ("net-tgw-1a", "net-tgw-1c")]
    spoke_vpc, egress_vpc = w.vpcs["fulfillment"]["id"], net.vpcs["net-egress"]["id"]
    tgw_doc = _transit_gateway(demo, I)

    def vpc_attachment(att: str, vpc: str, owner: str, subnets: list[str], name: str) -> Any:
        return {
            "TransitGatewayAttachmentId": att,
            "TransitGatewayId": I["tgw:hub"],
            "VpcId": vpc,
            "VpcOwnerId": owner,
            "State": "available",
            "SubnetIds": subnets,
            "CreationTime": "2024-03-05T01:22:47+00:00",
            "Options": {
                "DnsSupport": "enable",
                "SecurityGroupReferencingSupport": "disable",
                "Ipv6Support": "disable",
                "ApplianceModeSupport": "disable",
            },
            "Tags": demo.tags(name),
        }

    def attachment(att: str, vpc: str, owner: str, name: str, rtb: str | None) -> Any:
        doc: dict[str, Any] = {
            "TransitGatewayAttachmentId": att,
            "TransitGatewayId": I["tgw:hub"],
            "TransitGatewayOwnerId": NET,
            "ResourceOwnerId": owner,
            "ResourceType": "vpc",
            "ResourceId": vpc,
            "State": "available",
            "CreationTime": "2024-03-05T01:22:47+00:00",
            "Tags": demo.tags(name),
        }
        if rtb:
            doc["Association"] = {"TransitGatewayRouteTableId": rtb, "State": "associated"}
        return doc

    # The workload account's view: the shared TGW, its own attachment (no association, its own
    # tags), no route tables (only the TGW owner lists them).
    acct = demo.ACCOUNT
    spoke_tag = "fulfillment-to-hub"
    files["ec2/describe-transit-gateways.json"] = {"TransitGateways": [tgw_doc]}
    files["ec2/describe-transit-gateway-attachments.json"] = {
        "TransitGatewayAttachments": [
            attachment(I["tgw-attach:fulfillment"], spoke_vpc, acct, spoke_tag, None)
        ]
    }
    files["ec2/describe-transit-gateway-vpc-attachments.json"] = {
        "TransitGatewayVpcAttachments": [
            vpc_attachment(I["tgw-attach:fulfillment"], spoke_vpc, acct, spoke_subnets, spoke_tag)
        ]
    }
    files["ec2/describe-transit-gateway-route-tables.json"] = {"TransitGatewayRouteTables": []}

    # The network account's export.
    out = kit.render_account(net, demo, NET)
    spoke_view = "spoke-fulfillment (482917365014)"
    out["ec2/describe-transit-gateways.json"] = {"TransitGateways": [tgw_doc]}
    out["ec2/describe-transit-gateway-attachments.json"] = {
        "TransitGatewayAttachments": [
            attachment(
                I["tgw-attach:fulfillment"], spoke_vpc, acct, spoke_view, I["tgw-rtb:spokes"]
            ),
            attachment(I["tgw-attach:egress"], egress_vpc, NET, "egress", I["tgw-rtb:egress"]),
        ]
    }
    out["ec2/describe-transit-gateway-vpc-attachments.json"] = {
        "TransitGatewayVpcAttachments": [
            vpc_attachment(I["tgw-attach:fulfillment"], spoke_vpc, acct, spoke_subnets, spoke_view),
            vpc_attachment(I["tgw-attach:egress"], egress_vpc, NET, egress_subnets, "egress"),
        ]
    }
    out["ec2/describe-transit-gateway-route-tables.json"] = {
        "TransitGatewayRouteTables": [
            {
                "TransitGatewayRouteTableId": rt,
                "TransitGatewayId": I["tgw:hub"],
                "State": "available",
                "DefaultAssociationRouteTable": False,
                "DefaultPropagationRouteTable": False,
                "CreationTime": "2023-11-07T00:58:12+00:00",
                "Tags": demo.tags(name),
            }
            for rt, name in ((I["tgw-rtb:spokes"], "spokes"), (I["tgw-rtb:egress"], "egress"))
        ]
    }

    def tgw_route(cidr: str, att: str, vpc: str, kind: str) -> dict[str, Any]:
        return {
            "DestinationCidrBlock": cidr,
            "TransitGatewayAttachments": [
                {"ResourceId": vpc, "TransitGatewayAttachmentId": att, "ResourceType": "vpc"}
            ],
            "Type": kind,
            "State": "active",
        }

    # spokes: everything to the egress VPC; egress: each spoke CIDR, propagated by its attachment
    out[f"ec2/search-transit-gateway-routes@{I['tgw-rtb:spokes']}.json"] = {
        "Routes": [tgw_route("0.0.0.0/0", I["tgw-attach:egress"], egress_vpc, "static")],
        "AdditionalRoutesAvailable": False,
    }
    out[f"ec2/search-transit-gateway-routes@{I['tgw-rtb:egress']}.json"] = {
        "Routes": [
            tgw_route(cidr, I["tgw-attach:fulfillment"], spoke_vpc, "propagated")
            for cidr in (SPOKE_CIDR, SPOKE_CIDR_2)
        ],
        "AdditionalRoutesAvailable": False,
    }
    out["lambda/list-functions.json"] = {"Functions": []}
    out["sts/get-caller-identity.json"] = {
        "UserId": "AROA2KQ7NVXW5RT3MBH6D:sato.k",
        "Account": NET,
        "Arn": f"arn:aws:sts::{NET}:assumed-role/NetworkReadOnly/sato.k",
    }
    for rel, doc in out.items():
        files[f"{NET_DIR}/{rel}"] = doc


def _transit_gateway(demo: ModuleType, ids: dict[str, str]) -> dict[str, Any]:
    tgw = ids["tgw:hub"]
    return {
        "TransitGatewayId": tgw,
        "TransitGatewayArn": f"arn:aws:ec2:{demo.REGION}:{NET}:transit-gateway/{tgw}",
        "State": "available",
        "OwnerId": NET,
        "Description": "Kumo network hub (shared with the workload accounts through RAM)",
        "CreationTime": "2023-11-07T00:41:05+00:00",
        "Options": {
            "AmazonSideAsn": 64512,
            "TransitGatewayCidrBlocks": [],
            "AutoAcceptSharedAttachments": "disable",
            "DefaultRouteTableAssociation": "disable",
            "DefaultRouteTablePropagation": "disable",
            "VpnEcmpSupport": "enable",
            "DnsSupport": "enable",
            "SecurityGroupReferencingSupport": "disable",
            "MulticastSupport": "disable",
        },
        "Tags": demo.tags("kumo-network-hub"),
    }


# --------------------------------------------------------------------------------------------
# Checking and expected verdicts
# --------------------------------------------------------------------------------------------


def worlds(extra: dict[str, Any]) -> list[Any]:
    """The other accounts' records, for make_demo's reference check."""
    return [extra["network"]]


def check(w: Any, files: dict[str, Any]) -> list[str]:
    """Every transit-gateway id named in an output is one the network account lists."""
    import re

    errors = []
    listed = set(w.ids.values())
    text = "\n".join(repr(doc) for doc in files.values())
    for found in set(re.findall(r"'(tgw-(?:attach-|rtb-)?0[0-9a-f]{16})'", text)):
        if found not in listed:
            errors.append(f"dangling transit gateway reference {found}")
    for rel in files:
        if rel.startswith(f"{NET_DIR}/") and rel.count("/") != 2:
            errors.append(f"{rel}: the network account's export is {NET_DIR}/<service>/<file>")
    return errors


def cases(w: Any, extra: dict[str, Any]) -> list[dict[str, Any]]:
    """The expected verdicts of stories 18 and 19 (the fields of make_demo's ``case``)."""
    net = extra["network"]
    S = {k: v["id"] for k, v in w.subnets.items()}
    web, out = "api.stripe.com", []

    def case(fn: str, target: str, verdict: str, blocking: str | None, code: str, story: str,
             failing: list[str] | None = None) -> None:  # fmt: skip
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
        out.append(c)

    st = (
        "centralized egress: spoke → the network account's shared TGW → egress VPC → NAT → IGW, "
        "and back through the egress VPC's route to 10.100.0.0/16"
    )
    for target in (web, "1.1.1.1:443", "s3"):
        case("shipping-quotes", target, "reachable", None, "", st)
    st = (
        "the function runs in the spoke's secondary CIDR 10.101.0.0/16; the egress VPC's public "
        "route table (network account) routes only 10.100.0.0/16 back to the TGW, so the replies "
        "follow 0.0.0.0/0 to the IGW"
    )
    for target in (web, "1.1.1.1:443"):
        case(
            "carrier-tracking",
            target,
            "unreachable",
            net.rtbs["net-public"]["id"],
            "RESPONSE_RTB_HAS_NO_ROUTE_TO_TRANSIT_GATEWAY",
            st,
            ["ful-app-ext-1a", "ful-app-ext-1c"],
        )
    out += stories_dualstack.cases(w)
    return out


def checklist() -> list[dict[str, str]]:
    steps = [
        {"function": fn["name"], "step": step, "status": "ok"}
        for fn in FUNCTIONS
        for step in ("public-subnet", "multi-az", "lambda-state")
    ]
    # centralized egress: the APIs leave through the TGW, not "no NAT: calls time out"
    steps.append({"function": "shipping-quotes", "step": "nat-endpoints", "status": "ok"})
    return steps
