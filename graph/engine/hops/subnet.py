"""A subnet: where a packet leaves (its ACL out, then its route table) or arrives (its ACL in).

LEAVE: a packet for an address of the same subnet is delivered there without crossing the
subnet's network ACL; anything else passes the ACL's outbound rules, then the subnet's route
table (explicitly associated, else the VPC's main table: an edge of the graph) decides.
ROUTE: the route table of the subnet. ARRIVE: a packet that crossed into the subnet passes the
ACL's inbound rules, then reaches whatever receives it.
"""

from __future__ import annotations

from vpcdoctor.graph.engine.hops.common import UNKNOWN, hop
from vpcdoctor.graph.engine.walk import At, Disposition, Stage, Step, Walk, handles
from vpcdoctor.graph.model.verdict import HopKind


def _acl_at(w: Walk, subnet: str, stage: Stage, role: str) -> At:
    acl = w.net.nacl_of(subnet)
    return At(
        node=acl.id if acl else subnet,
        kind=HopKind.NETWORK_ACL,
        stage=stage,
        subnet=subnet,
        data={"role": role},
    )


@handles(HopKind.SUBNET)
def subnet(w: Walk, at: At) -> Step:
    net = w.net
    data = at.data or {}
    subnet_id = at.node
    if at.stage is Stage.LEAVE:
        sub = net.subnet(subnet_id)
        dst = w.packet.dst
        nets = ((sub.cidr,) if sub and sub.cidr else ()) + (sub.ipv6_cidrs if sub else ())
        same = bool(nets) and not dst.any_public and any(dst.in_cidr(n) is True for n in nets)
        vpc = net.vpc_of(subnet_id)
        if same and vpc is not None:
            return Step(
                then=(
                    At(
                        node=vpc,
                        kind=HopKind.VPC,
                        stage=Stage.ENTER,
                        subnet=subnet_id,
                        data={"from": subnet_id, "role": data.get("role", "")},
                    ),
                )
            )
        return Step(
            then=(
                _acl_at(w, subnet_id, Stage.OUT, data.get("role", "")),
                At(
                    node=subnet_id,
                    kind=HopKind.SUBNET,
                    stage=Stage.ROUTE,
                    subnet=subnet_id,
                    data=data,
                ),
            )
        )
    if at.stage is Stage.ROUTE:
        rtb = net.route_table_of(subnet_id)
        if rtb is None:
            return Step(
                hops=(
                    hop(
                        w,
                        at,
                        UNKNOWN,
                        "UNKNOWN_RESOURCE",
                        f"The route table of {subnet_id} is not in the snapshot.",
                        resource=subnet_id,
                        kind=HopKind.ROUTE_TABLE,
                        needs=net.needs("describe-route-tables"),
                    ),
                ),
                end=Disposition.UNKNOWN,
            )
        return Step(
            then=(
                At(
                    node=rtb.id,
                    kind=HopKind.ROUTE_TABLE,
                    stage=Stage.ROUTE,
                    subnet=subnet_id,
                    data=data,
                ),
            )
        )
    if at.stage is Stage.ARRIVE:
        receiver: At = data["receiver"]
        if data.get("crossing"):
            return Step(then=(_acl_at(w, subnet_id, Stage.IN, data.get("role", "")), receiver))
        return Step(then=(receiver,))
    return Step(
        hops=(
            hop(
                w,
                at,
                UNKNOWN,
                "UNSUPPORTED_COMPONENT",
                f"{subnet_id}: the path reached it in a way vpcdoctor does not model.",
            ),
        ),
        end=Disposition.UNKNOWN,
    )
