"""One test per decision rule (knowledge-facts.md R6-R10: AWS services, private addresses,
peering and transit), positive and negative; R0-R5 are in test_reachability_rules.py.

Each account is built in code (tests/support/builders.py) to the shape the cited AWS page describes;
the expected verdicts come from those pages, not from the engine.
"""

from __future__ import annotations

from tests.support.builders import AccountBuilder, private_vpc_with_nat
from tests.support.engine import blocking, run
from vpcdoctor.graph.model.verdict import Verdict

# ---- R6: AWS services -----------------------------------------------------------------------


def _endpoint_account(
    *,
    private_dns: bool = True,
    dns_hostnames: bool | None = True,
    ingress: bool = True,
    nat: bool = False,
) -> AccountBuilder:
    b = private_vpc_with_nat()
    b.vpc("vpc-1", "10.0.0.0/16", dns_hostnames=dns_hostnames)
    if not nat:
        b.route_tables["rtb-priv"].routes.pop()
    sg = b.security_group("sg-vpce", "vpc-1")
    if ingress:
        sg.ingress("sg-fn", port=443)
    b.interface_endpoint(
        "vpce-sm",
        "vpc-1",
        "secretsmanager",
        subnets=["subnet-priv-a", "subnet-priv-c"],
        security_groups=["sg-vpce"],
        private_dns=private_dns,
    )
    return b


def test_r6_interface_endpoint_with_private_dns() -> None:
    result = run(_endpoint_account().build(), "secretsmanager")
    assert result.verdict is Verdict.REACHABLE
    assert any(h.code == "VPCE_INTERFACE" for h in result.paths[0].hops)


def test_r6_endpoint_sg_must_allow_443_from_the_function() -> None:
    result = run(_endpoint_account(ingress=False).build(), "secretsmanager")
    assert blocking(result) == ("sg-vpce", "ENI_SG_RULES_MISMATCH")


def test_r6_private_dns_needs_both_vpc_attributes() -> None:
    result = run(_endpoint_account(dns_hostnames=False).build(), "secretsmanager")
    assert blocking(result) == ("vpc-1", "DNS_PRIVATE_DNS_NEEDS_DNS_HOSTNAMES")
    # with a NAT the public name still works, the VPC hop stays a note
    result = run(_endpoint_account(dns_hostnames=False, nat=True).build(), "secretsmanager")
    assert result.verdict is Verdict.REACHABLE


def test_r6_private_dns_off_resolves_publicly() -> None:
    result = run(_endpoint_account(private_dns=False).build(), "secretsmanager")
    assert blocking(result) == ("vpce-sm", "VPCE_PRIVATE_DNS_DISABLED")


def test_r6_gateway_endpoint_route_beats_default_route() -> None:
    b = private_vpc_with_nat()
    b.route_tables["rtb-priv"].routes.pop()
    b.gateway_endpoint("vpce-s3", "vpc-1", "s3", route_tables=["rtb-priv"])
    result = run(b.build(), "s3")
    assert result.verdict is Verdict.REACHABLE
    assert any(h.code == "VPCE_GATEWAY" for h in result.paths[0].hops)
    assert run(b.build(), "dynamodb").verdict is Verdict.UNREACHABLE


def test_r6_gateway_endpoint_only_for_associated_route_tables() -> None:
    b = private_vpc_with_nat()
    b.route_tables["rtb-priv"].routes.pop()
    b.gateway_endpoint("vpce-s3", "vpc-1", "s3", route_tables=["rtb-pub"])
    result = run(b.build(), "s3")
    assert blocking(result) == ("rtb-priv", "NO_ROUTE_TO_DESTINATION")
    assert "modify-vpc-endpoint --vpc-endpoint-id vpce-s3 --add-route-table-ids rtb-priv" in (
        result.blocking.fix or ""
    )  # type: ignore[union-attr]


def test_r6_other_region_endpoint_name_takes_the_internet_path() -> None:
    b = _endpoint_account()
    result = run(b.build(), "secretsmanager.us-east-1.amazonaws.com")
    assert result.verdict is Verdict.UNREACHABLE  # no NAT: the endpoint does not serve us-east-1


def test_r6_no_endpoint_falls_back_to_nat() -> None:
    assert run(private_vpc_with_nat().build(), "kms").verdict is Verdict.REACHABLE


# ---- R7: private addresses in the VPC -------------------------------------------------------


def _db(b: AccountBuilder, *, ingress_from: str = "sg-fn") -> None:
    b.subnet("subnet-db", "vpc-1", "10.0.9.0/24", az="ap-northeast-1c")
    b.security_group("sg-db", "vpc-1").ingress(ingress_from, port=5432)
    b.eni(
        "eni-db",
        "subnet-db",
        "10.0.9.10",
        security_groups=["sg-db"],
        description="RDSNetworkInterface",
    )


def test_r7_local_route_and_target_sg_reference() -> None:
    b = private_vpc_with_nat()
    _db(b)
    result = run(b.build(), "10.0.9.10:5432")
    assert result.verdict is Verdict.REACHABLE
    assert any(h.resource == "eni-db" for h in result.paths[0].hops)


def test_r7_target_sg_without_the_function() -> None:
    b = private_vpc_with_nat()
    _db(b, ingress_from="10.0.100.0/24")
    assert blocking(run(b.build(), "10.0.9.10:5432")) == ("sg-db", "ENI_SG_RULES_MISMATCH")
    b2 = private_vpc_with_nat()
    _db(b2, ingress_from="10.0.0.0/16")  # by CIDR
    assert run(b2.build(), "10.0.9.10:5432").verdict is Verdict.REACHABLE


def test_r7_target_subnet_acl_both_ways() -> None:
    b = private_vpc_with_nat()
    _db(b)
    acl = b.network_acl("acl-db", "vpc-1", subnets=["subnet-db"])
    acl.inbound(100, "allow", "10.0.0.0/16", protocol="tcp", port=5432)
    result = run(b.build(), "10.0.9.10:5432")
    assert blocking(result) == ("acl-db", "SUBNET_ACL_RESTRICTION")  # replies cannot leave
    acl.outbound(100, "allow", "10.0.0.0/16", protocol="tcp", port=(1024, 65535))
    assert run(b.build(), "10.0.9.10:5432").verdict is Verdict.REACHABLE


def test_r7_nothing_connects_to_a_lambda_eni() -> None:
    account = private_vpc_with_nat().build()
    ip = str(account.network_interfaces["eni-lambda002"].primary_ip)
    assert blocking(run(account, ip)) == ("eni-lambda002", "LAMBDA_ENI_NO_INBOUND")


def test_r7_more_specific_middlebox_route_is_not_assumed() -> None:
    b = private_vpc_with_nat()
    _db(b)
    b.instance("i-fw", "subnet-pub-a", "10.0.0.30", source_dest_check=False)
    b.route_tables["rtb-priv"].route("10.0.9.0/24", "i-fw")
    assert run(b.build(), "10.0.9.10:5432").verdict is Verdict.UNKNOWN


# ---- R10: peering and transit gateway ----------------------------------------------------------


def _peered(
    b: AccountBuilder,
    *,
    return_route: bool = True,
    status: str = "active",
    region: str | None = None,
) -> None:
    b.vpc("vpc-2", "10.1.0.0/16")
    b.subnet("subnet-peer", "vpc-2", "10.1.1.0/24")
    b.peering("pcx-1", "vpc-1", "vpc-2", status=status, accepter_region=region)
    b.route_tables["rtb-priv"].route("10.1.0.0/16", "pcx-1")
    rtb = b.route_table("rtb-peer", "vpc-2", subnets=["subnet-peer"])
    if return_route:
        rtb.route("10.0.0.0/16", "pcx-1")
    b.security_group("sg-api", "vpc-2").ingress("sg-fn", port=443)
    b.eni("eni-api", "subnet-peer", "10.1.1.10", security_groups=["sg-api"])


def test_r10_active_peering_with_return_route_and_sg_reference() -> None:
    b = private_vpc_with_nat()
    _peered(b)
    assert run(b.build(), "10.1.1.10").verdict is Verdict.REACHABLE


def test_r10_missing_return_route() -> None:
    b = private_vpc_with_nat()
    _peered(b, return_route=False)
    assert blocking(run(b.build(), "10.1.1.10")) == ("rtb-peer", "NO_ROUTE_TO_DESTINATION")


def test_r10_peering_not_active() -> None:
    b = private_vpc_with_nat()
    _peered(b, status="pending-acceptance")
    result = run(b.build(), "10.1.1.10")
    assert blocking(result) == ("pcx-1", "BAD_STATE")
    assert "accept-vpc-peering-connection" in (result.blocking.fix or "")  # type: ignore[union-attr]


def test_r10_sg_reference_across_regions_does_not_match() -> None:
    # vpc-peering-security-groups.html: cross-Region peering needs CIDRs, not group references
    b = private_vpc_with_nat()
    _peered(b, region="us-west-2")
    assert blocking(run(b.build(), "10.1.1.10")) == ("sg-api", "ENI_SG_RULES_MISMATCH")


def test_r10_peering_is_not_transitive() -> None:
    b = private_vpc_with_nat()
    _peered(b)
    b.route_tables["rtb-priv"].route("10.2.0.0/16", "pcx-1")
    assert blocking(run(b.build(), "10.2.0.5")) == ("pcx-1", "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR")


def _tgw(b: AccountBuilder, *, attach_subnets: list[str] | None, routes: list | None) -> None:
    b.vpc("vpc-3", "10.3.0.0/16")
    b.subnet("subnet-shared", "vpc-3", "10.3.1.0/24")
    b.transit_gateway("tgw-1")
    b.tgw_vpc_attachment(
        "tgw-attach-1", "tgw-1", "vpc-1", subnets=attach_subnets, route_table="tgw-rtb-1"
    )
    b.tgw_vpc_attachment(
        "tgw-attach-3", "tgw-1", "vpc-3", subnets=["subnet-shared"], route_table="tgw-rtb-1"
    )
    b.tgw_route_table("tgw-rtb-1", "tgw-1", routes)
    b.route_tables["rtb-priv"].route("10.3.0.0/16", "tgw-1")
    b.route_table("rtb-shared", "vpc-3", subnets=["subnet-shared"]).route("10.0.0.0/16", "tgw-1")
    b.security_group("sg-svc", "vpc-3").ingress("10.0.0.0/16", port=443)
    b.eni("eni-svc", "subnet-shared", "10.3.1.10", security_groups=["sg-svc"])
    b.present = None


def test_r10_tgw_attachment_needs_a_subnet_in_the_function_az() -> None:
    b = private_vpc_with_nat(two_azs=False)
    # both directions: the shared TGW table also carries the replies back to vpc-1
    _tgw(
        b,
        attach_subnets=["subnet-pub-a"],
        routes=[("10.3.0.0/16", "tgw-attach-3"), ("10.0.0.0/16", "tgw-attach-1")],
    )
    account = b.build()
    assert run(account, "10.3.1.10").verdict is Verdict.REACHABLE
    b2 = private_vpc_with_nat()
    _tgw(b2, attach_subnets=["subnet-pub-a"], routes=[("10.3.0.0/16", "tgw-attach-3")])
    result = run(b2.build(), "10.3.1.10")
    bad = next(p for p in result.paths if p.subnet == "subnet-priv-c")
    assert bad.blocking.code == "TGW_ATTACH_VPC_AZ_RESTRICTION"  # type: ignore[union-attr]


def test_r10_tgw_route_table_must_route_the_destination() -> None:
    b = private_vpc_with_nat(two_azs=False)
    _tgw(b, attach_subnets=["subnet-pub-a"], routes=[("10.9.0.0/16", "tgw-attach-3")])
    assert blocking(run(b.build(), "10.3.1.10")) == ("tgw-rtb-1", "TGW_RTB_CANNOT_ROUTE")


def test_single_az_warning() -> None:
    result = run(private_vpc_with_nat(two_azs=False).build(), "internet")
    assert "SINGLE_AZ" in {w.code for w in result.warnings}
    result = run(private_vpc_with_nat().build(), "internet")
    assert "SINGLE_AZ" not in {w.code for w in result.warnings}
