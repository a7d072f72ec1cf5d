"""A subnet's route table (R1): the route that carries the packet, and the node it leads to.

The lookup (:func:`vpcdoctor.graph.engine.routing.lookup`) reads the table's routes from the
graph's ``route`` edges; the winner's edge names the next position (the VPC's local delivery, an
internet / NAT / transit gateway, a peering, an endpoint, an instance). On the way back
(``Direction.REPLY``) a missing route is a missing *return* route, said so with the way the
request came in (knowledge-facts §10: the reply is routed by the route table of the subnet it
starts in).
"""

from __future__ import annotations

from typing import Any

from vpcdoctor.graph.engine import fixes
from vpcdoctor.graph.engine.hops.common import FAIL, PASS, UNKNOWN, advice, hop, option
from vpcdoctor.graph.engine.network import RouteEdge
from vpcdoctor.graph.engine.routing import RouteDecision, lookup
from vpcdoctor.graph.engine.walk import At, Disposition, Stage, Step, Walk, handles
from vpcdoctor.graph.model import RouteState, RouteTable, RouteTargetType
from vpcdoctor.graph.model.addresses import is_internet
from vpcdoctor.graph.model.commands import Arg, aws
from vpcdoctor.graph.model.verdict import FixOption, HopKind, kind_for_id

_NEEDS_BY_TARGET = {
    RouteTargetType.INTERNET_GATEWAY: "describe-internet-gateways",
    RouteTargetType.EGRESS_ONLY_INTERNET_GATEWAY: "describe-egress-only-internet-gateways",
    RouteTargetType.NAT_GATEWAY: "describe-nat-gateways",
    RouteTargetType.INSTANCE: "describe-instances",
    RouteTargetType.NETWORK_INTERFACE: "describe-network-interfaces",
    RouteTargetType.VPC_PEERING: "describe-vpc-peering-connections",
    RouteTargetType.TRANSIT_GATEWAY: "describe-transit-gateways",
    RouteTargetType.VPC_ENDPOINT: "describe-vpc-endpoints",
}

_GATEWAY_OPTION = {
    HopKind.PEERING_CONNECTION: ("--vpc-peering-connection-id", "peering-connection"),
    HopKind.TRANSIT_GATEWAY_ATTACHMENT: ("--transit-gateway-id", "transit-gateway"),
    HopKind.TRANSIT_GATEWAY: ("--transit-gateway-id", "transit-gateway"),
    HopKind.VIRTUAL_PRIVATE_GATEWAY: ("--gateway-id", "virtual-private-gateway"),
    HopKind.INTERNET_GATEWAY: ("--gateway-id", "internet-gateway"),
}


def _assoc(w: Walk, subnet: str) -> str:
    return "" if w.net.route_table_is_explicit(subnet) else " (the VPC's main table)"


def _private(w: Walk) -> bool:
    dst = w.packet.dst
    return (
        not dst.any_public
        and bool(dst.nets)
        and not any(
            is_internet(n.network_address) and is_internet(n.broadcast_address) for n in dst.nets
        )
    )


def _return_fix(w: Walk, rtb: RouteTable) -> list[FixOption]:
    """Route the replies back the way the request came into this VPC."""
    vpc = rtb.vpc_id
    came = w.entries.get(vpc)
    origin = w.origin
    net = w.net
    cidr = w.packet.dst.cidr_text
    if origin is not None:
        sub = net.subnet(origin.subnet)
        home = net.vpc(sub.vpc_id) if sub else None
        if sub is not None and sub.cidr is not None:
            cidr = next(
                (str(c) for c in (home.cidrs if home else ()) if sub.cidr.subnet_of(c)),
                str(sub.cidr),
            )
    if came is None:
        return [advice(f"add a route in {rtb.id} for {cidr} back towards the function")]
    kind = net.kind(came)
    if kind is HopKind.TRANSIT_GATEWAY_ATTACHMENT:
        att = net.obj(came)
        came = getattr(att, "transit_gateway_id", came)
    opt = _GATEWAY_OPTION.get(kind)
    if opt is None:
        return [advice(f"add a route in {rtb.id} for {cidr} via {came}")]
    return [
        option(
            f"route the replies for {cidr} back via {came}",
            aws(
                "ec2",
                "create-route",
                "--route-table-id",
                Arg("route-table", rtb.id),
                "--destination-cidr-block",
                Arg("cidr", cidr),
                opt[0],
                Arg(opt[1], came),
            ),
        )
    ]


def _private_route_fix(w: Walk, rtb: RouteTable) -> list[FixOption]:
    """A private destination with no route: point it at a gateway the VPC has."""
    net = w.net
    cidr = w.packet.dst.cidr_text
    out: list[FixOption] = []
    for att_id in _tgw_attachments(w, rtb.vpc_id):
        att = net.obj(att_id)
        tgw = getattr(att, "transit_gateway_id", None)
        if tgw:
            out.append(
                option(
                    f"route {cidr} to the transit gateway {tgw} the VPC is attached to",
                    aws(
                        "ec2",
                        "create-route",
                        "--route-table-id",
                        Arg("route-table", rtb.id),
                        "--destination-cidr-block",
                        Arg("cidr", cidr),
                        "--transit-gateway-id",
                        Arg("transit-gateway", tgw),
                    ),
                )
            )
    out.append(
        advice(
            f"route {cidr} in {rtb.id} through whatever reaches it (a transit gateway, a VPN "
            "gateway or a peering connection)"
        )
    )
    return out


def _tgw_attachments(w: Walk, vpc_id: str) -> list[str]:
    return list(w.net.attachments_of_vpc(vpc_id))


def _none_fix(w: Walk, rtb: RouteTable, subnet: str, data: dict[str, Any]) -> list[FixOption]:
    if w.packet.reply:
        return _return_fix(w, rtb)
    given = data.get("fix_for_none")
    if given:
        return list(given() if callable(given) else given)
    sub = w.net.subnet(subnet)
    if _private(w):
        return _private_route_fix(w, rtb)
    if sub is None:
        return []
    return fixes.internet_fix(w, sub, rtb.id, replace_route=False)


@handles(HopKind.ROUTE_TABLE)
def route_table(w: Walk, at: At) -> Step:
    """ROUTE in the table ``at.node`` for the packet leaving ``at.subnet``."""
    net = w.net
    rtb = net.obj(at.node)
    subnet = at.subnet or ""
    data: dict[str, Any] = at.data or {}
    role = data.get("role", "")
    dst = w.packet.dst
    blame = data.get("blame")
    if not isinstance(rtb, RouteTable):
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    UNKNOWN,
                    "UNKNOWN_RESOURCE",
                    f"The route table {at.node} of {subnet} is not in the snapshot.",
                    needs=net.needs("describe-route-tables"),
                ),
            ),
            end=Disposition.UNKNOWN,
        )
    decision: RouteDecision = lookup(net, rtb, dst)
    assoc = _assoc(w, subnet)
    back = "the target's side" if w.packet.reply else role
    if decision.unknown_prefix_lists:
        pl = decision.unknown_prefix_lists[0]
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    UNKNOWN,
                    "PREFIX_LIST_ENTRIES_UNKNOWN",
                    f"{rtb.id}{assoc} has a route to prefix list {pl} whose entries are not in "
                    f"the snapshot; it may be more specific for {dst.label} than "
                    f"{decision.edge.route if decision.edge else 'any other route'}.",
                    evidence=[
                        (rtb.id, str(e.route))
                        for e in net.routes(rtb.id)
                        if e.route.prefix_list_id == pl
                    ],
                    needs=net.needs("get-managed-prefix-list-entries", pl),
                ),
            ),
            end=Disposition.UNKNOWN,
        )
    if decision.ambiguous:
        shown = ", ".join(str(e.route) for e in decision.ambiguous[:4])
        name = w.target.host if w.target else dst.label
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    UNKNOWN,
                    "ROUTE_DEPENDS_ON_ADDRESS",
                    f"{rtb.id}{assoc} routes part of the address space {dst.label} may be in "
                    f"elsewhere ({shown})"
                    + (f", the rest via {decision.edge.route}" if decision.edge else "")
                    + ": where the traffic goes depends on the exact address, which only DNS "
                    "knows.",
                    evidence=[(rtb.id, str(e.route)) for e in decision.ambiguous],
                    needs=f"vpcdoctor dns {name} --nameserver IP (from a host in the VPC), then "
                    "vpcdoctor check --target ADDRESS",
                ),
            ),
            end=Disposition.UNKNOWN,
        )
    edge = decision.edge
    if edge is None or (w.packet.reply and _cannot_return(w, edge)):
        fail_at = blame or (rtb.id, HopKind.ROUTE_TABLE)
        code = "NO_ROUTE_TO_DESTINATION"
        detail = f"{rtb.id}{assoc} of {subnet} has no route to {dst.label} ({back})."
        if w.packet.reply:
            came = w.entries.get(rtb.vpc_id)
            if came is not None and net.kind(came) is HopKind.TRANSIT_GATEWAY_ATTACHMENT:
                code = "RESPONSE_RTB_HAS_NO_ROUTE_TO_TRANSIT_GATEWAY"
            detail = (
                f"{rtb.id}{assoc} of {subnet} (the target's side) has no route back to "
                f"{dst.label}"
                + (f" via {came}" if came else "")
                + (f"; it uses {edge.route}" if edge else "")
                + ": the replies are lost."
            )
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    code,
                    detail,
                    resource=fail_at[0],
                    kind=fail_at[1],
                    evidence=[(rtb.id, str(e.route)) for e in net.routes(rtb.id)],
                    fixes=_none_fix(w, rtb, subnet, data),
                ),
            ),
            end=Disposition.NO_ROUTE,
        )
    route = edge.route
    beaten = ""
    if decision.runner_up is not None:
        beaten = f"; it wins over {decision.runner_up.edge.route} ({decision.reason})"
    if route.state is RouteState.BLACKHOLE:
        # The table holds the dead route: it is what to change, not the gateway that is gone.
        fail_at = (rtb.id, HopKind.ROUTE_TABLE)
        dest_arg = fixes.route_destination(route)
        sub = net.subnet(subnet)
        if kind_for_id(route.target_id) is not HopKind.NAT_GATEWAY and _private(w):
            options = [
                option(
                    f"delete the dead route, then route {dst.label} to a live target",
                    aws(
                        "ec2",
                        "delete-route",
                        "--route-table-id",
                        Arg("route-table", rtb.id),
                        dest_arg,
                    ),
                )
            ]
        elif sub is not None:
            options = fixes.internet_fix(w, sub, rtb.id, replace_route=True, route=route)
        else:
            options = []
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "BAD_STATE_ROUTE",
                    f"{rtb.id}{assoc}: the route {route} is a blackhole (its target "
                    f"{route.target_id} no longer exists or is detached){beaten}.",
                    resource=fail_at[0],
                    kind=fail_at[1],
                    evidence=[(rtb.id, str(route))],
                    fixes=options,
                ),
            ),
            end=Disposition.NULL_ROUTED,
        )
    h = hop(
        w,
        at,
        PASS,
        decision.reason if beaten else "ROUTE",
        f"{rtb.id}{assoc} of {subnet} sends {dst.label} via {route}{beaten}.",
        evidence=[(rtb.id, str(route))],
    )
    nxt = _next(w, at, edge)
    if nxt is None:
        missing = hop(
            w,
            at,
            UNKNOWN,
            "UNKNOWN_RESOURCE",
            f"The route {route} points at {route.target_id}, which is not in the snapshot.",
            resource=route.target_id,
            kind=kind_for_id(route.target_id),
            needs=net.needs(_NEEDS_BY_TARGET.get(route.target_type, "describe-route-tables")),
        )
        return Step(hops=(h, missing), end=Disposition.UNKNOWN)
    return Step(hops=(h,), then=(nxt,))


def _cannot_return(w: Walk, edge: RouteEdge) -> bool:
    """A reply to a private address routed to the internet (or a NAT) never gets back."""
    return edge.route.target_type in (
        RouteTargetType.INTERNET_GATEWAY,
        RouteTargetType.EGRESS_ONLY_INTERNET_GATEWAY,
        RouteTargetType.NAT_GATEWAY,
    ) and _private(w)


def _next(w: Walk, at: At, edge: RouteEdge) -> At | None:
    """The position the winning route leads to (None: its target is not in the snapshot)."""
    route = edge.route
    data = {"route": edge, **{k: v for k, v in (at.data or {}).items() if k in ("role", "blame")}}
    if route.target_type is RouteTargetType.LOCAL:
        return At(
            node=edge.target,
            kind=HopKind.VPC,
            stage=Stage.ENTER,
            subnet=at.subnet,
            data={"from": at.subnet, **data},
        )
    if (
        edge.obj is None
        and route.target_type in _NEEDS_BY_TARGET
        and route.target_type is not RouteTargetType.TRANSIT_GATEWAY
    ):
        return None
    return At(
        node=edge.target,
        kind=w.net.kind(edge.target),
        stage=Stage.ENTER,
        subnet=at.subnet,
        data=data,
    )
