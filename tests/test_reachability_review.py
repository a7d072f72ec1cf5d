"""Review of the engine against AWS's documented behaviour: one test per finding.

Each account is built to the shape the cited AWS page describes, and the expected verdict or
fix comes from that page (not from the engine). A fix is checked for two things: that it is a
command AWS accepts (no rule-number collision, the right CIDR flag) and that applying it would
actually change the deciding hop.
"""

from __future__ import annotations

from builders import AccountBuilder, private_vpc_with_nat
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.reachability import evaluate
from vpcdoctor.graph.targets import parse_target
from vpcdoctor.graph.verdict import CheckResult, HopStatus, Verdict


def run(account: Account, target: str, fn: str = "fn") -> CheckResult:
    return evaluate(account, account.functions[fn], parse_target(target))


def blocking(result: CheckResult) -> tuple[str | None, str | None]:
    b = result.blocking
    return (b.resource, b.code) if b else (None, None)


def fix_of(result: CheckResult) -> str:
    assert result.blocking is not None, result.to_json()
    return result.blocking.fix or ""


# ---- Local delivery stays in the function's own VPC ---------------------------------------
# https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html : the local route
# covers the VPC's own CIDRs, "and therefore is routed within the VPC". An address that exists
# only in another, unconnected VPC with the same CIDR (10.0.0.0/16 everywhere, every default
# VPC is 172.31.0.0/16) is not delivered anywhere by it.


def _twin_vpc(b: AccountBuilder) -> None:
    b.vpc("vpc-twin", "10.0.0.0/16")
    b.subnet("subnet-twin", "vpc-twin", "10.0.9.0/24")
    b.security_group("sg-twin", "vpc-twin").ingress("10.0.0.0/8", port=5432)
    b.eni("eni-twin", "subnet-twin", "10.0.9.10", security_groups=["sg-twin"])


def test_local_route_does_not_deliver_to_an_eni_of_another_vpc() -> None:
    b = private_vpc_with_nat()
    _twin_vpc(b)
    result = run(b.build(), "10.0.9.10:5432")
    assert result.verdict is not Verdict.REACHABLE, result.to_json()
    assert all(h.resource != "eni-twin" for p in result.paths for h in p.hops)
    assert result.blocking is not None and result.blocking.code == "UNKNOWN_DESTINATION"


def test_local_route_picks_the_eni_of_its_own_vpc_when_an_address_repeats() -> None:
    b = private_vpc_with_nat()
    _twin_vpc(b)  # registered first: an account-wide lookup by address finds it first
    b.subnet("subnet-db", "vpc-1", "10.0.9.0/24", az="ap-northeast-1c")
    b.security_group("sg-db", "vpc-1")  # admits nobody
    b.eni("eni-db", "subnet-db", "10.0.9.10", security_groups=["sg-db"])
    result = run(b.build(), "10.0.9.10:5432")
    assert blocking(result) == ("sg-db", "ENI_SG_RULES_MISMATCH")


# ---- Transit gateway: the way back ------------------------------------------------------------
# https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html : each attachment is
# associated with one TGW route table, which routes the packets that enter through it. The
# replies enter through the target VPC's attachment, so its table needs a route to the
# function's VPC. https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html : "any
# resources in Availability Zones where there is no transit gateway attachment cannot reach the
# transit gateway" (the target's replies included).


def _tgw(
    b: AccountBuilder,
    *,
    routes_1: list[tuple[str, str]],
    routes_3: list[tuple[str, str]] | None = None,
    target_az: str = "ap-northeast-1a",
    attach_3_subnets: tuple[str, ...] = ("subnet-shared",),
) -> None:
    b.vpc("vpc-3", "10.3.0.0/16")
    b.subnet("subnet-shared", "vpc-3", "10.3.1.0/24", az="ap-northeast-1a")
    b.subnet("subnet-svc", "vpc-3", "10.3.2.0/24", az=target_az)
    b.transit_gateway("tgw-1")
    b.tgw_vpc_attachment(
        "tgw-attach-1", "tgw-1", "vpc-1", subnets=["subnet-pub-a"], route_table="tgw-rtb-1"
    )
    b.tgw_vpc_attachment(
        "tgw-attach-3",
        "tgw-1",
        "vpc-3",
        subnets=list(attach_3_subnets),
        route_table="tgw-rtb-3" if routes_3 is not None else "tgw-rtb-1",
    )
    b.tgw_route_table("tgw-rtb-1", "tgw-1", routes_1)
    if routes_3 is not None:
        b.tgw_route_table("tgw-rtb-3", "tgw-1", routes_3)
    b.route_tables["rtb-priv"].route("10.3.0.0/16", "tgw-1")
    b.route_table("rtb-shared", "vpc-3", subnets=["subnet-shared", "subnet-svc"]).route(
        "10.0.0.0/16", "tgw-1"
    )
    b.security_group("sg-svc", "vpc-3").ingress("10.0.0.0/16", port=443)
    b.eni("eni-svc", "subnet-svc", "10.3.2.10", security_groups=["sg-svc"])
    b.present = None


def test_tgw_reachable_with_routes_both_ways() -> None:
    b = private_vpc_with_nat(two_azs=False)
    _tgw(b, routes_1=[("10.3.0.0/16", "tgw-attach-3"), ("10.0.0.0/16", "tgw-attach-1")])
    assert run(b.build(), "10.3.2.10").verdict is Verdict.REACHABLE


def test_tgw_route_table_of_the_target_attachment_needs_the_route_back() -> None:
    b = private_vpc_with_nat(two_azs=False)
    _tgw(b, routes_1=[("10.3.0.0/16", "tgw-attach-3")])  # shared table: nothing to 10.0/16
    result = run(b.build(), "10.3.2.10")
    assert blocking(result) == ("tgw-rtb-1", "TGW_RTB_CANNOT_ROUTE")
    assert "10.0.1.0/24" in fix_of(result) or "10.0.0.0/16" in fix_of(result)
    assert "--transit-gateway-attachment-id tgw-attach-1" in fix_of(result)
    # separate tables: the one associated with the target's attachment decides the way back
    b2 = private_vpc_with_nat(two_azs=False)
    _tgw(b2, routes_1=[("10.3.0.0/16", "tgw-attach-3")], routes_3=[])
    assert blocking(run(b2.build(), "10.3.2.10")) == ("tgw-rtb-3", "TGW_RTB_CANNOT_ROUTE")
    b3 = private_vpc_with_nat(two_azs=False)
    _tgw(
        b3,
        routes_1=[("10.3.0.0/16", "tgw-attach-3")],
        routes_3=[("10.0.0.0/16", "tgw-attach-1")],
    )
    assert run(b3.build(), "10.3.2.10").verdict is Verdict.REACHABLE


def test_tgw_target_in_an_az_without_attachment_cannot_answer() -> None:
    b = private_vpc_with_nat(two_azs=False)
    _tgw(
        b,
        routes_1=[("10.3.0.0/16", "tgw-attach-3"), ("10.0.0.0/16", "tgw-attach-1")],
        target_az="ap-northeast-1c",
    )
    result = run(b.build(), "10.3.2.10")
    assert blocking(result) == ("tgw-attach-3", "TGW_ATTACH_VPC_AZ_RESTRICTION")


# ---- Fixes must change the route that decided --------------------------------------------------
# route-tables-priority.html: the longest prefix decides. When a more specific route than
# 0.0.0.0/0 is the culprit, replacing 0.0.0.0/0 changes nothing.


# ---- Network ACL fixes: valid rule numbers, the right address family, durable CIDRs -----------
# https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html : rules are evaluated in
# ascending number, one number per rule and direction (create-network-acl-entry fails with
# NetworkAclEntryAlreadyExists on a used number); IPv6 rules take --ipv6-cidr-block.


def _priv_acl(b: AccountBuilder) -> None:
    acl = b.network_acl("acl-priv", "vpc-1", subnets=["subnet-priv-a", "subnet-priv-c"])
    acl.outbound(100, "allow", "0.0.0.0/0")


# ---- Security-group fixes that fix the whole path ---------------------------------------------
# https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html : a rule's
# destination can be a CIDR, a prefix list or a security group. S3's gateway-endpoint prefix
# list holds many CIDRs; one of them opens a fraction of S3. An interface endpoint has an ENI
# per subnet, and its name resolves to all of them.


# ---- Endpoint-specific DNS names -------------------------------------------------------------
# https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html
# (DNS hostnames): the endpoint-specific Regional and zonal names (vpce-….<service>.<region>.
# vpce.amazonaws.com) resolve to the endpoint's network interfaces whether private DNS is on or
# off; private DNS only decides what the service's default name resolves to.


def _endpoint_without_private_dns() -> AccountBuilder:
    b = private_vpc_with_nat()
    b.route_tables["rtb-priv"].routes.pop()  # no internet: only the endpoint can answer
    b.security_group("sg-vpce", "vpc-1").ingress("sg-fn", port=443)
    b.interface_endpoint(
        "vpce-0a1b2c3d",
        "vpc-1",
        "secretsmanager",
        subnets=["subnet-priv-a", "subnet-priv-c"],
        security_groups=["sg-vpce"],
        private_dns=False,
    )
    return b


# ---- Lambda fixes with the real ids ------------------------------------------------------------


