"""A database, RDS Proxy, load balancer, ElastiCache cluster or OpenSearch domain receives a
packet on one of its interfaces (R12): it answers only when it is available, and a load
balancer only on its listeners' ports. Nothing is added to the path when it answers (its
interface and groups already are); what refuses the connection is the failing hop."""

from __future__ import annotations

from vpcdoctor.graph.engine.hops.common import FAIL, hop
from vpcdoctor.graph.engine.hops.eni import delivered_here
from vpcdoctor.graph.engine.walk import At, Disposition, Step, Walk, handles
from vpcdoctor.graph.model import LoadBalancer
from vpcdoctor.graph.model.named import resource_available
from vpcdoctor.graph.model.verdict import HopKind

_TCP = frozenset({"HTTP", "HTTPS", "TCP", "TLS", "TCP_UDP"})
_UDP = frozenset({"UDP", "TCP_UDP"})


@handles(HopKind.DATABASE, HopKind.LOAD_BALANCER, HopKind.CACHE, HopKind.SEARCH_DOMAIN)
def named_resource(w: Walk, at: At) -> Step:
    """DELIVER at the resource whose interface received the request."""
    obj = w.net.obj(at.node)
    eni_id = (at.data or {}).get("eni")
    label = w.net.graph.nodes[at.node].get("label", at.node) if at.node in w.net else at.node
    available, status = resource_available(obj)
    if available is False:
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "RESOURCE_NOT_AVAILABLE",
                    f"{w.packet.dst.label} belongs to {label}, which is {status}: it accepts no "
                    "connections now.",
                    evidence=[(at.node, f"Status={status}")],
                ),
            ),
            end=Disposition.NOT_DELIVERED,
        )
    if isinstance(obj, LoadBalancer) and obj.listeners is not None:
        protocols = _UDP if w.packet.protocol == "17" else _TCP
        port = w.packet.port
        if not any(x.port == port and (x.protocol or "") in protocols for x in obj.listeners):
            shown = ", ".join(f"{x.protocol or '?'}:{x.port}" for x in obj.listeners) or "none"
            return Step(
                hops=(
                    hop(
                        w,
                        at,
                        FAIL,
                        "LB_NO_LISTENER",
                        f"{label} has no listener for {w.packet.protocol_name}/{port} (its "
                        f"listeners: {shown}): it refuses the connection.",
                        evidence=[(at.node, f"Listeners={shown}")],
                    ),
                ),
                end=Disposition.NOT_DELIVERED,
            )
    return delivered_here(w, eni_id, at.subnet)
