"""A network interface receives a packet: its security groups, then whatever owns it.

The owner is the node with a ``has-eni`` (an instance, an endpoint, a NAT gateway, a database, a
load balancer) or ``uses-eni`` (a function) edge to the interface. A Lambda Hyperplane ENI never
accepts a connection (foundation-networking.html); interfaces of NAT gateways, transit gateway
attachments, Gateway Load Balancer endpoints and Network Load Balancers without security groups
do not filter. A reply reaching the function's own interface is home.
"""

from __future__ import annotations

from vpcdoctor.graph.engine.hops.common import FAIL, PASS, hop, leave
from vpcdoctor.graph.engine.walk import At, Disposition, Stage, Step, Walk, handles
from vpcdoctor.graph.model.verdict import HopKind

UNFILTERED_TYPES = frozenset(
    {
        "nat_gateway",
        "transit_gateway",
        "gateway_load_balancer",
        "gateway_load_balancer_endpoint",
        "network_load_balancer",
        "vpc_endpoint_gateway",
    }
)
"""Interface types with no security groups that do not filter (their groups list is empty)."""


def reply_home(w: Walk, node: str) -> bool:
    origin = w.origin
    if origin is None:
        return False
    return node in (origin.eni, origin.subnet) or (
        origin.eni is None and w.packet.dst == origin.endpoint
    )


@handles(HopKind.ENI)
def eni(w: Walk, at: At) -> Step:
    """RECEIVE at the interface ``at.node`` (ENTER: a route's target, an appliance)."""
    if at.stage is Stage.ENTER:
        from vpcdoctor.graph.engine.hops.instance import middlebox

        return middlebox(w, at)
    net = w.net
    iface = net.eni(at.node)
    owner = net.owner_of(at.node)
    if w.packet.reply:
        if reply_home(w, at.node):
            return Step(end=Disposition.DELIVERED)
        if owner is not None and w.packet.nat and w.packet.nat[-1].node == owner:
            return Step(
                then=(At(node=owner, kind=net.kind(owner), stage=Stage.DELIVER, subnet=at.subnet),)
            )
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "REPLY_NOT_FOR_THIS_INTERFACE",
                    f"The reply to {w.packet.dst.label} is delivered to {at.node}, which did not "
                    "send the request: the connection breaks.",
                ),
            ),
            end=Disposition.NOT_DELIVERED,
        )
    if iface is None:
        return Step(end=Disposition.DELIVERED)
    if iface.is_lambda:
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "LAMBDA_ENI_NO_INBOUND",
                    f"{w.packet.dst.label} belongs to a Lambda Hyperplane ENI ({iface.id}): "
                    "Lambda's "
                    "ENIs only carry connections that the function opens; nothing can connect to "
                    "a function through them.",
                    evidence=[(iface.id, "InterfaceType=lambda")],
                ),
            ),
            end=Disposition.NOT_DELIVERED,
        )
    what = iface.description or iface.interface_type
    groups = tuple(iface.security_group_ids)
    received = hop(
        w,
        at,
        PASS,
        "TARGET_ENI",
        f"{w.packet.dst.label} is {iface.id} ({what}) in {iface.subnet_id}.",
        evidence=[
            (
                iface.id,
                f"PrivateIp={iface.primary_ip}, Groups={','.join(groups) or 'none'}, "
                f"Status={iface.status}",
            )
        ],
    )
    then: list[At] = []
    if groups or iface.interface_type not in UNFILTERED_TYPES:
        then.append(
            At(
                node=groups[0] if groups else at.node,
                kind=HopKind.SECURITY_GROUP,
                stage=Stage.INGRESS,
                subnet=iface.subnet_id,
                data={
                    "groups": groups,
                    "owner": iface.id,
                    "peer_groups": sender_groups(w),
                    "cross_vpc_ok": cross_vpc_ok(w, iface.vpc_id),
                },
            )
        )
    if owner is not None and owner != at.node:
        then.append(
            At(
                node=owner,
                kind=net.kind(owner),
                stage=Stage.DELIVER,
                subnet=iface.subnet_id,
                data={"eni": iface.id},
            )
        )
    else:
        w.reply_from = leave(w, iface.subnet_id, "the target's subnet", sender=iface.id)
        then.append(done(at.node, iface.subnet_id))
    return Step(hops=(received,), then=tuple(then))


def delivered_here(w: Walk, eni_id: str | None, subnet: str | None) -> Step:
    """End the request at an interface: the reply leaves from its subnet."""
    if subnet is not None:
        w.reply_from = leave(w, subnet, "the target's subnet", sender=eni_id)
    return Step(end=Disposition.DELIVERED)


def done(node: str, subnet: str | None) -> At:
    """The position that ends a walk as delivered (after the receiver's last check)."""
    return At(node=node, kind=HopKind.TARGET, stage=Stage.DELIVER, subnet=subnet)


def sender_groups(w: Walk) -> tuple[str, ...]:
    """The groups of whoever the receiver sees as the sender (for group references)."""
    if w.packet.nat:
        return ()
    if w.fn is not None and w.fn.vpc is not None:
        return tuple(w.fn.vpc.security_group_ids)
    return ()


def cross_vpc_ok(w: Walk, target_vpc: str) -> bool | None:
    """Can a group reference cross from the function's VPC to the target's? (an active,
    same-Region peering: vpc-peering-security-groups.html)."""
    origin = w.origin
    if origin is None:
        return True
    sub = w.net.subnet(origin.subnet)
    if sub is None:
        return None
    if sub.vpc_id == target_vpc:
        return True
    came = w.entries.get(target_vpc)
    if came is None or w.net.kind(came) is not HopKind.PEERING_CONNECTION:
        return False
    pcx = w.net.obj(came)
    if getattr(pcx, "status", None) != "active":
        return False
    regions = {pcx.requester.region, pcx.accepter.region} - {None}
    return len(regions) <= 1
