"""Story 19 of the demo: a dual-stack VPC (STORIES.md).

``partner-edge`` has an Amazon IPv6 /56, a /64 per subnet, IPv4 through a NAT gateway per AZ
and ``::/0`` through an egress-only internet gateway. Its default network ACL carries AWS's IPv6
rules (#101 and the ``*`` rule 32768) beside the IPv4 ones. ``address-lookup`` reaches IPv6 and
IPv4 destinations. ``push-notifier``'s subnets use a network ACL made from an IPv4-only
template: AWS still prints its IPv6 ``*`` deny (32768), and that is the first rule every
outbound IPv6 packet matches.
"""

from __future__ import annotations

import ipaddress
from types import ModuleType
from typing import Any

import demo_kit as kit

DUAL_CIDR, DUAL_V6 = "10.70.0.0/16", "2406:da14:f3c:6e00::/56"
V6_TARGET = "[2606:4700:4700::1111]:443"
"""An IPv6 internet destination (Cloudflare's resolver, the IPv6 twin of 1.1.1.1:443)."""

FUNCTIONS: list[dict[str, Any]] = [
    {
        "name": "address-lookup",
        "subnets": ["edge-app-1a", "edge-app-1c"],
        "sgs": ["lambda-partner-edge"],
        "runtime": "nodejs20.x",
        "memory": 256,
        "timeout": 10,
        "created": "2025-03-03",
        "description": "Postal-code lookups against a partner API served over IPv6 and IPv4",
        "ipv6": True,
    },
    {
        "name": "push-notifier",
        "subnets": ["edge-push-1a", "edge-push-1c"],
        "sgs": ["lambda-partner-edge"],
        "runtime": "nodejs20.x",
        "memory": 512,
        "timeout": 30,
        "created": "2025-03-17",
        "description": "Sends mobile push notifications; the push provider prefers IPv6",
        "ipv6": True,
    },
]


def build(w: Any, demo: ModuleType) -> None:
    w.vpc("partner-edge", "partner-edge", DUAL_CIDR, created="2025-02-24")
    for key, name, az, cidr in (
        ("edge-public-1a", "partner-edge-public-1a", "a", "10.70.0.0/24"),
        ("edge-public-1c", "partner-edge-public-1c", "c", "10.70.1.0/24"),
        ("edge-app-1a", "partner-edge-app-1a", "a", "10.70.10.0/24"),
        ("edge-app-1c", "partner-edge-app-1c", "c", "10.70.11.0/24"),
        ("edge-push-1a", "partner-edge-push-1a", "a", "10.70.20.0/24"),
        ("edge-push-1c", "partner-edge-push-1c", "c", "10.70.21.0/24"),
    ):
        w.subnet(key, "partner-edge", name, az, cidr, public_ip=key.startswith("edge-public"))
    igw = demo.rid("igw", "partner-edge")
    w.igws["partner-edge"] = {"id": igw, "vpc": "partner-edge", "name": "partner-edge-igw"}
    w.ids["igw:partner-edge"] = igw
    eigw = demo.rid("eigw", "partner-edge")
    w.ids["eigw:partner-edge"] = eigw
    nats = {
        az: kit.nat_gateway(
            w, demo, f"edge-{az}", "partner-edge", f"edge-public-{az}", ip, "2025-02-24"
        )
        for az, ip in (("1a", "54.150.93.12"), ("1c", "13.115.206.71"))
    }
    local = [kit.local_route(demo, DUAL_CIDR), kit.local_route(demo, DUAL_V6)]
    w.rtb("edge-main", "partner-edge", "partner-edge-main", list(local), main=True)
    w.rtb(
        "edge-public",
        "partner-edge",
        "partner-edge-public",
        [
            *local,
            demo.route("0.0.0.0/0", GatewayId=igw),
            kit.v6_route("::/0", GatewayId=igw),
        ],
        subnets=["edge-public-1a", "edge-public-1c"],
    )
    for az, nat in nats.items():
        w.rtb(
            f"edge-private-{az}",
            "partner-edge",
            f"partner-edge-private-{az}",
            [
                *local,
                demo.route("0.0.0.0/0", NatGatewayId=nat),
                kit.v6_route("::/0", EgressOnlyInternetGatewayId=eigw),
            ],
            subnets=[f"edge-app-{az}", f"edge-push-{az}"],
        )
    kit.default_sg(w, "partner-edge", demo.ACCOUNT, ipv6=True)
    w.sg(
        "lambda-partner-edge",
        "partner-edge",
        "lambda-partner-edge",
        "partner-edge Lambdas (dual-stack)",
        egress=[kit.all_out(ipv6=True)],
    )
    kit.acl(
        w,
        demo,
        "default-partner-edge",
        "partner-edge",
        ["edge-public-1a", "edge-public-1c", "edge-app-1a", "edge-app-1c"],
        entries=kit.default_acl(ipv6=True),
    )
    # Story 19: the push subnets' NACL came from an IPv4-only template. AWS adds the IPv6 `*`
    # rule (32768) all the same, and nothing before it allows IPv6.
    kit.acl(
        w,
        demo,
        "edge-push",
        "partner-edge",
        ["edge-push-1a", "edge-push-1c"],
        default=False,
        name="partner-edge-push (from the ipv4 baseline module)",
        entries=[
            kit.acl_entry(100, "allow", True, "0.0.0.0/0"),
            kit.acl_entry(
                100,
                "allow",
                False,
                "0.0.0.0/0",
                Protocol="6",
                PortRange={"From": 1024, "To": 65535},
            ),
            *kit.star_rules(ipv6=True),
        ],
    )


def _v6_subnet(vpc_block: str, index: int) -> str:
    net = ipaddress.ip_network(vpc_block)
    return str(list(net.subnets(new_prefix=64))[index])


_V6_INDEX = {
    "edge-public-1a": 0,
    "edge-public-1c": 1,
    "edge-app-1a": 10,
    "edge-app-1c": 11,
    "edge-push-1a": 20,
    "edge-push-1c": 21,
}


def render(w: Any, files: dict[str, Any], demo: ModuleType) -> None:
    vid = w.vpcs["partner-edge"]["id"]
    for vpc in files["ec2/describe-vpcs.json"]["Vpcs"]:
        if vpc["VpcId"] == vid:
            vpc["Ipv6CidrBlockAssociationSet"] = [
                {
                    "AssociationId": demo.rid("vpc-cidr-assoc", "partner-edge-v6"),
                    "Ipv6CidrBlock": DUAL_V6,
                    "Ipv6CidrBlockState": {"State": "associated"},
                    "NetworkBorderGroup": demo.REGION,
                    "Ipv6Pool": "Amazon",
                }
            ]
    blocks = {w.subnets[k]["id"]: _v6_subnet(DUAL_V6, i) for k, i in _V6_INDEX.items()}
    for subnet in files["ec2/describe-subnets.json"]["Subnets"]:
        block = blocks.get(subnet["SubnetId"])
        if block:
            subnet["AssignIpv6AddressOnCreation"] = True
            subnet["Ipv6CidrBlockAssociationSet"] = [
                {
                    "AssociationId": demo.rid("subnet-cidr-assoc", subnet["SubnetId"]),
                    "Ipv6CidrBlock": block,
                    "Ipv6CidrBlockState": {"State": "associated"},
                }
            ]
            subnet["PrivateDnsNameOptionsOnLaunch"]["EnableResourceNameDnsAAAARecord"] = False
    # Each ENI in a dual-stack subnet gets an address from the subnet's /64.
    subnet_keys = {w.subnets[k]["id"]: k for k in _V6_INDEX}
    for eni in files["ec2/describe-network-interfaces.json"]["NetworkInterfaces"]:
        if eni["SubnetId"] not in subnet_keys or eni["InterfaceType"] != "lambda":
            continue  # a NAT gateway's interface has no IPv6 address
        net = ipaddress.ip_network(blocks[eni["SubnetId"]])
        host = int(demo._h("v6" + eni["NetworkInterfaceId"])[:12], 16)
        eni["Ipv6Addresses"] = [
            {"Ipv6Address": str(net.network_address + host), "IsPrimaryIpv6": False}
        ]
    dual = {fn["name"] for fn in FUNCTIONS if fn.get("ipv6")}
    for config in [
        *files["lambda/list-functions.json"]["Functions"],
        *(files[f"lambda/get-function-configuration@{name}.json"] for name in dual),
    ]:
        if config["FunctionName"] in dual:
            config["VpcConfig"]["Ipv6AllowedForDualStack"] = True
    files["ec2/describe-egress-only-internet-gateways.json"] = {
        "EgressOnlyInternetGateways": [
            {
                "Attachments": [{"State": "attached", "VpcId": vid}],
                "EgressOnlyInternetGatewayId": w.ids["eigw:partner-edge"],
                "Tags": demo.tags("partner-edge-eigw"),
            }
        ]
    }


def cases(w: Any) -> list[dict[str, Any]]:
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

    st = "dual-stack: IPv6 through the egress-only IGW, IPv4 through the NAT gateways"
    for target in (V6_TARGET, web):
        case("address-lookup", target, "reachable", None, "", st)
    st = (
        "the push subnets' network ACL came from an IPv4-only template: the first rule an "
        "outbound IPv6 packet matches is AWS's IPv6 `*` deny (32768)"
    )
    case(
        "push-notifier",
        V6_TARGET,
        "unreachable",
        w.acls["edge-push"]["id"],
        "SUBNET_ACL_RESTRICTION",
        st,
        ["edge-push-1a", "edge-push-1c"],
    )
    case("push-notifier", web, "reachable", None, "", "IPv4 is allowed by the same ACL's rule 100")
    return out
