"""A destination the snapshot knows by its subnet, not its interface.

A resource whose network interfaces are not exported (a database, an endpoint) still has
subnets and security groups: the packet arrives in the subnet, the resource's groups decide the
ingress (R12), and the reply leaves from that subnet. A reply arriving in the function's subnet,
when the function's own ENI is not in the snapshot, is home.
"""

from __future__ import annotations

from vpcdoctor.graph.engine.hops.common import PASS, hop, leave
from vpcdoctor.graph.engine.hops.eni import cross_vpc_ok, done, sender_groups
from vpcdoctor.graph.engine.walk import At, Disposition, Stage, Step, Walk, handles
from vpcdoctor.graph.model.verdict import HopKind


@handles(HopKind.TARGET)
def target(w: Walk, at: At) -> Step:
    """RECEIVE in ``at.subnet`` for the walk's destination (``at.node``: its resource or the
    subnet)."""
    if at.stage is Stage.DELIVER:
        return Step(end=Disposition.DELIVERED)
    if w.packet.reply:
        return Step(end=Disposition.DELIVERED)
    dest = w.destination
    groups = tuple(getattr(dest, "groups", None) or ())
    resource = getattr(dest, "resource", None)
    label = getattr(dest, "label", "") or w.packet.dst.label
    received = hop(
        w,
        at,
        PASS,
        "TARGET_SUBNET",
        f"{label} is in {at.subnet} (its network interface is not in the snapshot: its subnet's "
        "range stands for it).",
        resource=resource or at.subnet,
        kind=HopKind.TARGET,
    )
    then: list[At] = []
    if groups or getattr(dest, "groups", None) is not None:
        then.append(
            At(
                node=groups[0] if groups else at.node,
                kind=HopKind.SECURITY_GROUP,
                stage=Stage.INGRESS,
                subnet=at.subnet,
                data={
                    "groups": groups,
                    "owner": label,
                    "peer_groups": sender_groups(w),
                    "cross_vpc_ok": cross_vpc_ok(w, w.net.vpc_of(at.subnet or "") or ""),
                },
            )
        )
    if (
        resource
        and resource in w.net
        and w.net.kind(resource) not in (HopKind.SUBNET, HopKind.TARGET)
    ):
        then.append(
            At(node=resource, kind=w.net.kind(resource), stage=Stage.DELIVER, subnet=at.subnet)
        )
        return Step(hops=(received,), then=tuple(then))
    w.reply_from = leave(w, at.subnet or "", "the target's subnet")
    return Step(hops=(received,), then=(*then, done(at.node, at.subnet)))
