"""diff: the changed records on the path, most suspicious first (built accounts, what-if edits)."""

from __future__ import annotations

from tests.support.builders import private_vpc_with_nat
from vpcdoctor.diagnostics.diff import compare, diff
from vpcdoctor.graph.model import NatState
from vpcdoctor.graph.whatif import what_if


def test_blocking_resource_first_then_removals_then_additions() -> None:
    old = private_vpc_with_nat().build()
    new = what_if(
        old,
        "aws ec2 authorize-security-group-egress --group-id sg-fn --protocol tcp --port 5432 "
        "--cidr 10.9.0.0/16\n"
        "aws ec2 delete-route --route-table-id rtb-priv --destination-cidr-block 0.0.0.0/0\n",
    ).account
    d = diff(old, new, targets=["internet"])
    (pair,) = d.changed
    assert (str(pair.before.verdict), str(pair.after.verdict)) == ("reachable", "unreachable")
    assert [r.resource for r in pair.resources] == ["rtb-priv", "sg-fn"]
    assert pair.resources[0].blocking and pair.resources[0].severity == 3
    assert pair.resources[1].changes == ("egress rule added: tcp 5432 to 10.9.0.0/16",)
    assert d.exit_code == 1


def test_worse_pairs_come_before_better_ones() -> None:
    base = private_vpc_with_nat()
    base.security_group("sg-other", "vpc-1")
    base.function("a-fn", subnets=["subnet-pub-a"], security_groups=["sg-other"])
    old = base.build()
    new = what_if(
        old,
        "aws ec2 revoke-security-group-egress --group-id sg-fn --protocol all --cidr 0.0.0.0/0\n"
        "aws lambda update-function-configuration --function-name a-fn --vpc-config "
        "SubnetIds=subnet-priv-a,SecurityGroupIds=sg-other\n",
    ).account
    d = diff(old, new, targets=["internet"])
    # alphabetically a-fn comes first; the pair that got worse is listed before it
    assert [(p.function, p.worse) for p in d.changed] == [("fn", True), ("a-fn", False)]
    assert "a-fn" in {r.resource for r in d.changed[1].resources}


def test_compare_says_what_changed() -> None:
    old = private_vpc_with_nat().build()
    nat = old.nat_gateways["nat-1"]
    from dataclasses import replace

    lines, severity = compare(nat, replace(nat, state=NatState.FAILED, failure_code="X"))
    assert lines == ("state: available → failed", "failure code: None → X")
    assert severity == 3
    assert compare(nat, None) == (("removed: absent from the new snapshot",), 3)
    assert compare(None, nat) == (("added: absent from the old snapshot",), 1)
    assert compare(nat, nat) == ((), 0)


def test_functions_only_in_one_snapshot_count_as_changes() -> None:
    old = private_vpc_with_nat().build()
    b = private_vpc_with_nat()
    b.function("fn-new", subnets=["subnet-priv-a"], security_groups=["sg-fn"])
    d = diff(old, b.build(), targets=["internet"])
    assert d.only_in_new == ("fn-new",) and d.exit_code == 1
