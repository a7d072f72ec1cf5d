"""Account.origin_of and Account.block_public_access_for on accounts built in code."""

from __future__ import annotations

import pytest

from tests.support.builders import AccountBuilder
from vpcdoctor.graph.model import NO_ORIGIN, Account, Origin


def test_origin_of_falls_back_to_the_account_and_region() -> None:
    b = AccountBuilder(account_id="111111111111", region="eu-west-1")
    b.vpc("vpc-1")
    b.origin("vpc-2", "222222222222", "us-east-1")
    account = b.build()
    assert account.origin_of("vpc-1") == Origin("111111111111", "eu-west-1")
    assert account.origin_of("vpc-2") == Origin("222222222222", "us-east-1")
    assert account.accounts == ("111111111111", "222222222222")
    assert account.regions == ("eu-west-1", "us-east-1")
    assert Account.build().origin_of("vpc-x") is NO_ORIGIN


@pytest.mark.parametrize(
    ("state", "active"),
    [("create-complete", True), ("update-complete", True), ("create-in-progress", False),
     ("delete-complete", False), ("disable-complete", False), ("create-failed", False)],
)  # fmt: skip
def test_only_active_exclusions_count(state: str, active: bool) -> None:
    b = AccountBuilder()
    b.vpc("vpc-1")
    b.block_public_access("block-bidirectional")
    b.bpa_exclusion("vpcbpa-exclude-1", "vpc-1", "allow-egress", state=state)
    answer = b.build().block_public_access_for("vpc-1")
    assert answer.mode == "block-bidirectional"
    assert answer.exclusion_mode == ("allow-egress" if active else None)


def test_subnet_exclusion_wins_over_the_vpc_one_and_other_accounts_do_not_count() -> None:
    b = AccountBuilder(account_id="111111111111")
    b.vpc("vpc-1")
    b.block_public_access("block-ingress")
    b.block_public_access("off", account_id="222222222222")
    b.bpa_exclusion("vpcbpa-exclude-1", "vpc-1", "allow-egress")
    b.bpa_exclusion("vpcbpa-exclude-2", "subnet-1", "allow-bidirectional")
    b.origin("vpc-2", "222222222222", None)
    account = b.build()
    assert account.block_public_access_for("vpc-1", "subnet-1").exclusion_mode == (
        "allow-bidirectional"
    )
    assert account.block_public_access_for("vpc-1", "subnet-9").exclusion_mode == "allow-egress"
    assert account.block_public_access_for("vpc-1").mode == "block-ingress"
    assert account.block_public_access_for("vpc-2").mode is None  # its Region is not known


def test_not_exported_is_none() -> None:
    b = AccountBuilder()
    b.vpc("vpc-1")
    assert b.build().block_public_access_for("vpc-1") == (None, None)
