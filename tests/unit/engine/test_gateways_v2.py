"""VPN tunnels, TGW routes derived from propagations, VPC Block Public Access, the IPv6 `*`
rule, and a transit gateway peering — each against the AWS page that says how it behaves.

- monitoring-vpn-health.html: a VGW route carries traffic only while a tunnel is UP.
- tgw-route-tables.html: propagation installs an attachment's CIDRs; static beats propagated.
- API_BlockPublicAccessStates.html: block-bidirectional drops all IGW traffic (NAT's too);
  block-ingress only inbound (a NAT gateway's replies still come back); exclusions exempt.
- nacl-rules.html: AWS prints the IPv6 `*` rule as 32768.
"""

from __future__ import annotations

from dataclasses import replace

from tests.support.builders import REGION, AccountBuilder, private_vpc_with_nat
from tests.support.engine import blocking, run
from vpcdoctor.graph.model import NetworkAclEntry, RuleAction
from vpcdoctor.graph.model.verdict import Verdict

A = f"{REGION}a"


def _onprem(tunnels: tuple[str, ...] | None, *, vpn: bool = True) -> AccountBuilder:
    b = private_vpc_with_nat()
    b.vpn_gateway("vgw-1", "vpc-1")
    if vpn:
        b.vpn_connection("vpn-1", vgw="vgw-1", tunnels=tunnels)
    b.route_tables["rtb-priv"].route("192.168.0.0/16", "vgw-1", origin="EnableVgwRoutePropagation")
    b.present = None
    return b


def test_vpn_tunnels_all_down_is_unreachable() -> None:
    result = run(_onprem(("DOWN", "DOWN")).build(), "192.168.1.10:636")
    assert result.verdict is Verdict.UNREACHABLE
    assert blocking(result) == ("vgw-1", "VPN_TUNNELS_DOWN")
    assert "describe-vpn-connections --vpn-connection-ids vpn-1" in (result.blocking.fix or "")  # type: ignore[union-attr]


def test_vpn_tunnel_up_hands_off_to_on_premises() -> None:
    result = run(_onprem(("UP", "DOWN")).build(), "192.168.1.10:636")
    assert result.verdict is Verdict.UNKNOWN
    assert result.blocking is not None and result.blocking.code == "ON_PREMISES_BEYOND_SNAPSHOT"


def test_vpn_tunnel_state_not_exported_is_unknown() -> None:
    result = run(_onprem(None).build(), "192.168.1.10:636")
    assert result.blocking is not None and result.blocking.code == "VPN_TUNNEL_STATE_UNKNOWN"


def test_a_detached_vpn_gateway_carries_nothing() -> None:
    b = _onprem(("UP", "UP"))
    b.resources["vpn_gateways"]["vgw-1"] = replace(
        b.resources["vpn_gateways"]["vgw-1"], attachments=()
    )
    assert blocking(run(b.build(), "192.168.1.10:636")) == ("vgw-1", "BAD_STATE_ATTACHMENT")


# ---- TGW route tables derived from propagations and static routes -----------------------------


def _tgw(*, routes_known: bool, static: list[tuple[str, str]] | None) -> AccountBuilder:
    b = private_vpc_with_nat(two_azs=False)
    b.vpc("vpc-3", "10.3.0.0/16")
    b.subnet("subnet-svc", "vpc-3", "10.3.2.0/24", az=A)
    b.security_group("sg-svc", "vpc-3").ingress("10.0.0.0/16", port=443)
    b.eni("eni-svc", "subnet-svc", "10.3.2.10", security_groups=["sg-svc"])
    b.transit_gateway("tgw-1")
    b.tgw_vpc_attachment(
        "tgw-attach-1", "tgw-1", "vpc-1", subnets=["subnet-priv-a"], route_table="tgw-rtb-1"
    )
    b.tgw_vpc_attachment(
        "tgw-attach-3", "tgw-1", "vpc-3", subnets=["subnet-svc"], route_table="tgw-rtb-1"
    )
    b.tgw_route_table(
        "tgw-rtb-1",
        "tgw-1",
        [("10.3.0.0/16", "tgw-attach-3"), ("10.0.0.0/16", "tgw-attach-1")]
        if routes_known
        else None,
    )
    if not routes_known:
        for att, vpc in (("tgw-attach-1", "vpc-1"), ("tgw-attach-3", "vpc-3")):
            b.tgw_propagation("tgw-rtb-1", att, resource_id=vpc)
        rtb = b.resources["transit_gateway_route_tables"]["tgw-rtb-1"]
        if static is not None:
            from tests.support.builders import net
            from vpcdoctor.graph.model import TransitGatewayRoute

            b.resources["transit_gateway_route_tables"]["tgw-rtb-1"] = replace(
                rtb,
                static_routes=tuple(
                    TransitGatewayRoute(
                        destination=net(c),
                        attachment_ids=() if a == "blackhole" else (a,),
                        state="blackhole" if a == "blackhole" else "active",
                    )
                    for c, a in static
                ),
            )
    b.route_tables["rtb-priv"].route("10.3.0.0/16", "tgw-1")
    b.route_table("rtb-svc", "vpc-3", subnets=["subnet-svc"]).route("10.0.0.0/16", "tgw-1")
    b.present = None
    return b


def test_routes_derived_from_propagations_when_search_was_not_exported() -> None:
    result = run(_tgw(routes_known=False, static=[]).build(), "10.3.2.10")
    assert result.verdict is Verdict.REACHABLE, result.to_json()
    tgw_hops = [h for h in result.paths[0].hops if h.code == "TGW_ROUTE"]
    assert tgw_hops and all("propagation" in h.detail for h in tgw_hops)


def test_a_static_blackhole_beats_the_propagated_route() -> None:
    result = run(
        _tgw(routes_known=False, static=[("10.3.0.0/16", "blackhole")]).build(), "10.3.2.10"
    )
    assert blocking(result) == ("tgw-rtb-1", "TGW_RTB_CANNOT_ROUTE")


def test_propagations_without_the_static_routes_stay_unknown() -> None:
    result = run(_tgw(routes_known=False, static=None).build(), "10.3.2.10")
    assert result.verdict is Verdict.UNKNOWN
    assert result.blocking is not None and "search-transit-gateway-routes" in (
        result.blocking.needs or ""
    )


# ---- VPC Block Public Access -------------------------------------------------------------------


def test_block_bidirectional_drops_nat_traffic() -> None:
    b = private_vpc_with_nat()
    b.block_public_access("block-bidirectional")
    result = run(b.build(), "api.stripe.com")
    assert result.verdict is Verdict.UNREACHABLE
    assert result.blocking is not None and result.blocking.code == "VPC_BLOCK_PUBLIC_ACCESS_ENABLED"


def test_block_ingress_lets_nat_replies_back() -> None:
    b = private_vpc_with_nat()
    b.block_public_access("block-ingress")
    assert run(b.build(), "api.stripe.com").verdict is Verdict.REACHABLE


def test_an_exclusion_exempts_the_vpc() -> None:
    b = private_vpc_with_nat()
    b.block_public_access("block-bidirectional")
    b.bpa_exclusion("exclusion-1", "vpc-1", "allow-bidirectional")
    assert run(b.build(), "api.stripe.com").verdict is Verdict.REACHABLE


def _eip_trick(mode: str) -> AccountBuilder:
    """A function in a public subnet with an Elastic IP on its ENI: its replies come in
    through the internet gateway to the ENI itself, not to a NAT gateway."""
    b = AccountBuilder()
    b.vpc("vpc-1", "10.0.0.0/16")
    b.subnet("subnet-pub-a", "vpc-1", "10.0.0.0/24", az=A)
    b.internet_gateway("igw-1", "vpc-1")
    b.route_table("rtb-pub", "vpc-1", subnets=["subnet-pub-a"]).route("0.0.0.0/0", "igw-1")
    b.security_group("sg-fn", "vpc-1")
    b.function("fn", subnets=["subnet-pub-a"], security_groups=["sg-fn"])
    eni = next(k for k, e in b.resources["network_interfaces"].items() if e.is_lambda)
    b.elastic_ip("eipalloc-1", "203.0.113.9", eni_id=eni)
    if mode != "none":
        b.block_public_access(mode)
    return b


def test_block_public_access_in_each_mode() -> None:
    assert run(_eip_trick("none").build(), "api.stripe.com").verdict is Verdict.REACHABLE
    assert run(_eip_trick("off").build(), "api.stripe.com").verdict is Verdict.REACHABLE
    # block-ingress: only NAT gateways' (and egress-only gateways') connections get through
    ingress = run(_eip_trick("block-ingress").build(), "api.stripe.com")
    assert (
        ingress.blocking is not None and ingress.blocking.code == "VPC_BLOCK_PUBLIC_ACCESS_ENABLED"
    )
    both = run(_eip_trick("block-bidirectional").build(), "api.stripe.com")
    assert both.blocking is not None and both.blocking.code == "VPC_BLOCK_PUBLIC_ACCESS_ENABLED"


def test_block_public_access_exclusions_of_a_vpc_or_a_subnet() -> None:
    for mode in ("block-ingress", "block-bidirectional"):
        for resource in ("vpc-1", "subnet-pub-a"):
            for exclusion in ("allow-egress", "allow-bidirectional"):
                b = _eip_trick(mode)
                b.bpa_exclusion("exclusion-1", resource, exclusion)
                assert run(b.build(), "api.stripe.com").verdict is Verdict.REACHABLE, (
                    mode,
                    resource,
                    exclusion,
                )
    # an exclusion that is not active yet does not count
    b = _eip_trick("block-bidirectional")
    b.bpa_exclusion("exclusion-1", "vpc-1", "allow-bidirectional", state="create-in-progress")
    assert run(b.build(), "api.stripe.com").verdict is Verdict.UNREACHABLE


# ---- The IPv6 `*` rule (32768) of a dual-stack VPC ---------------------------------------------


def test_the_ipv6_default_deny_does_not_touch_ipv4() -> None:
    import ipaddress

    b = private_vpc_with_nat()
    acl = b.network_acl(
        "acl-dual", "vpc-1", subnets=["subnet-priv-a", "subnet-priv-c", "subnet-pub-a"]
    )
    acl.inbound(100, "allow", "0.0.0.0/0").outbound(100, "allow", "0.0.0.0/0")
    for egress in (True, False):
        acl.entries.append(
            NetworkAclEntry(
                rule_number=32768,
                egress=egress,
                protocol="-1",
                action=RuleAction.DENY,
                cidr=ipaddress.IPv6Network("::/0"),
            )
        )
    assert run(b.build(), "api.stripe.com").verdict is Verdict.REACHABLE
