"""Honesty: what the snapshot lacks makes a hop unknown, names the export, and never yields
"reachable"."""

from __future__ import annotations

from tests.support.builders import private_vpc_with_nat
from tests.support.engine import evaluate, run
from vpcdoctor.graph.model.targets import parse_target
from vpcdoctor.graph.model.verdict import HopStatus, Verdict


def _unknown(account, target: str):  # type: ignore[no-untyped-def]
    result = evaluate(account, account.functions["fn"], parse_target(target))
    assert result.verdict is Verdict.UNKNOWN, result.to_json()
    hop = result.blocking
    assert hop is not None and hop.status is HopStatus.UNKNOWN and hop.needs
    return hop


def test_route_to_a_nat_missing_from_the_snapshot() -> None:
    b = private_vpc_with_nat()
    del b.resources["nat_gateways"]["nat-1"]
    hop = _unknown(b.build(), "internet")
    assert hop.resource == "nat-1" and "describe-nat-gateways" in (hop.needs or "")


def test_prefix_list_route_without_entries() -> None:
    b = private_vpc_with_nat()
    b.prefix_list("pl-corp", entries_known=False, aws_managed=False)
    b.route_tables["rtb-priv"].route("pl-corp", "igw-1")
    hop = _unknown(b.build(), "1.1.1.1")
    assert hop.code == "PREFIX_LIST_ENTRIES_UNKNOWN"
    assert "get-managed-prefix-list-entries --prefix-list-id pl-corp" in (hop.needs or "")


def test_prefix_list_route_to_the_same_target_does_not_matter() -> None:
    b = private_vpc_with_nat()
    b.prefix_list("pl-corp", entries_known=False, aws_managed=False)
    b.route_tables["rtb-priv"].route("pl-corp", "nat-1")
    result = evaluate(b.build(), b.build().functions["fn"], parse_target("1.1.1.1"))
    assert result.verdict is Verdict.REACHABLE


def test_security_group_missing_from_the_snapshot() -> None:
    b = private_vpc_with_nat()
    del b.sgs["sg-fn"]
    hop = _unknown(b.build(), "internet")
    assert hop.resource == "sg-fn" and "describe-security-groups" in (hop.needs or "")


def test_access_denied_gap_is_named_in_needs() -> None:
    b = private_vpc_with_nat()
    del b.sgs["sg-fn"]
    b.gap("describe-security-groups", "AccessDenied", "ec2:DescribeSecurityGroups")
    hop = _unknown(b.build(), "internet")
    assert "AccessDenied" in (hop.needs or "") and "ec2:DescribeSecurityGroups" in (hop.needs or "")


def test_target_eni_unknown() -> None:
    # No interface holds 10.0.1.200. When the snapshot's ENI export may be incomplete, that is
    # unknown; when it is complete, nothing answers there: unreachable (issue 13; this test
    # expected unknown for both before).
    b = private_vpc_with_nat()
    b.present = set(b.build().present) - {"describe-network-interfaces"}
    hop = _unknown(b.build(), "10.0.1.200:5432")
    assert hop.code == "UNKNOWN_DESTINATION"
    result = run(private_vpc_with_nat().build(), "10.0.1.200:5432")
    assert result.verdict is Verdict.UNREACHABLE
    assert result.blocking is not None and result.blocking.code == "NO_INTERFACE_AT_ADDRESS"


def test_peer_vpc_outside_the_snapshot() -> None:
    b = private_vpc_with_nat()
    b.peering("pcx-x", "vpc-1", "vpc-other", accepter_owner="999988887777")
    b.route_tables["rtb-priv"].route("10.50.0.0/16", "pcx-x")
    account = b.build()
    # the peer's CIDRs are not known either: the route is followed and the far side is unknown
    result = evaluate(account, account.functions["fn"], parse_target("10.50.1.1"))
    assert result.verdict is Verdict.UNKNOWN


def test_unknown_never_reachable_even_when_other_hops_pass() -> None:
    b = private_vpc_with_nat()
    b.vpc("vpc-1", "10.0.0.0/16", dns_support=None, dns_hostnames=None)
    b.route_tables["rtb-priv"].routes.pop()
    b.security_group("sg-vpce", "vpc-1").ingress("sg-fn", port=443)
    b.interface_endpoint(
        "vpce-sm",
        "vpc-1",
        "secretsmanager",
        subnets=["subnet-priv-a", "subnet-priv-c"],
        security_groups=["sg-vpce"],
    )
    hop = _unknown(b.build(), "secretsmanager")
    assert hop.code == "VPC_DNS_ATTRIBUTES_UNKNOWN"


def test_tgw_routes_not_exported() -> None:
    b = private_vpc_with_nat(two_azs=False)
    b.transit_gateway("tgw-1")
    b.tgw_vpc_attachment(
        "tgw-attach-1", "tgw-1", "vpc-1", subnets=["subnet-pub-a"], route_table="tgw-rtb-1"
    )
    b.tgw_route_table("tgw-rtb-1", "tgw-1", None)
    b.route_tables["rtb-priv"].route("10.3.0.0/16", "tgw-1")
    hop = _unknown(b.build(), "10.3.1.10")
    assert "search-transit-gateway-routes" in (hop.needs or "")
