"""The internet: where a request that left through an internet gateway goes, and where its
reply comes from (back through the same gateway, to the address it translated)."""

from __future__ import annotations

from vpcdoctor.graph.engine.hops.common import PASS, hop
from vpcdoctor.graph.engine.walk import At, Disposition, Stage, Step, Walk, handles
from vpcdoctor.graph.model.verdict import HopKind


@handles(HopKind.INTERNET)
def internet(w: Walk, at: At) -> Step:
    if w.packet.reply:
        gateway = w.exit_gateway
        if gateway is None:
            return Step(end=Disposition.UNKNOWN)
        return Step(then=(At(node=gateway, kind=w.net.kind(gateway), stage=Stage.ENTER),))
    w.reply_from = At(node=at.node, kind=HopKind.INTERNET, stage=Stage.ENTER)
    return Step(
        hops=(
            hop(
                w,
                at,
                PASS,
                "INTERNET",
                f"Leaves the VPC for {w.packet.dst.label}.",
                resource="internet",
                subnet=None,
            ),
        ),
        end=Disposition.EXITS_INTERNET,
    )
