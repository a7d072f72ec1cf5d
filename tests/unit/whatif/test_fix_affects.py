"""A fix option says what else its change touches: the other functions whose path uses the same
route table, security group or network ACL (read from the graph)."""

from __future__ import annotations

from tests.support.builders import private_vpc_with_nat
from vpcdoctor.diagnostics.diagnose import check


def test_a_route_fix_names_the_other_functions_on_that_table() -> None:
    b = private_vpc_with_nat(nat_state="deleted")
    b.function("other", subnets=["subnet-priv-c"], security_groups=["sg-fn"])
    b.function("elsewhere", subnets=["subnet-pub-a"], security_groups=["sg-fn"])
    result = check(b.build(), "fn", "internet")
    assert result.blocking is not None and result.blocking.fixes
    touched = [line for o in result.blocking.fixes for line in o.affects]
    assert any("other" in line for line in touched), touched
    assert not any("elsewhere" in line for line in touched)
    assert not any(" fn" in line.split("path of", 1)[-1] for line in touched)
