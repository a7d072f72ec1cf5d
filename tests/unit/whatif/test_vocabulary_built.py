"""Vocabulary commands on accounts built in code: peering, transit gateways, instances, ENIs."""

from __future__ import annotations

import pytest

from tests.support.builders import REGION, AccountBuilder
from vpcdoctor.diagnostics.diagnose import check
from vpcdoctor.errors import WhatIfError
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.model.verdict import Verdict
from vpcdoctor.graph.whatif import what_if


def _two_vpcs(b: AccountBuilder) -> None:
    b.vpc("vpc-1", "10.1.0.0/16")
    b.vpc("vpc-2", "10.2.0.0/16")
    b.subnet("subnet-1a", "vpc-1", "10.1.1.0/24", az=f"{REGION}a")
    b.subnet("subnet-1c", "vpc-1", "10.1.2.0/24", az=f"{REGION}c")
    b.subnet("subnet-2a", "vpc-2", "10.2.1.0/24", az=f"{REGION}a")
    b.security_group("sg-fn", "vpc-1")
    b.security_group("sg-srv", "vpc-2").ingress("10.1.0.0/16", port=8443)
    b.instance("i-srv", "subnet-2a", "10.2.1.10", security_groups=["sg-srv"], eni_id="eni-srv")
    b.function("fn", subnets=["subnet-1a"], security_groups=["sg-fn"])


def peered(status: str) -> Account:
    b = AccountBuilder()
    _two_vpcs(b)
    b.peering("pcx-1", "vpc-1", "vpc-2", status=status)
    b.route_table("rtb-1", "vpc-1", subnets=["subnet-1a", "subnet-1c"]).route(
        "10.2.0.0/16", "pcx-1"
    )
    b.route_table("rtb-2", "vpc-2", subnets=["subnet-2a"]).route("10.1.0.0/16", "pcx-1")
    return b.build()


def test_accept_peering_connection() -> None:
    account = peered("pending-acceptance")
    target = "10.2.1.10:8443"
    changed = what_if(
        account, "aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id pcx-1"
    ).account
    assert check(account, "fn", target).verdict is Verdict.UNREACHABLE
    assert check(changed, "fn", target).verdict is Verdict.REACHABLE
    with pytest.raises(WhatIfError, match="not pending-acceptance"):
        what_if(changed, "aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id pcx-1")


def tgw_account(*, routes: list[tuple[str, str]] | None) -> Account:
    b = AccountBuilder()
    _two_vpcs(b)
    b.transit_gateway("tgw-1")
    b.tgw_vpc_attachment(
        "tgw-attach-1", "tgw-1", "vpc-1", subnets=["subnet-1a"], route_table="tgw-rtb-1"
    )
    b.tgw_vpc_attachment("tgw-attach-2", "tgw-1", "vpc-2", subnets=["subnet-2a"], route_table=None)
    b.tgw_route_table("tgw-rtb-1", "tgw-1", routes)
    b.tgw_route_table("tgw-rtb-2", "tgw-1", [("10.1.0.0/16", "tgw-attach-1")])
    b.route_table("rtb-1", "vpc-1", subnets=["subnet-1a", "subnet-1c"]).route(
        "10.2.0.0/16", "tgw-1"
    )
    b.route_table("rtb-2", "vpc-2", subnets=["subnet-2a"]).route("10.1.0.0/16", "tgw-1")
    return b.build()


def test_transit_gateway_route_and_association() -> None:
    account = tgw_account(routes=[])
    changed = what_if(
        account,
        "aws ec2 create-transit-gateway-route --destination-cidr-block 10.2.0.0/16 "
        "--transit-gateway-route-table-id tgw-rtb-1 --transit-gateway-attachment-id tgw-attach-2\n"
        "aws ec2 associate-transit-gateway-route-table --transit-gateway-route-table-id "
        "tgw-rtb-2 --transit-gateway-attachment-id tgw-attach-2",
    ).account
    routes = changed.transit_gateway_route_tables["tgw-rtb-1"].routes
    assert routes is not None and [str(r.destination) for r in routes] == ["10.2.0.0/16"]
    att = changed.transit_gateway_attachments["tgw-attach-2"]
    assert (att.association_route_table_id, att.association_state) == ("tgw-rtb-2", "associated")
    before = check(account, "fn", "10.2.1.10:8443")
    after = check(changed, "fn", "10.2.1.10:8443")
    assert before.verdict is Verdict.UNREACHABLE
    assert (after.verdict, after.blocking) != (before.verdict, before.blocking)


def test_transit_gateway_route_needs_the_exported_routes() -> None:
    with pytest.raises(WhatIfError, match="search-transit-gateway-routes"):
        what_if(
            tgw_account(routes=None),
            "aws ec2 create-transit-gateway-route --destination-cidr-block 10.2.0.0/16 "
            "--transit-gateway-route-table-id tgw-rtb-1 "
            "--transit-gateway-attachment-id tgw-attach-2",
        )


def test_modify_transit_gateway_vpc_attachment_subnets() -> None:
    changed = what_if(
        tgw_account(routes=[]),
        "aws ec2 modify-transit-gateway-vpc-attachment --transit-gateway-attachment-id "
        "tgw-attach-1 --add-subnet-ids subnet-1c",
    ).account
    assert changed.transit_gateway_attachments["tgw-attach-1"].subnet_ids == (
        "subnet-1a",
        "subnet-1c",
    )


def test_instances_and_interfaces() -> None:
    b = AccountBuilder()
    _two_vpcs(b)
    b.instance("i-stopped", "subnet-2a", "10.2.1.20", state="stopped", eni_id="eni-stopped")
    account = b.build()
    changed = what_if(
        account,
        "aws ec2 start-instances --instance-ids i-stopped\n"
        "aws ec2 modify-instance-attribute --instance-id i-srv --no-source-dest-check\n"
        "aws ec2 modify-network-interface-attribute --network-interface-id eni-stopped "
        "--groups sg-srv",
    ).account
    assert changed.instances["i-stopped"].state == "running"
    assert changed.instances["i-srv"].source_dest_check is False
    assert changed.network_interfaces["eni-stopped"].security_group_ids == ("sg-srv",)
    with pytest.raises(WhatIfError, match="sg-fn is in vpc-1"):
        what_if(
            account,
            "aws ec2 modify-network-interface-attribute --network-interface-id eni-srv "
            "--groups sg-fn",
        )


def test_attach_internet_gateway_refuses_a_second_one() -> None:
    b = AccountBuilder()
    _two_vpcs(b)
    b.internet_gateway("igw-1", "vpc-1")
    b.internet_gateway("igw-2", None)
    with pytest.raises(WhatIfError, match="already has igw-1"):
        what_if(
            b.build(), "aws ec2 attach-internet-gateway --internet-gateway-id igw-2 --vpc-id vpc-1"
        )
