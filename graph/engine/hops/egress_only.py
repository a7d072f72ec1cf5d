"""An egress-only internet gateway (R5): outbound IPv6 only, and the replies to it."""

from __future__ import annotations

from vpcdoctor.graph.engine.hops.common import FAIL, PASS, hop, not_in_snapshot
from vpcdoctor.graph.engine.hops.internet_gateway import block_public_access
from vpcdoctor.graph.engine.walk import At, Disposition, Stage, Step, Walk, handles
from vpcdoctor.graph.model import EgressOnlyInternetGateway
from vpcdoctor.graph.model.verdict import HopKind


@handles(HopKind.EGRESS_ONLY_INTERNET_GATEWAY)
def egress_only_internet_gateway(w: Walk, at: At) -> Step:
    net = w.net
    eigw = net.obj(at.node)
    if not isinstance(eigw, EgressOnlyInternetGateway):
        return not_in_snapshot(w, at, "describe-egress-only-internet-gateways")
    if w.packet.reply:
        return Step(
            then=(
                At(node=w.exit_vpc or "", kind=HopKind.VPC, stage=Stage.ENTER, data={"from": None}),
            )
        )
    vpc_id = net.vpc_of(at.subnet) if at.subnet else None
    if w.packet.dst.version != 6:
        return Step(
            hops=(hop(w, at, FAIL, "CANNOT_ROUTE", f"{eigw.id} carries IPv6 only."),),
            end=Disposition.NO_ROUTE,
        )
    if vpc_id is None or not net.attached(eigw.id, vpc_id):
        return Step(
            hops=(
                hop(w, at, FAIL, "BAD_STATE_ATTACHMENT", f"{eigw.id} is not attached to {vpc_id}."),
            ),
            end=Disposition.DENIED,
        )
    blocked = block_public_access(w, at, vpc_id, ingress_only_ok=True)
    if blocked is not None:
        return blocked
    w.exit_gateway, w.exit_vpc = eigw.id, vpc_id
    return Step(
        hops=(
            hop(
                w,
                at,
                PASS,
                "EIGW_IPV6_EGRESS",
                f"{eigw.id} carries outbound IPv6 to {w.packet.dst.label}.",
                evidence=[(eigw.id, "attached")],
            ),
        ),
        then=(At(node="internet", kind=HopKind.INTERNET, stage=Stage.ENTER, subnet=at.subnet),),
    )
