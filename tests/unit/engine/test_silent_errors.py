"""Issue 12, items 13–18: each a "reachable" (or an "unreachable") AWS would not deliver.

Accounts are built in code to the shape the cited AWS pages describe; the expected verdicts
come from those pages. Route sets and rule sets that split the address space are drawn by
hypothesis: a name whose address only DNS knows is never "reachable" when part of the space it
may be in goes somewhere that cannot deliver it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.builders import private_vpc_with_nat
from tests.support.engine import blocking, run
from vpcdoctor.graph.engine.endpoint import touches_public
from vpcdoctor.graph.model import RouteState
from vpcdoctor.graph.model.verdict import HopStatus, Verdict

# ---- 13: a route in state "filtered" is not used for forwarding (API_Route.html) ------------


def test_filtered_route_is_not_used() -> None:
    b = private_vpc_with_nat()
    b.route_tables["rtb-priv"].routes.pop()  # no default route to the NAT
    b.route_tables["rtb-priv"].route("0.0.0.0/0", "nat-1")
    account = b.build()
    rtb = account.route_tables["rtb-priv"]
    routes = tuple(
        replace(r, state=RouteState.FILTERED) if str(r.destination) == "0.0.0.0/0" else r
        for r in rtb.routes
    )
    filtered = b.build()
    object.__setattr__(filtered.route_tables["rtb-priv"], "routes", routes)
    result = run(filtered, "1.1.1.1")
    assert result.verdict is Verdict.UNREACHABLE
    assert blocking(result) == ("rtb-priv", "NO_ROUTE_TO_DESTINATION")
    assert run(account, "1.1.1.1").verdict is Verdict.REACHABLE


# ---- 14: a host-name target and routes more specific than /0 ---------------------------------


def _with_routes(routes: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    b = private_vpc_with_nat()
    for cidr, target in routes:
        state = "blackhole" if target.startswith("nat-gone") else "active"
        b.route_tables["rtb-priv"].route(cidr, target, state=state)
    return b.build()


def test_halves_to_blackholes_are_not_reachable_for_a_name() -> None:
    account = _with_routes([("0.0.0.0/1", "nat-gone1"), ("128.0.0.0/1", "nat-gone2")])
    result = run(account, "api.stripe.com")
    assert result.verdict is Verdict.UNKNOWN
    assert result.blocking is not None and result.blocking.code == "ROUTE_DEPENDS_ON_ADDRESS"
    assert "0.0.0.0/1" in result.blocking.detail and "vpcdoctor dns" in (
        result.blocking.needs or ""
    )
    # the same routes with an address are judged exactly
    assert run(account, "1.1.1.1").verdict is Verdict.UNREACHABLE


def test_one_half_to_a_missing_tgw_is_not_reachable_for_a_name() -> None:
    account = _with_routes([("128.0.0.0/1", "tgw-missing")])
    assert run(account, "api.stripe.com").verdict is Verdict.UNKNOWN
    assert run(account, "1.1.1.1").verdict is Verdict.REACHABLE


def test_routes_to_private_ranges_do_not_matter_for_a_name() -> None:
    account = _with_routes([("10.0.0.0/8", "nat-gone1"), ("192.168.0.0/16", "tgw-missing")])
    assert run(account, "api.stripe.com").verdict is Verdict.REACHABLE


_PREFIXES = st.integers(min_value=1, max_value=8)


@st.composite
def _partition(draw: st.DrawFn) -> list[tuple[str, str]]:
    """A few routes for pieces of the IPv4 space, each to the NAT or to a dead target."""
    n = draw(st.integers(min_value=1, max_value=4))
    routes = []
    for _ in range(n):
        length = draw(_PREFIXES)
        first = draw(st.integers(min_value=0, max_value=(1 << length) - 1))
        net = ipaddress.IPv4Network((first << (32 - length), length))
        routes.append((str(net), draw(st.sampled_from(["nat-1", "nat-gone1", "tgw-missing"]))))
    return routes


@settings(max_examples=40, deadline=None)
@given(_partition())
def test_a_name_is_reachable_only_if_every_public_address_would_be(
    routes: list[tuple[str, str]],
) -> None:
    account = _with_routes(routes)
    verdict = run(account, "api.stripe.com").verdict
    # Routes that hold at least one public address and do not lead to the working NAT.
    dead = [c for c, t in routes if t != "nat-1" and touches_public(ipaddress.ip_network(c))]
    if dead:
        assert verdict is not Verdict.REACHABLE, dead
    else:
        assert verdict is Verdict.REACHABLE, routes


# ---- 15 and 16: the function's own ENI ---------------------------------------------------------


def test_eni_available_is_not_in_use() -> None:
    b = private_vpc_with_nat()
    account = b.build()
    for eni_id, eni in list(b.resources["network_interfaces"].items()):
        if eni.is_lambda:
            b.resources["network_interfaces"][eni_id] = replace(eni, status="available")
    result = run(b.build(), "internet")
    assert result.verdict is Verdict.UNREACHABLE
    assert result.blocking is not None and result.blocking.code == "LAMBDA_ENI_NOT_IN_USE"
    assert run(account, "internet").verdict is Verdict.REACHABLE


def test_eni_missing_from_a_complete_export_is_not_reachable() -> None:
    b = private_vpc_with_nat()
    lambda_enis = [k for k, e in b.resources["network_interfaces"].items() if e.is_lambda]
    for key in lambda_enis:
        del b.resources["network_interfaces"][key]
    result = run(b.build(), "internet")
    assert result.verdict is Verdict.UNKNOWN
    assert result.blocking is not None and result.blocking.code == "LAMBDA_ENI_MISSING"
    assert "describe-network-interfaces" in (result.blocking.needs or "")


# ---- 17: multicast is never routed to the internet --------------------------------------------


def test_multicast_is_not_reachable_through_nat_and_igw() -> None:
    result = run(private_vpc_with_nat().build(), "224.0.0.251:5353")
    assert result.verdict is Verdict.UNREACHABLE
    assert result.blocking is not None and result.blocking.code == "CANNOT_ROUTE"
    assert "multicast" in result.blocking.detail


def test_shared_address_space_is_not_the_internet() -> None:
    # 100.64.0.0/10 (RFC 6598): parsed as private, never sent to the internet by the NAT.
    result = run(private_vpc_with_nat().build(), "100.64.0.5:443")
    assert result.verdict is Verdict.UNREACHABLE
    assert "shared address space" in (result.blocking.detail if result.blocking else "")


# ---- 18: SG egress 0.0.0.0/1 + 128.0.0.0/1 allows all of IPv4 ---------------------------------


def test_two_halves_of_egress_allow_a_name() -> None:
    b = private_vpc_with_nat()
    b.sgs["sg-fn"].no_egress().egress("0.0.0.0/1", port=443).egress("128.0.0.0/1", port=443)
    result = run(b.build(), "api.stripe.com")
    assert result.verdict is Verdict.REACHABLE
    sg = next(h for h in result.paths[0].hops if h.kind == "security-group")
    assert sg.status is HopStatus.PASS and "0.0.0.0/1" in sg.detail and "128.0.0.0/1" in sg.detail


def test_one_half_of_egress_is_unknown_for_a_name_and_exact_for_an_address() -> None:
    b = private_vpc_with_nat()
    b.sgs["sg-fn"].no_egress().egress("0.0.0.0/1", port=443)
    account = b.build()
    assert run(account, "api.stripe.com").verdict is Verdict.UNKNOWN
    assert run(account, "1.1.1.1").verdict is Verdict.REACHABLE
    assert blocking(run(account, "200.1.1.1")) == ("sg-fn", "ENI_SG_RULES_MISMATCH")
