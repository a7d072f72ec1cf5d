"""Review of the engine against AWS's documented behaviour: one test per finding.

Each account is built to the shape the cited AWS page describes, and the expected verdict or
fix comes from that page (not from the engine). A fix is checked for two things: that it is a
command AWS accepts (no rule-number collision, the right CIDR flag) and that applying it would
actually change the deciding hop.
"""

from __future__ import annotations

from tests.support.builders import AccountBuilder, private_vpc_with_nat
from tests.support.engine import blocking, fix_of, run
from vpcdoctor.graph.model.verdict import HopStatus, Verdict

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
    # 10.0.9.10 is in the function's VPC CIDR but in none of its subnets: nothing can ever answer
    # there (issue 13; this test said UNKNOWN_DESTINATION before the engine knew it).
    assert result.verdict is Verdict.UNREACHABLE
    assert result.blocking is not None and result.blocking.code == "NO_SUBNET_FOR_ADDRESS"


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


def test_igw_fix_replaces_the_more_specific_route_that_won() -> None:
    b = private_vpc_with_nat()
    b.route_tables["rtb-priv"].route("1.1.1.0/24", "igw-1")
    result = run(b.build(), "1.1.1.1")
    assert blocking(result) == ("igw-1", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS")
    fix = fix_of(result)
    assert "--destination-cidr-block 1.1.1.0/24" in fix
    assert "0.0.0.0/0" not in fix


def test_blackhole_fix_replaces_the_blackhole_route_itself() -> None:
    b = private_vpc_with_nat()
    b.route_tables["rtb-priv"].route("1.1.1.0/24", "nat-gone", state="blackhole")
    result = run(b.build(), "1.1.1.1")
    assert blocking(result) == ("rtb-priv", "BAD_STATE_ROUTE")
    fix = fix_of(result)
    assert "replace-route --route-table-id rtb-priv --destination-cidr-block 1.1.1.0/24" in fix
    assert "0.0.0.0/0" not in fix


def test_unavailable_nat_fix_replaces_the_route_not_a_host_route() -> None:
    b = private_vpc_with_nat(nat_state="failed")
    result = run(b.build(), "1.1.1.1")
    assert blocking(result) == ("nat-1", "BAD_STATE")
    fix = fix_of(result)
    assert "1.1.1.1/32" not in fix
    assert "--destination-cidr-block 0.0.0.0/0" in fix


# ---- Network ACL fixes: valid rule numbers, the right address family, durable CIDRs -----------
# https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html : rules are evaluated in
# ascending number, one number per rule and direction (create-network-acl-entry fails with
# NetworkAclEntryAlreadyExists on a used number); IPv6 rules take --ipv6-cidr-block.


def _priv_acl(b: AccountBuilder) -> None:
    acl = b.network_acl("acl-priv", "vpc-1", subnets=["subnet-priv-a", "subnet-priv-c"])
    acl.outbound(100, "allow", "0.0.0.0/0")


def test_acl_fix_rule_number_is_free_and_before_the_blocking_rule() -> None:
    b = private_vpc_with_nat()
    _priv_acl(b)
    b.acls["acl-priv"].inbound(99, "allow", "10.0.0.0/16", protocol="tcp", port=22)
    b.acls["acl-priv"].inbound(98, "allow", "10.0.0.0/16", protocol="tcp", port=3389)
    result = run(b.build(), "internet")  # no inbound ephemeral rule: * decides
    fix = fix_of(result)
    assert "--ingress" in fix
    number = int(fix.split("--rule-number ")[1].split()[0])
    assert number not in (98, 99) and 1 <= number <= 32766


def test_acl_fix_when_the_deny_is_rule_1() -> None:
    b = private_vpc_with_nat()
    _priv_acl(b)
    b.acls["acl-priv"].inbound(1, "deny", "0.0.0.0/0", protocol="tcp", port=(1024, 65535))
    b.acls["acl-priv"].inbound(100, "allow", "0.0.0.0/0")
    result = run(b.build(), "internet")
    assert blocking(result) == ("acl-priv", "SUBNET_ACL_RESTRICTION")
    fix = fix_of(result)
    # no number precedes #1: the only fix is to replace that entry (create would collide)
    assert "create-network-acl-entry" not in fix
    assert "replace-network-acl-entry --network-acl-id acl-priv --ingress --rule-number 1" in fix


def test_acl_fix_for_ipv6_uses_the_ipv6_flag() -> None:
    b = AccountBuilder()
    b.vpc("vpc-1", "10.0.0.0/16", ipv6=("2600:1f18:1::/56",))
    b.subnet("subnet-a", "vpc-1", "10.0.1.0/24", ipv6=("2600:1f18:1:1::/64",))
    b.egress_only_internet_gateway("eigw-1", "vpc-1")
    b.route_table("rtb-a", "vpc-1", subnets=["subnet-a"]).route("::/0", "eigw-1")
    b.security_group("sg-fn", "vpc-1").egress("::/0", protocol="-1")
    acl = b.network_acl("acl-a", "vpc-1", subnets=["subnet-a"])
    acl.outbound(100, "allow", "::/0")  # nothing inbound for the replies
    b.function("fn", subnets=["subnet-a"], security_groups=["sg-fn"], ipv6=True)
    result = run(b.build(), "[2600::1]:443")
    assert blocking(result) == ("acl-a", "SUBNET_ACL_RESTRICTION")
    fix = fix_of(result)
    assert "--ipv6-cidr-block 2600::1/128" in fix
    assert "--cidr-block" not in fix.replace("--ipv6-cidr-block", "")


def test_acl_fix_admits_the_function_subnet_not_one_eni_address() -> None:
    # https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html : Lambda may delete
    # and recreate its Hyperplane ENIs at any time; a new ENI takes another address of the
    # subnet, so a /32 rule for today's ENI breaks later.
    b = private_vpc_with_nat()
    b.subnet("subnet-db", "vpc-1", "10.0.9.0/24", az="ap-northeast-1c")
    b.security_group("sg-db", "vpc-1").ingress("sg-fn", port=5432)
    b.eni("eni-db", "subnet-db", "10.0.9.10", security_groups=["sg-db"])
    acl = b.network_acl("acl-db", "vpc-1", subnets=["subnet-db"])
    acl.outbound(100, "allow", "0.0.0.0/0")
    b.function("fn", subnets=["subnet-priv-a"], security_groups=["sg-fn"])
    result = run(b.build(), "10.0.9.10:5432")
    assert blocking(result) == ("acl-db", "SUBNET_ACL_RESTRICTION")
    fix = fix_of(result)
    assert "--cidr-block 10.0.1.0/24" in fix and "/32" not in fix


# ---- Security-group fixes that fix the whole path ---------------------------------------------
# https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html : a rule's
# destination can be a CIDR, a prefix list or a security group. S3's gateway-endpoint prefix
# list holds many CIDRs; one of them opens a fraction of S3. An interface endpoint has an ENI
# per subnet, and its name resolves to all of them.


def test_sg_egress_fix_for_a_gateway_endpoint_uses_the_prefix_list() -> None:
    b = private_vpc_with_nat()
    b.route_tables["rtb-priv"].routes.pop()
    b.gateway_endpoint("vpce-s3", "vpc-1", "s3", route_tables=["rtb-priv"], prefix_list_id="pl-s3")
    b.prefix_list("pl-s3", "52.219.0.0/16", "3.5.0.0/16")
    b.sgs["sg-fn"].no_egress()
    result = run(b.build(), "s3")
    assert blocking(result) == ("sg-fn", "ENI_SG_RULES_MISMATCH")
    fix = fix_of(result)
    assert "PrefixListIds=[{PrefixListId=pl-s3}]" in fix and "CidrIp" not in fix


def test_sg_egress_fix_for_an_interface_endpoint_references_its_group() -> None:
    b = private_vpc_with_nat()
    b.route_tables["rtb-priv"].routes.pop()
    b.security_group("sg-vpce", "vpc-1").ingress("sg-fn", port=443)
    b.interface_endpoint(
        "vpce-sm",
        "vpc-1",
        "secretsmanager",
        subnets=["subnet-priv-a", "subnet-priv-c"],
        security_groups=["sg-vpce"],
    )
    b.sgs["sg-fn"].no_egress()
    result = run(b.build(), "secretsmanager")
    assert blocking(result) == ("sg-fn", "ENI_SG_RULES_MISMATCH")
    fix = fix_of(result)
    assert "UserIdGroupPairs=[{GroupId=sg-vpce}]" in fix and "/32" not in fix


def test_sg_ingress_fix_across_regions_uses_a_cidr() -> None:
    # https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html : a group
    # of the peer VPC can be referenced only over a same-Region peering; cross-Region, use CIDRs.
    b = private_vpc_with_nat()
    b.vpc("vpc-2", "10.1.0.0/16")
    b.subnet("subnet-peer", "vpc-2", "10.1.1.0/24")
    b.peering("pcx-1", "vpc-1", "vpc-2", accepter_region="us-west-2")
    b.route_tables["rtb-priv"].route("10.1.0.0/16", "pcx-1")
    b.route_table("rtb-peer", "vpc-2", subnets=["subnet-peer"]).route("10.0.0.0/16", "pcx-1")
    b.security_group("sg-api", "vpc-2").ingress("sg-fn", port=443)
    b.eni("eni-api", "subnet-peer", "10.1.1.10", security_groups=["sg-api"])
    b.function("fn", subnets=["subnet-priv-a"], security_groups=["sg-fn"])
    result = run(b.build(), "10.1.1.10")
    assert blocking(result) == ("sg-api", "ENI_SG_RULES_MISMATCH")
    fix = fix_of(result)
    assert "UserIdGroupPairs" not in fix and "CidrIp=10.0.1.0/24" in fix


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


def test_endpoint_specific_name_reaches_the_endpoint_without_private_dns() -> None:
    account = _endpoint_without_private_dns().build()
    result = run(account, "vpce-0a1b2c3d-4e5f6a7b.secretsmanager.ap-northeast-1.vpce.amazonaws.com")
    assert result.verdict is Verdict.REACHABLE, result.to_json()
    assert any(h.code == "VPCE_INTERFACE" for h in result.paths[0].hops)
    # the service's default name still goes to its public addresses: no NAT, so unreachable
    assert run(account, "secretsmanager").verdict is Verdict.UNREACHABLE


# ---- Lambda fixes with the real ids ------------------------------------------------------------


def test_ipv6_fix_names_the_function_subnets_and_groups() -> None:
    # https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html : --vpc-config replaces
    # the whole configuration, so the fix must repeat the subnets and groups.
    b = AccountBuilder()
    b.vpc("vpc-1", "10.0.0.0/16", ipv6=("2600:1f18:1::/56",))
    b.subnet("subnet-a", "vpc-1", "10.0.1.0/24", ipv6=("2600:1f18:1:1::/64",))
    b.security_group("sg-fn", "vpc-1")
    b.function("fn", subnets=["subnet-a"], security_groups=["sg-fn"])
    result = run(b.build(), "[2600::1]:443")
    assert blocking(result) == ("fn", "LAMBDA_IPV6_NOT_ALLOWED")
    fix = fix_of(result)
    assert "SubnetIds=subnet-a" in fix and "SecurityGroupIds=sg-fn" in fix and "…" not in fix


def test_inactive_fix_is_a_runnable_command() -> None:
    b = private_vpc_with_nat()
    b.function("fn", subnets=["subnet-priv-a"], security_groups=["sg-fn"], state="Inactive")
    fix = fix_of(run(b.build(), "internet"))
    command = fix.split("  #")[0]
    assert "(" not in command and ")" not in command
    assert command.startswith("aws lambda invoke --function-name fn ")
    assert HopStatus.FAIL  # the hop itself stays a failure (checked in the rules tests)


# ---- Interface endpoint: the name resolves to every network interface ------------------------
# https://repost.aws/knowledge-center/vpc-interface-configure-dns : with private DNS the
# service's name resolves to the IP addresses of the endpoint's network interfaces in each of its
# subnets. The function may get any of them, so each one's path counts, not only its own AZ's.


def test_interface_endpoint_every_network_interface_counts() -> None:
    b = private_vpc_with_nat(two_azs=False)
    b.route_tables["rtb-priv"].routes.pop()
    b.subnet("subnet-vpce-c", "vpc-1", "10.0.3.0/24", az="ap-northeast-1c")
    acl = b.network_acl("acl-vpce-c", "vpc-1", subnets=["subnet-vpce-c"])
    acl.outbound(100, "allow", "0.0.0.0/0")  # nothing inbound: 443 from the function is dropped
    b.security_group("sg-vpce", "vpc-1").ingress("sg-fn", port=443)
    b.interface_endpoint(
        "vpce-sm",
        "vpc-1",
        "secretsmanager",
        subnets=["subnet-priv-a", "subnet-vpce-c"],
        security_groups=["sg-vpce"],
    )
    result = run(b.build(), "secretsmanager")
    assert blocking(result) == ("acl-vpce-c", "SUBNET_ACL_RESTRICTION"), result.to_json()
    # with the other subnet's ACL fixed, both interfaces answer
    acl.inbound(100, "allow", "10.0.0.0/16", protocol="tcp", port=443)
    acl.outbound(90, "allow", "10.0.0.0/16", protocol="tcp", port=(1024, 65535))
    assert run(b.build(), "secretsmanager").verdict is Verdict.REACHABLE
