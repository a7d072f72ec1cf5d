"""Every step's ok / warn / fail / unknown outcomes on accounts built in code."""

from __future__ import annotations

import dataclasses

import pytest

from tests.support.builders import AccountBuilder, private_vpc_with_nat
from tests.support.checklist_fixtures import base, build, provisioned, set_fn, with_database
from vpcdoctor.diagnostics.checklist import walk
from vpcdoctor.diagnostics.findings import Finding, StepStatus
from vpcdoctor.graph.model import Account, LambdaState

OK, WARN, FAIL, UNKNOWN, NA = (
    StepStatus.OK,
    StepStatus.WARN,
    StepStatus.FAIL,
    StepStatus.UNKNOWN,
    StepStatus.NOT_APPLICABLE,
)


def step(
    account: Account,
    step_id: str,
    *,
    fn: str = "fn",
    targets: tuple[str, ...] = (),
    lang: str = "en",
) -> Finding:
    return walk(account, fn, targets=targets, lang=lang).step(step_id)


def text(finding: Finding) -> str:
    return "\n".join(finding.evidence)


# ---- 1. vpc-needed -----------------------------------------------------------------------------


def test_vpc_needed_ok_when_a_database_admits_it() -> None:
    b = base()
    extra = with_database(b)
    f = step(build(b, **extra), "vpc-needed")
    assert f.status is OK
    assert "sg-db" in text(f) and "orders-db" in text(f)


def test_vpc_needed_ok_for_a_private_target() -> None:
    f = step(base().build(), "vpc-needed", targets=("10.0.9.9:8443",))
    assert f.status is OK and "10.0.9.9:8443" in text(f)


def test_vpc_needed_warns_when_nothing_private_is_used() -> None:
    f = step(base().build(), "vpc-needed")
    assert f.status is WARN
    assert "--function-name fn --vpc-config SubnetIds=[],SecurityGroupIds=[]" in f.fix


def test_vpc_needed_ignores_groups_of_vpc_endpoints() -> None:
    b = base()
    b.security_group("sg-vpce", "vpc-1").ingress("sg-fn", port=443)
    b.interface_endpoint(
        "vpce-sts", "vpc-1", "sts", subnets=["subnet-priv-a"], security_groups=["sg-vpce"]
    )
    assert step(b.build(), "vpc-needed").status is WARN


def test_vpc_needed_unknown_without_security_groups() -> None:
    b = base()
    del b.sgs["sg-fn"]
    f = step(build(b, drop=("describe-security-groups",)), "vpc-needed")
    assert f.status is UNKNOWN
    assert "aws ec2 describe-security-groups" in f.needs


def test_outside_a_vpc_private_target_fails_other_steps_not_applicable() -> None:
    b = AccountBuilder()
    b.function("edge", subnets=[], security_groups=[])
    account = b.build()
    result = walk(account, "edge", targets=("10.1.2.3:5432",))
    assert result.step("vpc-needed").status is FAIL
    assert walk(account, "edge").step("vpc-needed").status is OK
    for sid in ("public-subnet", "multi-az", "ip-headroom", "nat-endpoints", "cold-start"):
        assert result.step(sid).status is NA


# ---- 2. public-subnet --------------------------------------------------------------------------


def public_fn(b: AccountBuilder, *, eip: bool = False) -> AccountBuilder:
    b.subnet("subnet-pub-c", "vpc-1", "10.0.3.0/24", az="ap-northeast-1c")
    b.route_table("rtb-pub", "vpc-1", subnets=["subnet-pub-c"])
    b.security_group("sg-web", "vpc-1")
    b.function("web", subnets=["subnet-pub-a", "subnet-pub-c"], security_groups=["sg-web"])
    b.function("web2", subnets=["subnet-pub-a", "subnet-pub-c"], security_groups=["sg-web"])
    if eip:
        for n, eni in enumerate(
            e.id
            for e in b.resources["network_interfaces"].values()
            if e.is_lambda and e.security_group_ids == ("sg-web",)
        ):
            b.elastic_ip(f"eipalloc-{n}", f"198.51.100.{n + 1}", eni_id=eni)
    return b


def test_public_subnet_ok_in_private_subnets() -> None:
    f = step(base().build(), "public-subnet")
    assert f.status is OK and "nat-1" in text(f)


def test_public_subnet_fails_with_igw_default_route() -> None:
    f = step(public_fn(base()).build(), "public-subnet", fn="web")
    assert f.status is FAIL
    assert "igw-1" in text(f) and "no public IP" in text(f)
    # The fix moves it to the NAT subnets of the same VPC (one per AZ), with its real ids.
    assert (
        "--function-name web --vpc-config SubnetIds=subnet-priv-a,subnet-priv-c,"
        "SecurityGroupIds=sg-web"
    ) in f.fix
    assert "create-nat-gateway --subnet-id subnet-pub-a" in f.fix
    assert "VpcId: vpc-1" in f.fix


def test_public_subnet_warns_on_the_eip_trick_and_names_sharers() -> None:
    f = step(public_fn(base(), eip=True).build(), "public-subnet", fn="web")
    assert f.status is WARN
    evidence = text(f)
    assert "198.51.100.1" in evidence and "web, web2" in evidence
    assert "14 days" in evidence and "consecutive weeks" in evidence and "65,000" in evidence
    ja = step(public_fn(base(), eip=True).build(), "public-subnet", fn="web", lang="ja")
    assert "14 日" in text(ja) and "連続した複数週" in text(ja)


def test_public_subnet_unknown_without_route_tables() -> None:
    b = base()
    b.route_tables.clear()
    f = step(build(b, drop=("describe-route-tables",)), "public-subnet")
    assert f.status is UNKNOWN and "aws ec2 describe-route-tables" in f.needs


# ---- 3. multi-az -----------------------------------------------------------------------------


def test_multi_az_ok_with_two_azs() -> None:
    assert step(base().build(), "multi-az").status is OK


def test_multi_az_warns_with_one_and_suggests_a_subnet_of_another_az() -> None:
    b = private_vpc_with_nat(two_azs=False)
    b.subnet("subnet-priv-c", "vpc-1", "10.0.2.0/24", az="ap-northeast-1c")
    b.route_table("rtb-priv", "vpc-1", subnets=["subnet-priv-c"])
    f = step(b.build(), "multi-az")
    assert f.status is WARN and "Lambda.5" in text(f)
    assert "SubnetIds=subnet-priv-a,subnet-priv-c,SecurityGroupIds=sg-fn" in f.fix


def test_multi_az_unknown_without_subnets() -> None:
    b = private_vpc_with_nat(two_azs=False)
    del b.subnets["subnet-priv-a"]
    f = step(build(b, drop=("describe-subnets",)), "multi-az")
    assert f.status is UNKNOWN and "aws ec2 describe-subnets" in f.needs


# ---- 4. ip-headroom --------------------------------------------------------------------------


def test_ip_headroom_ok_lists_shared_enis() -> None:
    b = base()
    b.function("fn2", subnets=["subnet-priv-a"], security_groups=["sg-fn"])
    f = step(b.build(), "ip-headroom")
    assert f.status is OK
    assert "shared by: fn, fn2" in text(f)
    assert "History" in text(f) and "1000 × 1 / 3 ≈ 334" in text(f)


def test_ip_headroom_warns_on_a_28() -> None:
    b = base()
    b.subnets["subnet-priv-a"] = dataclasses.replace(
        b.subnets["subnet-priv-a"],
        cidr=__import__("ipaddress").IPv4Network("10.0.1.0/28"),
        available_ips=9,
    )
    f = step(b.build(), "ip-headroom")
    assert f.status is WARN and "/28" in text(f) and "red flag" in text(f)
    assert "--availability-zone ap-northeast-1a" in f.fix and "vpc-1" in f.fix


def test_ip_headroom_fails_when_exhausted_and_function_failed() -> None:
    b = base()
    b.subnets["subnet-priv-c"] = dataclasses.replace(b.subnets["subnet-priv-c"], available_ips=0)
    set_fn(b, state=LambdaState.FAILED, state_reason_code="SubnetOutOfIPAddresses")
    f = step(b.build(), "ip-headroom")
    assert f.status is FAIL
    assert "subnet-priv-c has no free address" in text(f)
    assert "fn is Failed with SubnetOutOfIPAddresses" in text(f)


def test_ip_headroom_warns_when_a_neighbour_is_stuck_on_eni_limit() -> None:
    b = base()
    b.function(
        "other",
        subnets=["subnet-priv-a"],
        security_groups=["sg-fn"],
        state="Pending",
        state_reason_code="EniLimitExceeded",
    )
    f = step(b.build(), "ip-headroom")
    assert f.status is WARN and "EniLimitExceeded" in text(f) and "L-DF5E4CA3" in f.fix


def test_ip_headroom_unknown_without_free_address_counts() -> None:
    b = base()
    for sid in ("subnet-priv-a", "subnet-priv-c"):
        b.subnets[sid] = dataclasses.replace(b.subnets[sid], available_ips=None)
    f = step(b.build(), "ip-headroom")
    assert f.status is UNKNOWN and "aws ec2 describe-subnets" in f.needs


# ---- 5. nat-endpoints ------------------------------------------------------------------------


def test_nat_endpoints_warns_on_s3_through_nat_with_costs() -> None:
    f = step(base().build(), "nat-endpoints")
    assert f.status is WARN
    evidence = text(f)
    assert "s3 traffic from rtb-priv goes through nat-1" in evidence
    assert "ap-northeast-1" in evidence and "2026-11-25" in evidence
    # 1 NAT × $0.062 × 730 h = $45.26
    assert "$45.26/month" in evidence
    # 7 interface endpoints × 2 AZs × $0.014 × 730 = $143.08
    assert "+$143.08/month" in evidence
    # Appendix A set, with the real ids.
    for service in ("logs", "kms", "sts", "ecr.api", "ecr.dkr"):
        assert (
            f"com.amazonaws.ap-northeast-1.{service} --subnet-ids subnet-priv-a subnet-priv-c"
            in f.fix
        )
    assert (
        "--vpc-endpoint-type Gateway --service-name com.amazonaws.ap-northeast-1.s3 "
        "--route-table-ids rtb-priv" in f.fix
    )
    assert "--source-group sg-fn" in f.fix
    assert "RouteTableIds: [rtb-priv]" in f.fix and "com.amazonaws.${AWS::Region}.s3" in f.fix


def test_nat_endpoints_ok_with_gateway_endpoints() -> None:
    b = base(two_azs=False)
    b.gateway_endpoint("vpce-s3", "vpc-1", "s3", route_tables=["rtb-priv"])
    b.gateway_endpoint("vpce-ddb", "vpc-1", "dynamodb", route_tables=["rtb-priv"])
    f = step(b.build(), "nat-endpoints")
    assert f.status is OK
    assert "vpce-s3" in text(f)


def test_nat_endpoints_fails_on_a_deleted_nat() -> None:
    b = base(nat_state="deleted")
    f = step(b.build(), "nat-endpoints")
    assert f.status is FAIL and "nat-1 is deleted" in text(f)


def test_nat_endpoints_warns_when_apis_have_no_way_out() -> None:
    b = AccountBuilder()
    b.vpc("vpc-1", "10.0.0.0/16")
    b.subnet("subnet-a", "vpc-1", "10.0.1.0/24", az="ap-northeast-1a")
    b.route_table("rtb-iso", "vpc-1", subnets=["subnet-a"])
    b.security_group("sg-fn", "vpc-1")
    b.function("fn", subnets=["subnet-a"], security_groups=["sg-fn"], package_type="Image")
    b.interface_endpoint("vpce-logs", "vpc-1", "logs", subnets=["subnet-a"])
    f = step(b.build(), "nat-endpoints")
    assert f.status is WARN
    assert (
        "No interface endpoint for sts, kms, secretsmanager, ssm, ecr.api, ecr.dkr and no NAT"
        in text(f)
    )
    assert "com.amazonaws.ap-northeast-1.logs" not in f.fix  # already there


def test_nat_endpoints_cross_az_nat() -> None:
    f = step(base().build(), "nat-endpoints")
    assert "subnet-priv-c in ap-northeast-1c goes out through nat-1 in ap-northeast-1a" in text(f)


def test_nat_endpoints_unknown_without_endpoint_export() -> None:
    f = step(build(base(), drop=("describe-vpc-endpoints",)), "nat-endpoints")
    assert f.status is UNKNOWN and "aws ec2 describe-vpc-endpoints" in f.needs


def test_nat_endpoints_region_without_prices(monkeypatch: pytest.MonkeyPatch) -> None:
    b = private_vpc_with_nat(AccountBuilder(region="eu-west-3"))
    f = step(b.build(), "nat-endpoints")
    assert "No price for eu-west-3" in text(f) and "VPCDOCTOR_PRICES" in text(f)


# ---- 6. db-connections -------------------------------------------------------------------------


def test_db_ok_without_database() -> None:
    assert step(base().build(), "db-connections").status is OK


def test_db_ok_through_rds_proxy() -> None:
    b = base()
    extra = with_database(b, via_proxy=True)
    f = step(build(b, **extra), "db-connections")
    assert f.status is OK and "orders-proxy" in text(f)


def test_db_warns_direct_without_reserved_concurrency() -> None:
    b = base()
    extra = with_database(b)
    f = step(build(b, **extra), "db-connections")
    assert f.status is WARN
    assert "port 5432" in text(f) and "Reserved concurrency: none" in text(f)
    assert "put-function-concurrency --function-name fn" in f.fix
    assert "--engine-family POSTGRESQL" in f.fix and "subnet-priv-a subnet-priv-c" in f.fix


def test_db_ok_with_reserved_concurrency_and_shows_provisioned() -> None:
    b = base()
    extra = with_database(b)
    set_fn(b, reserved_concurrency=20, provisioned=(provisioned(),))
    f = step(build(b, **extra), "db-connections")
    assert f.status is OK
    assert "Reserved concurrency 20" in text(f) and "live" in text(f)


def test_db_target_port_counts_and_redis_has_no_proxy() -> None:
    f = step(base().build(), "db-connections", targets=("cache.corp.internal:6379",))
    assert f.status is WARN and "Redis" in text(f)
    assert "does not support Oracle (1521) or Redis (6379)" in f.fix


def test_db_unknown_without_concurrency_export() -> None:
    b = base()
    extra = with_database(b)
    set_fn(b, concurrency_known=False)
    f = step(build(b, **extra), "db-connections")
    assert f.status is UNKNOWN
    assert "aws lambda get-function-concurrency --function-name fn" in f.needs


# ---- 7. lambda-state -----------------------------------------------------------------------------


def test_state_ok_when_active() -> None:
    assert step(base().build(), "lambda-state").status is OK


@pytest.mark.parametrize(
    ("state", "code", "expected"),
    [
        ("Pending", "Creating", WARN),
        ("Inactive", "Idle", WARN),
        ("Failed", "SubnetOutOfIPAddresses", FAIL),
        ("Failed", "EniLimitExceeded", FAIL),
        ("Failed", "InvalidSubnet", FAIL),
        ("Failed", "InvalidSecurityGroup", FAIL),
        ("Failed", "EC2RequestLimitExceeded", FAIL),
        ("Failed", "DisallowedByVpcEncryptionControl", FAIL),
        ("Failed", "InternalError", FAIL),
        ("Failed", "InvalidConfiguration", FAIL),
        ("Pending", "InsufficientRolePermissions", FAIL),
    ],
)
def test_state_codes_have_meaning_and_fix(state: str, code: str, expected: StepStatus) -> None:
    b = base()
    set_fn(
        b,
        state=LambdaState(state),
        state_reason_code=code,
        role="arn:aws:iam::111122223333:role/service-role/fn-role",
    )
    for lang in ("en", "ja"):
        f = step(b.build(), "lambda-state", lang=lang)
        assert f.status is expected
        assert f"{code}:" in text(f)
        assert f.fixes


def test_insufficient_role_permissions_attaches_the_vpc_policy_to_the_real_role() -> None:
    b = base()
    set_fn(
        b,
        state=LambdaState.FAILED,
        state_reason_code="InsufficientRolePermissions",
        role="arn:aws:iam::111122223333:role/service-role/fn-role",
    )
    f = step(b.build(), "lambda-state")
    assert (
        "attach-role-policy --role-name fn-role --policy-arn "
        "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole" in f.fix
    )
    assert "ec2:CreateNetworkInterface" in text(f)


def test_state_fails_on_failed_last_update() -> None:
    b = base()
    set_fn(
        b,
        last_update_status="Failed",
        last_update_status_reason_code="InvalidSubnet",
        last_update_status_reason="subnet-gone does not exist",
    )
    f = step(b.build(), "lambda-state")
    assert f.status is FAIL and "InvalidSubnet" in text(f)


def test_state_unknown_with_list_functions_only() -> None:
    b = base()
    set_fn(b, state=None)
    f = step(b.build(), "lambda-state")
    assert f.status is UNKNOWN
    assert f.needs == ("aws lambda get-function-configuration --function-name fn",)


# ---- 8. cold-start ---------------------------------------------------------------------------


def test_cold_start_ok_and_mentions_hyperplane() -> None:
    f = step(base().build(), "cold-start")
    assert f.status is OK and "2019" in text(f) and "put-provisioned-concurrency-config" in f.fix
    b = base()
    set_fn(b, provisioned=(provisioned(),))
    f = step(b.build(), "cold-start")
    assert f.status is OK and "requested 5, allocated 5" in text(f) and not f.fixes


def test_cold_start_warns_on_failed_provisioned_concurrency() -> None:
    b = base()
    set_fn(b, provisioned=(provisioned(status="FAILED"),))
    assert step(b.build(), "cold-start").status is WARN


def test_cold_start_unknown_without_export() -> None:
    b = base()
    set_fn(b, provisioned=None)
    f = step(b.build(), "cold-start")
    assert f.status is UNKNOWN
    assert "aws lambda list-provisioned-concurrency-configs --function-name fn" in f.needs


# ---- untrusted values ------------------------------------------------------------------------


def test_escape_sequences_from_aws_never_reach_the_output() -> None:
    b = base()
    set_fn(
        b,
        state=LambdaState.FAILED,
        state_reason_code="InvalidConfiguration",
        state_reason="\x1b]52;c;ZXZpbA==\x07bad\x1b[2J\u202eevil\nline",
    )
    f = step(b.build(), "lambda-state")
    joined = text(f)
    assert "\x1b" not in joined and "\u202e" not in joined and "\x07" not in joined
    assert all("\n" not in line for line in f.evidence)
