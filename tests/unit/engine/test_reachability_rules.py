"""One test per decision rule (knowledge-facts.md R0-R5; R6-R10 in test_reachability_private.py),
positive and negative.

Each account is built in code (tests/support/builders.py) to the shape the cited AWS page describes;
the expected verdicts come from those pages, not from the engine.
"""

from __future__ import annotations

from tests.support.builders import AccountBuilder, private_vpc_with_nat
from tests.support.engine import blocking, run
from vpcdoctor.graph.model.verdict import Direction, HopStatus, Verdict

# ---- R0: the function's state -----------------------------------------------------------


def test_r0_active_function_reaches_internet_through_nat() -> None:
    result = run(private_vpc_with_nat().build(), "internet")
    assert result.verdict is Verdict.REACHABLE
    assert len(result.paths) == 2
    # The request's hops (the reply walks back after them: NACLs and routes are stateless).
    kinds = [h.kind for h in result.paths[0].hops if h.direction is Direction.REQUEST]
    assert kinds[:3] == ["lambda", "eni", "security-group"]
    assert "nat-gateway" in kinds and kinds[-1] == "internet"


def test_r0_failed_state_blocks_with_reason_code() -> None:
    b = private_vpc_with_nat()
    b.function(
        "fn",
        subnets=["subnet-priv-a", "subnet-priv-c"],
        security_groups=["sg-fn"],
        state="Failed",
        state_reason_code="SubnetOutOfIPAddresses",
    )
    result = run(b.build(), "internet")
    assert result.verdict is Verdict.UNREACHABLE
    assert blocking(result) == ("fn", "LAMBDA_STATE_FAILED")
    assert "SubnetOutOfIPAddresses" in result.blocking.detail  # type: ignore[union-attr]


def test_r0_inactive_and_pending_are_not_reachable_now() -> None:
    for state in ("Inactive", "Pending"):
        b = private_vpc_with_nat()
        b.function("fn", subnets=["subnet-priv-a"], security_groups=["sg-fn"], state=state)
        result = run(b.build(), "internet")
        assert result.verdict is Verdict.UNREACHABLE
        assert blocking(result) == ("fn", f"LAMBDA_STATE_{state.upper()}")


def test_r0_unknown_state_makes_an_otherwise_good_path_unknown() -> None:
    b = private_vpc_with_nat()
    b.function("fn", subnets=["subnet-priv-a"], security_groups=["sg-fn"], state=None)
    result = run(b.build(), "internet")
    assert result.verdict is Verdict.UNKNOWN
    assert result.blocking is not None and result.blocking.code == "LAMBDA_STATE_UNKNOWN"
    assert "get-function-configuration --function-name fn" in (result.blocking.needs or "")


def test_r0_unknown_state_does_not_matter_when_the_path_fails_anyway() -> None:
    b = private_vpc_with_nat()
    b.route_tables["rtb-priv"].routes.pop()  # no default route
    b.function("fn", subnets=["subnet-priv-a"], security_groups=["sg-fn"], state=None)
    result = run(b.build(), "internet")
    assert result.verdict is Verdict.UNREACHABLE
    assert blocking(result) == ("rtb-priv", "NO_ROUTE_TO_DESTINATION")
    state_hop = result.paths[0].hops[0]
    assert state_hop.status is HopStatus.SKIP


def test_missing_hyperplane_eni_is_a_note_not_a_failure() -> None:
    b = private_vpc_with_nat()
    b.function("fn", subnets=["subnet-priv-a"], security_groups=["sg-fn"], enis=False)
    b.resources["network_interfaces"].clear()
    # describe-network-interfaces not exported: the subnet's range stands for the ENI. (With a
    # complete export that lacks it the function's path is unknown: issue 12, item 16.)
    b.present = set(b.build().present) - {"describe-network-interfaces"}
    result = run(b.build(), "internet")
    assert result.verdict is Verdict.REACHABLE
    eni_hop = result.paths[0].hops[1]
    assert (eni_hop.status, eni_hop.code) == (HopStatus.SKIP, "LAMBDA_ENI_NOT_IN_SNAPSHOT")


# ---- R1: route lookup (route-tables-priority.html) ------------------------------------------


def test_r1_longest_prefix_wins() -> None:
    b = private_vpc_with_nat()
    b.route_tables["rtb-priv"].route("1.1.1.0/24", "igw-1")  # more specific than 0/0 → NAT
    result = run(b.build(), "1.1.1.1")
    assert blocking(result) == ("igw-1", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS")
    route_hop = next(h for h in result.paths[0].hops if h.kind == "route-table")
    assert route_hop.code == "MORE_SPECIFIC_ROUTE"
    assert run(b.build(), "8.8.8.8").verdict is Verdict.REACHABLE


def test_r1_static_beats_prefix_list_on_identical_destination() -> None:
    # "If a static route and a prefix list route have the same destination, the static route
    # takes priority" (route-tables-priority.html)
    b = private_vpc_with_nat()
    b.prefix_list("pl-corp", "1.1.1.0/24", aws_managed=False)
    b.route_tables["rtb-priv"].route("pl-corp", "igw-1").route("1.1.1.0/24", "nat-1")
    result = run(b.build(), "1.1.1.1")
    assert result.verdict is Verdict.REACHABLE
    route_hop = next(h for h in result.paths[0].hops if h.kind == "route-table")
    assert route_hop.code == "HIGHER_PRIORITY_ROUTE" and "nat-1" in route_hop.detail


def test_r1_prefix_list_beats_propagated_on_identical_destination() -> None:
    b = private_vpc_with_nat()
    b.prefix_list("pl-corp", "1.1.1.0/24", aws_managed=False)
    b.route_tables["rtb-priv"].route("1.1.1.0/24", "vgw-1", origin="EnableVgwRoutePropagation")
    b.route_tables["rtb-priv"].route("pl-corp", "nat-1")
    result = run(b.build(), "1.1.1.1")
    assert result.verdict is Verdict.REACHABLE
    # and with only the propagated route, the VGW (beyond the snapshot) decides: unknown
    b2 = private_vpc_with_nat()
    b2.route_tables["rtb-priv"].route("1.1.1.0/24", "vgw-1", origin="EnableVgwRoutePropagation")
    assert run(b2.build(), "1.1.1.1").verdict is Verdict.UNKNOWN


def test_r1_blackhole_drops() -> None:
    b = private_vpc_with_nat()
    b.route_tables["rtb-priv"].routes.pop()
    b.route_tables["rtb-priv"].route("0.0.0.0/0", "nat-gone", state="blackhole")
    result = run(b.build(), "internet")
    assert result.verdict is Verdict.UNREACHABLE
    assert blocking(result) == ("rtb-priv", "BAD_STATE_ROUTE")
    assert "nat-1" in (result.blocking.fix or "")  # type: ignore[union-attr]


def test_r1_no_route_fix_names_the_real_ids() -> None:
    b = private_vpc_with_nat()
    b.route_tables["rtb-priv"].routes.pop()
    result = run(b.build(), "internet")
    assert blocking(result) == ("rtb-priv", "NO_ROUTE_TO_DESTINATION")
    assert result.blocking.fix == (  # type: ignore[union-attr]
        "aws ec2 create-route --route-table-id rtb-priv --destination-cidr-block 0.0.0.0/0 "
        "--nat-gateway-id nat-1"
    )


def test_r1_main_route_table_applies_without_association() -> None:
    b = private_vpc_with_nat()
    b.route_tables["rtb-priv"].subnet_ids.remove("subnet-priv-c")
    result = run(b.build(), "internet")
    bad = next(p for p in result.paths if p.subnet == "subnet-priv-c")
    assert bad.verdict is Verdict.UNREACHABLE
    assert bad.blocking.resource == "rtb-main-vpc-1"  # type: ignore[union-attr]
    assert result.verdict is Verdict.UNREACHABLE
    assert result.failing_subnets == ("subnet-priv-c",)
    assert any(w.code == "SOME_SUBNETS_FAIL" for w in result.warnings)


# ---- R2: security groups --------------------------------------------------------------------


def test_r2_egress_without_matching_rule_fails() -> None:
    b = private_vpc_with_nat()
    b.sgs["sg-fn"].egress("10.0.0.0/16", port=5432)
    result = run(b.build(), "internet")
    assert blocking(result) == ("sg-fn", "ENI_SG_RULES_MISMATCH")
    assert "authorize-security-group-egress --group-id sg-fn" in result.blocking.fix  # type: ignore[union-attr,operator]


def test_r2_any_group_of_several_allows() -> None:
    b = private_vpc_with_nat()
    b.security_group("sg-a", "vpc-1").no_egress()
    b.security_group("sg-b", "vpc-1").egress("0.0.0.0/0", port=443)
    b.function("fn", subnets=["subnet-priv-a"], security_groups=["sg-a", "sg-b"])
    assert run(b.build(), "internet").verdict is Verdict.REACHABLE
    assert run(b.build(), "internet:80").verdict is Verdict.UNREACHABLE


def test_r2_prefix_list_rule_allows_gateway_endpoint_traffic() -> None:
    b = private_vpc_with_nat()
    b.route_tables["rtb-priv"].routes.pop()  # no internet at all
    b.gateway_endpoint(
        "vpce-s3", "vpc-1", "s3", route_tables=["rtb-priv"], prefix_list_id="pl-61a54008"
    )
    b.prefix_list("pl-61a54008", "52.219.0.0/16", "3.5.0.0/16")
    b.sgs["sg-fn"].egress("pl-61a54008", port=443)
    assert run(b.build(), "s3").verdict is Verdict.REACHABLE
    assert run(b.build(), "internet").verdict is Verdict.UNREACHABLE


def test_r2_referenced_group_on_the_target_eni() -> None:
    b = private_vpc_with_nat()
    b.subnet("subnet-db", "vpc-1", "10.0.9.0/24")
    b.security_group("sg-db", "vpc-1").ingress("sg-fn", port=5432)
    b.eni("eni-db", "subnet-db", "10.0.9.10", security_groups=["sg-db"])
    b.sgs["sg-fn"].egress("sg-db", port=5432)
    assert run(b.build(), "10.0.9.10:5432").verdict is Verdict.REACHABLE
    # the same egress rule does not cover an ENI without sg-db
    b.eni("eni-other", "subnet-db", "10.0.9.11", security_groups=["sg-fn"])
    result = run(b.build(), "10.0.9.11:5432")
    assert blocking(result) == ("sg-fn", "ENI_SG_RULES_MISMATCH")


# ---- R3: network ACLs (vpc-network-acls.html) -----------------------------------------------


def _custom_acl(b: AccountBuilder) -> None:
    acl = b.network_acl("acl-priv", "vpc-1", subnets=["subnet-priv-a", "subnet-priv-c"])
    acl.outbound(100, "allow", "0.0.0.0/0", protocol="tcp", port=443)


def test_r3_outbound_allowed_but_no_inbound_ephemeral_fails() -> None:
    b = private_vpc_with_nat()
    _custom_acl(b)
    result = run(b.build(), "internet")
    assert blocking(result) == ("acl-priv", "SUBNET_ACL_RESTRICTION")
    assert "1024-65535" in result.blocking.detail  # type: ignore[union-attr]


def test_r3_rule_order_first_match_wins() -> None:
    b = private_vpc_with_nat()
    _custom_acl(b)
    b.acls["acl-priv"].inbound(90, "deny", "0.0.0.0/0", protocol="tcp", port=(1024, 65535))
    b.acls["acl-priv"].inbound(100, "allow", "0.0.0.0/0", protocol="tcp", port=(1024, 65535))
    result = run(b.build(), "internet")
    assert blocking(result) == ("acl-priv", "SUBNET_ACL_RESTRICTION")
    assert "#90" in result.blocking.detail  # type: ignore[union-attr]
    b.acls["acl-priv"].entries = [e for e in b.acls["acl-priv"].entries if e.rule_number != 90]
    assert run(b.build(), "internet").verdict is Verdict.REACHABLE


def test_r3_partial_ephemeral_range_is_not_enough() -> None:
    b = private_vpc_with_nat()
    _custom_acl(b)
    b.acls["acl-priv"].inbound(100, "allow", "0.0.0.0/0", protocol="tcp", port=(32768, 65535))
    assert run(b.build(), "internet").verdict is Verdict.UNREACHABLE
    b.acls["acl-priv"].inbound(110, "allow", "0.0.0.0/0", protocol="tcp", port=(1024, 32767))
    assert run(b.build(), "internet").verdict is Verdict.REACHABLE


def test_r3_nat_subnet_acl_applies() -> None:
    b = private_vpc_with_nat()
    acl = b.network_acl("acl-pub", "vpc-1", subnets=["subnet-pub-a"])
    acl.outbound(100, "allow", "0.0.0.0/0").inbound(
        100, "allow", "0.0.0.0/0", protocol="tcp", port=(1024, 65535)
    )
    result = run(b.build(), "internet")  # NAT never sees tcp/443 from the function
    assert blocking(result) == ("acl-pub", "SUBNET_ACL_RESTRICTION")


# ---- R4: internet ---------------------------------------------------------------------------


def _public_subnet_function(b: AccountBuilder) -> None:
    b.function("fn", subnets=["subnet-pub-a"], security_groups=["sg-fn"])


def test_r4_igw_without_public_ip_fails() -> None:
    b = private_vpc_with_nat()
    _public_subnet_function(b)
    result = run(b.build(), "internet")
    assert blocking(result) == ("igw-1", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS")
    fix = result.blocking.fix or ""  # type: ignore[union-attr]
    # The NAT gateway lives in a subnet that uses the public table: pointing that table's
    # default route at the NAT would cut the NAT off. The fix moves the function instead.
    assert "replace-route --route-table-id rtb-pub" not in fix
    assert "update-function-configuration --function-name fn" in fix
    assert "subnet-priv-a" in fix


def test_r4_eip_on_lambda_eni_passes_with_warning() -> None:
    b = private_vpc_with_nat()
    _public_subnet_function(b)
    eni = next(
        e
        for e in b.resources["network_interfaces"].values()
        if e.is_lambda and e.subnet_id == "subnet-pub-a"
    )
    b.elastic_ip("eipalloc-1", "198.51.100.7", eni_id=eni.id)
    result = run(b.build(), "internet")
    assert result.verdict is Verdict.REACHABLE
    assert "EIP_ON_LAMBDA_ENI" in {w.code for w in result.warnings}


def test_r4_nat_states_and_types() -> None:
    for state in ("pending", "failed", "deleted"):
        result = run(private_vpc_with_nat(nat_state=state).build(), "internet")
        assert blocking(result) == ("nat-1", "BAD_STATE")
    b = private_vpc_with_nat()
    b.nat_gateway("nat-1", "subnet-pub-a", connectivity="private")
    assert blocking(run(b.build(), "internet")) == ("nat-1", "NGW_PRIVATE_CONNECTIVITY")


def test_r4_nat_in_a_subnet_without_igw_route() -> None:
    b = private_vpc_with_nat()
    b.route_tables["rtb-pub"].routes.pop()
    result = run(b.build(), "internet")
    assert blocking(result) == ("nat-1", "NO_ROUTE_TO_DESTINATION")
    assert "--gateway-id igw-1" in (result.blocking.fix or "")  # type: ignore[union-attr]


def test_r4_detached_igw_behind_nat() -> None:
    b = private_vpc_with_nat()
    b.internet_gateway("igw-1", "vpc-1", state="detached")
    assert blocking(run(b.build(), "internet")) == ("igw-1", "BAD_STATE_ATTACHMENT")


def test_r4_nat_instance_needs_source_dest_check_off() -> None:
    b = private_vpc_with_nat()
    b.security_group("sg-nat", "vpc-1").ingress("10.0.0.0/16", protocol="-1")
    b.instance(
        "i-nat", "subnet-pub-a", "10.0.0.20", security_groups=["sg-nat"], public_ip="203.0.113.50"
    )
    b.route_tables["rtb-priv"].routes.pop()
    b.route_tables["rtb-priv"].route("0.0.0.0/0", "i-nat")
    assert blocking(run(b.build(), "internet")) == ("i-nat", "ENI_SOURCE_DEST_CHECK_RESTRICTION")
    b.instance(
        "i-nat",
        "subnet-pub-a",
        "10.0.0.20",
        security_groups=["sg-nat"],
        public_ip="203.0.113.50",
        source_dest_check=False,
    )
    assert run(b.build(), "internet").verdict is Verdict.REACHABLE


def test_r4_peering_gives_no_edge_to_edge_internet() -> None:
    b = private_vpc_with_nat()
    b.vpc("vpc-2", "10.1.0.0/16")
    b.peering("pcx-1", "vpc-1", "vpc-2")
    b.route_tables["rtb-priv"].routes.pop()
    b.route_tables["rtb-priv"].route("0.0.0.0/0", "pcx-1")
    assert blocking(run(b.build(), "internet")) == ("pcx-1", "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR")


def test_r4_function_outside_vpc_has_internet_but_no_private_ips() -> None:
    b = private_vpc_with_nat()
    b.function("nvpc")
    account = b.build()
    assert run(account, "internet", "nvpc").verdict is Verdict.REACHABLE
    assert blocking(run(account, "10.0.1.5", "nvpc")) == ("nvpc", "LAMBDA_NOT_IN_VPC")


# ---- R5: IPv6 -------------------------------------------------------------------------------


def test_r5_ipv6_needs_dual_stack_permission_and_eigw() -> None:
    b = AccountBuilder()
    b.vpc("vpc-1", "10.0.0.0/16", ipv6=("2600:1f18:1::/56",))
    b.subnet("subnet-a", "vpc-1", "10.0.1.0/24", ipv6=("2600:1f18:1:1::/64",))
    b.egress_only_internet_gateway("eigw-1", "vpc-1")
    b.route_table("rtb-a", "vpc-1", subnets=["subnet-a"]).route("::/0", "eigw-1")
    b.security_group("sg-fn", "vpc-1").egress("::/0", protocol="-1")
    acl = b.default_acl("vpc-1")
    acl.inbound(101, "allow", "::/0").outbound(101, "allow", "::/0")
    b.function("fn", subnets=["subnet-a"], security_groups=["sg-fn"])
    assert blocking(run(b.build(), "[2600::1]:443")) == ("fn", "LAMBDA_IPV6_NOT_ALLOWED")
    b.function("fn", subnets=["subnet-a"], security_groups=["sg-fn"], ipv6=True)
    assert run(b.build(), "[2600::1]:443").verdict is Verdict.REACHABLE
