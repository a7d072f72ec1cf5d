"""Route lookup (R1): which route of a subnet's route table carries traffic to a destination.

https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html: the longest prefix
wins (IPv4 and IPv6 separately); on identical destinations a static route beats a prefix-list
route, which beats a propagated route. A ``blackhole`` route still matches, and drops. A
prefix-list route whose entries the snapshot lacks might contain the destination with any
prefix length, so unless every such route leads where the winner leads, the answer is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from vpcdoctor.graph.engine.filters import Endpoint
from vpcdoctor.graph.engine.graph import RouteEdge, Topology
from vpcdoctor.graph.model import (
    EndpointType,
    RouteOrigin,
    RouteTable,
    RouteTargetType,
    VpcEndpoint,
)

# Tie-break on identical prefix length: static (and local) > prefix list > propagated.
_STATIC, _PREFIX_LIST, _PROPAGATED = 3, 2, 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    edge: RouteEdge
    prefixlen: int
    priority: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteDecision:
    """The outcome of one lookup, with what it beat (for the evidence)."""

    table: RouteTable
    winner: Candidate | None
    runner_up: Candidate | None = None
    unknown_prefix_lists: tuple[str, ...] = ()
    """Prefix lists whose missing entries make the winner uncertain."""

    @property
    def edge(self) -> RouteEdge | None:
        return None if self.winner is None else self.winner.edge

    @property
    def reason(self) -> str:
        """Why the winner won: ``MORE_SPECIFIC_ROUTE``, ``HIGHER_PRIORITY_ROUTE`` or ``ROUTE``."""
        if self.winner is None or self.runner_up is None:
            return "ROUTE"
        if self.winner.prefixlen > self.runner_up.prefixlen:
            return "MORE_SPECIFIC_ROUTE"
        return "HIGHER_PRIORITY_ROUTE"


def _priority(edge: RouteEdge) -> int:
    if edge.route.prefix_list_id:
        return _PREFIX_LIST
    if edge.route.origin is RouteOrigin.ENABLE_VGW_ROUTE_PROPAGATION:
        return _PROPAGATED
    return _STATIC


def _is_gateway_endpoint(edge: RouteEdge) -> bool:
    obj = edge.obj
    if isinstance(obj, VpcEndpoint):
        return obj.type is EndpointType.GATEWAY
    return edge.route.target_type is RouteTargetType.VPC_ENDPOINT


def lookup(topo: Topology, table: RouteTable, dest: Endpoint) -> RouteDecision:
    """R1 for ``dest`` in ``table``."""
    full = 32 if dest.version == 4 else 128
    candidates: list[Candidate] = []
    unknown: list[RouteEdge] = []
    private_dest = not dest.any_public and bool(dest.nets) and all(n.is_private for n in dest.nets)
    for edge in topo.routes(table.id):
        route = edge.route
        if route.prefix_list_id:
            pl = route.prefix_list_id
            if pl in dest.prefix_lists:
                entries = topo.account.prefix_list_cidrs(pl)
                length = max((e.prefixlen for e in entries or ()), default=full)
                candidates.append(Candidate(edge=edge, prefixlen=length, priority=_PREFIX_LIST))
                continue
            entries = topo.account.prefix_list_cidrs(pl)
            if entries is None:
                # AWS-managed service lists (gateway endpoints) hold public ranges only.
                if dest.any_public or (private_dest and _is_gateway_endpoint(edge)):
                    continue
                unknown.append(edge)
                continue
            matching = [e for e in entries if dest.in_cidr(e) is True]
            if matching:
                length = max(e.prefixlen for e in matching)
                candidates.append(Candidate(edge=edge, prefixlen=length, priority=_PREFIX_LIST))
            continue
        if route.destination is None:
            continue
        if dest.in_cidr(route.destination) is True:
            candidates.append(
                Candidate(
                    edge=edge, prefixlen=route.destination.prefixlen, priority=_priority(edge)
                )
            )
    candidates.sort(key=lambda c: (c.prefixlen, c.priority), reverse=True)
    winner = candidates[0] if candidates else None
    runner_up = candidates[1] if len(candidates) > 1 else None
    uncertain = tuple(
        e.route.prefix_list_id or ""
        for e in unknown
        if winner is None or e.target != winner.edge.target
        if winner is None or not (winner.prefixlen == full and winner.priority == _STATIC)
    )
    return RouteDecision(
        table=table, winner=winner, runner_up=runner_up, unknown_prefix_lists=uncertain
    )
