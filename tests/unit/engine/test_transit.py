"""One trace through any number of VPCs (knowledge-facts R11): centralized egress, inspection,
asymmetric returns, and the graph being the engine.

Centralized egress is the AWS-recommended multi-VPC design (knowledge-facts §10): spokes send
0.0.0.0/0 to a transit gateway; the TGW route table of the spokes sends it to the egress VPC's
attachment; the egress attachment's subnets route 0.0.0.0/0 to a NAT gateway in a public subnet;
the replies need routes back: the public subnets' route table sends the spoke CIDRs to the TGW,
the TGW route table associated with the egress attachment routes each spoke, and the egress
attachment has a subnet in the NAT's AZ (tgw-vpc-attachments.html).
"""

from __future__ import annotations

from tests.support.builders import REGION, AccountBuilder
from tests.support.engine import blocking, fix_of, run
from vpcdoctor.diagnostics import diagnose
from vpcdoctor.graph.engine.graph import ROUTE, build_graph
from vpcdoctor.graph.model import EndpointType, VpcEndpoint
from vpcdoctor.graph.model.verdict import Direction, HopStatus, Verdict

A, C = f"{REGION}a", f"{REGION}c"


def centralized_egress(
    *,
    return_route: bool = True,
    egress_table_routes_spoke: bool = True,
    nat_az: str = A,
    firewall: bool = False,
) -> AccountBuilder:
    b = AccountBuilder()
    # The spoke: a function in a private subnet whose only way out is the TGW.
    b.vpc("vpc-spoke", "10.1.0.0/16")
    b.subnet("subnet-spoke-a", "vpc-spoke", "10.1.1.0/24", az=A)
    b.route_table("rtb-spoke", "vpc-spoke", subnets=["subnet-spoke-a"]).route("0.0.0.0/0", "tgw-1")
    b.security_group("sg-fn", "vpc-spoke")
    b.function("fn", subnets=["subnet-spoke-a"], security_groups=["sg-fn"])
    # The egress VPC: TGW attachment subnet → NAT in a public subnet → IGW.
    b.vpc("vpc-egress", "10.9.0.0/16")
    b.subnet("subnet-egress-tgw-a", "vpc-egress", "10.9.0.0/24", az=A)
    b.subnet("subnet-egress-pub", "vpc-egress", "10.9.1.0/24", az=nat_az)
    b.internet_gateway("igw-e", "vpc-egress")
    b.nat_gateway("nat-e", "subnet-egress-pub")
    attachment_table = b.route_table(
        "rtb-egress-tgw", "vpc-egress", subnets=["subnet-egress-tgw-a"]
    )
    if firewall:
        b.subnet("subnet-fw", "vpc-egress", "10.9.2.0/24", az=A)
        b.resources["vpc_endpoints"]["vpce-fw"] = VpcEndpoint(
            id="vpce-fw",
            vpc_id="vpc-egress",
            type=EndpointType.GATEWAY_LOAD_BALANCER,
            service_name="com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0",
            state="available",
            subnet_ids=("subnet-fw",),
        )
        attachment_table.route("0.0.0.0/0", "vpce-fw")
        b.route_table("rtb-fw", "vpc-egress", subnets=["subnet-fw"]).route("0.0.0.0/0", "nat-e")
    else:
        attachment_table.route("0.0.0.0/0", "nat-e")
    public = b.route_table("rtb-egress-pub", "vpc-egress", subnets=["subnet-egress-pub"])
    public.route("0.0.0.0/0", "igw-e")
    if return_route:
        public.route("10.1.0.0/16", "tgw-1")
    # The transit gateway: one table for the spokes, one for the egress attachment.
    b.transit_gateway("tgw-1")
    b.tgw_vpc_attachment(
        "tgw-attach-spoke",
        "tgw-1",
        "vpc-spoke",
        subnets=["subnet-spoke-a"],
        route_table="tgw-rtb-spokes",
    )
    b.tgw_vpc_attachment(
        "tgw-attach-egress",
        "tgw-1",
        "vpc-egress",
        subnets=["subnet-egress-tgw-a"],
        route_table="tgw-rtb-egress",
    )
    b.tgw_route_table("tgw-rtb-spokes", "tgw-1", [("0.0.0.0/0", "tgw-attach-egress")])
    b.tgw_route_table(
        "tgw-rtb-egress",
        "tgw-1",
        [("10.1.0.0/16", "tgw-attach-spoke")] if egress_table_routes_spoke else [],
    )
    return b


def test_centralized_egress_reaches_the_internet_and_comes_back() -> None:
    result = run(centralized_egress().build(), "api.stripe.com")
    assert result.verdict is Verdict.REACHABLE, result.to_json()
    hops = result.paths[0].hops
    request = [h.resource for h in hops if h.direction is Direction.REQUEST]
    reply = [h.resource for h in hops if h.direction is Direction.REPLY]
    # One trace through both VPCs: spoke table → TGW → egress attachment subnet → NAT → IGW.
    for resource in (
        "rtb-spoke",
        "tgw-attach-spoke",
        "tgw-rtb-spokes",
        "rtb-egress-tgw",
        "nat-e",
        "rtb-egress-pub",
        "igw-e",
    ):
        assert resource in request, (resource, request)
    # And back: the public table's spoke route, the egress attachment's table, the spoke.
    for resource in ("rtb-egress-pub", "tgw-attach-egress", "tgw-rtb-egress"):
        assert resource in reply, (resource, reply)


def test_break_1_public_subnet_without_the_route_back_to_the_spoke() -> None:
    result = run(centralized_egress(return_route=False).build(), "api.stripe.com")
    assert result.verdict is Verdict.UNREACHABLE
    assert blocking(result) == ("rtb-egress-pub", "RESPONSE_RTB_HAS_NO_ROUTE_TO_TRANSIT_GATEWAY")
    assert result.blocking is not None and result.blocking.direction is Direction.REPLY
    assert "--transit-gateway-id tgw-1" in fix_of(result) and "10.1.0.0/16" in fix_of(result)


def test_break_2_egress_tgw_route_table_without_the_spoke() -> None:
    result = run(centralized_egress(egress_table_routes_spoke=False).build(), "api.stripe.com")
    assert blocking(result) == ("tgw-rtb-egress", "TGW_RTB_CANNOT_ROUTE")
    assert "--transit-gateway-attachment-id tgw-attach-spoke" in fix_of(result)


def test_break_3_nat_in_an_az_the_egress_attachment_does_not_have() -> None:
    result = run(centralized_egress(nat_az=C).build(), "api.stripe.com")
    assert blocking(result) == ("tgw-attach-egress", "TGW_ATTACH_VPC_AZ_RESTRICTION")
    assert result.blocking is not None and result.blocking.direction is Direction.REPLY


def test_inspection_appliance_is_unknown_but_later_failures_still_count() -> None:
    result = run(centralized_egress(firewall=True).build(), "api.stripe.com")
    assert result.verdict is Verdict.UNKNOWN
    assert result.blocking is not None and result.blocking.code == "APPLIANCE_POLICY_UNKNOWN"
    later = [h.resource for h in result.paths[0].hops if h.direction is Direction.REQUEST]
    assert "nat-e" in later and "igw-e" in later  # the trace went on past the appliance
    broken = centralized_egress(firewall=True, return_route=False).build()
    assert run(broken, "api.stripe.com").verdict is Verdict.UNREACHABLE


def test_a_reply_through_another_transit_gateway_is_legal() -> None:
    b = AccountBuilder()
    b.vpc("vpc-1", "10.0.0.0/16")
    b.subnet("subnet-fn", "vpc-1", "10.0.1.0/24", az=A)
    b.security_group("sg-fn", "vpc-1")
    b.function("fn", subnets=["subnet-fn"], security_groups=["sg-fn"])
    b.vpc("vpc-3", "10.3.0.0/16")
    b.subnet("subnet-svc", "vpc-3", "10.3.2.0/24", az=A)
    b.security_group("sg-svc", "vpc-3").ingress("10.0.0.0/16", port=443)
    b.eni("eni-svc", "subnet-svc", "10.3.2.10", security_groups=["sg-svc"])
    # The request goes over tgw-1, the reply over tgw-2.
    b.route_table("rtb-fn", "vpc-1", subnets=["subnet-fn"]).route("10.3.0.0/16", "tgw-1")
    b.route_table("rtb-svc", "vpc-3", subnets=["subnet-svc"]).route("10.0.0.0/16", "tgw-2")
    for tgw in ("tgw-1", "tgw-2"):
        b.transit_gateway(tgw)
        b.tgw_vpc_attachment(
            f"tgw-attach-{tgw}-1", tgw, "vpc-1", subnets=["subnet-fn"], route_table=f"tgw-rtb-{tgw}"
        )
        b.tgw_vpc_attachment(
            f"tgw-attach-{tgw}-3",
            tgw,
            "vpc-3",
            subnets=["subnet-svc"],
            route_table=f"tgw-rtb-{tgw}",
        )
    b.tgw_route_table("tgw-rtb-tgw-1", "tgw-1", [("10.3.0.0/16", "tgw-attach-tgw-1-3")])
    b.tgw_route_table("tgw-rtb-tgw-2", "tgw-2", [("10.0.0.0/16", "tgw-attach-tgw-2-1")])
    result = run(b.build(), "10.3.2.10")
    assert result.verdict is Verdict.REACHABLE, result.to_json()
    reply = {h.resource for h in result.paths[0].hops if h.direction is Direction.REPLY}
    assert "tgw-rtb-tgw-2" in reply and "tgw-rtb-tgw-1" not in reply


def test_a_stopped_instance_answers_nothing() -> None:
    b = AccountBuilder()
    b.vpc("vpc-1", "10.0.0.0/16")
    b.subnet("subnet-fn", "vpc-1", "10.0.1.0/24", az=A)
    b.subnet("subnet-db", "vpc-1", "10.0.2.0/24", az=A)
    b.route_table("rtb-1", "vpc-1", subnets=["subnet-fn", "subnet-db"])
    b.security_group("sg-fn", "vpc-1")
    b.security_group("sg-db", "vpc-1").ingress("sg-fn", port=5432)
    b.function("fn", subnets=["subnet-fn"], security_groups=["sg-fn"])
    b.instance("i-db", "subnet-db", "10.0.2.10", security_groups=["sg-db"], state="stopped")
    result = run(b.build(), "10.0.2.10:5432")
    assert blocking(result) == ("i-db", "BAD_STATE")
    assert "start-instances --instance-ids i-db" in fix_of(result)
    b.instance("i-db", "subnet-db", "10.0.2.10", security_groups=["sg-db"], state="running")
    assert run(b.build(), "10.0.2.10:5432").verdict is Verdict.REACHABLE


def test_removing_the_route_edge_to_the_nat_and_adding_it_back() -> None:
    from tests.support.builders import private_vpc_with_nat

    account = private_vpc_with_nat().build()
    graph = build_graph(account)
    assert diagnose.check(graph, "fn", "1.1.1.1").verdict is Verdict.REACHABLE
    edges = [
        (u, v, k, d)
        for u, v, k, d in graph.out_edges("rtb-priv", keys=True, data=True)
        if d.get("rel") == ROUTE and v == "nat-1"
    ]
    assert len(edges) == 1
    u, v, k, data = edges[0]
    graph.remove_edge(u, v, key=k)
    after = diagnose.check(graph, "fn", "1.1.1.1")
    assert after.verdict is Verdict.UNREACHABLE
    assert blocking(after) == ("rtb-priv", "NO_ROUTE_TO_DESTINATION")
    graph.add_edge(u, v, key=k, **data)
    assert diagnose.check(graph, "fn", "1.1.1.1").verdict is Verdict.REACHABLE


def test_removing_the_subnets_route_table_association_edge_makes_it_unknown() -> None:
    from tests.support.builders import private_vpc_with_nat

    graph = build_graph(private_vpc_with_nat().build())
    graph.remove_edge("subnet-priv-a", "rtb-priv", key="uses-route-table")
    result = diagnose.check(graph, "fn", "1.1.1.1")
    path = next(p for p in result.paths if p.subnet == "subnet-priv-a")
    assert path.verdict is Verdict.UNKNOWN
    assert any(
        h.status is HopStatus.UNKNOWN and "route table of subnet-priv-a" in h.detail
        for h in path.hops
    )
