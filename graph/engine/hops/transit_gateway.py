"""A transit gateway as a route's target: the attachment that joins the sender's VPC to it.

Routing inside the transit gateway is the attachments' and route tables' business
(:mod:`.tgw_attachment`, :mod:`.tgw_route_table`); this handler finds, through the graph's
``attaches-to`` edges, the attachment of (this transit gateway, the sender's VPC).
"""

from __future__ import annotations

from vpcdoctor.graph.engine.hops.common import FAIL, UNKNOWN, hop, option
from vpcdoctor.graph.engine.walk import At, Disposition, Stage, Step, Walk, handles
from vpcdoctor.graph.model.commands import Arg, aws
from vpcdoctor.graph.model.verdict import HopKind


@handles(HopKind.TRANSIT_GATEWAY)
def transit_gateway(w: Walk, at: At) -> Step:
    net = w.net
    vpc_id = net.vpc_of(at.subnet) if at.subnet else None
    route = (at.data or {}).get("route")
    if (
        not net.has("describe-transit-gateway-attachments")
        and not net.account.transit_gateway_attachments
    ):
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    UNKNOWN,
                    "UNKNOWN_RESOURCE",
                    f"The route {route.route if route else ''} leads to {at.node}; its attachments "
                    "are not in the snapshot.",
                    needs=net.needs("describe-transit-gateway-attachments"),
                ),
            ),
            end=Disposition.UNKNOWN,
        )
    att = net.tgw_attachment(at.node, vpc_id or "")
    if att is None:
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "UNASSOCIATED_COMPONENT",
                    f"{at.node} has no attachment to {vpc_id}.",
                    fixes=[
                        option(
                            f"attach {vpc_id} to {at.node} (one subnet per AZ)",
                            aws(
                                "ec2",
                                "create-transit-gateway-vpc-attachment",
                                "--transit-gateway-id",
                                Arg("transit-gateway", at.node),
                                "--vpc-id",
                                Arg("vpc", vpc_id or ""),
                                "--subnet-ids",
                                *_one_per_az(w, vpc_id or ""),
                            ),
                        )
                    ],
                ),
            ),
            end=Disposition.NO_ROUTE,
        )
    return Step(
        then=(
            At(
                node=att.id,
                kind=HopKind.TRANSIT_GATEWAY_ATTACHMENT,
                stage=Stage.ENTER,
                subnet=at.subnet,
                data={"tgw": at.node},
            ),
        )
    )


def _one_per_az(w: Walk, vpc_id: str) -> list[Arg]:
    chosen: dict[str, str] = {}
    for s in sorted(w.net.subnets_in(vpc_id), key=lambda s: s.id):
        chosen.setdefault(s.az, s.id)
    return [Arg("subnet", s) for _, s in sorted(chosen.items())] or [Arg("subnet", "<subnet>")]
