"""A transit gateway route table: routes what entered through the attachments associated with it.

Longest prefix wins; for the same prefix a static route (blackhole included) beats a propagated
one (tgw-route-tables.html). Routes come from ``search-transit-gateway-routes`` or, when that
was not exported, from the attachments' propagations and the static routes (the graph's
``tgw-route`` edges either way). A destination that stands for several addresses and that
routes of different targets split is unknown, as in a VPC route table.
"""

from __future__ import annotations

from vpcdoctor.graph.engine.hops.common import FAIL, PASS, UNKNOWN, hop, option
from vpcdoctor.graph.engine.network import TgwRouteEdge
from vpcdoctor.graph.engine.walk import At, Disposition, Stage, Step, Walk, handles
from vpcdoctor.graph.model import TransitGatewayAttachment
from vpcdoctor.graph.model.commands import Arg, aws
from vpcdoctor.graph.model.verdict import HopKind


def _pick(
    w: Walk, routes: tuple[TgwRouteEdge, ...]
) -> tuple[TgwRouteEdge | None, list[TgwRouteEdge]]:
    """(the winning route, routes that hold part of the destination and lead elsewhere)."""
    dst = w.packet.dst
    best: TgwRouteEdge | None = None
    best_rank: tuple[int, bool] = (-1, False)
    partial: list[TgwRouteEdge] = []
    for r in routes:
        d = r.route.destination
        if d is None or d.version != dst.version:
            continue
        m = dst.in_cidr(d)
        if m is True:
            rank = (d.prefixlen, r.route.route_type == "static")
            if best is None or rank > best_rank:
                best, best_rank = r, rank
        elif m is None:
            partial.append(r)
    ambiguous = [
        r
        for r in partial
        if best is None
        or (
            r.route.destination is not None
            and best.route.destination is not None
            and r.route.destination.prefixlen > best.route.destination.prefixlen
            and r.attachments != best.attachments
        )
    ]
    return best, ambiguous


def _text(r: TgwRouteEdge) -> str:
    return (
        f"{r.route.destination} → {','.join(r.attachments) or r.route.state} ({r.route.route_type})"
    )


@handles(HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)
def tgw_route_table(w: Walk, at: At) -> Step:
    net = w.net
    data = at.data or {}
    entered = data.get("entered")
    routes = net.tgw_routes(at.node)
    dst = w.packet.dst
    if routes is None:
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    UNKNOWN,
                    "UNKNOWN_RESOURCE",
                    f"The routes of {at.node} (the table associated with {entered}) are not in the "
                    "snapshot.",
                    needs=net.needs("search-transit-gateway-routes", at.node),
                ),
            ),
            end=Disposition.UNKNOWN,
        )
    best, ambiguous = _pick(w, routes)
    evidence = [(at.node, _text(r)) for r in routes[:20]]
    if ambiguous:
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    UNKNOWN,
                    "ROUTE_DEPENDS_ON_ADDRESS",
                    f"{at.node} routes part of the addresses {dst.label} may have elsewhere "
                    f"({', '.join(_text(r) for r in ambiguous[:3])}): the exact address decides.",
                    evidence=evidence,
                    needs="the exact address (vpcdoctor dns NAME --nameserver IP), then check it",
                ),
            ),
            end=Disposition.UNKNOWN,
        )
    if best is None or best.route.state == "blackhole" or not best.attachments:
        what = "no route" if best is None else "a blackhole route"
        back = " the replies do not get back." if w.packet.reply else ""
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "TGW_RTB_CANNOT_ROUTE",
                    f"{at.node} (associated with {entered}) has {what} for {dst.label}.{back}",
                    evidence=evidence,
                    fixes=_fixes(w, at.node, best),
                ),
            ),
            end=Disposition.NO_ROUTE if best is None else Disposition.NULL_ROUTED,
        )
    nxt = best.attachments[0]
    derived = " (derived from the attachment's propagation)" if best.derived else ""
    return Step(
        hops=(
            hop(
                w,
                at,
                PASS,
                "TGW_ROUTE",
                f"{at.node} sends {dst.label} to {nxt} ({best.route.destination}, "
                f"{best.route.route_type}{derived}).",
                evidence=[(at.node, _text(best))],
            ),
        ),
        then=(
            At(
                node=nxt,
                kind=HopKind.TRANSIT_GATEWAY_ATTACHMENT,
                stage=Stage.EXIT,
                subnet=at.subnet,
                data={"az": data.get("az"), "table": at.node},
            ),
        ),
    )


def _fixes(w: Walk, table: str, best: TgwRouteEdge | None) -> list:  # type: ignore[type-arg]
    """Route the destination to the attachment of the VPC that holds it, when one is known."""
    net = w.net
    dst = w.packet.dst
    target: str | None = None
    cidr = dst.cidr_text
    for vpc_id in _vpcs_holding(w):
        for node, keyed in (net.graph.pred.get(vpc_id) or {}).items():
            att = net.obj(node)
            if isinstance(att, TransitGatewayAttachment) and any(
                d.get("rel") == "attaches-to" for d in keyed.values()
            ):
                target = att.id
                vpc = net.vpc(vpc_id)
                if vpc is not None and dst.ip is not None:
                    cidr = next((str(c) for c in vpc.cidrs + vpc.ipv6_cidrs if dst.ip in c), cidr)
                break
        if target:
            break
    verb = "replace-transit-gateway-route" if best is not None else "create-transit-gateway-route"
    return [
        option(
            f"route {cidr} in {table} to {target or 'the attachment that leads there'}",
            aws(
                "ec2",
                verb,
                "--transit-gateway-route-table-id",
                Arg("transit-gateway-route-table", table),
                "--destination-cidr-block",
                Arg("cidr", cidr),
                "--transit-gateway-attachment-id",
                Arg("transit-gateway-attachment", target)
                if target
                else "<transit-gateway-attachment>",
            ),
        )
    ]


def _vpcs_holding(w: Walk) -> list[str]:
    ip = w.packet.dst.ip
    if ip is None:
        return []
    return sorted({e.vpc_id for e in w.net.enis_with(ip)}) or [
        n
        for n, d in w.net.graph.nodes(data="obj")
        if w.net.kind(n) is HopKind.VPC and getattr(d, "contains", None) and d.contains(ip)
    ]
