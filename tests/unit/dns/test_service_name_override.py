"""A private hosted zone that overrides an AWS service's name (issue 13 item 5): the centralized
interface endpoint of a shared-services VPC, reached over a transit gateway, behind a PHZ named
``secretsmanager.<region>.amazonaws.com`` associated with the spoke. ``check`` goes where ``dns``
says the name goes, on the same snapshot; breaking the path (the endpoint's group, the shared
VPC's way back, the TGW route, the zone's association) is seen by both."""

from __future__ import annotations

import pytest

from tests.support.builders import REGION, AccountBuilder
from tests.support.dns_accounts import rec
from vpcdoctor.diagnostics.diagnose import check
from vpcdoctor.diagnostics.dns import DnsOutcome, simulate
from vpcdoctor.graph.engine.graph import ZONE_ASSOCIATED, build_graph
from vpcdoctor.graph.model import Account, AliasTarget, HostedZone, ZoneVpc
from vpcdoctor.graph.model.verdict import HopKind, Verdict

A = f"{REGION}a"
HOST = f"secretsmanager.{REGION}.amazonaws.com"
VPCE_DNS = f"vpce-0sm-1a2b3c4d.secretsmanager.{REGION}.vpce.amazonaws.com"
ZONE = "Z0SECRETSMANAGER"


def centralized_endpoint(
    *,
    endpoint_admits: bool = True,
    shared_route_back: bool = True,
    tgw_routes_shared: bool = True,
    associated: bool = True,
) -> Account:
    b = AccountBuilder()
    b.vpc("vpc-spoke", "10.1.0.0/16")
    b.subnet("subnet-spoke-a", "vpc-spoke", "10.1.1.0/24", az=A)
    b.route_table("rtb-spoke", "vpc-spoke", subnets=["subnet-spoke-a"]).route(
        "10.9.0.0/16", "tgw-1"
    )
    b.security_group("sg-fn", "vpc-spoke")
    b.function("fn", subnets=["subnet-spoke-a"], security_groups=["sg-fn"])
    b.vpc("vpc-shared", "10.9.0.0/16")
    b.subnet("subnet-shared-a", "vpc-shared", "10.9.1.0/24", az=A)
    shared = b.route_table("rtb-shared", "vpc-shared", subnets=["subnet-shared-a"])
    if shared_route_back:
        shared.route("10.1.0.0/16", "tgw-1")
    sg = b.security_group("sg-vpce", "vpc-shared")
    if endpoint_admits:
        sg.ingress("10.1.0.0/16", port=443)
    vpce = b.interface_endpoint(
        "vpce-0sm",
        "vpc-shared",
        "secretsmanager",
        subnets=["subnet-shared-a"],
        security_groups=["sg-vpce"],
        private_dns=False,
    )
    from dataclasses import replace

    from vpcdoctor.graph.model import DnsEntry

    b.resources["vpc_endpoints"]["vpce-0sm"] = replace(
        vpce, dns_entries=(DnsEntry(dns_name=VPCE_DNS),)
    )
    b.transit_gateway("tgw-1")
    for vpc, subnet in (("spoke", "subnet-spoke-a"), ("shared", "subnet-shared-a")):
        b.tgw_vpc_attachment(
            f"tgw-attach-{vpc}", "tgw-1", f"vpc-{vpc}", subnets=[subnet], route_table="tgw-rtb-1"
        )
    routes = [("10.1.0.0/16", "tgw-attach-spoke")]
    if tgw_routes_shared:
        routes.append(("10.9.0.0/16", "tgw-attach-shared"))
    b.tgw_route_table("tgw-rtb-1", "tgw-1", routes)
    b.resources["hosted_zones"][ZONE] = HostedZone(
        id=ZONE,
        name=HOST,
        private=True,
        vpcs=(ZoneVpc(vpc_id="vpc-spoke", region=REGION),) if associated else (),
        records=(
            rec(HOST, "SOA", "ns. host. 1 2 3 4 5"),
            rec(
                HOST,
                "A",
                alias=AliasTarget(dns_name=VPCE_DNS + ".", hosted_zone_id="Z2OJLYMUO9EFXC"),
            ),
        ),
    )
    return b.build()


ENDPOINT_IP = "10.9.1.50"


@pytest.mark.parametrize("target", ["secretsmanager", HOST, f"https://{HOST}"])
def test_check_goes_where_the_zone_sends_the_service_name(target: str) -> None:
    account = centralized_endpoint()
    resolution = simulate(account, "vpc-spoke", HOST)
    assert resolution.outcome is DnsOutcome.ANSWER
    assert resolution.addresses == (ENDPOINT_IP,)
    assert resolution.decided_by is not None and resolution.decided_by.resource == ZONE
    result = check(account, "fn", target)
    assert result.verdict is Verdict.REACHABLE, result.to_json()
    # the same resolution, step by step, leads every path; then the TGW and the endpoint
    assert [h.code for h in result.dns] == [h.code for h in resolution.steps]
    hops = result.paths[0].hops
    assert any(h.kind is HopKind.TRANSIT_GATEWAY_ROUTE_TABLE for h in hops)
    assert any(h.code == "TARGET_ENI" and ENDPOINT_IP in h.detail for h in hops)
    assert not any(h.kind in (HopKind.INTERNET, HopKind.NAT_GATEWAY) for h in hops)


@pytest.mark.parametrize(
    ("broken", "blocking"),
    [
        ({"endpoint_admits": False}, ("sg-vpce", "ENI_SG_RULES_MISMATCH")),
        (
            {"shared_route_back": False},
            ("rtb-shared", "RESPONSE_RTB_HAS_NO_ROUTE_TO_TRANSIT_GATEWAY"),
        ),
        ({"tgw_routes_shared": False}, ("tgw-rtb-1", "TGW_RTB_CANNOT_ROUTE")),
    ],
)
def test_each_break_of_the_centralized_path(
    broken: dict[str, bool], blocking: tuple[str, str]
) -> None:
    account = centralized_endpoint(**broken)
    assert simulate(account, "vpc-spoke", HOST).addresses == (ENDPOINT_IP,)
    result = check(account, "fn", "secretsmanager")
    assert result.verdict is Verdict.UNREACHABLE
    assert result.blocking is not None
    assert (result.blocking.resource, result.blocking.code) == blocking


def test_without_the_zone_the_service_name_is_public_for_both_commands() -> None:
    account = centralized_endpoint(associated=False)
    resolution = simulate(account, "vpc-spoke", HOST)
    assert resolution.outcome is DnsOutcome.PUBLIC and not resolution.addresses
    result = check(account, "fn", "secretsmanager")
    hops = [h for p in result.paths for h in p.hops]
    assert not any(h.code == "TARGET_ENI" for h in hops)
    # the spoke has no way to the internet: the public endpoint cannot be reached
    assert result.verdict is Verdict.UNREACHABLE


def test_removing_the_zones_association_edge_sends_the_service_to_its_public_name() -> None:
    graph = build_graph(centralized_endpoint())
    assert check(graph, "fn", "secretsmanager").verdict is Verdict.REACHABLE
    data = dict(graph.edges[ZONE, "vpc-spoke", ZONE_ASSOCIATED])
    graph.remove_edge(ZONE, "vpc-spoke", key=ZONE_ASSOCIATED)
    assert check(graph, "fn", "secretsmanager").verdict is Verdict.UNREACHABLE
    graph.add_edge(ZONE, "vpc-spoke", key=ZONE_ASSOCIATED, **data)
    assert check(graph, "fn", "secretsmanager").verdict is Verdict.REACHABLE
